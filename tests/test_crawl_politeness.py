"""Politeness as the server sees it, end to end: ``tremplin crawl`` on a loopback web of named sites
(one proxy on 127.0.0.1), with the shipped scheduling (one request at a time per site, the delay
with its jitter, AutoThrottle) and delays scaled down for a short test.

Checked from the server's own log (arrival and end of every request): each site's robots.txt comes
first; a site never has two requests at once; the gap between two arrivals at one site is never
under the site's delay (``DOWNLOAD_DELAY``, or its robots.txt ``Crawl-delay``); no more transfers
at once than ``CONCURRENT_REQUESTS``. And RFC 9309 end to end: a robots.txt answering 503, one that
cannot be reached and one of 50 MB; a capped ``Crawl-delay`` kept with its evidence. No timing is
asserted about speed, only lower bounds the crawler must respect.
"""

from __future__ import annotations

import contextlib
import sqlite3
import threading
import time
from urllib.parse import urlsplit

import pytest

from tests.ops_web import SlowWeb, discourse, phpbb, run_crawl
from tests.webserver import Route

DELAY = 0.4
CONCURRENCY = 2
TEXT = {"Content-Type": "text/plain"}


def robots(body: str) -> Route:
    return Route(body, headers=TEXT)


class TimedWeb(SlowWeb):
    """``SlowWeb`` that also logs when each request arrived and when its answer was sent."""

    def __init__(self, delay: float = 0.0) -> None:
        super().__init__(delay)
        self.timed: list[tuple[str, str, float, float]] = []  # host, path, arrived, answered
        self.lock = threading.Lock()

    def __enter__(self) -> TimedWeb:
        super().__enter__()
        handler = self.server.RequestHandlerClass
        slow_get = handler.do_GET
        web = self

        def timed_get(request_handler):
            arrived = time.monotonic()
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                slow_get(request_handler)
            parts = urlsplit(request_handler.path)
            path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
            with web.lock:
                web.timed.append(((parts.hostname or "").lower(), path, arrived, time.monotonic()))

        self.server.RequestHandlerClass = type("TimedHandler", (handler,), {"do_GET": timed_get})
        return self

    def by_site(self) -> dict[str, list[tuple[str, float, float]]]:
        sites: dict[str, list[tuple[str, float, float]]] = {}
        for host, path, arrived, answered in sorted(self.timed, key=lambda entry: entry[2]):
            sites.setdefault(host, []).append((path, arrived, answered))
        return sites


def crawl(web: TimedWeb, tmp_path, seeds: list[str], *sets: str):
    settings = [f"DOWNLOAD_DELAY={DELAY}", f"CONCURRENT_REQUESTS={CONCURRENCY}", "RETRY_TIMES=0", *sets]
    args = [arg for name in settings for arg in ("--set", name)]
    # ops_web's command sets DOWNLOAD_DELAY=0 and AutoThrottle off; the later --set wins, AutoThrottle on.
    result = run_crawl(web, tmp_path / "p.db", "--max-depth", "0", "--set", "AUTOTHROTTLE_ENABLED=True", *args, *seeds)
    assert result.returncode == 0, result.stderr[-3000:]
    return sqlite3.connect(tmp_path / "p.db")


@pytest.fixture(scope="module")
def polite_crawl(tmp_path_factory):
    web = TimedWeb(delay=0.03)
    hosts = []
    for i in range(6):
        host = f"club{i}.test"
        web.add(host, discourse(f"Club {i}", 100 + i) if i % 2 else phpbb(f"Club {i}", 200 + i))
        hosts.append(host)
    slow = "slowpoke.test"  # asks for 0.5 s between requests (more than DOWNLOAD_DELAY, under the cap)
    web.add(
        slow, {**discourse("Slowpoke", 50), "/robots.txt": Route("User-agent: *\nCrawl-delay: 0.5\n", headers=TEXT)}
    )
    capped = "capped.test"  # asks for a day: capped at 0.6 s, and said so in its evidence
    web.add(
        capped, {**discourse("Capped", 60), "/robots.txt": Route("User-agent: *\nCrawl-delay: 86400\n", headers=TEXT)}
    )
    hosts += [slow, capped]
    with web:
        db = crawl(web, tmp_path_factory.mktemp("polite"), [f"http://{h}/" for h in hosts],
                   "TREMPLIN_MAX_CRAWL_DELAY=0.6")  # fmt: skip
    return web, db, hosts


def test_robots_txt_first_and_one_request_at_a_time_per_site(polite_crawl):
    web, _, hosts = polite_crawl
    sites = web.by_site()
    assert set(sites) == set(hosts)
    for host, requests in sites.items():
        assert requests[0][0] == "/robots.txt", host
        assert [path for path, _, _ in requests].count("/robots.txt") == 1, host
        for (_, _, answered), (path, arrived, _) in zip(requests, requests[1:], strict=False):
            assert arrived >= answered, f"{host}{path} arrived before the previous answer was sent"


def test_gaps_as_the_server_sees_them_are_never_under_the_site_delay(polite_crawl):
    web, _, _ = polite_crawl
    floors = {"slowpoke.test": 0.5, "capped.test": 0.6}
    for host, requests in web.by_site().items():
        arrivals = [arrived for _, arrived, _ in requests]
        gaps = [later - earlier for earlier, later in zip(arrivals, arrivals[1:], strict=False)]
        assert len(gaps) >= 1, host
        assert min(gaps) >= floors.get(host, DELAY), (host, gaps)
        # No start delay for a fast site: its first gap is its delay and one answer, not 2 s.
        assert gaps[0] < floors.get(host, DELAY) * 1.5 + 0.5, (host, gaps)


def test_never_more_transfers_at_once_than_concurrent_requests(polite_crawl):
    web, _, _ = polite_crawl
    events = sorted([(arrived, 1) for _, _, arrived, _ in web.timed] + [(answered, -1) for *_, answered in web.timed])
    open_now = peak = 0
    for _, change in events:
        open_now += change
        peak = max(peak, open_now)
    assert peak <= CONCURRENCY


def test_a_capped_crawl_delay_is_recorded_with_its_evidence(polite_crawl):
    _, db, _ = polite_crawl
    rows = db.execute(
        "SELECT community_id, source_url, rule, snippet FROM evidence WHERE field = 'crawl_delay'"
    ).fetchall()
    assert rows == [
        (
            "capped.test",
            "http://capped.test/robots.txt",
            "robots.txt Crawl-delay capped at 0.6 s (TREMPLIN_MAX_CRAWL_DELAY); 0.6 s honoured",
            "Crawl-delay: 86400",
        )
    ]
    assert db.execute("SELECT members FROM communities WHERE id = 'capped.test'").fetchone() == (60,)


def test_robots_txt_server_error_unreachable_or_huge_blocks_the_site_with_the_reason(tmp_path):
    web = TimedWeb()
    web.add("down.test", {**phpbb("Down", 10), "/robots.txt": Route("busy", 503, TEXT)})
    huge = "User-agent: TremplinBot\nDisallow: /\n" + "# a robots.txt padded to 50 MB\n" * 1_700_000
    web.add("huge.test", {**phpbb("Huge", 20), "/robots.txt": Route(huge, headers=TEXT)})
    web.add("fine.test", {**phpbb("Fine", 30), "/robots.txt": Route("gone", 404, TEXT)})
    seeds = ["http://down.test/", "http://huge.test/", "http://fine.test/", "http://nowhere.test/"]
    with web:
        db = crawl(web, tmp_path, seeds, "DOWNLOAD_DELAY=0")
    sites = web.by_site()
    assert [path for path, _, _ in sites["down.test"]] == ["/robots.txt"]
    assert [path for path, _, _ in sites["huge.test"]] == ["/robots.txt"]
    assert [path for path, _, _ in sites["fine.test"]][:2] == ["/robots.txt", "/"]  # a 404 robots.txt allows all
    states = dict(db.execute("SELECT id, status || ' ' || coalesce(error_kind, '') FROM communities").fetchall())
    assert states == {
        "down.test": "blocked_by_robots robots_unreachable",
        "huge.test": "blocked_by_robots robots",
        "fine.test": "alive ",
        # nowhere.test answers 502 at the proxy, as an unknown host: a server error, so unreachable.
        "nowhere.test": "blocked_by_robots robots_unreachable",
    }
    errors = dict(db.execute("SELECT url, message FROM fetch_errors").fetchall())
    assert errors == {
        "http://down.test/": "robots.txt unreachable (http_503): every URL disallowed",
        "http://huge.test/": "Forbidden by robots.txt",
        "http://nowhere.test/": "robots.txt unreachable (http_502): every URL disallowed",
    }
    # Asked again on the next due visit like an unreachable site (a day), not in a week.
    due = dict(db.execute("SELECT id, julianday(next_due_at) - julianday('now') FROM communities").fetchall())
    assert 0.85 < due["down.test"] < 1.15
    assert due["huge.test"] > 6.9  # a robots.txt that says no: a week
