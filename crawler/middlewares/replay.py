"""Serve every request from a WARC archive instead of the network (``tremplin crawl --replay``).

A URL missing from the archive answers 404, like a page the site does not have. Each replayed
response carries its capture date in ``meta["tremplin_capture_date"]`` so observations are dated
by when the page was archived, not by when it was replayed.
"""

from __future__ import annotations

from scrapy import Request
from scrapy.exceptions import NotConfigured
from scrapy.http import Response
from scrapy.responsetypes import responsetypes

from crawler.archive.warc import WarcArchive

CAPTURE_DATE_KEY = "tremplin_capture_date"


class WarcReplayMiddleware:
    """Downloader middleware answering requests from ``TREMPLIN_REPLAY`` (at ``TREMPLIN_REPLAY_AT``)."""

    def __init__(self, archive: WarcArchive, at: str | None, stats) -> None:
        self.archive = archive
        self.at = at
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler) -> WarcReplayMiddleware:
        """Enable the middleware only when a replay archive is set."""
        path = crawler.settings.get("TREMPLIN_REPLAY")
        if not path:
            raise NotConfigured
        return cls(WarcArchive(path), crawler.settings.get("TREMPLIN_REPLAY_AT"), crawler.stats)

    def process_request(self, request: Request) -> Response:
        """Answer from the archive; never let the request reach the network."""
        capture = self.archive.find(request.url, self.at)
        if capture is None:
            self.stats.inc_value("tremplin/replay/miss")
            return Response(
                url=request.url,
                status=404,
                body=b"",
                request=request,
                flags=["replay-miss"],
            )
        self.stats.inc_value("tremplin/replay/hit")
        replayed = self.archive.read(capture)
        request.meta[CAPTURE_DATE_KEY] = replayed.date
        headers = {}
        for name, value in replayed.headers:
            headers.setdefault(name, []).append(value)
        cls = responsetypes.from_args(headers=headers, url=request.url, body=replayed.body)
        return cls(
            url=request.url,
            status=replayed.status,
            headers=headers,
            body=replayed.body,
            request=request,
            flags=["replay"],
        )
