"""A loopback web for the operations tests: many named community sites behind one proxy, slowed down.

Every answer waits ``delay`` seconds, so a crawl is still mid-way when a test kills it or reads the
database. Hubs link to leaf sites (discovery depth 1); phpBB leaves have members on the homepage,
Discourse leaves chain a second request (``/about.json``) so visits are interrupted between requests.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

from tests.virtual_web import VirtualWeb
from tests.webserver import ROBOTS_OK, Route, phpbb_index

ROOT = Path(__file__).resolve().parents[1]


def _links(hosts: list[str]) -> str:
    return "".join(f'<a href="http://{host}/">{host}</a> ' for host in hosts)


def phpbb(name: str, members: int, links: list[str] = ()) -> dict[str, Route]:
    page = phpbb_index(
        name, members, f'<footer class="site-footer"><h3>Partners</h3><p>{_links(list(links))}</p></footer>'
    )
    return {"/robots.txt": ROBOTS_OK, "/": Route(page)}


def discourse(name: str, members: int) -> dict[str, Route]:
    page = (
        f'<!DOCTYPE html><html lang="fr"><head><title>{name}</title>'
        '<meta name="generator" content="Discourse 3.2.1 - https://github.com/discourse/discourse version abc">'
        "</head><body></body></html>"
    )
    about = {"about": {"title": name, "locale": "fr", "version": "3.2.1",
                       "stats": {"users_count": members, "topics_count": members // 3}}}  # fmt: skip
    return {
        "/robots.txt": ROBOTS_OK,
        "/": Route(page),
        "/about.json": Route(json.dumps(about), headers={"Content-Type": "application/json"}),
    }


class SlowWeb(VirtualWeb):
    """``VirtualWeb`` whose every answer takes ``delay`` seconds (the handler thread sleeps)."""

    def __init__(self, delay: float = 0.0) -> None:
        super().__init__()
        self.delay = delay

    def __enter__(self) -> SlowWeb:
        super().__enter__()
        handler = self.server.RequestHandlerClass
        original = handler.do_GET
        web = self

        def slow_get(request_handler):
            time.sleep(web.delay)
            # The crawler may be killed while a page waits: a broken pipe is expected in these tests.
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                original(request_handler)

        self.server.RequestHandlerClass = type("SlowHandler", (handler,), {"do_GET": slow_get})
        return self

    def homepage_hits(self) -> dict[str, int]:
        """How many times each site's homepage was asked for."""
        hits: dict[str, int] = {}
        for host, path, _ in self.log:
            if path == "/":
                hits[host] = hits.get(host, 0) + 1
        return hits


def build_web(hubs: int = 4, leaves_per_hub: int = 6, delay: float = 0.1) -> tuple[SlowWeb, list[str], set[str]]:
    """Return the web, its seed URLs (the hubs) and every community host it has."""
    web = SlowWeb(delay)
    seeds, hosts = [], set()
    for h in range(hubs):
        leaves = [f"club{h}-{i}.test" for i in range(leaves_per_hub)]
        hub = f"hub{h}.test"
        web.add(hub, phpbb(f"Hub {h}", 10_000 + h, leaves))
        seeds.append(f"http://{hub}/")
        hosts.add(hub)
        for i, leaf in enumerate(leaves):
            routes = discourse(f"Club {h}-{i}", 500 + 10 * h + i) if i % 2 else phpbb(f"Club {h}-{i}", 300 + 10 * h + i)
            web.add(leaf, routes)
            hosts.add(leaf)
    return web, seeds, hosts


def crawl_command(web: VirtualWeb, db: Path, *args: str) -> list[str]:
    """The ``tremplin crawl`` command line for ``web`` (polite delays scaled down for loopback)."""
    return [
        sys.executable, "-m", "crawler", "crawl", "--db", str(db), "--log-level", "INFO", "--progress", "log",
        "--allow-address", f"127.0.0.1:{web.port}", "--max-depth", "1",
        "--set", "DOWNLOAD_DELAY=0", "--set", "AUTOTHROTTLE_ENABLED=False", "--set", "RETRY_TIMES=0",
        *args,
    ]  # fmt: skip


def proxy_env(web: VirtualWeb) -> dict[str, str]:
    """Environment sending the crawler's requests through the loopback proxy."""
    return {**os.environ, "http_proxy": web.proxy, "HTTP_PROXY": web.proxy, "no_proxy": "", "NO_PROXY": ""}


def start_crawl(web: VirtualWeb, db: Path, *args: str, log: Path | None = None) -> subprocess.Popen:
    """Start a crawl in the background (its output goes to ``log``)."""
    out = log.open("ab") if log else subprocess.DEVNULL
    return subprocess.Popen(crawl_command(web, db, *args), cwd=ROOT, env=proxy_env(web), stdout=out, stderr=out)


def run_crawl(web: VirtualWeb, db: Path, *args: str, timeout: int = 120) -> subprocess.CompletedProcess:
    """Run a crawl to its end."""
    return subprocess.run(
        crawl_command(web, db, *args), cwd=ROOT, env=proxy_env(web), capture_output=True, text=True,
        timeout=timeout, check=False,
    )  # fmt: skip


def summary_of(stdout: str) -> dict[str, str]:
    """The rows of a crawl's plain summary by label (labels are padded: two spaces at least follow one)."""
    rows = [re.split(r"\s{2,}", line, maxsplit=1) for line in stdout.splitlines() if re.match(r"\S.*?\s{2,}\S", line)]
    return {label: value for label, value in rows}
