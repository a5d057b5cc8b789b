"""Show a crawl's progress: live on a terminal (``rich``), periodic log lines otherwise; name each failed site.

``TREMPLIN_PROGRESS``: ``auto`` (live display when standard output is a terminal, log lines when it
is not, as under cron or systemd), ``live``, ``log`` or ``off`` (no display). ``TREMPLIN_PROGRESS_INTERVAL``:
seconds between log lines (default 60). Whatever the mode, every seed or known site that could not
be visited gets one warning line with its error kind (``tremplin.sites``). The summary is printed by
``tremplin crawl`` from the database once the crawl is over (``crawler.ops.summary``).
"""

from __future__ import annotations

import logging
import sys
import time
from typing import Any

from scrapy import signals
from twisted.internet import task

from crawler.items import CandidateItem, CommunityItem, FetchErrorItem
from crawler.ops.progress import from_stats, live_renderable, plain_line

logger = logging.getLogger("tremplin.progress")
sites_logger = logging.getLogger("tremplin.sites")
# Visits that end without contacting the site (opted out) are outcomes, not sites done.
NOT_VISITED = ("moved", "opted_out")


class CrawlProgress:
    """Extension counting finished sites and showing progress."""

    def __init__(self, crawler: Any, live: bool, interval: float, display: bool = True) -> None:
        self.crawler = crawler
        self.live_mode = live
        self.display = display
        self.interval = interval
        self.started = time.monotonic()
        self.sites_done = 0
        self.items = 0
        self.loop: task.LoopingCall | None = None
        self.live: Any = None
        self._streams: list[tuple[logging.StreamHandler, Any]] = []
        # The message of each failed homepage, until its site's item names the site (one entry at a time).
        self._messages: dict[str, str] = {}

    @classmethod
    def from_crawler(cls, crawler: Any) -> CrawlProgress:
        settings = crawler.settings
        mode = settings.get("TREMPLIN_PROGRESS", "auto")
        live = mode == "live" or (mode == "auto" and sys.stdout.isatty())
        extension = cls(crawler, live, settings.getfloat("TREMPLIN_PROGRESS_INTERVAL", 60.0), display=mode != "off")
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.item_scraped, signal=signals.item_scraped)
        crawler.signals.connect(extension.engine_stopped, signal=signals.engine_stopped)
        return extension

    def snapshot(self):
        return from_stats(self.crawler.stats.get_stats(), time.monotonic() - self.started, self.sites_done, self.items)

    def spider_opened(self, spider: Any) -> None:
        self.started = time.monotonic()
        if not self.display:
            return
        if self.live_mode:
            self._start_live()
            self.loop = task.LoopingCall(self._refresh)
            self.loop.start(1.0, now=False)
        else:
            self.loop = task.LoopingCall(self._log_line)
            self.loop.start(self.interval, now=False)

    def item_scraped(self, item: Any, response: Any, spider: Any) -> None:
        if isinstance(item, CommunityItem):
            if item.status not in NOT_VISITED:
                self.sites_done += 1
                self.items += 1
            if item.error_kind and item.status != "opted_out":
                message = self._messages.pop(item.seed_url or "", "")
                sites_logger.warning("%s %s: %s%s", item.seed_url, item.status, item.error_kind,
                                     f" ({message})" if message and message != item.error_kind else "")  # fmt: skip
        elif isinstance(item, FetchErrorItem):
            # The homepage's error comes just before its site's item; keep only the latest one.
            self._messages = {item.url: item.message or ""}
        elif isinstance(item, CandidateItem) and item.status == "rejected" and item.reason != "opted_out":
            self.sites_done += 1

    def _log_line(self) -> None:
        logger.info(plain_line(self.snapshot()))

    def _start_live(self) -> None:
        from rich.console import Console
        from rich.live import Live

        self.live = Live(live_renderable(self.snapshot()), console=Console(), refresh_per_second=4, transient=True)
        self.live.start()
        # Scrapy's log handler kept the stream it was given at start-up; point it at the console
        # Live redirects, so log lines print above the display instead of through it.
        for handler in logging.getLogger().handlers:
            if isinstance(handler, logging.StreamHandler) and handler.stream in (sys.__stderr__, sys.__stdout__):
                self._streams.append((handler, handler.setStream(self.live.console.file)))

    def _refresh(self) -> None:
        if self.live is not None:
            self.live.update(live_renderable(self.snapshot()))

    def engine_stopped(self) -> None:
        if self.loop is not None and self.loop.running:
            self.loop.stop()
        if self.live is not None:
            self.live.stop()
            for handler, stream in self._streams:
                handler.setStream(stream)
            self.live = None
