"""Datasette reads the database while a crawl writes it (WAL: readers never wait for the writer)."""

from __future__ import annotations

import asyncio
import sqlite3
import time

from tests.ops_web import build_web, start_crawl


def has_runs(db) -> bool:
    """Whether the crawl created its schema and its run (reading starts then)."""
    if not db.exists():
        return False
    try:
        with sqlite3.connect(db) as conn:
            return conn.execute("SELECT count(*) FROM runs").fetchone()[0] > 0
    except sqlite3.OperationalError:
        return False


def test_datasette_reads_while_a_crawl_writes(tmp_path):
    from datasette.app import Datasette

    db = tmp_path / "c.db"
    web, seeds, hosts = build_web(hubs=4, leaves_per_hub=6, delay=0.1)
    with web:
        crawl = start_crawl(web, db, "--set", "TREMPLIN_BATCH_SIZE=2", "--set", "CONCURRENT_REQUESTS=4", *seeds,
                            log=tmp_path / "crawl.log")  # fmt: skip
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not has_runs(db):
            time.sleep(0.02)

        async def read_during_crawl() -> list[tuple[bool, int, int]]:
            # Mutable mode: Datasette opens the file read-only and sees each committed batch.
            datasette = Datasette(files=[str(db)])
            seen = []
            while crawl.poll() is None and time.monotonic() < deadline:
                response = await datasette.client.get("/c/communities.json?_shape=array&_size=max&_col=id")
                seen.append((crawl.poll() is None, response.status_code, len(response.json())))
                await asyncio.sleep(0.1)
            return seen

        seen = asyncio.run(read_during_crawl())
        assert crawl.wait(timeout=60) == 0, (tmp_path / "crawl.log").read_text()[-3000:]
    assert all(status == 200 for _, status, _ in seen)
    during = [count for running, _, count in seen if running]
    assert any(0 < count < len(hosts) for count in during), seen  # read mid-crawl, rows arriving
    assert during == sorted(during)  # each read sees every batch committed before it
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("SELECT count(*) FROM communities").fetchone()[0] == len(hosts)
