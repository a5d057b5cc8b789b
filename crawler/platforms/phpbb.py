"""phpBB 3.x boards.

Platform
    phpBB 3.0-3.3 (prosilver, subsilver2 and the styles derived from them). Recognised by
    ``<body id="phpbb">``, the footer "Powered by phpBB", the ``stat-block`` classes, a
    ``phpbb3_*_sid`` cookie, and on boards that dropped the credit by the meta copyright
    ("2000, 2002, 2005, 2007 phpBB Group"), the template comment asking to retain it, or the script
    names only phpBB combines (``ucp.php?mode=register`` with ``viewforum.php?f=``,
    ``ucp.php?mode=login`` with ``memberlist.php?mode=viewprofile``).

    Statistics (board index): ``.stat-block.statistics`` prints
    ``Total posts <strong>43722</strong> &bull; Total topics <strong>9303</strong> &bull; Total members
    <strong>11337</strong> &bull; Our newest member <strong><a>…</a></strong>``. The numbers are read by
    structure, the ``<strong>`` order being posts, topics, members; the labels (before the number,
    or after it in the packs that print the number first: French ``<strong>9303</strong> sujets``)
    are a cross-check and win only when all of them are recognised (a style that reorders them).
    Reading stops at the first ``<strong>`` holding a link: the newest member is never read.
    subsilver2 (3.0) prints the same line in a ``<p class="genmed">``; there two of the labels must
    confirm it.

    Online now: the ``.stat-block.online-list`` line read through the phpBB language packs
    (:mod:`crawler.normalize.packs`, 30 packs of 3.0 and 3.1+): "In total there are
    <strong>453</strong> users online :: 12 registered, 0 hidden and 441 guests", in any pack
    language, the member/guest split in the evidence; else its first ``<strong>`` before the first
    ``<br>``. Without the online-list class (subsilver2, custom styles) a whole pack phrase must match
    a paragraph: "Сейчас посетителей на конференции: 17, из них зарегистрированных: 3, скрытых: 0 и
    гостей: 14". "Most users ever online" is a record, not a metric, and a block with a single
    number (which could be the record) is skipped.

    Name: ``#site-description h1``, unless the page has ``og:site_name``; else the page's
    ``<title>`` less its page suffix (generic signals). A feed title is never a name. Last
    activity: the newest ``dd.lastpost`` date (index and forum lists) or post date (``p.author``,
    topic pages), text dates in the board zone printed in the footer ("All times are UTC+05:30"),
    "Today"/"Yesterday" resolved against "It is currently …".

Endpoints
    None yet (the Atom feed ``/app.php/feed`` would give exact last-post times).

Caveats
    Topic pages carry no board statistics, and their "Users browsing this forum" line is not the
    board's online count: both give no metric. The printed UTC offset is the current one, so dates
    from the other side of a daylight-saving change are off by an hour. Labels are localised
    (French "Messages", German "Beiträge insgesamt", ...); extensions may reformat the numbers.
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from scrapy.http import Response

from crawler.extraction import Extraction, ExtractionBuilder
from crawler.normalize.labels import metric_for_label
from crawler.normalize.numbers import parse_count
from crawler.normalize.packs import dst_markers, fold, number_locale
from crawler.platforms.base import Endpoint, is_html
from crawler.platforms.html import (
    Page,
    board,
    clean_label,
    cookie_names,
    has_marker,
    is_link,
    newest_local_date,
    page_clock,
    primary,
    put_online,
    text_lines,
    text_of,
    utc_offset,
)

NAME = "phpbb"

STRUCTURE = ("posts", "topics", "members")
_MARKERS = (
    b'<body id="phpbb"',
    b"<body id='phpbb'",
    b'phpbb.com/">phpbb</a>',
    b'phpbb.com/">phpbb',
    b'class="stat-block statistics"',
    b"phpbb style name",
    b"powered by phpbb",
    # A board that drops the credit keeps its meta copyright and the template comment asking to
    # retain it ("… including the link to www.phpbb.com"):
    b"2007 phpbb group",
    b'phpbb limited" />',
    b"the full copyright notice below including the link to www.phpbb.com",
)
# Script names only phpBB combines: a page carrying both pairs of one line is a board.
_PATH_PAIRS = (
    (b"ucp.php?mode=register", b"viewforum.php?f="),
    (b"ucp.php?mode=login", b"memberlist.php?mode=viewprofile"),
    (b"./style.php?id=", b"ucp.php?mode="),
)


def detect(response: Response) -> bool:
    """phpBB body id, credit, meta copyright, template comment, script paths or session cookie."""
    if any(name.startswith("phpbb") and name.endswith(("_sid", "_u", "_k")) for name in cookie_names(response)):
        return True
    if not is_html(response):
        return False
    return has_marker(response, *_MARKERS) or any(
        has_marker(response, first) and has_marker(response, second) for first, second in _PATH_PAIRS
    )


def endpoints(response: Response) -> list[Endpoint]:
    """No further endpoint yet: everything is read from the page."""
    return []


def extract(response: Response) -> Extraction:
    """Board statistics, online count, board name, version family and newest post date."""
    builder, pg, locale = board(response, NAME)
    if pg is not None:
        if pg.xpath("//body[@id='phpbb']"):
            builder.version("3.x", "phpbb.body_id", '<body id="phpbb">')
        elif "2007 phpbb group" in (pg.meta("copyright") or "").lower():
            # phpBB 3.0's meta copyright; 3.1 and later print "phpBB Limited".
            builder.version("3.0", "phpbb.meta_copyright", f'<meta name="copyright" content="{pg.meta("copyright")}">')
        _statistics(builder, pg, locale)
        _online(builder, pg, locale)
        _name(builder, pg)
        _last_activity(builder, pg, locale)
    return builder.build()


def _counted_strongs(pg: Page, paragraph: Any, locale: str | None) -> list[tuple[str, str, int, str]]:
    """``(label, raw, value, after)`` of each numeric ``<strong>``/``<b>`` of a paragraph, up to the newest member.

    ``after`` is the words right after the number, the label of packs that print the number first
    (French ``<strong>43722</strong> messages``).
    """
    entries: list[tuple[str, str, int, str]] = []
    label = paragraph.text or ""
    for child in paragraph:
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag in ("strong", "b"):
            if pg.xpath(".//a", child):
                break
            raw = text_of(child)
            parsed = parse_count(raw, number_locale(NAME, locale))
            if parsed is not None and not parsed.approximate and raw.strip() == parsed.raw:
                after = re.split(r"[•·|;,]|&bull;", child.tail or "")[0]
                entries.append((clean_label(label), raw, parsed.value, " ".join(after.split())))
            label = child.tail or ""
        elif tag:
            label += text_of(child) + (child.tail or "")
    return entries


def _statistics(builder: ExtractionBuilder, pg: Page, locale: str | None) -> None:
    blocks = pg.xpath(
        "//*[contains(concat(' ', normalize-space(@class), ' '), ' stat-block ')"
        " and contains(concat(' ', normalize-space(@class), ' '), ' statistics ')]"
    )
    paragraphs = (pg.xpath(".//p", blocks[0]) or [blocks[0]]) if blocks else []
    # subsilver2 (phpBB 3.0) prints the same line in a <p class="genmed"> without the stat-block:
    # there the labels must confirm it.
    fallback = [] if blocks else pg.xpath("//p[contains(@class,'genmed')][count(b | strong) >= 3]")[:20]
    for paragraph in paragraphs + fallback:
        entries = _counted_strongs(pg, paragraph, locale)
        if not entries:
            continue
        metrics = [_entry_metric(label, after, locale) for label, _, _, after in entries]
        by_label = len(entries) >= 3 and set(metrics[:3]) == set(STRUCTURE)
        if paragraph in fallback and len(set(metrics[:3]) & set(STRUCTURE)) < 2:
            continue
        for index, (label, raw, value, after) in enumerate(entries[:3]):
            metric = metrics[index] if by_label else STRUCTURE[index]
            builder.metric(metric, value, "phpbb.stats_block", f"{label} <strong>{raw}</strong> {after}".strip())
        return


def _entry_metric(label: str, after: str, locale: str | None) -> str | None:
    """The metric of one statistics entry: its label before the number, else the words after it."""
    metric = metric_for_label(label, locale) if label else None
    if metric is None and after:
        metric = metric_for_label(after, locale) or metric_for_label(after.split(" ")[0], locale)
    return metric


def _online(builder: ExtractionBuilder, pg: Page, locale: str | None) -> None:
    blocks = pg.xpath(
        "//*[contains(concat(' ', normalize-space(@class), ' '), ' stat-block ')"
        " and contains(concat(' ', normalize-space(@class), ' '), ' online-list ')]//p"
    )
    if blocks:
        # The whole line through the pack phrases (total and its split), in any pack language.
        if put_online(builder, NAME, text_of(blocks[0], stop=is_link, limit=600), locale, "phpbb.online_list"):
            return
        _online_by_structure(builder, pg, blocks[0], locale)
        return
    # subsilver2 and custom styles: no online-list class, so a whole pack phrase must match.
    query = "//*[self::p or self::span or self::td or self::div][b or strong][not(.//td)][not(.//div)]"
    for node in pg.xpath(query)[-60:]:
        # The online block sits near the end of the page: the last candidates are tried.
        text = text_of(node, stop=is_link, limit=600)
        if text and put_online(builder, NAME, text, locale, "phpbb.online_phrase", labels=False):
            return


def _online_by_structure(builder: ExtractionBuilder, pg: Page, paragraph: Any, locale: str | None) -> None:
    """The first ``<strong>`` before the first ``<br>`` of the online-list, when no phrase matched."""
    # The total line always comes with the record line ("Most users ever online was <strong>…"): a
    # lone number could be the record, which is not online_now.
    if len(pg.xpath("./strong | ./b", paragraph)) < 2:
        return
    before = paragraph.text or ""
    for child in paragraph:
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag == "br":
            return
        if tag in ("strong", "b"):
            raw = text_of(child)
            parsed = parse_count(raw, number_locale(NAME, locale))
            if parsed is None or parsed.approximate or pg.xpath(".//a", child):
                return
            after = (child.tail or "").split("::")[0].split("(")[0].split(":")[0]
            snippet = f"{' '.join(before.split())} <strong>{raw}</strong> {' '.join(after.split())}"
            builder.metric("online_now", parsed.value, "phpbb.online_list", snippet)
            return
        if tag:
            before += text_of(child) + (child.tail or "")


def _name(builder: ExtractionBuilder, pg: Page) -> None:
    if pg.meta("og:site_name"):
        return
    heading = pg.first("#site-description h1")
    name = text_of(heading) if heading is not None else ""
    # No heading: the page's og:site_name or <title> (generic signals) names the board; its feed
    # titles name a forum or the news, never reliably the board.
    if name:
        builder.text("name", name, "phpbb.site_description_h1", name)


def _last_activity(builder: ExtractionBuilder, pg: Page, locale: str | None) -> None:
    values = _last_texts(pg, pg.css("dd.lastpost"))
    rule = "phpbb.lastpost"
    if not values:
        # subsilver2 and its derivatives: the last-post cell's first line is the date.
        cells = pg.xpath("//td[@nowrap]/p[contains(@class,'topicdetails')][1]")
        values = [text for text in (text_of(cell) for cell in cells[:300]) if any(ch.isdigit() for ch in text)]
        rule = "phpbb.lastpost_subsilver"
    if not values:
        values = _last_texts(pg, pg.css("p.author"))
        rule = "phpbb.post_author_date"
    if not values:
        return
    languages = [primary(locale)] if primary(locale) else None
    # prosilver prints the clock in p.time and the zone in the footer; subsilver2 styles in the
    # breadcrumb box ("Текущее время: 21 мар 2018, 00:07<br />Часовой пояс: UTC + 3 часа").
    clock = pg.first("p.time")
    if clock is None:
        clock = pg.first("div.bc-links-left, p.datetime")
    clock_lines = text_lines(clock) if clock is not None else []
    base = page_clock(clock_lines[0], languages) if clock_lines else None
    zone = None
    for text in (
        [text_of(node) for node in pg.xpath("//*[@id='page-footer']//li")]
        + clock_lines
        + [text_of(node) for node in pg.xpath("//p[contains(@class,'datetime')]")[:1]]
    ):
        zone = utc_offset(text)
        if zone is not None:
            # phpBB 3.0 adds an hour to the printed zone when the board's DST switch is on:
            # "UTC + 1 hora [ DST ]" is UTC+2; the packs name the switch ("[ Sommerzeit ]").
            if any(f" {marker} " in f" {fold(text)} " for marker in dst_markers()):
                zone += timedelta(hours=1)
            break
    newest = newest_local_date(values, base=base, offset=zone, languages=languages)
    if newest:
        builder.date("last_activity_at", newest[0], rule, newest[1])


def _last_texts(pg: Page, nodes: list[Any]) -> list[str]:
    """The last text of each node: the date that ends a ``dd.lastpost`` or ``p.author``."""
    out = []
    for node in nodes[:300]:
        texts = [t.strip() for t in pg.xpath(".//text()[normalize-space()]", node)]
        texts = [t for t in texts if t and t not in ("»", "&raquo;")]
        if texts and any(ch.isdigit() for ch in texts[-1]):
            out.append(texts[-1])
    return out
