"""A single crawl, one distributed worker and two: crawl throughput on the same loopback web.

Not a test: run it by hand (``.venv/bin/python bench/bench_distributed.py``); it needs redis-server
(``sh scripts/ensure_redis.sh``). It starts a private redis-server on a free loopback port and a
loopback web of ``--hubs`` x ``--leaves`` community sites (every answer delayed ``--delay`` seconds,
standing in for network latency), then runs the same crawl as one ``tremplin crawl``, and with 1
and with 2 ``tremplin worker`` processes and ``tremplin load`` as the single writer; every process
is allowed ``--concurrency`` requests at a time, at the shipped politeness (``DOWNLOAD_DELAY`` and
AutoThrottle of ``crawler/settings.py``; ``--download-delay`` to change it). Time is measured from
the seeds being given to everything stored. Prints sites/s and pages/s, the ratios (one worker
against the single crawl, two workers against one), whether the three databases hold the same
rows, and the machine's cores (all processes, the web server and Redis included, share them);
figures go to ``output/bench/results.json`` (``distributed``).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.common import save_results  # noqa: E402
from crawler import settings as shipped  # noqa: E402
from tests.ops_web import build_web, proxy_env  # noqa: E402
from tests.test_distributed import contents  # noqa: E402


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_redis(folder: Path) -> tuple[subprocess.Popen, str]:
    binary = shutil.which("redis-server")
    if binary is None:
        sys.exit("redis-server not found: run `sh scripts/ensure_redis.sh` (as root) first")
    port = free_port()
    server = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", str(folder)],
        stdout=subprocess.DEVNULL,
    )
    import redis

    client = redis.Redis(host="127.0.0.1", port=port)
    for _ in range(200):
        try:
            client.ping()
            break
        except redis.ConnectionError:
            time.sleep(0.05)
    return server, f"redis://127.0.0.1:{port}/0"


def politeness(args: argparse.Namespace) -> list[str]:
    sets = {"DOWNLOAD_DELAY": args.download_delay, "AUTOTHROTTLE_ENABLED": shipped.AUTOTHROTTLE_ENABLED,
            "CONCURRENT_REQUESTS": args.concurrency, "RETRY_TIMES": 0}  # fmt: skip
    return [arg for name, value in sets.items() for arg in ("--set", f"{name}={value}")]


def crawl(url: str, workers: int, args: argparse.Namespace, folder: Path) -> dict[str, float]:
    """``workers`` = 0: one ``tremplin crawl``; else that many workers and the loader."""
    import redis

    client = redis.Redis.from_url(url)
    client.flushdb()
    web, seeds, hosts = build_web(hubs=args.hubs, leaves_per_hub=args.leaves, delay=args.delay)
    db = folder / f"bench-{workers}.db"
    with web:
        common = ["--allow-address", f"127.0.0.1:{web.port}", "--max-depth", "1", "--log-level", "WARNING",
                  "--progress", "off", *politeness(args)]  # fmt: skip
        env = proxy_env(web)
        quiet = {"cwd": ROOT, "env": env, "stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
        if workers == 0:
            started = time.monotonic()
            load = subprocess.run(
                [sys.executable, "-m", "crawler", "crawl", "--db", str(db), *common, *seeds],
                cwd=ROOT, env=env, capture_output=True, text=True, check=False,
            )  # fmt: skip
            elapsed = time.monotonic() - started
        else:
            # Workers run until stopped (an idle exit could end one before a loaded machine starts the loader).
            command = [sys.executable, "-m", "crawler", "worker", "--redis", url, "--idle-exit", "0", *common]
            procs = [subprocess.Popen(command, **quiet) for _ in range(workers)]
            while client.hlen("tremplin:communities:workers") < workers:
                time.sleep(0.05)
            started = time.monotonic()
            load = subprocess.run(
                [sys.executable, "-m", "crawler", "load", "--redis", url, "--db", str(db), "--log-level", "WARNING",
                 *seeds],
                cwd=ROOT, env=env, capture_output=True, text=True, check=False,
            )  # fmt: skip
            elapsed = time.monotonic() - started
            for proc in procs:  # the crawl is over once the loader exits: stop them as systemd would
                proc.send_signal(signal.SIGTERM)
            for proc in procs:
                proc.wait(timeout=120)
        hits = web.homepage_hits()
    if load.returncode != 0:
        sys.exit(f"crawl failed ({load.returncode}): {load.stdout}{load.stderr[-2000:]}")
    with sqlite3.connect(db) as conn:
        communities = conn.execute("SELECT count(*) FROM communities").fetchone()[0]
        pages = conn.execute("SELECT pages FROM runs").fetchone()[0]
    assert communities == len(hosts) and set(hits.values()) == {1}, "every site once"
    return {"workers": workers, "seconds": elapsed, "sites": communities, "pages": pages,
            "sites_per_s": communities / elapsed, "pages_per_s": pages / elapsed, "db": str(db)}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hubs", type=int, default=16)
    parser.add_argument("--leaves", type=int, default=16)
    parser.add_argument("--delay", type=float, default=0.1, help="seconds every answer waits")
    parser.add_argument("--concurrency", type=int, default=4, help="requests at a time per process")
    parser.add_argument("--download-delay", type=float, default=shipped.DOWNLOAD_DELAY, help="DOWNLOAD_DELAY")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON too")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        server, url = start_redis(folder)
        try:
            single = crawl(url, 0, args, folder)
            one = crawl(url, 1, args, folder)
            two = crawl(url, 2, args, folder)
            same = contents(single["db"]) == contents(one["db"]) == contents(two["db"])
        finally:
            server.terminate()
            server.wait()
    cores = os.cpu_count()
    print(f"machine: {cores} cores (workers, loader, loopback web and redis-server all share them)")
    per_worker = f"{args.concurrency} requests at a time per process, DOWNLOAD_DELAY={args.download_delay}"
    print(f"web: {one['sites']} sites, {args.delay * 1000:.0f} ms per answer; {per_worker}")
    for row in (single, one, two):
        name = f"{row['workers']} worker(s)" if row["workers"] else "single crawl"
        print(f"{name:14} {row['seconds']:7.2f} s, {row['sites_per_s']:.1f} sites/s, "
              f"{row['pages_per_s']:.1f} pages/s ({row['pages']} pages)")  # fmt: skip
    one_vs_single = one["seconds"] / single["seconds"]
    two_vs_one = two["pages_per_s"] / one["pages_per_s"]
    print(f"one worker / single crawl, wall: {one_vs_single:.2f}x (goal <= 1.1)")
    print(f"two workers / one, pages/s: {two_vs_one:.2f}x (goal >= 1.8 on two machines' worth of cores)")
    print(f"same rows in the three databases (run ids and times aside): {same}")
    figures = {"cores": cores, "single": single, "one": one, "two": two, "one_vs_single": one_vs_single,
               "two_vs_one": two_vs_one, "same_rows": same, "concurrency": args.concurrency,
               "download_delay": args.download_delay, "answer_delay": args.delay}  # fmt: skip
    save_results("distributed", figures)
    if args.json:
        print(json.dumps(figures))


if __name__ == "__main__":
    main()
