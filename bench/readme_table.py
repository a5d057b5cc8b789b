"""Write the README's crawl performance table from the benchmark's own output file.

``python bench/readme_table.py`` reads ``output/bench/results.json`` (written by ``bench_crawl.py``,
``bench_memory.py`` and ``bench_distributed.py``) and replaces what stands between
``<!-- bench:crawl -->`` and ``<!-- /bench:crawl -->`` in README.md; ``--check`` only says whether the
README matches the file (exit 1 if not). No figure of that table is typed by hand.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "output" / "bench" / "results.json"
README = ROOT / "README.md"
START, END = "<!-- bench:crawl -->", "<!-- /bench:crawl -->"


def _range(stat: dict, digits: int = 1, unit: str = "") -> str:
    return f"{stat['median']:.{digits}f}{unit} ({stat['min']:.{digits}f}–{stat['max']:.{digits}f})"


def crawl_rows(crawl: dict) -> list[str]:
    rows = [
        "| settings | Tremplin wall | bare Scrapy wall | wall ratio | CPU per page ratio | floors: politeness / "
        "transfers / CPU | per-site gap, Tremplin: min / p5 / median (gaps under the delay) | bare Scrapy: min "
        "(gaps under the delay) | same database |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for line in crawl["lines"]:
        s, t, b, g = line["settings"], line["tremplin"], line["bare_scrapy"], line["gaps"]
        f = line["floors"]
        label = (f"{line['label']}: CONCURRENT_REQUESTS={s['CONCURRENT_REQUESTS']}, DOWNLOAD_DELAY="
                 f"{s['DOWNLOAD_DELAY']} s (jitter {s['DOWNLOAD_DELAY_JITTER']})")  # fmt: skip
        rows.append(
            f"| {label} | {_range(t['wall'], unit=' s')} | {_range(b['wall'], unit=' s')} | "
            f"**{_range(line['ratios']['wall'], 2, ' ×')}** | {_range(line['ratios']['cpu'], 2, ' ×')} | "
            f"{f['politeness']:.1f} / {f['transfers']:.1f} / {f['cpu']:.1f} s | "
            f"{g['tremplin']['min']:.2f} / {g['tremplin']['p5']:.2f} / {g['tremplin']['median']:.2f} s "
            f"({g['tremplin']['under_delay']:.0f} of {g['tremplin']['gaps']:.0f}) | "
            f"{g['bare']['min']:.2f} s ({g['bare']['under_delay']:.0f} of {g['bare']['gaps']:.0f}) | "
            f"{'yes' if len(line['digests']) == 1 else 'NO'} |"
        )
    return rows


def other_rows(results: dict) -> list[str]:
    rows = []
    memory = results.get("memory")
    if memory:
        rss = ", ".join(
            f"{int(k):,} URLs {v:.0f} MB" for k, v in sorted(memory["rss_at"].items(), key=lambda i: int(i[0]))
        )
        slope = memory.get("slope_mb_per_10k_urls")
        slope_text = f"; slope {slope:+.2f} MB per 10,000 URLs" if slope is not None else ""
        rows.append(f"- memory, {memory['urls']:,}-URL crawl ({memory['sites']:,} sites): peak "
                    f"**{memory['peak_rss_mb']:.0f} MB** (goal < 400 MB); {rss}{slope_text}.")  # fmt: skip
    dist = results.get("distributed")
    if dist:
        rows.append(
            f"- distributed ({dist['single']['sites']} sites, {dist['concurrency']} requests at a time per process, "
            f"DOWNLOAD_DELAY={dist['download_delay']} s): single crawl {dist['single']['seconds']:.1f} s, one worker "
            f"{dist['one']['seconds']:.1f} s (**{dist['one_vs_single']:.2f} ×** the single crawl), two workers "
            f"{dist['two']['seconds']:.1f} s (**{dist['two_vs_one']:.2f} ×** one worker's pages/s), same rows: "
            f"{'yes' if dist['same_rows'] else 'NO'}; {dist['cores']} cores shared by every process."
        )
    return rows


def table(results: dict) -> str:
    crawl = results["crawl"]
    machine = crawl["machine"]
    head = (f"Measured {crawl['at']} on {machine['cores']} cores ({machine['cpu']}), {crawl['sites']} loopback sites, "
            f"{crawl['delay_s'] * 1000:.0f} ms ± 50 % per answer, {crawl['lines'][0]['pages']} requests; "
            "medians (min–max) of the repetitions, ratios of runs side by side.")  # fmt: skip
    naive = crawl.get("naive")
    tail = []
    if naive:
        speedups = naive["speedup"] if isinstance(naive["speedup"], dict) else {"shipped": naive["speedup"]}
        faster = "; ".join(f"{label}: **{speedup:.1f} ×**" for label, speedup in speedups.items())
        tail.append(f"- naive sequential script (`requests` + BeautifulSoup, no politeness delay): "
                    f"{naive['pages_per_s']['median']:.1f} pages/s; Tremplin is faster by {faster}.")  # fmt: skip
    one = crawl.get("one_site")
    if one:
        tail.append(f"- one site alone at the shipped settings ({one['requests']} requests): its crawl took "
                    f"{one['span']:.2f} s from first request to last answer against a politeness floor of "
                    f"{one['floor']:.2f} s; the process, start-up included, {one['wall']:.1f} s wall, "
                    f"{one['cpu']:.1f} s CPU.")  # fmt: skip
    return "\n".join([head, "", *crawl_rows(crawl), "", *tail, *other_rows(results)])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    results = json.loads(RESULTS.read_text())
    text = README.read_text()
    if START not in text or END not in text:
        sys.stderr.write(f"README.md has no {START} ... {END} block\n")
        return 1
    before, rest = text.split(START, 1)
    _, after = rest.split(END, 1)
    new = f"{before}{START}\n{table(results)}\n{END}{after}"
    if args.check:
        return 0 if new == text else 1
    README.write_text(new)
    print(table(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
