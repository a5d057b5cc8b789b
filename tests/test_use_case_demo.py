"""The demo's seeds report: one row per seed of the bundled sample web, each state explained."""

from __future__ import annotations

import sqlite3
import subprocess
import sys

import pytest

from crawler.cli import SAMPLE_SEEDS
from crawler.publish import canned_query
from crawler.visit import read_seeds

ARCHIVE = SAMPLE_SEEDS.with_name("sample_web.warc.gz")
CLOSED = SAMPLE_SEEDS.with_name("sample_web_closed.txt")  # passed as `tremplin demo` does


@pytest.fixture(scope="module")
def demo_report(tmp_path_factory):
    """One replay of the sample web (the last capture of every URL), as `tremplin demo` runs it."""
    db = tmp_path_factory.mktemp("demo") / "demo.db"
    result = subprocess.run(
        [sys.executable, "-m", "crawler", "crawl", "--replay", str(ARCHIVE), "--seeds-file", str(SAMPLE_SEEDS),
         "--db", str(db), "--log-level", "ERROR", "--set", f"TREMPLIN_CLOSED_FILE={CLOSED}"],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-2000:]
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    yield conn
    conn.close()


def test_demo_seeds_report_lists_every_fictional_seed(demo_report):
    conn = demo_report
    report = [dict(row) for row in conn.execute(canned_query("seeds_report")["sql"], {"run_id": ""})]
    seeds = sorted(url for url, _ in read_seeds(SAMPLE_SEEDS))
    assert [row["seed_url"] for row in report] == seeds
    for row in report:
        if row["state"] not in ("alive", "alias"):
            # A closed twin's why is the reason of the closed list, checked exactly below.
            closed = row["id"] in TWINS and TWINS[row["id"]]["why"] == row["why"]
            assert row["why"] and (closed or row["why"].startswith(("visit failed: ", row["state"]))), row
        elif row["read_figures"] is None:
            assert row["why"] in ("the pages read publish no figures", "company platform: its pages publish no figures")
    states = {row["state"] for row in report}
    assert {"alive", "gone", "unreachable", "blocked_by_robots"} <= states


# The fictional twins of the use case's communities (docs/use-case-communities.md, "The demo's
# fictional twins"), as the seeds report shows them after the demo's crawl of the last capture.
LIVEMONDO_REASON = (
    "Livemondo, fictional twin of Livemocha: a company's language-learning network (its farewell page is "
    "the source); closed in 2016 (https://livemondo.example/); its address now answers: http_410"
)
TWINS = {
    "frasoteko.example": {  # Tatoeba: an open sentence corpus on Tatoeba's software
        "seed_url": "https://frasoteko.example/", "state": "alive", "kind": "open_corpus", "platform": "tatoeba",
        "read_figures": '{"contributions_1d":685,"corpus_languages":192,"sentences":2516062}',
        "licence": "CC-BY-2.0", "languages": '["eo", "en", "fr", "de", "es", "pt", "it", "ja", "pl", "nl"]',
        "missing": "members", "why": "the pages read publish no member count",
    },
    "vikilibro.example": {  # the Wikipedia portal: a portal listing a wiki's language editions
        "seed_url": "https://www.vikilibro.example/", "state": "alive", "kind": "wiki",
        "platform": "wikimedia_portal", "read_figures": '{"communities":12}', "licence": "CC-BY-SA-4.0",
        "languages": '["eo", "fr", "es", "de", "it", "pt", "ca", "nl", "pl", "ro"]',
        "missing": "members activity", "why": "the pages read publish no member count",
    },
    "reseau-romanophone.example": {  # Miriadi: a Drupal 7 intercomprehension network
        "seed_url": "https://reseau-romanophone.example/", "state": "alive", "kind": "unknown",
        "platform": "drupal", "read_figures": '{"members":1800,"online_now":17}', "licence": None,
        "languages": '["fr"]', "missing": "activity licence", "why": None,
    },
    "swapspeak.example": {  # The Mixxer: a Drupal 10 language exchange
        "seed_url": "https://swapspeak.example/", "state": "alive", "kind": "unknown", "platform": "drupal",
        "read_figures": '{"members":65000,"online_now":36}', "licence": None, "languages": '["en"]',
        "missing": "activity licence", "why": None,
    },
    "livemondo.example": {  # Livemocha: closed, on the sample web's own closed list
        "seed_url": "https://livemondo.example/", "state": "gone", "kind": None, "platform": None,
        "read_figures": None, "licence": None, "languages": None, "missing": "members activity licence",
        "why": f"{LIVEMONDO_REASON} (http_410 https://livemondo.example/)",
    },
}  # fmt: skip


def test_demo_seeds_report_shows_each_twin_with_its_state_and_what_is_missing(demo_report):
    conn = demo_report
    report = {row["id"]: dict(row) for row in conn.execute(canned_query("seeds_report")["sql"], {"run_id": ""})}
    columns = ("seed_url", "state", "kind", "platform", "read_figures", "licence", "languages", "missing", "why")
    assert {cid: {c: report[cid][c] for c in columns} for cid in TWINS} == TWINS
    # The closed twin's row in communities: gone, error kind closed, the reason of the sample web's list.
    gone = conn.execute("SELECT status, error_kind, state_reason FROM communities WHERE id = 'livemondo.example'")
    assert tuple(gone.fetchone()) == ("gone", "closed", LIVEMONDO_REASON)
