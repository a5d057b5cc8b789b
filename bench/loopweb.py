"""A loopback web of thousands of named sites behind one HTTP proxy, with a realistic response delay.

Run as its own process (``python -m bench.loopweb --sites 2000 --port 0 --delay 0.1``) so its CPU is
never counted as the crawler's. Crawlers reach it as an HTTP proxy (``http_proxy``), asking for
``http://<site>-<n>.test/...`` exactly as on the web, so Scrapy keeps one download slot (and one
politeness delay) per site while every byte stays on 127.0.0.1.

Sites are the sample web's communities (``crawler/archive/sample_web``: Discourse, MediaWiki,
Mastodon, Lemmy, PeerTube, phpBB, XenForo, SMF, MyBB, vBulletin, custom sites) rendered under new
host names, plus real forum homepages from ``tests/fixtures`` (real samples), so the pages have the
markup of the real thing. Every answer waits ``delay`` seconds with a deterministic jitter of
``±jitter`` (the same URL always waits the same time, so every crawler meets the same web).

``GET http://control.bench.invalid/log`` returns and clears the log as JSON: ``(host, path, arrived,
answered)`` per request, the times on the machine's monotonic clock (when the request line was read,
when the answer was written), from which the benchmark computes the gaps each site saw;
``/stats`` returns the request count.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import signal
import sys
import time
import zlib
from dataclasses import replace
from pathlib import Path
from urllib.parse import urlsplit

from w3lib.url import safe_url_string

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

CONTROL_HOST = "control.bench.invalid"
DOMAIN = "test"  # each site its own registrable domain: per-domain site budgets must not apply
FIXTURES = Path(__file__).resolve().parents[1] / "tests" / "fixtures"
# Real forum homepages (real samples, see tests/fixtures/SOURCES.md) served as a site's "/".
REAL_HOMEPAGES = (
    "phpbb/fight-bb-index.html",
    "xenforo/thecatsite-xf1-home.html",
    "smf/chemicalforums-smf2-index.html",
    "mybb/cs-joke-pl-index.html",
    "vbulletin/quiltingboard-vb4-forumhome.html",
    "invision/nsaneforums-ips4-index.html",
)
# How often each kind of template appears: API-rich platforms ask more endpoints per site.
# With these weights a site answers 4.4 requests on average (robots.txt included).
WEIGHTS = {"mastodon": 20, "lemmy": 14, "discourse": 4, "peertube": 4, "mediawiki": 2}

Routes = dict[str, tuple[int, str, bytes]]  # path -> (status, content type, body)


def _templates() -> list[tuple[str, object]]:
    from crawler.archive.sample_web import SITES

    templates: list[tuple[str, object]] = []
    for site in SITES:
        if site.fault is None and site.first_capture == 0:
            templates += [("sample", site)] * WEIGHTS.get(site.platform, 1)
    for name in REAL_HOMEPAGES:
        path = FIXTURES / name
        if path.is_file():
            spec = json.loads(path.with_name(path.name[: -len(".html")] + ".expected.json").read_text())
            templates.append(("real", (path, urlsplit(spec["url"]).hostname)))
    return templates


def site_host(index: int, label: str) -> str:
    slug = "".join(ch if ch.isalnum() else "-" for ch in label.lower()).strip("-")[:24]
    return f"{slug}-{index:06d}.{DOMAIN}"


def build_web(count: int) -> dict[str, Routes]:
    """Return ``{host: routes}`` for ``count`` sites, cycling through the templates."""
    from crawler.archive.sample_web.captures import figures_at
    from crawler.archive.sample_web.faults import robots
    from crawler.archive.sample_web.model import Snapshot
    from crawler.archive.sample_web.renderers import RENDERERS

    templates = _templates()
    web: dict[str, Routes] = {}
    robots_ok = (200, "text/plain", b"User-agent: *\nDisallow: /ucp.php\n")
    for index in range(count):
        kind, template = templates[index % len(templates)]
        if kind == "sample":
            label = template.domain.split(".")[0] if template.domain.count(".") > 1 else template.domain
            host = site_host(index, label)
            # Rendered under the template's own name (custom sites' prose is keyed by it), then renamed.
            site = replace(template, scheme="http", crawl_delay=None)
            snapshot = Snapshot(site, 2, figures_at(site, 2))
            old, new = site.domain.encode(), host.encode()
            routes: Routes = {"/robots.txt": (200, "text/plain; charset=utf-8", robots(site).body.replace(old, new))}
            for path, page in RENDERERS[site.platform](snapshot).items():
                # Keyed as Scrapy sends it ("|" becomes "%7C").
                sent = urlsplit(safe_url_string(f"http://{host}{path}"))
                key = sent.path + (f"?{sent.query}" if sent.query else "")
                routes[key] = (page.status, page.content_type, page.body.replace(old, new))
        else:
            path, origin = template
            host = site_host(index, path.parent.name)
            body = path.read_bytes()
            # The page's links to its own site point at the new host (a canonical link elsewhere
            # would make the site an alias of a host outside this web).
            for name in {origin, origin.removeprefix("www.")}:
                for scheme in (b"https://", b"http://", b"//"):
                    body = body.replace(scheme + name.encode(), b"http://" + host.encode())
            routes = {"/robots.txt": robots_ok, "/": (200, "text/html; charset=utf-8", body)}
        web[host] = routes
    return web


def build_small_web(count: int) -> dict[str, Routes]:
    """``count`` small custom sites (homepage with a member count, a footer link; robots.txt), for
    crawls that measure memory over many sites rather than the cost of big pages."""
    web: dict[str, Routes] = {}
    robots_ok = (200, "text/plain", b"User-agent: *\nDisallow: /private/\n")
    for index in range(count):
        host = site_host(index, "club")
        page = (
            f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Club {index}</title>'
            f'<meta property="og:site_name" content="Club {index}"><link rel="canonical" href="http://{host}/">'
            f'<meta name="description" content="A language exchange club of {1000 + index:,} members."></head>'
            f"<body><h1>Club {index}</h1><p>Join {1000 + index:,} members who practise languages together, "
            f"every week, online and in cafés.</p>"
            f'<footer><a href="http://{site_host((index + 1) % count, "club")}/">Partner club</a></footer>'
            "</body></html>"
        )
        web[host] = {"/robots.txt": robots_ok, "/": (200, "text/html; charset=utf-8", page.encode())}
    return web


def seeds(web: dict[str, Routes]) -> list[str]:
    return [f"http://{host}/" for host in web]


class Server:
    """Answer proxy-style requests for the sites of ``web`` after a per-URL delay."""

    def __init__(self, web: dict[str, Routes], delay: float, jitter: float) -> None:
        self.web = web
        self.delay = delay
        self.jitter = jitter
        self.log: list[list] = []  # [host, path, arrived, answered]
        self.count = 0

    def wait_for(self, host: str, path: str) -> float:
        if self.delay <= 0:
            return 0.0
        unit = zlib.crc32(f"{host}{path}".encode()) / 0xFFFFFFFF  # 0..1, fixed per URL
        return max(0.0, self.delay * (1 + self.jitter * (2 * unit - 1)))

    def answer(self, host: str, path: str, arrived: float) -> tuple[int, str, bytes, list | None]:
        if host == CONTROL_HOST:
            if path.startswith("/log"):
                body = json.dumps(self.log).encode()
                self.log = []
                return 200, "application/json", body, None
            return 200, "application/json", json.dumps({"requests": self.count}).encode(), None
        self.count += 1
        entry = [host, path, arrived, None]
        self.log.append(entry)
        return (*self._route(host, path), entry)

    def _route(self, host: str, path: str) -> tuple[int, str, bytes]:
        routes = self.web.get(host)
        if routes is None:
            return 502, "text/plain", b"no such host"
        return routes.get(path) or (404, "text/plain", b"not found")

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                arrived = time.monotonic()
                lines = head.decode("latin-1").split("\r\n")
                parts = lines[0].split(" ")
                if len(parts) < 3:
                    break
                target = parts[1]
                headers = {}
                for line in lines[1:]:
                    name, sep, value = line.partition(":")
                    if sep:
                        headers[name.strip().lower()] = value.strip()
                if target.startswith("http"):
                    split = urlsplit(target)
                    host = (split.hostname or "").lower()
                    path = split.path or "/"
                    if split.query:
                        path += "?" + split.query
                else:
                    host = headers.get("host", "").split(":")[0].lower()
                    path = target
                length = int(headers.get("content-length") or 0)
                if length:
                    await reader.readexactly(length)
                status, content_type, body, entry = self.answer(host, path, arrived)
                wait = self.wait_for(host, path) if host != CONTROL_HOST else 0.0
                if wait:
                    await asyncio.sleep(wait)
                close = headers.get("connection", "").lower() == "close"
                writer.write(
                    (
                        f"HTTP/1.1 {status} {'OK' if status == 200 else 'Error'}\r\n"
                        f"Content-Type: {content_type}\r\nContent-Length: {len(body)}\r\n"
                        f"Connection: {'close' if close else 'keep-alive'}\r\n\r\n"
                    ).encode("latin-1")
                    + body
                )
                await writer.drain()
                if entry is not None:
                    entry[3] = time.monotonic()
                if close:
                    break
        except (asyncio.IncompleteReadError, ConnectionError, asyncio.LimitOverrunError):
            pass
        finally:
            writer.close()


async def serve(args: argparse.Namespace) -> None:
    web = build_small_web(args.sites) if args.small else build_web(args.sites)
    if args.seeds:
        Path(args.seeds).write_text("\n".join(seeds(web)) + "\n")
    server = Server(web, args.delay, args.jitter)
    listener = await asyncio.start_server(server.handle, "127.0.0.1", args.port, backlog=4096, limit=1 << 16)
    port = listener.sockets[0].getsockname()[1]
    print(json.dumps({"port": port, "sites": len(web)}), flush=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    async with listener:
        await stop.wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sites", type=int, default=2000)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--delay", type=float, default=0.1, help="seconds before each answer")
    parser.add_argument("--jitter", type=float, default=0.5, help="relative jitter of the delay")
    parser.add_argument("--seeds", help="write the sites' homepage URLs to this file")
    parser.add_argument("--small", action="store_true", help="small custom sites (memory benchmark)")
    asyncio.run(serve(parser.parse_args()))


if __name__ == "__main__":
    main()
