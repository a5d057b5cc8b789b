"""Distributed mode on a real engine: a redis-server started here on loopback, two scrapy-redis
workers against one loopback web, and the single writer loading everything into SQLite.

Skipped, with the reason, when redis-server is not installed (``scripts/ensure_redis.sh`` installs it).
"""

from __future__ import annotations

import json
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
from tests.ops_web import ROOT, build_web, proxy_env

REDIS_SERVER = shutil.which("redis-server")
needs_redis = pytest.mark.skipif(
    REDIS_SERVER is None, reason="redis-server not installed (make test installs it with scripts/ensure_redis.sh)"
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def redis_url(tmp_path):
    """A private redis-server on a free loopback port, without persistence, stopped after the test."""
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


def run_distributed(tmp_path, url: str, web, seeds: list[str], workers: int = 2):
    """Start the workers, then the loader (coordinator and single writer); wait for all of them."""
    env = proxy_env(web)
    db = tmp_path / "d.db"
    import redis

    redis.Redis.from_url(url).delete(CrawlKeys().workers)  # heartbeats of an earlier crawl in this server
    procs = [
        subprocess.Popen(worker_command(url, web), cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                         stderr=(tmp_path / f"worker{i}.log").open("w"))
        for i in range(workers)
    ]  # fmt: skip
    wait_for_workers(url, workers)
    loader = subprocess.Popen(
        [sys.executable, "-m", "crawler", "load", "--redis", url, "--db", str(db), "--log-level", "INFO", *seeds],
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
