"""Bookkeeping of runs for unattended operation: events, interruptions, resumptions, verdicts.

Every function takes an open ``sqlite_utils.Database`` whose schema is current (``open_database``).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import sqlite_utils

from crawler.identity import site_key

# Outcomes that are the crawler's own policy, not a judgement on the site or on the crawl.
POLICY_STATUSES = ("refused", "opted_out", "blocked_by_robots", "moved")
REACHED_STATUSES = ("alive", "alias")


def now_iso() -> str:
    """Return the current time as UTC ISO 8601, to the second."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def add_event(db: sqlite_utils.Database, run_id: str, event: str, detail: str | None = None) -> None:
    """Append one event to the run's history (numbered, so the order survives equal timestamps)."""
    with db.atomic():
        seq = db.execute("SELECT coalesce(max(seq), 0) + 1 FROM run_events WHERE run_id = ?", [run_id]).fetchone()[0]
        db["run_events"].insert({"run_id": run_id, "seq": seq, "at": now_iso(), "event": event, "detail": detail})


def events(db: sqlite_utils.Database, run_id: str) -> list[str]:
    """Return the run's event names in order."""
    return [row[0] for row in db.execute("SELECT event FROM run_events WHERE run_id = ? ORDER BY seq", [run_id])]


def mark_interrupted(db: sqlite_utils.Database, run_id: str, detail: str) -> None:
    """Record that a run stopped before finishing (paused cleanly, or its process died)."""
    with db.atomic():
        db.execute(
            "UPDATE runs SET status = 'interrupted', interruptions = coalesce(interruptions, 0) + 1, "
            "finish_reason = coalesce(finish_reason, 'killed') WHERE id = ?",
            [run_id],
        )
        add_event(db, run_id, "interrupted", detail)


def mark_dead_runs_interrupted(db: sqlite_utils.Database, detail: str) -> list[str]:
    """Mark every run still 'running' as interrupted; call only while holding the database's run lock.

    With the lock held no other crawl writes this database, so a 'running' row belongs to a process
    that died without closing (SIGKILL, out of memory, power loss).
    """
    ids = [row[0] for row in db.execute("SELECT id FROM runs WHERE status = 'running'")]
    for run_id in ids:
        mark_interrupted(db, run_id, detail)
    return ids


def mark_resumed(db: sqlite_utils.Database, run_id: str, jobdir: str | None) -> None:
    """Record that an interrupted run goes on (its row is found as 'running' if nobody noticed the kill)."""
    row = db.execute("SELECT status FROM runs WHERE id = ?", [run_id]).fetchone()
    if row is None:
        return
    if row[0] == "running":
        mark_interrupted(db, run_id, "process died without closing the run (killed)")
    with db.atomic():
        db.execute(
            "UPDATE runs SET resumes = coalesce(resumes, 0) + 1, resumed_at = ?, jobdir = coalesce(?, jobdir) "
            "WHERE id = ?",
            [now_iso(), jobdir, run_id],
        )
        add_event(db, run_id, "resumed", jobdir)


def done_site_keys(db: sqlite_utils.Database, run_id: str) -> set[str]:
    """Return the site keys whose visit in ``run_id`` is committed (community rows and judged candidates).

    A resumed crawl skips them; a site missing here is visited again, which the idempotent writes make
    harmless (the same rows are upserted under the same run id).
    """
    keys: set[str] = set()
    query = (
        "SELECT community_id FROM run_sites WHERE run_id = :run "
        "UNION SELECT id FROM communities WHERE last_run_id = :run "
        "UNION SELECT seed_url FROM communities WHERE last_run_id = :run AND seed_url IS NOT NULL "
        "UNION SELECT site_id FROM candidates WHERE last_run_id = :run AND status IN ('accepted', 'rejected')"
    )
    for (value,) in db.execute(query, {"run": run_id}):
        keys.add(site_key(value) if "://" in value else value)
    return keys


def run_row(db: sqlite_utils.Database, run_id: str) -> dict[str, Any] | None:
    """Return the run's row as a dict, or None."""
    rows = list(db.query("SELECT * FROM runs WHERE id = ?", [run_id]))
    return rows[0] if rows else None


def store_verdict(db: sqlite_utils.Database, run_id: str, status: str, reasons: list[str], checks: list) -> None:
    """Write the monitors' verdict and every check's result for the run."""
    alive = db.execute(
        f"SELECT count(*) FROM communities WHERE status IN ({', '.join('?' * len(REACHED_STATUSES))})",
        list(REACHED_STATUSES),
    ).fetchone()[0]
    with db.atomic():
        db["runs"].update(
            run_id,
            {
                "monitor_status": status,
                "monitor_reasons": json.dumps(reasons, ensure_ascii=False),
                "monitored_at": now_iso(),
                "alive_total": alive,
            },
        )
        db["run_checks"].upsert_all(
            [
                {"run_id": run_id, "monitor": c.name, "status": c.status, "value": c.value,
                 "threshold": c.threshold, "reason": c.reason}
                for c in checks
            ],
            pk=("run_id", "monitor"),
        )  # fmt: skip
