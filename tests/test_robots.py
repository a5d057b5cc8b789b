"""robots.txt per RFC 9309 (status rules, the first 500 KiB, redirects), fetched as a scheduled request, with
a bounded parser cache; each behaviour checked against loopback sites."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
from contextlib import ExitStack
from pathlib import Path

import pytest

from crawler.middlewares.robots import ParserCache
from tests.webserver import LoopbackSite, Route

ROOT = Path(__file__).resolve().parents[1]
TEXT = {"Content-Type": "text/plain"}


def robots(body: str, status: int = 200) -> Route:
    return Route(body, status, TEXT)


def site(robots_route: Route) -> LoopbackSite:
    routes = {"/robots.txt": robots_route}
    routes.update({path: Route(f"<html><title>{path}</title></html>") for path in ("/", "/a", "/b", "/private/x")})
    return LoopbackSite(routes)


def run(steps: list[list[dict]], **settings) -> dict:
    """Run ``tests/robots_crawl.py`` with ``steps``; return what it printed."""
    plan = json.dumps({"steps": steps, "settings": settings})
    result = subprocess.run(
        [sys.executable, "-m", "tests.robots_crawl", plan], cwd=ROOT, capture_output=True, text=True, timeout=60,
        check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def get(url: str, **meta) -> dict:
    return {"url": url, "meta": meta}


def test_cache_drops_the_least_recently_used_host():
    cache = ParserCache(2)
    cache.put("a", None)
    cache.put("b", None)
    cache.get("a")  # a is now the most recent
    cache.put("c", None)
    assert "a" in cache and "c" in cache and "b" not in cache
    assert len(cache) == 2
    with pytest.raises(ValueError):
        ParserCache(0)


def test_fetched_once_before_the_first_request_and_disallowed_requests_dropped():
    with site(robots("User-agent: *\nDisallow: /private/\n")) as web:
        base = web.url.rstrip("/")
        # Three requests arrive together: all wait for one robots.txt.
        out = run([[get(f"{base}/"), get(f"{base}/private/x"), get(f"{base}/a")]])
        assert web.paths()[0] == "/robots.txt"
        assert web.paths().count("/robots.txt") == 1
        assert "/private/x" not in web.paths()
    assert sorted(out["answered"]) == [f"{base}/", f"{base}/a"]
    assert out["dropped"] == [[f"{base}/private/x", "Forbidden by robots.txt"]]
    assert out["stats"] == {
        "robotstxt/request_count": 1,
        "robotstxt/response_count": 1,
        "robotstxt/response_status_count/200": 1,
        "robotstxt/forbidden": 1,
    }
    assert len(out["parsed"]) == 1  # the robots_parsed signal, once per robots.txt


def test_rules_for_our_user_agent_apply():
    with site(robots("User-agent: TremplinBot\nDisallow: /a\n\nUser-agent: *\nDisallow: /\n")) as web:
        base = web.url.rstrip("/")
        out = run([[get(f"{base}/a")], [get(f"{base}/b")]])
    assert out["answered"] == [f"{base}/b"]
    assert out["dropped"] == [[f"{base}/a", "Forbidden by robots.txt"]]


def test_dont_obey_robotstxt_skips_the_check():
    with site(robots("User-agent: *\nDisallow: /\n")) as web:
        base = web.url.rstrip("/")
        out = run([[get(f"{base}/private/x", dont_obey_robotstxt=True)]])
        assert web.paths() == ["/private/x"]
    assert out["answered"] == [f"{base}/private/x"]
    assert out["stats"] == {}


@pytest.mark.parametrize("status", [500, 429])
def test_a_robots_txt_answering_a_server_error_disallows_everything(status):
    with site(robots("oops", status)) as web:
        base = web.url.rstrip("/")
        out = run([[get(f"{base}/"), get(f"{base}/a")]])
        assert web.paths() == ["/robots.txt"]  # RFC 9309 2.3.1.4: complete disallow
    reason = f"robots.txt unreachable (http_{status}): every URL disallowed"
    assert sorted(out["dropped"]) == [[f"{base}/", reason], [f"{base}/a", reason]]
    assert out["stats"] == {
        "robotstxt/request_count": 1,
        "robotstxt/response_count": 1,
        f"robotstxt/response_status_count/{status}": 1,
        "robotstxt/forbidden": 2,
    }


@pytest.mark.parametrize("status", [404, 401])
def test_a_robots_txt_answering_a_client_error_allows_everything(status):
    with site(robots("no", status)) as web:
        base = web.url.rstrip("/")
        out = run([[get(f"{base}/private/x")]])
    assert out["answered"] == [f"{base}/private/x"]
    assert out["stats"]["robotstxt/response_status_count/" + str(status)] == 1


def test_an_unreachable_robots_txt_disallows_everything():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed = probe.getsockname()[1]
    out = run([[get(f"http://127.0.0.1:{closed}/a")]])
    assert out["answered"] == []
    # Dropped by robots.txt (no answer at all), before any attempt of its own.
    assert out["dropped"] == [
        [f"http://127.0.0.1:{closed}/a", "robots.txt unreachable (connection_refused): every URL disallowed"]
    ]
    assert out["stats"] == {
        "robotstxt/request_count": 1,
        "robotstxt/exception_count/<class 'scrapy.exceptions.DownloadConnectionRefusedError'>": 1,
        "robotstxt/forbidden": 1,
    }


def test_only_the_first_500_kib_of_a_huge_robots_txt_are_read():
    # 50 MB: beyond DOWNLOAD_MAXSIZE, which used to fail the fetch and so allow everything.
    huge = "User-agent: TremplinBot\nDisallow: /\n" + "# padding line of a huge robots.txt\n" * 1_400_000
    with site(robots(huge)) as web:
        base = web.url.rstrip("/")
        out = run([[get(f"{base}/a")]], DOWNLOAD_MAXSIZE=8 * 1024 * 1024)
        assert web.paths() == ["/robots.txt"]
    assert out["dropped"] == [[f"{base}/a", "Forbidden by robots.txt"]]
    assert out["stats"]["robotstxt/response_status_count/200"] == 1


def test_rules_past_the_first_500_kib_are_not_read():
    padding = "# padding\n" * 60_000  # 600 KB
    with site(robots(padding + "User-agent: *\nDisallow: /a\n")) as web:
        base = web.url.rstrip("/")
        out = run([[get(f"{base}/a")]])
    assert out["answered"] == [f"{base}/a"]


def test_a_redirected_robots_txt_is_followed():
    with site(robots("User-agent: *\nDisallow: /a\n")) as target:
        moved = Route(b"", 301, {"Location": f"{target.url}robots.txt"})
        with site(moved) as web:
            base = web.url.rstrip("/")
            out = run([[get(f"{base}/a")], [get(f"{base}/b")]])
            assert web.paths() == ["/robots.txt", "/b"]
        assert target.paths() == ["/robots.txt"]
    assert out["dropped"] == [[f"{base}/a", "Forbidden by robots.txt"]]


def test_without_tremplins_scheduler_the_first_request_fetches_robots_txt_itself():
    with site(robots("User-agent: *\nDisallow: /private/\n")) as web:
        base = web.url.rstrip("/")
        out = run([[get(f"{base}/"), get(f"{base}/private/x")]], SCHEDULER="scrapy.core.scheduler.Scheduler")
        assert web.paths()[0] == "/robots.txt"
        assert web.paths().count("/robots.txt") == 1
    assert out["answered"] == [f"{base}/"]
    assert out["dropped"] == [[f"{base}/private/x", "Forbidden by robots.txt"]]


def test_only_the_most_recent_hosts_keep_their_parser():
    with ExitStack() as stack:
        first = stack.enter_context(site(robots("User-agent: *\nDisallow: /private/\n")))
        second = stack.enter_context(site(robots("User-agent: *\nAllow: /\n")))
        a, b = first.url.rstrip("/"), second.url.rstrip("/")
        steps = [[get(f"{a}/a")], [get(f"{b}/a")], [get(f"{a}/b")], [get(f"{a}/private/x")]]
        kept = run(steps)
        assert first.paths() == ["/robots.txt", "/a", "/b"]
        first.requests.clear()
        second.requests.clear()
        # Room for one host: going back to the first site fetches its robots.txt again, still obeyed.
        bounded = run(steps, TREMPLIN_ROBOTSTXT_PARSERS=1)
        assert first.paths() == ["/robots.txt", "/a", "/robots.txt", "/b"]
        assert second.paths() == ["/robots.txt", "/a"]
    for out in (kept, bounded):
        assert out["dropped"] == [[f"{a}/private/x", "Forbidden by robots.txt"]]
    assert kept["stats"]["robotstxt/request_count"] == 2
    assert bounded["stats"]["robotstxt/request_count"] == 3
