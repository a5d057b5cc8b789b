"""Flarum forums (beta and 1.x).

Platform
    Flarum, recognised by the ``flarum_session`` cookie, ``#flarum-loading``, the boot payload
    (``app.boot({"resources":[{"type":"forums"…`` in beta, ``flarum.core.app.load(…)`` in 1.x) or the
    ``/assets/forum-<hash>.js`` bundle; and by its ``/api`` answer (JSON:API ``data.type = "forums"``).

    The forum resource gives ``title`` -> name, ``description`` -> description and ``allowSignUp``
    -> registrations_open; the discussions embedded in a 1.x homepage payload (``apiDocument``)
    give last_activity_at through their newest ``lastPostedAt``. In the homepage payload the
    attributes are read one by one with a tolerant pattern, so a truncated payload still yields
    what it holds. Languages: ``<html lang>`` (generic), else the locale of the
    ``forum-<locale>-<hash>.js`` bundle. platform_version "beta" for the ``System.get('flarum/app')``
    loader, "1.x" for ``flarum.core.app.load``.

Endpoints
    Homepage -> ``apiUrl`` of the payload when it is on the same host, else ``/api``.

Caveats
    Flarum core publishes no member, post or discussion totals (extensions may): no metric is
    read. Without an embedded discussion list, ``/api/discussions?sort=-lastPostedAt`` would give
    the last activity (not requested yet).
"""

from __future__ import annotations

import json
import re
from urllib.parse import urljoin, urlsplit

from scrapy.http import Response

from crawler.extraction import RANK_API, RANK_HTML, Extraction, ExtractionBuilder
from crawler.normalize.languages import normalize_tag
from crawler.platforms.base import Endpoint, dig, endpoint, is_html, json_object
from crawler.platforms.generic import community_tags
from crawler.platforms.html import cookie_names, has_marker, newest_date, page

NAME = "flarum"

_MARKERS = (b"flarum-loading", b'"type":"forums"', b"flarum.core.app", b"flarum/app", b"flarum_session")
_STRING_ATTR = r'"{key}"\s*:\s*"((?:[^"\\]|\\.)*)"'
_BOOL_ATTR = r'"{key}"\s*:\s*(true|false)'
_LOCALE_RE = re.compile(r"/assets/forum-([a-z]{2,3}(?:[-_][a-zA-Z]{2,4})?)(?:-[0-9a-f]{6,})?\.js")
_LAST_POSTED_RE = re.compile(r'"lastPostedAt"\s*:\s*"([^"]{10,40})"')


def _api_forum(response: Response) -> dict | None:
    data = json_object(response) if not is_html(response) else None
    if data and dig(data, "data", "type") == "forums" and isinstance(dig(data, "data", "attributes"), dict):
        return data["data"]["attributes"]
    return None


def detect(response: Response) -> bool:
    """Flarum cookie, loader element, boot payload or bundle; or a JSON:API forum resource."""
    if "flarum_session" in cookie_names(response):
        return True
    if is_html(response):
        return has_marker(response, *_MARKERS)
    return has_marker(response, b'"forums"') and _api_forum(response) is not None


def _payload(text: str) -> str:
    start = text.find('"type":"forums"')
    if start < 0:
        start = text.find('"type": "forums"')
    return text[start : start + 20_000] if start >= 0 else ""


def _string(payload: str, key: str) -> str | None:
    match = re.search(_STRING_ATTR.format(key=key), payload)
    if not match:
        return None
    try:
        return json.loads(f'"{match.group(1)}"')
    except ValueError:
        return None


def endpoints(response: Response) -> list[Endpoint]:
    """The forum's JSON:API root (from the payload's ``apiUrl`` when it is on this host)."""
    if not is_html(response):
        return []
    api = _string(_payload(page(response).text), "apiUrl")
    if api and urlsplit(urljoin(response.url, api)).netloc == urlsplit(response.url).netloc:
        return [Endpoint(url=urljoin(response.url, api))]
    return [endpoint(response, "/api")]


def extract(response: Response) -> Extraction:
    """Forum title, description, sign-up flag, version family and bundle locale."""
    attributes = _api_forum(response)
    if attributes is not None:
        builder = ExtractionBuilder(response.url, NAME, RANK_API)
        for key, field in (("title", "name"), ("description", "description")):
            value = attributes.get(key)
            builder.text(field, value, f"flarum.api.{key}", f'"{key}": {json.dumps(value)[:120]}')
        allow = attributes.get("allowSignUp")
        builder.flag("registrations_open", allow, "flarum.api.allowSignUp", f'"allowSignUp": {json.dumps(allow)}')
        return builder.build()
    builder = ExtractionBuilder(response.url, NAME, RANK_HTML)
    if not is_html(response):
        return builder.build()
    pg = page(response)
    if "flarum/app" in pg.text:
        builder.version("beta", "flarum.system_loader", "System.get('flarum/app')")
    elif "flarum.core.app.load" in pg.text:
        builder.version("1.x", "flarum.core_loader", "flarum.core.app.load")
    payload = _payload(pg.text)
    for key, field in (("title", "name"), ("description", "description")):
        value = _string(payload, key)
        builder.text(field, value, f"flarum.boot.{key}", f'"{key}":"{(value or "")[:120]}"')
    flag = re.search(_BOOL_ATTR.format(key="allowSignUp"), payload)
    if flag:
        builder.flag("registrations_open", flag.group(1) == "true", "flarum.boot.allowSignUp", flag.group(0))
    newest = newest_date(_LAST_POSTED_RE.findall(pg.text[:2_000_000])[:500])
    if newest:
        builder.date("last_activity_at", newest[0], "flarum.boot.lastPostedAt", f'"lastPostedAt":"{newest[1]}"')
    if not pg.html_lang:
        match = _LOCALE_RE.search(pg.text)
        tag = normalize_tag(match.group(1)) if match else None
        if tag:
            builder.languages(community_tags([tag]), "flarum.bundle_locale", match.group(0))
    return builder.build()
