"""Two distributed workers against one: crawl throughput on the same loopback web.

Not a test: run it by hand (``.venv/bin/python bench/bench_distributed.py``); it needs redis-server
(``sh scripts/ensure_redis.sh``). It starts a private redis-server on a free loopback port and a
loopback web of ``--hubs`` x ``--leaves`` community sites (every answer delayed ``--delay`` seconds,
standing in for network latency), then runs the same crawl with 1 and with 2 ``tremplin worker``
processes, each allowed ``--concurrency`` requests at a time, and ``tremplin load`` as the single
writer. Time is measured from the seeds being pushed to the loader having stored everything.
Prints sites/s and pages/s for both, their ratio, and the machine's cores (all processes, the web
server and Redis included, share them).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.ops_web import build_web, proxy_env  # noqa: E402


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


def crawl(url: str, workers: int, args: argparse.Namespace, folder: Path) -> dict[str, float]:
    import redis

    client = redis.Redis.from_url(url)
    client.flushdb()
    web, seeds, hosts = build_web(hubs=args.hubs, leaves_per_hub=args.leaves, delay=args.delay)
    db = folder / f"bench-{workers}.db"
    with web:
        env = proxy_env(web)
        command = [
            sys.executable, "-m", "crawler", "worker", "--redis", url, "--idle-exit", "3", "--progress", "off",
            "--allow-address", f"127.0.0.1:{web.port}", "--max-depth", "1", "--log-level", "WARNING",
            "--set", "DOWNLOAD_DELAY=0", "--set", "AUTOTHROTTLE_ENABLED=False",
            "--set", f"CONCURRENT_REQUESTS={args.concurrency}",
        ]  # fmt: skip
        quiet = {"cwd": ROOT, "env": env, "stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
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
        for proc in procs:
            proc.wait(timeout=120)
        hits = web.homepage_hits()
    if load.returncode != 0:
        sys.exit(f"load failed ({load.returncode}): {load.stdout}{load.stderr[-2000:]}")
    with sqlite3.connect(db) as conn:
        communities = conn.execute("SELECT count(*) FROM communities").fetchone()[0]
        pages = conn.execute("SELECT pages FROM runs").fetchone()[0]
    assert communities == len(hosts) and set(hits.values()) == {1}, "every site once"
    return {"workers": workers, "seconds": elapsed, "sites": communities, "pages": pages,
            "sites_per_s": communities / elapsed, "pages_per_s": pages / elapsed}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hubs", type=int, default=16)
    parser.add_argument("--leaves", type=int, default=16)
    parser.add_argument("--delay", type=float, default=0.1, help="seconds every answer waits")
    parser.add_argument("--concurrency", type=int, default=4, help="requests at a time per worker")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON too")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        server, url = start_redis(folder)
        try:
            one = crawl(url, 1, args, folder)
            two = crawl(url, 2, args, folder)
        finally:
            server.terminate()
            server.wait()
    cores = os.cpu_count()
    print(f"machine: {cores} cores (workers, loader, loopback web and redis-server all share them)")
    per_worker = f"{args.concurrency} requests at a time per worker"
    print(f"web: {one['sites']} sites, {args.delay * 1000:.0f} ms per answer; {per_worker}")
    for row in (one, two):
        print(f"{row['workers']} worker(s): {row['seconds']:.2f} s, {row['sites_per_s']:.1f} sites/s, "
              f"{row['pages_per_s']:.1f} pages/s ({row['pages']} pages)")  # fmt: skip
    print(f"ratio two/one: {two['pages_per_s'] / one['pages_per_s']:.2f}x pages/s")
    if args.json:
        print(json.dumps({"cores": cores, "one": one, "two": two}))


if __name__ == "__main__":
    main()
