"""NodeBB forums.

Platform
    NodeBB, recognised on the homepage by ``/assets/nodebb.min.js``, the inline
    ``var config = JSON.parse('{"relative_path":…')`` or the ``express.sid`` cookie; and by its JSON
    bodies: ``/api/config`` (``relative_path`` with ``siteTitle``/``socketioTransports``) and the
    home ``/api`` (``categories[]`` whose items have ``cid`` and ``totalPostCount``).

    ``/api/config``: ``siteTitle`` -> name, ``defaultLang`` -> languages. ``/api``: the top-level
    categories' ``totalPostCount``/``totalTopicCount`` (children included) summed -> posts and
    topics (``post_count``/``topic_count`` when the totals are absent), and the newest category
    teaser ``timestampISO`` -> last_activity_at. The homepage's inline config
    gives the name when there is no ``og:site_name``.

Endpoints
    Homepage -> ``<relative_path>/api/config`` and ``<relative_path>/api``.

Caveats
    NodeBB publishes no member total without a login (``/api/users`` is often restricted); the
    built-in NodeInfo document (``/.well-known/nodeinfo``, handled by the nodeinfo adapter) has
    users. The board-stats widget prints MyBB-like sentences: detection runs before MyBB.
"""

from __future__ import annotations

import json
import re
from typing import Any

from scrapy.http import Response

from crawler.extraction import RANK_API, RANK_HTML, Extraction, ExtractionBuilder
from crawler.normalize.languages import normalize_tag
from crawler.platforms.base import Endpoint, endpoint, is_html, json_object
from crawler.platforms.generic import community_tags
from crawler.platforms.html import cookie_names, has_marker, newest_date, page

NAME = "nodebb"

_MARKERS = (
    b"/assets/nodebb.min.js",
    b'config = json.parse(\'{"relative_path"',
    b'config = json.parse("{\\"relative_path',
)
_CONFIG_RE = re.compile(r"""config\s*=\s*JSON\.parse\((['"])(.{2,200000}?)\1\)""", re.S)
_RELATIVE_RE = re.compile(r'"relative_path"\s*:\s*"([^"\\]{0,100})"')


def _kind(data: dict[str, Any] | None) -> str | None:
    if not data:
        return None
    if "relative_path" in data and ("siteTitle" in data or "socketioTransports" in data):
        return "config"
    categories = data.get("categories")
    head = categories[:20] if isinstance(categories, list) else []
    is_list = bool(head) and all(isinstance(c, dict) and "cid" in c for c in head)
    if is_list and any("totalPostCount" in c or "post_count" in c for c in head):
        return "home"
    return None


def detect(response: Response) -> bool:
    """NodeBB bundle, inline config or session cookie; or an ``/api/config`` / ``/api`` body."""
    if is_html(response):
        return "express.sid" in cookie_names(response) or has_marker(response, *_MARKERS)
    if not has_marker(response, b'"relative_path"', b'"cid"'):
        return False
    return _kind(json_object(response)) is not None


def _inline_config(text: str) -> dict[str, Any]:
    match = _CONFIG_RE.search(text[:1_000_000])
    if not match:
        return {}
    raw = match.group(2)
    try:
        # The argument is a JS string literal (jsesc: ASCII, \' and \uXXXX escapes) holding JSON.
        decoded = raw.encode("ascii").decode("unicode_escape") if raw.isascii() else raw
        data = json.loads(decoded)
    except (ValueError, UnicodeError):
        return {}
    return data if isinstance(data, dict) else {}


def endpoints(response: Response) -> list[Endpoint]:
    """The forum's ``/api/config`` and home ``/api``, under its relative path."""
    if not is_html(response):
        return []
    match = _RELATIVE_RE.search(page(response).text[:1_000_000].replace('\\"', '"'))
    prefix = (match.group(1) if match else "").rstrip("/")
    return [endpoint(response, f"{prefix}/api/config"), endpoint(response, f"{prefix}/api")]


def extract(response: Response) -> Extraction:
    """Name and language (config), post and topic totals (home API), or the homepage's inline config."""
    if not is_html(response):
        data = json_object(response)
        kind = _kind(data)
        builder = ExtractionBuilder(response.url, NAME, RANK_API)
        if kind == "config":
            _config(builder, data, "nodebb.api_config")
        elif kind == "home":
            _categories(builder, data["categories"])
            _teasers(builder, data["categories"])
        return builder.build()
    builder = ExtractionBuilder(response.url, NAME, RANK_HTML)
    pg = page(response)
    config = _inline_config(pg.text)
    if config and not pg.meta("og:site_name"):
        _config(builder, config, "nodebb.inline_config")
    elif config and not pg.html_lang:
        _config(builder, {"defaultLang": config.get("defaultLang")}, "nodebb.inline_config")
    return builder.build()


def _config(builder: ExtractionBuilder, data: dict[str, Any], rule: str) -> None:
    title = data.get("siteTitle")
    builder.text("name", title, f"{rule}.siteTitle", f'"siteTitle": {json.dumps(title)[:120]}')
    tag = normalize_tag(data["defaultLang"]) if isinstance(data.get("defaultLang"), str) else None
    if tag:
        builder.languages(community_tags([tag]), f"{rule}.defaultLang", f'"defaultLang": "{data["defaultLang"]}"')


def _categories(builder: ExtractionBuilder, categories: list[Any]) -> None:
    for metric, keys in (("posts", ("totalPostCount", "post_count")), ("topics", ("totalTopicCount", "topic_count"))):
        for key in keys:
            values = [c.get(key) for c in categories if isinstance(c, dict) and key in c]
            numbers = [v for v in values if isinstance(v, int) and not isinstance(v, bool) and v >= 0]
            if values and len(numbers) == len(values):
                builder.metric(metric, sum(numbers), f"nodebb.api_categories.{key}", f'sum of {len(numbers)} "{key}"')
                break


def _teasers(builder: ExtractionBuilder, categories: list[Any]) -> None:
    stamps = []
    for category in categories[:500]:
        if not isinstance(category, dict):
            continue
        for item in [category, *(c for c in category.get("children") or [] if isinstance(c, dict))][:50]:
            teaser = item.get("teaser")
            if isinstance(teaser, dict) and isinstance(teaser.get("timestampISO"), str):
                stamps.append(teaser["timestampISO"])
    newest = newest_date(stamps)
    if newest:
        builder.date("last_activity_at", newest[0], "nodebb.api_categories.teaser", f'"timestampISO": "{newest[1]}"')
