"""``tremplin serve``'s serving side in process: inspect data once per copy, validators, the page cache.

The Datasette of a worker is the in-process one (``make_datasette``) plus the serving plugin: the
pages are byte for byte the same, read-only and bounded the same, with cache headers added.
"""

from __future__ import annotations

import asyncio
import http.client
import json
import os
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

import pytest

from crawler.cli import build_parser
from crawler.publish import DATASETTE_SETTINGS, READ_ONLY_PLUGINS, make_datasette, publish_copy
from crawler.serving import plugin
from crawler.serving.cache import PageCache, _Entry, _etag_matches
from crawler.serving.copy_state import prepare_copy
from tests.test_ops_deploy import DEPLOY, exec_lines, tremplin_args
from tests.test_publish_db import build_research_db

PAGES = [
    "/",
    "/c",
    "/c/communities",
    "/c/communities.json?_shape=array",
    "/c/communities/polyglot~2Eexample",
    "/c/partner_shortlist?language=fr",
    "/c/community_growth.json?community_id=polyglot.example",
    "/c/observations?community_id=polyglot.example",
]


@pytest.fixture(scope="module")
def copy(tmp_path_factory):
    path = tmp_path_factory.mktemp("serving") / "c.db"
    build_research_db(path)
    return prepare_copy(publish_copy(path))


@pytest.fixture
def served(copy):
    """Request paths from a worker's Datasette (serving plugin attached), in process."""
    plugin.register()
    datasette = make_datasette(copy.path)
    plugin.attach(datasette, copy)

    def get(*paths, method="GET", headers=None):
        async def scenario():
            return [await datasette.client.request(method, path, headers=headers or {}) for path in paths]

        return asyncio.run(scenario())

    yield get
    plugin.unregister()


def without_timings(body: bytes) -> bytes:
    """The page less what differs between two renderings: how long its queries took."""
    body = re.sub(rb"Queries took [0-9.]+ms", b"Queries took ?ms", body)
    return re.sub(rb'"query_ms": [0-9.e-]+', b'"query_ms": ?', body)


def plain_get(copy, *paths):
    async def scenario():
        datasette = make_datasette(copy.path)
        return [await datasette.client.get(path) for path in paths]

    return asyncio.run(scenario())


def test_inspect_data_is_computed_once_per_copy_and_gives_the_counts(copy):
    data = copy.inspect_data()["c"]
    conn = sqlite3.connect(copy.path)
    assert data["tables"]["communities"]["count"] == conn.execute("SELECT count(*) FROM communities").fetchone()[0]
    assert data["tables"]["observations"]["count"] == conn.execute("SELECT count(*) FROM observations").fetchone()[0]
    conn.close()
    assert data["size"] == copy.path.stat().st_size
    assert copy.inspect_file == copy.path.with_name("c.inspect.json")


def test_pages_are_those_of_the_single_process_with_cache_headers(copy, served):
    plain = plain_get(copy, *PAGES)
    first = served(*PAGES)
    again = served(*PAGES)
    for path, expected, miss, hit in zip(PAGES, plain, first, again, strict=True):
        assert expected.status_code == miss.status_code == hit.status_code == 200, path
        assert without_timings(miss.content) == without_timings(expected.content), path
        assert hit.content == miss.content, path
        assert miss.headers["cache-control"] == "public, max-age=600", path
        assert miss.headers["etag"] == hit.headers["etag"] == copy.etag, path
        assert miss.headers["last-modified"].endswith(" GMT"), path
        assert (miss.headers["x-tremplin-cache"], hit.headers["x-tremplin-cache"]) == ("miss", "hit"), path
        assert hit.headers["content-type"] == expected.headers["content-type"], path


def test_a_client_holding_the_copy_gets_304(copy, served):
    for validator in (copy.etag, f"W/{copy.etag}", f'"other", {copy.etag}'):
        (cold,) = served("/c/runs", headers={"if-none-match": validator})
        (warm,) = served("/c/runs", headers={"if-none-match": validator})
        for response in (cold, warm):
            assert response.status_code == 304
            assert response.content == b""
            assert response.headers["etag"] == copy.etag
            assert response.headers["cache-control"] == "public, max-age=600"
    (stale,) = served("/c/runs", headers={"if-none-match": '"an-older-copy"'})
    assert stale.status_code == 200 and stale.headers["etag"] == copy.etag


@pytest.mark.parametrize(
    ("path", "method", "headers"),
    [
        ("/c/communities?_ttl=0", "GET", {}),  # Datasette's own no-cache
        ("/c/no_such_table", "GET", {}),  # 404
        ("/c.json?" + urlencode({"sql": "DELETE FROM communities"}), "GET", {}),  # 400
        ("/c/communities", "GET", {"authorization": "Bearer x"}),  # credentials
        ("/c/communities", "GET", {"cookie": "ds_actor=x"}),
        ("/c/partner_shortlist", "POST", {}),
    ],
)
def test_what_is_never_marked_public_nor_cached(served, path, method, headers):
    first, second = served(path, path, method=method, headers=headers)
    for response in (first, second):
        assert "etag" not in response.headers
        assert "public" not in response.headers.get("cache-control", "")
        assert "x-tremplin-cache" not in response.headers


def test_every_worker_is_read_only_and_bounded_as_the_single_process(copy, served):
    settings, plugins, robots, databases = served(
        "/-/settings.json", "/-/plugins.json", "/robots.txt", "/-/databases.json"
    )
    for name, value in DATASETTE_SETTINGS.items():
        assert settings.json()[name] == value, name
    names = {p["name"] for p in plugins.json()}
    assert "crawler.serving.plugin" in names and names <= READ_ONLY_PLUGINS
    assert robots.text.splitlines() == ["User-agent: *", "Disallow: /"]
    assert databases.json()[0]["is_mutable"] is False
    writes = ["/c.json?" + urlencode({"sql": sql}) for sql in ("DELETE FROM communities", "DROP TABLE runs")]
    assert [r.status_code for r in served(*writes)] == [400, 400]
    (after,) = served("/c/communities/polyglot~2Eexample.json?_shape=array")
    assert after.json()[0]["members"] == 120000


def test_the_etag_changes_with_the_copy_and_only_then(tmp_path, copy):
    same = tmp_path / "same" / "c.db"
    same.parent.mkdir()
    shutil.copyfile(copy.path, same)
    assert prepare_copy(same).etag == copy.etag  # same bytes, same site: same pages
    changed = tmp_path / "changed" / "c.db"
    changed.parent.mkdir()
    shutil.copyfile(copy.path, changed)
    with sqlite3.connect(changed) as conn:
        conn.execute("UPDATE communities SET members = members + 1 WHERE id = 'polyglot.example'")
    conn.close()
    assert prepare_copy(changed).etag != copy.etag


def test_page_cache_is_bounded_in_bytes_and_time():
    cache = PageCache(max_bytes=100, max_entry_bytes=60, ttl=10)

    def entry(size, expires=100.0):
        return _Entry(200, [], b"x" * size, expires)

    cache.put(b"a", entry(40))
    cache.put(b"b", entry(40))
    assert cache.get(b"a", now=0) is not None  # a is now the most recently used
    cache.put(b"c", entry(40))  # over 100 bytes: b, the least recently used, goes
    assert cache.get(b"b", now=0) is None and cache.get(b"a", now=0) and cache.get(b"c", now=0)
    cache.put(b"big", entry(61))
    assert cache.get(b"big", now=0) is None  # larger than an entry may be
    assert cache.get(b"a", now=100.0) is None  # expired
    assert len(cache) == 1


def test_if_none_match_is_compared_weakly():
    assert _etag_matches(b'"abc"', b'"abc"')
    assert _etag_matches(b'W/"abc"', b'"abc"')
    assert _etag_matches(b'"x", W/"abc"', b'"abc"')
    assert _etag_matches(b"*", b'"abc"')
    assert not _etag_matches(b'"abcd"', b'"abc"')


def test_inspect_file_is_datasettes_format(copy):
    data = json.loads(copy.inspect_file.read_text())
    assert set(data["c"]) >= {"hash", "size", "file", "tables"}
    assert len(data["c"]["hash"]) == 64
    assert data["c"]["file"] == "c.db"  # no server path


def test_inspect_data_written_for_the_copy_is_reused_and_stale_data_is_not(tmp_path, copy):
    served = tmp_path / "c.db"
    shutil.copyfile(copy.path, served)
    inspect_file = served.with_name("c.inspect.json")
    data = copy.inspect_data()
    data["c"]["tables"]["runs"]["count"] = 12345  # marked, to see whether it is read again
    inspect_file.write_text(json.dumps(data))
    assert prepare_copy(served).inspect_data()["c"]["tables"]["runs"]["count"] == 12345
    data["c"]["size"] += 1  # written for another copy
    inspect_file.write_text(json.dumps(data))
    assert prepare_copy(served).inspect_data()["c"]["tables"]["runs"]["count"] == 3


# -- tremplin serve --workers 2 on a loopback port ---------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def http_get(port: int, path: str, headers: dict | None = None) -> tuple[int, dict, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", path, headers=headers or {})
        response = connection.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        connection.close()


def children(pid: int) -> set[int]:
    found = set()
    for task in Path(f"/proc/{pid}/task").iterdir():
        found |= {int(child) for child in (task / "children").read_text().split()}
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"


def test_tremplin_serve_with_two_workers(tmp_path):
    db = tmp_path / "c.db"
    build_research_db(db)
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "crawler", "serve", "--db", str(db), "--port", str(port), "--workers", "2"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            assert server.poll() is None, server.communicate()
            try:
                status, _, _ = http_get(port, "/")
                break
            except OSError:
                assert time.monotonic() < deadline, "tremplin serve did not answer within 60 s"
                time.sleep(0.2)
        (master,) = children(server.pid)  # Gunicorn's master, tremplin serve's child
        while len(workers := children(master)) < 2 and time.monotonic() < deadline:
            time.sleep(0.2)
        assert len(workers) == 2
        etag = prepare_copy(tmp_path / "published" / "c.db").etag
        seen = set()
        for path in ("/", "/c/communities", "/c/partner_shortlist?language=fr", "/c/communities.json?_shape=array"):
            for _ in range(4):  # the two workers each render the page once, then answer from their cache
                status, headers, body = http_get(port, path)
                assert status == 200, path
                assert headers["cache-control"] == "public, max-age=600"
                assert headers["etag"] == etag
                seen.add(headers["x-tremplin-cache"])
        assert seen == {"hit", "miss"}
        assert json.loads(http_get(port, "/-/databases.json")[2])[0]["path"] == "c.db"  # no server path
        communities = json.loads(http_get(port, "/c/communities.json?_shape=array")[2])
        assert {row["id"] for row in communities} >= {"polyglot.example", "evil.example"}
        status, headers, body = http_get(port, "/c/communities", {"If-None-Match": etag})
        assert (status, body, headers["etag"]) == (304, b"", etag)
        server.send_signal(signal.SIGTERM)  # Gunicorn's master stops every worker
        assert server.wait(timeout=20) == 0
        assert not any(alive(pid) for pid in (master, *workers))
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()
    out, err = server.communicate()
    assert f"read-only at http://127.0.0.1:{port}/" in out
    assert "Traceback" not in err


def test_workers_must_be_a_positive_integer():
    result = subprocess.run(
        [sys.executable, "-m", "crawler", "serve", "--workers", "0"], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "tremplin: error: argument --workers: expected a positive integer, got '0'"
    ]


def test_the_serve_unit_runs_a_command_that_parses():
    (command,) = exec_lines("tremplin-serve.service")
    args = build_parser().parse_args(tremplin_args(command))
    assert (args.command, args.host, args.port) == ("serve", "127.0.0.1", 8001)
    assert "KillSignal=SIGTERM" in (DEPLOY / "tremplin-serve.service").read_text()
    nginx = (DEPLOY / "nginx.conf").read_text()
    assert "server 127.0.0.1:8001;" in nginx and "proxy_cache_revalidate on;" in nginx


def test_datasettes_own_max_age_is_kept(served):
    first, second = served("/c/runs?_ttl=60", "/c/runs?_ttl=60")
    assert first.headers["cache-control"] == second.headers["cache-control"] == "public, max-age=60"
    assert (first.headers["x-tremplin-cache"], second.headers["x-tremplin-cache"]) == ("miss", "hit")


def test_a_bad_page_cache_size_is_one_line(tmp_path):
    db = tmp_path / "c.db"
    build_research_db(db)
    result = subprocess.run(
        [sys.executable, "-m", "crawler", "serve", "--db", str(db), "--port", str(free_port())],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "TREMPLIN_PAGE_CACHE_MB": "lots"},
    )
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        "tremplin: error: TREMPLIN_PAGE_CACHE_MB must be a number of megabytes (0: none), got 'lots'"
    ]
    assert not (tmp_path / "published").exists()  # refused before publishing anything
