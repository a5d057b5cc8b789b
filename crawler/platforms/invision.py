"""Invision Community (IPS 4.x; IP.Board 3.x recognised only).

Platform
    Invision Community, recognised by ``var ipsSettings`` / ``cookie_prefix: "ips4_"``,
    ``/applications/core/interface/``, ``data-blockID='app_…'`` widgets, ``ipsDataItem`` lists or the
    "Powered by Invision Community" credit, and on restyled boards by the ``ips4_`` session cookies,
    ``data-ipsQuote``, the ``ipsApp ipsApp_front`` body class, ``/uploads/set_resources_`` paths or
    ``ips.setString(`` calls. platform_version "4.x" for IPS4 markers.

    Statistics come from the sidebar widgets, identified by their language-independent
    ``data-blockID`` prefixes: ``app_forums_forumStatistics_*`` lists Total Topics then Total Posts,
    ``app_core_stats_*`` lists Total Members then Most Online, each number in
    ``span.ipsDataItem_stats_number``. The localised ``<strong>`` label of each row cross-checks the
    order; "Most Online" is a record and never online_now, and the "Newest Member" part of the
    widget (a name) is never read. Languages also come from JSON-LD ``inLanguage`` (generic).

Endpoints
    None (the IPS REST API needs an administrator key).

Caveats
    Labels are localised; widgets can be removed or reordered by the administrator, in which case
    an unrecognised label leaves the structural order in force. IP.Board 3.x ``board_stats`` is not
    sampled and not read.
"""

from __future__ import annotations

from scrapy.http import Response

from crawler.extraction import Extraction, ExtractionBuilder
from crawler.normalize.labels import metric_for_label
from crawler.normalize.numbers import parse_count
from crawler.normalize.packs import number_locale
from crawler.platforms.base import Endpoint, is_html
from crawler.platforms.html import Page, board, cookie_names, has_marker, text_of

NAME = "invision"

# data-blockID prefix -> metrics of its rows in order (None: a row that is never a metric).
WIDGETS = (
    ("app_forums_forumStatistics_", ("topics", "posts")),
    ("app_core_stats_", ("members", None)),
)
_MARKERS = (
    b"var ipssettings",
    b'cookie_prefix: "ips4_"',
    b"/applications/core/interface/",
    b"data-blockid='app_",
    b'data-blockid="app_',
    b"ipsdataitem_stats_number",
    b"powered by invision community",
    b"ipb.vars",
    b"data-ipsquote",
    b"ipsapp ipsapp_front",
    b"/uploads/set_resources_",
    b"ips.setstring(",
)


def detect(response: Response) -> bool:
    """IPS settings, paths, widget ids, credit or the ``ips4_`` session cookies."""
    if any(name.lower().startswith("ips4_") or "ipssession" in name.lower() for name in cookie_names(response)):
        return True
    return is_html(response) and has_marker(response, *_MARKERS)


def endpoints(response: Response) -> list[Endpoint]:
    """No further endpoint: the IPS REST API is not public."""
    return []


def extract(response: Response) -> Extraction:
    """Forum and member statistics widgets, version family."""
    builder, pg, locale = board(response, NAME)
    if pg is not None:
        if has_marker(response, b"ipssettings", b"ips4_", b"data-ips"):
            builder.version("4.x", "invision.ips_settings", "ipsSettings")
        for prefix, order in WIDGETS:
            _widget(builder, pg, prefix, order, locale)
    return builder.build()


def _widget(builder: ExtractionBuilder, pg: Page, prefix: str, order: tuple, locale: str | None) -> None:
    widgets = pg.xpath(f"//*[starts-with(@data-blockID,'{prefix}') or starts-with(@data-blockid,'{prefix}')]")
    if not widgets:
        return
    rows = []
    for item in pg.xpath(".//li[contains(concat(' ', normalize-space(@class), ' '), ' ipsDataItem ')]", widgets[0]):
        numbers = pg.xpath(".//*[contains(@class,'ipsDataItem_stats_number')]", item)
        labels = pg.xpath(".//*[contains(@class,'ipsDataItem_main')]", item)
        if not numbers:
            continue
        raw = text_of(numbers[0])
        label = text_of(labels[0]) if labels else ""
        parsed = parse_count(raw, number_locale(NAME, locale))
        rows.append((label, raw, parsed))
    structural = [metric for metric in order]
    known = {metric for metric in order if metric}
    labelled = [metric_for_label(label, locale) if label else None for label, _, _ in rows]
    for index, (label, raw, parsed) in enumerate(rows):
        metric = structural[index] if index < len(structural) else None
        # A recognised label of another metric of this widget means the rows were reordered.
        if labelled[index] in known and labelled[index] != metric and metric is not None:
            metric = labelled[index]
        if metric is None or parsed is None or parsed.approximate:
            continue
        builder.metric(metric, parsed.value, f"invision.{prefix.rstrip('_')}", f"<strong>{label}</strong> {raw}")
