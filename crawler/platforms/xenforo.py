"""XenForo 1.x and 2.x forums.

Platform
    XenForo 2 (``<html id="XF" data-app="public">``, ``/js/xf/``) and XenForo 1
    (``<html id="XenForo">``, ``js/xenforo/xenforo.js``); platform_version is "2.x" or "1.x".

    Statistics come from language-independent class names, never from the localised labels:
    XF2 widget ``forum_statistics``: ``dl.count--threads`` -> topics, ``dl.count--messages`` -> posts,
    ``dl.count--users`` -> members; XF1 ``#boardStats`` and the WidgetFramework
    ``WidgetRenderer_Stats`` widget: ``dl.discussionCount`` -> topics, ``dl.messageCount`` -> posts,
    ``dl.memberCount`` -> members. ``dl.mostCount`` ("User Record") is a record, not online_now.
    The first block wins (the sidebar repeats the same widget). Online now: the XF2
    ``online_statistics`` widget's third pair ("Total visitors"), else the first number of the
    ``members_online`` widget footer (XF1: the "Members Online Now" footnote),
    "Total: 313 (members: 12, guests: 301)".
    Last activity: the newest ``<time datetime>`` (XF2) or ``data-time`` unix stamp (XF1
    ``abbr.DateTime``).

Endpoints
    None yet (``/forums/-/index.rss`` would give exact thread dates).

Caveats
    Thread pages print each poster's message count in ``dl.pairs`` ("Beiträge 2.206"): those are
    member data, never read. Node rows (``pairs--inline``) are per-forum counts, not totals.
    Numbers follow the language pack's separators ("2.206" on a de-DE board, "12 345" on a
    Russian one); they are read in XenForo's number format (:func:`crawler.normalize.packs.number_locale`),
    so a German board behind ``lang="en"`` still gives 2206.
"""

from __future__ import annotations

import re

from scrapy.http import Response

from crawler.extraction import Extraction, ExtractionBuilder
from crawler.normalize.labels import metric_for_label
from crawler.normalize.numbers import find_counts, parse_count
from crawler.normalize.packs import number_locale
from crawler.platforms.base import Endpoint, is_html
from crawler.platforms.html import Page, board, cookie_names, dl_pairs, has_marker, is_link, newest_date, text_of

NAME = "xenforo"

XF2_CLASSES = (("count--threads", "topics"), ("count--messages", "posts"), ("count--users", "members"))
XF1_CLASSES = (("discussionCount", "topics"), ("messageCount", "posts"), ("memberCount", "members"))
_MARKERS = (
    b'<html id="xf"',
    b'<html id="xenforo"',
    b"/js/xf/",
    b"js/xenforo/xenforo.js",
    b'data-cookie-prefix="xf_"',
    b'id="boardstats"',
    b"widgetrenderer_stats",
    b'class="discussioncount"',
    b"count--users",
    # Security token, scripts and init attributes that survive any style:
    b'name="_xftoken"',
    b"xenforo.init",
    b"js/xenforo/",
    b"css.php?css=xenforo",
    b"data-xf-init=",
    b"xf.ready",
    b"<!-- xenforo",
)


def detect(response: Response) -> bool:
    """XenForo html ids, script paths, security token, cookie prefix or statistics classes."""
    cookies = [name.lower() for name in cookie_names(response)]
    if any(name.startswith("xf_") and name.endswith(("session", "csrf")) for name in cookies):
        return True
    return is_html(response) and has_marker(response, *_MARKERS)


def endpoints(response: Response) -> list[Endpoint]:
    """No further endpoint yet: everything is read from the page."""
    return []


def _has_class(name: str) -> str:
    return f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')"


def extract(response: Response) -> Extraction:
    """Forum statistics, online visitors, version family and newest date."""
    builder, pg, locale = board(response, NAME)
    if pg is not None:
        html_id = (pg.root.get("id") or "") if pg.root is not None else ""
        if html_id == "XF" or has_marker(response, b"/js/xf/"):
            builder.version("2.x", "xenforo.html_id", '<html id="XF">')
        elif html_id == "XenForo" or has_marker(response, b"js/xenforo/", b"discussioncount"):
            builder.version("1.x", "xenforo.html_id", '<html id="XenForo">')
        for classes, rule in ((XF2_CLASSES, "xenforo.count_class"), (XF1_CLASSES, "xenforo.stats_class")):
            for css_class, metric in classes:
                _pair(builder, pg, css_class, metric, rule, locale)
        _labelled_rows(builder, pg, locale)
        _online(builder, pg, locale)
        _last_activity(builder, pg)
    return builder.build()


def _pair(builder: ExtractionBuilder, pg: Page, css_class: str, metric: str, rule: str, locale: str | None) -> None:
    for dl in pg.xpath(f"//dl[{_has_class(css_class)}]")[:3]:
        dd = pg.xpath("./dd", dl)
        if not dd:
            continue
        raw = text_of(dd[0])
        parsed = parse_count(raw, number_locale(NAME, locale))
        if parsed is None or parsed.approximate:
            continue
        label = " ".join(text_of(dt) for dt in pg.xpath("./dt", dl))
        builder.metric(metric, parsed.value, f"{rule}.{css_class}", f"<dt>{label}</dt> <dd>{raw}</dd>")
        return


_STATS_BLOCKS = (
    "//*[@id='boardStats']",
    f"//*[{_has_class('WidgetFramework_WidgetRenderer_Stats')}]",
    "//*[@data-widget-definition='forum_statistics' or contains(@data-widget-key,'forum_statistics')]",
)


def _labelled_rows(builder: ExtractionBuilder, pg: Page, locale: str | None) -> None:
    """Every row of the statistics widgets, by its label, for the rows without a known class.

    Widget add-ons and styles drop or rename the row classes (a WidgetFramework widget with one
    ``memberCount`` row and two plain ones): the label then names the metric.
    """
    for query in _STATS_BLOCKS:
        for block in pg.xpath(query)[:2]:
            for label, dd in dl_pairs(pg, block):
                metric = metric_for_label(label, locale)
                if metric not in ("members", "posts", "topics") or metric in builder.extraction.metrics:
                    continue
                raw = text_of(dd)
                parsed = parse_count(raw, number_locale(NAME, locale))
                if parsed is not None and not parsed.approximate:
                    builder.metric(metric, parsed.value, "xenforo.stats_label", f"<dt>{label}</dt> <dd>{raw}</dd>")


def _online(builder: ExtractionBuilder, pg: Page, locale: str | None) -> None:
    widgets = pg.xpath(
        "//*[@data-widget-definition='online_statistics' or contains(@data-widget-key,'online_statistics')]"
    )
    if widgets:
        # Members online, guests online, total visitors: the third pair is the total.
        pairs = pg.xpath(".//dl", widgets[0])[2:3]
        for dl in pairs:
            dd = pg.xpath("./dd", dl)
            raw = text_of(dd[0]) if dd else ""
            parsed = parse_count(raw, number_locale(NAME, locale))
            if parsed is not None and not parsed.approximate:
                label = " ".join(text_of(dt) for dt in pg.xpath("./dt", dl))
                snippet = f"<dt>{label}</dt> <dd>{raw}</dd>"
                builder.metric("online_now", parsed.value, "xenforo.online_statistics", snippet)
                return
    # XF2 members_online widget footer and XF1 "Members Online Now" footnote:
    # "Total: 313 (members: 12, guests: 301)" -- the total comes first in every language pack.
    footers = pg.xpath(
        "//*[@data-widget-definition='members_online' or contains(@data-widget-key,'members_online')]"
        "//*[contains(@class,'block-footer')]"
        f" | //*[{_has_class('membersOnline')}]//*[{_has_class('footnote')}]"
    )
    for footer in footers[:2]:
        text = text_of(footer, stop=is_link, limit=300)
        counts = [c for c in find_counts(text, number_locale(NAME, locale)) if not c.approximate]
        if len(counts) >= 3 and counts[0].value >= max(c.value for c in counts[1:]):
            snippet = text
            builder.metric("online_now", counts[0].value, "xenforo.members_online_total", snippet)
            return


_UNIX_RE = re.compile(r"^\d{9,11}$")


def _last_activity(builder: ExtractionBuilder, pg: Page) -> None:
    stamps = [int(v) for v in pg.xpath("//*[@data-time]/@data-time")[:2000] if _UNIX_RE.match(v.strip())]
    newest = newest_date(pg.xpath("//time/@datetime")[:2000] + stamps)
    if newest:
        source = f'data-time="{newest[1]}"' if newest[1].isdigit() else f'<time datetime="{newest[1]}">'
        builder.date("last_activity_at", newest[0], "xenforo.data_time", source)
