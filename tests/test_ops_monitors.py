"""Data-quality monitors: each check on a hand-made database, then whole crawls judged degraded or failed."""

from __future__ import annotations

import json
import sqlite3

import pytest

from crawler.ops.monitors import (
    Check,
    MonitorConfig,
    check_coverage,
    check_drop,
    check_error_rate,
    check_finish,
    check_min_communities,
    judge_run,
    verdict,
)
from crawler.storage import finish_run, open_database, start_run, store_batch
from tests.ops_web import ROBOTS_OK, SlowWeb, phpbb, run_crawl, summary_of
from tests.webserver import Route

CONFIG = MonitorConfig(min_sample=3)


def community(site: str, platform: str | None = "phpbb", members: int | None = 100, status: str = "alive") -> dict:
    item = {"id": site, "url": f"http://{site}/", "seed_url": f"http://{site}/", "platform": platform,
            "status": status, "observed_at": "2026-11-01T00:00:00+00:00", "metrics": {}, "evidence": {}}  # fmt: skip
    if status != "alive":
        item["error_kind"] = "timeout"
    if members is not None:
        item["metrics"]["members"] = members
        item["evidence"]["members"] = {"source_url": item["url"], "rule": "test", "snippet": str(members)}
    return item


def make_run(db, run_id: str, items: list[dict], reason: str = "finished") -> None:
    start_run(db, {"id": run_id, "started_at": "2026-11-01T00:00:00+00:00", "spider": "communities"})
    store_batch(db, run_id, "2026-11-01T00:00:00+00:00", items, [])
    finish_run(db, run_id, {"status": "finished", "finish_reason": reason})


@pytest.fixture
def db(tmp_path):
    database = open_database(tmp_path / "m.db")
    yield database
    database.close()


def test_min_communities_fails_when_nothing_was_reached(db):
    make_run(db, "r1", [community(f"s{i}.test", status="unreachable") for i in range(3)])
    [check] = check_min_communities(db, "r1", CONFIG)
    assert check.status == "failed" and "only 0 communities reached of 3" in check.reason


def test_min_communities_skipped_when_nothing_was_due_or_allowed(db):
    make_run(db, "r1", [])
    assert check_min_communities(db, "r1", CONFIG)[0].status == "skipped"


def test_coverage_per_platform(db):
    items = [community(f"p{i}.test", members=None if i < 2 else 10) for i in range(5)]
    items += [community(f"d{i}.test", platform="discourse") for i in range(4)]
    make_run(db, "r1", items)
    checks = {c.name: c for c in check_coverage(db, "r1", CONFIG)}
    assert checks["coverage:phpbb:members"].status == "degraded"
    assert checks["coverage:phpbb:members"].value == 0.6
    assert "members found for 3 of 5 phpbb sites" in checks["coverage:phpbb:members"].reason
    assert checks["coverage:discourse:members"].status == "ok"
    assert checks["coverage:mediawiki:members"].status == "skipped"  # no such site: nothing to judge


def test_error_rate_degrades_then_fails(db):
    make_run(db, "r1", [community(f"s{i}.test") for i in range(3)] + [community("x.test", status="unreachable")])
    assert check_error_rate(db, "r1", CONFIG)[0].status == "ok"  # 25 %
    make_run(db, "r2", [community(f"s{i}.test") for i in range(2)] + [community(f"x{i}.test", status="unreachable")
                                                                      for i in range(2)])  # fmt: skip
    assert check_error_rate(db, "r2", CONFIG)[0].status == "degraded"  # 50 %
    make_run(db, "r3", [community("s0.test")] + [community(f"y{i}.test", status="unreachable") for i in range(4)])
    check = check_error_rate(db, "r3", CONFIG)[0]
    assert check.status == "failed" and "4 of 5 sites unreachable" in check.reason


def test_sudden_drop_against_the_previous_run(db):
    make_run(db, "r1", [community(f"s{i}.test") for i in range(10)])
    judge_run(db, "r1", CONFIG)
    assert check_drop(db, "r1", CONFIG)[0].status == "skipped"  # nothing before it
    make_run(db, "r2", [community(f"s{i}.test", status="unreachable") for i in range(4)])
    drop = check_drop(db, "r2", CONFIG)[0]
    assert drop.status == "degraded" and "from 10 to 6" in drop.reason
    judge_run(db, "r2", CONFIG)
    make_run(db, "r3", [community(f"s{i}.test", status="unreachable") for i in range(4, 10)])
    assert check_drop(db, "r3", CONFIG)[0].status == "failed"  # 6 -> 0


def test_early_stop_degrades(db):
    make_run(db, "r1", [community("a.test")], reason="closespider_timeout")
    assert check_finish(db, "r1", CONFIG)[0].status == "degraded"


def test_verdict_is_the_worst_check_and_is_stored(db):
    assert verdict([Check("a", "ok"), Check("b", "skipped")]) == ("ok", [])
    status, reasons = verdict([Check("a", "degraded", reason="x"), Check("b", "failed", reason="y")])
    assert status == "failed" and reasons == ["a: x", "b: y"]
    make_run(db, "r1", [community(f"s{i}.test", status="unreachable") for i in range(3)])
    status, _, _ = judge_run(db, "r1", CONFIG)
    row = db.execute("SELECT monitor_status, monitor_reasons FROM runs WHERE id = 'r1'").fetchone()
    assert status == row[0] == "failed"
    assert any("min_communities" in reason for reason in json.loads(row[1]))
    assert db.execute("SELECT count(*) FROM run_checks WHERE run_id = 'r1'").fetchone()[0] >= 5


def phpbb_without_members(name: str) -> dict[str, Route]:
    page = (f'<html lang="en"><head><title>{name} - Index page</title></head><body id="phpbb"><h1>{name}</h1>'
            '<p class="copyright">Powered by <a href="https://www.phpbb.com/">phpBB</a></p></body></html>')  # fmt: skip
    return {"/robots.txt": ROBOTS_OK, "/": Route(page)}


def crawl_web(tmp_path, sites: dict[str, dict[str, Route]]):
    web = SlowWeb(0)
    for host, routes in sites.items():
        web.add(host, routes)
    with web:
        result = run_crawl(web, tmp_path / "c.db", *[f"http://{host}/" for host in sites])
    return result, sqlite3.connect(tmp_path / "c.db")


def test_crawl_with_broken_phpbb_coverage_is_degraded_and_exits_3(tmp_path):
    sites = {f"board{i}.test": phpbb(f"Board {i}", 100 + i) for i in range(2)}
    sites |= {f"bare{i}.test": phpbb_without_members(f"Bare {i}") for i in range(4)}
    result, conn = crawl_web(tmp_path, sites)
    assert result.returncode == 3, result.stderr[-3000:]
    status, reasons = conn.execute("SELECT monitor_status, monitor_reasons FROM runs").fetchone()
    assert status == "degraded"
    assert any("coverage:phpbb:members: members found for 2 of 6 phpbb sites" in r for r in json.loads(reasons))
    assert summary_of(result.stdout)["monitors"] == "degraded"  # the summary table says it too


def test_crawl_reaching_no_community_fails_and_exits_1(tmp_path):
    down = {"/robots.txt": ROBOTS_OK, "/": Route("down", 500, {"Content-Type": "text/plain"})}
    result, conn = crawl_web(tmp_path, {f"down{i}.test": dict(down) for i in range(5)})
    assert result.returncode == 1, result.stderr[-3000:]
    status, reasons = conn.execute("SELECT monitor_status, monitor_reasons FROM runs").fetchone()
    assert status == "failed"
    reasons = json.loads(reasons)
    assert any(r.startswith("min_communities: only 0 communities") for r in reasons)
    assert any(r.startswith("error_rate: 5 of 5 sites unreachable") for r in reasons)
