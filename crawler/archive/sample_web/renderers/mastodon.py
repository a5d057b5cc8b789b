"""Mastodon: SPA homepage, /api/v2/instance, /api/v1/instance, /api/v1/instance/activity, NodeInfo 2.0."""

from __future__ import annotations

from datetime import timedelta

from crawler.archive.sample_web.model import Page, Snapshot
from crawler.archive.sample_web.pages import esc, html_page, json_page, to_json, token
from crawler.archive.sample_web.renderers.nodeinfo import NODEINFO_SCHEMA, nodeinfo_links, nodeinfo_usage


def _activity(snap: Snapshot) -> list[dict[str, str]]:
    # Twelve weekly buckets, newest first, values as strings; the current week is partial.
    figs = snap.figs
    monday = (snap.at - timedelta(days=snap.at.weekday())).replace(hour=0, minute=0, second=0)
    weeks = []
    for week in range(12):
        factor = (snap.at - monday).total_seconds() / (7 * 86400) if week == 0 else 1 - 0.012 * (week - 1)
        weeks.append(
            {
                "week": str(int((monday - timedelta(weeks=week)).timestamp())),
                # Week 1, the last complete week, prints exactly the posts_7d / active_users_7d figures.
                "statuses": str(round(figs["posts_7d"] * factor)),
                "logins": str(round(figs["active_users_7d"] * factor)),
                "registrations": str(round(figs["members"] * 0.0021 * factor)),
            }
        )
    return weeks


def render(snap: Snapshot) -> dict[str, Page]:
    """Return a Mastodon instance's homepage, instance APIs (v1, v2, activity) and NodeInfo 2.0."""
    site, figs = snap.site, snap.figs
    urls = {
        "streaming": f"wss://{site.domain}",
        "status": None,
        "about": f"{snap.base}/about",
        "privacy_policy": f"{snap.base}/privacy-policy",
        "terms_of_service": None,
    }
    rules = [
        {"id": "1", "text": "Pas de harcèlement ni de discours de haine. / No harassment or hate speech.", "hint": ""},
        {"id": "2", "text": "Corrigez avec bienveillance. / Correct others kindly.", "hint": ""},
    ]
    v2 = {
        "domain": site.domain,
        "title": site.name,
        "version": site.version,
        "source_url": "https://github.com/mastodon/mastodon",
        "description": site.description,
        "usage": {"users": {"active_month": figs["active_users_30d"]}},
        "thumbnail": {"url": f"{snap.base}/packs/media/images/preview-9a17d32fc48369e8ccd910a75260e67d.png"},
        "languages": list(site.languages),
        "configuration": {
            "urls": urls,
            "statuses": {"max_characters": 500, "max_media_attachments": 4, "characters_reserved_per_url": 23},
            "translation": {"enabled": False},
        },
        "registrations": {
            "enabled": True,
            "approval_required": False,
            "message": None,
            "min_age": None,
            "url": None,
        },
        "api_versions": {"mastodon": 2},
        "contact": {"email": "", "account": None},
        "rules": rules,
    }
    v1 = {
        "uri": site.domain,
        "title": site.name,
        "short_description": site.description,
        "description": "",
        "email": "",
        "version": site.version,
        "urls": {"streaming_api": f"wss://{site.domain}"},
        "stats": {
            "user_count": figs["members"],
            "status_count": figs["posts"],
            "domain_count": 8412 + snap.index * 377,
        },
        "thumbnail": v2["thumbnail"]["url"],
        "languages": list(site.languages),
        "registrations": True,
        "approval_required": False,
        "invites_enabled": True,
        "configuration": {"statuses": v2["configuration"]["statuses"]},
        "contact_account": None,
        "rules": rules,
    }
    nodeinfo = {
        "version": "2.0",
        "software": {"name": "mastodon", "version": site.version},
        "protocols": ["activitypub"],
        "services": {"outbound": [], "inbound": []},
        "usage": nodeinfo_usage(figs),
        "openRegistrations": True,
        "metadata": {"nodeName": site.name, "nodeDescription": site.description},
    }
    initial_state = to_json(
        {"meta": {"domain": site.domain, "title": site.name, "locale": site.lang, "version": site.version}}
    ).decode()
    props = esc(to_json({"locale": site.lang}).decode())
    homepage = f"""<!DOCTYPE html>
<html lang="{site.lang}">
<head>
<meta charset="utf-8">
<meta content="width=device-width, initial-scale=1" name="viewport">
<link href="/favicon.ico" rel="icon" type="image/x-icon">
<meta name="application-name" content="Mastodon">
<meta name="apple-mobile-web-app-title" content="Mastodon">
<title>{esc(site.name)}</title>
<meta content="{esc(site.description)}" name="description">
<meta content="{esc(site.name)}" property="og:site_name">
<meta content="website" property="og:type">
<link rel="stylesheet" href="/packs/css/common-{token(site.domain, length=20)}.css" media="all">
<script id="initial-state" type="application/json">{initial_state}</script>
</head>
<body class="app-body theme-default">
<div id="mastodon" class="app-holder" data-props="{props}"></div>
<noscript><p>Pour utiliser l’application web de Mastodon, veuillez activer JavaScript.</p></noscript>
</body>
</html>
"""
    nodeinfo_type = f'application/json; profile="{NODEINFO_SCHEMA.format(version="2.0")}#"; charset=utf-8'
    return {
        "/": html_page(homepage),
        "/api/v2/instance": json_page(v2),
        "/api/v1/instance": json_page(v1),
        "/api/v1/instance/activity": json_page(_activity(snap)),
        "/.well-known/nodeinfo": nodeinfo_links(snap, "2.0", "/nodeinfo/2.0"),
        "/nodeinfo/2.0": json_page(nodeinfo, nodeinfo_type),
    }
