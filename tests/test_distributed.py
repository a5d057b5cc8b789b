"""Distributed mode on a real engine: a redis-server started here on loopback, two scrapy-redis
workers against one loopback web, and the single writer loading everything into SQLite.

Skipped, with the reason, when redis-server is not installed (``scripts/ensure_redis.sh`` installs it);
under ``CI=true`` a missing redis-server fails them instead.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time

import pytest
import scrapy
from scrapy.http import Request

from crawler.ops.distributed import codec
from crawler.ops.distributed.keys import CrawlKeys
from crawler.visit import SiteVisit
from tests.ops_web import ROOT, build_web, crawl_command, proxy_env

REDIS_SERVER = shutil.which("redis-server")
MISSING = "redis-server not installed (make test installs it with scripts/ensure_redis.sh)"
needs_redis = pytest.mark.skipif(REDIS_SERVER is None and os.environ.get("CI") != "true", reason=MISSING)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def redis_url(tmp_path):
    """A private redis-server on a free loopback port, without persistence, stopped after the test."""
    if REDIS_SERVER is None:
        pytest.fail(MISSING)  # only reached under CI=true: a missing service fails, it does not skip
    port = free_port()
    server = subprocess.Popen(
        [REDIS_SERVER, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
         "--dir", str(tmp_path), "--protected-mode", "yes"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    import redis

    client = redis.Redis(host="127.0.0.1", port=port)
    deadline = time.monotonic() + 10
    while True:
        try:
            client.ping()
            break
        except redis.ConnectionError:
            if time.monotonic() > deadline or server.poll() is not None:
                server.kill()
                pytest.fail("redis-server did not start")
            time.sleep(0.05)
    yield f"redis://127.0.0.1:{port}/0"
    server.terminate()
    server.wait(timeout=10)


def worker_command(url: str, web, *extra: str) -> list[str]:
    return [
        sys.executable, "-m", "crawler", "worker", "--redis", url, "--idle-exit", "30", "--progress", "log",
        "--allow-address", f"127.0.0.1:{web.port}", "--max-depth", "1", "--log-level", "INFO",
        "--set", "DOWNLOAD_DELAY=0", "--set", "AUTOTHROTTLE_ENABLED=False", "--set", "RETRY_TIMES=0",
        "--set", "CONCURRENT_REQUESTS=4", *extra,
    ]  # fmt: skip


def wait_for_workers(url: str, count: int, timeout: float = 60) -> None:
    """Wait until ``count`` live workers have sent a heartbeat (so none starts late and finds nothing)."""
    import redis

    client = redis.Redis.from_url(url)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        states = [json.loads(raw) for raw in client.hgetall(CrawlKeys().workers).values()]
        if sum(1 for state in states if not state.get("closed")) >= count:
            return
        time.sleep(0.05)
    pytest.fail(f"{count} workers did not start")


def run_distributed(tmp_path, url: str, web, seeds: list[str], workers: int = 2, extra: tuple[str, ...] = (),
                    db_name: str = "d.db"):  # fmt: skip
    """Start the workers, then the loader (coordinator and single writer); wait for all of them."""
    env = proxy_env(web)
    db = tmp_path / db_name
    import redis

    redis.Redis.from_url(url).delete(CrawlKeys().workers)  # heartbeats of an earlier crawl in this server
    procs = [
        subprocess.Popen(worker_command(url, web, *extra), cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                         stderr=(tmp_path / f"worker{i}.log").open("w"))
        for i in range(workers)
    ]  # fmt: skip
    wait_for_workers(url, workers)
    env = {**env, "TREMPLIN_REDIS_URL": url}  # the loader reads it from the environment, as deployed
    loader = subprocess.Popen(
        [sys.executable, "-m", "crawler", "load", "--db", str(db), "--log-level", "INFO", *extra, *seeds],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=(tmp_path / "load.log").open("w"), text=True,
    )  # fmt: skip
    out, _ = loader.communicate(timeout=120)
    # The crawl is over once the loader exits; stop the workers as systemd would (SIGTERM: clean close).
    for proc in procs:
        proc.send_signal(signal.SIGTERM)
    codes = [proc.wait(timeout=60) for proc in procs]
    return loader.returncode, out, codes, db


@needs_redis
def test_two_workers_crawl_every_site_once_and_one_writer_stores_every_item_once(tmp_path, redis_url):
    web, seeds, hosts = build_web(hubs=4, leaves_per_hub=6, delay=0.1)
    with web:
        code, out, worker_codes, db = run_distributed(tmp_path, redis_url, web, seeds)
        hits = web.homepage_hits()
    assert code == 0, out + (tmp_path / "load.log").read_text()[-3000:]
    assert worker_codes == [0, 0]
    # Every site crawled exactly once across both workers (the shared site claims).
    assert hits == dict.fromkeys(hosts, 1)
    # Both workers took part (shared frontier), and every item was loaded once by the single writer.
    for i in range(2):
        log = (tmp_path / f"worker{i}.log").read_text()
        assert "'scheduler/dequeued/redis'" in log, log[-2000:]
    conn = sqlite3.connect(db)
    assert sorted(row[0] for row in conn.execute("SELECT id FROM communities")) == sorted(hosts)
    run = conn.execute("SELECT items, mode, status, monitor_status FROM runs").fetchone()
    assert run == (len(hosts), "distributed", "finished", "ok")
    assert f"loaded {len(hosts)} community" in out
    members = conn.execute("SELECT count(*), count(DISTINCT community_id) FROM observations WHERE metric = 'members'")
    assert members.fetchone() == (len(hosts), len(hosts))
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


@needs_redis
def test_second_crawl_skips_sites_not_due(tmp_path, redis_url):
    web, seeds, hosts = build_web(hubs=1, leaves_per_hub=3, delay=0)
    with web:
        first = run_distributed(tmp_path, redis_url, web, seeds, workers=1)
        assert first[0] == 0, first[1]
        before = len(web.log)
        second = run_distributed(tmp_path, redis_url, web, seeds, workers=1)
        assert second[0] == 0, second[1]
        assert web.log[before:] == []  # everything visited a moment ago: nothing due
    conn = sqlite3.connect(first[3])
    assert conn.execute("SELECT count(*) FROM runs WHERE status = 'finished'").fetchone()[0] == 2


# Columns that name the run or the moment, which differ between any two crawls.
VOLATILE = ("run_id", "last_run_id", "computed_run_id", "first_seen_run_id")


def contents(db) -> dict[str, list[tuple]]:
    """Every row of the crawl's tables, run ids and timestamps aside, sorted."""
    conn = sqlite3.connect(db)
    tables = ("communities", "observations", "evidence", "links", "candidates", "fetch_errors", "run_sites")
    out = {}
    for table in tables:
        columns = [row[1] for row in conn.execute(f"PRAGMA table_info({table})")]
        kept = [c for c in columns if c not in VOLATILE and not c.endswith("_at") and c != "at"]
        out[table] = sorted(conn.execute(f"SELECT {', '.join(kept)} FROM {table}").fetchall(), key=repr)
    return out


@needs_redis
def test_two_workers_one_worker_and_a_single_crawl_store_the_same_rows(tmp_path, redis_url):
    web, seeds, hosts = build_web(hubs=2, leaves_per_hub=5, delay=0.05)
    opt_out = tmp_path / "opt_out.txt"
    opt_out.write_text("club0-3.test\nhub1.test\n")  # one site found through a link, one seed
    seeds_file = tmp_path / "seeds.txt"
    seeds_file.write_text("".join(f"{seed} forum\n" for seed in seeds))  # a kind column, as seeds files have
    extra = ("--opt-out-file", str(opt_out))
    with web:
        single = subprocess.run(
            [*crawl_command(web, tmp_path / "single.db", "--set", "CONCURRENT_REQUESTS=4", *extra),
             "--seeds-file", str(seeds_file)],
            cwd=ROOT, env=proxy_env(web), capture_output=True, text=True, timeout=120, check=False,
        )  # fmt: skip
        assert single.returncode == 0, single.stderr[-3000:]
        runs = {}
        for workers in (1, 2):
            code, out, worker_codes, db = run_distributed(
                tmp_path,
                redis_url,
                web,
                ["--seeds-file", str(seeds_file)],
                workers=workers,
                extra=extra,
                db_name=f"w{workers}.db",
            )
            assert code == 0, out + (tmp_path / "load.log").read_text()[-3000:]
            assert worker_codes == [0] * workers
            runs[workers] = contents(db)
    expected = contents(tmp_path / "single.db")
    assert {row[0]: row[-1] for row in expected["run_sites"]}  # the single crawl stored its sites
    statuses = {row[0] for row in expected["communities"] if "opted_out" in row}
    assert statuses == {"hub1.test"}
    assert any("opted_out" in row for row in expected["candidates"])
    for workers, got in runs.items():
        for table, rows in expected.items():
            assert got[table] == rows, (workers, table)


class _Spider(scrapy.Spider):
    name = "communities"

    def parse_homepage(self, response, visit):
        pass

    def homepage_failed(self, failure):
        pass

    def parse_endpoint(self, response, visit, current):
        pass


def test_codec_round_trips_a_homepage_request_as_json():
    spider = _Spider()
    visit = SiteVisit("http://a.test/", depth=1, is_seed=False, found_from="b.test", found_rule="footer")
    request = Request(visit.seed_url, callback=spider.parse_homepage, errback=spider.homepage_failed,
                      cb_kwargs={"visit": visit}, dont_filter=True)  # fmt: skip
    data = codec.dumps(request.to_dict(spider=spider))
    json.loads(data)  # plain JSON, no pickle
    from scrapy.utils.request import request_from_dict

    rebuilt = request_from_dict(codec.loads(data), spider=spider)
    assert rebuilt.url == request.url and rebuilt.callback == spider.parse_homepage
    assert rebuilt.cb_kwargs["visit"] == visit


@pytest.mark.parametrize(
    "tamper",
    [
        {"_class": "subprocess.Popen"},
        {"callback": "close"},
        {"meta": {"handle_httpstatus_all": True}},
        {"url": "http://elsewhere.test/"},
        {"cb_kwargs": {"visit": {"$visit": {"seed_url": "file:///etc/passwd"}}}},
    ],
)
def test_codec_refuses_what_it_would_not_write(tamper):
    spider = _Spider()
    visit = SiteVisit("http://a.test/")
    request = Request(visit.seed_url, callback=spider.parse_homepage, cb_kwargs={"visit": visit}, dont_filter=True)
    payload = json.loads(codec.dumps(request.to_dict(spider=spider)))
    payload.update(tamper)
    with pytest.raises(ValueError):
        codec.loads(json.dumps(payload))


def test_codec_keeps_started_visits_and_endpoint_requests_out_of_redis():
    spider = _Spider()
    started = SiteVisit("http://a.test/", home_url="http://a.test/")
    request = Request("http://a.test/about.json", callback=spider.parse_endpoint,
                      cb_kwargs={"visit": started, "current": None})  # fmt: skip
    with pytest.raises(codec.CodecError):
        codec.dumps(request.to_dict(spider=spider))


def test_items_travel_as_typed_json_and_unknown_ones_are_refused():
    from crawler.items import CommunityItem

    kind, item = codec.decode_item(codec.encode_item(CommunityItem(id="a.test", url="http://a.test/")))
    assert kind == "community" and item["id"] == "a.test"
    for bad in (b"\x80\x04K\x01.", json.dumps({"v": 1, "type": "shell", "item": {}}),
                json.dumps({"v": 1, "type": "community", "item": {"id": 3}})):  # fmt: skip
        with pytest.raises(codec.CodecError):
            codec.decode_item(bad)


def test_keys_are_namespaced_per_crawl():
    assert CrawlKeys("nightly").requests == "tremplin:nightly:requests"
    assert len(set(CrawlKeys().all())) == len(CrawlKeys().all())


def test_deployed_units_keep_the_redis_password_off_the_command_line():
    from pathlib import Path

    deploy = Path(ROOT) / "deploy"
    for unit in ("tremplin-worker.service", "tremplin-load.service"):
        text = (deploy / unit).read_text()
        commands = [line for line in text.splitlines() if line.startswith("ExecStart=")]
        assert commands and not any("--redis" in line or "REDIS" in line for line in commands), unit
        assert "EnvironmentFile=/etc/tremplin/worker.env" in text
        assert "TREMPLIN_REDIS_URL=" in text  # the comment saying what the file holds
