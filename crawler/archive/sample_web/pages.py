"""Helpers every renderer shares: escaping, number and date formats, stable tokens, response builders.

Nothing here reads the clock or the process locale, so the archive is the same on every machine.
"""

from __future__ import annotations

import hashlib
import html
import json
import unicodedata
from datetime import UTC, datetime
from typing import Any

from crawler.archive.sample_web.model import HTML_UTF8, JSON_UTF8, Page

EN_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
             "November", "December")  # fmt: skip


def esc(value: object) -> str:
    """Escape text for HTML content and attributes."""
    return html.escape(str(value), quote=True)


def iso_z(moment: datetime, millis: bool = False) -> str:
    """Format a UTC time the way JSON APIs do (``...Z``)."""
    text = moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S")
    return f"{text}.000Z" if millis else f"{text}Z"


def fmt(number: int, style: str) -> str:
    """Format a count as the site prints it: digit grouping depends on locale and software."""
    if style == "plain":
        return str(number)
    if style == "million":
        return f"{number // 1_000_000} million"
    separator = {"en": ",", "de": ".", "fr": "\u202f", "fr_nbsp": "\u00a0", "space": " "}[style]
    return f"{number:,}".replace(",", separator)


def token(*parts: object, length: int = 32) -> str:
    """Return a stable pseudo-random hex string (session ids, hashes) derived from ``parts``."""
    return hashlib.sha1("|".join(map(str, parts)).encode()).hexdigest()[:length]


def to_json(data: Any) -> bytes:
    """Serialise compactly, as the real APIs do."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def json_page(data: Any, content_type: str = JSON_UTF8) -> Page:
    """Return a JSON response."""
    return Page(to_json(data), content_type)


def html_page(text: str, status: int = 200, extra_headers: tuple[tuple[str, str], ...] = ()) -> Page:
    """Return an HTML response encoded as UTF-8."""
    return Page(text.encode("utf-8"), HTML_UTF8, status, extra_headers)


def en_date(moment: datetime, long: bool = False) -> str:
    """Format ``01 May 2026`` (or ``May 1, 2026``) without relying on the process locale."""
    month = EN_MONTHS[moment.month - 1]
    return f"{month} {moment.day}, {moment.year}" if long else f"{moment.day:02d} {month[:3]} {moment.year}"


def slug(title: str) -> str:
    """Return a URL slug the way forum software makes one (accents dropped, words joined by '-')."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode().lower()
    return "-".join("".join(ch if ch.isalnum() else " " for ch in ascii_title).split()) or "topic"
