"""Crawl throughput: Tremplin's full crawl vs a bare Scrapy spider vs a naive sequential script.

One loopback web (``bench/loopweb.py``, its own process) of ``--sites`` sites behind one proxy, each
answer after ~100 ms (±50 %, fixed per URL). In each repetition, in alternating order:

- **Tremplin**: ``tremplin crawl`` of every site (detection, extraction, normalisation, storage in
  a fresh SQLite database), politeness on with delays scaled for a loopback web (``--set``);
- **bare Scrapy**: ``bench/bare_spider.py`` fetching exactly the URLs Tremplin fetched (read from
  the server's log), chained per site, with the same scheduling settings, doing nothing else.

Then the naive script (``bench/naive_crawl.py``: sequential ``requests`` + BeautifulSoup) on a
sample of the sites, its time extrapolated to all pages (a full run would take ~20 minutes).
Reported: wall time, pages/s, CPU seconds per 1,000 pages (the crawler process only, from
``wait4``), peak RSS, ratios. Goals: wall <= 1.15 x bare Scrapy, CPU/page <= 1.5 x bare Scrapy,
>= 20 x faster than naive. ``--profile`` runs one more Tremplin crawl under cProfile.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import OUTPUT, ROOT, heading, print_machine, run_measured, save_results, summary  # noqa: E402
from bench.loopweb import CONTROL_HOST  # noqa: E402

PYTHON = sys.executable
GOAL_WALL = 1.15
GOAL_CPU = 1.5
GOAL_NAIVE = 20.0


class LoopWeb:
    """The loopback web server process and its control endpoint."""

    def __init__(self, sites: int, delay: float, jitter: float, seeds: Path, *extra: str) -> None:
        self.process = subprocess.Popen(
            [PYTHON, "-m", "bench.loopweb", "--sites", str(sites), "--delay", str(delay), "--jitter", str(jitter),
             "--seeds", str(seeds), *extra],
            cwd=ROOT, stdout=subprocess.PIPE, text=True,
        )  # fmt: skip
        self.port = json.loads(self.process.stdout.readline())["port"]
        self.proxy = f"http://127.0.0.1:{self.port}"
        self.opener = urllib.request.build_opener(urllib.request.ProxyHandler({"http": self.proxy}))

    def log(self) -> list[tuple[str, str]]:
        """The (host, path) of every request since the last call."""
        return [tuple(entry) for entry in json.loads(self.opener.open(f"http://{CONTROL_HOST}/log").read())]

    def requests(self) -> int:
        """How many requests the web has answered so far."""
        return json.loads(self.opener.open(f"http://{CONTROL_HOST}/stats").read())["requests"]

    def env(self) -> dict[str, str]:
        """A small environment with the proxy, the same for every crawler: Scrapy's proxy middleware
        and ``requests`` read every variable of the environment on each request."""
        kept = {name: os.environ[name] for name in ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR") if name in os.environ}
        return {**kept, "http_proxy": self.proxy, "HTTP_PROXY": self.proxy}

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


def scheduling_settings(concurrency: int, delay: float) -> dict[str, object]:
    """The settings both Scrapy crawls share: Tremplin's politeness, delays scaled for loopback."""
    from crawler import settings as tremplin

    return {
        "CONCURRENT_REQUESTS": concurrency,
        "CONCURRENT_REQUESTS_PER_DOMAIN": tremplin.CONCURRENT_REQUESTS_PER_DOMAIN,
        "DOWNLOAD_DELAY": delay,
        "DOWNLOAD_DELAY_JITTER": tremplin.DOWNLOAD_DELAY_JITTER,
        "AUTOTHROTTLE_ENABLED": tremplin.AUTOTHROTTLE_ENABLED,
        "AUTOTHROTTLE_START_DELAY": delay,
        "AUTOTHROTTLE_MAX_DELAY": tremplin.AUTOTHROTTLE_MAX_DELAY,
        "AUTOTHROTTLE_TARGET_CONCURRENCY": tremplin.AUTOTHROTTLE_TARGET_CONCURRENCY,
        "DOWNLOAD_TIMEOUT": tremplin.DOWNLOAD_TIMEOUT,
        "RETRY_TIMES": tremplin.RETRY_TIMES,
        "COOKIES_ENABLED": tremplin.COOKIES_ENABLED,
        "USER_AGENT": tremplin.USER_AGENT,
    }


def tremplin_command(web: LoopWeb, seeds: Path, db: Path, settings: dict[str, object], profile: Path | None = None):
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    sets = []
    for name, value in settings.items():
        if name not in ("USER_AGENT", "COOKIES_ENABLED", "DOWNLOAD_DELAY_JITTER"):
            sets += ["--set", f"{name}={value}"]
    runner = [PYTHON, "-m", "cProfile", "-o", str(profile), "-m", "crawler"] if profile else [PYTHON, "-m", "crawler"]
    return [
        *runner, "crawl", "--seeds-file", str(seeds), "--db", str(db), "--log-level", "ERROR",
        "--allow-address", f"127.0.0.1:{web.port}", "--max-depth", "0", "--refresh", "all", *sets,
    ]  # fmt: skip


def per_site(log: list[tuple[str, str]]) -> list[list[str]]:
    """The URLs of each site in the order they were asked."""
    sites: dict[str, list[str]] = collections.defaultdict(list)
    for host, path in log:
        sites[host].append(f"http://{host}{path}")
    return list(sites.values())


def stored(db: Path) -> dict[str, int]:
    with sqlite3.connect(db) as conn:
        return {
            "communities": conn.execute("SELECT count(*) FROM communities").fetchone()[0],
            "with_members": conn.execute("SELECT count(*) FROM communities WHERE members IS NOT NULL").fetchone()[0],
            "observations": conn.execute("SELECT count(*) FROM observations").fetchone()[0],
            "fetch_errors": conn.execute("SELECT count(*) FROM fetch_errors").fetchone()[0],
        }


def figures(result, pages: int) -> dict[str, float]:
    return {
        "wall": result.wall,
        "pages": pages,
        "pages_per_s": pages / result.wall,
        "cpu_per_1000": result.cpu / pages * 1000,
        "max_rss_mb": result.max_rss_mb,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sites", type=int, default=2000)
    parser.add_argument("--delay", type=float, default=0.1, help="server delay per response, seconds")
    parser.add_argument("--jitter", type=float, default=0.5)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--concurrency", type=int, default=64, help="CONCURRENT_REQUESTS of both Scrapy crawls")
    parser.add_argument("--download-delay", type=float, default=0.05, help="DOWNLOAD_DELAY (per site)")
    parser.add_argument("--naive-sites", type=int, default=24)
    parser.add_argument("--naive-repeats", type=int, default=2)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()

    machine = print_machine()
    OUTPUT.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="crawl-", dir=OUTPUT))
    seeds, db, urls_file = work / "seeds.txt", work / "crawl.db", work / "urls.json"
    settings = scheduling_settings(args.concurrency, args.download_delay)
    (work / "settings.json").write_text(json.dumps(settings))
    web = LoopWeb(args.sites, args.delay, args.jitter, seeds)
    heading(
        f"Crawl: {args.sites} sites on one loopback proxy, {args.delay * 1000:.0f} ms ± {args.jitter:.0%} per answer, "
        f"{args.repeats} repetitions"
    )
    print(f"scheduling (both Scrapy crawls): CONCURRENT_REQUESTS={args.concurrency}, one request at a time per "
          f"site, DOWNLOAD_DELAY={args.download_delay} s (±50 %), AutoThrottle on (target concurrency 0.5), "
          "robots.txt obeyed")  # fmt: skip
    runs: dict[str, list[dict]] = {"tremplin": [], "bare": []}
    reference: collections.Counter | None = None
    try:
        for repeat in range(args.repeats):
            order = ("tremplin", "bare") if repeat % 2 == 0 or reference is None else ("bare", "tremplin")
            for name in order:
                web.log()
                if name == "tremplin":
                    result = run_measured(tremplin_command(web, seeds, db, settings), env=web.env(), cwd=ROOT)
                else:
                    bare = ROOT / "bench" / "bare_spider.py"
                    result = run_measured([PYTHON, str(bare), str(urls_file), str(work / "settings.json")],
                                          env=web.env(), cwd=ROOT)  # fmt: skip
                log = web.log()
                if result.returncode != 0:
                    raise SystemExit(f"{name} crawl failed ({result.returncode}):\n{result.stderr[-3000:]}")
                if name == "tremplin" and reference is None:
                    reference = collections.Counter(log)
                    urls_file.write_text(json.dumps(per_site(log)))
                same = collections.Counter(log) == reference
                entry = {**figures(result, len(log)), "same_urls": same}
                if name == "tremplin":
                    entry["stored"] = stored(db)
                runs[name].append(entry)
                print(f"  run {repeat + 1} {name:9} {entry['wall']:6.1f} s  {entry['pages']:6} pages  "
                      f"{entry['pages_per_s']:6.1f} pages/s  {entry['cpu_per_1000']:5.2f} CPU s/1000 pages  "
                      f"peak RSS {entry['max_rss_mb']:5.0f} MB  same URLs as Tremplin: {same}"
                      + (f"  stored {entry['stored']}" if "stored" in entry else ""), flush=True)  # fmt: skip

        sites = json.loads(urls_file.read_text())
        step = max(1, len(sites) // args.naive_sites)
        sample = sites[::step][: args.naive_sites]
        (work / "naive.json").write_text(json.dumps(sample))
        naive_runs = []
        for _ in range(args.naive_repeats):
            web.log()
            result = run_measured([PYTHON, str(ROOT / "bench" / "naive_crawl.py"), str(work / "naive.json")],
                                  env=web.env(), cwd=ROOT)  # fmt: skip
            log = web.log()
            if result.returncode != 0:
                raise SystemExit(f"naive script failed:\n{result.stderr[-3000:]}")
            naive_runs.append(figures(result, len(log)))
            last = naive_runs[-1]
            print(
                f"  naive     {last['wall']:6.1f} s  {len(log):6} pages (sample of {len(sample)} sites)  "
                f"{last['pages_per_s']:6.1f} pages/s  {last['cpu_per_1000']:5.2f} CPU s/1000 pages",
                flush=True,
            )

        profile_text = None
        if args.profile:
            profile = OUTPUT / "tremplin-crawl.prof"  # kept: python -m pstats output/bench/tremplin-crawl.prof
            web.log()
            run_measured(tremplin_command(web, seeds, db, settings, profile), env=web.env(), cwd=ROOT)
            web.log()
            profile_text = profile_summary(profile)
    finally:
        web.stop()
        shutil.rmtree(work, ignore_errors=True)

    total_pages = runs["tremplin"][0]["pages"]
    t = {k: summary([r[k] for r in runs["tremplin"]]) for k in ("wall", "pages_per_s", "cpu_per_1000", "max_rss_mb")}
    b = {k: summary([r[k] for r in runs["bare"]]) for k in ("wall", "pages_per_s", "cpu_per_1000", "max_rss_mb")}
    naive_rate = summary([r["pages_per_s"] for r in naive_runs])
    naive_cpu = summary([r["cpu_per_1000"] for r in naive_runs])
    naive_wall = total_pages / naive_rate.median
    wall_ratio = summary([tr["wall"] / br["wall"] for tr, br in zip(runs["tremplin"], runs["bare"], strict=True)])
    cpu_ratio = summary(
        [tr["cpu_per_1000"] / br["cpu_per_1000"] for tr, br in zip(runs["tremplin"], runs["bare"], strict=True)]
    )
    speedup = naive_wall / t["wall"].median

    heading(f"Crawl results ({total_pages} pages from {args.sites} sites; median (min-max, ± half-range))")
    print(f"{'':14} {'wall s':>26} {'pages/s':>26} {'CPU s / 1000 pages':>26} {'peak RSS MB':>24}")
    for name, row in (("Tremplin", t), ("bare Scrapy", b)):
        print(f"{name:14} {row['wall'].fmt():>26} {row['pages_per_s'].fmt():>26} "
              f"{row['cpu_per_1000'].fmt(digits=2):>26} {row['max_rss_mb'].fmt(digits=0):>24}")  # fmt: skip
    print(f"{'naive script':14} {naive_wall:>26.0f} {naive_rate.fmt():>26} {naive_cpu.fmt(digits=2):>26}   "
          f"(extrapolated from {naive_runs[0]['pages']} pages)")  # fmt: skip
    verdict = {True: "met", False: "NOT met"}
    print(
        f"wall, Tremplin / bare Scrapy:        {wall_ratio.fmt(' x', 2):>28}  goal <= {GOAL_WALL} x: "
        f"{verdict[wall_ratio.median <= GOAL_WALL]}"
    )
    print(
        f"CPU per page, Tremplin / bare Scrapy: {cpu_ratio.fmt(' x', 2):>27}  goal <= {GOAL_CPU} x: "
        f"{verdict[cpu_ratio.median <= GOAL_CPU]}"
    )
    print(
        f"Tremplin vs naive script:            {speedup:>10.1f} x faster          goal >= {GOAL_NAIVE:.0f} x: "
        f"{verdict[speedup >= GOAL_NAIVE]}"
    )
    if profile_text:
        heading("Profile of one Tremplin crawl (cProfile, cumulative, top functions)")
        print(profile_text)
    save_results(
        "crawl",
        {
            "sites": args.sites,
            "pages": total_pages,
            "delay_s": args.delay,
            "concurrency": args.concurrency,
            "download_delay": args.download_delay,
            "tremplin": {k: v.to_json() for k, v in t.items()},
            "bare_scrapy": {k: v.to_json() for k, v in b.items()},
            "naive": {
                "pages_per_s": naive_rate.to_json(),
                "cpu_per_1000": naive_cpu.to_json(),
                "sample_pages": naive_runs[0]["pages"],
                "extrapolated_wall": naive_wall,
            },  # fmt: skip
            "ratios": {"wall": wall_ratio.to_json(), "cpu": cpu_ratio.to_json(), "naive_speedup": speedup},
            "runs": runs,
            "cores": machine["cores"],
        },
    )


def profile_summary(path: Path, limit: int = 30) -> str:
    import io
    import pstats

    stream = io.StringIO()
    stats = pstats.Stats(str(path), stream=stream)
    stats.sort_stats("tottime").print_stats(limit)
    return "\n".join(line for line in stream.getvalue().splitlines() if line.strip())


if __name__ == "__main__":
    main()
