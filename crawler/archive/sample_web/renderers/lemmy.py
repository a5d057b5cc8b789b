"""Lemmy: lemmy-ui homepage with window.isoData, /api/v3/site, NodeInfo 2.1."""

from __future__ import annotations

from crawler.archive.sample_web.model import Page, Snapshot
from crawler.archive.sample_web.pages import esc, html_page, json_page, to_json, token
from crawler.archive.sample_web.renderers.nodeinfo import nodeinfo_links, nodeinfo_usage

# A trimmed all_languages table (real servers list about 180); ids follow Lemmy's numbering style.
LEMMY_LANGUAGES = {
    "und": (0, "Undetermined"),
    "ca": (20, "Català"),
    "en": (37, "English"),
    "es": (39, "Español"),
    "eu": (41, "Euskara"),
    "fr": (45, "Français"),
    "gl": (52, "Galego"),
    "pt": (103, "Português"),
}


def render(snap: Snapshot) -> dict[str, Page]:
    """Return a Lemmy instance's homepage, /api/v3/site and NodeInfo 2.1."""
    site, figs = snap.site, snap.figs
    published = "2023-06-12T18:04:51.203117Z"
    site_res = {
        "site_view": {
            "site": {
                "id": 1,
                "name": site.name,
                "sidebar": "## Normas\n\n1. Escribe en la lengua de la comunidad o indica el idioma del post.\n"
                "2. Corrige con respeto.",
                "published": published,
                "updated": "2026-01-09T10:21:33.902114Z",
                "description": site.description,
                "actor_id": f"{snap.base}/",
                "last_refreshed_at": published,
                "inbox_url": f"{snap.base}/inbox",
                "public_key": "",
                "instance_id": 1,
            },
            "local_site": {
                "id": 1,
                "site_id": 1,
                "site_setup": True,
                "enable_downvotes": True,
                "enable_nsfw": False,
                "community_creation_admin_only": False,
                "require_email_verification": True,
                "private_instance": False,
                "default_theme": "browser",
                "default_post_listing_type": "Local",
                "federation_enabled": True,
                "captcha_enabled": True,
                "captcha_difficulty": "medium",
                "published": published,
                "registration_mode": "Open",
                "default_sort_type": "Active",
            },
            "counts": {
                "site_id": 1,
                "users": figs["members"],
                "posts": figs["posts"],
                "comments": figs["comments"],
                "communities": figs["communities"],
                "users_active_day": figs["active_users_1d"],
                "users_active_week": figs["active_users_7d"],
                "users_active_month": figs["active_users_30d"],
                "users_active_half_year": figs["active_users_180d"],
            },
        },
        "admins": [],
        "version": site.version,
        "all_languages": [
            {"id": ident, "code": code, "name": label} for code, (ident, label) in LEMMY_LANGUAGES.items()
        ],
        "discussion_languages": [LEMMY_LANGUAGES[code][0] for code in site.languages],
        "taglines": [],
        "custom_emojis": [],
        "blocked_urls": [],
    }
    nodeinfo = {
        "version": "2.1",
        "software": {
            "name": "lemmy",
            "version": site.version,
            "repository": "https://github.com/LemmyNet/lemmy",
            "homepage": "https://join-lemmy.org/",
        },
        "protocols": ["activitypub"],
        "usage": nodeinfo_usage(figs),
        "openRegistrations": True,
        "services": {"inbound": [], "outbound": []},
        "metadata": {},
    }
    iso_data = to_json({"path": "/", "site_res": site_res, "routeData": {}, "errorPageData": None}).decode()
    # Inside <script>, "</" must not appear; lemmy-ui serialises with escaped slashes too.
    iso_data = iso_data.replace("</", "<\\/")
    homepage = f"""<!DOCTYPE html>
<html lang="{site.lang}">
<head>
<script nonce="{token(site.domain, snap.index, length=24)}">window.isoData = {iso_data};</script>
<meta name="Description" content="Lemmy">
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link id="favicon" rel="shortcut icon" type="image/x-icon" href="/static/assets/icons/favicon.svg">
<link rel="manifest" href="/manifest.webmanifest">
<title>{esc(site.name)}</title>
<meta property="og:title" content="{esc(site.name)}">
<meta property="og:description" content="{esc(site.description)}">
<link rel="stylesheet" type="text/css" href="/static/styles/styles.css">
</head>
<body>
<noscript><div class="alert alert-danger rounded-0" role="alert">
<b>Javascript is disabled. Actions will not work.</b></div></noscript>
<div id="root"></div>
<script defer src="/static/js/client.js"></script>
</body>
</html>
"""
    return {
        "/": html_page(homepage),
        "/api/v3/site": json_page(site_res),
        "/.well-known/nodeinfo": nodeinfo_links(snap, "2.1", "/nodeinfo/2.1"),
        "/nodeinfo/2.1": json_page(nodeinfo),
    }
