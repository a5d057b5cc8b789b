"""The responses that are not a platform's own pages: robots.txt, fault pages, redirects, cut bodies."""

from __future__ import annotations

from dataclasses import replace

from crawler.archive.sample_web.model import TEXT_UTF8, Page, Site
from crawler.archive.sample_web.pages import esc, html_page

# Paths each platform's stock robots.txt disallows (custom sites allow everything).
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
    "tatoeba": ("/*/users/", "/*/private_messages/"),
    "wikimedia_portal": (),
    "drupal": ("/admin/", "/user/", "/search/"),
    None: (),
}


def robots(site: Site) -> Page:
    """Return the site's robots.txt: its platform's usual rules, or a blanket ban for the "robots" fault."""
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


def _notice(site: Site, title: str, heading: str, message: str) -> str:
    # Both fault pages are the same bare document; only the wording differs.
    return (
        f'<!DOCTYPE html>\n<html lang="{site.lang}"><head><meta charset="utf-8">'
        f"<title>{title}</title></head>\n<body><h1>{heading}</h1><p>{message}</p></body></html>\n"
    )


def fault_page(site: Site) -> Page:
    """Return the homepage of a site in fault ``http_503`` (maintenance) or ``http_410`` (closed)."""
    name = esc(site.name)
    if site.fault == "http_503":
        text = _notice(
            site, f"Maintenance – {name}", "Site en maintenance", f"{name} revient très vite. Merci de votre patience."
        )
        return html_page(text, 503, (("Retry-After", "3600"),))
    closed = f"{name} has closed"
    farewell = "Our language-learning service closed on 31 March 2016. Thank you for learning with us."
    return html_page(_notice(site, closed, closed, farewell), 410)


def moved(location: str) -> Page:
    """Return the Apache-style 301 page that sends a renamed site's visitors to ``location``."""
    text = (
        '<!DOCTYPE HTML PUBLIC "-//IETF//DTD HTML 2.0//EN">\n<html><head>\n<title>301 Moved Permanently</title>\n'
        "</head><body>\n<h1>Moved Permanently</h1>\n"
        f'<p>The document has moved <a href="{esc(location)}">here</a>.</p>\n'
        "</body></html>\n"
    )
    return html_page(text, 301, (("Location", location),))


def truncate(page: Page) -> Page:
    """Return ``page`` with its body cut short, as a proxy timing out mid-response leaves it.

    Used on JSON bodies: the cut one does not parse.
    """
    return replace(page, body=page.body[: len(page.body) * 3 // 5])
