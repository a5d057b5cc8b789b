"""Registry of platform adapters, in detection priority order.

Adding a platform = one module here (see :mod:`crawler.platforms.base` for the contract), its name
in ``ADAPTER_NAMES`` and a fixture folder ``tests/fixtures/<name>/``.
"""

from __future__ import annotations

import importlib
from functools import cache
from types import ModuleType

from scrapy.http import Response

from crawler.extraction import Extraction, merge_extractions
from crawler.platforms.base import is_html, once_per_response

# Specific markers first; NodeInfo (many fediverse programs) after the platforms whose own API it
# could shadow; the generic fallback always last.
ADAPTER_NAMES: tuple[str, ...] = (
    "discourse",
    "mediawiki",
    # Software of one named community each, recognised by markers no forum has.
    "tatoeba",
    "wikimedia_portal",
    "mastodon",
    "lemmy",
    "reddit",
    "stackexchange",
    "nodeinfo",
    "flarum",
    "nodebb",
    "invision",
    "xenforo",
    "vbulletin",
    "smf",
    "mybb",
    "phpbb",
    # A CMS, after the forums: a forum module inside a Drupal site is read by its forum adapter.
    "drupal",
    "generic",
)


@cache
def adapters() -> tuple[ModuleType, ...]:
    """Return the adapter modules in priority order (modules not written yet are skipped)."""
    loaded = []
    for name in ADAPTER_NAMES:
        try:
            loaded.append(importlib.import_module(f"crawler.platforms.{name}"))
        except ModuleNotFoundError as exc:
            if exc.name != f"crawler.platforms.{name}":
                raise
    return tuple(loaded)


def adapter_named(name: str) -> ModuleType:
    """Return the adapter module called ``name``."""
    for adapter in adapters():
        if name == adapter.NAME:
            return adapter
    raise KeyError(name)


def _detect(response: Response) -> ModuleType:
    for adapter in adapters():
        if adapter.detect(response):
            return adapter
    return adapters()[-1]


# Adapters' detect() are pure functions of the response, and the crawl asks for the platform of one
# response several times (homepage handling, reading, extraction): decided once per response.
@once_per_response
def detect(response: Response) -> ModuleType:
    """Return the first adapter that recognises the response (the generic fallback otherwise)."""
    return _detect(response)


def extract(response: Response) -> Extraction:
    """Detect the platform of one response and extract what it holds.

    On an HTML page of a recognised platform, the generic page signals (name, ``lang``, licence
    links, canonical URL) are merged in at a lower rank, so each adapter only reads what is
    specific to its platform.
    """
    adapter = detect(response)
    extraction = adapter.extract(response)
    if adapter.NAME != "generic" and is_html(response):
        page = adapter_named("generic").extract_page_signals(response)
        extraction = merge_extractions(response.url, [extraction, page])
    return extraction
