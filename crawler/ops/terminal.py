"""What a command prints on the terminal: a quiet log by default, Scrapy's own behind ``--verbose``.

By default Scrapy's root handler is not installed (``LOG_INSTALL_ROOT_HANDLER``); one handler on
standard error shows instead:

- the progress log lines (``--progress log``), whatever ``--log-level`` says;
- one warning line per failed site (``tremplin.sites``), unless ``--log-level ERROR``;
- warnings and errors of every logger, Tremplin's messages at ``--log-level`` and above, but never
  Scrapy's informational chatter (settings, middlewares, the stats dump);
- nothing for an expected download failure (DNS, refused, timeout, TLS, HTTP status): Scrapy logs
  those with a traceback, once for robots.txt and once more when retries give up, while the site's
  own line (``crawler.extensions.progress``) already names its error kind;
- any other exception as one line, its traceback kept for ``--verbose`` and the log file; a storage
  error once (the crawl stops at the first: ``crawler.extensions.monitors``).

:class:`BriefLogFormatter` (``LOG_FORMATTER``) names an item that failed or was dropped by its class
and id, instead of a few kilobytes of its fields on one line, in every mode.

``--verbose`` installs Scrapy's own handler instead, at ``--log-level``; ``--log-file`` writes
Scrapy's full log to a file while the terminal stays quiet (what cron and systemd want: a short
mail, the whole story in the file). The handler looks up ``sys.stderr`` for every line, so a live
progress display that redirects standard error (``rich``) keeps log lines above it.
"""

from __future__ import annotations

import logging
import sqlite3
import sys
from typing import Any

from OpenSSL import SSL
from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadCancelledError,
    DownloadConnectionRefusedError,
    DownloadFailedError,
    DownloadTimeoutError,
    IgnoreRequest,
    ResponseDataLossError,
)
from scrapy.logformatter import LogFormatter
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.utils.log import get_scrapy_root_handler
from twisted.internet.error import ConnectError, ConnectionDone, ConnectionLost, DNSLookupError, TimeoutError
from twisted.web._newclient import ResponseFailed, ResponseNeverReceived

LOG_FORMAT = "%(asctime)s [%(name)s] %(levelname)s: %(message)s"
LOG_DATEFORMAT = "%Y-%m-%d %H:%M:%S"
# Failures of the web, not of Tremplin: each failed site gets one line with its error kind instead.
EXPECTED_FAILURES = (
    CannotResolveHostError, DNSLookupError, DownloadConnectionRefusedError, ConnectError, DownloadTimeoutError,
    TimeoutError, DownloadFailedError, DownloadCancelledError, ResponseDataLossError, ConnectionLost,
    ConnectionDone, ResponseFailed, ResponseNeverReceived, SSL.Error, HttpError, IgnoreRequest,
)  # fmt: skip
# Scrapy's line when retries give up: the same failure, said again by the site's line.
RETRY_LOGGER = "scrapy.downloadermiddlewares.retry"
# Scrapy's line for each item a storage error loses: the crawl stops at the first, said once.
SCRAPER_LOGGER = "scrapy.core.scraper"
OPERATOR_LOGGERS = ("tremplin",)
PROGRESS_LOGGER = "tremplin.progress"
LIBRARY_LOGGERS = ("scrapy", "twisted", "py.warnings", "asyncio", "filelock")


def _under(name: str, roots: tuple[str, ...]) -> bool:
    return any(name == root or name.startswith(root + ".") for root in roots)


def expected_failure(exc: BaseException | None) -> bool:
    """True when ``exc`` is a failure of the web that the site's own line reports."""
    return isinstance(exc, EXPECTED_FAILURES)


class QuietFilter(logging.Filter):
    """Keep what an operator needs on the terminal (see the module docstring); drop the rest."""

    def __init__(self, level: int) -> None:
        super().__init__()
        self.level = level

    def filter(self, record: logging.LogRecord) -> bool:
        if record.name == PROGRESS_LOGGER:
            return True  # asked for with --progress (log lines are INFO, shown whatever --log-level)
        if _under(record.name, OPERATOR_LOGGERS):
            return record.levelno >= self.level
        exc = record.exc_info[1] if record.exc_info else None
        if expected_failure(exc) or (record.name == RETRY_LOGGER and record.levelno < logging.CRITICAL):
            return False
        if record.name == SCRAPER_LOGGER and isinstance(exc, sqlite3.Error | OSError):
            return False
        if _under(record.name, LIBRARY_LOGGERS):
            return record.levelno >= max(self.level, logging.WARNING)
        return record.levelno >= self.level


class OneLineFormatter(logging.Formatter):
    """Scrapy's log format, an exception shown as one ``Type: message`` line without its traceback."""

    def __init__(self) -> None:
        super().__init__(LOG_FORMAT, LOG_DATEFORMAT)

    def format(self, record: logging.LogRecord) -> str:
        line = super().format(_without_traceback(record))
        if record.exc_info and record.exc_info[1] is not None:
            exc = record.exc_info[1]
            detail = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
            line += f" ({type(exc).__name__}{': ' + detail if detail else ''}; --verbose shows the traceback)"
        return line


def _without_traceback(record: logging.LogRecord) -> logging.LogRecord:
    if not (record.exc_info or record.exc_text or record.stack_info):
        return record
    copy = logging.makeLogRecord(record.__dict__)
    copy.exc_info, copy.exc_text, copy.stack_info = None, None, None
    return copy


def brief_item(item: Any) -> str:
    """``CommunityItem club.example.org``: an item's class and the first identifying field it has."""
    for name in ("id", "site_id", "url"):
        value = getattr(item, name, None) or (item.get(name) if isinstance(item, dict) else None)
        if value:
            return f"{type(item).__name__} {value}"
    return type(item).__name__


class BriefLogFormatter(LogFormatter):
    """Scrapy's log formatter, items named briefly when one fails or is dropped."""

    def item_error(self, item: Any, exception: BaseException, response: Any, spider: Any) -> Any:
        result = super().item_error(item, exception, response, spider)
        return {**result, "args": {**result["args"], "item": brief_item(item)}}

    def dropped(self, item: Any, exception: BaseException, response: Any, spider: Any) -> Any:
        result = super().dropped(item, exception, response, spider)
        args = {**result["args"], "item": brief_item(item)}
        return {**result, "msg": "Dropped: %(exception)s: %(item)s", "args": args}


class TerminalHandler(logging.StreamHandler):
    """A handler writing to whatever ``sys.stderr`` is at the moment of each line."""

    def __init__(self) -> None:
        super().__init__()

    @property
    def stream(self) -> Any:  # type: ignore[override]
        return sys.stderr

    @stream.setter
    def stream(self, value: Any) -> None:
        pass  # always the current sys.stderr


class CrashCounter(logging.Handler):
    """Counts the exceptions nobody handled, which Scrapy logged at ERROR and carried on: crashes.

    An exception raised in a callback, a pipeline or a signal handler is caught by Scrapy (or Twisted)
    and logged; such a run is not one to report as passed (``tremplin crawl`` then exits 1 and marks
    the run failed). Exceptions Tremplin's own code handles and logs (an adapter failing on one hostile
    page, recorded as ``extract_failed``) are not crashes; failures of the web are not either.
    """

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.count = 0
        self.first: str | None = None

    def emit(self, record: logging.LogRecord) -> None:
        exc = record.exc_info[1] if record.exc_info else None
        if exc is None or expected_failure(exc) or not _under(record.name, ("scrapy", "twisted")):
            return
        self.count += 1
        if self.first is None:
            detail = str(exc).strip().splitlines()
            self.first = f"{record.getMessage()[:200]}: {type(exc).__name__}{': ' + detail[0][:200] if detail else ''}"


def quiet_handler(level: int | str) -> logging.Handler:
    """Return the default terminal handler (quiet filter, one line per record)."""
    level = logging.getLevelName(level) if isinstance(level, str) else level
    handler = TerminalHandler()
    handler.addFilter(QuietFilter(level))
    handler.setFormatter(OneLineFormatter())
    return handler


def logging_settings(verbose: bool, level: str | None, log_file: str | None) -> dict[str, Any]:
    """Scrapy's ``LOG_*`` settings for a command run: Scrapy's handler only for ``--verbose`` or a log file.

    The log file is written at INFO (DEBUG if asked): ``--log-level`` sets what the terminal shows.
    """
    if log_file:  # the file keeps Scrapy's full log whatever the terminal shows (DEBUG when asked)
        level = "DEBUG" if level == "DEBUG" else "INFO"
    return {
        "LOG_INSTALL_ROOT_HANDLER": bool(verbose or log_file),
        "LOG_LEVEL": level or "INFO",
        "LOG_FILE": log_file,
        "LOG_FORMAT": LOG_FORMAT,
        "LOG_DATEFORMAT": LOG_DATEFORMAT,
    }


def install_terminal(verbose: bool, level: str | None, log_file: str | None) -> CrashCounter:
    """Show the quiet log on the terminal, unless ``--verbose`` (without a log file) gives it to Scrapy.

    Call after Scrapy configured logging (``CrawlerProcess`` does it from :func:`logging_settings`).
    Returns the counter of unexpected exceptions, installed in every mode.
    """
    counter = CrashCounter()
    logging.root.addHandler(counter)
    if verbose and not log_file:
        return counter
    if verbose:
        # Scrapy's handler writes the file; its full log goes to the terminal too.
        handler: logging.Handler = TerminalHandler()
        handler.setLevel(level or "INFO")
        handler.setFormatter(logging.Formatter(LOG_FORMAT, LOG_DATEFORMAT))
    else:
        handler = quiet_handler(level or "WARNING")
    logging.root.addHandler(handler)
    if get_scrapy_root_handler() is None:
        # Operator lines are INFO; a lower level would only make records nobody shows.
        logging.root.setLevel(min(logging.getLevelName(level or "WARNING"), logging.INFO))
    return counter
