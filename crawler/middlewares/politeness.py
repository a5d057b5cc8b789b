"""Politeness Scrapy does not provide: HTTP ``Retry-After`` (robots.txt ``Crawl-delay`` is read by
:mod:`crawler.middlewares.robots`; both end up in the site's clock in :mod:`crawler.frontier`).

:class:`RetryAfterMiddleware` honours ``Retry-After`` on 429 and 503: a short wait is spent on the
same site before one retry (the frontier sends nothing to the site before it has passed); a long
one ends the visit and is recorded so that the next run comes back no earlier than the site asked.
"""

from __future__ import annotations

import logging

from scrapy import Request
from scrapy.http import Response
from scrapy.utils.httpobj import urlparse_cached

from crawler.frontier.frontier import Frontier
from crawler.schedule import parse_retry_after  # both forms, clamped where read

__all__ = ["RETRY_AFTER_KEY", "RetryAfterMiddleware", "parse_retry_after"]

logger = logging.getLogger(__name__)

RETRY_AFTER_KEY = "tremplin_retry_after"


class RetryAfterMiddleware:
    """Downloader middleware honouring ``Retry-After`` on 429 and 503 responses."""

    def __init__(self, crawler) -> None:
        self.crawler = crawler
        self.max_wait = crawler.settings.getfloat("TREMPLIN_MAX_RETRY_AFTER", 60)
        self.frontier = Frontier.of(crawler)

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
        self.frontier.postpone(urlparse_cached(request).hostname or "", float(wait))
        self.crawler.stats.inc_value("tremplin/retry_after/waited")
        retry = request.replace(dont_filter=True)
        retry.meta["tremplin_retried_after"] = True
        retry.meta.pop("dont_retry", None)
        return retry
