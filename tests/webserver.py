"""A tiny loopback web for end-to-end tests: each site is one port on 127.0.0.1 serving fixed routes."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Route:
    """One fixed answer."""

    body: bytes | str = b""
    status: int = 200
    headers: dict[str, str] = field(default_factory=lambda: {"Content-Type": "text/html; charset=utf-8"})


def send_route(handler: BaseHTTPRequestHandler, route: Route) -> None:
    """Write ``route`` as the HTTP response of ``handler``."""
    body = route.body.encode("utf-8") if isinstance(route.body, str) else route.body
    handler.send_response(route.status)
    for name, value in route.headers.items():
        handler.send_header(name, value)
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    handler.wfile.write(body)


NOT_FOUND = Route(b"not found", 404, {"Content-Type": "text/plain"})
ROBOTS_OK = Route("User-agent: *\nAllow: /\n", headers={"Content-Type": "text/plain"})


def phpbb_index(name: str, members: int, tail: str = "") -> str:
    """A phpBB board index with its statistics block (posts 9x, topics 2x the members); ``tail`` ends the body."""
    return (
        f'<!DOCTYPE html><html lang="en-gb"><head><meta charset="utf-8"><title>{name} - Index page</title></head>'
        f'<body id="phpbb" class="section-index ltr"><h1>{name}</h1>'
        '<div class="stat-block statistics"><h3>Statistics</h3>'
        f"<p>Total posts <strong>{members * 9}</strong> &bull; Total topics <strong>{members * 2}</strong> "
        f"&bull; Total members <strong>{members}</strong></p></div>"
        f'<p class="copyright">Powered by <a href="https://www.phpbb.com/">phpBB</a></p>{tail}</body></html>'
    )


class LoopbackSite:
    """A site on its own loopback port; records every path it was asked for."""

    def __init__(self, routes: dict[str, Route]) -> None:
        self.routes = routes
        self.requests: list[tuple[str, str]] = []  # (path, user agent)
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 - http.server API
                site.requests.append((self.path, self.headers.get("User-Agent", "")))
                send_route(self, site.routes.get(self.path) or NOT_FOUND)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def __enter__(self) -> LoopbackSite:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()

    def paths(self) -> list[str]:
        return [path for path, _ in self.requests]
