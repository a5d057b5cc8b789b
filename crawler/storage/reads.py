"""What the scheduler reads before a crawl: sites not due yet, known sites due for a refresh."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import sqlite_utils


def sites_not_due(path: str | Path | None, now: str) -> set[str]:
    """Return the ids of sites not yet due for a visit at ``now`` (nothing when there is no database)."""
    if not path or not Path(path).is_file():
        return set()
    db = sqlite_utils.Database(path)
    try:
        tables = set(db.table_names())
        if "communities" not in tables or "next_due_at" not in db["communities"].columns_dict:
            return set()
        rows = db.execute("SELECT id FROM communities WHERE status = 'opted_out' OR next_due_at > ?", [now]).fetchall()
        ids = {row[0] for row in rows}
        if "candidates" in tables:
            ids |= {row[0] for row in db.execute("SELECT site_id FROM candidates WHERE next_due_at > ?", [now])}
        return ids
    finally:
        db.close()


def known_sites_due(path: str | Path | None, now: str) -> list[dict[str, Any]]:
    """Return the communities already in the database that are due for a refresh at ``now``."""
    if not path or not Path(path).is_file():
        return []
    db = sqlite_utils.Database(path)
    try:
        if "next_due_at" not in db["communities"].columns_dict:
            return []
        return list(
            db.query(
                "SELECT id, coalesce(seed_url, url) AS url, coalesce(depth, 0) AS depth, "
                "coalesce(is_seed, 1) AS is_seed, discovered_from FROM communities "
                "WHERE status NOT IN ('opted_out', 'moved', 'alias') AND next_due_at IS NOT NULL "
                "AND next_due_at <= ? ORDER BY id",
                [now],
            )
        )
    finally:
        db.close()
