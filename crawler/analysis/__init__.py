"""What a finished run adds to the database as a whole: community groups and trust flags on counts.

:func:`analyse_run` is called once at the end of every run (the store pipeline's close): it
rewrites ``community_groups`` (:mod:`.groups`) and ``count_flags`` (:mod:`.trust`) from the
latest state, in one transaction. The computations themselves are pure functions.
"""

from __future__ import annotations

import sqlite_utils

from crawler.analysis.groups import compute_groups
from crawler.analysis.trust import compute_flags

__all__ = ["analyse_run", "compute_flags", "compute_groups"]


def analyse_run(db: sqlite_utils.Database, run_id: str | None = None) -> dict[str, int]:
    """Recompute community groups and count flags; return how many rows each table now holds."""
    sites = [
        dict(row)
        for row in db.query(
            "SELECT id, name, url, canonical_url, operator_name, members FROM communities WHERE status = 'alive'"
        )
    ]
    links = [
        (row["from_community_id"], row["to_community_id"], row["rule"])
        for row in db.query(
            "SELECT from_community_id, to_community_id, rule FROM links WHERE to_community_id IS NOT NULL"
        )
    ]
    groups = compute_groups(sites, links)
    # The two newest observations of every (community, metric), each found through the
    # (community_id, metric, observed_at) index instead of ranking the whole history.
    observations = db.query(
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
        """
    )
    run_order = [row[0] for row in db.execute("SELECT id FROM runs ORDER BY started_at, id")]
    newest = db.execute("SELECT max(observed_at) FROM observations").fetchone()[0]
    flags = compute_flags(observations, run_order, newest)
    with db.atomic():
        db.execute("DELETE FROM community_groups")
        db.execute("DELETE FROM count_flags")
        for table, rows in (("community_groups", groups), ("count_flags", flags)):
            if rows:
                columns = [*rows[0], "computed_run_id"]
                db.conn.executemany(
                    f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
                    [[*row.values(), run_id] for row in rows],
                )
    return {"community_groups": len(groups), "count_flags": len(flags)}
