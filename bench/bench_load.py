"""The site under load: 1, 10 and 50 concurrent clients against ``tremplin serve``, beside one plain Datasette.

Not a test: run it by hand (``.venv/bin/python bench/bench_load.py``). For each database (the demo
database, built by ``tremplin demo --no-serve`` if missing, and the 100,000 communities × 50 runs
database of ``bench/prepare_queries_db.py``), it starts

- ``tremplin serve --workers N`` (N: one per core unless ``--workers``), which publishes the copy;
- the same workers without their page cache (``TREMPLIN_PAGE_CACHE_MB=0``), and twice as many workers
  as cores with it (``2 workers per core``), both on the copy ``tremplin serve`` published;
- the baseline: one plain ``datasette serve`` process on that same published copy with the same
  metadata, templates and settings (what ``tremplin serve`` ran before: ``publish.datasette_command``),

then, for each number of clients, runs the clients against one server after the other (the order
alternating from one level to the next), for the same time. Each client holds one keep-alive
connection and asks for one page after another, with no pause, picking each page at random:

- ``home``: ``/``; ``communities table``: the table page as a visitor lands on it;
- ``communities JSON``: 50 communities of one platform, by members (platforms vary);
- ``partner shortlist``: the canned query, minimum members and language varied;
- ``community growth``: the canned query for one community, picked among all of them;
- ``observations``: the observations table page of one community, picked among all of them.

So the landing pages are the same for everyone (as for a class opening the site), while the pages
of one community are mostly different ones on the large database (as for a crawler of the site).
The client is a minimal HTTP/1.1 client on asyncio (a few dozen lines, below), in this process,
on the same cores as the servers: both servers meet the same client. Printed: requests/s, errors,
p50 and p95 over all pages and per page, the share of ``tremplin serve``'s answers that came from
its page cache, the machine's load average around each run; saved to ``output/bench/results.json``
(``load``) and ``output/bench/bench_load.md`` (the tables the README shows).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from unittest import mock
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import OUTPUT, ROOT, heading, print_machine, save_results  # noqa: E402
from crawler import publish  # noqa: E402
from crawler.serving.runner import default_workers  # noqa: E402

DEMO_DB = ROOT / "output" / "demo.db"
LARGE_DB = ROOT / "output" / "bench" / "bench.db"
CLIENTS = (1, 10, 50)
PAGES = ("home", "communities table", "communities JSON", "partner shortlist", "community growth", "observations")
# Goals of issue 20, at 50 clients.
DEMO_P95_MS, LARGE_P95_MS, DEMO_MIN_RPS = 500, 1000, 3 * 60
TREMPLIN, UNCACHED, BASELINE = "tremplin serve", "no page cache", "plain datasette"
# The same workers with their page cache, twice as many as cores: whether the kernel sharing the
# cores between more event loops gets cached pages out sooner than a loop busy rendering a miss.
DOUBLED = "2 workers per core"
SERVERS = (TREMPLIN, DOUBLED, UNCACHED, BASELINE)
CACHED = (TREMPLIN, DOUBLED)
MARKDOWN = OUTPUT / "bench_load.md"


# -- the client ---------------------------------------------------------------------------------------


class Connection:
    """One keep-alive HTTP/1.1 connection to 127.0.0.1:port, reading Content-Length and chunked bodies."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def get(self, path: str) -> tuple[int, dict[bytes, bytes], int]:
        """Return the status, the headers (lower-case names) and the body's length of ``GET path``."""
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
        self.writer.write(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{self.port}\r\n\r\n".encode())
        head = await self.reader.readuntil(b"\r\n\r\n")
        status_line, *lines = head[:-4].split(b"\r\n")
        status = int(status_line.split(b" ", 2)[1])
        headers = {}
        for line in lines:
            name, _, value = line.partition(b":")
            headers[name.strip().lower()] = value.strip()
        size = 0
        if b"content-length" in headers:
            size = int(headers[b"content-length"])
            await self.reader.readexactly(size)
        elif headers.get(b"transfer-encoding", b"").lower() == b"chunked":
            while True:
                chunk = int((await self.reader.readline()).split(b";")[0], 16)
                await self.reader.readexactly(chunk + 2)
                size += chunk
                if chunk == 0:
                    break
        if headers.get(b"connection", b"").lower() == b"close":
            await self.close()
        return status, headers, size

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            with contextlib.suppress(OSError):
                await self.writer.wait_closed()
        self.reader = self.writer = None


@dataclass
class Run:
    """What one server answered one number of clients."""

    server: str
    clients: int
    seconds: float = 0.0
    latencies: dict[str, list[float]] = field(default_factory=lambda: {page: [] for page in PAGES})
    errors: dict[str, int] = field(default_factory=dict)
    hits: int = 0
    load: tuple[float, float] = (0.0, 0.0)

    @property
    def requests(self) -> int:
        return sum(len(v) for v in self.latencies.values())

    def to_json(self) -> dict:
        every = [x for v in self.latencies.values() for x in v]
        return {
            "server": self.server,
            "clients": self.clients,
            "seconds": round(self.seconds, 2),
            "requests": self.requests,
            "requests_per_s": round(self.requests / self.seconds, 1),
            "errors": self.errors,
            "p50_ms": round(percentile(every, 50), 1),
            "p95_ms": round(percentile(every, 95), 1),
            "pages": {
                page: {"n": len(v), "p50_ms": round(percentile(v, 50), 1), "p95_ms": round(percentile(v, 95), 1)}
                for page, v in self.latencies.items()
            },
            "page_cache_hits": self.hits,
            "load_average_1m": list(self.load),
        }


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


class Pages:
    """The URL of each page kind, parameters drawn at random from what the database holds."""

    def __init__(self, db_path: Path) -> None:
        self.db = db_path.stem
        with sqlite3.connect(f"file:{db_path}?mode=ro", uri=True) as conn:
            self.ids = [row[0] for row in conn.execute("SELECT id FROM communities ORDER BY id")]
            self.platforms = [r[0] for r in conn.execute("SELECT DISTINCT platform FROM communities") if r[0]]
            self.languages = [
                r[0]
                for r in conn.execute(
                    "SELECT DISTINCT j.value FROM communities, json_each(communities.languages) j"
                    " WHERE json_valid(communities.languages)"
                )
            ]
        conn.close()

    def url(self, page: str, rng: random.Random) -> str:
        d = self.db
        if page == "home":
            return "/"
        if page == "communities table":
            return f"/{d}/communities"
        if page == "communities JSON":
            return f"/{d}/communities.json?_size=50&_sort_desc=members&platform={rng.choice(self.platforms)}"
        if page == "partner shortlist":
            minimum = rng.choice((0, 100, 1000, 10000, 50000))
            return f"/{d}/partner_shortlist?min_members={minimum}&language={rng.choice(self.languages)}"
        community = quote(rng.choice(self.ids), safe="")
        if page == "community growth":
            return f"/{d}/community_growth?community_id={community}"
        return f"/{d}/observations?community_id={community}"


async def load(port: int, pages: Pages, run: Run, seconds: float, seed: int) -> None:
    """Run ``run.clients`` clients against ``port`` for ``seconds``; record into ``run``."""
    deadline = time.perf_counter() + seconds

    async def client(index: int) -> None:
        rng = random.Random(seed * 1000 + index)
        connection = Connection(port)
        while time.perf_counter() < deadline:
            page = rng.choice(PAGES)
            url = pages.url(page, rng)
            start = time.perf_counter()
            try:
                status, headers, _ = await connection.get(url)
            except (OSError, asyncio.IncompleteReadError, ValueError) as error:
                run.errors[type(error).__name__] = run.errors.get(type(error).__name__, 0) + 1
                await connection.close()
                continue
            run.latencies[page].append((time.perf_counter() - start) * 1000)
            if status != 200:
                run.errors[f"http_{status}"] = run.errors.get(f"http_{status}", 0) + 1
            if headers.get(b"x-tremplin-cache") == b"hit":
                run.hits += 1
        await connection.close()

    before = os.getloadavg()[0]
    started = time.perf_counter()
    await asyncio.gather(*(client(i) for i in range(run.clients)))
    run.seconds = time.perf_counter() - started
    run.load = (round(before, 2), round(os.getloadavg()[0], 2))


# -- the servers --------------------------------------------------------------------------------------


def baseline_command(copy: Path, port: int) -> list[str]:
    """The single ``datasette serve`` process ``tremplin serve`` ran before, on the published ``copy``.

    ``publish.datasette_command`` builds it (so its options follow the site's); its publishing step
    is skipped, since ``copy`` is the copy ``tremplin serve`` published and is serving.
    """
    with mock.patch.object(publish, "publish_copy", lambda path: Path(path)):
        return publish.datasette_command(copy, port=port)


def uncached_command(copy: Path, port: int, workers: int) -> list[str]:
    """``tremplin serve``'s workers on the same ``copy`` without their page cache (every page rendered)."""
    return ["env", "TREMPLIN_PAGE_CACHE_MB=0", sys.executable, "-m", "crawler.serving", str(copy), "--port",
            str(port), "--workers", str(workers)]  # fmt: skip


def doubled_command(copy: Path, port: int, workers: int) -> list[str]:
    """``tremplin serve``'s workers with their page cache on the same ``copy``, ``2 × workers`` of them."""
    return [sys.executable, "-m", "crawler.serving", str(copy), "--port", str(port), "--workers", str(2 * workers)]


def start(command: list[str], port: int, timeout: float) -> subprocess.Popen:
    """Start a server and wait until its home page answers."""
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + timeout

    async def ready() -> bool:
        connection = Connection(port)
        try:
            return (await connection.get("/"))[0] == 200
        except OSError:
            return False
        finally:
            await connection.close()

    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"{command[:4]} exited: {process.stderr.read().decode()[-2000:]}")
        if asyncio.run(ready()):
            return process
        time.sleep(0.5)
    process.terminate()
    raise SystemExit(f"{command[:4]} did not answer on port {port} within {timeout:.0f} s")


def stop(process: subprocess.Popen) -> None:
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


async def warm(port: int, pages: Pages) -> None:
    """Ask every page kind a few times (first-request work: table counts, startup hooks, caches)."""
    rng = random.Random(0)
    connection = Connection(port)
    for _ in range(4):
        for page in PAGES:
            url = pages.url(page, rng)
            status, _, _ = await connection.get(url)
            if status != 200:
                raise SystemExit(f"warm-up: {url} answered {status}")
    await connection.close()


# -- the benchmark ------------------------------------------------------------------------------------


def measure_database(db_path: Path, workers: int, seconds: float, port: int) -> list[Run]:
    heading(f"{db_path} ({db_path.stat().st_size / 1e6:,.0f} MB): {TREMPLIN} --workers {workers} vs {BASELINE}")
    started = time.monotonic()
    tremplin = start(
        [sys.executable, "-m", "crawler", "serve", "--db", str(db_path), "--port", str(port), "--workers",
         str(workers)], port, timeout=1800)  # fmt: skip
    print(f"{TREMPLIN} ready in {time.monotonic() - started:.0f} s (publishing the copy and inspecting it included)")
    copy = db_path.parent / "published" / db_path.name
    uncached = start(uncached_command(copy, port + 1, workers), port + 1, timeout=600)
    baseline = start(baseline_command(copy, port + 2), port + 2, timeout=600)
    doubled = start(doubled_command(copy, port + 3, workers), port + 3, timeout=600)
    ports = {TREMPLIN: port, UNCACHED: port + 1, BASELINE: port + 2, DOUBLED: port + 3}
    runs = []
    try:
        pages = Pages(copy)
        for server_port in ports.values():
            asyncio.run(warm(server_port, pages))
        for level, clients in enumerate(CLIENTS):
            order = SERVERS if level % 2 == 0 else SERVERS[::-1]
            for name in order:
                run = Run(server=name, clients=clients)
                asyncio.run(load(ports[name], pages, run, seconds, seed=level))
                runs.append(run)
                print_run(run)
    finally:
        for process in (tremplin, uncached, baseline, doubled):
            stop(process)
    return runs


def print_run(run: Run) -> None:
    data = run.to_json()
    errors = sum(run.errors.values())
    pages = ", ".join(f"{page} {v['p50_ms']:.0f}/{v['p95_ms']:.0f}" for page, v in data["pages"].items())
    hits = f", page cache {run.hits / max(1, run.requests):.0%}" if run.server in CACHED else ""
    print(f"  {run.clients:>2} clients, {run.server:15}: {data['requests_per_s']:6.1f} req/s, {errors} errors, "
          f"p50 {data['p50_ms']:.0f} ms, p95 {data['p95_ms']:.0f} ms{hits}")  # fmt: skip
    print(f"      load average {run.load[0]} → {run.load[1]}")
    print(f"      p50/p95 ms per page: {pages}")


def table(db_label: str, runs: list[Run]) -> list[str]:
    """Markdown rows: one per clients × server, p95 per page."""
    header = ["clients", "server", "req/s", "errors", "p50", "p95", *[f"{page} p95" for page in PAGES], "page cache"]
    lines = [f"**{db_label}**", "", "| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for clients in CLIENTS:
        by_server = {run.server: run for run in runs if run.clients == clients}
        for name in SERVERS:
            run = by_server[name]
            data = run.to_json()
            cells = [str(clients), name, f"{data['requests_per_s']:.0f}", str(sum(run.errors.values())),
                     f"{data['p50_ms']:.0f} ms", f"{data['p95_ms']:.0f} ms",
                     *[f"{data['pages'][page]['p95_ms']:.0f} ms" for page in PAGES],
                     f"{run.hits / max(1, run.requests):.0%}" if name in CACHED else "—"]  # fmt: skip
            lines.append("| " + " | ".join(cells) + " |")
        rates = {name: by_server[name].requests / by_server[name].seconds for name in SERVERS}
        ratios = ", ".join(f"{name} **{rates[name] / rates[BASELINE]:.1f} ×**" for name in SERVERS[:-1])
        lines.append(f"| {clients} | req/s ÷ {BASELINE} | {ratios} | | | | " + "| " * len(PAGES) + "|")
    return lines


def verdicts(demo: list[Run] | None, large: list[Run] | None) -> list[str]:
    """The goals of issue 20, judged on this run's figures (``tremplin serve``; without its page cache, told)."""
    found = []
    for label, runs, limit in (("demo", demo, DEMO_P95_MS), ("100,000 × 50", large, LARGE_P95_MS)):
        for server in (TREMPLIN, DOUBLED, UNCACHED) if runs else ():
            run = next(r for r in runs if r.server == server and r.clients == 50)
            data = run.to_json()
            worst_page, worst = max(((p, v["p95_ms"]) for p, v in data["pages"].items()), key=lambda x: x[1])
            errors = sum(run.errors.values())
            met = worst < limit and (label != "demo" or not errors)
            found.append(f"{label}, 50 clients, {server}: every page p95 < {limit} ms"
                         f"{' and 0 errors' if label == 'demo' else ''}: {'met' if met else 'NOT met'} "
                         f"(slowest: {worst_page} {worst:.0f} ms; errors {errors})")  # fmt: skip
            if label == "demo":
                rps = data["requests_per_s"]
                found.append(f"{label}, 50 clients, {server}: ≥ {DEMO_MIN_RPS} req/s (3 × the 60 of issue 20): "
                             f"{'met' if rps >= DEMO_MIN_RPS else 'NOT met'} ({rps:.0f} req/s)")  # fmt: skip
    return found


def ensure_demo_db() -> None:
    if not DEMO_DB.exists():
        subprocess.run([sys.executable, "-m", "crawler", "demo", "--no-serve", "--db", str(DEMO_DB)], cwd=ROOT,
                       check=True, stdout=subprocess.DEVNULL)  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=15.0, help="per server and number of clients")
    parser.add_argument("--workers", type=int, default=default_workers())
    parser.add_argument("--port", type=int, default=18650, help="tremplin serve's port; the baseline's is the next")
    parser.add_argument("--only", choices=("demo", "large"), help="one database only")
    args = parser.parse_args()
    machine = print_machine()
    load_before = os.getloadavg()
    print(f"load average before: {', '.join(f'{x:.2f}' for x in load_before)} (1, 5, 15 min)")
    demo = large = None
    if args.only != "large":
        ensure_demo_db()
        demo = measure_database(DEMO_DB, args.workers, args.seconds, args.port)
    if args.only != "demo":
        if not LARGE_DB.exists():
            raise SystemExit(f"{LARGE_DB} is missing: run bench/prepare_queries_db.py first (about 4 minutes)")
        large = measure_database(LARGE_DB, args.workers, args.seconds, args.port)
    heading("summary")
    lines = [f"Measured {time.strftime('%Y-%m-%d %H:%M')}, {machine['cores']} cores ({machine['cpu']}), "
             f"{args.workers} workers, {args.seconds:.0f} s per server and level; load average "
             f"{load_before[0]:.2f} before, {os.getloadavg()[0]:.2f} after (1 min; the machine is shared).",
             ""]  # fmt: skip
    if demo:
        lines += table("demo database", demo) + [""]
    if large:
        lines += table("100,000 communities × 50 runs", large) + [""]
    lines += [f"- {line}" for line in verdicts(demo, large)]
    print("\n".join(lines))
    MARKDOWN.parent.mkdir(parents=True, exist_ok=True)
    MARKDOWN.write_text("\n".join(lines) + "\n", encoding="utf-8")
    save_results("load", {"workers": args.workers, "seconds": args.seconds,
                          "demo": [r.to_json() for r in demo or []], "large": [r.to_json() for r in large or []],
                          "verdicts": verdicts(demo, large)})  # fmt: skip


if __name__ == "__main__":
    main()
