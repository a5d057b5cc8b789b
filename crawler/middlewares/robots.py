"""robots.txt per RFC 9309, fetched as a scheduled request of its own, with a bounded memory.

Scrapy's ``RobotsTxtMiddleware`` downloads a host's robots.txt from inside the first request's
``process_request`` (so that request holds a downloader slot while robots.txt is fetched beside
it), treats a robots.txt it cannot fetch as "allow everything" and keeps every host's parser until
the crawl ends. :class:`RobotsTxtMiddleware` here obeys the same ``ROBOTSTXT_*`` and ``USER_AGENT``
settings, with the same stats, log lines and ``robots_parsed`` signal, and:

- **is asked by the scheduler** (:mod:`crawler.frontier.scheduler`) for the robots.txt request a
  host needs; the scheduler queues it ahead of the host's first request, so robots.txt is paced
  like any request and the homepage leaves one delay after it. A request that reaches this
  middleware while its host's robots.txt is on its way waits for it; with another scheduler
  (the distributed worker's), the first request fetches robots.txt itself, as Scrapy's does;
- reads **the first 500 KiB** (``TREMPLIN_ROBOTSTXT_MAX_BYTES``) of a larger file, as RFC 9309
  requires, instead of failing on the download size limit;
- follows up to 5 redirects of robots.txt itself;
- treats an answer by status as RFC 9309 says: 2xx parsed; 4xx "unavailable", everything
  allowed; **5xx, 429 and no answer at all (timeout, refused connection, DNS failure, a reset)
  "unreachable": everything disallowed** for the rest of the crawl, with the reason (a server error
  makes the site ``blocked_by_robots``, error kind ``robots_unreachable``; no answer at all makes it
  ``unreachable`` by its network error, ``dns``, ``timeout``...; both asked again on the next due
  visit). A 429 is "slow down", not "there is no robots.txt", so it counts as a server error (as
  Google does);
- honours ``Crawl-delay`` for ``ROBOTSTXT_USER_AGENT``, capped at ``TREMPLIN_MAX_CRAWL_DELAY``: the
  delay becomes the floor of the site's gaps in the frontier; a capped or unreadable value is
  logged, counted and kept (:meth:`crawl_delay_note`) for the site's evidence;
- keeps the parsers of the last ``TREMPLIN_ROBOTSTXT_PARSERS`` hosts only (least recently used
  out); a host asked again after that has its robots.txt fetched again.

A request robots.txt disallows is dropped with ``IgnoreRequest("Forbidden by robots.txt")``;
``dont_obey_robotstxt`` in a request's meta skips the check, ``data:`` and ``file:`` URLs too.
"""

from __future__ import annotations

import logging
import re
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin

from protego import Protego
from scrapy import Request, signals
from scrapy.exceptions import IgnoreRequest, NotConfigured, StopDownload
from scrapy.http import Response
from scrapy.http.request import NO_CALLBACK
from scrapy.robotstxt import RobotParser
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.httpobj import urlparse_cached
from scrapy.utils.misc import build_from_crawler, load_object
from twisted.internet.defer import Deferred
from twisted.python.failure import Failure

from crawler.frontier.frontier import Frontier
from crawler.visit import classify_failure

logger = logging.getLogger(__name__)

DEFAULT_MAX_PARSERS = 1024
# RFC 9309 §2.5: "crawlers SHOULD parse at least the first 500 kibibytes".
DEFAULT_MAX_BYTES = 500 * 1024
MAX_REDIRECTS = 5
ROBOTS_FOR_KEY = "tremplin_robots_for"
_HOPS_KEY = "tremplin_robots_hops"
# Failures that are the crawl's own refusal to connect, not the site's silence.
REFUSALS = frozenset({"refused_private", "refused_scheme", "opted_out", "over_site_budget"})
_CRAWL_DELAY_LINE = re.compile(rb"^[ \t]*crawl-delay[ \t]*:[ \t]*([^#\r\n]*)", re.IGNORECASE | re.MULTILINE)


@dataclass(frozen=True)
class Unreachable:
    """The parser of a robots.txt that could not be had: every URL disallowed (RFC 9309 §2.3.1.4)."""

    reason: str

    def allowed(self, url: str, user_agent: str) -> bool:
        return False


@dataclass(frozen=True)
class CrawlDelayNote:
    """A ``Crawl-delay`` the crawl did not honour as written: capped, or not a number."""

    robots_url: str
    asked: str
    honoured: float | None
    reason: str


Parser = RobotParser | Unreachable | None  # None: no robots.txt (allow all)


class ParserCache:
    """The robots.txt parsers of the ``size`` most recently used hosts (``None``: allow all)."""

    def __init__(self, size: int) -> None:
        if size < 1:
            raise ValueError("the robots.txt parser cache needs room for at least one host")
        self.size = size
        self._parsers: OrderedDict[str, Parser] = OrderedDict()

    def __contains__(self, netloc: str) -> bool:
        return netloc in self._parsers

    def __len__(self) -> int:
        return len(self._parsers)

    def get(self, netloc: str) -> Parser:
        """Return the host's parser and mark it as just used (``KeyError`` when not kept)."""
        parser = self._parsers[netloc]
        self._parsers.move_to_end(netloc)
        return parser

    def put(self, netloc: str, parser: Parser) -> None:
        """Keep ``parser`` for the host, dropping the least recently used host beyond the bound."""
        self._parsers[netloc] = parser
        self._parsers.move_to_end(netloc)
        while len(self._parsers) > self.size:
            self._parsers.popitem(last=False)


def truncate(body: bytes, limit: int) -> bytes:
    """The first ``limit`` bytes of ``body``, cut after the last whole line."""
    if len(body) <= limit:
        return body
    head = body[:limit]
    cut = max(head.rfind(b"\n"), head.rfind(b"\r"))
    return head[: cut + 1] if cut >= 0 else head


class RobotsTxtMiddleware:
    """Downloader middleware obeying robots.txt (``ROBOTSTXT_OBEY``) with a bounded parser cache."""

    DOWNLOAD_PRIORITY = 1000

    def __init__(self, crawler: Any) -> None:
        settings = crawler.settings
        if not settings.getbool("ROBOTSTXT_OBEY"):
            raise NotConfigured
        self.crawler = crawler
        self.stats = crawler.stats
        self.default_user_agent: str = settings.get("USER_AGENT")
        self.robotstxt_user_agent: str | None = settings.get("ROBOTSTXT_USER_AGENT")
        self.parser_class = load_object(settings.get("ROBOTSTXT_PARSER"))
        self.parsers = ParserCache(settings.getint("TREMPLIN_ROBOTSTXT_PARSERS", DEFAULT_MAX_PARSERS))
        self.max_bytes = settings.getint("TREMPLIN_ROBOTSTXT_MAX_BYTES", DEFAULT_MAX_BYTES)
        self.max_crawl_delay = settings.getfloat("TREMPLIN_MAX_CRAWL_DELAY", 60)
        self.frontier = Frontier.of(crawler)
        self.frontier.robots = self
        # Hosts whose robots.txt is on its way -> the requests waiting for it.
        self.waiting: dict[str, list[Deferred]] = {}
        self.notes: OrderedDict[str, CrawlDelayNote] = OrderedDict()
        # Fail at start, not on the first response, when the parser's dependencies are missing.
        build_from_crawler(self.parser_class, crawler, b"")
        crawler.signals.connect(self._bytes_received, signal=signals.bytes_received)

    @classmethod
    def from_crawler(cls, crawler: Any) -> RobotsTxtMiddleware:
        """Build the middleware for one crawl (``NotConfigured`` unless ``ROBOTSTXT_OBEY``)."""
        return cls(crawler)

    # --- asked by the scheduler -----------------------------------------------------------

    def request_for(self, request: Request) -> Request | None:
        """The robots.txt request ``request``'s host needs first, once per host (else None)."""
        if request.meta.get("dont_obey_robotstxt") or request.url.startswith(("data:", "file:")):
            return None
        url = urlparse_cached(request)
        if url.netloc in self.parsers or url.netloc in self.waiting:
            return None
        self.waiting[url.netloc] = []
        return self._robots_request(f"{url.scheme}://{url.netloc}/robots.txt", url.netloc)

    def _robots_request(self, url: str, netloc: str, hops: int = 0) -> Request:
        return Request(
            url,
            priority=self.DOWNLOAD_PRIORITY,
            # Identity encoding: the 500 KiB read below counts the bytes of the file itself.
            headers={"Accept-Encoding": "identity"},
            # No size limit of its own: the download is stopped after max_bytes (_bytes_received).
            meta={
                "dont_obey_robotstxt": True,
                ROBOTS_FOR_KEY: netloc,
                _HOPS_KEY: hops,
                "dont_redirect": True,
                "download_maxsize": 0,
                "download_warnsize": 0,
            },  # fmt: skip
            callback=NO_CALLBACK,
            dont_filter=True,
        )

    def crawl_delay_note(self, netloc: str) -> CrawlDelayNote | None:
        """The capped or unreadable ``Crawl-delay`` of ``netloc``'s robots.txt, if it had one."""
        return self.notes.get(netloc)

    # --- downloader middleware ------------------------------------------------------------

    async def process_request(self, request: Request) -> None:
        """Wait for the host's robots.txt, then drop the request if it disallows it."""
        if request.meta.get("dont_obey_robotstxt"):
            return
        if request.url.startswith(("data:", "file:")):
            return
        parser = await self.robot_parser(request)
        if parser is None:
            return
        user_agent = self.robotstxt_user_agent or request.headers.get(b"User-Agent", self.default_user_agent)
        if not parser.allowed(request.url, user_agent):
            logger.debug(
                "Forbidden by robots.txt: %(request)s", {"request": request}, extra={"spider": self.crawler.spider}
            )
            self.stats.inc_value("robotstxt/forbidden")
            if isinstance(parser, Unreachable):
                raise IgnoreRequest(f"robots.txt unreachable ({parser.reason}): every URL disallowed")
            raise IgnoreRequest("Forbidden by robots.txt")

    def process_response(self, request: Request, response: Response) -> Response | Request:
        """Read a scheduled robots.txt answer (it goes no further than here)."""
        netloc = request.meta.get(ROBOTS_FOR_KEY)
        if netloc is None:
            return response
        hops = request.meta.get(_HOPS_KEY, 0)
        self.stats.inc_value("robotstxt/response_count")
        self.stats.inc_value(f"robotstxt/response_status_count/{response.status}")
        location = response.headers.get(b"Location")
        if 300 <= response.status < 400 and location and hops < MAX_REDIRECTS:
            target = urljoin(response.url, location.decode("latin-1"))
            return self._robots_request(target, netloc, hops + 1)
        self._settle(netloc, self._parse(request, response))
        raise IgnoreRequest("robots.txt read")

    def process_exception(self, request: Request, exception: Exception) -> None:
        """A scheduled robots.txt that got no answer: its host is unreachable, so disallowed."""
        netloc = request.meta.get(ROBOTS_FOR_KEY)
        if netloc is None:
            return
        failure = Failure(exception)
        failure.request = request  # what classify_failure reads the refused host name from
        kind = classify_failure(failure)[0]
        if (isinstance(exception, IgnoreRequest) or kind in REFUSALS) and request.meta.get(_HOPS_KEY, 0) == 0:
            # Refused before any contact (a private address, the opt-out list, the site budget):
            # the host's own requests meet the same refusal, which names the real reason.
            self._settle(netloc, None)
            raise IgnoreRequest("robots.txt not fetched") from exception
        if not isinstance(exception, IgnoreRequest):
            self.stats.inc_value(f"robotstxt/exception_count/{type(exception)}")
        logger.info("robots.txt of %s unreachable (%s): the site is not crawled", netloc, kind)
        self._settle(netloc, Unreachable(kind))
        raise IgnoreRequest(f"robots.txt unreachable ({kind})") from exception

    # --- reading --------------------------------------------------------------------------

    def _bytes_received(self, data: bytes, request: Request, spider: Any = None) -> None:
        """Stop a robots.txt download after ``max_bytes``: the rest is not read (RFC 9309 §2.5)."""
        if ROBOTS_FOR_KEY not in request.meta:
            return
        received = request.meta.get("tremplin_robots_bytes", 0) + len(data)
        request.meta["tremplin_robots_bytes"] = received
        if received >= self.max_bytes:
            raise StopDownload(fail=False)

    def _parse(self, request: Request, response: Response) -> Parser:
        status = response.status
        if 200 <= status < 300:
            body = truncate(response.body, self.max_bytes)
            if len(body) < len(response.body) or "download_stopped" in response.flags:
                self.stats.inc_value("tremplin/robots/truncated")
                logger.info("robots.txt of %s is larger than %d bytes: its first %d bytes are read",
                            request.meta[ROBOTS_FOR_KEY], self.max_bytes, len(body))  # fmt: skip
            parser = build_from_crawler(self.parser_class, self.crawler, body)
            self.crawler.signals.send_catch_log(signal=signals.robots_parsed, robotparser=parser, request=request)
            self._crawl_delay(request, response.url, body)
            return parser
        if status == 429 or status >= 500:
            netloc = request.meta[ROBOTS_FOR_KEY]
            logger.info("robots.txt of %s answered HTTP %d: the site is not crawled", netloc, status)
            return Unreachable(f"http_{status}")
        return None  # 4xx (and redirects beyond five hops): no robots.txt, everything allowed

    def _settle(self, netloc: str, parser: Parser) -> None:
        self.stats.inc_value("robotstxt/request_count")
        self.parsers.put(netloc, parser)
        for waiter in self.waiting.pop(netloc, []):
            waiter.callback(parser)

    def _crawl_delay(self, request: Request, robots_url: str, body: bytes) -> None:
        """Make the file's ``Crawl-delay`` the site's floor; note it when capped or unreadable."""
        netloc = request.meta[ROBOTS_FOR_KEY]
        host = urlparse_cached(request).hostname or netloc
        user_agent = self.robotstxt_user_agent or self.default_user_agent
        try:
            delay = Protego.parse(body.decode("utf-8", "replace")).crawl_delay(user_agent)
        except Exception:  # noqa: BLE001 - an unparsable robots.txt has no delay to honour
            delay = None
        note = None
        if delay is not None and float(delay) > self.max_crawl_delay:
            note = CrawlDelayNote(robots_url, f"{float(delay):g}", self.max_crawl_delay,
                                  f"capped at {self.max_crawl_delay:g} s (TREMPLIN_MAX_CRAWL_DELAY)")  # fmt: skip
        elif delay is None:
            written = [m.group(1).strip().decode("latin-1") for m in _CRAWL_DELAY_LINE.finditer(body)]
            unreadable = [value for value in written if not _is_number(value)]
            if unreadable:
                note = CrawlDelayNote(robots_url, unreadable[0][:40], None, "ignored: not a number of seconds")
        if delay is not None:
            honoured = min(float(delay), self.max_crawl_delay)
            self.frontier.set_crawl_delay(host, honoured)
            self.stats.set_value(f"tremplin/crawl_delay/{netloc}", honoured)
        if note is not None:
            logger.warning("Crawl-delay %r of %s %s", note.asked, netloc, note.reason)
            self.stats.inc_value("tremplin/crawl_delay/not_honoured")
            self.notes[netloc] = note
            while len(self.notes) > self.parsers.size:
                self.notes.popitem(last=False)

    # --- the host's parser ----------------------------------------------------------------

    async def robot_parser(self, request: Request) -> Parser:
        """Return the parser of the request's host, fetching its robots.txt first if needed."""
        url = urlparse_cached(request)
        netloc = url.netloc
        if netloc in self.parsers:
            return self.parsers.get(netloc)
        if netloc in self.waiting:
            waiter: Deferred = Deferred()
            self.waiting[netloc].append(waiter)
            return await maybe_deferred_to_future(waiter)
        # Not asked by the scheduler (another scheduler, or a parser dropped from the cache).
        self.waiting[netloc] = []
        robots_request = self._robots_request(f"{url.scheme}://{netloc}/robots.txt", netloc)
        try:
            await self.crawler.engine.download_async(robots_request)
        except IgnoreRequest:
            pass  # settled by process_response or process_exception
        except BaseException:
            # Cancelled (the crawl is stopping): the waiting requests are not let through unchecked.
            for waiter in self.waiting.pop(netloc, []):
                waiter.errback(IgnoreRequest("robots.txt fetch cancelled"))
            raise
        if netloc in self.waiting:  # a redirect the engine followed past this middleware
            self._settle(netloc, None)
        return self.parsers.get(netloc) if netloc in self.parsers else None


def _is_number(text: str) -> bool:
    try:
        return float(text) >= 0
    except ValueError:
        return False
