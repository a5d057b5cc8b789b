"""End-to-end: ``tremplin crawl --replay`` of the bundled sample web, checked against its ground truth.

The sample web's ground truth (``tests/fixtures/sample_web/expected.json``) is written by the
archive's builder from the same site definitions that render the pages; the crawl must read the
pages back to exactly those values, dated by each capture.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import sqlite_utils

from crawler.archive.warc import normalise_warc_date
from crawler.cli import SAMPLE_ARCHIVE, SAMPLE_SEEDS
from crawler.identity import site_key

EXPECTED = json.loads((Path(__file__).parent / "fixtures" / "sample_web" / "expected.json").read_text())
SITES = EXPECTED["sites"]
HEALTHY = [s for s in SITES if s["fault"] in (None, "redirect")]
FAULT_STATUS = {"http_503": "unreachable", "http_410": "gone", "robots": "blocked_by_robots", "not_archived": "gone"}


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory) -> sqlite_utils.Database:
    path = tmp_path_factory.mktemp("sample") / "demo.db"
    for capture in EXPECTED["captures"]:
        result = subprocess.run(
            [
                sys.executable, "-m", "crawler", "crawl", "--replay", str(SAMPLE_ARCHIVE), "--replay-at", capture,
                "--seeds-file", str(SAMPLE_SEEDS), "--db", str(path), "--log-level", "WARNING",
            ],
            capture_output=True, text=True, timeout=120, check=False,
        )  # fmt: skip
        assert result.returncode == 0, result.stderr[-3000:]
    return sqlite_utils.Database(path)


def community_id(site: dict) -> str:
    return site_key(site["final_url"] or site["seed"])


def test_one_row_per_community_and_three_runs(sample_db):
    assert sample_db["runs"].count == len(EXPECTED["captures"])
    assert all(run["status"] == "finished" for run in sample_db["runs"].rows)
    ids = [row["id"] for row in sample_db["communities"].rows]
    assert len(ids) == len(set(ids))
    assert {community_id(site) for site in SITES} <= set(ids)


@pytest.mark.parametrize("site", HEALTHY, ids=lambda s: s["seed"])
def test_healthy_site_values(sample_db, site):
    row = sample_db["communities"].get(community_id(site))
    assert row["status"] == "alive"
    assert row["platform"] == site["platform"]
    assert row["name"] == site["name"]
    assert [tag.split("-")[0] for tag in json.loads(row["languages"])] == site["languages"]
    assert row["licence"] == site["licence"]
    if site["platform_version"]:
        assert row["platform_version"] == site["platform_version"]
    if site["registrations_open"] is not None:
        assert row["registrations_open"] == int(site["registrations_open"])


@pytest.mark.parametrize("site", HEALTHY, ids=lambda s: s["seed"])
def test_healthy_site_history(sample_db, site):
    for capture, expected in site["captures"].items():
        if expected is None:
            continue
        rows = sample_db.query(
            "SELECT metric, value, approximate, source_url, rule FROM observations "
            "WHERE community_id = ? AND observed_at = ?",
            [community_id(site), normalise_warc_date(capture)],
        )
        rows = list(rows)
        assert {r["metric"]: r["value"] for r in rows} == expected["metrics"], capture
        assert {r["metric"] for r in rows if r["approximate"]} == set(expected["approximate"])
        assert all(r["source_url"].startswith("http") and r["rule"] for r in rows)


@pytest.mark.parametrize("site", [s for s in SITES if s["fault"] in FAULT_STATUS], ids=lambda s: s["seed"])
def test_faulty_site_recorded(sample_db, site):
    row = sample_db["communities"].get(community_id(site))
    assert row["status"] == FAULT_STATUS[site["fault"]]
    errors = list(sample_db["fetch_errors"].rows_where("site_id = ?", [community_id(site)]))
    assert len(errors) == len(EXPECTED["captures"])  # one per run
    assert {e["error"] for e in errors} == {"http_404" if site["fault"] == "not_archived" else site["fault"]}


def test_broken_endpoint_is_an_error_row_and_site_kept(sample_db):
    broken = [(s, url) for s in SITES for url in s["broken_urls"]]
    assert broken
    for site, url in broken:
        errors = list(sample_db["fetch_errors"].rows_where("url = ?", [url]))
        assert errors, url
        assert sample_db["communities"].get(community_id(site))["status"] == "alive"


def test_no_personal_data_stored(sample_db):
    tables = [t for t in sample_db.table_names() if "_fts" not in t]
    dump = json.dumps([list(sample_db[t].rows) for t in tables], ensure_ascii=False)
    for site in SITES:
        for name in site["must_not_store"]:
            assert name not in dump, name


def test_hostile_text_stored_as_text(sample_db):
    for site in SITES:
        if site.get("hostile_text"):
            row = sample_db["communities"].get(community_id(site))
            assert site["hostile_text"] in (row["description"] or "") + (row["name"] or "")
