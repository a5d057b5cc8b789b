"""robots.txt, obeyed with a bounded memory: Scrapy's rules, the parsers of recent sites only.

Scrapy's ``RobotsTxtMiddleware`` keeps the parser of every host it met until the crawl ends (in a
private dict, with no public way to expire one): a 100,000-site crawl holds 100,000 parsers, 1 to
40 KiB each, although a site is visited for a few minutes at most. :class:`RobotsTxtMiddleware` here
does what Scrapy's does, with the same settings, stats, log lines and ``robots_parsed`` signal:

- before the first request to a host (its ``netloc``), that host's ``/robots.txt`` is fetched once,
  at a high priority, by the engine (so every downloader middleware, the opt-out list and the site
  budget included, sees it), and the request waits for it; requests to the same host that arrive
  meanwhile wait for the same fetch;
- a request robots.txt disallows for ``ROBOTSTXT_USER_AGENT`` (else the request's ``User-Agent``,
  else ``USER_AGENT``) is dropped with ``IgnoreRequest("Forbidden by robots.txt")``;
- a robots.txt that cannot be fetched allows everything;
- ``dont_obey_robotstxt`` in a request's meta skips the check, ``data:`` and ``file:`` URLs too.

Only the last ``TREMPLIN_ROBOTSTXT_PARSERS`` hosts' parsers are kept (least recently used out).
A host whose parser was dropped and is asked again has its robots.txt fetched again, which is the
polite answer anyway: the bound is far above the number of sites a crawl visits at once.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from typing import Any

from scrapy import Request, signals
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import Response
from scrapy.http.request import NO_CALLBACK
from scrapy.robotstxt import RobotParser
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.httpobj import urlparse_cached
from scrapy.utils.misc import build_from_crawler, load_object
from twisted.internet.defer import Deferred

logger = logging.getLogger(__name__)

DEFAULT_MAX_PARSERS = 1024


class ParserCache:
    """The robots.txt parsers of the ``size`` most recently used hosts (``None``: allow all)."""

    def __init__(self, size: int) -> None:
        if size < 1:
            raise ValueError("the robots.txt parser cache needs room for at least one host")
        self.size = size
        self._parsers: OrderedDict[str, RobotParser | None] = OrderedDict()

    def __contains__(self, netloc: str) -> bool:
        return netloc in self._parsers

    def __len__(self) -> int:
        return len(self._parsers)

    def get(self, netloc: str) -> RobotParser | None:
        """Return the host's parser and mark it as just used (``KeyError`` when not kept)."""
        parser = self._parsers[netloc]
        self._parsers.move_to_end(netloc)
        return parser

    def put(self, netloc: str, parser: RobotParser | None) -> None:
        """Keep ``parser`` for the host, dropping the least recently used host beyond the bound."""
        self._parsers[netloc] = parser
        self._parsers.move_to_end(netloc)
        while len(self._parsers) > self.size:
            self._parsers.popitem(last=False)


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
        # Hosts whose robots.txt is being fetched -> the requests waiting for it.
        self.waiting: dict[str, list[Deferred]] = {}
        # Fail at start, not on the first response, when the parser's dependencies are missing.
        build_from_crawler(self.parser_class, crawler, b"")

    @classmethod
    def from_crawler(cls, crawler: Any) -> RobotsTxtMiddleware:
        """Build the middleware for one crawl (``NotConfigured`` unless ``ROBOTSTXT_OBEY``)."""
        return cls(crawler)

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
            raise IgnoreRequest("Forbidden by robots.txt")

    async def robot_parser(self, request: Request) -> RobotParser | None:
        """Return the parser of the request's host, fetching its robots.txt first if needed."""
        url = urlparse_cached(request)
        netloc = url.netloc
        if netloc in self.parsers:
            return self.parsers.get(netloc)
        if netloc in self.waiting:
            waiter: Deferred = Deferred()
            self.waiting[netloc].append(waiter)
            return await maybe_deferred_to_future(waiter)
        self.waiting[netloc] = []
        try:
            parser = await self._fetch(f"{url.scheme}://{netloc}/robots.txt", request)
        except BaseException:
            # Cancelled (the crawl is stopping): the waiting requests are not let through unchecked.
            for waiter in self.waiting.pop(netloc):
                waiter.errback(IgnoreRequest("robots.txt fetch cancelled"))
            raise
        self.stats.inc_value("robotstxt/request_count")
        self.parsers.put(netloc, parser)
        for waiter in self.waiting.pop(netloc):
            waiter.callback(parser)
        return parser

    async def _fetch(self, robots_url: str, request: Request) -> RobotParser | None:
        """Download and parse one robots.txt; ``None`` (allow all) when it cannot be fetched."""
        robots_request = Request(
            robots_url, priority=self.DOWNLOAD_PRIORITY, meta={"dont_obey_robotstxt": True}, callback=NO_CALLBACK
        )
        try:
            response: Response = await self.crawler.engine.download_async(robots_request)
            self.stats.inc_value("robotstxt/response_count")
            self.stats.inc_value(f"robotstxt/response_status_count/{response.status}")
            parser = build_from_crawler(self.parser_class, self.crawler, response.body)
            await self.crawler.signals.send_catch_log_async(
                signal=signals.robots_parsed, robotparser=parser, request=request
            )
        except Exception as exc:  # noqa: BLE001 - as in Scrapy: a robots.txt that cannot be had allows all
            if not isinstance(exc, IgnoreRequest):
                logger.error(
                    "Error downloading %(request)s: %(f_exception)s",
                    {"request": request, "f_exception": exc},
                    exc_info=True,
                    extra={"spider": self.crawler.spider},
                )
                self.stats.inc_value(f"robotstxt/exception_count/{type(exc)}")
            return None
        return parser
