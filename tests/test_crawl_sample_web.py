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
# The demo passes the sample web's own closed list, as `tremplin demo` does.
SAMPLE_CLOSED = SAMPLE_SEEDS.with_name("sample_web_closed.txt")
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
                "--set", f"TREMPLIN_CLOSED_FILE={SAMPLE_CLOSED}",
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


OUTREACH_LISTS = ("meetup_cities", "practised_languages")


@pytest.mark.parametrize("site", [s for s in HEALTHY if s["outreach"]], ids=lambda s: s["seed"])
def test_outreach_values(sample_db, site):
    row = sample_db["communities"].get(community_id(site))
    for field, expected in site["outreach"].items():
        value = row[field]
        if field in OUTREACH_LISTS:
            value = json.loads(value or "[]")
        elif field == "meetups" and value is not None:
            value = bool(value)
        assert value == expected, field
    # Every outreach value stored has its evidence row, with a rule and the URL it was read from.
    fields = {r["field"]: r for r in sample_db.query(
        "SELECT field, rule, source_url, snippet FROM evidence WHERE community_id = ? AND run_id = ?",
        [community_id(site), row["last_run_id"]],
    )}  # fmt: skip
    for field, expected in site["outreach"].items():
        if expected not in (None, []):
            assert fields[field]["rule"] and fields[field]["source_url"].startswith("http"), field


def test_outreach_pages_fetched_without_error_rows(sample_db):
    # An about or contact page the site links to but does not serve is optional: no error row.
    assert not list(sample_db["fetch_errors"].rows_where("url like ? or url like ?", ["%/about", "%/contact"]))
    urls = {r["source_url"] for r in sample_db.query("SELECT source_url FROM evidence WHERE field = 'operator_name'")}
    assert "https://polyglottes-club.example/mentions-legales" in urls
    assert "https://brieffreunde-tandem.example/impressum" in urls


@pytest.mark.parametrize("site", [s for s in HEALTHY if s["members_flags"]], ids=lambda s: s["seed"])
def test_members_trust_flags(sample_db, site):
    flags = sample_db.query(
        "SELECT flag, reason FROM count_flags WHERE community_id = ? AND metric = 'members' ORDER BY flag",
        [community_id(site)],
    )
    flags = list(flags)
    assert [f["flag"] for f in flags] == site["members_flags"]
    assert all(f["reason"] for f in flags)


def test_planted_anomaly_has_its_reasons(sample_db):
    reason = sample_db.execute(
        "SELECT reason FROM count_flags WHERE community_id = 'forum.wymiana-jezykowa.example' AND flag = 'anomalous'"
    ).fetchone()[0]
    assert "members jumped from 6,950 to 28,900" in reason
    assert "bot-like growth: members +316% (6,950 → 28,900) while posts changed +3%" in reason


def test_one_community_several_sites(sample_db):
    grouped = {site["group"] for site in HEALTHY if site["group"]}
    assert grouped == {"comunidad.hablamos.example"}
    rows = list(sample_db.query("SELECT community_id, group_id, is_primary, reasons FROM community_groups"))
    assert [(r["community_id"], r["group_id"], r["is_primary"]) for r in rows] == [
        ("comunidad.hablamos.example", "comunidad.hablamos.example", 1),
        ("wiki.hablamos.example", "comunidad.hablamos.example", 0),
    ]
    # Their links to each other stay within one domain (the site's own links): the domain groups them.
    assert json.loads(rows[0]["reasons"]) == [
        "shared domain hablamos.example (comunidad.hablamos.example + wiki.hablamos.example)",
    ]
    # The group counts once in the totals: its largest site's members, not the sum.
    presence = sample_db.execute(
        "SELECT sites, members FROM community_presence WHERE presence_id = 'comunidad.hablamos.example'"
    ).fetchone()
    forum, wiki = (
        sample_db["communities"].get(i)["members"] for i in ("comunidad.hablamos.example", "wiki.hablamos.example")
    )
    assert presence == (2, max(forum, wiki))
    total_sites = sample_db.execute("SELECT sum(members) FROM communities WHERE status = 'alive'").fetchone()[0]
    total_presence = sample_db.execute("SELECT sum(members) FROM community_presence").fetchone()[0]
    assert total_sites - total_presence == min(forum, wiki)
