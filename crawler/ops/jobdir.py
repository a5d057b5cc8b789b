"""Resume state kept beside Scrapy's own in a JOBDIR, robust to a SIGKILL.

Scrapy's JOBDIR (``requests.queue``, ``requests.seen``, ``spider.state``) is written out when the
crawl closes. After a clean stop (one Ctrl-C, SIGTERM, ``--max-time``) it resumes every pending
request. After a SIGKILL those files are stale or half written (Scrapy's docs: "unclean kills can
corrupt the directory"), and requests in flight are lost either way. So Tremplin keeps two files of
its own, written as the crawl goes:

``tremplin-job.json``
    the run id (a resumed crawl continues the same run) and whether the last process closed
    cleanly (``paused``, ``finished``) or is/was ``running``;
``tremplin-visits.sqlite``
    every site whose visit was scheduled, as JSON (no pickle), committed at once.

On start: a ``finished`` job starts a new run in a clean directory; a ``paused`` job lets Scrapy
resume its queue; a ``running`` job whose process is gone was killed: Scrapy's files are discarded
and every journaled site not yet committed to the database for this run is visited again from its
homepage. The database writes are idempotent per run, so a site visited twice adds no row.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import sqlite3
from pathlib import Path
from typing import Any

from crawler.ops.process import pid_alive
from crawler.ops.runs import now_iso

logger = logging.getLogger(__name__)

STATE_FILE = "tremplin-job.json"
JOURNAL_FILE = "tremplin-visits.sqlite"
SCRAPY_FILES = ("requests.queue", "requests.seen", "spider.state")

_JOBS: dict[Path, Job] = {}


class JobDirInUseError(RuntimeError):
    """Another live process is running this job."""


class VisitJournal:
    """Sites scheduled in this job, committed as they are scheduled."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        # WAL with synchronous=NORMAL survives the process being killed (not a power cut), at no fsync per row.
        self.conn.execute("PRAGMA journal_mode = WAL")
        self.conn.execute("PRAGMA synchronous = NORMAL")
        self.conn.execute("CREATE TABLE IF NOT EXISTS visits (key TEXT PRIMARY KEY, visit TEXT NOT NULL, at TEXT)")

    def add(self, key: str, fields: dict[str, Any]) -> bool:
        """Journal a site; return False if it was already there."""
        cursor = self.conn.execute(
            "INSERT OR IGNORE INTO visits (key, visit, at) VALUES (?, ?, ?)", [key, json.dumps(fields), now_iso()]
        )
        return cursor.rowcount == 1

    def entries(self) -> dict[str, dict[str, Any]]:
        """Return every journaled site: key -> seed fields."""
        return {key: json.loads(visit) for key, visit in self.conn.execute("SELECT key, visit FROM visits")}

    def close(self) -> None:
        self.conn.close()


class Job:
    """One JOBDIR as Tremplin sees it."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.mkdir(parents=True, exist_ok=True)
        state = self._read_state()
        self.previous_state: str | None = state.get("state")
        self.run_id: str | None = None
        self.killed = False
        if self.previous_state == "running":
            pid = state.get("pid")
            if pid != os.getpid() and pid_alive(pid):
                raise JobDirInUseError(f"job directory {path} is in use by pid {pid}")
            self.killed = True
        if self.previous_state in ("running", "paused"):
            self.run_id = state.get("run_id")
        if self.previous_state in (None, "finished") or self.killed or not self.run_id:
            # Scrapy's files are either from a finished job or not trustworthy after a kill.
            self._discard_scrapy_state()
        if not self.run_id:
            (path / JOURNAL_FILE).unlink(missing_ok=True)
            for suffix in ("-wal", "-shm"):
                (path / f"{JOURNAL_FILE}{suffix}").unlink(missing_ok=True)
        self.journal = VisitJournal(path / JOURNAL_FILE)

    @property
    def resuming(self) -> bool:
        """Whether this process continues an earlier, unfinished run."""
        return self.run_id is not None

    def _read_state(self) -> dict[str, Any]:
        try:
            state = json.loads((self.path / STATE_FILE).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return state if isinstance(state, dict) else {}

    def _write_state(self, **values: Any) -> None:
        state = {**self._read_state(), **values, "pid": os.getpid(), "updated_at": now_iso()}
        tmp = self.path / f"{STATE_FILE}.tmp"
        with tmp.open("w", encoding="utf-8") as handle:
            json.dump(state, handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, self.path / STATE_FILE)

    def _discard_scrapy_state(self) -> None:
        for name in SCRAPY_FILES:
            target = self.path / name
            if target.is_dir():
                shutil.rmtree(target)
            elif target.exists():
                target.unlink()

    def bind_run(self, run_id: str) -> bool:
        """Record the run this job belongs to, before any of it is written; return whether it resumes."""
        resuming = self.resuming and run_id == self.run_id
        self.run_id = run_id
        self._write_state(run_id=run_id, state="running")
        return resuming

    def close(self, finished: bool) -> None:
        """Record a clean end: ``finished`` (the next start is a new run) or paused (it resumes)."""
        self._write_state(state="finished" if finished else "paused")


def job_for(jobdir: str | Path | None) -> Job | None:
    """Return the process-wide ``Job`` of ``jobdir`` (prepared once: Scrapy files checked before use)."""
    if not jobdir:
        return None
    path = Path(jobdir).resolve()
    if path not in _JOBS:
        _JOBS[path] = Job(path)
    return _JOBS[path]


def job_for_settings(settings: Any) -> Job | None:
    """Return the job of a crawl's ``JOBDIR`` setting, if any."""
    return job_for(settings.get("JOBDIR"))


def forget_job(jobdir: str | Path) -> None:
    """Drop the cached job (tests that run several crawls in one process)."""
    job = _JOBS.pop(Path(jobdir).resolve(), None)
    if job is not None:
        job.journal.close()
