"""Discourse forums.

Platform
    Discourse (discourse.org), self-hosted or hosted. Recognised on the homepage by
    ``<meta name="generator" content="Discourse 3.2.0 - …">``, ``data-discourse-setup``, the
    ``discourse_theme_id``/``discourse_current_homepage`` metas or the ``_forum_session`` cookie;
    recognised in API bodies by ``about.json`` (``{"about": {"stats": …}}``), ``latest.json``
    (``{"topic_list": {"topics": …}}``) and the flat ``/site/statistics.json``.

Endpoints
    Homepage -> ``/about.json`` and ``/latest.json`` (optional), under the ``data-base-uri`` of a
    sub-folder install. Nothing after an API body.
    ``about.stats`` gives members, topics, posts, their 7/30-day counts and active users (last
    day / 7 / 30 days); ``about.title`` the name, ``about.locale`` the language, ``about.version``
    the version. ``latest.json`` gives ``last_activity_at``: the newest ``bumped_at`` or
    ``last_posted_at`` over *all* listed topics (pinned topics come first with old dates).

Caveats
    Key names changed: old versions send ``user_count``/``topic_count``/``post_count``, newer ones
    ``users_count``/``topics_count``/``posts_count``; both are read (newer first).
    ``users_7_days``/``users_30_days`` are *new sign-ups*, not active users, and are not mapped;
    likes, chat and visitor statistics are not metrics either. Stats are missing when the site
    disables "share anonymized statistics" (``can_see_about_stats: false``) or requires login.
    ``admins``/``moderators`` hold personal data and are never read.
"""

from __future__ import annotations

import re

from scrapy.http import Response

from crawler.extraction import RANK_API, RANK_HTML, Extraction, ExtractionBuilder
from crawler.normalize.dates import to_utc_iso
from crawler.outreach import platforms as outreach_platforms
from crawler.platforms.base import Endpoint, dig, endpoint, is_html, json_object
from crawler.platforms.fediverse import (
    body_has_any,
    html_head,
    lower_head,
    meta_content,
    put_counts,
    put_languages,
    put_text,
    snippet,
)

NAME = "discourse"

STATS = (
    ("members", ("users_count", "user_count")),
    ("topics", ("topics_count", "topic_count")),
    ("posts", ("posts_count", "post_count")),
    ("topics_7d", ("topics_7_days",)),
    ("topics_30d", ("topics_30_days",)),
    ("posts_7d", ("posts_7_days",)),
    ("posts_30d", ("posts_30_days",)),
    ("active_users_1d", ("active_users_last_day",)),
    ("active_users_7d", ("active_users_7_days",)),
    ("active_users_30d", ("active_users_30_days",)),
)

# Attribute contexts only: a page that merely mentions Discourse must not match.
_HTML_MARKERS = re.compile(
    r"""id=["']data-discourse-setup["']|name=["']discourse_(?:theme_id|current_homepage)["']""", re.I
)
# Sub-folder installs (forum.example.org/forum/) publish their base path in the setup element.
_BASE_URI_RE = re.compile(r'data-base-uri="(/[\w./-]*)"')
_VERSION_RE = re.compile(r"^\s*Discourse\s+v?(\d[\w.+-]*)", re.I)


def _api_kind(data: dict) -> str | None:
    if isinstance(dig(data, "about"), dict) and (
        isinstance(dig(data, "about", "stats"), dict) or "can_see_about_stats" in data["about"]
    ):
        return "about"
    if isinstance(dig(data, "topic_list", "topics"), list):
        return "latest"
    if "active_users_30_days" in data and ("topics_count" in data or "topic_count" in data):
        return "statistics"
    return None


def detect(response: Response) -> bool:
    """Discourse homepage markers, or an about.json / latest.json / site statistics body."""
    if is_html(response):
        text = html_head(response)
        generator = meta_content(text, "generator") or ""
        cookies = b" ".join(response.headers.getlist(b"Set-Cookie"))
        return bool(
            _VERSION_RE.match(generator)
            # Both markers contain the word: a page without it (almost every page) skips the pattern.
            or ("discourse" in lower_head(response) and _HTML_MARKERS.search(text))
            or b"_forum_session=" in cookies
        )
    if not body_has_any(response, b'"about"', b'"topic_list"', b'"active_users_30_days"'):
        return False
    data = json_object(response)
    return data is not None and _api_kind(data) is not None


def _extract_about(builder: ExtractionBuilder, about: dict) -> None:
    put_counts(builder, about.get("stats"), STATS, "discourse.about_json")
    put_text(builder, "name", about, "title", "discourse.about_json")
    put_text(builder, "platform_version", about, "version", "discourse.about_json")
    builder.text("description", about.get("description"), "discourse.about_json.description")
    if about.get("locale") is not None:
        put_languages(builder, about.get("locale"), None, "discourse.about_json", "locale")


def _extract_latest(builder: ExtractionBuilder, topics: list) -> None:
    newest: tuple[str, str, str] | None = None
    for topic in topics:
        if not isinstance(topic, dict):
            continue
        for key in ("bumped_at", "last_posted_at"):
            value = topic.get(key)
            iso = to_utc_iso(value) if isinstance(value, str) else None
            if iso and (newest is None or iso > newest[0]):
                newest = (iso, key, value)
    if newest:
        iso, key, raw = newest
        builder.date("last_activity_at", iso, f"discourse.latest_json.{key}", snippet(key, raw))


def extract(response: Response) -> Extraction:
    """Read about.json stats, latest.json activity, or the homepage generator version."""
    if is_html(response):
        builder = ExtractionBuilder(response.url, NAME if detect(response) else None, RANK_HTML)
        generator = meta_content(html_head(response), "generator") or ""
        match = _VERSION_RE.match(generator)
        if match:
            builder.version(match.group(1), "discourse.meta_generator", generator[:120])
        outreach_platforms.discourse_homepage(builder, html_head(response))  # preloaded registration settings
        return builder.build()
    data = json_object(response)
    kind = _api_kind(data) if data is not None else None
    builder = ExtractionBuilder(response.url, NAME if kind else None, RANK_API)
    if kind == "about":
        _extract_about(builder, data["about"])
    elif kind == "latest":
        _extract_latest(builder, data["topic_list"]["topics"])
    elif kind == "statistics":
        put_counts(builder, data, STATS, "discourse.statistics_json")
    return builder.build()


def endpoints(response: Response) -> list[Endpoint]:
    """Homepage -> about.json and latest.json; API bodies -> nothing more."""
    if not is_html(response):
        return []
    match = _BASE_URI_RE.search(html_head(response))
    base = match.group(1).rstrip("/") if match else ""
    return [
        endpoint(response, f"{base}/about.json"),
        endpoint(response, f"{base}/latest.json", optional=True),
    ]
