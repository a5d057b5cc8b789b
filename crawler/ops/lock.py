"""One crawl at a time per database: an advisory lock that a killed run cannot leave behind.

The lock is ``flock`` on a small file next to the database, named after the database's real path
(symlinks resolved), so one database has one lock however it is named. The kernel drops it when the holding
process dies, however it dies, so a killed run can never block the next one. The file also keeps
a JSON note of its holder (pid, host, start time, command); a clean release empties it. Finding a
note while nobody holds the lock therefore means the previous holder died without releasing: that
stale lock is reported and cleared, and the caller marks the dead run interrupted.

``flock`` is reliable on local file systems; keep the database and its lock on a local disk (SQLite
itself asks for that too).
"""

from __future__ import annotations

import fcntl
import json
import os
import socket
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from crawler.ops.process import pid_alive
from crawler.ops.runs import now_iso


class LockBusyError(RuntimeError):
    """Another live process holds the lock."""

    def __init__(self, path: Path, holder: dict[str, Any]) -> None:
        self.path = path
        self.holder = holder
        who = f"pid {holder.get('pid', '?')} on {holder.get('host', '?')}" if holder else "another process"
        since = f" since {holder['started_at']}" if holder.get("started_at") else ""
        super().__init__(f"another run holds {path} ({who}{since})")


@dataclass
class StaleLock:
    """The note a dead holder left behind."""

    holder: dict[str, Any]
    pid_alive: bool

    def describe(self) -> str:
        pid = self.holder.get("pid", "?")
        state = "a live process that does not hold the lock (pid reused)" if self.pid_alive else "not running"
        host, since = self.holder.get("host", "?"), self.holder.get("started_at", "?")
        return f"stale lock of pid {pid} on {host} since {since} ({state})"


class RunLock:
    """``with RunLock(path) as lock:`` holds the lock; ``lock.stale`` tells what a dead holder left."""

    def __init__(self, path: str | Path, purpose: str = "crawl") -> None:
        self.path = Path(path)
        self.purpose = purpose
        self.fd: int | None = None
        self.stale: StaleLock | None = None

    def acquire(self) -> StaleLock | None:
        """Take the lock without waiting; raise ``LockBusyError`` if a live process holds it."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _read_note(fd)
            os.close(fd)
            raise LockBusyError(self.path, holder) from None
        previous = _read_note(fd)
        if previous:
            # We hold the lock, yet a note is there: its writer died without releasing.
            self.stale = StaleLock(
                previous, pid_alive(previous.get("pid")) and previous.get("host") == socket.gethostname()
            )
        note = {
            "pid": os.getpid(),
            "host": socket.gethostname(),
            "started_at": now_iso(),
            "purpose": self.purpose,
            "command": " ".join(sys.argv)[:500],
        }
        os.ftruncate(fd, 0)
        os.pwrite(fd, json.dumps(note).encode(), 0)
        os.fsync(fd)
        self.fd = fd
        return self.stale

    def release(self) -> None:
        """Empty the note (a clean release), then drop the lock."""
        if self.fd is None:
            return
        try:
            os.ftruncate(self.fd, 0)
            os.fsync(self.fd)
        finally:
            fcntl.flock(self.fd, fcntl.LOCK_UN)
            os.close(self.fd)
            self.fd = None

    def __enter__(self) -> RunLock:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


def _read_note(fd: int) -> dict[str, Any]:
    raw = os.pread(fd, 4096, 0)
    if not raw.strip():
        return {}
    try:
        note = json.loads(raw)
    except ValueError:
        return {"unreadable": raw[:100].decode("utf-8", "replace")}
    return note if isinstance(note, dict) else {}


def lock_path_for(db_path: str | Path) -> Path:
    """Return the lock file of a database: ``<db>.lock`` beside the file itself.

    Keyed by the resolved real path, so the same database reached through a symlink, a relative
    path or ``..`` has one lock, and one writer.
    """
    return Path(f"{os.path.realpath(db_path)}.lock")
