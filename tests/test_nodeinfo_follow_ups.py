"""NodeInfo follow-ups end to end: a site known only through NodeInfo is asked its software's API.

One loopback crawl of a Lemmy instance whose homepage carries no marker (a JavaScript front end):
the crawl probes ``/.well-known/nodeinfo``, reads the NodeInfo 2.0 document (``software.name =
lemmy``) and, through the nodeinfo adapter's declared endpoints, asks ``/api/v3/site`` for what
NodeInfo lacks (weekly and daily activity, community counts), every value with its source URL.
"""

from __future__ import annotations

import json

import pytest
import sqlite_utils

from tests.ops_web import run_crawl
from tests.virtual_web import VirtualWeb
from tests.webserver import Route

HOST = "lemmy.langues.test"
JSON = {"Content-Type": "application/json"}
ROBOTS = Route("User-agent: *\nAllow: /\n", headers={"Content-Type": "text/plain"})
HOMEPAGE = "<!DOCTYPE html><html lang='fr'><head><title>Langues</title></head><body><div id='root'></div></body></html>"
DISCOVERY = {
    "links": [{"rel": "http://nodeinfo.diaspora.software/ns/schema/2.0", "href": f"http://{HOST}/nodeinfo/2.0.json"}]
}
NODEINFO = {
    "version": "2.0",
    "software": {"name": "lemmy", "version": "0.18.4"},
    "protocols": ["activitypub"],
    "usage": {"users": {"total": 812, "activeHalfyear": 160, "activeMonth": 95}, "localPosts": 4100},
    "openRegistrations": True,
}
SITE = {
    "site_view": {
        "site": {"name": "Langues", "sidebar": ""},
        "local_site": {"registration_mode": "Open"},
        "counts": {"users": 812, "posts": 4100, "comments": 15000, "communities": 37,
                   "users_active_day": 12, "users_active_week": 41, "users_active_month": 95,
                   "users_active_half_year": 160},
    },
    "version": "0.18.4",
    "discussion_languages": [],
    "all_languages": [],
}  # fmt: skip


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    db = tmp_path_factory.mktemp("follow") / "c.db"
    web = VirtualWeb()
    web.add(HOST, {
        "/robots.txt": ROBOTS,
        "/": Route(HOMEPAGE),
        "/.well-known/nodeinfo": Route(json.dumps(DISCOVERY), headers=JSON),
        "/nodeinfo/2.0.json": Route(json.dumps(NODEINFO), headers=JSON),
        "/api/v3/site": Route(json.dumps(SITE), headers=JSON),
    })  # fmt: skip
    with web:
        result = run_crawl(web, db, f"http://{HOST}/")
    return web, sqlite_utils.Database(db), result


def test_the_software_named_by_nodeinfo_is_asked_its_own_api(crawled):
    web, _, result = crawled
    assert result.returncode in (0, 3), result.stderr[-2000:]
    assert web.paths(HOST)[-3:] == ["/.well-known/nodeinfo", "/nodeinfo/2.0.json", "/api/v3/site"]


def test_what_nodeinfo_lacks_comes_from_the_api_with_its_evidence(crawled):
    _, db, _ = crawled
    row = next(db["communities"].rows)
    assert (row["platform"], row["members"], row["active_users_7d"], row["active_users_1d"], row["communities"]) == (
        "lemmy",
        812,
        41,
        12,
        37,
    )
    sources = {obs["metric"]: obs["source_url"] for obs in db["observations"].rows}
    assert sources["active_users_7d"] == f"http://{HOST}/api/v3/site"
    assert sources["communities"] == f"http://{HOST}/api/v3/site"
