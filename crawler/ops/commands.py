"""The operational side of ``tremplin`` commands: the run lock around a crawl, its outcome and exit code.

Exit codes (for cron, systemd and scripts):

- 0: the run finished and its monitors passed;
- 1: failed: the monitors failed, or the crawl crashed, hit a storage error or could not finish
  (the run row says ``failed`` with the reason);
- 2: bad arguments or a refused input (a foreign database, a file that is not UTF-8 or not WARC,
  a setting of the wrong type): nothing was changed;
- 3: degraded: the run finished, some monitor found it doubtful (or it stopped early: --max-time);
- 4: nothing was due: every site was crawled recently (``--refresh all`` crawls them now);
- 75 (EX_TEMPFAIL): another run holds the lock, nothing was done: try again later.
"""

from __future__ import annotations

import sqlite3
import sys
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rich.console import Console

from crawler.archive.warc import normalise_warc_date
from crawler.ops.lock import LockBusyError, RunLock, lock_path_for
from crawler.ops.monitors import EXIT_CODES
from crawler.ops.runs import add_event, fail_run, mark_dead_runs_interrupted
from crawler.ops.summary import (
    RunSummary,
    headline,
    nothing_due_message,
    plain_summary,
    read_summary,
    rich_summary,
    summary_rows,
)
from crawler.storage import open_database

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_DEGRADED, EXIT_NOTHING_DUE, EXIT_BUSY = 0, 1, 2, 3, 4, 75


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
        elif Path(db_path).is_file() and Path(db_path).stat().st_size:
            # A clean release, yet a run still says "running": its process could not record its end
            # (a disk too full even for that). With the lock held, it is not running any more.
            db = open_database(db_path)
            try:
                mark_dead_runs_interrupted(db, "the process ended without recording the run's end")
            finally:
                db.close()
        yield lock
    finally:
        lock.release()


def busy_message(exc: LockBusyError) -> str:
    return f"tremplin: {exc}; not starting (exit {EXIT_BUSY})"


@dataclass
class CrawlOutcome:
    """How a crawl ended, as the operator reads it: errors, summary or "nothing to do", and the exit code."""

    exit_code: int
    errors: list[str] = field(default_factory=list)
    summary: RunSummary | None = None
    nothing_due: str | None = None

    def report(self, elapsed: float, live: bool) -> None:
        """Print the summary (or the nothing-due line) on standard output, the errors on standard error."""
        if self.nothing_due:
            sys.stdout.write(self.nothing_due + "\n")
        elif self.summary is not None:
            rows, title = summary_rows(self.summary, elapsed), headline(self.summary)
            if live:
                Console().print(rich_summary(rows, title))
            else:
                sys.stdout.write(plain_summary(rows, title) + "\n")
        sys.stdout.flush()
        for line in self.errors:
            sys.stderr.write(f"tremplin: error: {line}\n")


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0][:300]}" if text else type(exc).__name__


def crawl_outcome(
    crawler: Any, db_path: str, crash: BaseException | None = None, errors: tuple[int, str | None] = (0, None)
) -> CrawlOutcome:
    """Judge a finished ``tremplin crawl`` from its stats and its run row; record a crash in the row.

    ``crash`` is an exception that ended the crawl; ``errors`` the count and first of the unexpected
    exceptions logged while it ran (``crawler.ops.terminal.CrashCounter``): either fails the run.
    """
    stats = crawler.stats
    run_id = stats.get_value("tremplin/run_id")
    failure = stats.get_value("tremplin/failure")
    if crash is not None:
        failure = failure or f"crash: {_one_line(crash)}"
    elif errors[0] and not failure:
        failure = f"{errors[0]} unexpected error{'s' if errors[0] > 1 else ''}, the first: {errors[1]}"
    if failure and run_id and stats.get_value("tremplin/run_status") != "failed":
        fail_run(db_path, run_id, failure)
    if run_id is None:
        return CrawlOutcome(EXIT_FAILED, [f"the crawl could not start: {failure or 'no run was recorded'}"])
    try:
        summary = read_summary(db_path, run_id)
    except sqlite3.Error as exc:
        summary, failure = None, failure or f"the run cannot be read back: {exc}"
    if failure:
        if summary is None:
            note = " (the database could not record the run)"
        elif summary.status == "running":
            note = " (its row could not be updated and still says running: the next run marks it interrupted)"
        else:
            note = ""
        return CrawlOutcome(EXIT_FAILED, [f"the run failed: {failure}{note}"], summary)
    if summary is None or summary.status == "running":
        return CrawlOutcome(EXIT_FAILED, ["the run could not be closed"], summary)
    not_due = stats.get_value("tremplin/sites/not_due", 0)
    if not_due and not stats.get_value("tremplin/sites/scheduled", 0) and not summary.visited:
        replay_at = crawler.settings.get("TREMPLIN_REPLAY_AT")
        now = normalise_warc_date(replay_at) if replay_at else None
        return CrawlOutcome(EXIT_NOTHING_DUE, nothing_due=nothing_due_message(db_path, not_due, now))
    if summary.monitor_status is None:  # monitors disabled: the run's end decides
        return CrawlOutcome(EXIT_OK if summary.status == "finished" else EXIT_DEGRADED, summary=summary)
    return CrawlOutcome(EXIT_CODES[summary.monitor_status], summary=summary)
