"""The bundled sample web: a deterministic build, ground truth that matches the pages, faults in place."""

from __future__ import annotations

import json
import re
from collections import defaultdict

import pytest
from protego import Protego
from warcio.archiveiterator import ArchiveIterator

from crawler.archive import sample_web
from crawler.archive.sample_web import CAPTURES, SITES, build
from crawler.archive.sample_web.outreach import OUTREACH

REBUILD = "regenerate with: python -m crawler.archive.sample_web.build"


@pytest.fixture(scope="module")
def records() -> list[dict]:
    """Read every record of the committed archive."""
    out = []
    with build.ARCHIVE.open("rb") as stream:
        for record in ArchiveIterator(stream):
            out.append(
                {
                    "type": record.rec_type,
                    "uri": record.rec_headers.get_header("WARC-Target-URI"),
                    "date": record.rec_headers.get_header("WARC-Date"),
                    "id": record.rec_headers.get_header("WARC-Record-ID"),
                    "http": record.http_headers,
                    "body": record.content_stream().read(),
                }
            )
    return out


@pytest.fixture(scope="module")
def expected() -> dict:
    """Load the committed ground truth."""
    return json.loads(build.EXPECTED.read_text(encoding="utf-8"))


def test_build_is_byte_identical_to_the_committed_archive(tmp_path):
    first, second = tmp_path / "a.warc.gz", tmp_path / "b.warc.gz"
    assert build.main(["--out", str(first)]) == 0
    assert build.main(["--out", str(second)]) == 0
    assert first.read_bytes() == second.read_bytes()
    assert first.read_bytes() == build.ARCHIVE.read_bytes(), REBUILD


def test_committed_ground_truth_and_seeds_are_current():
    assert build.EXPECTED.read_text(encoding="utf-8") == build.expected_json(), REBUILD
    assert build.SEEDS.read_text(encoding="utf-8") == build.seeds_text(), REBUILD


def test_archive_is_small():
    assert build.ARCHIVE.stat().st_size < 1_000_000


def test_warcinfo_first_then_one_response_per_url_and_capture(records):
    info = records[0]
    assert info["type"] == "warcinfo"
    assert b"software: tremplin sample-web builder" in info["body"]
    assert b"fictional" in info["body"]
    responses = records[1:]
    assert {r["type"] for r in responses} == {"response"}
    assert [(r["date"], r["uri"]) for r in responses] == [(d, u) for d, u, _ in sample_web.responses()]
    assert len({r["id"] for r in records}) == len(records)
    for record in responses:
        assert record["date"] in CAPTURES
        assert record["http"].protocol == "HTTP/1.1"
        assert "charset=" in record["http"].get_header("Content-Type")
        assert int(record["http"].get_header("Content-Length")) == len(record["body"])


def test_every_url_is_captured_at_every_date_from_the_site_first_capture(expected, records):
    dates_by_uri = defaultdict(set)
    for record in records[1:]:
        dates_by_uri[record["uri"]].add(record["date"])
    for site in expected["sites"]:
        for uri in site["archived_urls"]:
            start = CAPTURES.index(site["first_capture"])
            assert dates_by_uri[uri] == set(CAPTURES[start:]), uri
    assert sum(1 for site in SITES if site.first_capture) == 2


def test_sites_are_fictional_and_cover_the_use_case():
    assert len(SITES) >= 24
    assert all(re.fullmatch(r"[a-z0-9.-]+\.(example|test)", site.domain) for site in SITES)
    assert all(site.redirect_to.endswith(".example") for site in SITES if site.redirect_to)
    platforms = {site.platform for site in SITES if site.fault in (None, "redirect")}
    assert platforms >= {"discourse", "mediawiki", "mastodon", "lemmy", "peertube", "phpbb", "xenforo", "smf"}
    assert platforms >= {"mybb", "vbulletin", None}
    assert {site.fault for site in SITES} == {None, *sample_web.FAULTS}
    own_languages = {site.languages[0] for site in SITES}
    assert own_languages >= {"fr", "de", "es", "it", "pl", "pt", "nl", "en", "eo", "ca"}
    licences = {site.licence for site in SITES}
    assert licences >= {"CC-BY-SA-4.0", "CC-BY-2.0", "CC0-1.0", "GFDL-1.3-or-later", None}
    discourse = [site for site in SITES if site.platform == "discourse"]
    assert {site.old_keys for site in discourse} == {True, False}


def test_seed_file_lists_every_site_under_a_fictional_header():
    text = build.SEEDS.read_text(encoding="utf-8")
    assert "FICTIONAL" in text.split("\n\n")[0]
    seeds = [line for line in text.splitlines() if line and not line.startswith("#")]
    assert seeds == [site.root for site in SITES]


def test_robots_files(records, expected):
    robots = {r["uri"]: r["body"].decode() for r in records[1:] if r["uri"].endswith("/robots.txt")}
    for site in expected["sites"]:
        if site["fault"] == "not_archived":
            assert not any(uri.startswith(site["seed"]) for uri in robots)
            continue
        origin = site["final_url"] if site["fault"] == "redirect" else site["seed"]
        parser = Protego.parse(robots[origin + "robots.txt"])
        for uri in site["archived_urls"]:
            allowed = parser.can_fetch(uri, "tremplin")
            assert allowed == (uri not in site["must_not_fetch"]), uri
        assert parser.crawl_delay("tremplin") == site["crawl_delay"]


def test_fault_responses(records):
    by_uri = {(r["date"], r["uri"]): r for r in records[1:]}
    when = CAPTURES[0]
    assert by_uri[(when, "https://tandem-lyon.example/")]["http"].get_header("Retry-After") == "3600"
    assert by_uri[(when, "https://tandem-lyon.example/")]["http"].get_statuscode() == "503"
    assert by_uri[(when, "https://livemondo.example/")]["http"].get_statuscode() == "410"
    moved = by_uri[(when, "http://old-name.example/")]["http"]
    assert (moved.get_statuscode(), moved.get_header("Location")) == ("301", "https://new-name.example/")
    assert not any("vanished-club" in uri for _, uri in by_uri)


def test_json_bodies_parse_except_the_broken_one(records, expected):
    broken = {uri for site in expected["sites"] for uri in site["broken_urls"]}
    assert broken
    for record in records[1:]:
        if "json" not in record["http"].get_header("Content-Type"):
            continue
        if record["uri"] in broken:
            with pytest.raises(json.JSONDecodeError):
                json.loads(record["body"])
        else:
            json.loads(record["body"])


def _digits(text: str) -> str:
    # Drop digit-group separators (",", ".", spaces) so "250 000" and "6,912,305" read as plain integers.
    return re.sub(r"(?<=\d)[,.\s\u00a0\u202f](?=\d{3}(?!\d))", "", text)


def test_every_expected_metric_is_printed_by_the_site(records, expected):
    bodies = defaultdict(str)
    editions = defaultdict(set)  # a portal's editions are counted from its links, not printed as a number
    for record in records[1:]:
        host = record["uri"].split("/")[2]
        charset = record["http"].get_header("Content-Type").split("charset=")[-1]
        text = record["body"].decode(charset)
        bodies[(record["date"], host)] += _digits(text) + "\n"
        editions[(record["date"], host)] |= set(re.findall(r'href="//([^/"]+)/"', text))
    for site in expected["sites"]:
        host = site["final_url"].split("/")[2]
        for date, capture in site["captures"].items():
            for metric, value in (capture or {"metrics": {}})["metrics"].items():
                text = bodies[(date, host)]
                if metric == "communities" and site["platform"] == "wikimedia_portal":
                    assert len(editions[(date, host)]) == value, f"{host} {date} {metric}={value}"
                    continue
                printed = re.search(rf"(?<![\d.]){value}(?![\d])", text) or (
                    metric in capture["approximate"] and f"{value // 1_000_000} million" in text
                )
                assert printed, f"{host} {date} {metric}={value}"


def test_counts_change_between_captures(expected):
    trends = {}
    for site in expected["sites"]:
        # Open corpora and portals publish no member count.
        members = [c["metrics"]["members"] for c in site["captures"].values() if c and "members" in c["metrics"]]
        if len(members) > 1:
            trends[site["seed"]] = members[-1] - members[0]
    assert all(trends.values())
    assert sum(1 for change in trends.values() if change < 0) == 1
    big = [
        site
        for site in expected["sites"]
        if site["captures"][CAPTURES[0]] and site["captures"][CAPTURES[0]]["metrics"].get("members", 0) > 50_000
    ]
    assert big
    assert any(len(site["languages"]) > 1 for site in expected["sites"])


def test_personal_data_stays_in_the_newest_member_lines(records, expected):
    names = {name: site for site in expected["sites"] for name in site["must_not_store"]}
    assert names
    # Contact and legal pages (and a footer or two) print addresses and people's names on purpose.
    outreach_pages = {f"https://{domain}{path}" for domain, spec in OUTREACH.items() for path in spec.pages}
    outreach_pages |= {f"https://{domain}/" for domain, spec in OUTREACH.items() if "@" in spec.footer_extra}
    for record in records[1:]:
        text = record["body"].decode("latin-1")
        if re.search(r"[\w.+-]+@[\w-]+\.[\w.]+", text):
            assert record["uri"] in outreach_pages, record["uri"]
        for name, site in names.items():
            if name in text:
                assert record["uri"] == site["final_url"] or record["uri"] in outreach_pages, (name, record["uri"])


def test_hostile_texts_are_present(records, expected):
    hostile = [site for site in expected["sites"] if site["hostile_text"]]
    assert len(hostile) == 1
    bodies = [r["body"] for r in records[1:] if r["uri"].startswith(hostile[0]["seed"])]
    assert any(b"<script>alert(1)</script>" in body for body in bodies)  # raw in the JSON API
    assert any(b"&lt;script&gt;alert(1)&lt;/script&gt;" in body for body in bodies)  # escaped in HTML
    assert any((site["name"] or "").startswith("=HYPERLINK(") for site in expected["sites"])
