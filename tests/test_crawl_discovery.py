"""End-to-end discovery on a loopback web of 36 named sites (served through a loopback proxy).

The link graph has cycles, an alias domain, a permanent redirect, a 410 site, a robots-blocked
site, an opted-out domain, a calendar trap, a shop that is not a community, a chain deeper than the
depth budget and one domain with many sub-domains.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
import sqlite_utils

from tests.virtual_web import VirtualWeb
from tests.webserver import ROBOTS_OK, Route, phpbb_index

ROBOTS_NO = Route("User-agent: *\nDisallow: /\n", headers={"Content-Type": "text/plain"})
JSON = {"Content-Type": "application/json"}


def footer(links: list[str]) -> str:
    anchors = " · ".join(f'<a href="http://{host}/">{host}</a>' for host in links)
    return f'<footer class="site-footer"><h3>Partners</h3><p>{anchors}</p></footer>'


def generic_site(name: str, members: int, links: list[str], lang: str = "en", extra: str = "") -> dict[str, Route]:
    page = (
        f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"><title>{name}</title>'
        f'<meta property="og:site_name" content="{name}">'
        f'<meta name="description" content="A language exchange community of over {members:,} members."></head>'
        f"<body><h1>{name}</h1><p>Join over {members:,} members practising languages together.</p>"
        f"{extra}{footer(links)}</body></html>"
    )
    return {"/robots.txt": ROBOTS_OK, "/": Route(page)}


def phpbb_site(name: str, members: int, links: list[str]) -> dict[str, Route]:
    return {"/robots.txt": ROBOTS_OK, "/": Route(phpbb_index(name, members, footer(links)))}


def discourse_site(name: str, members: int, links: list[str]) -> dict[str, Route]:
    page = (
        f'<!DOCTYPE html><html lang="fr"><head><title>{name}</title>'
        '<meta name="generator" content="Discourse 3.2.1 - https://github.com/discourse/discourse version abc">'
        f"</head><body>{footer(links)}</body></html>"
    )
    about = {"about": {"title": name, "locale": "fr", "version": "3.2.1",
                       "stats": {"users_count": members, "topics_count": members // 3}}}  # fmt: skip
    return {
        "/robots.txt": ROBOTS_OK,
        "/": Route(page),
        "/about.json": Route(json.dumps(about), headers=JSON),
    }


def shop_site() -> dict[str, Route]:
    page = "<html lang='en'><head><title>Shop</title></head><body><p>Buy our textbooks.</p></body></html>"
    return {"/robots.txt": ROBOTS_OK, "/": Route(page)}


def redirect(to: str) -> dict[str, Route]:
    moved = {"Location": f"http://{to}/", "Content-Type": "text/html"}
    return {"/robots.txt": Route("", 301, {"Location": f"http://{to}/robots.txt"}), "/": Route("", 301, moved)}


def build_web() -> VirtualWeb:
    web = VirtualWeb()
    # Seeds: two hubs that link to each other (a cycle) and to the rest.
    web.add("hub.polyglot.test", generic_site("Polyglot Hub", 120_000, [
        "forum.alpha.test", "talk.beta.test", "club.gamma.test", "hub.tandem.test", "old-forum.test",
        "alias-club.test", "optout-club.test", "shop.books.test", "calendar-club.test", "private-club.test",
    ], extra='<p><a href="/liens">Liens</a></p>'))  # fmt: skip
    web.sites["hub.polyglot.test"]["/liens"] = Route(
        "<html><body><h1>Liens</h1>"
        + "".join(f'<a href="http://{h}/">{h}</a> ' for h in ["club.delta.test", "club.epsilon.test", "chain-1.test"])
        + "</body></html>"
    )
    web.add("hub.tandem.test", generic_site("Tandem Hub", 45_000, [
        "hub.polyglot.test", "club.zeta.test", "club.eta.test", "club.theta.test", "gone-club.test",
        "fr.bigwiki.test", "de.bigwiki.test", "es.bigwiki.test", "it.bigwiki.test", "pt.bigwiki.test",
        "nl.bigwiki.test", "pl.bigwiki.test",
    ]))  # fmt: skip
    # Depth 1 communities, several platforms, more cycles back to the hubs.
    web.add("forum.alpha.test", phpbb_site("Alpha Forum", 3_200, ["hub.polyglot.test", "club.iota.test"]))
    web.add("talk.beta.test", discourse_site("Beta Talk", 8_100, ["forum.alpha.test", "club.kappa.test"]))
    for index, host in enumerate(["club.gamma.test", "club.delta.test", "club.epsilon.test", "club.zeta.test",
                                  "club.eta.test", "club.theta.test"]):  # fmt: skip
        web.add(host, generic_site(f"Club {host.split('.')[1].title()}", 1_000 + index, ["hub.tandem.test"]))
    # Depth 2 (found from depth-1 sites).
    web.add("club.iota.test", phpbb_site("Iota Board", 640, ["club.lambda.test"]))
    web.add("club.kappa.test", generic_site("Kappa Club", 2_500, ["club.mu.test"]))
    # Depth 3: beyond a --max-depth 2 crawl.
    web.add("club.lambda.test", generic_site("Lambda Club", 300, []))
    web.add("club.mu.test", generic_site("Mu Club", 310, []))
    web.add("chain-1.test", generic_site("Chain One", 900, ["chain-2.test"]))
    web.add("chain-2.test", generic_site("Chain Two", 800, ["chain-3.test"]))
    web.add("chain-3.test", generic_site("Chain Three", 700, []))
    # Moved site, alias domain, opted-out domain, shop, blocked, gone, calendar trap.
    web.add("old-forum.test", redirect("new-forum.test"))
    web.add("new-forum.test", phpbb_site("New Forum", 5_000, ["hub.polyglot.test"]))
    alias = generic_site("Main Club", 7_000, [])
    alias["/"] = Route(alias["/"].body.replace("<head>", '<head><link rel="canonical" href="http://main-club.test/">'))
    web.add("alias-club.test", alias)
    main = generic_site("Main Club", 7_000, [])
    main["/"] = Route(main["/"].body.replace("<head>", '<head><link rel="canonical" href="http://main-club.test/">'))
    web.add("main-club.test", main)
    web.add("optout-club.test", generic_site("Opted Out Club", 9_999, []))
    web.add("shop.books.test", shop_site())
    web.add("private-club.test", {"/robots.txt": ROBOTS_NO, "/": Route("<html><title>Private</title></html>")})
    web.add("gone-club.test", {"/robots.txt": ROBOTS_OK, "/": Route("gone", 410, {"Content-Type": "text/plain"})})
    calendar_links = "".join(f'<a href="/calendar?month=2026-{m:02d}">{m}</a>' for m in range(1, 13))
    web.add("calendar-club.test", generic_site("Calendar Club", 1_500, [], extra=calendar_links))
    for month in range(1, 13):
        web.sites["calendar-club.test"][f"/calendar?month=2026-{month:02d}"] = Route(
            f'<a href="/calendar?month=2026-{month + 1:02d}">next</a>'
        )
    for lang in ["fr", "de", "es", "it", "pt", "nl", "pl"]:
        web.add(f"{lang}.bigwiki.test", generic_site(f"BigWiki {lang}", 50_000, [], lang=lang))
    return web


def crawl(web: VirtualWeb, db, tmp_path, *args: str) -> subprocess.CompletedProcess:
    opt_out = tmp_path / "opt_out.txt"
    opt_out.write_text("# test opt-out list\noptout-club.test\n")
    env = {**os.environ, "http_proxy": web.proxy, "HTTP_PROXY": web.proxy, "no_proxy": "", "NO_PROXY": ""}
    return subprocess.run(
        [
            sys.executable, "-m", "crawler", "crawl", "--db", str(db), "--log-level", "WARNING",
            "--allow-address", f"127.0.0.1:{web.port}", "--opt-out-file", str(opt_out),
            "--set", "DOWNLOAD_DELAY=0.02", "--set", "AUTOTHROTTLE_START_DELAY=0.02", "--set", "RETRY_TIMES=0",
            *args,
        ],
        capture_output=True, text=True, timeout=120, env=env, check=False,
    )  # fmt: skip


SEEDS = ["http://hub.polyglot.test/", "http://hub.tandem.test/", "http://gone-club.test/",
         "http://private-club.test/"]  # fmt: skip
REACHABLE = {
    "hub.polyglot.test", "hub.tandem.test", "forum.alpha.test", "talk.beta.test", "club.gamma.test",
    "club.delta.test", "club.epsilon.test", "club.zeta.test", "club.eta.test", "club.theta.test",
    "club.iota.test", "club.kappa.test", "chain-1.test", "chain-2.test", "new-forum.test", "main-club.test",
    "calendar-club.test",
}  # fmt: skip


@pytest.fixture(scope="module")
def discovery(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("discovery")
    db_path = tmp_path / "d.db"
    with build_web() as web:
        first = crawl(web, db_path, tmp_path, "--max-depth", "2", *SEEDS)
        assert first.returncode == 0, first.stderr[-3000:]
        first_log = list(web.log)
        second = crawl(web, db_path, tmp_path, "--max-depth", "2", *SEEDS)
        assert second.returncode == 4, second.stderr[-3000:]  # nothing was due (crawler/ops/commands.py)
        second_log = web.log[len(first_log) :]
        db = sqlite_utils.Database(db_path)
        db.execute("UPDATE communities SET next_due_at = '2000-01-01T00:00:00+00:00' WHERE id = 'forum.alpha.test'")
        db.conn.commit()
        third = crawl(web, db_path, tmp_path, "--max-depth", "2", *SEEDS)
        assert third.returncode == 0, third.stderr[-3000:]
        third_log = web.log[len(first_log) + len(second_log) :]
    return {"db": sqlite_utils.Database(db_path), "first": first_log, "second": second_log, "third": third_log,
            "web": web}  # fmt: skip


def test_at_least_30_sites(discovery):
    assert len(discovery["web"].sites) >= 30


def test_every_reachable_community_found_once(discovery):
    db = discovery["db"]
    alive = {row["id"] for row in db.query("SELECT id FROM communities WHERE status = 'alive'")}
    assert alive >= REACHABLE
    # Beyond --max-depth 2: never visited.
    assert not alive & {"club.lambda.test", "club.mu.test", "chain-3.test"}
    hosts = {host for host, _, _ in discovery["first"]}
    assert not hosts & {"club.lambda.test", "club.mu.test", "chain-3.test"}
    # One community per site: each site's homepage fetched once in the run.
    homepages = [host for host, path, _ in discovery["first"] if path == "/"]
    assert len(homepages) == len(set(homepages))


def test_links_recorded_with_targets(discovery):
    db = discovery["db"]
    links = {(r["from_community_id"], r["to_community_id"]) for r in db["links"].rows}
    assert ("hub.polyglot.test", "forum.alpha.test") in links
    assert ("forum.alpha.test", "hub.polyglot.test") in links  # a cycle
    assert ("hub.polyglot.test", "club.delta.test") in links  # found on the "Liens" page
    assert ("hub.polyglot.test", "new-forum.test") in links  # through the permanent redirect


def test_statuses_of_special_sites(discovery):
    db = discovery["db"]
    status = {row["id"]: row for row in db["communities"].rows}
    assert status["old-forum.test"]["status"] == "moved"
    assert status["old-forum.test"]["alias_of"] == "new-forum.test"
    assert status["alias-club.test"]["status"] == "alias"
    assert status["alias-club.test"]["alias_of"] == "main-club.test"
    assert status["gone-club.test"]["status"] == "gone"
    assert status["private-club.test"]["status"] == "blocked_by_robots"
    candidates = {row["site_id"]: row for row in db["candidates"].rows}
    assert candidates["shop.books.test"]["status"] == "rejected"
    assert candidates["optout-club.test"]["reason"] == "opted_out"
    assert candidates["forum.alpha.test"]["status"] == "accepted"


def test_nothing_fetched_that_robots_or_opt_out_forbid(discovery):
    log = discovery["first"] + discovery["second"] + discovery["third"]
    assert not [entry for entry in log if entry[0] == "optout-club.test"]
    assert {path for host, path, _ in log if host == "private-club.test"} == {"/robots.txt"}


def test_calendar_trap_cut_off(discovery):
    log = discovery["first"] + discovery["second"] + discovery["third"]
    assert not [path for host, path, _ in log if path.startswith("/calendar")]


def test_subdomains_do_not_flood_the_budget(discovery):
    bigwiki = {host for host, _, _ in discovery["first"] if host.endswith(".bigwiki.test")}
    # One page links seven sub-domains: the link extractor keeps three sites per domain per page.
    assert bigwiki == {"fr.bigwiki.test", "de.bigwiki.test", "es.bigwiki.test"}


def test_second_run_refreshes_only_what_is_due(discovery):
    assert discovery["second"] == []
    assert {host for host, _, _ in discovery["third"]} == {"forum.alpha.test"}


def test_max_sites_is_never_exceeded(tmp_path):
    with build_web() as web:
        result = crawl(web, tmp_path / "m.db", tmp_path, "--max-sites", "5", "--max-depth", "3", *SEEDS)
        assert result.returncode == 0, result.stderr[-3000:]
        assert len(web.hosts_contacted()) <= 5
        assert len(web.hosts_contacted()) == 5
