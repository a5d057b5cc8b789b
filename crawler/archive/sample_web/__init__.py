"""The bundled offline "sample web": fictional communities that ``make demo`` and the end-to-end tests crawl.

Every site here is invented and lives on a reserved domain (``*.example`` or ``*.test``). The pages
imitate the real bodies stored in ``shared/real-samples/`` (same markers, same statistics blocks, same
JSON shapes) so that platform adapters written from those samples read them unchanged.

The module is data plus small renderers:

- :data:`SITES` lists each community as a :class:`Site` (platform, languages, licence, figures at the
  first capture, growth between captures, fault to simulate);
- one ``_render_<platform>`` function per platform turns a site at one capture into the
  :class:`Page` objects its URLs answer;
- :func:`responses` yields every ``(capture date, URL, Page)`` that goes into the WARC, and
  :func:`expected_site` gives the ground truth the crawl must reproduce.

``python -m crawler.archive.sample_web.build`` writes the archive, the seed list and the ground truth.
"""

from __future__ import annotations

import hashlib
import html
import json
import unicodedata
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any

from w3lib.url import safe_url_string

# The three dates every URL is captured at (WARC-Date); the demo shows change between them.
CAPTURES: tuple[str, ...] = ("2026-05-01T06:00:00Z", "2026-08-01T06:00:00Z", "2026-11-01T06:00:00Z")

# Faults the crawl must record as errors instead of communities.
FAULTS = ("http_503", "http_410", "robots", "not_archived", "redirect")

# Figures that describe recent activity: they move with a site's activity curve instead of growing.
ACTIVITY_METRICS = frozenset(
    ("active_users_1d", "active_users_7d", "active_users_30d", "active_users_180d", "online_now",
     "posts_7d", "posts_30d", "topics_7d", "topics_30d")
)  # fmt: skip

# Metrics each platform's pages publish (data-model.md names); a site may publish a subset.
_ACTIVE = ("active_users_1d", "active_users_7d", "active_users_30d")
PUBLISHABLE: dict[str | None, frozenset[str]] = {
    "discourse": frozenset(("members", "topics", "posts", *_ACTIVE, "posts_7d", "posts_30d", "topics_7d",
                            "topics_30d")),
    "mediawiki": frozenset(("members", "active_users_30d", "edits", "articles", "pages")),
    # posts_7d and active_users_7d: statuses and logins of the last complete week of /activity.
    "mastodon": frozenset(("members", "posts", "active_users_30d", "active_users_180d", "posts_7d", "active_users_7d")),
    "lemmy": frozenset(("members", "posts", "comments", "communities", *_ACTIVE, "active_users_180d")),
    "peertube": frozenset(("members", "posts", "comments", "active_users_30d", "active_users_180d")),
    "phpbb": frozenset(("posts", "topics", "members", "online_now")),
    "xenforo": frozenset(("topics", "posts", "members")),
    "smf": frozenset(("posts", "topics", "members")),
    "mybb": frozenset(("posts", "topics", "members", "online_now")),
    "vbulletin": frozenset(("topics", "posts", "members")),
    None: frozenset(("members",)),
}  # fmt: skip

EN_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
             "November", "December")  # fmt: skip

HTML_UTF8 = "text/html; charset=utf-8"
JSON_UTF8 = "application/json; charset=utf-8"
TEXT_UTF8 = "text/plain; charset=utf-8"


@dataclass(frozen=True)
class Site:
    """One fictional community and everything needed to render it at each capture."""

    domain: str
    platform: str | None  # expected platform id; None for a custom site
    name: str  # the community's own name, exactly as its pages print it
    kind: str  # the use-case article's category (informative)
    languages: tuple[str, ...]  # BCP 47, own language first
    figures: dict[str, int] = field(default_factory=dict)  # values at the first capture
    series: dict[str, tuple[int, ...]] = field(default_factory=dict)  # explicit values per capture
    growth: float = 0.03  # per capture, for cumulative counts
    activity: tuple[float, ...] = (1.0, 1.06, 1.1)  # multiplier per capture, for activity figures
    approximate: tuple[str, ...] = ()  # metrics published as "over N" / "plus de N"
    number_style: str = "plain"  # how the pages group digits, see fmt()
    html_lang: str | None = None  # <html lang> when it differs from languages[0] (UI locale)
    markup_languages: tuple[str, ...] | None = None  # codes as printed (legacy "iw"), if different
    licence: str | None = None  # SPDX id of the content licence
    licence_url: str | None = None
    licence_text: str | None = None  # MediaWiki rightsinfo text
    version: str | None = None
    description: str = ""  # may hold {members}
    newest_member: str | None = None  # fictional user name printed by forum statistics blocks
    fault: str | None = None
    first_capture: int = 0
    scheme: str = "https"
    crawl_delay: int | None = None
    old_keys: bool = False  # Discourse: pre-3.x about.json key spelling
    broken_paths: tuple[str, ...] = ()  # paths whose JSON body is cut short
    redirect_to: str | None = None  # fault "redirect": the new site's domain

    @property
    def root(self) -> str:
        """Return the site's root URL (the seed)."""
        return f"{self.scheme}://{self.domain}/"

    @property
    def lang(self) -> str:
        """Return the language tag the pages declare."""
        return self.html_lang or self.languages[0]


@dataclass(frozen=True)
class Page:
    """One HTTP response: status, body and the headers that matter."""

    body: bytes
    content_type: str = HTML_UTF8
    status: int = 200
    extra_headers: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Snapshot:
    """A site as it stands at one capture: the figures its pages print then."""

    site: Site
    index: int
    figs: dict[str, int]

    @property
    def at(self) -> datetime:
        """Return the capture time."""
        return capture_time(self.index)

    @property
    def base(self) -> str:
        """Return the site's origin, without a trailing slash."""
        return f"{self.site.scheme}://{self.site.domain}"

    def ago(self, minutes: int) -> datetime:
        """Return the capture time minus a site-specific number of minutes."""
        return self.at - timedelta(minutes=minutes)

    @property
    def last_post(self) -> datetime:
        """Return when the latest post was written (a few minutes to hours before the capture)."""
        return self.ago(5 + zlib.crc32(self.site.domain.encode()) % 170)


# --------------------------------------------------------------------------------------------------
# Small helpers


def esc(value: object) -> str:
    """Escape text for HTML content and attributes."""
    return html.escape(str(value), quote=True)


def capture_time(index: int) -> datetime:
    """Return capture ``index`` as an aware datetime."""
    return datetime.fromisoformat(CAPTURES[index].replace("Z", "+00:00"))


def iso_z(moment: datetime, millis: bool = False) -> str:
    """Format a UTC time the way JSON APIs do (``...Z``)."""
    text = moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S")
    return f"{text}.000Z" if millis else f"{text}Z"


def fmt(number: int, style: str) -> str:
    """Format a count as the site prints it: digit grouping depends on locale and software."""
    if style == "plain":
        return str(number)
    if style == "million":
        return f"{number // 1_000_000} million"
    separator = {"en": ",", "de": ".", "fr": "\u202f", "fr_nbsp": "\u00a0", "space": " "}[style]
    return f"{number:,}".replace(",", separator)


def token(*parts: object, length: int = 32) -> str:
    """Return a stable pseudo-random hex string (session ids, hashes) derived from ``parts``."""
    return hashlib.sha1("|".join(map(str, parts)).encode()).hexdigest()[:length]


def to_json(data: Any) -> bytes:
    """Serialise compactly, as the real APIs do."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def json_page(data: Any, content_type: str = JSON_UTF8) -> Page:
    """Return a JSON response."""
    return Page(to_json(data), content_type)


def html_page(text: str, status: int = 200, extra_headers: tuple[tuple[str, str], ...] = ()) -> Page:
    """Return an HTML response encoded as UTF-8."""
    return Page(text.encode("utf-8"), HTML_UTF8, status, extra_headers)


def en_date(moment: datetime, long: bool = False) -> str:
    """Format ``01 May 2026`` (or ``May 1, 2026``) without relying on the process locale."""
    month = EN_MONTHS[moment.month - 1]
    return f"{month} {moment.day}, {moment.year}" if long else f"{moment.day:02d} {month[:3]} {moment.year}"


def share(total: int, *weights: float) -> list[int]:
    """Split a forum total over its boards (the index lists per-board counts)."""
    return [round(total * weight) for weight in weights]


# --------------------------------------------------------------------------------------------------
# Discourse: crawler-view homepage, /about.json (new or old key spelling) and /latest.json

DISCOURSE_TOPICS = {
    "it": ("Benvenuti! Leggete qui prima di scrivere", "Cerco partner tandem per lo spagnolo", "«Ne» e «ci»"),
    "eo": ("Bonvenon! Legu tion unue", "Serĉas tandem-partneron por la germana", "Kiel uzi la akuzativon"),
    "es": ("¡Bienvenidos! Normas de la comunidad", "Busco intercambio con hablantes de alemán", "Ser o estar"),
}


def _slug(title: str) -> str:
    """Return a URL slug the way forum software makes one (accents dropped, words joined by '-')."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode().lower()
    return "-".join("".join(ch if ch.isalnum() else " " for ch in ascii_title).split()) or "topic"


def _discourse_topics(snap: Snapshot) -> list[dict[str, Any]]:
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
                "slug": _slug(title),
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


def _discourse_stats(snap: Snapshot) -> dict[str, int]:
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


def _render_discourse(snap: Snapshot) -> dict[str, Page]:
    site = snap.site
    description = site.description
    about: dict[str, Any] = {
        "can_see_about_stats": True,
        "stats": _discourse_stats(snap),
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
    topics = _discourse_topics(snap)
    latest = {
        "users": [],
        "primary_groups": [],
        "flair_groups": [],
        "topic_list": {"can_create_topic": False, "per_page": 30, "top_tags": [], "topics": topics},
    }
    sha = token("discourse", site.version, length=40)
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
<li><a href="/tos">Terms of Service</a></li><li><a href="/privacy">Privacy Policy</a></li>
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


# --------------------------------------------------------------------------------------------------
# MediaWiki: homepage (generator, EditURI, rel=license) and the siteinfo API in formatversion=2

MEDIAWIKI_API = "/w/api.php?action=query&meta=siteinfo&siprop=general|statistics|rightsinfo&format=json&formatversion=2"

MW_TEXT = {
    "pt": ("Página principal", "Bem-vindo à {name}, a enciclopédia livre que todos podem editar.",
           "O texto está disponível sob a licença {licence}; pode estar sujeito a condições adicionais.",
           "Sobre"),
    "ca": ("Portada", "Benvinguts al {name}, el diccionari lliure de la llengua catalana.",
           "El contingut està disponible sota la llicència {licence} llevat que s'indiqui el contrari.",
           "Quant a"),
    "nl": ("Hoofdpagina", "Welkom op de {name}: tips, woordenlijsten en gespreksonderwerpen voor taalmaatjes.",
           "De inhoud is beschikbaar onder de {licence}, tenzij anders vermeld.",
           "Over"),
    "de": ("Hauptseite", "Willkommen im {name}: Themen, Spiele und Vokabeln für Sprachcafés.",
           "", "Über"),
}  # fmt: skip


def _mediawiki_general(snap: Snapshot, mainpage: str) -> dict[str, Any]:
    # A subset of siteinfo's ~60 "general" keys: the ones readers use plus a few for realism.
    site = snap.site
    # One wiki publishes a protocol-relative server, a gotcha seen in the real samples.
    server = f"//{site.domain}" if site.domain.startswith("viquilexic") else snap.base
    return {
        "mainpage": mainpage,
        "base": f"{snap.base}/wiki/{mainpage.replace(' ', '_')}",
        "sitename": site.name,
        "mainpageisdomainroot": True,
        "logo": f"{snap.base}/w/resources/assets/logo.png",
        "generator": f"MediaWiki {site.version}",
        "phpversion": "8.1.2-1ubuntu2.18",
        "phpsapi": "fpm-fcgi",
        "dbtype": "mysql",
        "dbversion": "10.6.16-MariaDB",
        "case": "first-letter",
        "lang": site.lang,
        "fallback": [],
        "rtl": False,
        "readonly": False,
        "writeapi": True,
        "timezone": "UTC",
        "timeoffset": 0,
        "articlepath": "/wiki/$1",
        "scriptpath": "/w",
        "script": "/w/index.php",
        "server": server,
        "servername": site.domain,
        "wikiid": site.domain.split(".")[0].replace("-", "") + "wiki",
        "time": iso_z(snap.at),
        "uploadsenabled": True,
        "favicon": f"{snap.base}/favicon.ico",
    }


def _render_mediawiki(snap: Snapshot) -> dict[str, Page]:
    site, figs = snap.site, snap.figs
    mainpage, welcome, copyright_fmt, about = MW_TEXT[site.lang]
    statistics = {
        "pages": figs["pages"],
        "articles": figs["articles"],
        "edits": figs["edits"],
        "images": figs["articles"] // 9,
        "users": figs["members"],
        "activeusers": figs["active_users_30d"],
        "admins": 4 + figs["members"] // 20000,
        "jobs": 0,
    }
    api = {
        "batchcomplete": True,
        "query": {
            "general": _mediawiki_general(snap, mainpage),
            "statistics": statistics,
            "rightsinfo": {"url": site.licence_url or "", "text": site.licence_text or ""},
        },
    }
    head_licence = f'<link rel="license" href="{esc(site.licence_url)}">\n' if site.licence_url else ""
    if site.licence_url:
        licence_html = f'<a class="external" rel="nofollow" href="{esc(site.licence_url)}">{esc(site.licence_text)}</a>'
    else:
        licence_html = esc(site.licence_text or "")
    copyright_li = (
        f'<li id="footer-info-copyright">{copyright_fmt.format(licence=licence_html)}</li>' if site.licence_text else ""
    )
    page_id = mainpage.replace(" ", "_")
    rlconf = to_json(
        {
            "wgServer": f"//{site.domain}",
            "wgSiteName": site.name,
            "wgPageName": page_id,
            "wgIsMainPage": True,
            "wgPageContentLanguage": site.lang,
            "wgContentLanguage": site.lang,
        }
    ).decode()
    homepage = f"""<!DOCTYPE html>
<html class="client-nojs" lang="{site.lang}" dir="ltr">
<head>
<meta charset="UTF-8">
<title>{esc(mainpage)} – {esc(site.name)}</title>
<script>document.documentElement.className="client-js";RLCONF={rlconf};</script>
<link rel="stylesheet"
href="/w/load.php?lang={site.lang}&amp;modules=skins.vector.styles&amp;only=styles&amp;skin=vector-2022">
<meta name="generator" content="MediaWiki {site.version}">
<meta name="referrer" content="origin">
<link rel="icon" href="/favicon.ico">
<link rel="search" type="application/opensearchdescription+xml" href="/w/rest.php/v1/search"
title="{esc(site.name)} ({site.lang})">
<link rel="EditURI" type="application/rsd+xml" href="//{site.domain}/w/api.php?action=rsd">
{head_licence}<link rel="canonical" href="{snap.base}/">
</head>
<body class="skin-vector skin-vector-search-vue mediawiki ltr sitedir-ltr mw-hide-empty-elt ns-0 ns-subject
page-{esc(page_id)} rootpage-{esc(page_id)} skin-vector-2022 action-view">
<div class="mw-page-container">
<main id="content" class="mw-body">
<h1 id="firstHeading" class="firstHeading mw-first-heading"><span class="mw-page-title-main">{esc(mainpage)}</span></h1>
<div id="bodyContent" class="vector-body"><div id="mw-content-text" class="mw-body-content">
<div class="mw-content-ltr mw-parser-output" lang="{site.lang}" dir="ltr">
<p>{esc(welcome.format(name=site.name))}</p></div>
</div></div>
</main>
<footer id="footer" class="mw-footer" role="contentinfo">
<ul id="footer-info">{copyright_li}</ul>
<ul id="footer-places"><li id="footer-places-about"><a href="/wiki/Project:About">{esc(about)} {esc(site.name)}</a>
</li></ul>
<ul id="footer-icons"><li id="footer-poweredbyico"><a href="https://www.mediawiki.org/"><img
src="/w/resources/assets/poweredby_mediawiki.svg" alt="Powered by MediaWiki" width="88" height="31"></a></li></ul>
</footer>
</div>
</body>
</html>
"""
    return {"/": html_page(homepage), MEDIAWIKI_API: json_page(api)}


# --------------------------------------------------------------------------------------------------
# NodeInfo, shared by Mastodon, Lemmy and PeerTube

NODEINFO_SCHEMA = "http://nodeinfo.diaspora.software/ns/schema/{version}"


def _nodeinfo_links(snap: Snapshot, version: str, href_path: str) -> Page:
    link = {"rel": NODEINFO_SCHEMA.format(version=version), "href": f"{snap.base}{href_path}"}
    return json_page({"links": [link]})


def _nodeinfo_usage(figs: dict[str, int]) -> dict[str, Any]:
    usage: dict[str, Any] = {
        "users": {
            "total": figs["members"],
            "activeMonth": figs["active_users_30d"],
            "activeHalfyear": figs["active_users_180d"],
        },
        "localPosts": figs["posts"],
    }
    if "comments" in figs:
        usage["localComments"] = figs["comments"]
    return usage


# --------------------------------------------------------------------------------------------------
# Mastodon: SPA homepage, /api/v2/instance, /api/v1/instance, /api/v1/instance/activity, NodeInfo 2.0


def _mastodon_activity(snap: Snapshot) -> list[dict[str, str]]:
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


def _render_mastodon(snap: Snapshot) -> dict[str, Page]:
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
        "usage": _nodeinfo_usage(figs),
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
        "/api/v1/instance/activity": json_page(_mastodon_activity(snap)),
        "/.well-known/nodeinfo": _nodeinfo_links(snap, "2.0", "/nodeinfo/2.0"),
        "/nodeinfo/2.0": json_page(nodeinfo, nodeinfo_type),
    }


# --------------------------------------------------------------------------------------------------
# Lemmy: lemmy-ui homepage with window.isoData, /api/v3/site, NodeInfo 2.1

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


def _render_lemmy(snap: Snapshot) -> dict[str, Page]:
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
        "usage": _nodeinfo_usage(figs),
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
        "/.well-known/nodeinfo": _nodeinfo_links(snap, "2.1", "/nodeinfo/2.1"),
        "/nodeinfo/2.1": json_page(nodeinfo),
    }


# --------------------------------------------------------------------------------------------------
# PeerTube, seen only through NodeInfo: its homepage is a bare single-page-app shell


def _render_peertube(snap: Snapshot) -> dict[str, Page]:
    site = snap.site
    nodeinfo = {
        "version": "2.0",
        "software": {"name": "peertube", "version": site.version},
        "protocols": ["activitypub"],
        "services": {"inbound": [], "outbound": ["atom1.0", "rss2.0"]},
        "openRegistrations": True,
        "usage": _nodeinfo_usage(snap.figs),
        "metadata": {
            "taxonomy": {"postsName": "Videos"},
            "nodeName": site.name,
            "nodeDescription": site.description,
            "nodeConfig": {"search": {"remoteUri": {"users": True, "anonymous": False}}, "live": {"enabled": True}},
        },
    }
    homepage = f"""<!doctype html>
<html lang="{site.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{esc(site.name)}</title>
<meta name="description" content="{esc(site.description)}">
<link rel="icon" type="image/png" href="/client/assets/images/favicon.png">
<link rel="stylesheet" href="/client/styles.{token(site.domain, length=16)}.css">
</head>
<body>
<noscript>Veuillez activer JavaScript pour utiliser ce site.</noscript>
<my-app></my-app>
<script src="/client/main.{token(site.domain, "js", length=16)}.js" type="module"></script>
</body>
</html>
"""
    # PeerTube publishes its document at /nodeinfo/2.0.json (with the extension).
    return {
        "/": html_page(homepage),
        "/.well-known/nodeinfo": _nodeinfo_links(snap, "2.0", "/nodeinfo/2.0.json"),
        "/nodeinfo/2.0.json": json_page(nodeinfo),
    }


# --------------------------------------------------------------------------------------------------
# phpBB 3.3 (prosilver): .stat-block.statistics, localised labels, raw integers

PHPBB_TEXT = {
    "en": {
        "index": "Index page", "now": "It is currently {date}", "forum": "Forum", "topics": "Topics",
        "posts": "Posts", "last": "Last post", "by": "by", "online_head": "Who is online",
        "online": "In total there are <strong>{n}</strong> users online :: {reg} registered, 0 hidden and "
        "{guests} guests (based on users active over the past 5 minutes)<br />Most users ever online was "
        "<strong>{record}</strong> on 14 Jan 2025, 21:07",
        "stats": "Statistics", "total_posts": "Total posts", "total_topics": "Total topics",
        "total_members": "Total members", "newest": "Our newest member", "tz": "All times are",
        "board": "Board index", "powered": "Powered by",
        "boards": ("Introduce yourself", "Find a pen pal or a tandem partner"),
    },
    "fr": {
        "index": "Page d’index", "now": "Nous sommes le {date}", "forum": "Forum", "topics": "Sujets",
        "posts": "Messages", "last": "Dernier message", "by": "par", "online_head": "Qui est en ligne ?",
        "online": "Au total, il y a <strong>{n}</strong> utilisateurs en ligne :: {reg} inscrits, 0 invisible "
        "et {guests} invités (selon le nombre d’utilisateurs actifs pendant les 5 dernières minutes)<br />"
        "Le nombre maximum d’utilisateurs en ligne simultanément a été de <strong>{record}</strong> le "
        "14/01/2025 21:07",
        "stats": "Statistiques", "total_posts": "Messages au total", "total_topics": "Sujets au total",
        "total_members": "Membres au total", "newest": "Notre membre le plus récent", "tz": "Heures au format",
        "board": "Index du forum", "powered": "Développé par",
        "boards": ("Présentez-vous", "Tandems et correspondants"),
    },
    "de": {
        "index": "Foren-Übersicht", "now": "Aktuelle Zeit: {date}", "forum": "Forum", "topics": "Themen",
        "posts": "Beiträge", "last": "Letzter Beitrag", "by": "von", "online_head": "Wer ist online?",
        "online": "Insgesamt sind <strong>{n}</strong> Besucher online :: {reg} sichtbare Mitglieder, "
        "0 unsichtbare Mitglieder und {guests} Gäste (basierend auf den aktiven Besuchern der letzten 5 "
        "Minuten)<br />Der Besucherrekord liegt bei <strong>{record}</strong> Besuchern, die am 14.01.2025, "
        "21:07 gleichzeitig online waren.",
        "stats": "Statistik", "total_posts": "Beiträge insgesamt", "total_topics": "Themen insgesamt",
        "total_members": "Mitglieder insgesamt", "newest": "Unser neuestes Mitglied", "tz": "Alle Zeiten sind",
        "board": "Foren-Übersicht", "powered": "Powered by",
        "boards": ("Stellt euch vor", "Tandempartner gesucht"),
    },
    "it": {
        "index": "Pagina principale", "now": "Oggi è {date}", "forum": "Forum", "topics": "Argomenti",
        "posts": "Messaggi", "last": "Ultimo messaggio", "by": "da", "online_head": "Chi c’è in linea",
        "online": "In totale ci sono <strong>{n}</strong> utenti connessi :: {reg} iscritti, 0 nascosti e "
        "{guests} ospiti (basato sugli utenti attivi negli ultimi 5 minuti)<br />Record di utenti connessi: "
        "<strong>{record}</strong> registrato il 14/01/2025, 21:07",
        "stats": "Statistiche", "total_posts": "Messaggi totali", "total_topics": "Argomenti totali",
        "total_members": "Iscritti totali", "newest": "Ultimo iscritto", "tz": "Tutti gli orari sono",
        "board": "Indice", "powered": "Creato con",
        "boards": ("Presentazioni", "Traduzioni dall’inglese"),
    },
}  # fmt: skip


def _phpbb_date(moment: datetime, lang: str) -> str:
    # Board admins pick the date format; the English board spells the month, the others are numeric.
    if lang == "en":
        return f"{en_date(moment)}, {moment:%H:%M}"
    return moment.strftime("%d.%m.%Y, %H:%M" if lang == "de" else "%d/%m/%Y %H:%M")


def _render_phpbb(snap: Snapshot) -> dict[str, Page]:
    site, figs = snap.site, snap.figs
    text = PHPBB_TEXT[site.lang]
    sid = token(site.domain, snap.index)
    rows = []
    for number, (board, topics, posts) in enumerate(
        zip(text["boards"], share(figs["topics"], 0.35, 0.65), share(figs["posts"], 0.3, 0.7), strict=True)
    ):
        moment = snap.last_post if number else snap.last_post - timedelta(hours=9)
        rows.append(
            f"""<li class="row"><dl class="row-item forum_read">
<dt title="No unread posts"><div class="list-inner"><a href="./viewforum.php?f={number + 2}&amp;sid={sid}"
class="forumtitle">{esc(board)}</a></div></dt>
<dd class="topics">{topics} <dfn>{text["topics"]}</dfn></dd>
<dd class="posts">{posts} <dfn>{text["posts"]}</dfn></dd>
<dd class="lastpost"><span><dfn>{text["last"]}</dfn> <a
href="./viewtopic.php?p={posts + 17}&amp;sid={sid}#p{posts + 17}" class="lastsubject">Re: …</a>
<br />{_phpbb_date(moment, site.lang)}</span></dd>
</dl></li>"""
        )
    online = ""
    if "online_now" in figs:
        n = figs["online_now"]
        reg = max(1, n // 12)
        record = 4 * snap.site.figures["online_now"] + 37
        online = f"""<div class="stat-block online-list">
<h3>{text["online_head"]}</h3>
<p>{text["online"].format(n=n, reg=reg, guests=n - reg, record=record)}</p>
</div>"""
    newest = ""
    if site.newest_member:
        user_id = figs["members"] + 1201
        newest = (
            f' &bull; {text["newest"]} <strong><a href="./memberlist.php?mode=viewprofile&amp;u={user_id}'
            f'&amp;sid={sid}" class="username">{esc(site.newest_member)}</a></strong>'
        )
    newline = "\n"
    homepage = f"""<!DOCTYPE html>
<html dir="ltr" lang="{site.lang}">
<head>
<meta charset="utf-8" />
<meta http-equiv="X-UA-Compatible" content="IE=edge">
<meta name="viewport" content="width=device-width, initial-scale=1" />
<title>{esc(site.name)} - {text["index"]}</title>
<link rel="alternate" type="application/atom+xml" title="Feed - {esc(site.name)}" href="/app.php/feed?sid={sid}">
<!--
	phpBB style name: prosilver
	Based on style:   prosilver (this is the default phpBB3 style)
	Original author:  Tom Beddard ( http://www.subBlue.com/ )
-->
<link href="./styles/prosilver/theme/stylesheet.css?assets_version=12" rel="stylesheet">
<link href="./styles/prosilver/theme/{site.lang}/stylesheet.css?assets_version=12" rel="stylesheet">
</head>
<body id="phpbb" class="nojs notouch section-index ltr ">
<div id="wrap" class="wrap">
<div id="site-description">
<h1>{esc(site.name)}</h1>
<p>{esc(site.description)}</p>
</div>
<div id="page-body" class="page-body" role="main">
<p class="right responsive-center time">{text["now"].format(date=_phpbb_date(snap.at, site.lang))}</p>
<div class="forabg"><div class="inner">
<ul class="topiclist"><li class="header"><dl class="row-item">
<dt><div class="list-inner">{text["forum"]}</div></dt><dd class="topics">{text["topics"]}</dd>
<dd class="posts">{text["posts"]}</dd><dd class="lastpost"><span>{text["last"]}</span></dd>
</dl></li></ul>
<ul class="topiclist forums">
{newline.join(rows)}
</ul>
</div></div>
{online}
<div class="stat-block statistics">
<h3>{text["stats"]}</h3>
<p>
{text["total_posts"]} <strong>{figs["posts"]}</strong> &bull; {text["total_topics"]} <strong>{figs["topics"]}</strong>
&bull; {text["total_members"]} <strong>{figs["members"]}</strong>{newest}
</p>
</div>
</div>
<div id="page-footer" class="page-footer" role="contentinfo">
<div class="navbar"><ul id="nav-footer" class="nav-footer linklist">
<li class="breadcrumbs"><span class="crumb"><a href="./index.php?sid={sid}">{text["board"]}</a></span></li>
<li class="rightside">{text["tz"]} <span title="UTC">UTC</span></li>
</ul></div>
<div class="copyright">{text["powered"]} <a
href="https://www.phpbb.com/">phpBB</a>&reg; Forum Software &copy; phpBB Limited</div>
</div>
</div>
<script src="./assets/javascript/core.js?assets_version=12"></script>
</body>
</html>
"""
    return {"/": html_page(homepage)}


# --------------------------------------------------------------------------------------------------
# XenForo 2 forum_list: html#XF and the forum_statistics widget (dl.count--threads/messages/users)

XF_TEXT = {
    "en": {"threads": "Threads", "messages": "Messages", "members": "Members", "latest": "Latest member",
           "stats": "Forum statistics", "today": "Today at {time}", "footer": "Community platform by XenForo®",
           "boards": ("Word meanings and usage", "Translation requests")},
    "de": {"threads": "Themen", "messages": "Beiträge", "members": "Mitglieder", "latest": "Neuestes Mitglied",
           "stats": "Forenstatistik", "today": "Heute um {time}", "footer": "Forensoftware von XenForo®",
           "boards": ("Deutsch als Fremdsprache", "Tandem-Börse")},
}  # fmt: skip


def _render_xenforo(snap: Snapshot) -> dict[str, Page]:
    site, figs = snap.site, snap.figs
    text = XF_TEXT[site.languages[0]]
    style = site.number_style
    moment = snap.last_post
    if site.languages[0] == "en":
        date_string, time_string = en_date(moment, long=True), moment.strftime("%I:%M %p").lstrip("0")
    else:
        date_string, time_string = moment.strftime("%d.%m.%Y"), moment.strftime("%H:%M")
    nodes = []
    for number, (board, threads, messages) in enumerate(
        zip(text["boards"], share(figs["topics"], 0.62, 0.38), share(figs["posts"], 0.7, 0.3), strict=True)
    ):
        node_id = 3 + number * 4
        node_time = ""
        if number == 0:
            node_time = (
                f'<div class="node-extra-row"><ul class="listInline listInline--bullet"><li>'
                f'<time class="node-extra-date u-dt" dir="auto" datetime="{moment:%Y-%m-%dT%H:%M:%S+0000}" '
                f'data-time="{int(moment.timestamp())}" data-date-string="{date_string}" '
                f'data-time-string="{time_string}">{text["today"].format(time=time_string)}</time>'
                f"</li></ul></div>"
            )
        nodes.append(
            f"""<div class="node node--id{node_id} node--depth2 node--forum node--read">
<div class="node-body">
<div class="node-main js-nodeMain"><h3 class="node-title"><a
href="/forums/{_slug(board)}.{node_id}/">{esc(board)}</a></h3></div>
<div class="node-stats">
<dl class="pairs pairs--rows"><dt>{text["threads"]}</dt><dd>{fmt(threads, style)}</dd></dl>
<dl class="pairs pairs--rows"><dt>{text["messages"]}</dt><dd>{fmt(messages, style)}</dd></dl>
</div>
<div class="node-extra">{node_time}</div>
</div>
</div>"""
        )
    newline = "\n"
    csrf = f"{int(snap.at.timestamp())},{token(site.domain, snap.index)}"
    homepage = f"""<!DOCTYPE html>
<html id="XF" lang="{site.lang}" dir="LTR" data-app="public" data-template="forum_list" data-container-key=""
data-content-key="" data-logged-in="false" data-cookie-prefix="xf_" data-csrf="{csrf}"
class="has-no-js template-forum_list">
<head>
<meta charset="utf-8" />
<meta http-equiv="X-UA-Compatible" content="IE=Edge" />
<meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover">
<title>{esc(site.name)}</title>
<meta name="description" content="{esc(site.description)}" />
<meta property="og:description" content="{esc(site.description)}" />
<link rel="canonical" href="{snap.base}/" />
<link rel="alternate" type="application/rss+xml" title="RSS feed for {esc(site.name)}" href="/forums/-/index.rss" />
<meta property="og:site_name" content="{esc(site.name)}" />
<meta property="og:type" content="website" />
<meta property="og:title" content="{esc(site.name)}" />
<meta property="og:url" content="{snap.base}/" />
<link rel="stylesheet"
href="/css.php?css=public%3Anormalize.css%2Cpublic%3Acore.less%2Cpublic%3Aapp.less&amp;s=1&amp;l=1&amp;d=1714000000" />
<script src="/js/xf/preamble.min.js?_v=2f5a1c3e"></script>
</head>
<body data-template="forum_list">
<div class="p-pageWrapper" id="top">
<div class="p-body"><div class="p-body-inner">
<div class="p-body-header"><div class="p-title "><h1 class="p-title-value">{esc(site.name)}</h1></div></div>
<div class="p-body-main p-body-main--withSidebar ">
<div class="p-body-content"><div class="p-body-pageContent">
<div class="block block--category block--category1"><div class="block-container"><div class="block-body">
{newline.join(nodes)}
</div></div></div>
</div></div>
<div class="p-body-sidebar">
<div class="block" data-widget-id="9" data-widget-key="forum_overview_forum_statistics"
data-widget-definition="forum_statistics">
<div class="block-container">
<h3 class="block-minorHeader">{text["stats"]}</h3>
<div class="block-body block-row">
<dl class="pairs pairs--justified count--threads"><dt>{text["threads"]}</dt><dd>{fmt(figs["topics"], style)}</dd></dl>
<dl class="pairs pairs--justified count--messages"><dt>{text["messages"]}</dt><dd>{fmt(figs["posts"], style)}</dd></dl>
<dl class="pairs pairs--justified count--users"><dt>{text["members"]}</dt><dd>{fmt(figs["members"], style)}</dd></dl>
<dl class="pairs pairs--justified"><dt>{text["latest"]}</dt><dd><a
href="/members/{_slug(site.newest_member or "x")}.{figs["members"] + 9}/" class="username " dir="auto"
data-user-id="{figs["members"] + 9}">{esc(site.newest_member)}</a></dd></dl>
</div>
</div>
</div>
</div>
</div>
</div></div>
<footer class="p-footer" id="footer"><div class="p-footer-inner"><div class="p-footer-copyright"><a
href="https://xenforo.com" class="u-concealed" dir="ltr" target="_blank" rel="sponsored noopener">{text["footer"]}
<span class="copyright">&copy; 2010-2024 XenForo Ltd.</span></a></div></div></footer>
</div>
</body>
</html>
"""
    return {"/": html_page(homepage)}


# --------------------------------------------------------------------------------------------------
# SMF 2.0 board index: the info-centre sentence "N Posts in N Topics by N Members"

SMF_TEXT = {
    "en": {"index": "Index", "welcome": "Welcome, <em>Guest</em>", "stats": "Forum Stats", "info": "Info Center",
           "sentence": "{posts} Posts in {topics} Topics by {members} Members. Latest Member: ",
           "latest_post": "Latest Post", "when": "( <strong>Today</strong> at {time} )",
           "recent": "View the most recent posts on the forum.", "boards": ("Letters wanted", "Language corner"),
           "board_stats": "{posts} Posts <br />\n{topics} Topics"},
    "es": {"index": "Índice", "welcome": "Bienvenido(a), <em>Visitante</em>", "stats": "Estadísticas del Foro",
           "info": "Centro de información",
           "sentence": "{posts} Mensajes en {topics} Temas por {members} Miembros. Último usuario: ",
           "latest_post": "Último mensaje", "when": "( <strong>Hoy</strong> a las {time} )",
           "recent": "Ver los mensajes más recientes del foro.", "boards": ("Preséntate", "Busco intercambio"),
           "board_stats": "{posts} Mensajes <br />\n{topics} Temas"},
}  # fmt: skip


def _render_smf(snap: Snapshot) -> dict[str, Page]:
    site, figs = snap.site, snap.figs
    text = SMF_TEXT[site.lang]
    script = f"{snap.base}/index.php"
    moment = snap.last_post
    clock = moment.strftime("%I:%M:%S %p") if site.lang == "en" else moment.strftime("%H:%M:%S")
    now = (
        f"{EN_MONTHS[snap.at.month - 1]} {snap.at:%d, %Y, %I:%M:%S %p}"
        if site.lang == "en"
        else snap.at.strftime("%d/%m/%Y, %H:%M:%S")
    )
    boards = []
    for number, (board, topics, posts) in enumerate(
        zip(text["boards"], share(figs["topics"], 0.4, 0.6), share(figs["posts"], 0.45, 0.55), strict=True)
    ):
        boards.append(
            f"""<tr>
<td class="windowbg2 info"><h4><a href="{script}?board={number + 1}.0" name="b{number + 1}">{esc(board)}</a></h4></td>
<td class="windowbg stats smalltext">{text["board_stats"].format(posts=posts, topics=topics)}</td>
</tr>"""
        )
    newline = "\n"
    homepage = f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml" lang="{site.lang}">
<head>
<link rel="stylesheet" type="text/css" href="{snap.base}/Themes/default/css/index.css?fin20" />
<script type="text/javascript" src="{snap.base}/Themes/default/scripts/script.js?fin20"></script>
<script type="text/javascript"><!-- // --><![CDATA[
	var smf_theme_url = "{snap.base}/Themes/default";
	var smf_default_theme_url = "{snap.base}/Themes/default";
	var smf_images_url = "{snap.base}/Themes/default/images";
	var smf_scripturl = "{script}";
	var smf_charset = "UTF-8";
// ]]></script>
<meta http-equiv="Content-Type" content="text/html; charset=UTF-8" />
<meta name="description" content="{esc(site.name)} - {text["index"]}" />
<meta property="og:site_name" content="{esc(site.name)}" />
<title>{esc(site.name)} - {text["index"]}</title>
<link rel="canonical" href="{script}" />
<link rel="alternate" type="application/rss+xml" title="{esc(site.name)} - RSS" href="{script}?type=rss;action=.xml" />
</head>
<body>
<div id="header"><div class="frame">
<h1 class="forumtitle"><a href="{script}">{esc(site.name)}</a></h1>
<div class="user"><span id="time">{now}</span> <span id="name">{text["welcome"]}</span></div>
<div id="siteslogan">{esc(site.description)}</div>
</div></div>
<div id="content_section"><div class="frame"><div id="main_content_section">
<div id="boardindex_table"><table class="table_list">
{newline.join(boards)}
</table></div>
<span class="clear upperframe"><span></span></span>
<div class="roundframe"><div class="innerframe">
<div class="cat_bar"><h3 class="catbg">{esc(site.name)} - {text["info"]}</h3></div>
<div id="upshrinkHeaderIC">
<div class="title_barIC"><h4 class="titlebg"><span class="ie6_header floatleft">
<a href="{script}?action=stats"><img class="icon" src="{snap.base}/Themes/default/images/icons/info.gif"
alt="{text["stats"]}" /></a>{text["stats"]}</span></h4></div>
<p>
{text["sentence"].format(posts=figs["posts"], topics=figs["topics"], members=figs["members"])}<strong> <a
href="{script}?action=profile;u={figs["members"] + 311}">{esc(site.newest_member)}</a></strong><br />
{text["latest_post"]}: <strong>&quot;<a
href="{script}?topic={figs["topics"] + 88}.msg{figs["posts"] + 412}#new">Re: …</a>&quot;</strong>
{text["when"].format(time=clock)}<br />
<a href="{script}?action=recent">{text["recent"]}</a>
</p>
</div>
</div></div>
</div></div></div>
<div id="footer_section"><div class="frame"><ul class="reset">
<li class="copyright"><span class="smalltext"
style="display: inline; visibility: visible; font-family: Verdana, Arial, sans-serif;"><a
href="{script}?action=credits" title="Simple Machines Forum" target="_blank" class="new_win">SMF 2.0.19</a> |
<a href="https://www.simplemachines.org/about/smf/license.php" title="License" target="_blank"
class="new_win">SMF &copy; 2021</a>, <a href="https://www.simplemachines.org" title="Simple Machines"
target="_blank" class="new_win">Simple Machines</a></span></li>
</ul></div></div>
</body>
</html>
"""
    return {"/": html_page(homepage)}


# --------------------------------------------------------------------------------------------------
# MyBB 1.8 index: the boardstats block ("Our members have made a total of ...")

MYBB_TEXT = {
    "en": {"stats_head": "Board Statistics",
           "posts": "Our members have made a total of {posts} posts in {threads} threads.",
           "members": "We currently have {members} members registered.",
           "newest": "Please welcome our newest member, <b>{user}</b>",
           "record": "The most users online at one time was {record} on 12-03-2025 at 08:14 PM",
           "online_head": "Who's Online", "complete": "Complete List",
           "online": "{n} users active in the past 15 minutes ({m} members, 0 of whom are invisible, and {g} guests).",
           "threads": "Threads", "posts_col": "Posts", "boards": ("General discussion", "Language logs")},
    "pl": {"stats_head": "Statystyki forum",
           "posts": "Nasi użytkownicy napisali {posts} postów w {threads} wątkach.",
           "members": "Mamy {members} zarejestrowanych użytkowników.",
           "newest": "Przywitajmy naszego najnowszego użytkownika, <b>{user}</b>",
           "record": "Najwięcej użytkowników online ({record}) było 12-03-2025, 20:14",
           "threads": "Wątków", "posts_col": "Postów",
           "boards": ("Szukam partnera do rozmów", "Język polski dla obcokrajowców")},
}  # fmt: skip


def _render_mybb(snap: Snapshot) -> dict[str, Page]:
    site, figs = snap.site, snap.figs
    text = MYBB_TEXT[site.lang]
    style = site.number_style
    rows = []
    for number, (board, threads, posts) in enumerate(
        zip(text["boards"], share(figs["topics"], 0.55, 0.45), share(figs["posts"], 0.6, 0.4), strict=True)
    ):
        rows.append(
            f"""<tr>
<td class="trow1"><strong><a href="forum-{number + 2}.html">{esc(board)}</a></strong></td>
<td class="trow1" align="center" style="white-space: nowrap">{fmt(threads, style)}</td>
<td class="trow1" align="center" style="white-space: nowrap">{fmt(posts, style)}</td>
</tr>"""
        )
    online = ""
    if "online_now" in figs:
        n = figs["online_now"]
        members_online = max(1, n // 8)
        online = f"""<tr>
<td class="tcat"><span class="smalltext"><strong>{text["online_head"]}</strong> [<a
href="online.php">{text["complete"]}</a>]</span></td>
</tr>
<tr>
<td class="trow1"><span class="smalltext">
{text["online"].format(n=fmt(n, style), m=members_online, g=n - members_online)}</span></td>
</tr>"""
    user = f'<a href="{snap.base}/user-{figs["members"] + 77}.html">{esc(site.newest_member)}</a>'
    record = fmt(3 * site.figures.get("online_now", 160) + 41, style)
    newline = "\n"
    homepage = f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xml:lang="{site.lang}" lang="{site.lang}" xmlns="http://www.w3.org/1999/xhtml">
<head>
<title>{esc(site.name)}</title>
<link rel="alternate" type="application/rss+xml" title="Latest Threads (RSS 2.0)" href="{snap.base}/syndication.php" />
<meta http-equiv="Content-Type" content="text/html; charset=UTF-8" />
<script type="text/javascript" src="{snap.base}/jscripts/jquery.js?ver=1823"></script>
<script type="text/javascript" src="{snap.base}/jscripts/general.js?ver=1838"></script>
<link type="text/css" rel="stylesheet" href="{snap.base}/cache/themes/theme1/global.css?t=1714000000" />
<script type="text/javascript">
<!--
	var cookieDomain = ".{site.domain}";
	var cookiePath = "/";
	var cookiePrefix = "";
	var my_post_key = "{token(site.domain, snap.index)}";
	var rootpath = "{snap.base}";
	var MyBBEditor = null;
// -->
</script>
</head>
<body>
<div id="container">
<div id="header"><div id="logo"><div class="wrapper"><a href="{snap.base}/index.php"><img
src="{snap.base}/images/logo.png" alt="{esc(site.name)}" title="{esc(site.name)}" /></a></div></div></div>
<div id="content"><div class="wrapper">
<div class="navigation"><span class="active">{esc(site.name)}</span></div>
<table border="0" cellspacing="0" cellpadding="5" class="tborder">
<thead><tr><td class="thead" colspan="3"><div><strong><a href="forum-1.html">{esc(site.name)}</a></strong><br />
<div class="smalltext">{esc(site.description)}</div></div></td></tr></thead>
<tbody>
<tr><td class="tcat"><span class="smalltext"><strong>Forum</strong></span></td>
<td class="tcat"><span class="smalltext"><strong>{text["threads"]}</strong></span></td>
<td class="tcat"><span class="smalltext"><strong>{text["posts_col"]}</strong></span></td></tr>
{newline.join(rows)}
</tbody>
</table>
<br />
<!-- start: index_boardstats -->
<table border="0" cellspacing="0" cellpadding="5" class="tborder">
<thead><tr><td class="thead"><div><strong>{text["stats_head"]}</strong></div></td></tr></thead>
<tbody id="boardstats_e">
{online}
<!-- start: index_stats -->
<tr><td class="tcat"><span class="smalltext"><strong>{text["stats_head"]}</strong></span></td></tr>
<tr>
<td class="trow1"><span class="smalltext">
{text["posts"].format(posts=fmt(figs["posts"], style), threads=fmt(figs["topics"], style))}<br />
{text["members"].format(members=fmt(figs["members"], style))}<br />
{text["newest"].format(user=user)}<br />
{text["record"].format(record=record)}
</span>
</td>
</tr>
<!-- end: index_stats -->
</tbody>
</table>
<!-- end: index_boardstats -->
</div></div>
<div id="footer"><div class="lower"><div class="wrapper"><span id="copyright">Powered By <a href="https://mybb.com"
target="_blank" rel="noopener">MyBB</a>, &copy; 2002-2026 <a href="https://mybb.com" target="_blank"
rel="noopener">MyBB Group</a>.</span></div></div></div>
</div>
</body>
</html>
"""
    return {"/": html_page(homepage)}


# --------------------------------------------------------------------------------------------------
# vBulletin 4 forumhome: #wgo_stats dt/dd pairs; this board is Brazilian and serves ISO-8859-1


def _render_vbulletin(snap: Snapshot) -> dict[str, Page]:
    site, figs = snap.site, snap.figs
    style = site.number_style
    session = token(site.domain, snap.index)
    homepage = f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<!-- BEGIN TEMPLATE: FORUMHOME -->
<html xmlns="http://www.w3.org/1999/xhtml" dir="ltr" lang="{site.lang}" id="vbulletin_html">
<head>
<link rel="canonical" href="{snap.base}/forum.php" />
<!-- BEGIN TEMPLATE: headinclude -->
<meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-1" />
<meta id="e_vb_meta_bburl" name="vb_meta_bburl" content="{snap.base}" />
<meta name="description" content="{esc(site.description)}" />
<script type="text/javascript">
<!--
	var SESSIONURL = "s={session}&";
	var SECURITYTOKEN = "guest";
	var SIMPLEVERSION = "425";
	var BBURL = "{snap.base}";
	var LOGGEDIN = 0 > 0 ? true : false;
	var THIS_SCRIPT = "index";
// -->
</script>
<script type="text/javascript" src="{snap.base}/clientscript/vbulletin-core.js?v=425"></script>
<!-- END TEMPLATE: headinclude -->
<title>{esc(site.name)}</title>
</head>
<body>
<!-- BEGIN TEMPLATE: header -->
<div id="header" class="floatcontainer doc_header">
<div><a name="top" href="{snap.base}/forum.php" class="logo-image"><img src="{snap.base}/images/misc/logo.png"
alt="{esc(site.name)} - Powered by vBulletin" /></a></div>
</div>
<!-- END TEMPLATE: header -->
<div id="wgo" class="collapse wgo_block block">
<h2 class="blockhead">O que está acontecendo?</h2>
<div class="blockbody formcontrols floatcontainer">
<div id="wgo_stats" class="wgo_subblock section">
<h3 class="blocksubhead"><img src="{snap.base}/images/misc/forum_stats.png" alt="Estatísticas do {esc(site.name)}"
/>Estatísticas do {esc(site.name)}</h3>
<div>
<dl>
<dt>Tópicos</dt>
<dd>{fmt(figs["topics"], style)}</dd>
<dt>Mensagens</dt>
<dd>{fmt(figs["posts"], style)}</dd>
<dt>Membros</dt>
<dd>{fmt(figs["members"], style)}</dd>
</dl>
<p>Bem-vindo ao nosso mais novo membro, <a
href="{snap.base}/member.php?u={figs["members"] + 2040}&amp;s={session}">{esc(site.newest_member)}</a></p>
</div>
</div>
</div>
</div>
<div id="footer_copyright" class="shade footer_copyright">Powered by <a href="https://www.vbulletin.com"
id="vbulletinlink">vBulletin&reg;</a> Versão 4.2.5</div>
</body>
</html>
<!-- END TEMPLATE: FORUMHOME -->
"""
    # Real vB4 boards still serve Latin-1; the encode also proves the text fits that charset.
    return {"/": Page(homepage.encode("iso-8859-1"), "text/html; charset=ISO-8859-1")}


# --------------------------------------------------------------------------------------------------
# Custom sites (no known software): counts only in prose and meta description, hreflang alternates

GENERIC_TEXT = {
    "fr": ("À propos", "Contact", "Contenu sous licence"),
    "en": ("About", "Contact", "Content licensed under"),
    "de": ("Über uns", "Kontakt", "Inhalte unter"),
    "ca": ("Qui som", "Contacte", "Contingut sota"),
}


@dataclass(frozen=True)
class Custom:
    """The prose of a custom site: title, intro paragraph ({members} placeholder) and extras."""

    title: str
    intro: str
    extra: str = ""  # further body HTML (figures with credits, sentence counts, ...)


CUSTOM_PAGES: dict[str, Custom] = {}


def _render_generic(snap: Snapshot) -> dict[str, Page]:
    site = snap.site
    custom = CUSTOM_PAGES[site.domain]
    about, contact, licensed = GENERIC_TEXT[site.lang]
    members = snap.figs.get("members")
    described = site.description.format(members=fmt(members, site.number_style) if members else "")
    intro = custom.intro.format(members=fmt(members, site.number_style) if members else "")
    alternates = "\n".join(
        f'<link rel="alternate" hreflang="{code}" href="{snap.base}/{"" if i == 0 else code + "/"}">'
        for i, code in enumerate(site.markup_languages or site.languages)
    )
    licence = ""
    if site.licence_url:
        licence = f' · {licensed} <a rel="license" href="{esc(site.licence_url)}">{esc(site.licence_text)}</a>'
    json_ld = to_json(
        {"@context": "https://schema.org", "@type": "WebSite", "name": site.name, "url": f"{snap.base}/"}
    ).decode()
    homepage = f"""<!DOCTYPE html>
<html lang="{site.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{esc(custom.title)}</title>
<meta name="description" content="{esc(described)}">
<meta property="og:site_name" content="{esc(site.name)}">
<meta property="og:title" content="{esc(custom.title)}">
<meta property="og:description" content="{esc(described)}">
<meta property="og:url" content="{snap.base}/">
<link rel="canonical" href="{snap.base}/">
{alternates}
<link rel="stylesheet" href="/static/site.css?v={token(site.domain, length=8)}">
<script type="application/ld+json">{json_ld}</script>
</head>
<body>
<header class="site-header"><a class="brand" href="/">{esc(site.name)}</a></header>
<main>
<h1>{esc(site.name)}</h1>
<p class="intro">{intro}</p>
{custom.extra}
</main>
<footer class="site-footer"><a href="/about">{about}</a> · <a href="/contact">{contact}</a>{licence}</footer>
</body>
</html>
"""
    return {"/": html_page(homepage)}


RENDERERS: dict[str | None, Callable[[Snapshot], dict[str, Page]]] = {
    "discourse": _render_discourse,
    "mediawiki": _render_mediawiki,
    "mastodon": _render_mastodon,
    "lemmy": _render_lemmy,
    "peertube": _render_peertube,
    "phpbb": _render_phpbb,
    "xenforo": _render_xenforo,
    "smf": _render_smf,
    "mybb": _render_mybb,
    "vbulletin": _render_vbulletin,
    None: _render_generic,
}


# --------------------------------------------------------------------------------------------------
# robots.txt and fault pages

ROBOTS_RULES = {
    "discourse": ("/admin/", "/auth/", "/email/", "/session", "/u/", "/search", "/badges"),
    "mediawiki": ("/wiki/Special:", "/w/index.php?title=Special:"),
    "mastodon": ("/media_proxy/", "/interact/"),
    "lemmy": ("/login", "/settings", "/create_community", "/create_post"),
    "peertube": ("/admin/", "/my-account/"),
    "phpbb": ("/memberlist.php", "/ucp.php", "/posting.php", "/search.php"),
    "xenforo": ("/account/", "/members/", "/login/", "/search/"),
    "smf": ("/index.php?action=profile", "/index.php?action=search"),
    "mybb": ("/member.php", "/private.php", "/search.php"),
    "vbulletin": ("/member.php", "/private.php", "/login.php"),
    None: (),
}


def _robots(site: Site) -> Page:
    if site.fault == "robots":
        return Page(b"User-agent: *\nDisallow: /\n", TEXT_UTF8)
    lines = []
    if site.platform == "mastodon":
        # Mastodon's default file shuts out AI crawlers by name; it must not apply to Tremplin.
        lines += ["User-agent: GPTBot", "Disallow: /", ""]
    lines.append("User-agent: *")
    lines += [f"Disallow: {path}" for path in ROBOTS_RULES[site.platform]] or ["Disallow:"]
    if site.crawl_delay:
        lines.append(f"Crawl-delay: {site.crawl_delay}")
    lines += ["", f"Sitemap: {site.scheme}://{site.domain}/sitemap.xml"]
    return Page(("\n".join(lines) + "\n").encode(), TEXT_UTF8)


def _fault_page(site: Site) -> Page:
    if site.fault == "http_503":
        text = (
            f'<!DOCTYPE html>\n<html lang="{site.lang}"><head><meta charset="utf-8">'
            f"<title>Maintenance – {esc(site.name)}</title></head>\n<body><h1>Site en maintenance</h1>"
            f"<p>{esc(site.name)} revient très vite. Merci de votre patience.</p></body></html>\n"
        )
        return html_page(text, 503, (("Retry-After", "3600"),))
    text = (
        f'<!DOCTYPE html>\n<html lang="{site.lang}"><head><meta charset="utf-8">'
        f"<title>{esc(site.name)} has closed</title></head>\n<body><h1>{esc(site.name)} has closed</h1>"
        "<p>Our language-learning service closed on 31 March 2016. Thank you for learning with us.</p>"
        "</body></html>\n"
    )
    return html_page(text, 410)


def _moved(location: str) -> Page:
    text = (
        '<!DOCTYPE HTML PUBLIC "-//IETF//DTD HTML 2.0//EN">\n<html><head>\n<title>301 Moved Permanently</title>\n'
        "</head><body>\n<h1>Moved Permanently</h1>\n"
        f'<p>The document has moved <a href="{esc(location)}">here</a>.</p>\n'
        "</body></html>\n"
    )
    return html_page(text, 301, (("Location", location),))


# --------------------------------------------------------------------------------------------------
# The sites. Names, people and numbers are invented; each site echoes a kind of community the
# use-case article names (see shared/context/README.md).

FORUM_DEFAULT_ACTIVITY = (1.0, 1.08, 1.15)

SITES: tuple[Site, ...] = (
    # Discourse ------------------------------------------------------------------------------------
    Site(
        "discuss.parlamondo.example", "discourse", "Parlamondo", "forum", ("it",),
        figures=dict(members=18_420, topics=9_310, posts=142_870, active_users_1d=212, active_users_7d=905,
                     active_users_30d=2_140, posts_7d=1_830, posts_30d=7_410, topics_7d=118, topics_30d=466),
        growth=0.045, version="3.2.1",
        description="Scambio linguistico tra italiani e persone di tutto il mondo. <script>alert(1)</script>",
    ),
    Site(
        "forumo.lingvoponto.example", "discourse", "Lingvo-Ponto", "forum", ("eo",),
        figures=dict(members=6_215, topics=3_870, posts=51_940, active_users_1d=38, active_users_7d=164,
                     active_users_30d=402, posts_7d=310, posts_30d=1_240, topics_7d=22, topics_30d=91),
        growth=0.02, activity=(1.0, 0.94, 1.03), version="2.8.14", old_keys=True,
        description="Forumo por esperantistoj kaj lernantoj: tandemoj, demandoj kaj babilado.",
    ),
    Site(
        "comunidad.hablamos.example", "discourse", "Hablamos", "forum", ("es",),
        figures=dict(members=31_760, topics=14_205, posts=263_118, active_users_1d=340, active_users_7d=1_512,
                     active_users_30d=3_980, posts_7d=2_904, posts_30d=11_870, topics_7d=201, topics_30d=812),
        growth=0.035, version="3.2.1", broken_paths=("/latest.json",),
        description="Comunidad de intercambio de idiomas en español: tándems, correcciones y charlas.",
    ),
    # MediaWiki ------------------------------------------------------------------------------------
    Site(
        "pt.saberlivre.example", "mediawiki", "SaberLivre", "open_content_wiki", ("pt",),
        figures=dict(members=84_310, active_users_30d=1_962, edits=4_518_220, articles=121_455, pages=402_310),
        growth=0.012, version="1.41.0", crawl_delay=2,
        licence="CC-BY-SA-4.0", licence_url="//creativecommons.org/licenses/by-sa/4.0/",
        licence_text="Creative Commons Atribuição-CompartilhaIgual 4.0 Internacional",
    ),
    Site(
        "viquilexic.example", "mediawiki", "Viquilèxic", "dictionary_wiki", ("ca",),
        figures=dict(members=3_412, active_users_30d=87, edits=298_540, articles=41_218, pages=66_905),
        growth=0.02, version="1.41.0",
        licence="CC0-1.0", licence_url="https://creativecommons.org/publicdomain/zero/1.0/",
        licence_text="Creative Commons Zero (domini públic)",
    ),
    Site(
        "wiki.taalmaatjes.example", "mediawiki", "Taalmaatjes Wiki", "language_exchange_wiki", ("nl",),
        figures=dict(members=1_208, active_users_30d=23, edits=38_770, articles=2_914, pages=7_402),
        growth=0.015, version="1.39.6",
        licence="GFDL-1.3-or-later", licence_text="GNU Free Documentation License 1.3 or later",
    ),
    Site(
        "wiki.sprachcafe.example", "mediawiki", "Sprachcafé-Wiki", "language_exchange_wiki", ("de",),
        figures=dict(members=642, active_users_30d=9, edits=12_305, articles=1_118, pages=2_960),
        growth=0.01, activity=(1.0, 0.78, 1.22), version="1.42.1",
    ),
    # Fediverse ------------------------------------------------------------------------------------
    Site(
        "babel-social.example", "mastodon", "Babel Social", "fediverse", ("fr", "en"),
        figures=dict(members=12_840, posts=1_904_330, active_users_30d=2_315, active_users_180d=5_120,
                     posts_7d=14_409, active_users_7d=1_189),
        growth=0.05, version="4.3.2",
        description="Instance Mastodon francophone pour les apprenants de langues et les polyglottes.",
    ),
    Site(
        "lemmy.lenguas.example", "lemmy", "Lenguas", "fediverse", ("es", "ca", "gl", "eu", "en"),
        figures=dict(members=4_905, posts=18_340, comments=96_215, communities=64, active_users_1d=118,
                     active_users_7d=402, active_users_30d=861, active_users_180d=1_930),
        growth=0.06, version="0.19.5",
        description="Comunidades para aprender y practicar lenguas: español, catalán, gallego, euskera e inglés.",
    ),
    Site(
        "tube.apprenons.example", "peertube", "Apprenons en vidéo", "video_platform", ("fr",),
        figures=dict(members=1_204, posts=2_318, comments=5_902, active_users_30d=96, active_users_180d=311),
        growth=0.08, version="6.3.2", first_capture=1,
        description="Cours, conversations et exercices de langues en vidéo, publiés par des enseignants bénévoles.",
    ),
    # phpBB ----------------------------------------------------------------------------------------
    Site(
        "forum.echanges-francophones.example", "phpbb", "Échanges Francophones", "forum", ("fr",),
        figures=dict(posts=186_402, topics=21_977, members=15_630, online_now=42),
        activity=FORUM_DEFAULT_ACTIVITY, newest_member="Lucie_Tandem",
        description="Le forum des échanges linguistiques en français",
    ),
    Site(
        "forum.deutsch-tandem.example", "phpbb", "Deutsch-Tandem Forum", "forum", ("de",),
        figures=dict(posts=94_315, topics=11_204, members=12_480, online_now=27),
        growth=-0.025, activity=(1.0, 0.9, 0.81), newest_member="Jonas_lernt",
        description="Deutsch lernen im Tandem – Forum für Lernende und Muttersprachler",
    ),
    # XenForo --------------------------------------------------------------------------------------
    Site(
        "forum.verbario.example", "xenforo", "Verbario Language Forums", "dictionary_forum", ("en",),
        figures=dict(topics=1_208_440, posts=6_912_305, members=642_118),
        growth=0.015, number_style="en", html_lang="en-US", newest_member="bilingual_bea",
        description="Questions about words, meanings and translations, answered by native speakers.",
    ),
    Site(
        "forum.sprachfreunde.example", "xenforo", "Sprachfreunde-Forum", "forum", ("de",),
        figures=dict(topics=27_355, posts=402_118, members=21_940),
        growth=0.025, number_style="de", html_lang="de-DE", newest_member="Wortschatz_Wanda",
        description="Das Forum für Sprachlernende: Grammatik, Tandems und Sprachreisen.",
    ),
    # SMF ------------------------------------------------------------------------------------------
    Site(
        "foro.intercambio-idiomas.example", "smf", "Foro Intercambio de Idiomas", "forum", ("es",),
        figures=dict(posts=48_213, topics=6_120, members=3_904), newest_member="Marisol_Tandem",
        description="Encuentra tu pareja lingüística y practica por correo, chat o en persona.",
    ),
    Site(
        "club.penpal-letters.example", "smf",
        '=HYPERLINK("https://penpal-letters.example/join","Penpal Letters Club")', "correspondence", ("en",),
        figures=dict(posts=75_602, topics=9_871, members=5_233), growth=0.02, newest_member="InkwellIvy",
        description="Handwritten letters and e-mail pen pals for language learners.",
    ),
    # MyBB -----------------------------------------------------------------------------------------
    Site(
        "forum.wymiana-jezykowa.example", "mybb", "Wymiana Językowa", "forum", ("pl",),
        figures=dict(posts=57_814, topics=8_203, members=6_741), number_style="space",
        newest_member="Kasia_uczy_sie", description="Forum wymiany językowej – znajdź partnera do nauki.",
    ),
    Site(
        "guild.hyperglots.example", "mybb", "The Hyperglot Guild", "forum", ("en",),
        figures=dict(posts=212_904, topics=18_377, members=24_415, online_now=96), growth=0.025,
        activity=FORUM_DEFAULT_ACTIVITY, number_style="en", newest_member="polyglot_pete",
        description="A guild of language learners: study logs, challenges and methods.",
    ),
    # vBulletin ------------------------------------------------------------------------------------
    Site(
        "forum.intercambio-br.example", "vbulletin", "Fórum Intercâmbio Brasil", "forum", ("pt",),
        figures=dict(topics=39_427, posts=512_066, members=58_230), growth=0.02, number_style="de",
        html_lang="pt-br", newest_member="Joao_Poliglota",
        description="Fórum de intercâmbio de idiomas para brasileiros e estrangeiros.",
    ),
    # Custom sites ---------------------------------------------------------------------------------
    Site(
        "polyglottes-club.example", None, "Club des Polyglottes", "social_network",
        ("fr", "en", "es", "de", "it", "pt", "he", "eo", "pl"),
        markup_languages=("fr", "en", "es", "de", "it", "pt", "iw", "eo", "pl"),
        series=dict(members=(250_000, 260_000, 275_000)), approximate=("members",), number_style="fr",
        description="Échanges linguistiques en ligne et rencontres chaque semaine à Paris : "
        "rejoignez plus de {members} membres dans le monde.",
    ),
    Site(
        "mixopolis.example", None, "Mixopolis", "tandem_exchange", ("en", "es", "ja", "de", "fr", "pt"),
        series=dict(members=(40_000, 42_000, 45_000)), approximate=("members",), number_style="en",
        description="Practise languages over video calls with native speakers. "
        "Join over {members} members from 140 countries.",
    ),
    Site(
        "intercomprehension-romane.example", None, "Intercompréhension romane", "intercomprehension",
        ("fr", "es", "it", "pt", "ca", "ro"),
        series=dict(members=(8_000, 8_500, 9_000)), approximate=("members",), number_style="fr_nbsp",
        licence="CC-BY-SA-4.0", licence_url="https://creativecommons.org/licenses/by-sa/4.0/deed.fr",
        licence_text="CC BY-SA 4.0",
        description="Apprendre à comprendre les langues romanes : une communauté de plus de {members} membres, "
        "des sessions en ligne et des ressources libres.",
    ),
    Site(
        "frazaro.example", None, "Frazaro", "sentence_corpus", ("en", "eo", "fr", "de", "es", "ja"),
        series=dict(members=(12_000, 12_500, 13_000)), approximate=("members",), number_style="en",
        # CC BY 2.0 France has no SPDX id of its own: the normaliser maps ported licences without one
        # to the unported id and keeps the /fr/ URL.
        licence="CC-BY-2.0", licence_url="https://creativecommons.org/licenses/by/2.0/fr/",
        licence_text="CC BY 2.0 FR",
        description="Frazaro is a collaborative collection of example sentences and their translations, "
        "written by over {members} members.",
    ),
    Site(
        "brieffreunde-tandem.example", None, "Brieffreunde-Tandem", "correspondence", ("de", "fr"),
        series=dict(members=(18_000, 18_500, 19_000)), approximate=("members",), number_style="de",
        description="E-Mail-Tandem und Brieffreundschaften zwischen Deutschland und Frankreich: "
        "über {members} Mitglieder.",
    ),
    Site(
        "xerrades-girona.test", None, "Xerrades Girona", "tandem_exchange", ("ca", "es"),
        series=dict(members=(37, 41, 44)),
        description="Club de conversa en llengües estrangeres a Girona. Som {members} membres.",
    ),
    Site(
        "lingoboost.example", None, "LingoBoost", "company_platform", ("en", "es", "fr", "de", "it", "pt", "ja"),
        series=dict(members=(20_000_000, 21_000_000, 22_000_000)), approximate=("members",),
        number_style="million",
        description="LingoBoost: short daily lessons in 12 languages. More than {members} members learn with us.",
    ),
    # Faults ---------------------------------------------------------------------------------------
    Site(
        "old-name.example", "phpbb", "Pen & Tandem Circle", "correspondence", ("en",),
        figures=dict(posts=33_918, topics=4_410, members=2_874, online_now=11), growth=0.02,
        newest_member="Quill_and_Ink", description="Pen friends and tandem letters since 2004.",
        fault="redirect", scheme="http", redirect_to="new-name.example",
    ),
    Site("tandem-lyon.example", None, "Tandem Lyon", "tandem_exchange", ("fr",), fault="http_503"),
    Site("livemondo.example", None, "Livemondo", "company_platform", ("en",), fault="http_410"),
    Site(
        "forum.traduttori.example", "phpbb", "Il Circolo dei Traduttori", "forum", ("it",),
        figures=dict(posts=58_300, topics=7_120, members=4_410, online_now=19),
        newest_member="Giulia_Traduce", description="Forum di traduttori e interpreti.", fault="robots",
    ),
    Site("vanished-club.example", None, "Vanished Club", "tandem_exchange", ("en",), fault="not_archived"),
)  # fmt: skip

CUSTOM_PAGES.update(
    {
        "polyglottes-club.example": Custom(
            "Club des Polyglottes – échanges linguistiques et rencontres",
            "Rencontres chaque semaine, corrections écrites et chat : rejoignez plus de {members} membres.",
            # The photo credit's rel=license covers the photo only, not the site's content.
            '<figure class="meetup"><img src="/img/soiree-paris.jpg" alt="Soirée d’échange à Paris">'
            '<figcaption>Photo : équipe du club, <a rel="license" '
            'href="https://creativecommons.org/licenses/by-sa/2.0/">CC BY-SA 2.0</a></figcaption></figure>',
        ),
        "mixopolis.example": Custom(
            "Mixopolis – language exchange over video calls",
            "Find a partner, schedule a call, and swap 30 minutes in each language. Over {members} members already do.",
        ),
        "intercomprehension-romane.example": Custom(
            "Intercompréhension romane – comprendre les langues voisines",
            "Français, espagnol, italien, portugais, catalan, roumain : plus de {members} membres apprennent "
            "à se comprendre, chacun dans sa langue.",
        ),
        "frazaro.example": Custom(
            "Frazaro – example sentences and translations",
            "Over {members} members add and translate sentences every day.",
            '<p class="stats">12,604,113 sentences in 421 languages</p>',
        ),
        "brieffreunde-tandem.example": Custom(
            "Brieffreunde-Tandem – Deutsch und Französisch per E-Mail",
            "Über {members} Mitglieder schreiben sich auf Deutsch und Französisch.",
        ),
        "xerrades-girona.test": Custom(
            "Xerrades Girona – club de conversa",
            "Som {members} membres i ens trobem cada dijous a la biblioteca.",
        ),
        "lingoboost.example": Custom(
            "LingoBoost – learn a language in 10 minutes a day",
            "More than {members} members learn with LingoBoost.",
        ),
    }
)


# --------------------------------------------------------------------------------------------------
# Captures and ground truth


def figures_at(site: Site, index: int) -> dict[str, int] | None:
    """Return the figures a site's pages print at capture ``index`` (None before it existed)."""
    if index < site.first_capture:
        return None
    step = index - site.first_capture
    figs = {}
    for key, base in site.figures.items():
        if key in ACTIVITY_METRICS:
            figs[key] = round(base * site.activity[step])
        else:
            figs[key] = round(base * (1 + site.growth) ** step)
    figs |= {key: values[index] for key, values in site.series.items()}
    return figs


def _truncate(page: Page) -> Page:
    # A body cut short, as a proxy timing out mid-response leaves it: the JSON does not parse.
    return Page(page.body[: len(page.body) * 3 // 5], page.content_type, page.status, page.extra_headers)


def site_responses(site: Site, index: int) -> Iterator[tuple[str, Page]]:
    """Yield ``(absolute URL, Page)`` for every URL a site answers at capture ``index``."""
    figs = figures_at(site, index)
    if figs is None or site.fault == "not_archived":
        return
    if site.fault == "redirect":
        new_site = replace(site, domain=site.redirect_to, scheme="https", fault=None, redirect_to=None)
        for path in ("/robots.txt", "/"):
            yield site.root.rstrip("/") + path, _moved(new_site.root.rstrip("/") + path)
        yield from site_responses(new_site, index)
        return
    origin = site.root.rstrip("/")
    yield origin + "/robots.txt", _robots(site)
    if site.fault in ("http_503", "http_410"):
        yield origin + "/", _fault_page(site)
        return
    for path, page in RENDERERS[site.platform](Snapshot(site, index, figs)).items():
        yield origin + path, _truncate(page) if path in site.broken_paths else page


def request_url(url: str) -> str:
    """Return ``url`` as Scrapy sends it (``|`` becomes ``%7C``): the WARC-Target-URI to match."""
    return safe_url_string(url)


def responses() -> Iterator[tuple[str, str, Page]]:
    """Yield ``(capture date, URL, Page)`` for every record of the archive, in archive order."""
    records = [
        (CAPTURES[index], request_url(url), page)
        for site in SITES
        for index in range(len(CAPTURES))
        for url, page in site_responses(site, index)
    ]
    return iter(sorted(records, key=lambda record: (record[0], record[1])))


def canonical_licence_url(url: str | None) -> str | None:
    """Return a licence URL without protocol-relative form or ``deed.xx`` suffix."""
    if not url:
        return None
    url = "https:" + url if url.startswith("//") else url
    return url.split("deed.")[0]


def _last_activity(site: Site, index: int) -> str | None:
    # Only machine-readable dates are asserted: Discourse latest.json and XenForo <time datetime>.
    if site.platform == "xenforo" or (site.platform == "discourse" and "/latest.json" not in site.broken_paths):
        figs = figures_at(site, index) or {}
        return Snapshot(site, index, figs).last_post.isoformat()
    return None


def expected_site(site: Site) -> dict[str, Any]:
    """Return the ground truth the crawl of ``site`` must reproduce (see conventions in the JSON)."""
    readable = site.fault in (None, "redirect")
    final = f"https://{site.redirect_to}/" if site.redirect_to else site.root
    publishable = PUBLISHABLE["peertube" if site.platform == "peertube" else site.platform]
    urls = sorted({request_url(url) for index in range(len(CAPTURES)) for url, _ in site_responses(site, index)})
    captures: dict[str, Any] = {}
    for index, date in enumerate(CAPTURES):
        figs = figures_at(site, index)
        if figs is None or site.fault == "not_archived":
            captures[date] = None
            continue
        if not (set(figs) <= publishable):
            raise ValueError(f"{site.domain}: {sorted(set(figs) - publishable)} not published by {site.platform}")
        metrics = figs if readable else {}
        captures[date] = {
            "metrics": dict(sorted(metrics.items())),
            "approximate": sorted(set(site.approximate) & set(metrics)),
            "last_activity_at": _last_activity(site, index) if readable else None,
        }
    versioned = site.platform in ("discourse", "mediawiki", "mastodon", "lemmy", "peertube")
    return {
        "seed": site.root,
        "label": site.name,
        "kind": site.kind,
        "fault": site.fault,
        "http_status": {"http_503": 503, "http_410": 410, "redirect": 301}.get(site.fault or ""),
        "final_url": final,
        "platform": site.platform if readable else None,
        "platform_version": site.version if readable and versioned else None,
        "name": site.name if readable else None,
        "languages": list(site.languages) if readable else [],
        "licence": site.licence if readable else None,
        "licence_url": canonical_licence_url(site.licence_url) if readable else None,
        "registrations_open": True if readable and site.platform in ("mastodon", "lemmy", "peertube") else None,
        "crawl_delay": site.crawl_delay,
        "first_capture": CAPTURES[site.first_capture] if site.fault != "not_archived" else None,
        "archived_urls": urls,
        "must_not_fetch": [request_url(site.root)] if site.fault == "robots" else [],
        "broken_urls": [request_url(f"{site.root.rstrip('/')}{path}") for path in site.broken_paths],
        "must_not_store": [site.newest_member] if site.newest_member else [],
        "hostile_text": "<script>alert(1)</script>" if "<script>" in site.description else None,
        "captures": captures,
    }


CONVENTIONS = {
    "fictional": "Every site, name, user name and number is invented; domains are reserved (.example, .test).",
    "captures": "Each capture maps to the metric values exactly as the pages publish them; null means the "
    "site was not archived at that date. Faulted sites publish nothing readable: empty metrics.",
    "metrics": "Names from shared/docs/data-model.md. 'approximate' lists metrics published as 'over N' "
    "marketing text. Mastodon /api/v1/instance/activity: the last complete week (the second bucket) gives "
    "posts_7d (statuses) and active_users_7d (logins).",
    "languages": "Community languages, own language first, as primary BCP 47 subtags; a region in <html lang> "
    "(en-US, de-DE, pt-br) is a UI locale. Legacy hreflang 'iw' is Hebrew ('he').",
    "licence": "SPDX id of the content licence; CC BY 2.0 FR has no SPDX id and is CC-BY-2.0 (the /fr/ URL is kept). "
    "A rel=license inside an image <figcaption> is the photo's licence, not the site's.",
    "null_fields": "platform_version and last_activity_at are asserted only where a generator tag, an API "
    "field or a machine-readable date states them; null means 'not asserted'.",
    "must_not_store": "Newest-member names printed by forum statistics blocks: personal data that must not "
    "appear anywhere in the crawl's output.",
    "urls": "archived_urls are WARC-Target-URIs, written as Scrapy requests them ('|' as %7C).",
}


def expected_document() -> dict[str, Any]:
    """Return the whole ground-truth document written to tests/fixtures/sample_web/expected.json."""
    return {
        "about": "Ground truth for the bundled fictional sample web. Generated by "
        "`python -m crawler.archive.sample_web.build`; do not edit by hand.",
        "archive": "crawler/archive/sample_web.warc.gz",
        "captures": list(CAPTURES),
        "conventions": CONVENTIONS,
        "sites": [expected_site(site) for site in SITES],
    }
