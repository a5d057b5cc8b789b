"""Pages of an immutable copy, cached: validators a proxy can use, and a bounded in-worker page cache.

Every page of a published copy depends only on the copy (and the site's files), so a successful
GET carries ``Cache-Control: public, max-age=…``, the copy's ``ETag`` and ``Last-Modified``; a
request whose ``If-None-Match`` names the current copy is answered 304 without rendering anything.
Each worker also keeps the bodies it rendered in a small LRU, so a page fifty people open at once
is rendered once per worker per ``max-age``, not fifty times.

Never cached nor marked public: anything but a 200 answer to GET or HEAD, answers that set a cookie
or that Datasette marked ``no-cache``/``no-store`` (``?_ttl=0``, CSRF cookies), requests carrying
credentials (``Authorization`` or a ``ds_actor`` cookie), bodies over the entry limit.
"""

from __future__ import annotations

import asyncio
import re
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass, field
from email.utils import formatdate
from typing import Any

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

# Headers this middleware sets on a cacheable answer, in place of Datasette's.
_REPLACED_HEADERS = (b"cache-control", b"etag", b"last-modified")
# Headers a 304 repeats from the 200 it stands for (RFC 9110, 15.4.5).
_VALIDATOR_HEADERS = (*_REPLACED_HEADERS, b"vary")
_MAX_AGE = re.compile(rb"max-age=(\d+)")
# The state of a response: a cached one goes out as it came, with one more header saying so.
CACHE_STATUS = b"x-tremplin-cache"


@dataclass
class _Entry:
    status: int
    headers: list[tuple[bytes, bytes]]
    body: bytes
    expires: float


@dataclass
class PageCache:
    """A least-recently-used map of rendered pages, bounded in bytes, entries living ``ttl`` seconds."""

    max_bytes: int
    max_entry_bytes: int
    ttl: float
    _entries: OrderedDict[bytes, _Entry] = field(default_factory=OrderedDict)
    _bytes: int = 0

    def get(self, key: bytes, now: float) -> _Entry | None:
        entry = self._entries.get(key)
        if entry is None:
            return None
        if entry.expires <= now:
            self._drop(key)
            return None
        self._entries.move_to_end(key)
        return entry

    def put(self, key: bytes, entry: _Entry) -> None:
        size = len(entry.body) + len(key)
        if size > self.max_entry_bytes or self.max_bytes <= 0:
            return
        if key in self._entries:
            self._drop(key)
        self._entries[key] = entry
        self._bytes += size
        while self._bytes > self.max_bytes:
            self._drop(next(iter(self._entries)))

    def _drop(self, key: bytes) -> None:
        entry = self._entries.pop(key)
        self._bytes -= len(entry.body) + len(key)

    def __len__(self) -> int:
        return len(self._entries)


def _header(headers: list[tuple[bytes, bytes]], name: bytes) -> bytes | None:
    for key, value in headers:
        if key.lower() == name:
            return value
    return None


def _has_credentials(headers: list[tuple[bytes, bytes]]) -> bool:
    if _header(headers, b"authorization") is not None:
        return True
    cookie = _header(headers, b"cookie") or b""
    return b"ds_actor=" in cookie


def _etag_matches(if_none_match: bytes, etag: bytes) -> bool:
    """True when an ``If-None-Match`` value names ``etag`` (weak comparison, RFC 9110 13.1.2)."""
    for candidate in if_none_match.split(b","):
        candidate = candidate.strip()
        if candidate == b"*" or candidate.removeprefix(b"W/") == etag:
            return True
    return False


class CachedCopy:
    """ASGI middleware around Datasette serving one immutable copy (see the module docstring)."""

    def __init__(self, app: ASGIApp, etag: str, last_modified: float, max_age: int, cache: PageCache) -> None:
        self.app = app
        self.etag = etag.encode("ascii")
        self.last_modified = formatdate(last_modified, usegmt=True).encode("ascii")
        self.max_age = max_age
        self.cache = cache
        self._rendering: dict[bytes, asyncio.Event] = {}

    def _max_age(self, headers: list[tuple[bytes, bytes]]) -> int:
        """Datasette's own max-age when it set one (``?_ttl=N``), else the site's."""
        found = _MAX_AGE.search(_header(headers, b"cache-control") or b"")
        return int(found.group(1)) if found else self.max_age

    def _validators(self, max_age: int) -> list[tuple[bytes, bytes]]:
        control = f"public, max-age={max_age}".encode("ascii")
        return [(b"cache-control", control), (b"etag", self.etag), (b"last-modified", self.last_modified)]

    def _cacheable(self, status: int, headers: list[tuple[bytes, bytes]]) -> bool:
        if status != 200 or _header(headers, b"set-cookie") is not None:
            return False
        control = (_header(headers, b"cache-control") or b"").lower()
        return b"no-cache" not in control and b"no-store" not in control and b"private" not in control

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in ("GET", "HEAD"):
            await self.app(scope, receive, send)
            return
        request_headers = scope.get("headers") or []
        if _has_credentials(request_headers):
            await self.app(scope, receive, send)
            return
        if_none_match = _header(request_headers, b"if-none-match")
        key = scope.get("raw_path") or scope["path"].encode("utf-8")
        key = key + b"?" + scope.get("query_string", b"")
        entry = self.cache.get(key, time.monotonic())
        if entry is None and key in self._rendering:
            # The same page is being rendered for someone else: wait for it rather than render it twice.
            await self._rendering[key].wait()
            entry = self.cache.get(key, time.monotonic())
        if entry is not None:
            await self._send_entry(entry, scope, if_none_match, send)
            return
        if key in self._rendering:  # waited, and that answer was not one to keep
            await self._render(scope, receive, send, key, if_none_match)
            return
        done = self._rendering[key] = asyncio.Event()
        try:
            await self._render(scope, receive, send, key, if_none_match)
        finally:
            del self._rendering[key]
            done.set()

    async def _send_entry(self, entry: _Entry, scope: Scope, if_none_match: bytes | None, send: Send) -> None:
        if if_none_match is not None and _etag_matches(if_none_match, self.etag):
            await self._not_modified(entry.headers, send)
            return
        await send({"type": "http.response.start", "status": entry.status,
                    "headers": [*entry.headers, (CACHE_STATUS, b"hit")]})  # fmt: skip
        await send({"type": "http.response.body", "body": b"" if scope["method"] == "HEAD" else entry.body})

    async def _not_modified(self, headers: list[tuple[bytes, bytes]], send: Send) -> None:
        kept = [(k, v) for k, v in headers if k.lower() in _VALIDATOR_HEADERS]
        await send({"type": "http.response.start", "status": 304, "headers": kept})
        await send({"type": "http.response.body", "body": b""})

    async def _render(
        self, scope: Scope, receive: Receive, send: Send, key: bytes, if_none_match: bytes | None
    ) -> None:
        """Run Datasette, mark a cacheable answer and keep its body; a 304 when the client has it."""
        now = time.monotonic()
        state: dict[str, Any] = {"keep": False, "body": [], "size": 0, "swallow": False}

        async def send_marked(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", [])]
                if self._cacheable(message["status"], headers):
                    max_age = state["max_age"] = self._max_age(headers)
                    headers = [(k, v) for k, v in headers if k.lower() not in _REPLACED_HEADERS]
                    headers += self._validators(max_age)
                    state["keep"] = scope["method"] == "GET" and max_age > 0
                    state["status"], state["headers"] = message["status"], headers
                    if if_none_match is not None and _etag_matches(if_none_match, self.etag):
                        state["swallow"] = True  # the body is still rendered once, and kept
                        await self._not_modified(headers, send)
                        return
                    headers = [*headers, (CACHE_STATUS, b"miss")]
                message = {**message, "headers": headers}
            elif message["type"] == "http.response.body" and state["keep"]:
                chunk = message.get("body", b"")
                state["size"] += len(chunk)
                if state["size"] > self.cache.max_entry_bytes:
                    state["keep"], state["body"] = False, []
                else:
                    state["body"].append(chunk)
                if not message.get("more_body", False) and state["keep"]:
                    self.cache.put(
                        key,
                        _Entry(
                            state["status"],
                            state["headers"],
                            b"".join(state["body"]),
                            now + min(self.cache.ttl, state["max_age"]),
                        ),
                    )
            if not state["swallow"]:
                await send(message)

        await self.app(scope, receive, send_marked)
