"""The SQLite database: declared schema, migrations, and the writes a crawl makes.

Tables follow ``data-model.md``: ``communities`` (latest state, one row per site), ``observations``
(append-only history, one row per metric per run), ``evidence`` (the same for non-metric values),
``runs``, ``fetch_errors`` and ``links``. Every write is idempotent by primary key, so a resumed or
repeated run never duplicates a row.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import sqlite_utils

from crawler.extraction import METRICS

SCHEMA_VERSION = 1
migrations = sqlite_utils.Migrations("tremplin")

COMMUNITY_TEXT_COLUMNS = (
    "url",
    "seed_url",
    "name",
    "description",
    "platform",
    "platform_version",
    "kind",
    "languages",
    "licence",
    "licence_url",
    "last_activity_at",
    "canonical_url",
    "moved_from",
)

# Columns that describe what the site says of itself: only an item observed at least as recently
# as the stored one may replace them (replaying an old capture must not roll the latest state back).
LATEST_COLUMNS = (*COMMUNITY_TEXT_COLUMNS, "registrations_open", *METRICS, "last_observed_at")


@migrations(name="0001_initial_schema")
def _initial_schema(db: sqlite_utils.Database) -> None:
    columns: dict[str, Any] = {"id": str}
    columns.update({name: str for name in COMMUNITY_TEXT_COLUMNS})
    columns.update(
        {
            "registrations_open": int,
            "status": str,
            "first_seen_at": str,
            "last_crawled_at": str,
            "last_observed_at": str,
            "last_run_id": str,
        }
    )
    columns.update({metric: int for metric in METRICS})
    db["communities"].create(columns, pk="id", not_null={"url", "status"})
    db["runs"].create(
        {
            "id": str,
            "started_at": str,
            "finished_at": str,
            "status": str,
            "finish_reason": str,
            "spider": str,
            "seeds": int,
            "sites": int,
            "pages": int,
            "items": int,
            "errors": int,
            "replay_archive": str,
            "replay_at": str,
            "tool_version": str,
            "scrapy_version": str,
        },
        pk="id",
        not_null={"started_at", "status"},
    )
    db["observations"].create(
        {
            "community_id": str,
            "run_id": str,
            "metric": str,
            "value": int,
            "observed_at": str,
            "source_url": str,
            "rule": str,
            "snippet": str,
            "approximate": int,
        },
        pk=("community_id", "run_id", "metric"),
        not_null={"value", "observed_at", "source_url", "rule"},
        foreign_keys=[("community_id", "communities", "id"), ("run_id", "runs", "id")],
    )
    db["evidence"].create(
        {
            "community_id": str,
            "run_id": str,
            "field": str,
            "value": str,
            "observed_at": str,
            "source_url": str,
            "rule": str,
            "snippet": str,
        },
        pk=("community_id", "run_id", "field"),
        foreign_keys=[("community_id", "communities", "id"), ("run_id", "runs", "id")],
    )
    db["fetch_errors"].create(
        {
            "run_id": str,
            "url": str,
            "site_id": str,
            "error": str,
            "message": str,
            "http_status": int,
            "at": str,
        },
        pk=("run_id", "url"),
        foreign_keys=[("run_id", "runs", "id")],
    )
    db["links"].create(
        {
            "from_community_id": str,
            "to_url": str,
            "to_community_id": str,
            "rule": str,
            "first_seen_run_id": str,
        },
        pk=("from_community_id", "to_url"),
        foreign_keys=[("from_community_id", "communities", "id")],
    )
    db["observations"].create_index(["metric", "observed_at"])
    db["observations"].create_index(["run_id"])
    db["fetch_errors"].create_index(["error"])


def open_database(path: str | Path) -> sqlite_utils.Database:
    """Open (creating if needed) the database at ``path`` and bring its schema up to date."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    db = sqlite_utils.Database(path)
    # WAL lets Datasette or a researcher read while a crawl writes.
    db.execute("PRAGMA busy_timeout = 10000")
    if db.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
        db.enable_wal()
    migrations.apply(db)
    return db


def start_run(db: sqlite_utils.Database, run: dict[str, Any]) -> None:
    """Record the start of a run (or its resumption: the existing row is kept and marked running)."""
    existing = db.execute("SELECT id FROM runs WHERE id = ?", [run["id"]]).fetchone()
    if existing:
        db.execute("UPDATE runs SET status = 'running', finished_at = NULL WHERE id = ?", [run["id"]])
    else:
        db["runs"].insert({**run, "status": "running"})


def finish_run(db: sqlite_utils.Database, run_id: str, values: dict[str, Any]) -> None:
    """Record the end of a run with its counts and status."""
    db["runs"].update(run_id, values)


def _community_row(item: dict[str, Any], run_id: str, crawled_at: str) -> dict[str, Any]:
    row: dict[str, Any] = {name: item.get(name) for name in COMMUNITY_TEXT_COLUMNS}
    row["languages"] = json.dumps(item.get("languages") or [], ensure_ascii=False)
    flag = item.get("registrations_open")
    row["registrations_open"] = None if flag is None else int(bool(flag))
    metrics = item.get("metrics") or {}
    row.update({metric: metrics.get(metric) for metric in METRICS})
    row.update(
        {
            "id": item["id"],
            "status": item.get("status") or "alive",
            "first_seen_at": crawled_at,
            "last_crawled_at": crawled_at,
            "last_observed_at": item.get("observed_at") or crawled_at,
            "last_run_id": run_id,
        }
    )
    return row


def _upsert_alive(db: sqlite_utils.Database, rows: list[dict[str, Any]]) -> None:
    columns = list(rows[0])
    placeholders = ", ".join(f":{name}" for name in columns)
    latest = ", ".join(f"{name} = excluded.{name}" for name in LATEST_COLUMNS)
    sql = (
        f"INSERT INTO communities ({', '.join(columns)}) VALUES ({placeholders}) "
        "ON CONFLICT(id) DO UPDATE SET "
        "status = excluded.status, last_crawled_at = excluded.last_crawled_at, "
        "last_run_id = excluded.last_run_id, "
        "first_seen_at = min(communities.first_seen_at, excluded.first_seen_at), "
        f"{latest} "
        "WHERE communities.last_observed_at IS NULL "
        "OR excluded.last_observed_at >= communities.last_observed_at"
    )
    db.conn.executemany(sql, rows)


def _record_unreachable(db: sqlite_utils.Database, rows: list[dict[str, Any]]) -> None:
    # A failed visit changes the status only; the last known figures stay, with their dates.
    db.conn.executemany(
        "INSERT INTO communities (id, url, seed_url, status, first_seen_at, last_crawled_at, last_run_id) "
        "VALUES (:id, :url, :seed_url, :status, :first_seen_at, :last_crawled_at, :last_run_id) "
        "ON CONFLICT(id) DO UPDATE SET status = excluded.status, "
        "last_crawled_at = excluded.last_crawled_at, last_run_id = excluded.last_run_id",
        rows,
    )


def store_batch(
    db: sqlite_utils.Database,
    run_id: str,
    crawled_at: str,
    communities: Iterable[dict[str, Any]],
    errors: Iterable[dict[str, Any]],
) -> None:
    """Write one batch of community items and fetch errors in a single transaction."""
    communities = list(communities)
    errors = list(errors)
    alive = [_community_row(item, run_id, crawled_at) for item in communities if item.get("status") == "alive"]
    failed = [_community_row(item, run_id, crawled_at) for item in communities if item.get("status") != "alive"]
    observations: list[dict[str, Any]] = []
    evidence_rows: list[dict[str, Any]] = []
    for item in communities:
        for key, ev in (item.get("evidence") or {}).items():
            base = {
                "community_id": item["id"],
                "run_id": run_id,
                "observed_at": ev.get("observed_at") or item.get("observed_at") or crawled_at,
                "source_url": ev.get("source_url"),
                "rule": ev.get("rule"),
                "snippet": ev.get("snippet"),
            }
            if key in METRICS and key in (item.get("metrics") or {}):
                value = item["metrics"][key]
                approximate = int(bool(ev.get("approximate")))
                observations.append({**base, "metric": key, "value": value, "approximate": approximate})
            elif key not in METRICS:
                evidence_rows.append({**base, "field": key, "value": _field_value(item, key)})
    with db.atomic():
        if alive:
            _upsert_alive(db, alive)
        if failed:
            _record_unreachable(db, failed)
        if observations:
            db["observations"].upsert_all(observations, pk=("community_id", "run_id", "metric"))
        if evidence_rows:
            db["evidence"].upsert_all(evidence_rows, pk=("community_id", "run_id", "field"))
        if errors:
            db["fetch_errors"].upsert_all(
                [{**error, "run_id": run_id} for error in errors], pk=("run_id", "url")
            )


def _field_value(item: dict[str, Any], key: str) -> str | None:
    value = item.get(key)
    if key == "licence" and value is None:
        value = item.get("licence_url")
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, bool):
        return "true" if value else "false"
    return None if value is None else str(value)
