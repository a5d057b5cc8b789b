"""After a run: community groups, trust flags on counts, and the outreach columns and evidence stored."""

from __future__ import annotations

import json

import sqlite_utils

from crawler.analysis import analyse_run, compute_flags, compute_groups
from crawler.analysis.trust import STALE_RUNS
from crawler.storage import open_database, store_batch


def site(site_id, name=None, members=None, operator=None, url=None, canonical=None):
    return {
        "id": site_id, "name": name or site_id, "members": members, "operator_name": operator,
        "url": url or f"https://{site_id}/", "canonical_url": canonical,
    }  # fmt: skip


def groups_of(rows):
    return {row["community_id"]: row["group_id"] for row in rows}


def test_links_both_ways_group_two_domains():
    sites = [site("club.example", members=900), site("club-forum.example", members=1500), site("other.example")]
    links = [("club.example", "club-forum.example", "html.footer"), ("club-forum.example", "club.example", "html.body")]
    rows = compute_groups(sites, links)
    assert groups_of(rows) == {"club.example": "club-forum.example", "club-forum.example": "club-forum.example"}
    assert json.loads(rows[0]["reasons"]) == ["links both ways (club-forum.example + club.example)"]
    assert [(row["community_id"], row["is_primary"]) for row in rows] == [
        ("club-forum.example", 1),
        ("club.example", 0),
    ]


def test_one_way_link_or_federation_peers_do_not_group():
    sites = [site("a.example"), site("b.example"), site("m1.example"), site("m2.example")]
    links = [
        ("a.example", "b.example", "html.footer"),
        ("m1.example", "m2.example", "mastodon.peers"),
        ("m2.example", "m1.example", "mastodon.peers"),
    ]
    assert compute_groups(sites, links) == []


def test_shared_domain_and_canonical_group_but_not_on_a_hosting_service():
    sites = [
        site("forum.hablamos.example", members=30), site("wiki.hablamos.example", members=3),
        site("hablamos-old.example", canonical="https://www.hablamos.example/"),
        site("a.fandom.com", url="https://a.fandom.com/"), site("b.fandom.com", url="https://b.fandom.com/"),
    ]  # fmt: skip
    rows = compute_groups(sites, [])
    assert groups_of(rows) == dict.fromkeys(
        ["forum.hablamos.example", "hablamos-old.example", "wiki.hablamos.example"], "forum.hablamos.example"
    )


def test_same_operator_groups_unless_it_runs_many_sites():
    sites = [
        site("x.example", operator="Association Tandem Lyon"),
        site("y.example", operator="association tandem lyon"),
    ]
    assert len(compute_groups(sites, [])) == 2
    host = [site(f"w{i}.example", operator="Fandom, Inc.") for i in range(6)]
    assert compute_groups(host, []) == []


def test_same_name_needs_a_link():
    sites = [site("a.example", name="Tandem Club"), site("b.example", name="Tandem-Club")]
    assert compute_groups(sites, []) == []
    assert len(compute_groups(sites, [("b.example", "a.example", "html.body")])) == 2


def obs(community, metric, value, run, day, rank=1, rule="discourse.about_json.users_count", approximate=0):
    return {
        "community_id": community, "metric": metric, "value": value, "run_id": run,
        "observed_at": f"2026-{day}T06:00:00+00:00", "rule": rule, "approximate": approximate, "rank": rank,
    }  # fmt: skip


def flags_of(rows, community, metric="members"):
    return {row["flag"]: row["reason"] for row in rows if row["community_id"] == community and row["metric"] == metric}


def test_measured_and_self_reported():
    rows = compute_flags(
        [
            obs("api.example", "members", 500, "r1", "01-01"),
            obs("prose.example", "members", 5_000_000, "r1", "01-01", rule="generic.text.approximate_members",
                approximate=1),
            obs("plain.example", "members", 37, "r1", "01-01", rule="generic.text.members"),
        ],
        ["r1"],
        "2026-01-01T06:00:00+00:00",
    )  # fmt: skip
    assert set(flags_of(rows, "api.example")) == {"measured"}
    assert flags_of(rows, "prose.example")["self_reported"].startswith("approximate figure")
    assert flags_of(rows, "plain.example")["self_reported"].startswith("number written in the site's own text")


def test_stale_after_runs_and_days():
    observations = [
        obs("old.example", "members", 100, "r1", "01-01"),
        obs("new.example", "members", 100, "r3", "03-01"),
    ]
    runs = ["r1", "r2", "r3"]
    rows = compute_flags(observations, runs, "2026-03-01T06:00:00+00:00")
    assert flags_of(rows, "old.example")["stale"] == (
        f"not refreshed for {STALE_RUNS} runs (last observed 2026-01-01, 59 days before the newest observation)"
    )
    assert "stale" not in flags_of(rows, "new.example")
    # Several runs the same day do not make a figure stale.
    assert "stale" not in flags_of(compute_flags(observations, runs, "2026-01-02T06:00:00+00:00"), "old.example")


def test_anomalies_jump_ratio_and_bot_like_growth():
    observations = [
        obs("jump.example", "posts", 1000, "r2", "02-01"),
        obs("jump.example", "posts", 12000, "r1", "01-01", rank=2),
        obs("ratio.example", "members", 2_000_000, "r2", "02-01"),
        obs("ratio.example", "active_users_30d", 150, "r2", "02-01"),
        obs("bots.example", "members", 30000, "r2", "02-01"),
        obs("bots.example", "members", 10000, "r1", "01-01", rank=2),
        obs("bots.example", "posts", 5150, "r2", "02-01"),
        obs("bots.example", "posts", 5000, "r1", "01-01", rank=2),
        obs("fine.example", "members", 11000, "r2", "02-01"),
        obs("fine.example", "members", 10000, "r1", "01-01", rank=2),
        obs("fine.example", "active_users_30d", 900, "r2", "02-01"),
    ]
    rows = compute_flags(observations, ["r1", "r2"], "2026-02-01T06:00:00+00:00")
    assert flags_of(rows, "jump.example", "posts")["anomalous"] == (
        "posts jumped from 12,000 to 1,000 (×0.1) since the observation of 2026-01-01"
    )
    assert flags_of(rows, "ratio.example")["anomalous"] == (
        "members (2,000,000) are 13,333× the 150 active_users_30d (more than 1,000×)"
    )
    assert flags_of(rows, "bots.example")["anomalous"] == (
        "members jumped from 10,000 to 30,000 (×3.0) since the observation of 2026-01-01; "
        "bot-like growth: members +200% (10,000 → 30,000) while posts changed +3%"
    )
    assert set(flags_of(rows, "fine.example")) == {"measured"}


def item(site_id, date, **values):
    metrics = values.pop("metrics", {})
    evidence = {m: {"source_url": f"https://{site_id}/api", "rule": "x.api", "approximate": False} for m in metrics}
    evidence["operator_name"] = {
        "source_url": f"https://{site_id}/impressum",
        "rule": "outreach.operator.imprint_label",
        "snippet": "Herausgeber: Verein X e.V.",
    }
    evidence["practised_languages"] = {
        "source_url": f"https://{site_id}/",
        "rule": "outreach.practised.picker",
        "snippet": "language picker",
    }
    return {"id": site_id, "url": f"https://{site_id}/", "status": "alive", "observed_at": date, "metrics": metrics,
            "evidence": evidence, **values}  # fmt: skip


def test_outreach_columns_evidence_groups_flags_and_presence(tmp_path):
    db = open_database(tmp_path / "c.db")
    outreach = {
        "operator_name": "Verein X e.V.", "operator_type": "non_profit", "contact_email": "kontakt@x.example",
        "registration_mode": "approval", "price_model": "free", "meetups": True, "meetup_cities": ["Köln"],
        "federation": "centralised", "practised_languages": ["de", "fr"], "about_url": "https://forum.x.example/about",
    }  # fmt: skip
    store_batch(db, "r1", "2026-01-01T00:00:00+00:00", [
        item("forum.x.example", "2026-01-01T00:00:00+00:00", metrics={"members": 900}, **outreach),
        item("wiki.x.example", "2026-01-01T00:00:00+00:00", metrics={"members": 300}, operator_name="Verein X e.V."),
    ], [])  # fmt: skip
    assert analyse_run(db, "r1") == {"community_groups": 2, "count_flags": 2}
    row = db["communities"].get("forum.x.example")
    assert {key: row[key] for key in outreach} == {
        **outreach, "meetups": 1, "meetup_cities": '["Köln"]', "practised_languages": '["de", "fr"]',
    }  # fmt: skip
    assert db["communities"].get("wiki.x.example")["practised_languages"] == "[]"
    evidence = {r["field"]: r for r in db["evidence"].rows_where("community_id = 'forum.x.example'")}
    assert evidence["practised_languages"]["value"] == '["de", "fr"]'
    assert evidence["operator_name"]["source_url"] == "https://forum.x.example/impressum"
    assert [r["group_id"] for r in db["community_groups"].rows] == ["forum.x.example", "forum.x.example"]
    assert list(db.query("SELECT presence_id, sites, members FROM community_presence")) == [
        {"presence_id": "forum.x.example", "sites": 2, "members": 900}
    ]
    # Recomputed, not appended: a second analysis gives the same rows.
    analyse_run(db, "r1")
    assert db["count_flags"].count == 2 and db["community_groups"].count == 2


def test_migration_adds_columns_once(tmp_path):
    path = tmp_path / "m.db"
    open_database(path).close()
    db = open_database(path)
    columns = db["communities"].columns_dict
    assert {"operator_type", "federation", "practised_languages", "meetup_cities", "contact_email"} <= set(columns)
    assert {"community_groups", "count_flags"} <= set(db.table_names())
    assert "community_presence" in db.view_names()
    assert isinstance(sqlite_utils.Database(path)["communities"].count, int)
