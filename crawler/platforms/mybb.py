"""MyBB 1.6 and 1.8 boards.

Platform
    MyBB, recognised by ``my_post_key``/``MyBBEditor`` script variables, "Powered By MyBB", the
    ``<!-- start: index_… -->`` template comments or the ``boardstats`` block. platform_version from
    ``jscripts/general.js?ver=1810`` -> "1.8.10".

    Statistics: the index ``boardstats`` block prints, line by line (``<br />``),
    "Our members have made a total of 145,397 posts in 24,720 threads." /
    "We currently have 100,715 members registered." / [newest member] /
    "The most users online at one time was 525 on …". Lines are read by structure — a line with
    two counts (posts, then threads) followed by a line with one count (members) — and the words
    after each number cross-check the order through the shared label table. The newest-member
    line is skipped and the record line is not online_now. Online now: the first number of the
    line under the "Who's Online" header (the cell linking to ``online.php``):
    "120 users active in the past 15 minutes (0 members, 0 of whom are invisible, and 117 guests)",
    read through the MyBB language packs (the split goes into the evidence), else its first number.

Endpoints
    None yet (``syndication.php`` would give exact thread dates).

Caveats
    The interface language is not the content language (cs-joke.pl: English UI, Polish forum):
    languages come from the text as well. Last activity: the forum rows' last-post times, relative
    ones ("1 hour ago", "Today, 09:14 AM") resolved against the footer's "Current time"; without
    that clock a relative time gives no value. Times are in the board zone, taken as UTC. NodeBB
    prints similar sentences; its detection runs first.
"""

from __future__ import annotations

import re
from typing import Any

from scrapy.http import Response

from crawler.extraction import Extraction, ExtractionBuilder
from crawler.normalize.numbers import ParsedCount
from crawler.platforms.base import Endpoint, is_html
from crawler.platforms.html import (
    Page,
    board,
    cookie_names,
    has_marker,
    is_link,
    labelled_counts,
    newest_local_date,
    page_clock,
    primary,
    put_online,
    text_lines,
    text_of,
)

NAME = "mybb"

_MARKERS = (
    b"my_post_key",
    b"mybbeditor",
    b'powered by <a href="https://mybb.com',
    b'powered by <a href="http://www.mybb.com',
    b'mybb.com" target="_blank" rel="noopener">mybb',
    b"<!-- start: index_",
    b'id="boardstats_e"',
    b"misc.php?action=markread",
    b"jscripts/general.js?ver=",
    b"var cookieprefix",
    b"mybb.init",
    b"<!-- end: index_",
    b"<!-- start: header",
)
_VERSION_RE = re.compile(r"jscripts/general\.js\?ver=(\d)(\d)(\d{1,2})\b")


def detect(response: Response) -> bool:
    """MyBB script variables, cookies, credits, template comments or the boardstats block."""
    if any(name.lower() in ("mybbuser", "mybb[lastvisit]", "mybb[lastactive]") for name in cookie_names(response)):
        return True
    return is_html(response) and has_marker(response, *_MARKERS)


def endpoints(response: Response) -> list[Endpoint]:
    """No further endpoint yet: everything is read from the page."""
    return []


def extract(response: Response) -> Extraction:
    """Board statistics, users online and version."""
    builder, pg, locale = board(response, NAME)
    if pg is not None:
        match = _VERSION_RE.search(pg.text[:300_000])
        if match:
            version = f"{match.group(1)}.{match.group(2)}.{int(match.group(3))}"
            builder.version(version, "mybb.general_js_ver", match.group(0))
        _statistics(builder, pg, locale)
        _online(builder, pg, locale)
        _last_activity(builder, pg, locale)
    return builder.build()


def _counted_lines(node: Any, locale: str | None) -> list[tuple[str, list[Any]]]:
    lines = []
    for line in text_lines(node, stop=is_link, limit=3000):
        counts = [item for item in labelled_counts(line, locale, engine=NAME) if not item.count.approximate]
        lines.append((line, counts))
    return lines


def _statistics(builder: ExtractionBuilder, pg: Page, locale: str | None) -> None:
    blocks = pg.xpath("//*[@id='boardstats_e']//span[contains(@class,'smalltext')]")
    blocks += pg.xpath("//td[contains(@class,'trow')]//span[contains(@class,'smalltext')]")[:200]
    seen: set[int] = set()
    for block in blocks:
        if id(block) in seen:
            continue
        seen.add(id(block))
        lines = _counted_lines(block, locale)
        for index in range(len(lines) - 1):
            (first, first_counts), (second, second_counts) = lines[index], lines[index + 1]
            if len(first_counts) != 2 or len(second_counts) != 1:
                continue
            posts, topics = first_counts
            if posts.metric == "topics" and topics.metric == "posts":
                posts, topics = topics, posts
            if posts.count.value < topics.count.value:
                continue
            builder.metric("posts", posts.count.value, "mybb.boardstats", first)
            builder.metric("topics", topics.count.value, "mybb.boardstats", first)
            builder.metric("members", second_counts[0].count.value, "mybb.boardstats", second)
            return


def _online(builder: ExtractionBuilder, pg: Page, locale: str | None) -> None:
    headers = pg.xpath("//td[contains(@class,'tcat') or contains(@class,'thead')][.//a[contains(@href,'online.php')]]")
    for header in headers[:3]:
        rows = pg.xpath("ancestor::tr[1]/following-sibling::tr[1]", header)
        if not rows:
            continue
        lines = _counted_lines(rows[0], locale)
        # The whole line through the MyBB packs: the total, its members and guests.
        if lines and put_online(builder, NAME, lines[0][0], locale, "mybb.whos_online"):
            return
        if lines and lines[0][1]:
            first: ParsedCount = lines[0][1][0].count
            snippet = lines[0][0].split("(")[0].strip()
            builder.metric("online_now", first.value, "mybb.whos_online", snippet)
            return


def _last_activity(builder: ExtractionBuilder, pg: Page, locale: str | None) -> None:
    values: list[str | tuple[str, ...]] = []
    for cell in pg.xpath("//span[contains(@class,'smalltext')][.//a[contains(@href,'lastpost')]]")[:200]:
        lines = text_lines(cell)
        if len(lines) >= 2 and any(ch.isdigit() for ch in lines[1]):
            values.append(lines[1])
    if not values:
        return
    languages = [primary(locale)] if primary(locale) else None
    clock = pg.first("#current_time")
    base = page_clock(text_of(clock), languages) if clock is not None else None
    newest = newest_local_date(values, base=base, languages=languages)
    if newest:
        builder.date("last_activity_at", newest[0], "mybb.lastpost", newest[1])
