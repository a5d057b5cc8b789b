"""The writes a crawl makes: runs, its items in idempotent batches, resolved links, canaries."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

import sqlite_utils

from crawler.extraction import METRICS
from crawler.schedule import next_due, status_after_failure
from crawler.storage.schema import (
    COMMUNITY_TEXT_COLUMNS,
    LATEST_COLUMNS,
    OBSERVED_STATUSES,
    OUTREACH_LIST_COLUMNS,
    OUTREACH_TEXT_COLUMNS,
)


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
    row.update({name: item.get(name) for name in OUTREACH_TEXT_COLUMNS})
    meetups = item.get("meetups")
    row["meetups"] = None if meetups is None else int(bool(meetups))
    row.update({name: json.dumps(item.get(name) or [], ensure_ascii=False) for name in OUTREACH_LIST_COLUMNS})
    row.update(
        {
            "id": item["id"],
            "status": item.get("status") or "alive",
            "alias_of": item.get("alias_of"),
            "error_kind": item.get("error_kind"),
            "is_seed": int(bool(item.get("is_seed", True))),
            "depth": item.get("depth") or 0,
            "discovered_from": item.get("discovered_from"),
            "first_seen_at": crawled_at,
            "last_crawled_at": crawled_at,
            "last_observed_at": item.get("observed_at") or crawled_at,
            "last_run_id": run_id,
            "state_reason": item.get("state_reason"),
        }
    )
    return row


# Columns a failed or moved visit may change; the last figures stay, with their dates.
_STATE_COLUMNS = (
    "status", "alias_of", "error_kind", "failures", "next_due_at", "last_crawled_at", "last_run_id", "state_reason",
)  # fmt: skip


def _upsert_observed(db: sqlite_utils.Database, rows: list[dict[str, Any]]) -> None:
    columns = list(rows[0])
    placeholders = ", ".join(f":{name}" for name in columns)
    latest = ", ".join(f"{name} = excluded.{name}" for name in LATEST_COLUMNS)
    sql = (
        f"INSERT INTO communities ({', '.join(columns)}) VALUES ({placeholders}) "
        "ON CONFLICT(id) DO UPDATE SET "
        "status = excluded.status, alias_of = excluded.alias_of, error_kind = NULL, failures = 0, "
        "next_due_at = excluded.next_due_at, last_crawled_at = excluded.last_crawled_at, "
        "last_run_id = excluded.last_run_id, is_seed = max(communities.is_seed, excluded.is_seed), "
        "state_reason = excluded.state_reason, "
        "first_seen_at = min(communities.first_seen_at, excluded.first_seen_at), "
        f"{latest} "
        "WHERE communities.last_observed_at IS NULL "
        "OR excluded.last_observed_at >= communities.last_observed_at"
    )
    db.conn.executemany(sql, rows)


def _record_state(db: sqlite_utils.Database, rows: list[dict[str, Any]]) -> None:
    keys = ("id", "url", "seed_url", "is_seed", "depth", "discovered_from", "first_seen_at", "kind", *_STATE_COLUMNS)
    # The kind a seeds file declares survives a failed visit (a company platform that never answered).
    updates = ", ".join(f"{name} = excluded.{name}" for name in _STATE_COLUMNS)
    updates += ", kind = coalesce(communities.kind, excluded.kind)"
    db.conn.executemany(
        f"INSERT INTO communities ({', '.join(keys)}) VALUES ({', '.join(':' + k for k in keys)}) "
        f"ON CONFLICT(id) DO UPDATE SET {updates}",
        [{key: row.get(key) for key in keys} for row in rows],
    )


def _schedule(
    db: sqlite_utils.Database, items: list[dict[str, Any]], rows: list[dict[str, Any]], now: datetime
) -> None:
    """Set status, failure count and next visit of each row from its item and the stored failures."""
    ids = [row["id"] for row in rows]
    previous = dict(
        db.execute(
            f"SELECT id, coalesce(failures, 0) FROM communities WHERE id IN ({', '.join('?' * len(ids))})", ids
        ).fetchall()
    ) if ids else {}  # fmt: skip
    for item, row in zip(items, rows, strict=True):
        status = row["status"]
        seen_at = _parse_time(item.get("observed_at")) or now
        failures = 0
        if item.get("error_kind"):
            failures = previous.get(row["id"], 0) + 1
            status = status_after_failure(item["error_kind"], failures)
            seen_at = now
        due = next_due(status, failures, seen_at, item.get("retry_after"), error_kind=item.get("error_kind"))
        row.update(status=status, failures=failures, next_due_at=_iso(due))


def _parse_time(value: str | None) -> datetime | None:
    if not value:
        return None
    parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _iso(value: datetime | None) -> str | None:
    return value.astimezone(UTC).isoformat(timespec="seconds") if value else None


def _candidate_rows(candidates: list[dict[str, Any]], run_id: str, crawled_at: str, now: datetime) -> list[dict]:
    rows = []
    for candidate in candidates:
        status = candidate["status"]
        # A rejected candidate is looked at again after a while; a pending one at the next run.
        due = next_due("rejected", 0, now) if status == "rejected" else None
        rows.append(
            {
                **candidate,
                "first_seen_at": crawled_at,
                "last_seen_at": crawled_at,
                "last_run_id": run_id,
                "next_due_at": _iso(due),
            }
        )
    return rows


def _upsert_candidates(db: sqlite_utils.Database, rows: list[dict[str, Any]]) -> None:
    keys = list(rows[0])
    updates = ", ".join(f"{k} = excluded.{k}" for k in keys if k not in ("site_id", "first_seen_at"))
    db.conn.executemany(
        f"INSERT INTO candidates ({', '.join(keys)}) VALUES ({', '.join(':' + k for k in keys)}) "
        f"ON CONFLICT(site_id) DO UPDATE SET {updates}",
        rows,
    )


def store_batch(
    db: sqlite_utils.Database,
    run_id: str,
    crawled_at: str,
    communities: Iterable[dict[str, Any]],
    errors: Iterable[dict[str, Any]],
    candidates: Iterable[dict[str, Any]] = (),
    now: str | None = None,
) -> None:
    """Write one batch of items in a single transaction.

    ``now`` is the moment the schedule counts from (the replayed capture date in replay), by
    default ``crawled_at``.
    """
    communities = list(communities)
    errors = list(errors)
    candidates = list(candidates)
    schedule_now = _parse_time(now or crawled_at)
    observed_items = [item for item in communities if item.get("status") in OBSERVED_STATUSES]
    state_items = [item for item in communities if item.get("status") not in OBSERVED_STATUSES]
    observed = [_community_row(item, run_id, crawled_at) for item in observed_items]
    states = [_community_row(item, run_id, crawled_at) for item in state_items]
    observations: list[dict[str, Any]] = []
    evidence_rows: list[dict[str, Any]] = []
    links: list[dict[str, Any]] = []
    for item in observed_items:
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
        for link in item.get("links") or []:
            links.append(
                {
                    "from_community_id": item["id"],
                    "to_url": link["to_url"],
                    "to_site_id": link.get("to_site_id"),
                    "rule": link.get("rule"),
                    "first_seen_run_id": run_id,
                }
            )
    with db.atomic():
        _schedule(db, observed_items + state_items, observed + states, schedule_now)
        if observed:
            _upsert_observed(db, observed)
        if states:
            _record_state(db, states)
        if observations:
            db["observations"].upsert_all(observations, pk=("community_id", "run_id", "metric"))
        if evidence_rows:
            db["evidence"].upsert_all(evidence_rows, pk=("community_id", "run_id", "field"))
        if links:
            db.conn.executemany(
                "INSERT INTO links (from_community_id, to_url, to_site_id, rule, first_seen_run_id) "
                "VALUES (:from_community_id, :to_url, :to_site_id, :rule, :first_seen_run_id) "
                "ON CONFLICT (from_community_id, to_url) DO UPDATE SET rule = excluded.rule",
                links,
            )
        if candidates:
            _upsert_candidates(db, _candidate_rows(candidates, run_id, crawled_at, schedule_now))
        if errors:
            db["fetch_errors"].upsert_all([{**error, "run_id": run_id} for error in errors], pk=("run_id", "url"))


def resolve_links(db: sqlite_utils.Database) -> None:
    """Point every link at the community it reaches, following aliases and moves."""
    with db.atomic():
        db.execute(
            "UPDATE links SET to_community_id = ("
            "  SELECT coalesce(c.alias_of, c.id) FROM communities c WHERE c.id = links.to_site_id"
            ") WHERE to_site_id IS NOT NULL"
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


def set_canaries(db: sqlite_utils.Database, ids: list[str], reason: str, remove: bool = False) -> list[str]:
    """Flag or unflag canary communities; return one line per canary now flagged (all when ``ids`` is empty)."""
    now = datetime.now(UTC).isoformat(timespec="seconds")
    with db.atomic():
        for community_id in ids:
            if remove:
                db.execute("DELETE FROM canaries WHERE community_id = ?", [community_id])
            else:
                db["canaries"].upsert({"community_id": community_id, "reason": reason, "flagged_at": now},
                                      pk="community_id")  # fmt: skip
    return [f"{row[0]}\t{row[1] or ''}" for row in db.execute("SELECT community_id, reason FROM canaries ORDER BY 1")]
