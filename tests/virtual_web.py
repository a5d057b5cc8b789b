"""A web of many named sites served by one loopback HTTP proxy, for end-to-end crawl tests.

The crawler is started with ``http_proxy`` pointing at the proxy, so it asks for
``http://club.alpha.test/`` as it would on the web while every byte stays on 127.0.0.1. Each
request is logged with its host, path and User-Agent so a test can check what was (not) fetched.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

from tests.webserver import NOT_FOUND, Route, send_route


@dataclass
class VirtualWeb:
    """Sites by host name: ``{host: {path_with_query: Route}}``; unknown hosts answer 502."""

    sites: dict[str, dict[str, Route]] = field(default_factory=dict)
    log: list[tuple[str, str, str]] = field(default_factory=list)  # (host, path, user agent)

    def add(self, host: str, routes: dict[str, Route]) -> None:
        self.sites[host] = routes

    def hosts_contacted(self) -> set[str]:
        return {host for host, _, _ in self.log}

    def paths(self, host: str) -> list[str]:
        return [path for h, path, _ in self.log if h == host]

    def __enter__(self) -> VirtualWeb:
        web = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 - http.server API
                parts = urlsplit(self.path)
                host = (parts.hostname or self.headers.get("Host", "")).lower()
                path = parts.path or "/"
                if parts.query:
                    path += "?" + parts.query
                web.log.append((host, path, self.headers.get("User-Agent", "")))
                routes = web.sites.get(host)
                if routes is None:
                    send_route(self, Route("no such host", 502, {"Content-Type": "text/plain"}))
                else:
                    send_route(self, routes.get(path) or NOT_FOUND)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()

    @property
    def proxy(self) -> str:
        return f"http://127.0.0.1:{self.port}"
