"""A store that never loses the batch: one item the database refuses costs that item only, said in the run."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from scrapy.settings import Settings
from scrapy.statscollectors import MemoryStatsCollector

from crawler.items import CandidateItem, CommunityItem, FetchErrorItem
from crawler.ops.monitors import MonitorConfig, judge_run
from crawler.storage import open_database
from pipelines.sqlite_store import SqliteStorePipeline

OBSERVED = "2026-12-01T10:00:00+00:00"


class FakeCrawler:
    """What the pipeline reads of a crawler: settings, stats and the spider's name and seeds."""

    def __init__(self, db: Path, batch_size: int) -> None:
        self.settings = Settings({"TREMPLIN_DB": str(db), "TREMPLIN_BATCH_SIZE": batch_size})
        self.stats = MemoryStatsCollector(self)
        self.spider = type("Spider", (), {"name": "communities", "seeds": []})()


def good(index: int) -> CommunityItem:
    return CommunityItem(
        id=f"club-{index}.test", url=f"http://club-{index}.test/", seed_url=f"http://club-{index}.test/",
        name=f"Club {index}", metrics={"members": 100 + index},
        evidence={"members": {"source_url": f"http://club-{index}.test/", "rule": "test", "snippet": None,
                              "approximate": False, "observed_at": OBSERVED}},
        observed_at=OBSERVED,
    )  # fmt: skip


def bad() -> CommunityItem:
    # SQLite stores 64-bit integers: this value makes the whole batch's INSERT raise OverflowError.
    item = good(99)
    item.metrics = {"members": 2**70}
    return item


def pipeline(db: Path, batch_size: int = 50) -> SqliteStorePipeline:
    store = SqliteStorePipeline(FakeCrawler(db, batch_size))
    store.open_spider()
    return store


def test_one_refused_item_costs_only_itself_and_the_run_says_so(tmp_path):
    db = tmp_path / "c.db"
    store = pipeline(db)
    items = [good(i) for i in range(10)] + [bad()] + [good(i) for i in range(10, 19)]
    items.append(FetchErrorItem(url="http://down.test/", error="timeout", site_id="down.test", at=OBSERVED))
    items.append(CandidateItem(site_id="found.test", url="http://found.test/", status="rejected", reason="http_404"))
    for item in items:
        store.process_item(item)
    store.close_spider()
    conn = sqlite3.connect(db)
    ids = sorted(row[0] for row in conn.execute("SELECT id FROM communities"))
    assert ids == sorted(f"club-{i}.test" for i in range(19))
    assert conn.execute("SELECT count(*) FROM observations").fetchone()[0] == 19
    assert conn.execute("SELECT site_id FROM candidates").fetchall() == [("found.test",)]
    errors = conn.execute("SELECT url, site_id, error, message FROM fetch_errors ORDER BY url").fetchall()
    assert errors == [
        ("http://club-99.test/", "club-99.test", "store_failed",
         "not stored: OverflowError: Python int too large to convert to SQLite INTEGER"),
        ("http://down.test/", "down.test", "timeout", None),
    ]  # fmt: skip
    run = conn.execute("SELECT status, items, errors FROM runs").fetchone()
    assert run == ("finished", 19, 2)
    events = conn.execute("SELECT event, detail FROM run_events ORDER BY seq").fetchall()
    assert events[0][0] == "started"
    assert events[1] == (
        "store_failed",
        "1 of 22 items of a batch could not be stored: http://club-99.test/: "
        "OverflowError: Python int too large to convert to SQLite INTEGER",
    )
    assert store.crawler.stats.get_value("tremplin/store/failed_items") == 1
    status, reasons, _ = judge_run(open_database(str(db)), conn.execute("SELECT id FROM runs").fetchone()[0],
                                   MonitorConfig())  # fmt: skip
    assert status == "degraded"
    assert "store: 1 items could not be stored (fetch_errors store_failed)" in reasons


def test_no_buffer_is_retried_forever(tmp_path):
    # Before: the buffers were only emptied after a successful write, so every later flush failed too.
    db = tmp_path / "c.db"
    store = pipeline(db, batch_size=2)
    for item in (good(1), bad(), good(2), good(3), good(4), good(5)):
        store.process_item(item)
    assert (store.communities, store.errors, store.candidates) == ([], [], [])
    store.close_spider()
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT count(*) FROM communities").fetchone()[0] == 5
    assert conn.execute("SELECT count(*) FROM fetch_errors WHERE error = 'store_failed'").fetchone()[0] == 1
    assert conn.execute("SELECT count(*) FROM run_events WHERE event = 'store_failed'").fetchone()[0] == 1


def test_a_retry_after_at_the_end_of_the_calendar_no_longer_fails_a_batch(tmp_path):
    # The red team's case (issue 15, 2): 19 good sites and one 503 with Retry-After in the year 9999.
    from crawler.schedule import MAX_RETRY_AFTER, parse_retry_after

    db = tmp_path / "c.db"
    store = pipeline(db)
    wait = parse_retry_after("Fri, 31 Dec 9999 23:59:59 GMT")
    assert wait == MAX_RETRY_AFTER.total_seconds()
    for i in range(19):
        store.process_item(good(i))
    store.process_item(CommunityItem(id="late.test", url="http://late.test/", seed_url="http://late.test/",
                                     status="unreachable", error_kind="http_503", retry_after=10**15))  # fmt: skip
    store.close_spider()
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT count(*) FROM communities WHERE status = 'alive'").fetchone()[0] == 19
    due, crawled = conn.execute(
        "SELECT next_due_at, last_crawled_at FROM communities WHERE id = 'late.test'"
    ).fetchone()
    from datetime import datetime

    assert datetime.fromisoformat(due) - datetime.fromisoformat(crawled) == MAX_RETRY_AFTER
    assert conn.execute("SELECT count(*) FROM fetch_errors").fetchone()[0] == 0
    assert conn.execute("SELECT status FROM runs").fetchone() == ("finished",)
