"""Offline extraction speed: every real sample and every sample-web page, pages per second per core.

The corpus is every golden fixture of ``tests/fixtures`` (the real samples listed in
``tests/fixtures/SOURCES.md`` are among them, byte for byte, with the URL they were fetched from)
and every response of the bundled sample web (``crawler/archive/sample_web.warc.gz``, three
captures). Each repetition builds fresh Scrapy responses (so no per-response cache carries over)
and runs what ``tremplin extract`` runs (``platforms.extract``), then what the crawl runs per
response (detect, extract, endpoints, links, community signals). CPU time of this one process, so pages/s is per core.

Goal: >= 1,000 pages/s per core on forum HTML (issue 18). The figures are measured side by side
with a baseline: the extraction code of an earlier commit (``--baseline``, by default the commit
before the current speed round), exported with ``git archive`` and timed on the same pages in its
own worker process, repetitions alternating between the two workers, each timing its own CPU. The
current tree is timed the same way, in a worker of its own. Alongside: the cost of parsing the same
forum pages with lxml (a plain ``etree.HTMLParser``, as the adapters do, and through parsel) and
with BeautifulSoup (html.parser and lxml builders), to show what BeautifulSoup would cost.
``--profile`` prints where the time goes.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import pstats
import subprocess
import sys
import tarfile
import tempfile
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import ROOT, heading, print_machine, save_results, summary  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures"
ARCHIVE = ROOT / "crawler" / "archive" / "sample_web.warc.gz"
FORUMS = {"phpbb", "xenforo", "vbulletin", "smf", "mybb", "invision", "flarum", "nodebb", "discourse"}
GOAL_FORUM_PAGES_PER_S = 1_000
# The commit before the third speed round (pack label readers landed, 264 forum pages/s here).
BASELINE_REF = "fd3d545af605dedb1a85c8ffac53e4d7e765b1ee"
WORKS = ("extract", "crawl")


def load_corpus() -> list[dict]:
    """Every fixture body with its URL and headers, then every sample-web response."""
    from crawler.archive.warc import WarcArchive
    from tests.conftest import fixture_sources

    real = {FIXTURES / row.path for row in fixture_sources() if row.is_real_sample}
    pages = []
    for path in sorted(FIXTURES.glob("*/*.expected.json")):
        spec = json.loads(path.read_text(encoding="utf-8"))
        body_path = path.with_name(spec["body"])
        body = body_path.read_bytes()
        origin = "real sample" if body_path in real else "handmade fixture"
        pages.append({"origin": origin, "url": spec["url"], "body": body, "headers": spec.get("headers")})
    archive = WarcArchive(ARCHIVE)
    for captures in archive._captures.values():
        for capture in captures:
            record = archive.read(capture)
            if record.status != 200:
                continue
            headers = dict(record.headers)
            pages.append({"origin": "sample web", "url": record.url, "body": record.body, "headers": headers})
    return pages


def make_response(page: dict):
    from tests.conftest import make_response as build

    return build(page["body"], page["url"], page["headers"])


def reset_content_caches() -> None:
    """Forget caches keyed by page content, so a repetition does not find the previous one's answers."""
    from crawler.normalize import dates, labels

    for cached in (getattr(dates, "_dateparse", None), getattr(labels, "_metric_for_label", None)):
        if hasattr(cached, "cache_clear"):
            cached.cache_clear()


def extract_only(responses: list) -> None:
    from crawler import platforms

    for response in responses:
        platforms.extract(response)


def crawl_work(responses: list) -> None:
    """What the spider does with one response besides fetching it."""
    from crawler import platforms
    from crawler.discovery.links import all_links, links_pages
    from crawler.discovery.signals import community_signals

    for response in responses:
        adapter = platforms.detect(response)
        extraction = platforms.extract(response)
        if adapter.NAME != "generic":
            adapter.endpoints(response)
        all_links(response)
        links_pages(response, 2)
        community_signals(extraction, response)


def timed(work, pages: list[dict]) -> float:
    """CPU seconds of ``work`` over fresh responses of ``pages``."""
    responses = [make_response(page) for page in pages]
    reset_content_caches()
    started = time.process_time()
    work(responses)
    return time.process_time() - started


def classify(pages: list[dict]) -> dict[str, list[dict]]:
    from crawler import platforms
    from crawler.platforms.base import is_html

    groups: dict[str, list[dict]] = defaultdict(list)
    for page in pages:
        response = make_response(page)
        name = platforms.detect(response).NAME
        html = is_html(response)
        page["platform"] = name
        kind = "forum HTML" if html and name in FORUMS else "other HTML" if html else "JSON/text"
        groups[f"{kind}, {page['origin']}"].append(page)
        groups[kind].append(page)
        groups["all pages"].append(page)
    return groups


def parse_costs(pages: list[dict], repeats: int) -> dict[str, object]:
    """CPU per page to parse the forum pages: lxml (what the adapters use), parsel, BeautifulSoup."""
    from bs4 import BeautifulSoup
    from parsel import Selector

    from crawler.platforms.html import _parse_html

    texts = [make_response(page).text for page in pages]
    builders = {
        "lxml etree.HTMLParser (used)": _parse_html,
        "lxml via parsel": lambda t: Selector(text=t, type="html"),
        "BeautifulSoup html.parser": lambda t: BeautifulSoup(t, "html.parser"),
        "BeautifulSoup lxml": lambda t: BeautifulSoup(t, "lxml"),
    }
    out = {}
    for name, build in builders.items():
        runs = []
        for _ in range(repeats):
            started = time.process_time()
            for text in texts:
                build(text)
            runs.append((time.process_time() - started) / len(texts) * 1000)
        out[name] = summary(runs)
    return out


# Functions whose cumulative time tells what limits extraction (file suffix, function name).
PROFILE_PARTS = (
    ("language detection (lingua, crawler/normalize/languages.py)", "normalize/languages.py", "content_languages"),
    ("  of which lingua's confidence computation", "", "compute_language_confidence_values"),
    ("outreach signals (crawler/outreach)", "outreach/__init__.py", "extract_page"),
    ("visible-text walks (html._collect)", "platforms/html.py", "_collect"),
    ("dates through dateparser (forms without a fast path)", "normalize/dates.py", "_dateparse"),
    ("platform detection (every adapter's detect)", "platforms/__init__.py", "_detect"),
    ("HTML parsing (lxml)", "platforms/html.py", "_parse_html"),
    ("XPath queries (html.Page.xpath)", "platforms/html.py", "xpath"),
)


def profile_shares(stats: pstats.Stats) -> list[tuple[str, float]]:
    total = max(stats.total_tt, 1e-9)
    shares = []
    for label, suffix, name in PROFILE_PARTS:
        cumulative = sum(
            values[3]
            for (filename, _, function), values in stats.stats.items()
            if filename.endswith(suffix) and (function == name or (not suffix and name in function))
        )
        shares.append((label, cumulative / total))
    return shares


def worker() -> None:
    """Time the extraction of the tree on ``sys.path[0]``: one JSON line of pages/s per command line.

    A command is ``{"pages": [page index, ...], "work": "extract" | "crawl"}``; the answer is the
    pages per CPU second of that work over fresh responses of those pages, one repetition.
    """
    pages = load_corpus()
    # Warm-up: lingua's models, dateparser's locales, compiled patterns (a crawl pays this once).
    timed(crawl_work, pages)
    print(json.dumps({"ready": True}), flush=True)
    works = {"extract": extract_only, "crawl": crawl_work}
    for line in sys.stdin:
        command = json.loads(line)
        group = [pages[i] for i in command["pages"]]
        print(json.dumps({"rate": len(group) / max(timed(works[command["work"]], group), 1e-9)}), flush=True)


class Worker:
    """A worker process timing the extraction code of one source tree."""

    def __init__(self, label: str, source: Path) -> None:
        self.label = label
        command = [sys.executable, str(Path(__file__).resolve()), "--worker", str(source)]
        self.process = subprocess.Popen(command, cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        self._answer()

    def _answer(self) -> dict:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            if line.startswith("{"):
                return json.loads(line)
        raise RuntimeError(f"the {self.label} worker stopped (exit {self.process.wait()})")

    def rate(self, pages: list[int], work: str) -> float:
        assert self.process.stdin is not None
        self.process.stdin.write(json.dumps({"pages": pages, "work": work}) + "\n")
        self.process.stdin.flush()
        return self._answer()["rate"]

    def close(self) -> None:
        if self.process.stdin is not None:
            self.process.stdin.close()
        self.process.wait()


def export_tree(ref: str, into: Path) -> Path:
    """The source tree of commit ``ref`` (``git archive``) under ``into``."""
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", "--format=tar", ref], capture_output=True, check=False)
    if archive.returncode != 0:
        raise SystemExit(
            f"bench_extract: cannot export baseline {ref} ({archive.stderr.decode(errors='replace').strip()}); "
            "--baseline '' times the current tree alone"
        )
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        tar.extractall(into, filter="data")
    return into


def compare(groups: dict[str, list[dict]], pages: list[dict], baseline: str | None, repeats: int) -> dict:
    """Pages/s per core of the current tree and of the baseline.

    The two workers take turns on every group and work, in alternating order, so that the load
    other programs put on a shared machine falls on both alike.
    """
    index = {id(page): i for i, page in enumerate(pages)}
    names = sorted(groups, key=lambda g: (g.split(",")[0], g))
    indices = {name: [index[id(page)] for page in groups[name]] for name in names}
    with tempfile.TemporaryDirectory(prefix="bench-extract-") as tmp:
        trees = {"current": ROOT}
        if baseline:
            trees["baseline"] = export_tree(baseline, Path(tmp) / "baseline")
        workers = {label: Worker(label, tree) for label, tree in trees.items()}
        runs: dict[str, dict[str, dict[str, list[float]]]] = {
            label: {name: {work: [] for work in WORKS} for name in names} for label in workers
        }
        turn = 0
        try:
            for _ in range(repeats):
                for name in names:
                    for work in WORKS:
                        order = list(workers) if turn % 2 == 0 else list(reversed(workers))
                        turn += 1
                        for label in order:
                            runs[label][name][work].append(workers[label].rate(indices[name], work))
        finally:
            for one in workers.values():
                one.close()
    return {
        label: {name: {work: summary(values) for work, values in by_work.items()} for name, by_work in done.items()}
        for label, done in runs.items()
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--profile", action="store_true", help="print the top functions of a cProfile run")
    parser.add_argument(
        "--baseline",
        default=BASELINE_REF,
        metavar="REF",
        help="git commit whose extraction is timed side by side (default: %(default).12s); '' for none",
    )
    parser.add_argument("--worker", metavar="SOURCE", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        sys.path.insert(0, args.worker)
        worker()
        return

    print_machine()
    pages = load_corpus()
    groups = classify(pages)
    # Warm-up: lingua's models, dateparser's locales, compiled patterns (a crawl pays this once).
    timed(crawl_work, pages)

    compared = f", side by side with {args.baseline[:12]}" if args.baseline else ""
    heading(f"Extraction, {len(pages)} pages, {args.repeats} repetitions{compared}, CPU time of each worker")
    measured = compare(groups, pages, args.baseline, args.repeats)
    current, base = measured["current"], measured.get("baseline")
    width = 30
    columns = f"{'extract: pages/s per core':>{width}}"
    if base:
        columns += f" {'baseline':>{width}} {'ratio':>6}"
    columns += f" {'crawl work: pages/s per core':>{width}}"
    if base:
        columns += f" {'baseline':>{width}} {'ratio':>6}"
    print(f"{'pages':38} {'n':>4} {columns}")
    figures = {}
    for name, rates in current.items():
        figures[name] = {"pages": len(groups[name]), **{k: v.to_json() for k, v in rates.items()}}
        cells = []
        for work in WORKS:
            cells.append(f"{rates[work].fmt(digits=0):>{width}}")
            if base:
                old = base[name][work]
                figures[name][f"baseline_{work}"] = old.to_json()
                cells.append(f"{old.fmt(digits=0):>{width}} {rates[work].median / old.median:5.2f}x")
        print(f"{name:38} {len(groups[name]):4} {' '.join(cells)}")

    forum = figures["forum HTML"]["extract"]["median"]
    verdict = "met" if forum >= GOAL_FORUM_PAGES_PER_S else "NOT met"
    against = ""
    if base:
        old = base["forum HTML"]["extract"].median
        against = f" (baseline {args.baseline[:12]}: {old:.0f}, {forum / old:.2f}x)"
    print(f"goal >= {GOAL_FORUM_PAGES_PER_S} forum HTML pages/s per core: {forum:.0f}{against} -> {verdict}")

    heading("Parsing the forum HTML pages: ms CPU per page")
    costs = parse_costs(groups["forum HTML"], args.repeats)
    used = costs["lxml etree.HTMLParser (used)"].median
    for name, value in costs.items():
        print(f"{name:32} {value.fmt(' ms', 2):>32}  {value.median / used:5.1f} x lxml")

    if args.profile:
        heading("Profile: extract() over the forum HTML pages x 3 (cProfile, top 25 by own time)")
        responses = [make_response(page) for _ in range(3) for page in groups["forum HTML"]]
        reset_content_caches()
        profiler = cProfile.Profile()
        profiler.enable()
        extract_only(responses)
        profiler.disable()
        stream = io.StringIO()
        stats = pstats.Stats(profiler, stream=stream)
        stats.sort_stats("tottime").print_stats(25)
        print("\n".join(line for line in stream.getvalue().splitlines() if line.strip())[:6000])
        heading("Where extract() spends its time on forum HTML (cumulative share, cProfile)")
        for label, share in profile_shares(stats):
            print(f"{share:6.1%}  {label}")

    save_results(
        "extract",
        {
            "groups": figures,
            "forum_html_pages_per_s": forum,
            "baseline": args.baseline or None,
            "baseline_forum_html_pages_per_s": base["forum HTML"]["extract"].median if base else None,
            "goal": GOAL_FORUM_PAGES_PER_S,
            "parse_ms_per_page": {k: v.to_json() for k, v in costs.items()},
        },
    )


if __name__ == "__main__":
    main()
