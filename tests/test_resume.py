"""Kill a crawl with SIGKILL mid-way, resume it with the same --jobdir: nothing lost, nothing twice.

Also a clean pause (SIGTERM), which Scrapy's own JOBDIR queue resumes.
"""

from __future__ import annotations

import signal
import sqlite3
import time

import pytest

from tests.ops_web import build_web, run_crawl, start_crawl

# Small batches so the database holds part of the crawl when it is killed; a few requests at a time
# so the kill lands between requests of some sites' visits.
JOB_ARGS = ["--set", "TREMPLIN_BATCH_SIZE=2", "--set", "CONCURRENT_REQUESTS=4"]


def wait_for_communities(db, count: int, process, timeout: float = 60) -> int:
    deadline = time.monotonic() + timeout
    stored = 0
    while time.monotonic() < deadline and process.poll() is None:
        try:
            with sqlite3.connect(db) as conn:
                stored = conn.execute("SELECT count(*) FROM communities").fetchone()[0]
        except sqlite3.OperationalError:
            stored = 0  # not created yet
        if stored >= count:
            return stored
        time.sleep(0.05)
    raise AssertionError(f"crawl never reached {count} communities (exit {process.poll()})")


def interrupted_then_resumed(tmp_path, sig):
    db, job = tmp_path / "c.db", tmp_path / "job"
    web, seeds, hosts = build_web(delay=0.15)
    with web:
        args = ["--jobdir", str(job), *JOB_ARGS, *seeds]
        first = start_crawl(web, db, *args, log=tmp_path / "first.log")
        stored = wait_for_communities(db, 8, first)
        first.send_signal(sig)
        first.wait(timeout=60)
        with sqlite3.connect(db) as conn:
            integrity = conn.execute("PRAGMA integrity_check").fetchone()[0]
            before = {row[0] for row in conn.execute("SELECT id FROM communities")}
            status_after_stop = conn.execute("SELECT status FROM runs").fetchall()
        log_before = len(web.log)
        second = run_crawl(web, db, *args)
        assert second.returncode == 0, second.stderr[-3000:]
        resumed_requests = web.log[log_before:]
    conn = sqlite3.connect(db)
    return {
        "conn": conn, "hosts": hosts, "stored": stored, "integrity": integrity, "before": before,
        "status_after_stop": status_after_stop, "resumed_requests": resumed_requests, "web": web, "second": second,
    }  # fmt: skip


@pytest.fixture(scope="module")
def killed(tmp_path_factory):
    return interrupted_then_resumed(tmp_path_factory.mktemp("killed"), signal.SIGKILL)


def test_database_left_by_a_killed_run_is_intact(killed):
    assert killed["integrity"] == "ok"
    assert killed["status_after_stop"] == [("running",)]  # nobody could mark it: the process died
    assert 8 <= len(killed["before"]) < len(killed["hosts"])  # killed mid-way


def test_resumed_crawl_loses_no_community_and_duplicates_nothing(killed):
    conn = killed["conn"]
    ids = [row[0] for row in conn.execute("SELECT id FROM communities")]
    assert sorted(ids) == sorted(killed["hosts"])
    # One run, one members observation per community, one evidence row per field: nothing twice.
    assert conn.execute("SELECT count(*) FROM runs").fetchone()[0] == 1
    members = conn.execute("SELECT count(*), count(DISTINCT community_id) FROM observations WHERE metric = 'members'")
    assert members.fetchone() == (len(killed["hosts"]), len(killed["hosts"]))
    assert conn.execute("SELECT count(*) FROM fetch_errors").fetchone()[0] == 0
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_sites_stored_before_the_kill_are_not_fetched_again(killed):
    refetched = {host for host, path, _ in killed["resumed_requests"] if path == "/"} & killed["before"]
    assert refetched == set()
    assert all(hits <= 2 for hits in killed["web"].homepage_hits().values())  # in flight at the kill: twice at most


def test_run_marked_interrupted_then_resumed(killed):
    conn = killed["conn"]
    status, interruptions, resumes, monitor = conn.execute(
        "SELECT status, interruptions, resumes, monitor_status FROM runs"
    ).fetchone()
    assert (status, interruptions, resumes, monitor) == ("finished", 1, 1, "ok")
    events = [row[0] for row in conn.execute("SELECT event FROM run_events ORDER BY seq")]
    assert events[0] == "started" and events[-1] == "finished"
    assert events.index("interrupted") < events.index("resumed")
    assert "lock_stale" in events  # the killed run's lock was found stale and cleared
    assert "stale lock of pid" in killed["second"].stderr


def test_clean_pause_resumes_from_scrapy_queue_without_refetching(tmp_path):
    result = interrupted_then_resumed(tmp_path, signal.SIGTERM)
    conn = result["conn"]
    assert [row[0] for row in result["status_after_stop"]] == ["interrupted"]
    assert sorted(row[0] for row in conn.execute("SELECT id FROM communities")) == sorted(result["hosts"])
    # Scrapy's queue held every visit in progress: no site was asked for its homepage twice.
    assert set(result["web"].homepage_hits().values()) == {1}
    events = [row[0] for row in conn.execute("SELECT event FROM run_events ORDER BY seq")]
    assert events == ["started", "interrupted", "resumed", "finished"]


def test_finished_job_directory_starts_a_new_run(tmp_path):
    db, job = tmp_path / "c.db", tmp_path / "job"
    web, seeds, _ = build_web(hubs=1, leaves_per_hub=2, delay=0)
    with web:
        for _ in range(2):
            result = run_crawl(web, db, "--jobdir", str(job), "--refresh", "all", *seeds)
            assert result.returncode == 0, result.stderr[-3000:]
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT count(*), count(DISTINCT id) FROM runs WHERE status = 'finished'").fetchone() == (2, 2)
