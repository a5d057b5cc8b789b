"""Hostile inputs: how long the readers take on the adversarial inputs the unit tests feed them.

The unit tests assert what these inputs give (no date, no licence, the right count...); how long
that takes is a timing claim, so it lives here. Each case is run on the same input as its unit test,
next to one linear pass over that input measured in the same run (``str.lower`` for a text, an lxml
parse for a page), so the ratio says how many plain passes the reader costs. The budget is the
figure the unit tests used to assert; ``within`` says whether the median met it on this machine.

Run: ``.venv/bin/python bench/bench_hostile.py [--repeat N]``. Exit status 1 when a case is over
its budget.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import ROOT, heading, print_machine, save_results, summary  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures"


@dataclass(frozen=True)
class Case:
    """One hostile input: the reader's work, the linear pass it is compared with, the old budget."""

    name: str
    test: str
    budget_s: float
    build: Callable[[], Any]
    run: Callable[[Any], object]
    baseline: Callable[[Any], object]
    baseline_name: str


def _page(body: str) -> bytes:
    return f"<!DOCTYPE html><html><head><title>t</title></head><body>{body}</body></html>".encode()


def _response(body: bytes, url: str = "https://hostile.example/"):
    from tests.conftest import make_response

    return make_response(body, url)


def _parse(body: bytes) -> object:
    from lxml import etree

    # The parser settings of crawler/platforms/html.py (huge_tree: deep pages are read whole).
    return etree.fromstring(body, etree.HTMLParser(recover=True, encoding="utf-8", huge_tree=True))


def _lingua_alone(samples: list[str]) -> object:
    from lingua import IsoCode639_1, Language, LanguageDetectorBuilder

    from crawler.normalize.languages import DETECTION_LANGUAGES

    languages = [Language.from_iso_code_639_1(getattr(IsoCode639_1, code.upper())) for code in DETECTION_LANGUAGES]
    detector = LanguageDetectorBuilder.from_languages(*languages).with_low_accuracy_mode().build()
    detector.compute_language_confidence_values(samples[0])
    started = time.perf_counter()
    for _ in range(5):
        for sample in samples:
            detector.compute_language_confidence_values(sample)
    return time.perf_counter() - started


def _digits_regex(texts: list[str]) -> object:
    return [re.findall(r"[\d.,]+", text) for text in texts]


def _lower_all(texts: list[str]) -> object:
    return [text.lower() for text in texts]


def _links_page() -> bytes:
    pieces = []
    for i in range(25_000):
        pieces.append(f'<a href="/topic/{i}">t</a>')
        pieces.append(f'<a href="https://www.club.example/p/{i}">p</a>')
        pieces.append(f'<a href="https://farm{i}.link-farm.example/login">f</a>')
        pieces.append(f'<a href="https://site{i % 700}.example/x/{i}">s</a>')
    return _page("".join(pieces))


def _signals_page() -> bytes:
    body = "".join(f'<a href="/p/{i}">p</a><a href="https://s{i}.example/">s</a>' for i in range(50_000))
    return _page(body + "<p>" + "lorem ipsum " * 50_000 + "</p>")


def _nested_tags() -> bytes:
    return b"<html><head><title>Deep</title></head><body>" + b"<div>" * 100_000 + b"x" + b"</div>" * 100_000


def _ten_megabytes() -> bytes:
    page = (FIXTURES / "phpbb/fight-bb-index.html").read_bytes()
    cut = page.index(b'<div class="stat-block online-list">')
    row = b'<li class="row"><dl><dt><a href="./viewforum.php?f=9">Forum</a> text 1,234 words</dt></dl></li>\n'
    return page[:cut] + row * ((10_000_000 - len(page)) // len(row)) + page[cut:]


def _outward_and_links_pages(body: bytes) -> object:
    from crawler.discovery.links import links_pages, outward_links

    response = _response(body, "https://club.example/")
    return outward_links(response), links_pages(response)


def _signals(body: bytes) -> object:
    from crawler.discovery.signals import community_signals

    return community_signals(None, _response(body))


def _extract(body: bytes) -> object:
    from crawler import platforms

    return platforms.extract(_response(body))


def _dates(texts: list[str]) -> object:
    from datetime import UTC, datetime

    from crawler.normalize.dates import to_utc_iso

    base = datetime(2024, 5, 12, 12, 0, tzinfo=UTC)
    return [to_utc_iso(texts[0]), to_utc_iso(texts[1]), to_utc_iso(texts[2], base=base)]


def _labels(texts: list[str]) -> object:
    from crawler.normalize.labels import label_pattern, metric_for_label

    return label_pattern("posts").search(texts[0]), metric_for_label(texts[1])


def _languages_warm(samples: list[str]) -> object:
    from crawler.normalize.languages import detect_language

    return [detect_language(sample) for _ in range(5) for sample in samples]


def _languages_huge(texts: list[str]) -> object:
    from crawler.normalize.languages import detect_language

    return [detect_language(text) for text in texts]


def _licences(texts: list[str]) -> object:
    from crawler.normalize.licences import licence_from_text

    return [licence_from_text(text) for text in texts]


def _counts(texts: list[str]) -> object:
    from crawler.normalize.numbers import find_counts, parse_count

    return [(parse_count(text), find_counts(text)) for text in texts]


def _counts_warm(_: object) -> object:
    from crawler.normalize.numbers import parse_count

    return [(parse_count("Mitglieder: 1.234.567", "de"), parse_count("12,3k")) for _ in range(2000)]


def _huge_numbers() -> list[str]:
    from tests.test_normalize_numbers import HUGE

    return [text for text, _, _ in HUGE]


def _language_samples() -> list[str]:
    from tests.test_normalize_languages import ENGLISH, FRENCH, GERMAN, POLISH, RUSSIAN

    return [POLISH, ENGLISH, FRENCH, GERMAN, RUSSIAN, (ENGLISH + " ") * 40]


def _french_huge() -> list[str]:
    from tests.test_normalize_languages import FRENCH

    return ["x" * 10_000_000, FRENCH + "x" * 10_000_000]


CASES = (
    Case("outward links + links pages, 100,000 links", "test_discovery_links", 1.0, _links_page,
         _outward_and_links_pages, _parse, "lxml parse"),
    Case("community signals, 100,000 links + 1.2 MB of text", "test_discovery_signals", 1.0, _signals_page,
         _signals, _parse, "lxml parse"),
    Case("extract, 100,000 nested tags", "test_generic", 1.0, _nested_tags, _extract, _parse, "lxml parse"),
    Case("extract, 10 MB phpBB page", "test_generic", 1.0, _ten_megabytes, _extract, _parse, "lxml parse"),
    Case("dates, 2 x 10 MB + 'ago' x 40", "test_normalize_dates", 1.0,
         lambda: ["x" * 10_000_000, "1" * 10_000_000, "ago " * 40], _dates, _lower_all, "str.lower"),
    Case("labels, 1.2 MB search + 10.8 MB label", "test_normalize_labels", 1.0,
         lambda: ["lorem ipsum " * 100_000, "lorem ipsum " * 900_000], _labels, _lower_all, "str.lower"),
    Case("language, 30 warm calls", "test_normalize_languages", 0.6, _language_samples, _languages_warm,
         _lingua_alone, "lingua alone, whole texts"),
    Case("language, 2 x 10 MB", "test_normalize_languages", 1.0, _french_huge, _languages_huge, _lower_all,
         "str.lower"),
    Case("licences, 10.8 + 9 + 10 MB", "test_normalize_licences", 3.0,
         lambda: ["attribution " * 900_000, "cc " * 3_000_000, "x" * 10_000_000], _licences, _lower_all,
         "str.lower"),
    Case("counts, the 7 huge inputs (1 s budget each)", "test_normalize_numbers", 7.0, _huge_numbers, _counts,
         _lower_all, "str.lower"),
    Case("counts, 5.4 MB of small numbers", "test_normalize_numbers", 1.0,
         lambda: ["1 2 3 4 5 6 7 8 9 " * 600_000], _counts, _lower_all, "str.lower"),
    Case("counts, 4,000 warm calls", "test_normalize_numbers", 1.0,
         lambda: ["Mitglieder: 1.234.567", "12,3k"] * 2000, _counts_warm, _digits_regex, "a digits regex"),
)  # fmt: skip


def timed(function: Callable[[Any], object], value: Any) -> float:
    """Wall time of ``function(value)``; a function that times its own loop returns its seconds."""
    started = time.perf_counter()
    result = function(value)
    return result if isinstance(result, float) else time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="repetitions of each case (default 3)")
    args = parser.parse_args()
    print_machine()
    heading("hostile inputs: reader vs one linear pass over the same input, median of the repetitions")
    # Warm up what the crawl has warm (lingua's models, dateparser, the label tables).
    _extract((FIXTURES / "phpbb/fight-bb-index.html").read_bytes())
    _languages_warm(_language_samples()[:1])
    rows, over = [], []
    for case in CASES:
        value = case.build()
        reader, baseline = [], []
        for _ in range(args.repeat):  # side by side, alternating
            reader.append(timed(case.run, value))
            baseline.append(timed(case.baseline, value))
        tremplin, plain = summary(reader), summary(baseline)
        ratio = tremplin.median / plain.median if plain.median else float("inf")
        within = tremplin.median <= case.budget_s
        if not within:
            over.append(case.name)
        print(f"{case.name:52} {tremplin.fmt(' s', 3):32} {case.baseline_name} {plain.fmt(' s', 3):30} "
              f"{ratio:8.2f} x  budget {case.budget_s:g} s: {'within' if within else 'OVER'}")  # fmt: skip
        rows.append({"case": case.name, "unit_test": case.test, "seconds": tremplin.to_json(),
                     "baseline": case.baseline_name, "baseline_seconds": plain.to_json(), "ratio": ratio,
                     "budget_s": case.budget_s, "within": within})  # fmt: skip
    save_results("hostile", {"repeat": args.repeat, "cases": rows, "over_budget": over})
    print(f"\n{len(CASES) - len(over)} of {len(CASES)} cases within their budget" + (f"; over: {over}" if over else ""))
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
