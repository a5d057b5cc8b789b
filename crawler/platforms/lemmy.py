"""Lemmy link aggregators.

Platform
    Lemmy (join-lemmy.org). Recognised on the homepage by Lemmy-UI's ``window.isoData = …``
    server-side state; recognised in API bodies by
    ``/api/v3/site`` (``GetSiteResponse`` with ``site_view``).

Endpoints
    Homepage -> ``/api/v3/site`` and ``/.well-known/nodeinfo``. Nothing after an API body.
    ``site_view.site.name`` -> name, ``version``, ``site_view.counts``: ``users`` -> members,
    ``posts``, ``comments``, ``communities``, ``users_active_day|week|month|half_year`` ->
    active_users_1d/7d/30d/180d. ``local_site.registration_mode``: ``Open`` -> registrations open;
    ``RequireApplication`` and ``Closed`` -> not open (what Lemmy itself reports as NodeInfo
    ``openRegistrations``, so the two sources never disagree).

Discovery
    Homepage -> ``/api/v3/federated_instances`` (optional). ``federated_instances.linked`` of that
    body, or of an older ``/api/v3/site`` that carries it, -> ``https://<domain>/`` as
    ``lemmy.federated_instances`` links: a list of domain strings (Lemmy <= 0.18) or of instance
    objects with ``domain`` (0.19), valid host names only, the first 50 in the order listed.
    ``allowed`` and ``blocked`` are not links. A body too big to parse whole is read from its
    first megabyte.

Caveats
    Languages: ``discussion_languages`` holds *ids* into ``all_languages``; they are resolved to
    codes (``und``, id 0, is dropped). An empty list means "all languages allowed", which says
    nothing about the community, so the language is then detected from the site's own
    ``description`` and ``sidebar`` (ranked below any declaration; none when the text is too short;
    only the dominant language of a bilingual sidebar). Lemmy 1.0 (API v4) may move the counts into ``local_site``;
    that shape is read too. ``admins`` (personal data), ``taglines`` and ``custom_emojis`` are
    never read; ``published`` is the creation date, not activity, so there is no
    ``last_activity_at``. Private instances (``private_instance``) publish little.
"""

from __future__ import annotations

import re
from typing import Any

from scrapy.http import Response

from crawler.discovery.links import Link, link_to_host, same_site
from crawler.extraction import RANK_API, RANK_HTML, Extraction, ExtractionBuilder
from crawler.outreach import platforms as outreach_platforms
from crawler.platforms.base import MAX_JSON_BYTES, Endpoint, dig, endpoint, is_html, json_object
from crawler.platforms.fediverse import (
    body_has,
    html_head,
    peer_links,
    peer_list_endpoint,
    put_counts,
    put_languages,
    put_text,
    snippet,
    text_of,
)

NAME = "lemmy"

COUNTS = (
    ("members", ("users",)),
    ("posts", ("posts",)),
    ("comments", ("comments",)),
    ("communities", ("communities",)),
    ("active_users_1d", ("users_active_day",)),
    ("active_users_7d", ("users_active_week",)),
    ("active_users_30d", ("users_active_month",)),
    ("active_users_180d", ("users_active_half_year",)),
)

REGISTRATION_OPEN = {"open": True, "requireapplication": False, "closed": False}

_HTML_MARKERS = re.compile(r"window\.isoData\s*=")


def detect(response: Response) -> bool:
    """Lemmy-UI homepage markers, or a /api/v3/site body."""
    if is_html(response):
        return bool(_HTML_MARKERS.search(html_head(response)))
    if not body_has(response, b'"site_view"'):
        return False
    data = json_object(response)
    return data is not None and isinstance(data.get("site_view"), dict)


def _languages(data: dict) -> list[str]:
    """Resolve ``discussion_languages`` ids through ``all_languages``; ``und`` is dropped."""
    codes: dict[int, str] = {}
    for language in data.get("all_languages") or []:
        if not isinstance(language, dict):
            continue
        if isinstance(language.get("id"), int) and isinstance(language.get("code"), str):
            codes[language["id"]] = language["code"]
    ids = data.get("discussion_languages") or []
    return [codes[i] for i in ids if isinstance(i, int) and codes.get(i) not in (None, "und")]


def _counts(view: dict) -> tuple[Any, str]:
    if isinstance(view.get("counts"), dict):
        return view["counts"], "lemmy.site.counts"
    return view.get("local_site"), "lemmy.site.local_site"  # Lemmy 1.0 shape


def extract(response: Response) -> Extraction:
    """Read /api/v3/site: name, version, counts, registration mode and languages."""
    if is_html(response):
        return ExtractionBuilder(response.url, NAME if detect(response) else None, RANK_HTML).build()
    data = json_object(response)
    view = data.get("site_view") if data is not None else None
    if not isinstance(view, dict):
        return ExtractionBuilder(response.url, None, RANK_API).build()
    builder = ExtractionBuilder(response.url, NAME, RANK_API)
    site = view.get("site") if isinstance(view.get("site"), dict) else {}
    put_text(builder, "name", site, "name", "lemmy.site")
    put_text(builder, "platform_version", data, "version", "lemmy.site")
    builder.text("description", site.get("description"), "lemmy.site.description")
    counts, rule = _counts(view)
    put_counts(builder, counts, COUNTS, rule)
    mode = dig(view, "local_site", "registration_mode")
    if isinstance(mode, str):
        builder.flag(
            "registrations_open",
            REGISTRATION_OPEN.get(mode.strip().lower()),
            "lemmy.site.local_site.registration_mode",
            snippet("registration_mode", mode),
        )
    text = text_of(site.get("description"), site.get("sidebar"))
    put_languages(builder, _languages(data), text, "lemmy.site", "discussion_languages")
    outreach_platforms.lemmy_site(builder, mode, _languages(data))  # registration mode, practised languages
    return builder.build()


def endpoints(response: Response) -> list[Endpoint]:
    """Homepage -> /api/v3/site and NodeInfo discovery."""
    if not is_html(response):
        return []
    return [endpoint(response, "/api/v3/site"), endpoint(response, "/.well-known/nodeinfo")]


FEDERATED_PATH = "/api/v3/federated_instances"
FEDERATED_LIMIT = 50
FEDERATED_SCAN_BYTES = 1_000_000
_DOMAIN_RE = re.compile(rb'"domain"\s*:\s*"([^"\\]{1,260})"')


def discovery_endpoints(response: Response) -> list[Endpoint]:
    """Homepage -> the federated instances list (optional: private instances may refuse it)."""
    return peer_list_endpoint(response, FEDERATED_PATH)


def _linked_from_head(body: bytes) -> list[Any]:
    """The ``domain`` values of ``linked`` in the first megabyte of a body too big to parse."""
    start = body.find(b'"linked"')
    if start < 0:
        return []
    window = body[start : start + FEDERATED_SCAN_BYTES]
    for end_marker in (b'"allowed"', b'"blocked"'):
        cut = window.find(end_marker)
        if cut > 0:
            window = window[:cut]
    return [m.decode("utf-8", "replace") for m in _DOMAIN_RE.findall(window)]


def _linked(response: Response) -> list[Any]:
    if not body_has(response, b'"federated_instances"'):
        return []  # every statistics body passes here: skip parsing those that cannot hold the list
    data = json_object(response)
    if data is not None:
        linked = dig(data, "federated_instances", "linked")
        return linked if isinstance(linked, list) else []
    body = response.body
    if len(body) > MAX_JSON_BYTES:
        return _linked_from_head(body)
    return []


def links(response: Response) -> list[Link]:
    """``federated_instances.linked`` -> one ``lemmy.federated_instances`` link per valid domain, at most 50."""
    if is_html(response):
        return []
    return peer_links(
        response, _linked(response), "lemmy.federated_instances", FEDERATED_LIMIT, link_to_host, same_site
    )
