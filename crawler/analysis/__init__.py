"""What a finished run adds to the database as a whole: community groups and trust flags on counts.

:func:`analyse_run` is called once at the end of every run (the store pipeline's close): it
rewrites ``community_groups`` (:mod:`.groups`) and ``count_flags`` (:mod:`.trust`) from the
latest state, in one transaction. The computations themselves are pure functions; on a crawl's
database they read it as they go (groups through SQL, flags one community at a time), so the
memory they take does not grow with the number of communities.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import islice
from typing import Any

import sqlite_utils

from crawler.analysis.groups import compute_groups, groups_in_database
from crawler.analysis.trust import compute_flags, stream_flags

__all__ = ["analyse_run", "compute_flags", "compute_groups"]

GROUP_COLUMNS = ("community_id", "group_id", "group_name", "sites", "is_primary", "reasons")
FLAG_COLUMNS = ("community_id", "metric", "flag", "reason", "value", "observed_at", "run_id")
# Rows written per executemany: enough to amortise the call, few enough to hold.
INSERT_BATCH = 1000


def analyse_run(db: sqlite_utils.Database, run_id: str | None = None) -> dict[str, int]:
    """Recompute community groups and count flags; return how many rows each table now holds."""
    groups = groups_in_database(db.conn)
    run_order = [row[0] for row in db.execute("SELECT id FROM runs ORDER BY started_at, id")]
    newest = db.execute("SELECT max(observed_at) FROM observations").fetchone()[0]
    with db.atomic():
        db.execute("DELETE FROM community_groups")
        db.execute("DELETE FROM count_flags")
        written_groups = _insert(db, "community_groups", GROUP_COLUMNS, groups, run_id)
        flags = stream_flags(_latest_observations(db), run_order, newest)
        written_flags = _insert(db, "count_flags", FLAG_COLUMNS, flags, run_id)
    return {"community_groups": written_groups, "count_flags": written_flags}


def _latest_observations(db: sqlite_utils.Database) -> Iterator[dict[str, Any]]:
    """The two newest observations of every (community, metric), grouped by community.

    Each pair is found through the (community_id, metric, observed_at) index instead of ranking
    the whole history; SQLite sorts on its temporary storage, rows reach Python one at a time.
    """
    return db.query(
        """
        SELECT community_id, metric, value, run_id, observed_at, rule, approximate,
          row_number() OVER (PARTITION BY community_id, metric ORDER BY observed_at DESC, run_id DESC) AS rank
        FROM (
          SELECT o.* FROM (SELECT DISTINCT community_id, metric FROM observations) k
          JOIN communities c ON c.id = k.community_id AND c.status NOT IN ('moved', 'alias')
          JOIN observations o ON o.rowid IN (
            SELECT rowid FROM observations
            WHERE community_id = k.community_id AND metric = k.metric
            ORDER BY observed_at DESC, run_id DESC LIMIT 2)
        )
        ORDER BY community_id
        """
    )


def _insert(
    db: sqlite_utils.Database, table: str, columns: tuple[str, ...], rows: Iterable[dict[str, Any]], run_id: str | None
) -> int:
    """Insert ``rows`` (with ``computed_run_id``) in batches; return how many were written."""
    statement = (
        f"INSERT INTO {table} ({', '.join(columns)}, computed_run_id) VALUES ({', '.join('?' * (len(columns) + 1))})"
    )
    rows = iter(rows)
    written = 0
    while batch := [[*(row[column] for column in columns), run_id] for row in islice(rows, INSERT_BATCH)]:
        db.conn.executemany(statement, batch)
        written += len(batch)
    return written
