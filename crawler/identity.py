"""One community per site, whatever the spelling of its URL."""

from __future__ import annotations

import posixpath
from urllib.parse import urlsplit

# Script names that address a site's front page, not a separate community.
_INDEX_FILES = {"index.php", "index.html", "index.htm", "forum.php", "default.aspx", "portal.php"}


class InvalidUrlError(ValueError):
    """The text is not an absolute http(s) URL."""


def check_url(url: str) -> str:
    """Return ``url`` stripped, or raise :class:`InvalidUrlError` when it is not an absolute http(s) URL."""
    url = (url or "").strip()
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a malformed port
    except ValueError as exc:
        raise InvalidUrlError(f"not a valid URL: {url!r}") from exc
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise InvalidUrlError(f"not an absolute http(s) URL: {url!r}")
    return url


def site_key(url: str) -> str:
    """Return the stable community id of a site URL.

    ``http://www.Example.org:80/forum/index.php?sid=1`` and ``https://example.org/forum/`` are both
    ``example.org/forum``: scheme, ``www.``, default ports, index scripts, queries and trailing
    slashes do not make another community.
    """
    parts = urlsplit(check_url(url))
    host = (parts.hostname or "").lower().rstrip(".")
    if host.startswith("www."):
        host = host[4:]
    port = parts.port
    if port and port not in (80, 443):
        host = f"{host}:{port}"
    path = parts.path or "/"
    if posixpath.basename(path).lower() in _INDEX_FILES:
        path = posixpath.dirname(path)
    path = path.rstrip("/")
    return f"{host}{path}"
