"""Politeness Scrapy does not provide: robots.txt ``Crawl-delay`` and HTTP ``Retry-After``.

- :class:`CrawlDelayMiddleware` reads ``Crawl-delay`` from every robots.txt the crawl fetches and
  makes it the floor of that site's download delay (AutoThrottle may slow down, never speed up).
- :class:`RetryAfterMiddleware` honours ``Retry-After`` on 429 and 503: a short wait is spent on the
  same site before one retry; a long one ends the visit and is recorded so that the next run
  comes back no earlier than the site asked.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit

from protego import Protego
from scrapy import Request
from scrapy.http import Response

logger = logging.getLogger(__name__)

RETRY_AFTER_KEY = "tremplin_retry_after"


def parse_retry_after(value: str | bytes | None, now: datetime | None = None) -> int | None:
    """Return the seconds a ``Retry-After`` header asks to wait (delta-seconds or an HTTP date)."""
    if value is None:
        return None
    text = value.decode("latin-1") if isinstance(value, bytes) else value
    text = text.strip()
    if text.isdigit():
        return min(int(text), 10**9)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0, int((when - (now or datetime.now(UTC))).total_seconds()))


def _slot(crawler, request: Request):
    downloader = crawler.engine.downloader
    return downloader.slots.get(downloader.get_slot_key(request))


class CrawlDelayMiddleware:
    """Downloader middleware applying robots.txt ``Crawl-delay`` to the site's download slot."""

    def __init__(self, crawler) -> None:
        self.crawler = crawler
        settings = crawler.settings
        self.user_agent = settings.get("ROBOTSTXT_USER_AGENT") or settings.get("USER_AGENT")
        self.max_delay = settings.getfloat("TREMPLIN_MAX_CRAWL_DELAY", 60)
        self.delays: dict[str, float] = {}

    @classmethod
    def from_crawler(cls, crawler) -> CrawlDelayMiddleware:
        """Build the middleware for one crawl."""
        return cls(crawler)

    def process_request(self, request: Request) -> None:
        """Keep AutoThrottle from lowering a delay the site asked for."""
        if urlsplit(request.url).netloc in self.delays:
            request.meta["autothrottle_dont_adjust_delay"] = True
            slot = _slot(self.crawler, request)
            if slot is not None:
                slot.delay = max(slot.delay, self.delays[urlsplit(request.url).netloc])

    def process_response(self, request: Request, response: Response) -> Response:
        """Read ``Crawl-delay`` from a robots.txt response."""
        parts = urlsplit(response.url)
        if parts.path != "/robots.txt" or response.status != 200:
            return response
        try:
            delay = Protego.parse(response.body.decode("utf-8", "replace")).crawl_delay(self.user_agent)
        except Exception:  # noqa: BLE001 - an unparsable robots.txt has no delay to honour
            return response
        if not delay:
            return response
        delay = min(float(delay), self.max_delay)
        self.delays[parts.netloc] = delay
        self.crawler.stats.set_value(f"tremplin/crawl_delay/{parts.netloc}", delay)
        slot = _slot(self.crawler, request)
        if slot is not None:
            slot.delay = max(slot.delay, delay)
        return response


class RetryAfterMiddleware:
    """Downloader middleware honouring ``Retry-After`` on 429 and 503 responses."""

    def __init__(self, crawler) -> None:
        self.crawler = crawler
        self.max_wait = crawler.settings.getfloat("TREMPLIN_MAX_RETRY_AFTER", 60)

    @classmethod
    def from_crawler(cls, crawler) -> RetryAfterMiddleware:
        """Build the middleware for one crawl."""
        return cls(crawler)

    def process_response(self, request: Request, response: Response) -> Request | Response:
        """Wait and retry once when the site asks for a short pause; give up politely otherwise."""
        if response.status not in (429, 503):
            return response
        wait = parse_retry_after(response.headers.get(b"Retry-After"))
        if wait is None:
            return response
        request.meta[RETRY_AFTER_KEY] = wait
        # Never hammer a site that asked for a pause: Scrapy's own retry would ask again at once.
        request.meta["dont_retry"] = True
        if wait > self.max_wait or request.meta.get("tremplin_retried_after"):
            self.crawler.stats.inc_value("tremplin/retry_after/deferred")
            return response
        slot = _slot(self.crawler, request)
        if slot is not None:
            slot.delay = max(slot.delay, float(wait))
        self.crawler.stats.inc_value("tremplin/retry_after/waited")
        retry = request.replace(dont_filter=True)
        retry.meta["tremplin_retried_after"] = True
        retry.meta.pop("dont_retry", None)
        return retry
