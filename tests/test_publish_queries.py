"""Every canned query of crawler/metadata.yml, run by an in-process Datasette on the research database."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest

from crawler.publish import build_metadata, publish_copy, with_defaults
from tests.served import request
from tests.test_publish_db import OUTREACH, build_research_db


@pytest.fixture(scope="module")
def research_db(tmp_path_factory):
    path = tmp_path_factory.mktemp("research") / "research.db"
    build_research_db(path)
    return publish_copy(path)


def rows(db_path, query, columns=None, **params):
    """Run a canned query through Datasette; return its rows, restricted to ``columns`` if given."""

    (response,) = request(db_path, f"/research/{query}.json?" + urlencode({"_shape": "array", **params}))
    assert response.status_code == 200, response.text
    result = response.json()
    return [{c: row[c] for c in columns} if columns else row for row in result]


def ids(result):
    return [row["id"] for row in result]


def test_every_canned_query_is_tested_and_documented(research_db):
    queries = build_metadata(research_db)["databases"]["research"]["queries"]
    assert set(queries) == {
        "partner_shortlist", "partner_exclusions", "new_communities", "network_totals", "language_landscape",
        "platform_versions", "community_growth", "fastest_growing", "coverage_report", "coverage_errors",
        "community_evidence", "partner_card", "seeds_report",
    }  # fmt: skip
    for name, query in queries.items():
        assert query["title"] and query["description_html"], name
        assert query["params"] == list(query["defaults"]), name
        assert not query.get("write"), name
        for param in query["params"]:
            assert f"<code>{param}</code>" in query["description_html"], (name, param)


def test_partner_shortlist_defaults(research_db):
    result = rows(research_db, "partner_shortlist", ["id", "members", "active_users_30d", "open_licence", "languages"])
    assert result == [
        {"id": "polyglot.example", "members": 120000, "active_users_30d": 5000, "open_licence": 0,
         "languages": '["en", "fr", "es"]'},
        {"id": "wiki.example", "members": 90000, "active_users_30d": 300, "open_licence": 0, "languages": '["fr"]'},
        {"id": "montreal.example", "members": 80000, "active_users_30d": 1200, "open_licence": 1,
         "languages": '["fr", "en"]'},
        {"id": "evil.example", "members": 51000, "active_users_30d": 10, "open_licence": 0, "languages": '["de"]'},
    ]  # fmt: skip
    # An empty field is the default.
    assert rows(research_db, "partner_shortlist", min_members="", active_days="") == rows(
        research_db, "partner_shortlist"
    )


def test_partner_shortlist_filters(research_db):
    assert ids(rows(research_db, "partner_shortlist", language="fr")) == [
        "polyglot.example", "wiki.example", "montreal.example",
    ]  # fmt: skip
    # Open licence only: the NC wiki is left out; Polyglot declares no licence, so it stays (unknown is not no)
    # unless a declared licence is asked for too.
    open_only = rows(research_db, "partner_shortlist", ["id", "licence_status"], language="FR", open_licence_only="1")
    assert open_only == [
        {"id": "polyglot.example", "licence_status": "unknown"}, {"id": "montreal.example", "licence_status": "open"},
    ]  # fmt: skip
    declared = rows(research_db, "partner_shortlist", language="fr", open_licence_only="yes", declared_licence_only="1")
    assert ids(declared) == ["montreal.example"]
    # fr matches fr-CA; a 7-day window needs activity that recent (wiki only counts 30 days).
    week = rows(
        research_db, "partner_shortlist", ["id", "activity"], language="fr", min_members="1000", active_days="7"
    )
    # The wiki's 30-day count says nothing of the last 7 days: its activity is unknown, so it stays, marked.
    assert week == [
        {"id": "polyglot.example", "activity": "active"}, {"id": "wiki.example", "activity": "unknown"},
        {"id": "montreal.example", "activity": "active"}, {"id": "small.example", "activity": "active"},
    ]  # fmt: skip
    measured = rows(
        research_db, "partner_shortlist", language="fr", min_members="1k", active_days="7", measured_activity_only="1"
    )
    assert ids(measured) == ["polyglot.example", "montreal.example", "small.example"]
    # active_days=0 turns the activity filter off: the quiet forum comes back.
    assert ids(rows(research_db, "partner_shortlist", language="fr", active_days="0")) == [
        "polyglot.example", "wiki.example", "montreal.example", "quiet.example",
    ]  # fmt: skip
    assert rows(research_db, "partner_shortlist", language="ja") == []


def test_community_growth(research_db):
    columns = ["run_id", "members", "members_change", "active_users_30d"]
    assert rows(research_db, "community_growth", columns, community_id="montreal.example") == [
        {"run_id": "r1", "members": 60000, "members_change": None, "active_users_30d": 900},
        {"run_id": "r2", "members": 70000, "members_change": 10000, "active_users_30d": 1000},
        {"run_id": "r3", "members": 80000, "members_change": 10000, "active_users_30d": 1200},
    ]
    default = rows(research_db, "community_growth", ["community_id", "observed_at", "members"])
    assert default == [
        {"community_id": "polyglot.example", "observed_at": "2026-03-01T06:00:00+00:00", "members": 100000},
        {"community_id": "polyglot.example", "observed_at": "2026-06-01T06:00:00+00:00", "members": 110000},
        {"community_id": "polyglot.example", "observed_at": "2026-09-01T06:00:00+00:00", "members": 120000},
    ]


def test_fastest_growing(research_db):
    columns = ["id", "start_run", "start_captured", "end_run", "value_start", "value_end", "growth", "growth_percent"]
    # Default: the 90 days before the latest observation (2026-09-01): the crawl of 2026-06-01 against r3.
    assert rows(research_db, "fastest_growing", columns) == [
        {"id": "montreal.example", "start_run": "r2", "start_captured": "2026-06-01T06:00:00+00:00", "end_run": "r3",
         "value_start": 70000, "value_end": 80000, "growth": 10000, "growth_percent": 14.3},
        {"id": "small.example", "start_run": "r2", "start_captured": "2026-06-01T06:00:00+00:00", "end_run": "r3",
         "value_start": 4500, "value_end": 5000, "growth": 500, "growth_percent": 11.1},
        {"id": "polyglot.example", "start_run": "r2", "start_captured": "2026-06-01T06:00:00+00:00", "end_run": "r3",
         "value_start": 110000, "value_end": 120000, "growth": 10000, "growth_percent": 9.1},
        {"id": "quiet.example", "start_run": "r2", "start_captured": "2026-06-01T06:00:00+00:00", "end_run": "r3",
         "value_start": 60000, "value_end": 60000, "growth": 0, "growth_percent": 0.0},
        {"id": "wiki.example", "start_run": "r2", "start_captured": "2026-06-01T06:00:00+00:00", "end_run": "r3",
         "value_start": 90000, "value_end": 90000, "growth": 0, "growth_percent": 0.0},
    ]  # fmt: skip
    # Whole history, r1 against r3: the gone forum and evil.example were not observed by both crawls.
    whole = rows(
        research_db, "fastest_growing", ["id", "end_captured", "growth_percent"], start_date="2026-03-01",
        end_date="2026-09-30",
    )  # fmt: skip
    assert whole == [
        {"id": "montreal.example", "end_captured": "2026-09-01T06:00:00+00:00", "growth_percent": 33.3},
        {"id": "small.example", "end_captured": "2026-09-01T06:00:00+00:00", "growth_percent": 25.0},
        {"id": "polyglot.example", "end_captured": "2026-09-01T06:00:00+00:00", "growth_percent": 20.0},
        {"id": "quiet.example", "end_captured": "2026-09-01T06:00:00+00:00", "growth_percent": 0.0},
        {"id": "wiki.example", "end_captured": "2026-09-01T06:00:00+00:00", "growth_percent": 0.0},
    ]
    bigger = rows(research_db, "fastest_growing", start_date="2026-03-01", end_date="2026-09-01", min_start="10000")
    assert "small.example" not in ids(bigger)
    active = rows(research_db, "fastest_growing", ["id", "value_start", "value_end"], metric="active_users_30d")
    assert active[0] == {"id": "montreal.example", "value_start": 1000, "value_end": 1200}
    # Both dates before the same crawl: nothing to compare.
    assert rows(research_db, "fastest_growing", start_date="2026-06-02", end_date="2026-06-30") == []


def test_coverage_report(research_db):
    assert rows(research_db, "coverage_report") == [
        {"run_id": "r3", "started_at": "2026-09-01T06:00:00+00:00", "finished_at": "2026-09-01T06:00:00+00:00",
         "run_status": "finished", "sites_visited": 10, "reached": 6, "blocked_by_robots": 1, "opted_out": 1,
         "gone": 1, "unreachable": 1, "failed_urls": 5,
         "failed_by_error_kind": '{"dns":1,"http_410":1,"opted_out":1,"robots":1,"timeout":1}'},
    ]  # fmt: skip
    first = rows(
        research_db, "coverage_report", ["run_id", "sites_visited", "reached", "gone", "failed_urls"], run_id="r1"
    )
    assert first == [{"run_id": "r1", "sites_visited": 6, "reached": 6, "gone": 0, "failed_urls": 0}]


def test_coverage_errors(research_db):
    assert rows(research_db, "coverage_errors") == [
        {"error": "dns", "urls": 1, "sites": 1, "example_message": "DNS lookup failed"},
        {"error": "http_410", "urls": 1, "sites": 1, "example_message": "HTTP 410"},
        {"error": "opted_out", "urls": 1, "sites": 1, "example_message": "domain on the opt-out list"},
        {"error": "robots", "urls": 1, "sites": 1, "example_message": "Forbidden by robots.txt"},
        {"error": "timeout", "urls": 1, "sites": 1, "example_message": "timed out"},
    ]
    assert rows(research_db, "coverage_errors", run_id="r1") == []


def test_community_evidence(research_db):
    columns = ["run_id", "kind", "name", "value", "source_url", "rule"]
    evidence = rows(research_db, "community_evidence", columns, community_id="montreal.example")
    outreach = [row for row in evidence if row["rule"].startswith("outreach.")]
    assert {row["name"] for row in outreach} == set(OUTREACH["montreal.example"])
    evidence = [row for row in evidence if row not in outreach]
    assert evidence[:4] == [
        {"run_id": "r3", "kind": "field", "name": "licence", "value": "CC-BY-SA-4.0",
         "source_url": "https://montreal.example/", "rule": "generic.licence_link"},
        {"run_id": "r3", "kind": "field", "name": "name", "value": "Club d'échange linguistique de Montréal",
         "source_url": "https://montreal.example/", "rule": "generic.og_site_name"},
        {"run_id": "r3", "kind": "metric", "name": "active_users_30d", "value": 1200,
         "source_url": "https://montreal.example/stats.json", "rule": "discourse.stats"},
        {"run_id": "r3", "kind": "metric", "name": "members", "value": 80000,
         "source_url": "https://montreal.example/stats.json", "rule": "discourse.stats"},
    ]  # fmt: skip
    assert [row["run_id"] for row in evidence] == ["r3"] * 4 + ["r2"] * 4 + ["r1"] * 4
    default = rows(research_db, "community_evidence")
    assert {row["name"] for row in default if not row["rule"].startswith("outreach.")} == {
        "members", "active_users_30d", "name",
    }  # fmt: skip


def test_search_ignores_accents_in_datasette(research_db):
    assert ids(rows(research_db, "communities", _search="Montreal")) == ["montreal.example"]
    assert ids(rows(research_db, "communities", _search="echange club")) == ["montreal.example"]


def test_defaults_become_a_params_cte():
    query = with_defaults({"sql": "with x as (select 1) select * from x, params", "defaults": {"n": 5, "t": "it's"}})
    assert query["params"] == ["n", "t"]
    assert query["sql"].startswith(
        "with params as materialized (\n  select *, (1) as params_ok from (\n"
        "  select cast(coalesce(nullif(trim(:n), ''), 5) as integer) as n,"
    )
    assert "coalesce(nullif(trim(:t), ''), 'it''s') as t)\n), x as (select 1)" in query["sql"]
    typed = with_defaults({"sql": "select * from params", "defaults": {"m": {"type": "count", "default": 7}}})
    assert "case when nullif(trim(:m), '') is null then 7 else tremplin_count(:m) end as m" in typed["sql"]
    assert "(m is not null) as params_ok" in typed["sql"]
    with pytest.raises(ValueError):
        with_defaults({"sql": "select 1", "defaults": {"bad name": 1}})
