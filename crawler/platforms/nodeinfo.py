"""NodeInfo documents (fediverse and other federated software) and their relatives.

Platform
    Any server publishing NodeInfo (Mastodon, Pleroma/Akkoma, Misskey and forks, PeerTube,
    Pixelfed, diaspora*, Friendica, Lemmy, NodeBB, relays, ...). The extracted ``platform`` is the
    document's ``software.name`` lowercased, not ``nodeinfo``. Recognised bodies: a NodeInfo 1.x/2.x
    document (``software`` plus ``protocols`` or ``usage``); the discovery document
    ``/.well-known/nodeinfo`` (``links``); NodeInfo2 ``/.well-known/x-nodeinfo2`` (``server`` plus
    ``usage``/``protocols``); diaspora*'s legacy ``/statistics.json`` (``network`` plus
    ``registrations_open``). There is no NodeInfo homepage, so HTML is never claimed.

Endpoints
    Discovery document -> the ``href`` of the highest schema version (2.2 > 2.1 > 2.0 > 1.1 > 1.0),
    also from broken variants (``links`` as one object instead of a list, entries under numeric
    string keys such as ``"0"`` next to ``links``). A NodeInfo or NodeInfo2 document that names
    its software -> that software's own public API, as its adapter would ask it (all optional,
    within the site's request budget): Lemmy ``/api/v3/site``; Mastodon (and Hometown)
    ``/api/v2/instance`` (else ``/api/v1/instance``) and ``/api/v1/instance/activity``; the Misskey
    family (Misskey, Sharkey, Firefish, Calckey, Iceshrimp, Foundkey, Meisskey, CherryPick,
    Catodon) ``/api/meta`` and ``/api/stats`` (both answer GET); PeerTube ``/api/v1/server/stats``;
    Pleroma, Akkoma, Friendica, Pixelfed ``/api/v1/instance``; GoToSocial ``/api/v2/instance``
    (else v1). Those bodies are read by their adapters (Lemmy, Mastodon) or here: Misskey
    ``/api/stats`` ``originalUsersCount`` -> members, ``originalNotesCount`` -> posts; ``/api/meta``
    ``name``, ``description``, ``version``, ``langs``, ``disableRegistration`` (its
    ``maintainerName``/``maintainerEmail`` are a person's and never read); PeerTube
    ``totalUsers``, ``totalDaily|Weekly|MonthlyActiveUsers``, ``totalLocalVideos`` (as posts),
    ``totalLocalVideoComments``. The statistics document of diaspora* leads nowhere.
    ``usage.users.total`` -> members, ``activeMonth`` -> active_users_30d, ``activeHalfyear`` ->
    active_users_180d, ``activeWeek`` (NodeInfo2) -> active_users_7d, ``localPosts`` -> posts,
    ``localComments`` -> comments; ``openRegistrations`` -> registrations_open;
    ``metadata.nodeName`` -> name; ``metadata.langs`` (Misskey family) -> languages.

Caveats
    The meaning of ``localPosts`` depends on the software: PeerTube counts *videos* (still stored
    as ``posts``, with ``videos`` in the rule id); NodeBB and the Discourse ActivityPub plugin
    count *topics* in ``localPosts`` and replies in ``localComments``, so there they give
    ``topics`` and ``posts`` = topics + replies. Any count may be missing (relays have no
    ``localPosts``), an object (``{"all": 3}``, some Pleroma servers), a string or negative: such
    values are rejected, the rest is kept. Misskey-family servers send ``localComments: 0`` as a
    constant; it is kept as published. Languages come only from ``metadata.langs``: the one-line
    ``nodeDescription`` is too short to detect a language from. The discovery document names no
    software, so its extraction is empty. ``metadata.maintainer`` and ``organization`` are read only
    for an organisation's name (``"Firefish dev team"``), never a person's name or e-mail address
    (:mod:`crawler.outreach.platforms`).
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urljoin, urlsplit

from scrapy.http import Response

from crawler.extraction import RANK_API, Extraction, ExtractionBuilder, coerce_count
from crawler.outreach import platforms as outreach_platforms
from crawler.platforms.base import Endpoint, endpoint, is_html, json_object
from crawler.platforms.fediverse import (
    body_has_any,
    platform_from,
    put_counts,
    put_flag,
    put_languages,
    put_text,
    snippet,
    software_id,
    split_compat_version,
)

NAME = "nodeinfo"

USERS = (
    ("members", ("total",)),
    ("active_users_7d", ("activeWeek",)),
    ("active_users_30d", ("activeMonth",)),
    ("active_users_180d", ("activeHalfyear",)),
)
STATISTICS_JSON = (
    ("members", ("total_users",)),
    ("active_users_30d", ("active_users_monthly",)),
    ("active_users_180d", ("active_users_halfyear",)),
    ("posts", ("local_posts",)),
    ("comments", ("local_comments",)),
)
# Software whose localPosts are topics (first posts) and localComments replies.
TOPIC_SOFTWARE = frozenset({"nodebb", "discourse"})

# NodeInfo names the software: its own public API says more (weekly and daily activity, community
# counts). Paths per software.name; a tuple is one endpoint and the alternatives tried when it fails.
MASTODON_API = (("/api/v2/instance", "/api/v1/instance"), ("/api/v1/instance/activity",))
MISSKEY_API = (("/api/meta",), ("/api/stats",))
INSTANCE_API = (("/api/v1/instance",),)
FOLLOW_UPS: dict[str, tuple[tuple[str, ...], ...]] = {
    "lemmy": (("/api/v3/site",),),
    "mastodon": MASTODON_API,
    "hometown": MASTODON_API,
    "glitchcafe": MASTODON_API,
    "misskey": MISSKEY_API,
    "sharkey": MISSKEY_API,
    "firefish": MISSKEY_API,
    "calckey": MISSKEY_API,
    "iceshrimp": MISSKEY_API,
    "foundkey": MISSKEY_API,
    "meisskey": MISSKEY_API,
    "cherrypick": MISSKEY_API,
    "catodon": MISSKEY_API,
    "peertube": (("/api/v1/server/stats",),),
    "pleroma": INSTANCE_API,
    "akkoma": INSTANCE_API,
    "friendica": INSTANCE_API,
    "gotosocial": (("/api/v2/instance", "/api/v1/instance"),),
    "pixelfed": INSTANCE_API,
}
MISSKEY_STATS = (("members", ("originalUsersCount",)), ("posts", ("originalNotesCount",)))
PEERTUBE_STATS = (
    ("members", ("totalUsers",)),
    ("active_users_1d", ("totalDailyActiveUsers",)),
    ("active_users_7d", ("totalWeeklyActiveUsers",)),
    ("active_users_30d", ("totalMonthlyActiveUsers",)),
)

_BODY_MARKERS = (
    b'"software"',
    b'"server"',
    b'"network"',
    b"nodeinfo",
    b'"originalUsersCount"',
    b'"disableRegistration"',
    b'"totalLocalVideos"',
)
_SCHEMA_RE = re.compile(r"nodeinfo\.diaspora\.software/ns/schema/(\d+)\.(\d+)")


def _link_entries(data: dict) -> list[dict]:
    """Every ``{rel, href}`` entry of a discovery document, also from its broken variants."""
    entries: list[Any] = []
    links = data.get("links")
    if isinstance(links, list):
        entries.extend(links)
    elif isinstance(links, dict):
        entries.extend([links] if "rel" in links else links.values())
    entries.extend(value for key, value in data.items() if key != "links" and isinstance(value, dict))
    return [
        entry
        for entry in entries
        if isinstance(entry, dict) and isinstance(entry.get("rel"), str) and isinstance(entry.get("href"), str)
    ]


def _kind(data: dict) -> str | None:
    if isinstance(data.get("software"), dict) and ("protocols" in data or "usage" in data):
        return "nodeinfo"
    if isinstance(data.get("server"), dict) and ("usage" in data or "protocols" in data):
        return "nodeinfo2"
    if "network" in data and "registrations_open" in data:
        return "statistics"
    if any(_SCHEMA_RE.search(entry["rel"]) for entry in _link_entries(data)):
        return "discovery"
    if "originalUsersCount" in data and "originalNotesCount" in data:
        return "misskey_stats"
    if "disableRegistration" in data and "langs" in data and ("uri" in data or "version" in data):
        return "misskey_meta"
    if "totalLocalVideos" in data and "totalUsers" in data:
        return "peertube_stats"
    return None


def detect(response: Response) -> bool:
    """A NodeInfo, NodeInfo2, diaspora* statistics or NodeInfo discovery document."""
    if is_html(response) or not body_has_any(response, *_BODY_MARKERS):
        return False
    data = json_object(response)
    return data is not None and _kind(data) is not None


def _usage(builder: ExtractionBuilder, usage: Any, software: str | None, rule: str) -> None:
    if not isinstance(usage, dict):
        return
    put_counts(builder, usage.get("users"), USERS, f"{rule}.users")
    posts, comments = usage.get("localPosts"), usage.get("localComments")
    if software in TOPIC_SOFTWARE:
        builder.metric("topics", posts, f"{rule}.localPosts.topics", snippet("localPosts", posts))
        topics, replies = coerce_count(posts), coerce_count(comments)
        if topics is not None and replies is not None:
            total = f"{snippet('localPosts', posts)}, {snippet('localComments', comments)}"
            builder.metric("posts", topics + replies, f"{rule}.localPosts+localComments", total)
        return
    kind = ".videos" if software == "peertube" else ""
    builder.metric("posts", posts, f"{rule}.localPosts{kind}", snippet("localPosts", posts))
    builder.metric("comments", comments, f"{rule}.localComments", snippet("localComments", comments))


def _extract_nodeinfo(url: str, data: dict) -> Extraction:
    software = data["software"]
    platform = software_id(software.get("name"))
    compat, version = split_compat_version(software.get("version"))
    builder = ExtractionBuilder(url, compat or platform, RANK_API)
    if compat:
        platform_from(builder, "nodeinfo.software.version.compatible", snippet("version", software.get("version")))
    else:
        platform_from(builder, "nodeinfo.software.name", snippet("name", software.get("name")))
    builder.version(version, "nodeinfo.software.version", snippet("version", software.get("version")))
    metadata = data.get("metadata") if isinstance(data.get("metadata"), dict) else {}
    put_text(builder, "name", metadata, "nodeName", "nodeinfo.metadata")
    put_text(builder, "name", metadata, "name", "nodeinfo.metadata")
    description = metadata.get("nodeDescription") or metadata.get("description")
    builder.text("description", description, "nodeinfo.metadata.nodeDescription")
    put_flag(builder, "registrations_open", data, "openRegistrations", "nodeinfo")
    _usage(builder, data.get("usage"), compat or platform, "nodeinfo.usage")
    put_languages(builder, metadata.get("langs") or [], None, "nodeinfo.metadata", "langs")
    outreach_platforms.nodeinfo_document(builder, data, metadata)  # registration mode, operator, federation
    return builder.build()


def _extract_nodeinfo2(url: str, data: dict) -> Extraction:
    server = data["server"]
    platform = software_id(server.get("software"))
    builder = ExtractionBuilder(url, platform, RANK_API)
    platform_from(builder, "nodeinfo2.server.software", snippet("software", server.get("software")))
    put_text(builder, "platform_version", server, "version", "nodeinfo2.server")
    put_text(builder, "name", server, "name", "nodeinfo2.server")
    put_flag(builder, "registrations_open", data, "openRegistrations", "nodeinfo2")
    _usage(builder, data.get("usage"), platform, "nodeinfo2.usage")
    return builder.build()


def _extract_statistics(url: str, data: dict) -> Extraction:
    builder = ExtractionBuilder(url, software_id(data.get("network")), RANK_API)
    platform_from(builder, "diaspora.statistics_json.network", snippet("network", data.get("network")))
    put_text(builder, "platform_version", data, "version", "diaspora.statistics_json")
    put_text(builder, "name", data, "name", "diaspora.statistics_json")
    put_flag(builder, "registrations_open", data, "registrations_open", "diaspora.statistics_json")
    put_counts(builder, data, STATISTICS_JSON, "diaspora.statistics_json")
    return builder.build()


def _extract_misskey_stats(url: str, data: dict) -> Extraction:
    builder = ExtractionBuilder(url, None, RANK_API)
    put_counts(builder, data, MISSKEY_STATS, "misskey.api_stats")
    return builder.build()


def _extract_misskey_meta(url: str, data: dict) -> Extraction:
    # maintainerName and maintainerEmail are a person's: never read.
    builder = ExtractionBuilder(url, None, RANK_API)
    put_text(builder, "name", data, "name", "misskey.api_meta")
    builder.text("description", data.get("description"), "misskey.api_meta.description")
    put_text(builder, "platform_version", data, "version", "misskey.api_meta")
    disabled = data.get("disableRegistration")
    if isinstance(disabled, bool):
        builder.flag("registrations_open", not disabled, "misskey.api_meta.disableRegistration")
    put_languages(builder, data.get("langs") or [], None, "misskey.api_meta", "langs")
    return builder.build()


def _extract_peertube_stats(url: str, data: dict) -> Extraction:
    builder = ExtractionBuilder(url, None, RANK_API)
    put_counts(builder, data, PEERTUBE_STATS, "peertube.server_stats")
    rule = "peertube.server_stats"
    for metric, key, kind in (("posts", "totalLocalVideos", ".videos"), ("comments", "totalLocalVideoComments", "")):
        builder.metric(metric, data.get(key), f"{rule}.{key}{kind}", snippet(key, data.get(key)))
    return builder.build()


def extract(response: Response) -> Extraction:
    """Read a NodeInfo, NodeInfo2 or statistics document (or a Misskey/PeerTube statistics body)."""
    data = None if is_html(response) else json_object(response)
    kind = _kind(data) if data is not None else None
    if kind == "nodeinfo":
        return _extract_nodeinfo(response.url, data)
    if kind == "nodeinfo2":
        return _extract_nodeinfo2(response.url, data)
    if kind == "statistics":
        return _extract_statistics(response.url, data)
    if kind == "misskey_stats":
        return _extract_misskey_stats(response.url, data)
    if kind == "misskey_meta":
        return _extract_misskey_meta(response.url, data)
    if kind == "peertube_stats":
        return _extract_peertube_stats(response.url, data)
    return ExtractionBuilder(response.url, None, RANK_API).build()


def best_link(data: dict) -> str | None:
    """Return the href of the highest NodeInfo schema version of a discovery document."""
    best: tuple[tuple[int, int], str] | None = None
    for entry in _link_entries(data):
        match = _SCHEMA_RE.search(entry["rel"])
        if match and entry["href"].strip():
            version = (int(match.group(1)), int(match.group(2)))
            if best is None or version > best[0]:
                best = (version, entry["href"].strip())
    return best[1] if best else None


def follow_ups(response: Response, software: str | None) -> list[Endpoint]:
    """The public API of the software a NodeInfo document names, as its own adapter would ask it.

    Optional endpoints: an administrator may disable an API (Mastodon's activity, a private
    instance's site), which answers 404 and is no fetch error.
    """
    paths = FOLLOW_UPS.get(software or "", ())
    return [endpoint(response, path[0], *path[1:], optional=True) for path in paths]


def endpoints(response: Response) -> list[Endpoint]:
    """Discovery -> the NodeInfo document of the highest schema version; NodeInfo -> its software's API."""
    data = None if is_html(response) else json_object(response)
    kind = _kind(data) if data is not None else None
    if kind == "nodeinfo" and isinstance(data, dict):
        software = software_id(data["software"].get("name"))
        compat, _ = split_compat_version(data["software"].get("version"))
        return follow_ups(response, compat or software)
    if kind == "nodeinfo2" and isinstance(data, dict):
        return follow_ups(response, software_id(data["server"].get("software")))
    if data is None or kind != "discovery":
        return []
    href = best_link(data)
    if not href:
        return []
    url = urljoin(response.url, href)
    return [Endpoint(url=url)] if urlsplit(url).scheme in ("http", "https") else []
