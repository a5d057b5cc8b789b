"""Crawl throughput at the shipped politeness: Tremplin vs bare Scrapy vs the floors, with the gaps
each site saw.

One loopback web (``bench/loopweb.py``, its own process) of ``--sites`` sites behind one proxy, each
answer after ~100 ms (±50 %, fixed per URL). For each line of settings, in each repetition, in
alternating order:

- **Tremplin**: ``tremplin crawl`` of every site (detection, extraction, normalisation, storage in
  a fresh SQLite database, ``--max-depth 0``);
- **bare Scrapy**: ``bench/bare_spider.py`` fetching exactly the URLs Tremplin fetched (read from
  the server's log), chained per site, with the same settings, Scrapy's own scheduler, doing
  nothing else.

Lines: the **shipped** politeness (``crawler/settings.py``: ``CONCURRENT_REQUESTS``, one request at
a time per site, ``DOWNLOAD_DELAY`` with its jitter, AutoThrottle), at the shipped concurrency and
any other given with ``--concurrency``; with ``--fast``, a second labelled line with delays scaled
for loopback (``DOWNLOAD_DELAY=0.05``, 64 concurrent). Printed side by side: wall, CPU, the floors
(politeness: the longest chain of per-site delays and answers, all sites in parallel; transfers:
every answer's time over ``CONCURRENT_REQUESTS``; CPU: Tremplin's own CPU time in its one
process), and per-site gaps as the server logged them (time between two arrivals at one site).
Whether every Tremplin run stored the same database contents (ids, statuses, values) is checked.
Then the naive script on a sample, extrapolated. Figures go to ``output/bench/results.json``
(``crawl``), from which ``bench/readme_table.py`` writes the README's table.
"""

from __future__ import annotations

import argparse
import collections
import hashlib
import json
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import OUTPUT, ROOT, heading, print_machine, run_measured, save_results, summary  # noqa: E402
from bench.loopweb import CONTROL_HOST  # noqa: E402
from crawler import settings as shipped  # noqa: E402

PYTHON = sys.executable
GOAL_WALL = 1.3
AIM_WALL = 1.15
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

    def log(self) -> list[tuple[str, str, float, float]]:
        """``(host, path, arrived, answered)`` of every request since the last call."""
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
    """The settings both Scrapy crawls share: Tremplin's politeness (``delay`` may scale it down)."""
    return {
        "CONCURRENT_REQUESTS": concurrency,
        "CONCURRENT_REQUESTS_PER_DOMAIN": shipped.CONCURRENT_REQUESTS_PER_DOMAIN,
        "DOWNLOAD_DELAY": delay,
        "DOWNLOAD_DELAY_JITTER": shipped.DOWNLOAD_DELAY_JITTER,
        "AUTOTHROTTLE_ENABLED": shipped.AUTOTHROTTLE_ENABLED,
        "AUTOTHROTTLE_START_DELAY": min(delay, shipped.AUTOTHROTTLE_START_DELAY) if delay else 0,
        "AUTOTHROTTLE_MAX_DELAY": shipped.AUTOTHROTTLE_MAX_DELAY,
        "AUTOTHROTTLE_TARGET_CONCURRENCY": shipped.AUTOTHROTTLE_TARGET_CONCURRENCY,
        "DOWNLOAD_TIMEOUT": shipped.DOWNLOAD_TIMEOUT,
        "RETRY_TIMES": shipped.RETRY_TIMES,
        "COOKIES_ENABLED": shipped.COOKIES_ENABLED,
        "USER_AGENT": shipped.USER_AGENT,
    }


def tremplin_command(web: LoopWeb, seeds: Path, db: Path, settings: dict[str, object], profile: Path | None = None):
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    sets = []
    for name, value in settings.items():
        if name not in ("USER_AGENT", "COOKIES_ENABLED"):
            sets += ["--set", f"{name}={value}"]
    runner = [PYTHON, "-m", "cProfile", "-o", str(profile), "-m", "crawler"] if profile else [PYTHON, "-m", "crawler"]
    return [
        *runner, "crawl", "--seeds-file", str(seeds), "--db", str(db), "--log-level", "ERROR",
        "--allow-address", f"127.0.0.1:{web.port}", "--max-depth", "0", "--refresh", "all", *sets,
    ]  # fmt: skip


def per_site(log: list[tuple]) -> list[list[str]]:
    """The URLs of each site in the order they were asked."""
    sites: dict[str, list[str]] = collections.defaultdict(list)
    for host, path, *_ in sorted(log, key=lambda entry: entry[2]):
        sites[host].append(f"http://{host}{path}")
    return list(sites.values())


def stored(db: Path) -> dict[str, object]:
    """Row counts, and a digest of the contents (run ids and timestamps aside)."""
    with sqlite3.connect(db) as conn:
        digest = hashlib.sha256()
        for query in (
            "SELECT id, status, platform, name, members, error_kind FROM communities ORDER BY id",
            "SELECT community_id, metric, value, source_url, rule FROM observations ORDER BY community_id, metric",
            "SELECT community_id, field, value, source_url FROM evidence ORDER BY community_id, field",
            "SELECT url, error FROM fetch_errors ORDER BY url, error",
        ):
            for row in conn.execute(query):
                digest.update(repr(row).encode())
        return {
            "communities": conn.execute("SELECT count(*) FROM communities").fetchone()[0],
            "with_members": conn.execute("SELECT count(*) FROM communities WHERE members IS NOT NULL").fetchone()[0],
            "observations": conn.execute("SELECT count(*) FROM observations").fetchone()[0],
            "fetch_errors": conn.execute("SELECT count(*) FROM fetch_errors").fetchone()[0],
            "digest": digest.hexdigest()[:16],
        }


def gap_stats(log: list[tuple], delay: float) -> dict[str, float]:
    """Per-site gaps as the server saw them (arrival to arrival), and overlaps of one site's requests."""
    sites: dict[str, list[tuple[float, float]]] = collections.defaultdict(list)
    for host, _, arrived, answered in log:
        sites[host].append((arrived, answered))
    gaps, firsts, overlaps = [], [], 0
    for requests in sites.values():
        requests.sort()
        site_gaps = [b[0] - a[0] for a, b in zip(requests, requests[1:], strict=False)]
        overlaps += sum(1 for a, b in zip(requests, requests[1:], strict=False) if b[0] < a[1])
        if site_gaps:
            firsts.append(site_gaps[0])
        gaps += site_gaps
    events = sorted([(a, 1) for _, _, a, _ in log] + [(b, -1) for *_, b in log])
    open_now = peak = 0
    for _, change in events:
        open_now += change
        peak = max(peak, open_now)
    gaps.sort()

    def pct(p: float) -> float:
        return gaps[min(len(gaps) - 1, int(p * len(gaps)))] if gaps else 0.0

    return {
        "gaps": len(gaps),
        "min": gaps[0] if gaps else 0.0,
        "p1": pct(0.01),
        "p5": pct(0.05),
        "median": statistics.median(gaps) if gaps else 0.0,
        "under_delay": sum(1 for gap in gaps if gap < delay),
        "first_gap_median": statistics.median(firsts) if firsts else 0.0,
        "first_gap_max": max(firsts) if firsts else 0.0,
        "overlapping": overlaps,
        "peak_open": peak,
    }


def floors(log: list[tuple], delay: float, concurrency: int) -> dict[str, float]:
    """The politeness floor (longest per-site chain) and the transfer floor of one crawl's requests."""
    sites: dict[str, list[float]] = collections.defaultdict(list)
    for host, _, arrived, answered in log:
        sites[host].append(answered - arrived)
    chain = max(((len(times) - 1) * delay + sum(times) for times in sites.values()), default=0.0)
    transfers = sum(sum(times) for times in sites.values()) / concurrency
    return {"politeness": chain, "transfers": transfers}


def figures(result, pages: int) -> dict[str, float]:
    return {
        "wall": result.wall,
        "cpu": result.cpu,
        "pages": pages,
        "pages_per_s": pages / result.wall,
        "cpu_per_1000": result.cpu / pages * 1000,
        "max_rss_mb": result.max_rss_mb,
    }


def run_line(web: LoopWeb, work: Path, seeds: Path, label: str, settings: dict, repeats: int, reference: dict) -> dict:
    """Tremplin and bare Scrapy, ``repeats`` times each in alternating order, at one line of settings."""
    delay, concurrency = float(settings["DOWNLOAD_DELAY"]), int(settings["CONCURRENT_REQUESTS"])
    settings_file, urls_file, db = work / f"settings-{label}.json", work / "urls.json", work / "crawl.db"
    settings_file.write_text(json.dumps(settings))
    jitter, throttle = settings["DOWNLOAD_DELAY_JITTER"], settings["AUTOTHROTTLE_ENABLED"]
    heading(f"{label}: CONCURRENT_REQUESTS={concurrency}, DOWNLOAD_DELAY={delay} s (jitter {jitter}), "
            f"AutoThrottle {throttle}")  # fmt: skip
    runs: dict[str, list[dict]] = {"tremplin": [], "bare": []}
    for repeat in range(repeats):
        order = ("tremplin", "bare") if repeat % 2 == 0 or "urls" not in reference else ("bare", "tremplin")
        for name in order:
            web.log()
            if name == "tremplin":
                result = run_measured(tremplin_command(web, seeds, db, settings), env=web.env(), cwd=ROOT)
            else:
                bare = ROOT / "bench" / "bare_spider.py"
                result = run_measured([PYTHON, str(bare), str(urls_file), str(settings_file)], env=web.env(), cwd=ROOT)
            log = web.log()
            if result.returncode != 0:
                raise SystemExit(f"{name} crawl failed ({result.returncode}):\n{result.stderr[-3000:]}")
            asked = collections.Counter((host, path) for host, path, *_ in log)
            if name == "tremplin" and "urls" not in reference:
                reference["urls"] = asked
                urls_file.write_text(json.dumps(per_site(log)))
            entry = {**figures(result, len(log)), "same_urls": asked == reference["urls"],
                     "gaps": gap_stats(log, delay), "floors": floors(log, delay, concurrency)}  # fmt: skip
            if name == "tremplin":
                entry["stored"] = stored(db)
            runs[name].append(entry)
            g = entry["gaps"]
            print(f"  run {repeat + 1} {name:9} {entry['wall']:6.1f} s  CPU {entry['cpu']:5.1f} s  {entry['pages']:5} "
                  f"pages  peak RSS {entry['max_rss_mb']:4.0f} MB  same URLs: {entry['same_urls']}  gaps: min "
                  f"{g['min']:.2f} s, {g['under_delay']} under {delay} s, first {g['first_gap_median']:.2f} s; "
                  f"open transfers <= {g['peak_open']}"
                  + (f"  stored {entry['stored']}" if "stored" in entry else ""), flush=True)  # fmt: skip
    return summarise(label, settings, runs)


def summarise(label: str, settings: dict, runs: dict[str, list[dict]]) -> dict:
    delay, concurrency = float(settings["DOWNLOAD_DELAY"]), int(settings["CONCURRENT_REQUESTS"])
    keys = ("wall", "cpu", "pages_per_s", "cpu_per_1000", "max_rss_mb")
    t = {k: summary([r[k] for r in runs["tremplin"]]) for k in keys}
    b = {k: summary([r[k] for r in runs["bare"]]) for k in keys}
    pairs = list(zip(runs["tremplin"], runs["bare"], strict=True))
    wall_ratio = summary([tr["wall"] / br["wall"] for tr, br in pairs])
    cpu_ratio = summary([tr["cpu_per_1000"] / br["cpu_per_1000"] for tr, br in pairs])
    floor = {k: statistics.median(r["floors"][k] for r in runs["tremplin"]) for k in ("politeness", "transfers")}
    floor["cpu"] = t["cpu"].median
    digests = {r["stored"]["digest"] for r in runs["tremplin"]}
    pages = runs["tremplin"][0]["pages"]
    print(f"\n  {label}: {pages} pages; median (min-max, ± half-range)")
    print(f"  {'':12} {'wall s':>24} {'CPU s':>24} {'CPU s / 1000 pages':>24} {'peak RSS MB':>22}")
    for name, row in (("Tremplin", t), ("bare Scrapy", b)):
        print(f"  {name:12} {row['wall'].fmt():>24} {row['cpu'].fmt():>24} {row['cpu_per_1000'].fmt(digits=2):>24} "
              f"{row['max_rss_mb'].fmt(digits=0):>22}")  # fmt: skip
    print(f"  floors: politeness {floor['politeness']:.1f} s (longest site chain: (requests - 1) x {delay} s + its "
          f"answers), transfers {floor['transfers']:.1f} s (answers / {concurrency}), "
          f"CPU {floor['cpu']:.1f} s")  # fmt: skip
    verdict = {True: "met", False: "NOT met"}
    print(f"  wall, Tremplin / bare Scrapy: {wall_ratio.fmt(' x', 2)}  goal <= {GOAL_WALL} x (aim {AIM_WALL}): "
          f"{verdict[wall_ratio.median <= GOAL_WALL]}")  # fmt: skip
    print(f"  CPU per page, Tremplin / bare Scrapy: {cpu_ratio.fmt(' x', 2)}  goal <= {GOAL_CPU} x: "
          f"{verdict[cpu_ratio.median <= GOAL_CPU]}")  # fmt: skip
    print(f"  {'gaps per site (server log)':28} {'gaps':>6} {'min':>6} {'p1':>6} {'p5':>6} {'median':>7} "
          f"{'< delay':>8} {'1st gap':>8} {'1st max':>8} {'overlap':>8} {'open max':>9}")  # fmt: skip
    gap_rows = {}
    for name in ("tremplin", "bare"):
        g = {k: statistics.median(r["gaps"][k] for r in runs[name]) for k in runs[name][0]["gaps"]}
        g["min"] = min(r["gaps"]["min"] for r in runs[name])
        g["under_delay"] = max(r["gaps"]["under_delay"] for r in runs[name])
        g["overlapping"] = max(r["gaps"]["overlapping"] for r in runs[name])
        g["peak_open"] = max(r["gaps"]["peak_open"] for r in runs[name])
        gap_rows[name] = g
        print(f"  {('Tremplin' if name == 'tremplin' else 'bare Scrapy'):28} {g['gaps']:6.0f} {g['min']:6.2f} "
              f"{g['p1']:6.2f} {g['p5']:6.2f} {g['median']:7.2f} {g['under_delay']:8.0f} {g['first_gap_median']:8.2f} "
              f"{g['first_gap_max']:8.2f} {g['overlapping']:8.0f} {g['peak_open']:9.0f}")  # fmt: skip
    print(f"  same database contents in every Tremplin run: {len(digests) == 1} ({', '.join(sorted(digests))})")
    return {
        "label": label,
        "settings": {k: v for k, v in settings.items() if k != "USER_AGENT"},
        "pages": pages,
        "tremplin": {k: v.to_json() for k, v in t.items()},
        "bare_scrapy": {k: v.to_json() for k, v in b.items()},
        "ratios": {"wall": wall_ratio.to_json(), "cpu": cpu_ratio.to_json()},
        "floors": floor,
        "gaps": gap_rows,
        "digests": sorted(digests),
        "runs": runs,
    }


def one_site(web: LoopWeb, work: Path, seeds: Path) -> dict:
    """A scheduled run of the site with the longest chain alone, at the shipped settings: its
    crawl (first request to last answer, from the server's log) against its politeness floor."""
    sites = json.loads((work / "urls.json").read_text())
    longest = max(sites, key=len)
    one = work / "one-seed.txt"
    one.write_text(longest[0].rsplit("/robots.txt", 1)[0] + "/\n")
    settings = scheduling_settings(shipped.CONCURRENT_REQUESTS, shipped.DOWNLOAD_DELAY)
    web.log()
    result = run_measured(tremplin_command(web, one, work / "one.db", settings), env=web.env(), cwd=ROOT)
    log = web.log()
    span = max(answered for *_, answered in log) - min(arrived for _, _, arrived, _ in log)
    floor = floors(log, shipped.DOWNLOAD_DELAY, shipped.CONCURRENT_REQUESTS)["politeness"]
    heading("One site alone, shipped settings")
    print(f"  {len(log)} requests; crawl (first request to last answer) {span:.2f} s, politeness floor {floor:.2f} s "
          f"(goal: within floor + 1 s: {'met' if span <= floor + 1 else 'NOT met'}); process wall {result.wall:.1f} s, "
          f"CPU {result.cpu:.1f} s (start-up included)")  # fmt: skip
    return {"requests": len(log), "span": span, "floor": floor, "wall": result.wall, "cpu": result.cpu}


def run_naive(web: LoopWeb, work: Path, sites: int, repeats: int) -> dict | None:
    if sites <= 0:
        return None
    all_sites = json.loads((work / "urls.json").read_text())
    step = max(1, len(all_sites) // sites)
    sample = all_sites[::step][:sites]
    (work / "naive.json").write_text(json.dumps(sample))
    rates, cpus, pages = [], [], 0
    for _ in range(repeats):
        web.log()
        result = run_measured([PYTHON, str(ROOT / "bench" / "naive_crawl.py"), str(work / "naive.json")],
                              env=web.env(), cwd=ROOT)  # fmt: skip
        pages = len(web.log())
        if result.returncode != 0:
            raise SystemExit(f"naive script failed:\n{result.stderr[-3000:]}")
        rates.append(pages / result.wall)
        cpus.append(result.cpu / pages * 1000)
        print(f"  naive     {result.wall:6.1f} s  {pages:6} pages (sample of {len(sample)} sites)  "
              f"{rates[-1]:6.1f} pages/s", flush=True)  # fmt: skip
    return {"pages_per_s": summary(rates).to_json(), "cpu_per_1000": summary(cpus).to_json(), "sample_pages": pages}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sites", type=int, default=500)
    parser.add_argument("--delay", type=float, default=0.1, help="server delay per response, seconds")
    parser.add_argument("--jitter", type=float, default=0.5)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--concurrency", default=str(shipped.CONCURRENT_REQUESTS),
                        help="CONCURRENT_REQUESTS, shipped politeness, comma-separated")  # fmt: skip
    parser.add_argument("--fast", action="store_true", help="also a line with delays scaled for loopback (0.05 s, 64)")
    parser.add_argument("--naive-sites", type=int, default=24)
    parser.add_argument("--naive-repeats", type=int, default=2)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()

    machine = print_machine()
    OUTPUT.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="crawl-", dir=OUTPUT))
    seeds = work / "seeds.txt"
    web = LoopWeb(args.sites, args.delay, args.jitter, seeds)
    heading(f"Crawl: {args.sites} sites on one loopback proxy, {args.delay * 1000:.0f} ms ± {args.jitter:.0%} per "
            f"answer, {args.repeats} repetitions per line")  # fmt: skip
    lines, reference, naive, profile_text = [], {}, None, None
    try:
        for concurrency in [int(c) for c in args.concurrency.split(",") if c.strip()]:
            settings = scheduling_settings(concurrency, shipped.DOWNLOAD_DELAY)
            lines.append(run_line(web, work, seeds, f"shipped, {concurrency} concurrent", settings, args.repeats,
                                  reference))  # fmt: skip
        if args.fast:
            lines.append(run_line(web, work, seeds, "fast (loopback delays), 64 concurrent",
                                  scheduling_settings(64, 0.05), args.repeats, reference))  # fmt: skip
        result_one = one_site(web, work, seeds)
        naive = run_naive(web, work, args.naive_sites, args.naive_repeats)
        if args.profile:
            profile = OUTPUT / "tremplin-crawl.prof"  # kept: python -m pstats output/bench/tremplin-crawl.prof
            web.log()
            settings = scheduling_settings(shipped.CONCURRENT_REQUESTS, shipped.DOWNLOAD_DELAY)
            run_measured(tremplin_command(web, seeds, work / "p.db", settings, profile), env=web.env(), cwd=ROOT)
            web.log()
            profile_text = profile_summary(profile)
    finally:
        web.stop()
        shutil.rmtree(work, ignore_errors=True)

    digests = {digest for line in lines for digest in line["digests"]}
    heading("Summary")
    print(f"identical database contents across every line and run: {len(digests) == 1}")
    result = {"sites": args.sites, "delay_s": args.delay, "lines": lines, "cores": machine["cores"],
              "same_database_everywhere": len(digests) == 1, "one_site": result_one}  # fmt: skip
    if naive is not None:
        # The naive script waits no politeness delay: the fair comparison is the fast line, when run.
        naive_wall = lines[0]["pages"] / naive["pages_per_s"]["median"]
        naive["extrapolated_wall"] = naive_wall
        naive["speedup"] = {line["label"]: naive_wall / line["tremplin"]["wall"]["median"] for line in lines}
        result["naive"] = naive
        for label, speedup in naive["speedup"].items():
            verdict = "met" if speedup >= GOAL_NAIVE else "NOT met"
            print(f"Tremplin ({label}) vs naive script (no delays): {speedup:.1f} x faster "
                  f"(naive {naive_wall:.0f} s extrapolated)  goal >= {GOAL_NAIVE:.0f} x: {verdict}")  # fmt: skip
    if profile_text:
        heading("Profile of one Tremplin crawl (cProfile, top functions by own time)")
        print(profile_text)
    save_results("crawl", result)


def profile_summary(path: Path, limit: int = 30) -> str:
    import io
    import pstats

    stream = io.StringIO()
    stats = pstats.Stats(str(path), stream=stream)
    stats.sort_stats("tottime").print_stats(limit)
    return "\n".join(line for line in stream.getvalue().splitlines() if line.strip())


if __name__ == "__main__":
    main()
