"""Facets whose counts are computed once per published copy and server process, then kept.

The communities table's five default facets cost about 0.5 s at 100,000 communities (the
languages array facet alone 0.16 s), on every table page. A published copy is immutable
(Datasette's immutable mode), so the same facet query always has the same answer: these facet
types (``cached_column``, ``cached_array`` in metadata.yml) are Datasette's own column and array
facets whose queries are answered from a bounded memory cache after their first run. Only
immutable databases are cached; a timed-out facet is not (it raises, and is retried next time).
Their first run may take the SQL time limit (3 s) instead of the facet limit (0.5 s): the first
table page a server process shows pays it once (0.6 s at 100,000 communities), the next ones do not.
"""

from __future__ import annotations

from collections import OrderedDict

from datasette import hookimpl
from datasette.facets import ArrayFacet, ColumnFacet

CACHE_ENTRIES = 512  # facet answers are a few dozen rows each
_cache: OrderedDict[tuple, object] = OrderedDict()


class _CachingDatasette:
    """A Datasette whose ``execute`` remembers the answers of immutable databases."""

    def __init__(self, datasette):
        self._datasette = datasette

    def __getattr__(self, name):
        return getattr(self._datasette, name)

    def setting(self, name):
        # A cached facet runs once per copy and process: it may take the SQL time limit, not the
        # facet one (the languages facet takes 0.5 s at 100,000 communities, the facet limit).
        if name == "facet_time_limit_ms":
            return self._datasette.setting("sql_time_limit_ms")
        return self._datasette.setting(name)

    async def execute(self, database, sql, params=None, **kwargs):
        key = (id(self._datasette), database, sql, repr(params), repr(sorted(kwargs.items())))
        if key in _cache:
            _cache.move_to_end(key)
            return _cache[key]
        result = await self._datasette.execute(database, sql, params, **kwargs)
        if not self._datasette.get_database(database).is_mutable:
            _cache[key] = result
            while len(_cache) > CACHE_ENTRIES:
                _cache.popitem(last=False)
        return result


class CachedColumnFacet(ColumnFacet):
    type = "cached_column"

    async def suggest(self):
        return []

    async def facet_results(self):
        self.ds = _CachingDatasette(self.ds)
        return await super().facet_results()


class CachedArrayFacet(ArrayFacet):
    type = "cached_array"

    async def suggest(self):
        return []

    async def facet_results(self):
        self.ds = _CachingDatasette(self.ds)
        return await super().facet_results()


@hookimpl
def register_facet_classes():
    return [CachedColumnFacet, CachedArrayFacet]
