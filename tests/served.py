"""One in-process Datasette (and one event loop) per published copy, shared by a test session.

Building a Datasette for every request made the publishing tests spend most of their time in
start-up; the copies are immutable, so one instance per copy answers every test the same way.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from crawler.publish import make_datasette

_served: dict[Path, tuple] = {}


def serving(db_path: Path) -> tuple[asyncio.AbstractEventLoop, object]:
    """Return the event loop and the Datasette serving ``db_path`` (made on first use)."""
    if db_path not in _served:
        _served[db_path] = (asyncio.new_event_loop(), make_datasette(db_path))
    return _served[db_path]


def request(db_path: Path, *paths: str, method: str = "GET") -> list:
    """Ask the Datasette of ``db_path`` for each path; return the responses."""
    loop, ds = serving(db_path)

    async def scenario():
        return [await ds.client.request(method, path) for path in paths]

    return loop.run_until_complete(scenario())
