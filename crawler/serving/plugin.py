"""The Datasette plugin of the serving side: an ``asgi_wrapper`` hook putting ``CachedCopy`` around the site.

Registered by ``register()`` in the processes that serve (each worker of ``tremplin serve``), not
through an entry point, so a plain ``datasette`` in the same environment stays plain. It wraps only
the Datasette instances handed to ``attach`` (looked up at request time: Datasette builds its
internal client's app while it is constructed, before a copy can be attached).
"""

from __future__ import annotations

import sys
import weakref

from datasette import hookimpl
from datasette.plugins import pm

from crawler.serving.cache import ASGIApp, CachedCopy, PageCache, Receive, Scope, Send
from crawler.serving.copy_state import PublishedCopy

PLUGIN_NAME = __name__  # how /-/plugins lists it
# Per worker: rendered pages kept in memory, and the largest page kept.
PAGE_CACHE_BYTES = 64 * 1024 * 1024
PAGE_CACHE_ENTRY_BYTES = 2 * 1024 * 1024

_attached: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def attach(datasette, copy: PublishedCopy, page_cache_bytes: int = PAGE_CACHE_BYTES) -> None:
    """Serve ``datasette`` as the immutable ``copy``: its inspect data, its validators, a page cache."""
    datasette.inspect_data = copy.inspect_data()
    ttl = int(datasette.setting("default_cache_ttl"))
    cache = PageCache(max_bytes=page_cache_bytes, max_entry_bytes=PAGE_CACHE_ENTRY_BYTES, ttl=ttl)
    _attached[datasette] = (copy, cache, ttl)


def register() -> None:
    """Register this module's hooks with Datasette's plugin manager (once per process)."""
    if pm.get_plugin(PLUGIN_NAME) is None:
        pm.register(sys.modules[__name__], name=PLUGIN_NAME)


def unregister() -> None:
    """Undo ``register`` (tests)."""
    plugin = pm.get_plugin(PLUGIN_NAME)
    if plugin is not None:
        pm.unregister(plugin)


@hookimpl
def asgi_wrapper(datasette):
    def wrap(app: ASGIApp) -> ASGIApp:
        wrapped: dict[int, CachedCopy] = {}

        async def serve(scope: Scope, receive: Receive, send: Send) -> None:
            found = _attached.get(datasette)
            if found is None:
                await app(scope, receive, send)
                return
            copy, cache, ttl = found
            middleware = wrapped.get(id(cache))
            if middleware is None:
                middleware = wrapped[id(cache)] = CachedCopy(app, copy.etag, copy.last_modified, ttl, cache)
            await middleware(scope, receive, send)

        return serve

    return wrap
