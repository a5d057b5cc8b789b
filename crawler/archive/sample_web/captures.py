"""What the archive holds: each site's figures at each capture and the responses its URLs give then."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from w3lib.url import safe_url_string

from crawler.archive.sample_web.faults import fault_page, moved, robots, truncate
from crawler.archive.sample_web.model import ACTIVITY_METRICS, CAPTURES, Page, Site, Snapshot
from crawler.archive.sample_web.renderers import RENDERERS
from crawler.archive.sample_web.sites import SITES


def figures_at(site: Site, index: int) -> dict[str, int] | None:
    """Return the figures a site's pages print at capture ``index`` (None before it existed)."""
    if index < site.first_capture:
        return None
    step = index - site.first_capture
    figs = {}
    for key, base in site.figures.items():
        if key in ACTIVITY_METRICS:
            figs[key] = round(base * site.activity[step])
        else:
            figs[key] = round(base * (1 + site.growth) ** step)
    figs |= {key: values[index] for key, values in site.series.items()}
    return figs


def site_responses(site: Site, index: int) -> Iterator[tuple[str, Page]]:
    """Yield ``(absolute URL, Page)`` for every URL a site answers at capture ``index``."""
    figs = figures_at(site, index)
    if figs is None or site.fault == "not_archived":
        return
    if site.fault == "redirect":
        new_site = replace(site, domain=site.redirect_to, scheme="https", fault=None, redirect_to=None)
        for path in ("/robots.txt", "/"):
            yield site.root.rstrip("/") + path, moved(new_site.root.rstrip("/") + path)
        yield from site_responses(new_site, index)
        return
    origin = site.root.rstrip("/")
    yield origin + "/robots.txt", robots(site)
    if site.fault in ("http_503", "http_410"):
        yield origin + "/", fault_page(site)
        return
    for path, page in RENDERERS[site.platform](Snapshot(site, index, figs)).items():
        yield origin + path, truncate(page) if path in site.broken_paths else page


def request_url(url: str) -> str:
    """Return ``url`` as Scrapy sends it (``|`` becomes ``%7C``): the WARC-Target-URI to match."""
    return safe_url_string(url)


def responses() -> Iterator[tuple[str, str, Page]]:
    """Yield ``(capture date, URL, Page)`` for every record of the archive, in archive order."""
    records = [
        (CAPTURES[index], request_url(url), page)
        for site in SITES
        for index in range(len(CAPTURES))
        for url, page in site_responses(site, index)
    ]
    return iter(sorted(records, key=lambda record: (record[0], record[1])))
