"""Read WARC archives for replay: an index of captures per URL, and one capture read on demand."""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from w3lib.url import canonicalize_url
from warcio.archiveiterator import ArchiveIterator

# Hop-by-hop and encoding headers describe the wire form; the replayed body is already decoded.
_DROPPED_HEADERS = {"content-encoding", "transfer-encoding", "content-length", "connection"}


@dataclass(frozen=True)
class Capture:
    """One archived response: where it is in the file and when it was captured."""

    url: str
    date: str  # WARC-Date, UTC ISO 8601
    offset: int


@dataclass(frozen=True)
class ReplayedResponse:
    """The decoded parts of one archived HTTP response."""

    url: str
    date: str
    status: int
    headers: list[tuple[str, str]]
    body: bytes


def url_key(url: str) -> str:
    """Return the lookup key of a URL: canonical form, so parameter order and escaping do not matter."""
    return canonicalize_url(url, keep_fragments=False)


def normalise_warc_date(value: str) -> str:
    """Return a WARC-Date as UTC ISO 8601 with an explicit ``+00:00`` offset."""
    parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC).isoformat(timespec="seconds")


class WarcArchive:
    """An index of the response records of a WARC file, read lazily by offset."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        if not self.path.is_file():
            raise FileNotFoundError(f"replay archive not found: {self.path}")
        self._captures: dict[str, list[Capture]] = {}
        with self.path.open("rb") as stream:
            records = ArchiveIterator(stream)
            for record in records:
                if record.rec_type != "response":
                    continue
                url = record.rec_headers.get_header("WARC-Target-URI")
                date = record.rec_headers.get_header("WARC-Date")
                if not url or not date:
                    continue
                capture = Capture(url, normalise_warc_date(date), records.get_record_offset())
                self._captures.setdefault(url_key(url), []).append(capture)
        for captures in self._captures.values():
            captures.sort(key=lambda c: c.date)

    def __len__(self) -> int:
        return sum(len(c) for c in self._captures.values())

    def capture_dates(self) -> list[str]:
        """Return every distinct capture date, oldest first."""
        return sorted({c.date for captures in self._captures.values() for c in captures})

    def find(self, url: str, at: str | None = None) -> Capture | None:
        """Return the newest capture of ``url`` taken at or before ``at`` (the newest of all by default)."""
        captures = self._captures.get(url_key(url))
        if not captures:
            return None
        if at is None:
            return captures[-1]
        limit = normalise_warc_date(at)
        index = bisect.bisect_right([c.date for c in captures], limit)
        return captures[index - 1] if index else None

    def read(self, capture: Capture) -> ReplayedResponse:
        """Read and decode the HTTP response stored at ``capture``."""
        with self.path.open("rb") as stream:
            stream.seek(capture.offset)
            record = next(iter(ArchiveIterator(stream)))
            status_line = record.http_headers.get_statuscode() if record.http_headers else "200"
            headers = [
                (name, value)
                for name, value in (record.http_headers.headers if record.http_headers else [])
                if name.lower() not in _DROPPED_HEADERS
            ]
            body = record.content_stream().read()
        return ReplayedResponse(capture.url, capture.date, int(status_line or 200), headers, body)
