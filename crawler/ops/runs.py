"""The life of a run, for a single crawl and a distributed one alike: open, events, close, verdict.

:func:`open_run`, :func:`close_run` and :func:`record_end` are the one place a run starts and
ends: the store pipeline and the monitors extension (``tremplin crawl``) and the distributed loader
(``tremplin load``) call them. A run ends ``finished``, ``interrupted`` (stopped early: time limit,
SIGTERM, resumable with a JOBDIR) or ``failed`` (a storage error or a crash), the reason in
``finish_reason`` and in ``run_events``.

Every function takes an open ``sqlite_utils.Database`` whose schema is current (``open_database``),
except :func:`fail_run`, which opens its own connection because it is called when the crawl's own
connection may be the thing that broke.
"""

from __future__ import annotations

import json
import secrets
import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlite_utils

from crawler import __version__
from crawler.analysis import analyse_run
from crawler.identity import site_key
from crawler.storage import finish_run, resolve_links, start_run

# Outcomes that are the crawler's own policy, not a judgement on the site or on the crawl.
POLICY_STATUSES = ("refused", "opted_out", "blocked_by_robots", "moved")
REACHED_STATUSES = ("alive", "alias")


def now_iso() -> str:
    """Return the current time as UTC ISO 8601, to the second."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def new_run_id() -> str:
    """Return a sortable, unique run id such as ``2026-11-28T21:07:33Z-3f9a``."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ") + "-" + secrets.token_hex(2)


def open_run(db: sqlite_utils.Database, run: dict[str, Any], resuming: bool = False, detail: str | None = None) -> None:
    """Record a run as running: a new row and its ``started`` event, or an interrupted run going on.

    ``run`` holds the row's columns (``id``, ``spider``, ``seeds``, ``mode``, ...); ``started_at`` is
    set here. A resumed run keeps its row; ``mark_resumed`` has recorded the resumption.
    """
    start_run(db, {"started_at": now_iso(), "tool_version": __version__, **run})
    if not resuming:
        add_event(db, run["id"], "started", detail)


def close_run(db: sqlite_utils.Database, run_id: str, pages: int, items: int, failure: str | None = None) -> str:
    """Close a run's data: links resolved, groups and flags computed, counts and status written.

    The status is ``finished``, or ``failed`` with ``failure`` as its reason (and a ``failed``
    event). Why the crawl stopped may be known only later (Scrapy tells it after the pipelines
    closed): :func:`record_end` says it. Returns the status.
    """
    if failure is None:
        resolve_links(db)
        analyse_run(db, run_id)  # community groups and trust flags on counts
    sites = db.execute("SELECT count(*) FROM communities WHERE last_run_id = ?", [run_id]).fetchone()[0]
    errors = db.execute("SELECT count(*) FROM fetch_errors WHERE run_id = ?", [run_id]).fetchone()[0]
    status = "failed" if failure else "finished"
    values = {"finished_at": now_iso(), "status": status, "finish_reason": failure or "finished",
              "sites": sites, "pages": pages, "items": items, "errors": errors}  # fmt: skip
    with db.atomic():
        finish_run(db, run_id, values)
        if failure:
            add_event(db, run_id, "failed", failure)
    return status


def record_end(db: sqlite_utils.Database, run_id: str, finish_reason: str, detail: str | None = None) -> str:
    """Say why a closed run's crawl stopped: ``finished``, or early (time limit, SIGTERM): ``interrupted``.

    A run stopped early can be resumed with its JOBDIR; its data stays as :func:`close_run` wrote it.
    Returns the status.
    """
    if finish_reason == "finished":
        add_event(db, run_id, "finished", detail)
        return "finished"
    with db.atomic():
        db.execute("UPDATE runs SET finish_reason = ? WHERE id = ?", [finish_reason, run_id])
        mark_interrupted(db, run_id, f"stopped: {finish_reason}")
    return "interrupted"


# A storage failure known only by its effect: the store pipeline could record neither items nor their error rows.
REFUSED_WRITES = (
    "storage error: the database refused items and the error rows recording them (disk full or database broken)"
)


def storage_failure(exc: BaseException, known: str | None = None) -> str:
    """The failure reason of a run for a storage exception, on one line; ``known`` is kept if more precise.

    The database's own words (``database or disk is full``) say more than :data:`REFUSED_WRITES`.
    """
    if known and known != REFUSED_WRITES:
        return known
    return f"storage error: {str(exc).strip() or type(exc).__name__}"


def fail_run(db_path: str | Path, run_id: str, reason: str) -> bool:
    """Mark a run ``failed`` with ``reason``, on a connection of its own; return whether it was written.

    Called after a crash or a storage error, when the crawl's connection may be unusable. A disk so
    full that even this small update fails leaves the row ``running``: the next run, holding the
    lock, finds it and marks it interrupted (:func:`mark_dead_runs_interrupted`).
    """
    try:
        conn = sqlite3.connect(str(db_path), timeout=10)
    except sqlite3.Error:
        return False
    try:
        with conn:
            updated = conn.execute(
                "UPDATE runs SET status = 'failed', finish_reason = ?, finished_at = ? WHERE id = ?",
                [reason[:500], now_iso(), run_id],
            ).rowcount
            if updated:
                seq = conn.execute(
                    "SELECT coalesce(max(seq), 0) + 1 FROM run_events WHERE run_id = ?", [run_id]
                ).fetchone()[0]
                conn.execute(
                    "INSERT INTO run_events (run_id, seq, at, event, detail) VALUES (?, ?, ?, 'failed', ?)",
                    [run_id, seq, now_iso(), reason[:500]],
                )
        return bool(updated)
    except sqlite3.Error:
        return False
    finally:
        conn.close()


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
    that died without closing (SIGKILL, out of memory, power loss, a disk too full to record the end).
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
