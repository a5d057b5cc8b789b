"""The demo's seeds report: one row per seed of the bundled sample web, each state explained."""

from __future__ import annotations

import sqlite3
import subprocess
import sys

from crawler.cli import SAMPLE_SEEDS
from crawler.publish import canned_query
from crawler.visit import read_seeds

ARCHIVE = SAMPLE_SEEDS.with_name("sample_web.warc.gz")
CLOSED = SAMPLE_SEEDS.with_name("sample_web_closed.txt")  # passed as `tremplin demo` does


def test_demo_seeds_report_lists_every_fictional_seed(tmp_path):
    db = tmp_path / "demo.db"
    result = subprocess.run(
        [sys.executable, "-m", "crawler", "crawl", "--replay", str(ARCHIVE), "--seeds-file", str(SAMPLE_SEEDS),
         "--db", str(db), "--log-level", "ERROR", "--set", f"TREMPLIN_CLOSED_FILE={CLOSED}"],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-2000:]
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    report = [dict(row) for row in conn.execute(canned_query("seeds_report")["sql"], {"run_id": ""})]
    seeds = sorted(url for url, _ in read_seeds(SAMPLE_SEEDS))
    assert [row["seed_url"] for row in report] == seeds
    for row in report:
        if row["state"] not in ("alive", "alias"):
            assert row["why"] and row["why"].startswith(("visit failed: ", row["state"])), row
        elif row["read_figures"] is None:
            assert row["why"] in ("the pages read publish no figures", "company platform: its pages publish no figures")
    states = {row["state"] for row in report}
    assert {"alive", "gone", "unreachable", "blocked_by_robots"} <= states
