"""One crawl per database: overlapping runs are refused, a killed run's stale lock is cleared."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys

import pytest

from crawler.ops.commands import run_lock
from crawler.ops.lock import LockBusyError, RunLock, lock_path_for
from crawler.storage import open_database
from tests.ops_web import SlowWeb, phpbb, run_crawl


def test_lock_is_exclusive_and_a_clean_release_leaves_no_note(tmp_path):
    path = tmp_path / "c.db.lock"
    with RunLock(path) as held:
        assert held.stale is None
        assert json.loads(path.read_text())["pid"] == os.getpid()
        with pytest.raises(LockBusyError, match=f"pid {os.getpid()}"):
            RunLock(path).acquire()
    assert path.read_text() == ""
    with RunLock(path) as again:
        assert again.stale is None


def test_note_of_a_killed_holder_is_detected_as_stale_and_cleared(tmp_path):
    path = tmp_path / "c.db.lock"
    holder = subprocess.Popen(
        [sys.executable, "-c", f"from crawler.ops.lock import RunLock; RunLock({str(path)!r}).acquire(); "
                               "print('held', flush=True); import time; time.sleep(60)"],
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    assert holder.stdout.readline().strip() == "held"
    with pytest.raises(LockBusyError):
        RunLock(path).acquire()  # alive: the lock is really held
    holder.send_signal(signal.SIGKILL)
    holder.wait()
    lock = RunLock(path)
    stale = lock.acquire()
    try:
        assert stale is not None and stale.holder["pid"] == holder.pid and not stale.pid_alive
        assert f"stale lock of pid {holder.pid}" in stale.describe()
        assert json.loads(path.read_text())["pid"] == os.getpid()  # cleared and taken over
    finally:
        lock.release()


def test_overlapping_crawl_is_refused_without_touching_anything(tmp_path):
    db = tmp_path / "c.db"
    web = SlowWeb(0)
    web.add("board.test", phpbb("Board", 100))
    with web, RunLock(lock_path_for(db)):
        # The lock stays held throughout: a crawl waiting for it would never end (run_crawl's timeout).
        result = run_crawl(web, db, "http://board.test/")
        assert result.returncode == 75
        assert "another run holds" in result.stderr and "not starting" in result.stderr
        assert web.log == [] and not db.exists()


def test_a_run_left_running_after_a_clean_release_is_marked_interrupted(tmp_path):
    # A process that could not record its run's end (a disk too full even for that) released the lock.
    db_path = tmp_path / "c.db"
    db = open_database(db_path)
    db["runs"].insert({"id": "r1", "started_at": "2026-01-01T00:00:00+00:00", "status": "running"})
    db.close()
    with run_lock(db_path):
        pass
    db = open_database(db_path)
    assert db.execute("SELECT status FROM runs").fetchone()[0] == "interrupted"
    assert [row[0] for row in db.execute("SELECT detail FROM run_events")] == [
        "the process ended without recording the run's end"
    ]
