"""vBulletin 3, 4 and 5 forums (with the vBadvanced CMPS portal of vB3).

Platform
    vBulletin, recognised by ``<html id="vbulletin_html">``, ``vb_meta_bburl``,
    ``clientscript/vbulletin-core.js``, ``var SIMPLEVERSION``, the ``wgo_stats``/``collapseobj_``
    blocks, session-hash member links (``member.php?u=1&s=<32 hex>``), the generator meta or the
    ``bb_sessionhash`` cookie. platform_version: the generator meta or ``SIMPLEVERSION`` ("422" ->
    "4.2.2"), else "3.x"/"4.x"/"5.x" from the template family.

    Statistics: vB4 ``#wgo_stats`` -> the first ``<dl>`` (the second one is blog statistics), its
    ``<dt>`` labels mapped through the shared label table; when the labels are not all known the
    vB4 order (threads, posts, members) is used. "Active Members" has no time window on the page
    and is not a metric. vB3 forumhome ``collapseobj_forumhome_stats`` ("Threads: 1,234, Posts: …")
    and vBadvanced modules (``Members: 77,767<br />Threads: 39,427<br />Posts: 171,077`` — another
    order) are read label by label. Reading stops at the first link, so "Top Poster" and "Welcome
    to our newest member" names are never read. Online now: the number after the
    "Currently Active Users" link (``online.php``).

    Name (only without ``og:site_name``): the header logo's ``alt`` ("Quilting Board - Powered by
    vBulletin" -> "Quilting Board"), else the "<board> Statistics" heading of ``#wgo_stats``.

Endpoints
    None yet.

Caveats
    vB showthread titles carry no board name (hence the logo). Pages are often ISO-8859-1: the
    response encoding is trusted. Last-post times are text in the board zone without a printed
    clock or offset, so no last activity is reported. vB5 statistics templates are not sampled.
"""

from __future__ import annotations

import re
from typing import Any

from scrapy.http import Response

from crawler.extraction import Extraction, ExtractionBuilder
from crawler.normalize.labels import active_members_label, metric_for_label
from crawler.normalize.numbers import parse_count
from crawler.normalize.packs import number_locale
from crawler.platforms.base import Endpoint, is_html
from crawler.platforms.html import (
    Page,
    board,
    cookie_names,
    dl_pairs,
    has_marker,
    is_link,
    is_site_root,
    labelled_counts,
    lower_body,
    put_online,
    text_following,
    text_of,
)

NAME = "vbulletin"

VB4_ORDER = ("topics", "posts", "members")
STAT_METRICS = frozenset({"members", "posts", "topics", "active_users_30d"})
_MARKERS = (
    b'id="vbulletin_html"',
    b"vb_meta_bburl",
    b"vbulletin-core.js",
    b"var simpleversion",
    b'id="wgo_stats"',
    b'id="collapseobj_',
    b"<!-- begin template: forumhome",
    b"powered by vbulletin",
    b'content="vbulletin',
    # Script paths and security-token names a custom skin keeps even without a "Powered by":
    b"clientscript/vbulletin_global.js",
    b"clientscript/vbulletin_menu.js",
    b"clientscript/vbulletin_md5.js",
    b"clientscript/vbulletin_ajax",
    b"clientscript/vbulletin_textedit",
    b"var securitytoken =",
    b'name="securitytoken"',
    b"vb_login_username",
    b"vb_login_md5password",
    b"vbulletin_init()",
    b"vbmenu_register(",
    b"<!-- end template:",
    b"js.vbulletin.",
)
_COOKIE_SUFFIXES = ("sessionhash", "lastvisit", "lastactivity")
_SESSION_LINK_RE = re.compile(rb"member\.php\?(?:[a-z]+=\w*&(?:amp;)?)*s=[0-9a-f]{32}")
_SIMPLEVERSION_RE = re.compile(r"SIMPLEVERSION\s*=\s*\"(\d)(\d)(\d{1,2})\"")
_GENERATOR_RE = re.compile(r"vBulletin\s+(\d+(?:\.\d+)*(?:\s*(?:Alpha|Beta|RC|PL)\s*\d*)?)", re.I)
_CREDIT_VERSION_RE = re.compile(r"Powered by vBulletin(?:®|&reg;|\(R\))?\s+Version\s+(\d+(?:\.\d+){1,2})", re.I)
_POWERED_RE = re.compile(r"\s*[-|–—:]?\s*powered by vbulletin.*$", re.I)
_STATISTICS_WORD = r"(?:statisti\w*|estad[ií]stic\w*|estat[ií]stic\w*|statyst\w*|статистик\w*|istatistik\w*)"
_HEADING_NAME_RES = (
    re.compile(rf"^(.+?)\s+{_STATISTICS_WORD}$", re.I),
    re.compile(rf"^{_STATISTICS_WORD}\s+(?:(?:de|di|del|della|do|da|des|du|van|von|der)\s+)?(.+)$", re.I),
)


def detect(response: Response) -> bool:
    """vBulletin html id, script paths, security token, template comments, session links or cookies."""
    cookies = [name.lower() for name in cookie_names(response)]
    # The cookie prefix is configurable ("bb" by default, "vb" often): the names after it are not.
    if any(name.startswith(("bb", "vb")) and name.endswith(_COOKIE_SUFFIXES) for name in cookies):
        return True
    if not is_html(response):
        return False
    return has_marker(response, *_MARKERS) or bool(_SESSION_LINK_RE.search(lower_body(response)))


def endpoints(response: Response) -> list[Endpoint]:
    """No further endpoint yet: everything is read from the page."""
    return []


def extract(response: Response) -> Extraction:
    """Board statistics, online users, version and board name."""
    builder, pg, locale = board(response, NAME)
    if pg is not None:
        _version(builder, pg, response)
        _wgo_stats(builder, pg, locale)
        _vb3_stats(builder, pg, locale)
        _online(builder, pg, locale)
        _name(builder, pg)
    return builder.build()


def _version(builder: ExtractionBuilder, pg: Page, response: Response) -> None:
    generator = pg.meta("generator") or ""
    match = _GENERATOR_RE.search(generator)
    if match:
        builder.version(match.group(1), "vbulletin.generator", f'<meta name="generator" content="{generator[:80]}">')
        return
    match = _SIMPLEVERSION_RE.search(pg.text[:200_000])
    credit = _CREDIT_VERSION_RE.search(pg.text[-60_000:])
    if match:
        version = f"{match.group(1)}.{match.group(2)}.{int(match.group(3))}"
        builder.version(version, "vbulletin.simpleversion", match.group(0))
    elif credit:
        # The footer credit vBulletin asks every board to keep: "Powered by vBulletin® Version 4.2.2".
        builder.version(credit.group(1), "vbulletin.footer_credit", credit.group(0))
    elif has_marker(response, b'id="wgo_stats"', b"blocksubhead", b"vbulletin_html"):
        builder.version("4.x", "vbulletin.template_family", "wgo_stats")
    elif has_marker(response, b"collapseobj_"):
        builder.version("3.x", "vbulletin.template_family", "collapseobj_")
    elif has_marker(response, b"b-module", b"vb5"):
        builder.version("5.x", "vbulletin.template_family", "b-module")


def _wgo_stats(builder: ExtractionBuilder, pg: Page, locale: str | None) -> None:
    block = pg.first("#wgo_stats")
    if block is None:
        return
    lists = pg.xpath(".//dl", block)
    if not lists:
        return
    entries = []
    for label, dd in dl_pairs(pg, lists[0]):
        raw = text_of(dd)
        parsed = parse_count(raw, number_locale(NAME, locale))
        if parsed is not None and not parsed.approximate:
            entries.append((label, raw, parsed.value, _stat_metric(label, locale)))
    # A recognised label always wins; the vB4 order (threads, posts, members) only names the rows
    # whose label is unknown, and only when every recognised label sits where that order puts it.
    known = [(index, metric) for index, (*_, metric) in enumerate(entries) if metric is not None]
    positional = all(index < 3 and VB4_ORDER[index] == metric for index, metric in known if metric in VB4_ORDER)
    for index, (label, raw, value, metric) in enumerate(entries):
        rule = "vbulletin.wgo_stats"
        if metric is None and positional and index < 3:
            metric, rule = VB4_ORDER[index], "vbulletin.wgo_stats.position"
        if metric in STAT_METRICS:
            builder.metric(metric, value, rule, f"<dt>{label}</dt> <dd>{raw}</dd>")


def _stat_metric(label: str, locale: str | None) -> str | None:
    """A statistics label's metric; vBulletin's "Active Members" counts the last 30 days.

    vBulletin counts a member active when seen within ``activememberdays`` days, 30 unless the
    administrator changed it (the page does not say), hence ``active_users_30d``.
    """
    metric = metric_for_label(label, locale)
    if metric is None and active_members_label(label, locale):
        return "active_users_30d"
    return metric


def _vb3_stats(builder: ExtractionBuilder, pg: Page, locale: str | None) -> None:
    containers = [
        ("vbulletin.forumhome_stats", pg.xpath("//*[@id='collapseobj_forumhome_stats']")),
        ("vbulletin.vbadvanced_stats", pg.xpath("//*[starts-with(@id,'collapseobj_module_')]")),
    ]
    for rule, nodes in containers:
        for node in nodes[:20]:
            found = [
                item
                for item in labelled_counts(text_of(node, stop=is_link, limit=2000), locale, engine=NAME)
                if item.metric in STAT_METRICS and (item.label or item.after) and not item.count.approximate
            ]
            if len({item.metric for item in found}) < 2:
                continue
            for item in found:
                # Both orders: "Temas: 12.910" and "654.221 Mensajes / Respuestas".
                snippet = f"{item.label}: {item.count.raw}" if item.label else f"{item.count.raw} {item.after}"
                builder.metric(item.metric, item.count.value, rule, snippet)
            return


def _online(builder: ExtractionBuilder, pg: Page, locale: str | None) -> None:
    for link in pg.xpath("//a[contains(@href,'online.php')]")[:5]:
        after = text_following(link, stop=is_link, limit=160).lstrip()
        if not after.startswith(":"):
            continue
        # "Currently Active Users: 76 (2 members and 74 guests)": the split goes into the evidence.
        line = after[1:].split(")")[0] + ")" if "(" in after else ""
        if line and put_online(builder, NAME, line, locale, "vbulletin.active_users"):
            return
        parsed = parse_count(after[1:].split("(")[0], number_locale(NAME, locale))
        if parsed is not None and not parsed.approximate:
            builder.metric("online_now", parsed.value, "vbulletin.active_users", f"{text_of(link)}: {parsed.raw}")
            return


def _logo_alt(pg: Page) -> str | None:
    anchors: list[Any] = pg.css("a.logo-image, #header a, .logo a, a.logo")[:10]
    anchors += pg.xpath("//a[@href][.//img[@alt]]")[:40]
    for anchor in anchors:
        if not is_site_root(anchor.get("href") or "", pg.url):
            continue
        for img in pg.xpath(".//img[@alt]", anchor)[:1]:
            alt = _POWERED_RE.sub("", " ".join((img.get("alt") or "").split())).strip()
            if alt and len(alt) <= 120:
                return alt
    return None


def _name(builder: ExtractionBuilder, pg: Page) -> None:
    if pg.meta("og:site_name", "application-name"):
        return
    alt = _logo_alt(pg)
    if alt:
        builder.text("name", alt, "vbulletin.logo_alt", f'<img alt="{alt}">')
        return
    heading = pg.first("#wgo_stats h3, #wgo_stats .blocksubhead")
    text = text_of(heading) if heading is not None else ""
    for pattern in _HEADING_NAME_RES:
        match = pattern.match(text)
        if match:
            builder.text("name", match.group(1), "vbulletin.wgo_stats_heading", text)
            return
