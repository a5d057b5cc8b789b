"""End-to-end: the real Scrapy engine (``tremplin crawl``) against sites served on loopback."""

from __future__ import annotations

import json
import subprocess
import sys
from contextlib import ExitStack
from pathlib import Path

import sqlite_utils

from tests.webserver import LoopbackSite, Route

FIXTURES = Path(__file__).parent / "fixtures"
ROBOTS_ALLOW = Route("User-agent: *\nAllow: /\n", headers={"Content-Type": "text/plain"})
# Politeness stays on (one request at a time per site), with delays scaled down for a loopback web.
FAST = ["--set", "DOWNLOAD_DELAY=0.05", "--set", "AUTOTHROTTLE_START_DELAY=0.05", "--set", "RETRY_TIMES=1"]


def crawl(db: Path, *args: str, timeout: int = 90) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "crawler", "crawl", "--db", str(db), "--log-level", "WARNING", *FAST, *args],
        capture_output=True, text=True, timeout=timeout, check=False,
    )  # fmt: skip


def phpbb_site() -> LoopbackSite:
    body = (FIXTURES / "phpbb" / "fight-bb-index.html").read_bytes()
    return LoopbackSite({"/robots.txt": ROBOTS_ALLOW, "/": Route(body)})


def test_private_address_refused_without_permission(tmp_path):
    with phpbb_site() as site:
        result = crawl(tmp_path / "c.db", site.url)
        assert result.returncode == 0, result.stderr
        assert site.requests == []  # not even robots.txt was asked
    db = sqlite_utils.Database(tmp_path / "c.db")
    errors = list(db["fetch_errors"].rows)
    assert [(e["url"], e["error"]) for e in errors] == [(site.url, "refused_private")]
    assert db["communities"].get(f"127.0.0.1:{site.port}")["status"] == "refused"


def test_allowed_loopback_site_crawled_politely(tmp_path):
    with ExitStack() as stack:
        forum = stack.enter_context(phpbb_site())
        broken = stack.enter_context(
            LoopbackSite({"/robots.txt": ROBOTS_ALLOW, "/": Route("oops", 500, {"Content-Type": "text/plain"})})
        )
        blocked = stack.enter_context(
            LoopbackSite({
                "/robots.txt": Route("User-agent: *\nDisallow: /\n", headers={"Content-Type": "text/plain"}),
                "/": Route("<html><title>Secret</title></html>"),
            })
        )  # fmt: skip
        args = [forum.url, broken.url, blocked.url]
        for site in (forum, broken, blocked):
            args += ["--allow-address", f"127.0.0.1:{site.port}"]
        for refresh in ("due", "all"):
            result = crawl(tmp_path / "c.db", *args, "--max-sites", "10", "--refresh", refresh)
            assert result.returncode == 0, result.stderr
        assert forum.paths()[0] == "/robots.txt"
        assert "/" in forum.paths()
        assert all("TremplinBot" in agent for _, agent in forum.requests)
        assert blocked.paths() == ["/robots.txt", "/robots.txt"]  # one robots.txt per run, nothing else
        # A third run right after refreshes only what is due: nothing yet.
        before = [len(site.requests) for site in (forum, broken, blocked)]
        result = crawl(tmp_path / "c.db", *args)
        assert result.returncode == 4, result.stderr  # nothing was due (crawler/ops/commands.py)
        assert [len(site.requests) for site in (forum, broken, blocked)] == before
    db = sqlite_utils.Database(tmp_path / "c.db")
    assert db["runs"].count == 3
    row = db["communities"].get(f"127.0.0.1:{forum.port}")
    assert row["platform"] == "phpbb"
    assert row["members"] == 11337
    assert db["communities"].get(f"127.0.0.1:{blocked.port}")["status"] == "blocked_by_robots"
    assert db["communities"].get(f"127.0.0.1:{broken.port}")["status"] == "unreachable"
    kinds = {(e["site_id"], e["error"]) for e in db["fetch_errors"].rows}
    assert (f"127.0.0.1:{broken.port}", "http_500") in kinds
    assert (f"127.0.0.1:{blocked.port}", "robots") in kinds
    members = list(db.query(
        "SELECT run_id, value, source_url FROM observations WHERE metric = 'members' AND community_id = ?",
        [f"127.0.0.1:{forum.port}"],
    ))  # fmt: skip
    assert len(members) == 2 and {m["value"] for m in members} == {11337}
    assert all(m["source_url"] == forum.url for m in members)
    # No member name from the page reaches the database.
    dump = json.dumps([list(db[t].rows) for t in db.table_names() if "_fts" not in t])
    assert "Suzaku" not in dump and "memberlist.php" not in dump
