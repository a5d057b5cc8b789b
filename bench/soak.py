"""Soak: a long crawl of a big hostile web, checked like the fast test and reported in figures.

Not a test (``make soak``, a few minutes): ``--copies`` sets of every fault class, spider trap and
hostile body (``tests/faultweb.py``) among the fixture sites plus ``--healthy`` generated healthy
sites, crawled with the shipped limits (8 MiB bodies, retries), a timeout of ``--timeout`` seconds
and politeness delays scaled down for loopback. A fault-free crawl of the healthy sites comes
first; the hostile crawl must store them identically. Everything stays on 127.0.0.0/8 (the crawl
runs in the network jail). Prints the figures for the README's reliability section and records
them in ``output/bench/results.json`` under ``soak``; exits 1 when a check fails.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import heading, print_machine, save_results  # noqa: E402
from tests.faultweb import (  # noqa: E402
    Canary,
    build_hostile_web,
    content_problems,
    fault_problems,
    figures,
    healthy_differences,
    planted_problems,
    private_problems,
    robots_problems,
    run_crawl,
    schedule_problems,
    trap_problems,
)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=5, help="sets of every fault (default 5)")
    parser.add_argument("--healthy", type=int, default=300, help="generated healthy sites (default 300)")
    parser.add_argument("--bomb-mib", type=int, default=4096, help="inflated size of each gzip bomb (default 4 GiB)")
    parser.add_argument("--timeout", type=int, default=15, help="DOWNLOAD_TIMEOUT in seconds (default 15)")
    parser.add_argument("--budget", type=int, default=900, help="--max-time of the hostile crawl (default 900 s)")
    options = parser.parse_args()
    print_machine()
    settings = [
        "--log-level", "WARNING", "--max-depth", "1", "--max-time", str(options.budget),
        "--set", "DOWNLOAD_DELAY=0.05", "--set", "AUTOTHROTTLE_START_DELAY=0.05",
        "--set", f"DOWNLOAD_TIMEOUT={options.timeout}",
    ]  # fmt: skip
    with tempfile.TemporaryDirectory(prefix="tremplin-soak-") as folder, Canary() as canary:
        tmp = Path(folder)
        web, plan = build_hostile_web(canary.port, options.copies, options.healthy, options.bomb_mib)
        with web:
            allow = ["--allow-address", f"127.0.0.1:{web.port}"]
            heading(f"fault-free crawl of {len(plan.healthy)} healthy sites")
            clean = run_crawl(web, tmp / "clean.db", tmp / "clean", [*settings, *allow, *plan.healthy], timeout=3600)
            clean_log = list(web.log)
            print(f"exit {clean.returncode}, {clean.seconds:.1f} s, peak RSS {clean.peak_rss_kb / 1024:.0f} MB")
            heading(f"hostile crawl of {len(plan.seeds)} seed sites, {len(plan.fault_classes())} fault classes")
            hostile = run_crawl(
                web, tmp / "hostile.db", tmp / "hostile", [*settings, *allow, *plan.seeds],
                hosts=plan.hosts, direct=plan.direct, timeout=3600,
            )  # fmt: skip
            log = web.log[len(clean_log) :]
            print(f"exit {hostile.returncode}, {hostile.seconds:.1f} s, peak RSS {hostile.peak_rss_kb / 1024:.0f} MB")
        problems = {
            "finished": [] if hostile.returncode in (0, 3) and clean.returncode in (0, 3) else
            [f"exit {clean.returncode}/{hostile.returncode}: {hostile.stderr[-2000:]}"],
            "budget": [] if hostile.seconds < options.budget else [f"{hostile.seconds:.0f} s"],
            "healthy identical": healthy_differences(tmp / "clean.db", tmp / "hostile.db", plan),
            "one clear error per fault": fault_problems(tmp / "hostile.db", plan),
            "hostile content stored safely": content_problems(tmp / "hostile.db", plan),
            "no private address": private_problems(clean_log + log, canary, clean.jail + hostile.jail),
            "robots obeyed": robots_problems(log, plan),
            "no personal data stored": planted_problems(tmp / "hostile.db", plan),
            "next visits clamped": schedule_problems(tmp / "hostile.db", plan),
            "traps bounded": trap_problems(log, plan),
            "memory bounded": [] if hostile.peak_rss_kb < clean.peak_rss_kb + 150 * 1024 else
            [f"{hostile.peak_rss_kb // 1024} MB vs {clean.peak_rss_kb // 1024} MB fault-free"],
        }  # fmt: skip
        numbers = figures(tmp / "hostile.db", plan, log, hostile)
    numbers["fault_free_peak_rss_mb"] = round(clean.peak_rss_kb / 1024)
    numbers["fault_free_seconds"] = round(clean.seconds, 1)
    numbers["options"] = vars(options)
    numbers["fault_classes_tried"] = plan.fault_classes()
    heading("checks")
    for name, found in problems.items():
        print(f"{'ok  ' if not found else 'FAIL'} {name}" + "".join(f"\n     {line}" for line in found[:20]))
    heading("figures")
    print(json.dumps({k: v for k, v in numbers.items() if k != "fault_classes_tried"}, indent=2))
    save_results("soak", {**numbers, "failed_checks": [name for name, found in problems.items() if found]})
    return 1 if any(problems.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
