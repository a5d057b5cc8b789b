"""Offline extraction speed: every real sample and every sample-web page, pages per second per core.

The corpus is every golden fixture of ``tests/fixtures`` (the real samples listed in
``tests/fixtures/SOURCES.md`` are among them, byte for byte, with the URL they were fetched from)
and every response of the bundled sample web (``crawler/archive/sample_web.warc.gz``, three
captures). Each repetition builds fresh Scrapy responses (so no per-response cache carries over)
and runs what ``tremplin extract`` runs (``platforms.extract``), then what the crawl runs per
response (detect, extract, endpoints, links, community signals). CPU time of this one process, so pages/s is per core.

Goal: >= 500 pages/s per core on forum HTML. Alongside: the cost of parsing the same forum pages
with lxml (a plain ``etree.HTMLParser``, as the adapters do, and through parsel) and with
BeautifulSoup (html.parser and lxml builders), to show what BeautifulSoup would cost.
``--profile`` prints where the time goes.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import pstats
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import ROOT, heading, print_machine, save_results, summary  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures"
ARCHIVE = ROOT / "crawler" / "archive" / "sample_web.warc.gz"
FORUMS = {"phpbb", "xenforo", "vbulletin", "smf", "mybb", "invision", "flarum", "nodebb", "discourse"}
GOAL_FORUM_PAGES_PER_S = 500


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--profile", action="store_true", help="print the top functions of a cProfile run")
    args = parser.parse_args()

    print_machine()
    pages = load_corpus()
    groups = classify(pages)
    # Warm-up: lingua's models, dateparser's locales, compiled patterns (a crawl pays this once).
    timed(crawl_work, pages)

    heading(f"Extraction, {len(pages)} pages, {args.repeats} repetitions, CPU time of one process")
    print(f"{'pages':38} {'n':>4} {'extract: pages/s per core':>34} {'crawl work: pages/s per core':>34}")
    figures = {}
    for name in sorted(groups, key=lambda g: (g.split(",")[0], g)):
        group = groups[name]
        rates = {}
        for label, work in (("extract", extract_only), ("crawl", crawl_work)):
            runs = [len(group) / max(timed(work, group), 1e-9) for _ in range(args.repeats)]
            rates[label] = summary(runs)
        figures[name] = {"pages": len(group), **{k: v.to_json() for k, v in rates.items()}}
        print(f"{name:38} {len(group):4} {rates['extract'].fmt(digits=0):>34} {rates['crawl'].fmt(digits=0):>34}")

    forum = figures["forum HTML"]["extract"]["median"]
    verdict = "met" if forum >= GOAL_FORUM_PAGES_PER_S else "NOT met"
    print(f"goal >= {GOAL_FORUM_PAGES_PER_S} forum HTML pages/s per core: {forum:.0f} -> {verdict}")

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
            "goal": GOAL_FORUM_PAGES_PER_S,
            "parse_ms_per_page": {k: v.to_json() for k, v in costs.items()},
        },
    )


if __name__ == "__main__":
    main()
