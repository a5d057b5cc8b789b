"""The portal page of a Wikimedia project (www.wikipedia.org, www.wiktionary.org, ...): its editions.

Platform
    The portal template every Wikimedia project shares (``nav.central-featured`` with its ten
    ``central-featured-lang`` boxes, then the ``langlist`` lists under "1,000,000+ articles"
    headings). Read by structure, in any interface language:

    - ``communities``: the language editions the page links to (distinct hosts of the featured
      boxes and the lists), each a wiki with its own editors;
    - ``languages``: the featured editions' ``lang`` attributes, in the portal's order (most
      viewed first), as BCP 47;
    - ``name``: the wordmark of ``.central-textlogo`` ("Wikipedia");
    - the featured editions' article counts ("6,918,000+ articles", "2.964.000+ Artikel") are
      approximate, so they are quoted in the evidence of ``communities``, not stored as figures.

Endpoints
    None: every edition is a MediaWiki site of its own, whose exact statistics the ``mediawiki``
    adapter reads when the crawl visits it.

Caveats
    The lists below the featured ten stop at editions of 100+ articles; smaller editions are only
    on the full list the page links to, so ``communities`` counts the editions the page itself
    lists. The licence is the page's own (``<link rel="license">``, read by the page signals).
"""

from __future__ import annotations

from urllib.parse import urljoin, urlsplit

from scrapy.http import Response

from crawler.extraction import Extraction, ExtractionBuilder
from crawler.normalize.languages import normalize_tag
from crawler.normalize.numbers import parse_count
from crawler.platforms.base import Endpoint, is_html
from crawler.platforms.html import Page, board, has_marker, text_of

NAME = "wikimedia_portal"

_MARKERS = (b"central-featured-lang",)
_FEATURED = "//*[contains(concat(' ', normalize-space(@class), ' '), ' central-featured-lang ')]"
_LISTED = "//*[contains(concat(' ', normalize-space(@class), ' '), ' langlist ')]//a[@href]"


def detect(response: Response) -> bool:
    """The portal template's featured-language boxes inside its ``central-featured`` block."""
    return is_html(response) and has_marker(response, *_MARKERS) and has_marker(response, b'central-featured"')


def endpoints(response: Response) -> list[Endpoint]:
    """None: each edition is visited as a site of its own."""
    return []


def extract(response: Response) -> Extraction:
    """The project's name, its editions and the languages of its most viewed editions."""
    builder, pg, locale = board(response, NAME)
    if pg is None:
        return builder.build()
    _name(builder, pg)
    featured = _featured(pg, locale)
    hosts: list[str] = []
    for href in [link for _, _, link, _ in featured] + pg.xpath(f"{_LISTED}/@href"):
        host = urlsplit(urljoin(pg.url, href.strip())).hostname
        if host and host not in hosts and host != urlsplit(pg.url).hostname:
            hosts.append(host)
    if hosts:
        quoted = "; ".join(f"{_host(link, pg)} {raw}" for _, _, link, raw in featured[:3])
        snippet = f"{len(hosts)} editions listed" + (f"; featured: {quoted}" if quoted else "")
        builder.metric("communities", len(hosts), "wikimedia_portal.editions", snippet)
    tags = [tag for _, tag, _, _ in featured if tag]
    if tags:
        builder.languages(tags, "wikimedia_portal.featured_editions", f"featured editions: {' '.join(tags[:10])}")
    return builder.build()


def _host(href: str, pg: Page) -> str:
    return urlsplit(urljoin(pg.url, href)).hostname or href


def _featured(pg: Page, locale: str | None) -> list[tuple[int | None, str | None, str, str]]:
    """(articles, language, link, article text) of each featured box, in page order."""
    boxes = []
    for box in pg.xpath(_FEATURED)[:20]:
        links = box.xpath(".//a[@href]")
        if not links:
            continue
        small = links[0].find(".//small")
        raw = text_of(small, limit=60) if small is not None else ""
        parsed = parse_count(raw, box.get("lang") or locale) if raw else None
        tag = normalize_tag(box.get("lang") or "")
        boxes.append((parsed.value if parsed else None, tag, links[0].get("href"), raw))
    return boxes


def _name(builder: ExtractionBuilder, pg: Page) -> None:
    logo = pg.first(".central-textlogo .central-textlogo__image")
    name = text_of(logo, limit=80) if logo is not None else ""
    if name:
        builder.text("name", name, "wikimedia_portal.wordmark", name)
