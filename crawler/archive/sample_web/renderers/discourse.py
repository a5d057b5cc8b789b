"""Discourse: crawler-view homepage, /about.json (new or old key spelling) and /latest.json."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from crawler.archive.sample_web.model import Page, Snapshot
from crawler.archive.sample_web.outreach import DISCOURSE_DEFAULT_SETTINGS, outreach_of
from crawler.archive.sample_web.pages import esc, html_page, iso_z, json_page, slug, to_json, token

DISCOURSE_TOPICS = {
    "it": ("Benvenuti! Leggete qui prima di scrivere", "Cerco partner tandem per lo spagnolo", "«Ne» e «ci»"),
    "eo": ("Bonvenon! Legu tion unue", "Serĉas tandem-partneron por la germana", "Kiel uzi la akuzativon"),
    "es": ("¡Bienvenidos! Normas de la comunidad", "Busco intercambio con hablantes de alemán", "Ser o estar"),
    "fr": ("Bienvenue ! À lire avant de poster", "Je cherche un tandem pour l’allemand", "Subjonctif ou indicatif ?"),
}


def _topics(snap: Snapshot) -> list[dict[str, Any]]:
    # The pinned welcome topic comes first with an old bump date: the latest activity is the max.
    titles = DISCOURSE_TOPICS[snap.site.lang]
    created = datetime(2021, 3, 14, 9, 12, tzinfo=UTC)
    bumps = (created, snap.last_post, snap.last_post - timedelta(hours=3, minutes=5))
    topics = []
    for position, (title, bumped) in enumerate(zip(titles, bumps, strict=True)):
        topic_id = 1 + position * 977 + snap.index * 311
        replies = 3 + (position * 7 + snap.index * 5) % 40
        topics.append(
            {
                "id": topic_id,
                "title": title,
                "fancy_title": esc(title),
                "slug": slug(title),
                "posts_count": replies + 1,
                "reply_count": replies,
                "highest_post_number": replies + 1,
                "image_url": None,
                "created_at": iso_z(min(bumped, created + timedelta(days=position * 400)), True),
                "last_posted_at": iso_z(bumped, True),
                "bumped": True,
                "bumped_at": iso_z(bumped, True),
                "archetype": "regular",
                "unseen": False,
                "pinned": position == 0,
                "unpinned": None,
                "visible": True,
                "closed": False,
                "archived": False,
                "bookmarked": None,
                "liked": None,
                "tags": [],
                "views": 40 + replies * 31,
                "like_count": replies * 2,
                "has_summary": False,
                "category_id": 1 + position,
                "pinned_globally": False,
                "featured_link": None,
                "posters": [],
            }
        )
    return topics


def _stats(snap: Snapshot) -> dict[str, int]:
    figs = snap.figs
    new_users_30d = max(1, figs["members"] // 60)
    stats = {
        "topics_last_day": max(1, figs["topics_7d"] // 7),
        "topics_7_days": figs["topics_7d"],
        "topics_30_days": figs["topics_30d"],
        "topics_count": figs["topics"],
        "posts_last_day": max(1, figs["posts_7d"] // 7),
        "posts_7_days": figs["posts_7d"],
        "posts_30_days": figs["posts_30d"],
        "posts_count": figs["posts"],
        "users_last_day": max(1, new_users_30d // 30),
        "users_7_days": max(1, new_users_30d // 4),
        "users_30_days": new_users_30d,
        "users_count": figs["members"],
        "active_users_last_day": figs["active_users_1d"],
        "active_users_7_days": figs["active_users_7d"],
        "active_users_30_days": figs["active_users_30d"],
        "likes_last_day": figs["posts_7d"] // 5,
        "likes_7_days": figs["posts_7d"] * 2,
        "likes_30_days": figs["posts_30d"] * 2,
        "likes_count": figs["posts"] * 2,
    }
    if not snap.site.old_keys:
        stats |= {
            "participating_users_last_day": figs["active_users_1d"] // 3,
            "participating_users_7_days": figs["active_users_7d"] // 3,
            "participating_users_30_days": figs["active_users_30d"] // 3,
        }
        return stats
    # Discourse 2.x spelled the totals in the singular (topic_count, ..., like_count).
    renamed = {"topics_count": "topic_count", "posts_count": "post_count", "users_count": "user_count"}
    renamed["likes_count"] = "like_count"
    return {renamed.get(key, key): value for key, value in stats.items()}


def render(snap: Snapshot) -> dict[str, Page]:
    """Return a Discourse site's crawler-view homepage, /about.json and /latest.json."""
    site = snap.site
    description = site.description
    about: dict[str, Any] = {
        "can_see_about_stats": True,
        "stats": _stats(snap),
        "description": description,
        "extended_site_description": "",
        "banner_image": None,
        "site_creation_date": "2021-03-14T09:12:44.000Z",
        "title": site.name,
        "locale": site.lang,
        "version": site.version,
        "https": True,
        "category_moderators": [],
        "contact_url": f"{snap.base}/about",
    }
    if site.old_keys:
        # Old about.json listed staff as objects; they are left empty (no member names).
        about = {key: value for key, value in about.items() if key not in ("site_creation_date", "banner_image")}
        about |= {"admins": [], "moderators": []}
    else:
        about |= {"admin_ids": [1, 2], "moderator_ids": [1, 2, 5, 9]}
    topics = _topics(snap)
    latest = {
        "users": [],
        "primary_groups": [],
        "flair_groups": [],
        "topic_list": {"can_create_topic": False, "per_page": 30, "top_tags": [], "topics": topics},
    }
    sha = token("discourse", site.version, length=40)
    # The crawler view preloads the client's site settings, JSON in a JSON string in an attribute.
    settings = DISCOURSE_DEFAULT_SETTINGS | outreach_of(site.domain).discourse_settings
    preloaded = esc(to_json({"siteSettings": to_json({"title": site.name, **settings}).decode()}).decode())
    links = "".join(f'<li><a href="https://{domain}/">{esc(domain)}</a></li>' for domain in site.links_to)
    rows = "\n".join(
        f'<tr class="topic-list-item"><td class="main-link"><span class="link-top-line">'
        f'<a href="{snap.base}/t/{t["slug"]}/{t["id"]}" class="title raw-link raw-topic-link">{esc(t["title"])}</a>'
        f'</span></td><td class="replies"><span class="posts" title="posts">{t["reply_count"]}</span></td>'
        f'<td class="views"><span class="views" title="views">{t["views"]}</span></td>'
        f"<td>{t['bumped_at'][:10]}</td></tr>"
        for t in topics
    )
    homepage = f"""<!DOCTYPE html>
<html lang="{site.lang}" class="desktop-view not-mobile-device text-size-normal anon">
<head>
<meta charset="utf-8">
<title>{esc(site.name)}</title>
<meta name="description" content="{esc(description)}">
<meta name="generator" content="Discourse {site.version} - https://github.com/discourse/discourse version {sha}">
<link rel="icon" type="image/png" href="{snap.base}/uploads/default/optimized/1X/favicon_32x32.png">
<meta name="theme-color" media="all" content="#ffffff">
<meta name="viewport" content="width=device-width, initial-scale=1.0, minimum-scale=1.0, viewport-fit=cover">
<link rel="canonical" href="{snap.base}/">
<link rel="search" type="application/opensearchdescription+xml" href="{snap.base}/opensearch.xml">
<meta name="discourse_theme_id" content="2">
<meta name="discourse_current_homepage" content="latest">
<meta id="data-discourse-setup" data-base-url="{snap.base}" data-environment="production" data-theme-id="2">
<meta property="og:site_name" content="{esc(site.name)}">
<meta property="og:type" content="website">
<meta property="og:description" content="{esc(description)}">
</head>
<body class="crawler">
<div class="hidden" id="data-preloaded" data-preloaded="{preloaded}"></div>
<header><a href="/">{esc(site.name)}</a></header>
<div id="main-outlet" class="wrap" role="main">
<div itemscope itemtype="http://schema.org/ItemList">
<table class="topic-list">
<thead><tr><th>Topic</th><th class="replies">Replies</th><th class="views">Views</th><th>Activity</th></tr></thead>
<tbody>
{rows}
</tbody>
</table>
</div>
</div>
<footer class="container wrap">
<nav class="crawler-nav"><ul>
<li><a href="/">Home</a></li><li><a href="/categories">Categories</a></li>
<li><a href="/guidelines">FAQ/Guidelines</a></li><li><a href="/about">About</a></li>
<li><a href="/tos">Terms of Service</a></li><li><a href="/privacy">Privacy Policy</a></li>{links}
</ul></nav>
<p class="powered-by-link">Powered by <a
href="https://www.discourse.org">Discourse</a>, best viewed with JavaScript enabled</p>
</footer>
</body>
</html>
"""
    return {
        "/": html_page(homepage),
        "/about.json": json_page({"about": about}),
        "/latest.json": json_page(latest),
    }
