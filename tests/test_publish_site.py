"""The site on the demo's own data (the sample web crawled at its three captures), in-process.

The course designer's question, "French-speaking communities with at least 50,000 members, active
and openly licensed, and how to contact them", with its exclusion counts; how the form's values
are read; the landscape, growth and feed pages; the home and "About the data" pages; search by
prefix; and a site one request cannot take down.
"""

from __future__ import annotations

import asyncio
import sqlite3
import time
from pathlib import Path
from urllib.parse import urlencode

import pytest

from crawler.publish import make_datasette
from crawler.server_paths import server_path_free
from crawler.site.charts import bar_chart, line_chart, needs_log
from crawler.site.functions import prefix_fts
from crawler.site.params import ParamError, read_count, read_flag, read_language
from tests.sample_site import sample_site
from tests.served import request, serving

QUESTION = {"language": "fr", "min_members": "50,000", "open_licence_only": "1"}
ANSWER = [
    # Unknown is not no: the two without an activity figure and the two without a licence stay, marked.
    ("polyglottes-club.example", 275000, "unknown", "unknown"),
    ("forum.francais-langue-etrangere.example", 60270, "active", "unknown"),
    ("wiki.tandem-montreal.example", 59087, "active", "open"),
    ("bibliotheque-dialogues.example", 51000, "unknown", "open"),
]
LEFT_OUT = [
    {"filter": "kept", "communities": 4, "reason": "kept"},
    {"filter": "min_members", "communities": 25, "reason": "fewer than 50,000 members"},
    # The sentence corpus and the portal of the use case's twins publish no member count.
    {"filter": "members_unknown", "communities": 2, "reason": "no member count published"},
    {"filter": "language", "communities": 5, "reason": "not in French"},
    {"filter": "licence", "communities": 1, "reason": "not openly licensed"},
    {"filter": "activity", "communities": 1, "reason": "with no activity in the 30 days before capture"},
]


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    return sample_site(tmp_path_factory.mktemp("sample_site"))


def get(db, *paths, method="GET"):
    return request(db, *paths, method=method)


def rss_mb() -> int:
    """Resident memory of this process, in MB (Linux)."""
    status = Path("/proc/self/status").read_text(encoding="ascii")
    return int(status.split("VmRSS:")[1].split()[0]) // 1024


def rows(db, query, **params):
    (response,) = get(db, f"/demo/{query}.json?" + urlencode({"_shape": "array", **params}))
    assert response.status_code == 200, response.text
    return response.json()


def test_the_course_designers_question(site):
    found = rows(site, "partner_shortlist", **QUESTION)
    assert [(r["id"], r["members"], r["activity"], r["licence_status"]) for r in found] == ANSWER
    montreal = found[2]
    assert montreal["contact_page"] == "https://wiki.tandem-montreal.example/wiki/Project:About"
    assert found[0]["contact_email"] == "bonjour@polyglottes-club.example"
    # Columns in the order a designer reads them, contact columns included.
    assert list(found[0])[:11] == [
        "name", "members", "active_users_30d", "languages", "practised_languages", "licence", "registration_mode",
        "price_model", "contact_email", "contact_page", "platform",
    ]  # fmt: skip
    assert rows(site, "partner_exclusions", **QUESTION) == LEFT_OUT
    # Measured activity and a declared licence only: the one community that answers every part.
    strict = {**QUESTION, "measured_activity_only": "1", "declared_licence_only": "1"}
    assert [r["id"] for r in rows(site, "partner_shortlist", **strict)] == ["wiki.tandem-montreal.example"]
    assert [(r["filter"], r["communities"]) for r in rows(site, "partner_exclusions", **strict)] == [
        ("kept", 1), ("min_members", 25), ("members_unknown", 2), ("language", 5), ("licence", 1),
        ("licence_unknown", 2), ("activity", 1), ("activity_unknown", 1),
    ]  # fmt: skip


@pytest.mark.parametrize("typed", ["50,000", "50 000", "50.000", "50k", "50000", " 50K "])
def test_member_counts_are_read_as_people_write_them(site, typed):
    assert [r["id"] for r in rows(site, "partner_shortlist", **{**QUESTION, "min_members": typed})] == [
        a[0] for a in ANSWER
    ]


def test_language_names_and_yes_are_read_too(site):
    spelled = {"language": "French", "min_members": "50k", "open_licence_only": "yes"}
    assert [r["id"] for r in rows(site, "partner_shortlist", **spelled)] == [a[0] for a in ANSWER]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"min_members": "5O,000"}, "min_members: cannot read '5O,000' as a number of members"),
        ({"min_members": "50,5"}, "min_members: cannot read '50,5' as a number of members"),
        ({"language": "Frnch"}, "language: no language called 'Frnch'"),
        ({"open_licence_only": "maybe"}, "open_licence_only: cannot read 'maybe' as yes or no"),
        ({"active_days": "45"}, "active_days: '45' is not one of 0, 1, 7, 30, 90, 180, 365"),
        ({"exclude_flags": "spam"}, "exclude_flags: 'spam' is not a trust flag"),
    ],
)
def test_a_value_the_site_cannot_read_is_refused_never_reread(site, params, message):
    json_page, csv_page, html_page = get(
        site,
        "/demo/partner_shortlist.json?" + urlencode(params),
        "/demo/partner_exclusions.csv?" + urlencode(params),
        "/demo/partner_shortlist?" + urlencode(params),
    )
    assert json_page.status_code == 400 and json_page.json()["ok"] is False
    assert json_page.json()["error"].startswith(message)
    assert csv_page.status_code == 400
    assert html_page.status_code == 200  # the page keeps its form, says why, and lists nothing
    text = html_page.text.replace("&#39;", "'")
    assert message in text and "Nothing was searched" in text
    assert 'class="partner-card-link"' not in text


def test_the_finder_page_has_real_controls_and_says_what_it_left_out(site):
    (page,) = get(site, "/demo/partner_shortlist?" + urlencode(QUESTION))
    text = page.text
    assert '<option value="fr" selected>fr — French (14)</option>' in text
    assert '<option value="ca">ca — Catalan (2)</option>' in text  # practised languages have their own list
    assert 'name="open_licence_only" id="finder-open_licence_only" value="1" checked' in text
    for name in ("operator_type", "federation", "registration_mode", "price_model", "sort", "active_days"):
        assert f'<select name="{name}" id="finder-{name}">' in text
    assert "<strong>4 communities found</strong>" in text
    assert '<span class="left-out" data-filter="language">5 not in French</span>' in text
    assert '<span class="left-out" data-filter="licence">1 not openly licensed</span>' in text
    assert "7 communities with at least 50,000 members left out:" in text
    assert '<span class="below" data-filter="min_members">25 alive communities with fewer than 50,000 members' in text
    unknown = '<span class="below" data-filter="members_unknown">2 alive communities with no member count published'
    assert unknown in text
    assert text.count('<span class="mark mark-activity">activity unknown</span>') == 2
    assert text.count('<span class="mark mark-licence">licence unknown</span>') == 2
    assert 'href="/demo/communities/wiki~2Etandem-montreal~2Eexample">Wiki Tandem Montréal</a>' in text
    assert "_dl=1" in text and "new_communities.atom?" in text
    assert "select c.name" not in text  # the SQL is behind a link
    (shown,) = get(site, "/demo/partner_shortlist?" + urlencode({**QUESTION, "_show_sql": "1"}))
    assert "site_finder" in shown.text


def test_sorting(site):
    by = {
        sort: [r["id"] for r in rows(site, "partner_shortlist", **QUESTION, sort=sort)]
        for sort in ("name", "active_users")
    }
    assert by["name"] == [
        "bibliotheque-dialogues.example", "polyglottes-club.example", "forum.francais-langue-etrangere.example",
        "wiki.tandem-montreal.example",
    ]  # fmt: skip
    assert by["active_users"][:2] == ["forum.francais-langue-etrangere.example", "wiki.tandem-montreal.example"]


def test_new_since_the_last_run_as_a_feed(site):
    default = rows(site, "new_communities")
    assert [(r["id"], r["is_new"], r["atom_title"]) for r in default] == [
        ("wiki.quebec-tandem.example", 1, "New: Wiki Tandem Québec (47,815 members)"),
        (None, None, "Run of 2026-11-01: 1 communities new or newly matching"),
    ]
    matching = rows(site, "new_communities", **QUESTION)
    assert [(r["id"], r["members_before"], r["members"]) for r in matching][0] == (
        "bibliotheque-dialogues.example", 48500, 51000,
    )  # fmt: skip
    (atom,) = get(site, "/demo/new_communities.atom?" + urlencode(QUESTION))
    assert atom.status_code == 200 and atom.headers["content-type"].startswith("application/xml")
    assert "<title>Now matching: Bibliothèque des dialogues (51,000 members)</title>" in atom.text
    assert "<title>New since the last run</title>" in atom.text


def test_network_totals_languages_and_versions(site):
    totals = [
        {k: r[k] for k in ("captured_at", "communities", "members")}
        for r in rows(site, "network_totals", platform="all")
    ]
    assert totals == [
        {"captured_at": "2026-05-01T06:00:00+00:00", "communities": 36, "members": 21632611},
        {"captured_at": "2026-08-01T06:00:00+00:00", "communities": 37, "members": 22672049},
        {"captured_at": "2026-11-01T06:00:00+00:00", "communities": 38, "members": 23787467},
    ]
    latest = [(r["platform"], r["communities"]) for r in rows(site, "network_totals") if r["captured_at"] >= "2026-11"]
    assert latest[:4] == [("all", 38), ("not recognised", 8), ("xenforo", 2), ("mediawiki", 9)]
    french = rows(site, "language_landscape", role="interface")[0]
    assert french == {
        "role": "interface", "language": "fr", "language_name": "French", "communities": 14, "members": 661137,
        "active_users_30d": 10477, "open_licence_percent": 50.0, "licence_unknown_percent": 42.9,
        "largest": "Club des Polyglottes (275,000); Encyclopédie des langues (72,611); "
        "Français langue étrangère (60,270)",
    }  # fmt: skip
    assert {r["role"] for r in rows(site, "language_landscape")} == {"interface", "practised"}
    versions = rows(site, "platform_versions", platform="mediawiki")
    assert [tuple(r.values()) for r in versions] == [
        ("mediawiki", "1.41.0", 5, 199024, 55.6), ("mediawiki", "1.39.6", 2, 53761, 22.2),
        ("mediawiki", "1.42.1", 2, 73266, 22.2),
    ]  # fmt: skip
    # 22 M next to 1,300 members: the chart is on a log axis; every query page shows its chart.
    pages = get(site, "/demo/network_totals", "/demo/language_landscape", "/demo/platform_versions")
    assert 'class="tremplin-chart line-chart" role="img"' in pages[0].text and 'data-scale="log"' in pages[0].text
    assert all('class="tremplin-chart' in page.text for page in pages)


def test_growth_covers_every_metric_and_takes_a_window(site):
    wiki = rows(site, "community_growth", community_id="wiki.tandem-montreal.example")
    assert [(r["members"], r["edits"], r["articles"], r["pages"], r["edits_change"]) for r in wiki] == [
        (56240, 1204310, 38406, 97552, None), (57646, 1234418, 39366, 99991, 30108),
        (59087, 1265278, 40350, 102491, 30860),
    ]  # fmt: skip
    week = rows(site, "fastest_growing", window_days="7")
    assert {(r["start_captured"][:10], r["end_captured"][:10]) for r in week} == {("2026-08-01", "2026-11-01")}
    year = rows(site, "fastest_growing", window_days="365")  # before the first crawl: from the first crawl
    top = [year[0][k] for k in ("id", "value_start", "value_end", "growth", "growth_percent")]
    assert top == ["forum.wymiana-jezykowa.example", 6741, 28900, 22159, 328.7]
    # The default end date's answers come from site_fastest_growing (computed when publishing): the same
    # rows as the query computes live for that end date given explicitly.
    for days in ("7", "30", "90", "365"):
        assert rows(site, "fastest_growing", window_days=days) == rows(
            site, "fastest_growing", window_days=days, end_date="2026-11-01"
        )
    (card,) = rows(site, "partner_card", community_id="polyglottes-club.example")
    assert (card["members_high"], card["members_high_at"]) == (275000, "2026-11-01T06:00:00+00:00")


def test_home_page_answers_four_questions(site):
    (page,) = get(site, "/")
    text = page.text
    assert "<strong>38</strong> communities alive" in text and "in <strong>14</strong> languages" in text
    assert "reached\n  39 of 43 sites\n  (90.7 %)" in text
    questions = ["Find partners", "Study growth", "The landscape", "How complete is this data"]
    positions = [text.index(f">{q}</a></h2>") for q in questions]
    assert positions == sorted(positions) and positions[-1] < text.index("Databases and tables")
    for href in (
        "/demo/partner_shortlist",
        "/demo/fastest_growing",
        "/demo/language_landscape",
        "/demo/coverage_report",
    ):
        assert f'href="{href}"' in text


def test_communities_table_reads_like_a_shortlist_and_descriptions_moved(site):
    (page, about, about_json) = get(site, "/demo/communities", "/-/about-the-data", "/-/about-the-data.json")
    text = page.text
    head = text[text.index("<thead>") : text.index("</thead>")]
    order = [
        head.index(f'data-column="{c}"')
        for c in ("name", "members", "active_users_30d", "languages", "licence", "platform", "id")
    ]
    assert order == sorted(order)
    assert '<dl class="column-descriptions">' not in text
    assert 'href="/-/about-the-data#table-communities"' in text
    assert (
        'class="partner-card-link" href="/demo/communities/polyglottes-club~2Eexample">Club des Polyglottes</a>' in text
    )
    assert about.status_code == 200 and '<dt id="column-communities-members">members</dt>' in about.text
    assert "signed in" in about_json.json()["tables"]["communities"]["columns"]["active_users_30d"]


def test_search_matches_prefixes_and_folds_accents(site):
    def found(term):
        return {r["id"] for r in rows(site, "communities", _search=term, _col="name")}

    assert found("Montreal") == {"wiki.tandem-montreal.example"}
    assert "intercomprehension-romane.example" in found("langue")  # "les langues romanes"
    assert found("polyglot") == {"polyglottes-club.example", "babel-social.example"}  # "les polyglottes"
    assert found('"Tandem Qu"') == {"wiki.quebec-tandem.example"}  # a quoted phrase, its last word a prefix


def test_one_request_cannot_take_the_site_down(site):
    loop, ds = serving(site)

    async def scenario():
        await ds.client.get("/demo/communities.json")
        big = "/demo.json?" + urlencode({"sql": "select randomblob(500000000)"})
        many = "/demo.json?" + urlencode({"sql": "select zeroblob(900000) from observations limit 200"})
        started = time.perf_counter()
        small = asyncio.create_task(ds.client.get("/demo/partner_shortlist.json?language=fr"))
        results = await asyncio.gather(ds.client.get(big), ds.client.get(many), small)
        return results, time.perf_counter() - started

    before = rss_mb()
    (blob, budget, other), elapsed = loop.run_until_complete(scenario())
    # 500 MB asked for, 180 MB of zero blobs offered: memory grows by the 20 MB budget, not by either.
    assert rss_mb() - before < 60
    assert blob.status_code == 400 and "too big" in blob.json()["error"]
    assert budget.status_code == 400 and "result too large" in budget.json()["error"]
    assert other.status_code == 200
    assert elapsed < 3.0  # within the SQL time limit, all three
    posts = get(site, "/demo/partner_shortlist", "/demo/communities", "/demo", method="POST")
    assert [(p.status_code, p.headers["allow"]) for p in posts] == [(405, "GET, HEAD")] * 3


def test_no_server_path_is_published(site):
    conn = sqlite3.connect(f"file:{site}?mode=ro", uri=True)
    archives = {row[0] for row in conn.execute("SELECT replay_archive FROM runs")}
    conn.close()
    assert archives == {"sample_web.warc.gz"}
    (runs,) = get(site, "/demo/runs.json?_shape=array")
    assert "/work/" not in runs.text and str(site.parent.parent) not in runs.text
    assert server_path_free("lock left by /var/lib/tremplin/crawl.lock (pid 7)") == "lock left by crawl.lock (pid 7)"
    assert server_path_free("https://example.org/a/b.html") == "https://example.org/a/b.html"


def test_make_datasette_refuses_a_crawl_database(site, tmp_path):
    crawl_db = site.parent.parent / "demo.db"
    with pytest.raises(ValueError, match="not a published copy"):
        make_datasette(crawl_db)


def test_readers_and_charts():
    assert [read_count("m", t) for t in ("50,000", "50 000", "50.000", "50k", "1.5M", "50000")] == [
        50000, 50000, 50000, 50000, 1500000, 50000,
    ]  # fmt: skip
    for bad in ("5O,000", "50,5", "-3", "12 34", "50 members"):
        with pytest.raises(ParamError):
            read_count("min_members", bad)
    assert [read_flag("f", t) for t in ("1", "yes", "on", "0", "no", "off")] == [1, 1, 1, 0, 0, 0]
    assert [read_language("l", t) for t in ("fr", "French", "français", "FR-ca")] == ["fr", "fr", "fr", "fr-CA"]
    assert prefix_fts("langue club") == '"langue"* "club"*'
    assert prefix_fts('"tandem qu" x"') == '"tandem qu"* "x"*'
    assert needs_log([22_000_000, 9_000]) and not needs_log([100, 9_000])
    chart = line_chart({"a": [("2026-01-01", 10), ("2026-02-01", 10_000)]}, "t", "members")
    assert 'data-scale="log"' in chart and chart.count("<circle") == 2 and "members (log scale)" in chart
    bars = bar_chart([("<b>x</b>", 5), ("y", 7)], "t", "n")
    assert "&lt;b&gt;x&lt;/b&gt;" in bars and "<b>x" not in bars


def test_coverage_and_evidence_on_the_sample_web(site):
    (latest,) = rows(site, "coverage_report")
    assert {k: latest[k] for k in ("sites_visited", "reached", "blocked_by_robots", "gone", "unreachable")} == {
        "sites_visited": 43, "reached": 39, "blocked_by_robots": 1, "gone": 2, "unreachable": 1,
    }  # fmt: skip
    assert [(r["error"], r["urls"]) for r in rows(site, "coverage_errors")] == [
        ("http_404", 1), ("http_410", 1), ("http_503", 1), ("robots", 1), ("unreadable_body", 1),
    ]  # fmt: skip
    evidence = rows(site, "community_evidence", community_id="wiki.tandem-montreal.example")
    metrics = {(r["name"], r["value"]) for r in evidence if r["kind"] == "metric" and r["observed_at"] >= "2026-11"}
    assert metrics == {
        ("members", 59087), ("active_users_30d", 1450), ("edits", 1265278), ("articles", 40350), ("pages", 102491),
    }  # fmt: skip
    licence = [r for r in evidence if r["name"] == "licence" and r["observed_at"] >= "2026-11"]
    assert [(r["value"], r["rule"]) for r in licence] == [("CC-BY-SA-4.0", "mediawiki.rightsinfo.url")]
