"""Write every downloaded response to a WARC file (``tremplin crawl --record ARCHIVE.warc.gz``).

Hooked on ``response_downloaded``, which fires before any middleware decodes the body, so records
keep the headers and (compressed) body as the server sent them. Replayed responses are not
re-recorded. Only the pages Tremplin reads (homepages and statistics endpoints) are ever
requested, which keeps the archive within the project's data-minimisation rule.
"""

from __future__ import annotations

import io
from datetime import UTC, datetime
from pathlib import Path

from scrapy import signals
from scrapy.exceptions import NotConfigured
from scrapy.http import Response
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from crawler import __version__


class WarcRecorder:
    """Extension appending one WARC/1.1 response record per downloaded response."""

    def __init__(self, path: Path, user_agent: str) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.stream = path.open("ab")
        self.writer = WARCWriter(self.stream, gzip=True, warc_version="1.1")
        info = self.writer.create_warcinfo_record(
            path.name,
            {
                "software": f"tremplin/{__version__}",
                "http-header-user-agent": user_agent,
                "robots": "obey",
                "format": "WARC File Format 1.1",
            },
        )
        self.writer.write_record(info)
        self.count = 0

    @classmethod
    def from_crawler(cls, crawler) -> WarcRecorder:
        """Enable the recorder only when ``TREMPLIN_RECORD`` names a file."""
        target = crawler.settings.get("TREMPLIN_RECORD")
        if not target:
            raise NotConfigured
        recorder = cls(Path(target), crawler.settings.get("USER_AGENT", ""))
        crawler.signals.connect(recorder.response_downloaded, signal=signals.response_downloaded)
        crawler.signals.connect(recorder.spider_closed, signal=signals.spider_closed)
        return recorder

    def response_downloaded(self, response: Response, request, spider) -> None:
        """Append ``response`` to the archive."""
        if "replay" in response.flags or "replay-miss" in response.flags:
            return
        headers = [
            (name.decode("latin-1"), value.decode("latin-1"))
            for name, values in response.headers.items()
            for value in values
        ]
        status = f"{response.status} {_reason(response.status)}"
        http_headers = StatusAndHeaders(status, headers, protocol="HTTP/1.1")
        record = self.writer.create_warc_record(
            response.url,
            "response",
            payload=io.BytesIO(response.body),
            http_headers=http_headers,
            warc_headers_dict={
                "WARC-Date": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
                **({"WARC-IP-Address": str(response.ip_address)} if response.ip_address else {}),
            },
        )
        self.writer.write_record(record)
        self.count += 1

    def spider_closed(self, spider) -> None:
        """Flush and close the archive."""
        self.stream.close()


def _reason(status: int) -> str:
    from http import HTTPStatus

    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Unknown"
