"""The course designer's view of a community: who runs it, how to reach and join it, what it practises.

Pure functions over a parsed page or an :class:`~crawler.extraction.Extraction`; no I/O. Every
value is recorded with its evidence (rule id and a snippet without personal data) by
:mod:`crawler.outreach.values`:

=========================  =====================================================================
field                      read by
=========================  =====================================================================
about_url, imprint_url,    :mod:`.contact`: same-site links ("À propos", "Impressum", "Kontakt")
contact_url, contact_email  and a generic **role** address only (contact@, info@, never a person)
operator_name,             :mod:`.operator`: JSON-LD Organization, imprint labels, "© 2026
operator_type               Association X", platform organisation fields; type from the name
registration_mode,         :mod:`.access`: statements ("invitation only", "inscriptions fermées"),
price_model                 sign-up links; free / freemium / paid from the page's words and offers
meetups, meetup_cities     :mod:`.meetups`: JSON-LD Event, "every Thursday in Lyon", events pages
practised_languages        :mod:`.practised`: language pickers, course lists, language sub-forums
federation                 :mod:`.federation`: fediverse software or NodeInfo protocols, else
                            centralised (:func:`finish`, over a site's merged extraction)
=========================  =====================================================================

Platform APIs (Mastodon, Lemmy, NodeInfo, Discourse, MediaWiki) go through :mod:`.platforms`.
:func:`outreach_endpoints` names the about, imprint and contact pages worth fetching for a site.
"""

from __future__ import annotations

from scrapy.http import Response

from crawler.extraction import Extraction, ExtractionBuilder
from crawler.outreach.access import extract_price, extract_registration
from crawler.outreach.contact import extract_contact, page_kind
from crawler.outreach.context import PageContext, is_discussion_page, is_front_page
from crawler.outreach.federation import FEDIVERSE_PLATFORMS, finish
from crawler.outreach.meetups import extract_meetups
from crawler.outreach.operator import extract_operator
from crawler.outreach.practised import extract_practised
from crawler.outreach.values import FIELDS, LIST_FIELDS, SCALAR_FIELDS
from crawler.platforms.base import Endpoint
from crawler.platforms.html import Page

__all__ = [
    "FEDIVERSE_PLATFORMS",
    "FIELDS",
    "LIST_FIELDS",
    "SCALAR_FIELDS",
    "extract_page",
    "finish",
    "is_discussion_page",
    "page_kind",
    "item_fields",
    "outreach_endpoints",
]

MAX_PAGES = 2
# Homepages, about and contact pages are far smaller; a bigger page is a dump or hostile, and only
# its JSON-LD (already parsed) is read.
MAX_PAGE_CHARS = 1_000_000


def extract_page(builder: ExtractionBuilder, pg: Page, response: Response | None = None) -> None:
    """Record every outreach value an HTML page shows (called once per page with its page signals)."""
    # A thread shown as a site's first page speaks for its authors, not for the site.
    ctx = PageContext(pg, page_kind(pg.url), front=is_front_page(pg.url) and not is_discussion_page(pg))
    if len(pg.text) > MAX_PAGE_CHARS:
        extract_operator(builder, pg, "", "", None)
        return
    extract_contact(builder, ctx)
    extract_operator(builder, pg, ctx.footer_text, ctx.prose, ctx.kind)
    extract_registration(builder, ctx)
    extract_price(builder, ctx)
    extract_meetups(builder, ctx)
    extract_practised(builder, ctx)


def outreach_endpoints(parts: list[Extraction], home_url: str) -> list[Endpoint]:
    """The site's about or imprint page and its contact page to fetch next (at most two, optional)."""
    home = next((part for part in reversed(parts) if part.url == home_url), None)
    if home is None:
        return []
    first = home.imprint_url or home.about_url
    wanted = [first, home.contact_url] if home.contact_url else [home.imprint_url, home.about_url]
    out: list[Endpoint] = []
    for url in wanted:
        if url and url.rstrip("/") != home_url.rstrip("/") and url not in [e.url for e in out]:
            out.append(Endpoint(url=url, optional=True, probe=True))
    return out[:MAX_PAGES]


def item_fields(extraction: Extraction) -> dict:
    """The outreach values of a finished (merged) extraction, as :class:`~crawler.items.CommunityItem` fields."""
    finish(extraction)
    return {
        field: list(getattr(extraction, field)) if field in LIST_FIELDS else getattr(extraction, field)
        for field in FIELDS
    }
