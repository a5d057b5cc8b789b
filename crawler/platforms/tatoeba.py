"""Tatoeba, the collaborative corpus of sentences and translations (tatoeba2, CakePHP).

Platform
    Tatoeba's own software (github.com/Tatoeba/tatoeba2), recognised by the link to that repository
    in its footer, or by its OpenSearch link titled "Tatoeba" together with its statistics tables
    (``table.languages-stats``, ``table.usersLanguagesStats``).

    Read by the page's structure, not its words, so every interface language reads the same:

    - homepage (``element/stats/homepage_stats``): the ``<strong>`` figures of the category that
      links to ``stats/sentences_by_language`` are ``sentences`` then ``corpus_languages``; the one of
      the category linking to ``contributions/activity_timeline`` is ``contributions_1d``;
    - ``stats/sentences_by_language``: the total in its heading (``sentences``) and the table of
      languages by sentences, whose ISO 639-3 codes give ``languages`` (the ten largest, BCP 47);
    - ``stats/users_languages`` ("Languages of members"): the languages members declare, largest
      total first, as ``practised_languages``;
    - terms of use: the default sentence licence ("CC-BY 2.0 FR" in every translation), as
      ``licence``; the footer only says "various Creative Commons licenses".

Endpoints
    From the homepage: the statistics page its "Stats per languages" button links to, the "Languages
    of members" page beside it and the terms of use the footer links to.

Caveats
    The total of members is printed only above the member list (``users/all``, "Members (total
    N)"), a page of usernames that Tremplin never fetches: Tatoeba gives no ``members`` figure here.
    The statistics pages are cached by the site and may lag the homepage by hours. Some sentences
    are CC0 and audio has several licences: ``licence`` is the default one for sentences.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit, urlunsplit

from scrapy.http import Response

from crawler.extraction import RANK_API, Extraction, ExtractionBuilder
from crawler.normalize.languages import normalize_tag
from crawler.normalize.licences import licence_from_text
from crawler.normalize.numbers import parse_count
from crawler.outreach.values import put_list
from crawler.platforms.base import Endpoint, is_html
from crawler.platforms.html import Page, board, has_marker, page, text_of

NAME = "tatoeba"

_SOFTWARE = b"github.com/tatoeba/tatoeba2"
_STATS_TABLES = (b'class="languages-stats"', b'class="userslanguagesstats"')
_OPENSEARCH = re.compile(rb'<link[^>]+opensearchdescription[^>]+title="tatoeba"', re.I)
SENTENCES_PAGE = "stats/sentences_by_language"
MEMBERS_LANGUAGES_PAGE = "stats/users_languages"
TOP_LANGUAGES = 10
# The short licence name stays untranslated in every version of the terms of use.
_LICENCE_RE = re.compile(r"\bCC[- ]?(?:BY|0)(?:[- ](?:SA|NC|ND))*(?:[- ]\d\.\d)?(?:[- ][A-Z]{2}\b)?")


def detect(response: Response) -> bool:
    """Tatoeba's footer link to its source, or its OpenSearch title beside its statistics tables."""
    if not is_html(response):
        return False
    if has_marker(response, _SOFTWARE):
        return True
    return has_marker(response, *_STATS_TABLES) and bool(_OPENSEARCH.search(response.body[:20_000]))


def endpoints(response: Response) -> list[Endpoint]:
    """From the homepage: the statistics page, the members' languages page and the terms of use."""
    if not is_html(response):
        return []
    pg = page(response)
    category = _category_linking(pg, SENTENCES_PAGE)
    stats = _link(pg, SENTENCES_PAGE, category) if category is not None else None
    if stats is None:
        return []
    members = stats.replace(SENTENCES_PAGE, MEMBERS_LANGUAGES_PAGE)
    found = [Endpoint(stats, optional=True), Endpoint(members, optional=True)]
    terms = _link(pg, "terms_of_use")
    if terms is not None:
        found.append(Endpoint(terms, optional=True))
    return found


def extract(response: Response) -> Extraction:
    """Homepage counts, the statistics pages' totals and languages, the default sentence licence."""
    builder, pg, locale = board(response, NAME)
    if pg is None:
        return builder.build()
    _name(builder, pg)
    _homepage_stats(builder, pg, locale)
    _sentences_page(builder, pg, locale)
    _members_languages(builder, pg, locale)
    _terms(builder, pg)
    return builder.build()


def _link(pg: Page, path_part: str, within=None) -> str | None:
    """The first link (``<a>`` or ``<md-button>``, not a stylesheet) whose URL contains ``path_part``."""
    query = f".//*[self::a or self::md-button][contains(@href, '{path_part}')]/@href"
    for href in pg.xpath(query, within if within is not None else pg.root)[:5]:
        parts = urlsplit(urljoin(pg.url, href.strip()))
        if parts.scheme in ("http", "https") and parts.netloc == urlsplit(pg.url).netloc:
            return urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))
    return None


def _name(builder: ExtractionBuilder, pg: Page) -> None:
    for title in pg.xpath("//link[contains(@type,'opensearchdescription')]/@title")[:1]:
        builder.text("name", title, "tatoeba.opensearch_title", f'<link rel="search" title="{title}">')


def _strong_counts(category, locale: str | None) -> list[tuple[int, str]]:
    counts = []
    for strong in category.iter("strong"):
        text = text_of(strong, limit=40)
        parsed = parse_count(text, locale)
        if parsed and not parsed.approximate:
            counts.append((parsed.value, text_of(strong.getparent(), limit=120)))
    return counts


def _category_linking(pg: Page, path_part: str):
    found = pg.xpath(f"//div[contains(@class,'category')][.//*[contains(@href,'{path_part}')]]")
    return found[-1] if found else None


def _homepage_stats(builder: ExtractionBuilder, pg: Page, locale: str | None) -> None:
    corpus = _category_linking(pg, SENTENCES_PAGE)
    if corpus is not None:
        counts = _strong_counts(corpus, locale)
        if len(counts) >= 2:
            builder.metric("sentences", counts[0][0], "tatoeba.homepage_stats", counts[0][1])
            builder.metric("corpus_languages", counts[1][0], "tatoeba.homepage_stats", counts[1][1])
    activity = _category_linking(pg, "contributions/activity_timeline")
    if activity is not None:
        counts = _strong_counts(activity, locale)
        if counts:
            builder.metric("contributions_1d", counts[0][0], "tatoeba.homepage_stats", counts[0][1])


def _rows(pg: Page, table_class: str) -> list:
    return pg.xpath(f"//table[contains(concat(' ', normalize-space(@class), ' '), ' {table_class} ')]//tr[td]")


def _sentences_page(builder: ExtractionBuilder, pg: Page, locale: str | None) -> None:
    rows = _rows(pg, "languages-stats")
    if not rows or "sentences" in builder.extraction.metrics:
        return
    table = rows[0].getparent()
    while table is not None and table.tag != "table":
        table = table.getparent()
    heading = table.getprevious() if table is not None else None
    while heading is not None and heading.tag != "h2":
        heading = heading.getprevious()
    if heading is not None:
        text = text_of(heading, limit=80)
        parsed = parse_count(text, locale)
        if parsed and not parsed.approximate:
            builder.metric("sentences", parsed.value, "tatoeba.sentences_by_language", text, rank=RANK_API)
    ranked: list[tuple[int, str]] = []
    for row in rows:
        cells = row.findall("td")
        if len(cells) < 5:
            continue
        tag = normalize_tag(text_of(cells[2], limit=12))
        parsed = parse_count(text_of(cells[4], limit=40), locale)
        if tag and parsed:
            ranked.append((parsed.value, tag))
    ranked.sort(key=lambda pair: -pair[0])
    tags = [tag for _, tag in ranked[:TOP_LANGUAGES]]
    snippet = ", ".join(f"{tag} {count:,}" for count, tag in ranked[:3])
    builder.languages(tags, "tatoeba.sentences_by_language", f"sentences per language: {snippet}")


def _members_languages(builder: ExtractionBuilder, pg: Page, locale: str | None) -> None:
    ranked: list[tuple[int, str]] = []
    for row in _rows(pg, "usersLanguagesStats"):
        cells = row.findall("td")
        links = row.xpath(".//a[contains(@href,'/for_language/')]/@href")
        if len(cells) < 3 or not links:
            continue
        tag = normalize_tag(links[0].rstrip("/").rsplit("/", 1)[-1])
        parsed = parse_count(text_of(cells[-1], limit=40), locale)
        if tag and parsed:
            ranked.append((parsed.value, tag))
    if not ranked:
        return
    ranked.sort(key=lambda pair: -pair[0])
    snippet = ", ".join(f"{tag} {count:,}" for count, tag in ranked[:3])
    tags = [tag for _, tag in ranked[:TOP_LANGUAGES]]
    snippet = f"members per declared language: {snippet}"
    put_list(builder, "practised_languages", tags, "tatoeba.users_languages", snippet)


def _terms(builder: ExtractionBuilder, pg: Page) -> None:
    terms = pg.xpath("//*[@id='terms-of-use']")
    if not terms:
        return
    for paragraph in terms[0].iter("p"):
        text = text_of(paragraph, limit=600)
        match = _LICENCE_RE.search(text)
        licence = licence_from_text(match.group(0)) if match else None
        if licence is not None:
            builder.licence(licence.spdx, _ported_url(licence.url, match.group(0)), "tatoeba.terms_default_licence",
                            match.group(0))  # fmt: skip
            return


def _ported_url(url: str | None, short_name: str) -> str | None:
    """The deed of a ported licence ("CC-BY 2.0 FR" is .../by/2.0/fr/); SPDX ids have no port."""
    port = re.search(r"[- ]([A-Z]{2})$", short_name)
    if url and port and url.endswith("/"):
        return f"{url}{port.group(1).lower()}/"
    return url
