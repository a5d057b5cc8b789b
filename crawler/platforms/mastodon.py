"""Mastodon and servers implementing the Mastodon instance API (Pleroma, Akkoma, GoToSocial, ...).

Platform
    Recognised on the homepage by ``<div id="mastodon" data-props=…>`` (attributes in any order),
    ``<meta name="application-name" content="Mastodon">`` or the ``<script id="initial-state">``
    state whose ``meta`` names a ``streaming_api_base_url``; recognised in API bodies by
    ``/api/v2/instance`` (``domain``, ``title``, ``version`` and ``usage``/``registrations``/
    ``configuration``), ``/api/v1/instance`` (``uri``, ``version``, ``stats``/``urls``) and
    ``/api/v1/instance/activity`` (a list of weekly buckets). NodeInfo documents are left to the
    ``nodeinfo`` adapter.

Endpoints
    Homepage -> ``/api/v2/instance``, ``/api/v1/instance``, ``/.well-known/nodeinfo`` and
    ``/api/v1/instance/activity`` (optional). Nothing after an API body.
    v2: ``title`` -> name, ``usage.users.active_month`` -> active_users_30d (v2 has **no** total),
    ``languages``, ``registrations.enabled`` -> registrations_open. v1: ``stats.user_count`` ->
    members, ``stats.status_count`` -> posts (local statuses), ``languages``, ``registrations``.
    Activity: the latest **complete** week, i.e. the second-newest bucket (the newest one is the
    current, partial week): ``logins`` -> active_users_7d, ``statuses`` -> posts_7d.

Discovery
    Homepage -> ``/api/v1/instance/peers`` (optional: admins can disable it). A peers body (a
    JSON list of the domains this server federates with) -> ``https://<domain>/`` as
    ``mastodon.peers`` links, valid host names only, the first 50 in the order listed. A list too big
    to parse whole is read from its first megabyte.

Caveats
    ``version`` of compatible servers names the real software: ``"2.3.3 (compatible; Pleroma
    0.9.0 …)"`` gives platform ``pleroma`` and version ``0.9.0``. ``languages`` is the server's
    default locale as declared; it is not guessed from the one-line description. ``registrations_open`` is true
    when sign-up is possible, also with ``approval_required`` (Mastodon's own NodeInfo says the
    same). Activity values are strings; the endpoint can be disabled (404). ``contact_account``,
    ``contact`` and ``email`` are personal data and never read; ``domain_count`` is not a metric.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from scrapy.http import Response

from crawler.discovery.links import Link, link_to_host, same_site
from crawler.extraction import RANK_API, RANK_HTML, Extraction, ExtractionBuilder
from crawler.outreach import platforms as outreach_platforms
from crawler.platforms.base import MAX_JSON_BYTES, Endpoint, dig, endpoint, is_html, load_json
from crawler.platforms.fediverse import (
    body_has_any,
    html_head,
    meta_content,
    peer_links,
    peer_list_endpoint,
    platform_from,
    put_counts,
    put_flag,
    put_languages,
    put_text,
    snippet,
    split_compat_version,
    tag_attrs,
    text_of,
)

NAME = "mastodon"

V1_STATS = (("members", ("user_count",)), ("posts", ("status_count",)))
V2_USERS = (("active_users_30d", ("active_month",)),)
ACTIVITY = (("active_users_7d", ("logins",)), ("posts_7d", ("statuses",)))

_DIV_RE = re.compile(r"<div\b[^>]*>", re.I)
# Mastodon >= 3 embeds its state as <script id="initial-state">{"meta":{"streaming_api_base_url":…
_STATE_RE = re.compile(r"""<script[^>]+id=["']initial-state["'][^>]*>\s*\{\s*"meta"\s*:\s*\{[^<]{0,400}streaming_api""")
V2_KEYS = ("usage", "registrations", "configuration", "api_versions")


def _api_kind(data: Any) -> str | None:
    if isinstance(data, list):
        buckets = [item for item in data if isinstance(item, dict)]
        if buckets and all("week" in item for item in buckets):
            return "activity" if any("logins" in b or "statuses" in b for b in buckets) else None
        return None
    if not isinstance(data, dict) or "software" in data or "site_view" in data:
        return None
    if "version" not in data:
        return None
    if "domain" in data and any(key in data for key in V2_KEYS):
        return "v2"
    if "uri" in data and any(key in data for key in ("stats", "urls")):
        return "v1"
    return None


def _homepage_markers(text: str) -> bool:
    if (meta_content(text, "application-name") or "").strip().lower() == "mastodon" or (
        "initial-state" in text and _STATE_RE.search(text)
    ):
        return True
    if "mastodon" not in text:  # the id below, spelled exactly: no need to read every <div>
        return False
    for match in _DIV_RE.finditer(text):
        attrs = tag_attrs(match.group(0))
        if attrs.get("id") == "mastodon" and "data-props" in attrs:
            return True
    return False


def detect(response: Response) -> bool:
    """Mastodon homepage markers, or an instance v1/v2 or instance activity body."""
    if is_html(response):
        return _homepage_markers(html_head(response))
    if not body_has_any(response, b'"week"', b'"uri"', b'"domain"'):
        return False
    return _api_kind(load_json(response)) is not None


def _platform(data: dict) -> tuple[str, str | None]:
    software, version = split_compat_version(data.get("version"))
    return software or NAME, version


def _extract_instance(builder: ExtractionBuilder, data: dict, kind: str, version: str | None) -> None:
    rule = f"mastodon.instance_{kind}"
    if version:
        builder.version(version, f"{rule}.version", snippet("version", data.get("version")))
    put_text(builder, "name", data, "title", rule)
    description = text_of(data.get("short_description"), data.get("description"))
    builder.text("description", description, f"{rule}.description")
    if kind == "v2":
        put_counts(builder, dig(data, "usage", "users"), V2_USERS, f"{rule}.usage.users")
        put_flag(builder, "registrations_open", data.get("registrations"), "enabled", f"{rule}.registrations")
    else:
        put_counts(builder, data.get("stats"), V1_STATS, f"{rule}.stats")
        put_flag(builder, "registrations_open", data, "registrations", rule)
    put_languages(builder, data.get("languages") or [], None, rule, "languages")
    outreach_platforms.mastodon_instance(builder, data, kind)  # registration mode, about page, languages


def _week(bucket: dict) -> int:
    value = bucket.get("week")
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return -1


def _extract_activity(builder: ExtractionBuilder, data: list) -> None:
    buckets = sorted((b for b in data if isinstance(b, dict) and _week(b) >= 0), key=_week, reverse=True)
    if len(buckets) < 2:
        return  # only the current, partial week (or nothing): no complete week to report
    week = buckets[1]
    for metric, (key,) in ACTIVITY:
        if key in week:
            text = f'"week": "{week.get("week")}", {snippet(key, week[key])}'
            builder.metric(metric, week[key], f"mastodon.instance_activity.last_complete_week.{key}", text)


def extract(response: Response) -> Extraction:
    """Read an instance (v1/v2) or activity body; a homepage only yields the platform."""
    if is_html(response):
        return ExtractionBuilder(response.url, NAME if detect(response) else None, RANK_HTML).build()
    data = load_json(response)
    kind = _api_kind(data)
    if kind in ("v1", "v2"):
        platform, version = _platform(data)
        builder = ExtractionBuilder(response.url, platform, RANK_API)
        if platform != NAME:
            platform_from(builder, f"mastodon.instance_{kind}.version.compatible", snippet("version", data["version"]))
        _extract_instance(builder, data, kind, version)
    elif kind == "activity":
        builder = ExtractionBuilder(response.url, NAME, RANK_API)
        _extract_activity(builder, data)
    else:
        builder = ExtractionBuilder(response.url, None, RANK_API)
    return builder.build()


def endpoints(response: Response) -> list[Endpoint]:
    """Homepage -> instance v2, v1, NodeInfo discovery and weekly activity (optional)."""
    if not is_html(response):
        return []
    return [
        endpoint(response, "/api/v2/instance"),
        endpoint(response, "/api/v1/instance"),
        endpoint(response, "/.well-known/nodeinfo"),
        endpoint(response, "/api/v1/instance/activity", optional=True),
    ]


PEERS_PATH = "/api/v1/instance/peers"
PEERS_LIMIT = 50
PEERS_SCAN_BYTES = 1_000_000
_PEER_STRING_RE = re.compile(rb'"([^"\\]{1,260})"')


def discovery_endpoints(response: Response) -> list[Endpoint]:
    """Homepage -> the peers list (optional: a disabled list answers 404)."""
    return peer_list_endpoint(response, PEERS_PATH)


def _peer_names(response: Response) -> list[Any]:
    data = load_json(response)
    if isinstance(data, list):
        return data
    body = response.body
    if data is None and len(body) > MAX_JSON_BYTES and body.lstrip()[:1] == b"[":
        # mastodon.social lists tens of thousands of peers: the first ones are enough.
        return [m.decode("utf-8", "replace") for m in _PEER_STRING_RE.findall(body[:PEERS_SCAN_BYTES])]
    return []


def links(response: Response) -> list[Link]:
    """A peers body -> one ``mastodon.peers`` link per valid domain, at most 50, in the order listed."""
    if is_html(response) or not urlsplit(response.url).path.rstrip("/").endswith(PEERS_PATH):
        return []
    return peer_links(response, _peer_names(response), "mastodon.peers", PEERS_LIMIT, link_to_host, same_site)
