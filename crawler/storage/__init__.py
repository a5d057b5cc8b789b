"""The SQLite database: declared schema, migrations, and the writes a crawl makes.

Tables follow ``docs/data-model.md``: ``communities`` (latest state, one row per site), ``observations``
(append-only history, one row per metric per run), ``evidence`` (the same for non-metric values),
``runs``, ``fetch_errors`` and ``links``. Every write is idempotent by primary key, so a resumed or
repeated run never duplicates a row.

- :mod:`.schema`: the migrations (sqlite-utils) and :func:`open_database`;
- :mod:`.writes`: runs, the batched writes of a crawl's items, links, canaries;
- :mod:`.reads`: what the scheduler asks before a crawl (sites not due, known sites due).
"""

from crawler.storage.reads import known_sites_due, sites_not_due
from crawler.storage.schema import DatabaseRefusedError, check_database, migrations, open_database
from crawler.storage.writes import finish_run, resolve_links, set_canaries, start_run, store_batch

__all__ = [
    "DatabaseRefusedError",
    "check_database",
    "finish_run",
    "known_sites_due",
    "migrations",
    "open_database",
    "resolve_links",
    "set_canaries",
    "sites_not_due",
    "start_run",
    "store_batch",
]
