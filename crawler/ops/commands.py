"""The operational side of ``tremplin`` commands: the run lock around a crawl, and exit codes.

Exit codes (for cron, systemd and scripts): 0 the monitors passed; 1 failed; 3 degraded; 2 usage
error; 75 (EX_TEMPFAIL) another run holds the lock, nothing was done: try again later.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

from crawler.ops.lock import LockBusyError, RunLock, lock_path_for
from crawler.ops.monitors import EXIT_CODES
from crawler.ops.runs import add_event, mark_dead_runs_interrupted
from crawler.storage import open_database

EXIT_BUSY = 75


@contextmanager
def run_lock(db_path: str | Path, lock_file: str | Path | None = None, purpose: str = "crawl") -> Iterator[RunLock]:
    """Hold the database's run lock; clear a stale one and mark the run its dead holder left running.

    The database's own lock (``<real path>.lock``) is always taken: ``lock_file`` is an extra lock
    (one crawl at a time across several databases, say), never a way around it.
    """
    with ExitStack() as extra:
        if lock_file is not None and Path(lock_file).resolve() != lock_path_for(db_path):
            extra.enter_context(RunLock(lock_file, purpose))
        with _database_lock(db_path, purpose) as lock:
            yield lock


@contextmanager
def _database_lock(db_path: str | Path, purpose: str) -> Iterator[RunLock]:
    lock = RunLock(lock_path_for(db_path), purpose)
    stale = lock.acquire()
    try:
        if stale is not None:
            message = stale.describe()
            sys.stderr.write(f"tremplin: {message}: cleared\n")
            db = open_database(db_path)
            try:
                for run_id in mark_dead_runs_interrupted(db, f"killed: {message}"):
                    add_event(db, run_id, "lock_stale", message)
            finally:
                db.close()
        yield lock
    finally:
        lock.release()


def busy_message(exc: LockBusyError) -> str:
    return f"tremplin: {exc}; not starting (exit {EXIT_BUSY})"


def crawl_exit_code(crawler: Any) -> int:
    """Return the exit code of a finished crawl from its monitors' verdict (0 when monitors are off)."""
    status = crawler.stats.get_value("tremplin/monitor_status")
    return EXIT_CODES.get(status, 0)
