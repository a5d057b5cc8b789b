"""Memory: peak RSS of a Tremplin crawl of ``--urls`` URLs (100,000; 1,000,000 for the goal), and how
it grows with the number of sites.

One loopback web of small custom sites (``bench/loopweb.py --small``: robots.txt, a homepage with a
member count; Tremplin also probes NodeInfo on a site without a known platform, so three URLs per
site), no response delay, no politeness delay (memory, not politeness, is measured here). The
crawler's RSS is sampled from ``/proc`` as it runs and read at 10,000, 50,000 and 100,000 URLs
fetched (and at 1 %, 25 %, 50 %, 75 % of ``--urls``, printed as they are reached, so a run stopped
early still says what it measured); the peak is the kernel's ``ru_maxrss``. Flat means the RSS at
the end is close to the RSS at a tenth of the way: per-site state (queued requests, robots.txt
parsers, download slots, visit state) must not accumulate. Goal: peak < 400 MB.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.bench_crawl import LoopWeb, tremplin_command  # noqa: E402
from bench.common import OUTPUT, ROOT, heading, print_machine, run_measured, save_results  # noqa: E402

GOAL_MB = 400
CHECKPOINTS = (10_000, 50_000, 100_000)
URLS_PER_SITE = 3


def rss_mb(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


class Sampler(threading.Thread):
    """Record (requests answered, crawler RSS) every ``interval`` seconds."""

    def __init__(self, web: LoopWeb, interval: float = 0.5) -> None:
        super().__init__(daemon=True)
        self.web, self.interval = web, interval
        self.pid: int | None = None
        self.samples: list[tuple[float, int, float]] = []
        self.marks: tuple[int, ...] = CHECKPOINTS
        self.done = threading.Event()

    def run(self) -> None:
        started = time.perf_counter()
        marks = list(self.marks)
        while not self.done.is_set():
            if self.pid is not None:
                rss = rss_mb(self.pid)
                if rss is not None:
                    elapsed, requests = time.perf_counter() - started, self.web.requests()
                    self.samples.append((elapsed, requests, rss))
                    while marks and requests >= marks[0] * 0.98:
                        print(f"  {elapsed:7.0f} s  {requests:>9,} URLs  RSS {rss:6.0f} MB", flush=True)
                        marks.pop(0)
            self.done.wait(self.interval)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--urls", type=int, default=CHECKPOINTS[-1])
    parser.add_argument("--concurrency", type=int, default=64)
    args = parser.parse_args()
    marks = {args.urls // 100, args.urls // 10, args.urls // 4, args.urls // 2, args.urls * 3 // 4, args.urls}
    checkpoints = tuple(sorted(marks | {mark for mark in CHECKPOINTS if mark < args.urls}))
    print_machine()
    sites = -(-args.urls // URLS_PER_SITE)
    heading(f"Memory: Tremplin crawl of {sites:,} small sites (~{args.urls:,} URLs), no delays, "
            f"CONCURRENT_REQUESTS={args.concurrency}")  # fmt: skip
    OUTPUT.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="memory-", dir=OUTPUT))
    seeds, db = work / "seeds.txt", work / "crawl.db"
    web = LoopWeb(sites, 0.0, 0.0, seeds, "--small")
    sampler = Sampler(web)
    sampler.marks = checkpoints
    try:
        settings = {"CONCURRENT_REQUESTS": args.concurrency, "DOWNLOAD_DELAY": 0, "AUTOTHROTTLE_ENABLED": False,
                    "RETRY_TIMES": 0, "TREMPLIN_BATCH_SIZE": 200}  # fmt: skip
        sampler.start()

        def watch(process) -> None:
            sampler.pid = process.pid

        # At least 50 URLs/s on a loaded machine: a 1,000,000-URL run may take hours, never cut at 15 min.
        timeout = max(900, args.urls / 50)
        result = run_measured(
            tremplin_command(web, seeds, db, settings), env=web.env(), cwd=ROOT, on_start=watch, timeout=timeout
        )
        sampler.done.set()
        sampler.join()
        pages = web.requests()
    finally:
        web.stop()
        shutil.rmtree(work, ignore_errors=True)
    if result.returncode != 0:
        raise SystemExit(f"crawl failed ({result.returncode}):\n{result.stderr[-3000:]}")

    heading("Memory results")
    print(
        f"{pages:,} URLs from {sites:,} sites in {result.wall:.0f} s ({pages / result.wall:.0f} pages/s, "
        f"{result.cpu / pages * 1000:.2f} CPU s per 1000 pages)"
    )
    points = {}
    for mark in checkpoints:
        reached = [rss for _, requests, rss in sampler.samples if requests >= mark * 0.98]
        if reached:
            points[mark] = reached[0]
    highest = max((rss for _, _, rss in sampler.samples), default=result.max_rss_mb)
    for mark, rss in points.items():
        print(f"  RSS after {mark:>7,} URLs: {rss:6.0f} MB")
    print(f"  peak RSS (ru_maxrss): {result.max_rss_mb:.0f} MB (highest sample {highest:.0f} MB)")
    first, last = args.urls // 10, args.urls
    if first in points and last in points:
        slope = (points[last] - points[first]) / ((last - first) / 10_000)
        print(f"  slope {first:,} -> {last:,} URLs: {slope:+.2f} MB per 10,000 URLs")
    else:
        slope = None
    verdict = "met" if result.max_rss_mb < GOAL_MB else "NOT met"
    print(f"goal peak < {GOAL_MB} MB: {result.max_rss_mb:.0f} MB -> {verdict}")
    save_results(
        "memory",
        {
            "urls": pages,
            "sites": sites,
            "wall": result.wall,
            "cpu": result.cpu,
            "peak_rss_mb": result.max_rss_mb,
            "rss_at": {str(k): v for k, v in points.items()},
            "slope_mb_per_10k_urls": slope,
            "samples": sampler.samples[:: max(1, len(sampler.samples) // 200)],
        },
    )


if __name__ == "__main__":
    main()
