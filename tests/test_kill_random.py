"""Kill the crawl with SIGKILL at random moments: the database stays sound and keeps what was committed.

For each fixed seed a crawl of the loopback web (``tests/faultweb.py``) runs on the same database
and is killed at a moment drawn from the seed: during start-up, or after the n-th site was
committed (one transaction per item), plus a random fraction of a second. While it runs, the test
reads the database as another process would; everything it saw committed before the kill must
still be there after it, and ``PRAGMA integrity_check`` must pass. A last crawl then runs to the end
on the same database.
"""

from __future__ import annotations

import random
import signal
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest

from tests.faultweb import (
    REPO,
    FaultWeb,
    crawl_command,
    crawl_env,
    generated_healthy_sites,
    healthy_sites,
    run_crawl,
)

# Drawn targets: start-up, then after 3, 15, 20 and 30 of the 31 sites were committed.
SEEDS = (31, 2, 3, 7, 12)
ARGS = [
    "--log-level", "WARNING", "--max-depth", "0", "--refresh", "all",
    "--set", "DOWNLOAD_DELAY=0.05", "--set", "AUTOTHROTTLE_START_DELAY=0.05", "--set", "RETRY_TIMES=0",
    # One transaction per item, and few sites at a time: commits keep coming while the crawl runs.
    "--set", "TREMPLIN_BATCH_SIZE=1", "--set", "CONCURRENT_REQUESTS=4",
]  # fmt: skip


def committed(db: Path) -> tuple[dict[str, tuple], set[tuple], int, int] | None:
    """What another process sees committed: communities by id, observation rows, runs, the last run's sites."""
    if not db.exists():
        return None
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1)
        try:
            communities = {row[0]: row for row in conn.execute("SELECT id, url, name, members FROM communities")}
            observations = set(conn.execute("SELECT community_id, run_id, metric, value FROM observations"))
            runs = conn.execute("SELECT count(*) FROM runs").fetchone()[0]
            progress = conn.execute(
                "SELECT count(*) FROM run_sites WHERE run_id = (SELECT id FROM runs ORDER BY rowid DESC LIMIT 1)"
            ).fetchone()[0]
        finally:
            conn.close()
    except sqlite3.Error:
        return None  # not created or not migrated yet
    return communities, observations, runs, progress


def kill_at_random(web: FaultWeb, db: Path, workdir: Path, seeds: list[str], rng: random.Random) -> tuple:
    """Start a crawl, SIGKILL it at a moment drawn from ``rng``; return (last state seen, what the kill hit)."""
    target = rng.randint(0, len(seeds))
    extra = rng.uniform(0, 0.15)
    workdir.mkdir(parents=True, exist_ok=True)
    process = subprocess.Popen(
        crawl_command(db, *ARGS, "--allow-address", f"127.0.0.1:{web.port}", *seeds),
        cwd=REPO, env=crawl_env(web, workdir), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    started = time.monotonic()
    seen = committed(db)
    runs_before = seen[2] if seen else 0
    moment = "start-up"
    try:
        while process.poll() is None and time.monotonic() - started < 60:
            state = committed(db)
            seen = state or seen
            if target == 0 and time.monotonic() - started >= extra * 10:
                break  # within the first 1.5 s: imports, migrations, opening the run
            if target and state and state[2] > runs_before and state[3] >= target:
                moment = f"after {state[3]} sites"
                time.sleep(extra)
                seen = committed(db) or seen
                break
            time.sleep(0.01)
        if process.poll() is not None:
            moment = "after the end"
        process.send_signal(signal.SIGKILL)
    finally:
        process.kill()
        process.wait(timeout=10)
    return seen, moment


def check_sound(db: Path) -> None:
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    finally:
        conn.close()


@pytest.fixture(scope="module")
def web():
    with FaultWeb() as web:
        seeds = healthy_sites(web) + generated_healthy_sites(web, 20)
        yield web, seeds


def test_sigkill_never_corrupts_nor_loses_a_committed_community(web, tmp_path):
    web, seeds = web
    db = tmp_path / "k.db"
    moments = []
    for seed in SEEDS:
        seen, moment = kill_at_random(web, db, tmp_path / f"run-{seed}", seeds, random.Random(seed))
        moments.append(moment)
        if not db.exists():
            continue
        check_sound(db)
        after = committed(db)
        assert after is not None
        if seen is not None:
            communities, observations, _, _ = seen
            lost = set(communities) - set(after[0])
            assert not lost, f"seed {seed} ({moment}): lost committed communities {sorted(lost)}"
            assert observations <= after[1], f"seed {seed} ({moment}): lost committed observations"
    print(moments)
    assert any(moment.startswith("after ") and moment != "after the end" for moment in moments), moments
    # The killed runs leave nothing that stops the next one: it runs to the end on the same file.
    final = run_crawl(web, db, tmp_path / "final", [*ARGS, "--allow-address", f"127.0.0.1:{web.port}", *seeds])
    assert final.returncode in (0, 3), final.stderr[-3000:]
    check_sound(db)
    communities = committed(db)[0]
    assert len([row for row in communities.values() if row[2]]) >= len(seeds)
