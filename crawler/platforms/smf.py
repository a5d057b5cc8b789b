"""SMF (Simple Machines Forum) 1.x and 2.x.

Platform
    SMF, recognised by the ``smf_scripturl``/``smf_theme_url`` script variables, "Powered by SMF" /
    "Simple Machines", or the semicolon-separated query strings only SMF prints
    (``index.php?action=profile;u=7``, ``index.php?topic=1.msg2``, ``index.php?action=stats``).
    platform_version: "SMF 2.0.15" in the footer, else "2.x" (``smf_default_theme_url``, the
    ``upshrinkHeaderIC`` info center) or "1.x" (the table layout).

    Statistics: the info center sentence "293239 Posts in 62088 Topics by 25798 Members." is
    localised ("… Beiträge in … Themen von … Mitgliedern", "… Mensajes en … Temas por …
    Usuarios"), but its numbers always come in the order posts, topics, members. It is read from
    the text that follows the ``action=stats`` link, up to the first link (the latest member), and
    kept only when posts >= topics. Last activity: "Latest Post: … ( Today at 06:16:11 PM )"
    and the board rows' last posts, resolved against the greeting clock (``#time``/``.time``).

Endpoints
    None yet (``index.php?action=.xml;type=rss`` would give exact post dates).

Caveats
    SMF prints times in the forum's (unknown) zone: they are taken as UTC. "Today" on a page
    without a greeting clock gives no last activity. The online block ("120 Guests, 3 Users (1
    Hidden)", the link to ``action=who``) prints no total: online_now is guests + users (+ spiders),
    read through the SMF language packs (rule ``smf.users_online.sum_of_split``).
"""

from __future__ import annotations

import re

from scrapy.http import Response

from crawler.extraction import Extraction, ExtractionBuilder
from crawler.normalize.numbers import find_counts
from crawler.normalize.packs import number_locale
from crawler.platforms.base import Endpoint, is_html
from crawler.platforms.html import (
    Page,
    board,
    cookie_names,
    date_readings,
    has_marker,
    is_link,
    lower_body,
    newest_local_date,
    page_clock,
    primary,
    put_online,
    text_following,
    text_lines,
    text_of,
)

NAME = "smf"

ORDER = ("posts", "topics", "members")
_MARKERS = (
    b"smf_scripturl",
    b"smf_theme_url",
    b"smf_default_theme_url",
    b"powered by smf",
    b'title="simple machines forum"',
    b"index.php?action=stats",
    b"smf_session_id",
    b"smf_iso_case_folding",
    b"sessionvar=",
    b"/scripts/script.js?fin20",
    b"/scripts/smf_jquery_plugins.js",
    b"smf_avatarmaxwidth",
)
_QUERY_RE = re.compile(rb"index\.php\?(?:action=profile;u=\d|topic=\d+\.msg\d|board=\d+\.0)")
_VERSION_RE = re.compile(r"\bSMF\s+(\d+\.\d+(?:\.\d+)?(?:\s*(?:RC|Beta)\s*\d+)?)")
_SENTENCE_RE = re.compile(r"^\s*\S*\s*(\d[\d.,\s\u00a0\u202f'’]*\d|\d)\s+\S+")


def detect(response: Response) -> bool:
    """SMF script variables, session names, cookie, credits or SMF-only query strings."""
    if any(name.lower().startswith("smfcookie") for name in cookie_names(response)):
        return True
    if not is_html(response):
        return False
    return has_marker(response, *_MARKERS) or bool(_QUERY_RE.search(lower_body(response)))


def endpoints(response: Response) -> list[Endpoint]:
    """No further endpoint yet: everything is read from the page."""
    return []


def extract(response: Response) -> Extraction:
    """Info-center statistics, version, board name and latest post date."""
    builder, pg, locale = board(response, NAME)
    if pg is not None:
        _version(builder, pg, response)
        _statistics(builder, pg, locale)
        _online(builder, pg, locale)
        _name(builder, pg)
        _last_activity(builder, pg, locale)
    return builder.build()


def _version(builder: ExtractionBuilder, pg: Page, response: Response) -> None:
    for node in pg.xpath("//a[contains(@href,'simplemachines')] | //*[contains(@class,'copyright')]")[:10]:
        match = _VERSION_RE.search(text_of(node, limit=300))
        if match:
            builder.version(match.group(1), "smf.credits", match.group(0))
            return
    if has_marker(response, b"smf_default_theme_url", b"upshrinkheaderic", b"title_baric", b"smf_charset"):
        builder.version("2.x", "smf.template_family", "SMF 2 info center")
    elif has_marker(response, b'class="middletext"', b"smf_scripturl", b"action=stats"):
        builder.version("1.x", "smf.template_family", "SMF 1 table layout")


def _statistics(builder: ExtractionBuilder, pg: Page, locale: str | None) -> None:
    for link in pg.xpath("//a[contains(@href,'action=stats')]")[:5]:
        text = text_following(link, stop=is_link, limit=400)
        counts = [c for c in find_counts(text, number_locale(NAME, locale)) if not c.approximate]
        if len(counts) < 3:
            continue
        posts, topics, members = counts[:3]
        if posts.value < topics.value:
            continue
        start = text.find(posts.raw)
        end = text.find(members.raw, start) + len(members.raw)
        tail = text[end:].split(".")[0].split(" ")
        sentence = text[start:end] + (" " + tail[1] if len(tail) > 1 and tail[1] else "")
        for metric, count in zip(ORDER, (posts, topics, members), strict=True):
            builder.metric(metric, count.value, "smf.info_center", sentence)
        return


def _online(builder: ExtractionBuilder, pg: Page, locale: str | None) -> None:
    """The board index's "74 Guests, 6 Users (1 Hidden)" (the link to ``action=who``): their sum.

    SMF prints no total; its users include the hidden ones, so the total is guests + users
    (+ spiders when listed), the split kept in the evidence.
    """
    for link in pg.xpath("//a[contains(@href,'action=who')]")[:5]:
        text = text_of(link, limit=200)
        if text and any(ch.isdigit() for ch in text) and put_online(builder, NAME, text, locale, "smf.users_online"):
            return


def _name(builder: ExtractionBuilder, pg: Page) -> None:
    if pg.meta("og:site_name", "application-name"):
        return
    heading = pg.first("h1.forumtitle, #forum_name, #top_section h1")
    name = text_of(heading) if heading is not None else ""
    if name:
        builder.text("name", name, "smf.forum_title", name)


_LATEST_RE = re.compile(r"\(\s*([^()]{4,60}?)\s*\)\s*$")


def _last_activity(builder: ExtractionBuilder, pg: Page, locale: str | None) -> None:
    values: list[str | tuple[str, ...]] = []
    for link in pg.xpath("//a[contains(@href,'action=recent')]")[:3]:
        previous = text_of(link.getparent(), limit=3000) if link.getparent() is not None else ""
        before = previous.split(text_of(link))[0] if text_of(link) else previous
        match = _LATEST_RE.search(before)
        if match and any(ch.isdigit() for ch in match.group(1)):
            values.append(match.group(1))
            break
    for cell in pg.css("td.lastpost, .lastpost")[:300]:
        lines = text_lines(cell)
        if lines and any(ch.isdigit() for ch in lines[-1]):
            values.append(date_readings(lines[-1]))
    if not values:
        return
    languages = [primary(locale)] if primary(locale) else None
    clock = pg.first("#time")
    if clock is None:
        clock = pg.first("li.time, div.time, span.time")
    base = page_clock(text_of(clock), languages) if clock is not None else None
    newest = newest_local_date(values, base=base, languages=languages)
    if newest:
        builder.date("last_activity_at", newest[0], "smf.latest_post", newest[1])
