"""The course designer's view in Datasette: shortlist filters, the partner card query and page."""

from __future__ import annotations

import json

import pytest

from crawler.publish import publish_copy
from tests.served import request
from tests.test_publish_db import build_research_db
from tests.test_publish_queries import ids, rows


@pytest.fixture(scope="module")
def research_db(tmp_path_factory):
    path = tmp_path_factory.mktemp("outreach") / "research.db"
    build_research_db(path)
    return publish_copy(path)


def get(db_path, path):
    (response,) = request(db_path, path)
    return response


def test_shortlist_shows_outreach_columns(research_db):
    columns = ["id", "practised_languages", "operator_type", "federation", "contact_page", "group_id", "members_flags"]
    assert rows(research_db, "partner_shortlist", columns) == [
        {"id": "polyglot.example", "practised_languages": '["en", "fr", "es", "ca", "de"]', "operator_type": "company",
         "federation": "centralised", "contact_page": "https://polyglot.example/about", "group_id": None,
         "members_flags": '["self_reported"]'},
        {"id": "wiki.example", "practised_languages": '["fr", "ca", "oc"]', "operator_type": "volunteer_group",
         "federation": "centralised", "contact_page": None, "group_id": None, "members_flags": '["measured"]'},
        {"id": "montreal.example", "practised_languages": '["fr", "en"]', "operator_type": "non_profit",
         "federation": "centralised", "contact_page": "https://montreal.example/contact",
         "group_id": "montreal.example", "members_flags": '["measured"]'},
        {"id": "evil.example", "practised_languages": '["de", "en"]', "operator_type": None,
         "federation": "centralised", "contact_page": None, "group_id": None,
         "members_flags": '["anomalous","measured"]'},
    ]  # fmt: skip


def test_shortlist_filters_on_practised_language(research_db):
    # "Communities where people practise Catalan": the wiki's and Polyglot's members, not Montréal's.
    assert ids(rows(research_db, "partner_shortlist", practised_language="ca")) == ["polyglot.example", "wiki.example"]
    assert ids(rows(research_db, "partner_shortlist", practised_language="OC")) == ["wiki.example"]
    assert rows(research_db, "partner_shortlist", practised_language="ja") == []


def test_shortlist_filters_on_operator_type_and_federation(research_db):
    assert ids(rows(research_db, "partner_shortlist", operator_type="non_profit")) == ["montreal.example"]
    everyone = {"min_members": "1000", "active_days": "0"}
    assert ids(rows(research_db, "partner_shortlist", operator_type="non_profit", **everyone)) == [
        "montreal.example", "small.example",
    ]  # fmt: skip
    assert ids(rows(research_db, "partner_shortlist", federation="federated", **everyone)) == ["small.example"]
    assert "small.example" not in ids(rows(research_db, "partner_shortlist", federation="centralized", **everyone))


def test_shortlist_filters_out_flagged_counts(research_db):
    assert ids(rows(research_db, "partner_shortlist", exclude_flags="anomalous")) == [
        "polyglot.example", "wiki.example", "montreal.example",
    ]  # fmt: skip
    assert ids(rows(research_db, "partner_shortlist", exclude_flags="anomalous, self_reported")) == [
        "wiki.example", "montreal.example",
    ]  # fmt: skip
    assert ids(rows(research_db, "partner_shortlist", exclude_flags="stale")) == ids(
        rows(research_db, "partner_shortlist")
    )


def test_filters_combine_with_the_existing_ones(research_db):
    result = rows(research_db, "partner_shortlist", language="fr", open_licence_only="1", practised_language="en")
    assert ids(result) == ["polyglot.example", "montreal.example"]  # Polyglot's licence is unknown, not "no"


def test_partner_card_query(research_db):
    (card,) = rows(research_db, "partner_card", community_id="montreal.example")
    assert (card["operator_name"], card["operator_type"], card["registration_mode"]) == (
        "Association Tandem Montréal", "non_profit", "approval",
    )  # fmt: skip
    assert json.loads(card["group_reasons"]) == [
        "same operator Association Tandem Montréal (montreal.example + small.example)"
    ]
    assert [m["id"] for m in json.loads(card["group_members"])] == ["montreal.example", "small.example"]
    assert {(f["metric"], f["flag"]) for f in json.loads(card["flags"])} == {
        ("members", "measured"), ("active_users_30d", "measured"),
    }  # fmt: skip
    evidence = {e["field"]: e for e in json.loads(card["evidence"])}
    assert evidence["contact_email"]["value"] == "bonjour@montreal.example"
    assert evidence["members" if "members" in evidence else "name"]["source_url"].startswith("https://")
    assert {e["observed_at"][:10] for e in evidence.values()} == {"2026-09-01"}  # the latest of each field
    # Default: the largest alive community.
    assert rows(research_db, "partner_card")[0]["id"] == "polyglot.example"


def test_partner_card_page(research_db):
    page = get(research_db, "/research/communities/montreal~2Eexample")
    assert page.status_code == 200
    text = page.text
    assert 'id="partner-card"' in text and "Partner card: Club d&#39;échange linguistique de Montréal" in text
    for shown in (
        '<dd class="card-operator_name">Association Tandem Montréal</dd>',
        '<dd class="card-operator_type">non_profit</dd>',
        '<dd class="card-practised_languages">fr, en</dd>',
        '<dd class="card-federation">centralised</dd>',
        '<dd class="card-meetups">yes: Montréal</dd>',
        '<a href="mailto:bonjour@montreal.example">bonjour@montreal.example</a>',
        '<a href="https://montreal.example/contact" rel="nofollow noopener noreferrer">',
        "/research/community_evidence?community_id=montreal.example",
    ):
        assert shown in text, shown
    assert text.index("<h1") < text.index('id="partner-card"') < text.index("The row as stored")
    # Crawled text stays text; other tables keep Datasette's own row page.
    evil = get(research_db, "/research/communities/evil~2Eexample").text
    assert "Partner card: &lt;script&gt;alert(1)&lt;/script&gt; Club" in evil and "<script>alert(1)" not in evil
    assert 'id="partner-card"' not in get(research_db, "/research/runs/r1").text


def test_shortlist_page_links_rows_to_partner_cards(research_db):
    page = get(research_db, "/research/partner_shortlist").text
    assert '<a class="partner-card-link" href="/research/communities/montreal~2Eexample">' in page


def test_presence_view_counts_a_group_once(research_db):
    result = rows(research_db, "community_presence", _sort_desc="members")
    assert [(r["presence_id"], r["sites"], r["members"]) for r in result][:3] == [
        ("polyglot.example", 1, 120000), ("wiki.example", 1, 90000), ("montreal.example", 2, 80000),
    ]  # fmt: skip
