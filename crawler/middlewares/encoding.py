"""Responses every reader can search for byte markers: UTF-16 and UTF-32 pages re-encoded as UTF-8.

Adapters look for their platform's markers in the raw bytes (``b"phpbb"``), which a UTF-16 body
hides. :class:`AsciiCompatibleMiddleware` (a downloader middleware) hands the spider such a page
re-encoded as UTF-8, with the same text; every other response passes unchanged.
"""

from __future__ import annotations

from scrapy import Request
from scrapy.http import Response, TextResponse


def ascii_compatible(response: Response) -> Response:
    """Return a UTF-16 or UTF-32 page re-encoded as UTF-8 (same text); any other response as it is."""
    if not isinstance(response, TextResponse):
        return response
    encoding = response.encoding.lower().replace("_", "-")
    if encoding.startswith(("utf-16", "utf-32")):
        return response.replace(body=response.text.encode("utf-8"), encoding="utf-8")
    return response


class AsciiCompatibleMiddleware:
    """Downloader middleware re-encoding UTF-16 and UTF-32 responses as UTF-8."""

    def process_response(self, request: Request, response: Response) -> Response:
        """Return the response the spider should read."""
        return ascii_compatible(response)
