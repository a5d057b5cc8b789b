"""The store: declared schema, idempotent writes, one row per community whatever the number of runs."""

from __future__ import annotations

import json

from crawler.storage import open_database, start_run, store_batch


def community(members: int, observed_at: str, **extra) -> dict:
    item = {
        "id": "forum.example",
        "url": "https://forum.example/",
        "seed_url": "https://forum.example/",
        "name": "Example Forum",
        "platform": "phpbb",
        "languages": ["fr", "en"],
        "status": "alive",
        "metrics": {"members": members, "posts": 10 * members},
        "evidence": {
            "members": {
                "source_url": "https://forum.example/",
                "rule": "phpbb.stats_block",
                "snippet": f"Total members {members}",
                "approximate": False,
                "observed_at": observed_at,
            },
            "posts": {
                "source_url": "https://forum.example/",
                "rule": "phpbb.stats_block",
                "snippet": "Total posts",
                "approximate": False,
                "observed_at": observed_at,
            },
            "name": {
                "source_url": "https://forum.example/",
                "rule": "generic.og_site_name",
                "snippet": None,
                "approximate": False,
                "observed_at": observed_at,
            },
        },
        "observed_at": observed_at,
    }
    item.update(extra)
    return item


def test_two_runs_one_community_two_sets_of_observations(tmp_path):
    db = open_database(tmp_path / "t.db")
    for run_id, members, date in (("r1", 100, "2026-05-01T06:00:00+00:00"), ("r2", 120, "2026-08-01T06:00:00+00:00")):
        start_run(db, {"id": run_id, "started_at": date})
        store_batch(db, run_id, date, [community(members, date)], [])
    rows = list(db["communities"].rows)
    assert len(rows) == 1
    assert rows[0]["members"] == 120
    assert rows[0]["posts"] == 1200
    assert json.loads(rows[0]["languages"]) == ["fr", "en"]
    assert rows[0]["first_seen_at"] == "2026-05-01T06:00:00+00:00"
    observations = list(db.query("SELECT run_id, metric, value, source_url FROM observations ORDER BY run_id, metric"))
    assert observations == [
        {"run_id": "r1", "metric": "members", "value": 100, "source_url": "https://forum.example/"},
        {"run_id": "r1", "metric": "posts", "value": 1000, "source_url": "https://forum.example/"},
        {"run_id": "r2", "metric": "members", "value": 120, "source_url": "https://forum.example/"},
        {"run_id": "r2", "metric": "posts", "value": 1200, "source_url": "https://forum.example/"},
    ]
    assert db["evidence"].count == 2


def test_resumed_batch_is_idempotent(tmp_path):
    db = open_database(tmp_path / "t.db")
    start_run(db, {"id": "r1", "started_at": "2026-05-01T06:00:00+00:00"})
    error = {
        "url": "https://gone.example/",
        "error": "http_410",
        "message": "HTTP 410",
        "http_status": 410,
        "site_id": "gone.example",
        "at": "2026-05-01T06:00:00+00:00",
    }
    for _ in range(2):
        store_batch(db, "r1", "2026-05-01T06:00:00+00:00", [community(100, "2026-05-01T06:00:00+00:00")], [error])
    assert db["communities"].count == 1
    assert db["observations"].count == 2
    assert db["fetch_errors"].count == 1


def test_older_capture_does_not_roll_back_latest_state(tmp_path):
    db = open_database(tmp_path / "t.db")
    store_batch(db, "r2", "2026-11-28T00:00:00+00:00", [community(120, "2026-08-01T06:00:00+00:00")], [])
    store_batch(db, "r1", "2026-11-28T00:01:00+00:00", [community(100, "2026-05-01T06:00:00+00:00")], [])
    assert db["communities"].get("forum.example")["members"] == 120
    assert db["observations"].count == 4


def test_failed_visit_keeps_last_figures_and_changes_status(tmp_path):
    db = open_database(tmp_path / "t.db")
    store_batch(db, "r1", "2026-05-01T06:00:00+00:00", [community(100, "2026-05-01T06:00:00+00:00")], [])
    gone = {
        "id": "forum.example",
        "url": "https://forum.example/",
        "seed_url": "https://forum.example/",
        "status": "gone",
        "metrics": {},
        "evidence": {},
    }
    store_batch(db, "r2", "2026-06-01T06:00:00+00:00", [gone], [])
    row = db["communities"].get("forum.example")
    assert row["status"] == "gone"
    assert row["members"] == 100
    assert row["last_run_id"] == "r2"


def test_schema_is_declared(tmp_path):
    db = open_database(tmp_path / "t.db")
    assert set(db.table_names()) >= {"communities", "observations", "evidence", "runs", "fetch_errors", "links"}
    assert db["observations"].pks == ["community_id", "run_id", "metric"]
    assert db["communities"].columns_dict["members"] is int
    # Re-opening applies no migration twice.
    open_database(tmp_path / "t.db")
