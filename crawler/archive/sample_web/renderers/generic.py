"""Custom sites (no known software): counts only in prose and meta description, hreflang alternates.

Some also print outreach markup (:mod:`..outreach`): a sign-up link, a language picker or a course
list, prices, a footer with legal links, and about, contact or legal pages of their own.
"""

from __future__ import annotations

from crawler.archive.sample_web.model import Page, Snapshot
from crawler.archive.sample_web.outreach import outreach_of
from crawler.archive.sample_web.pages import esc, fmt, html_page, to_json, token
from crawler.archive.sample_web.sites import CUSTOM_PAGES

GENERIC_TEXT = {
    "fr": ("À propos", "Contact", "Contenu sous licence"),
    "en": ("About", "Contact", "Content licensed under"),
    "de": ("Über uns", "Kontakt", "Inhalte unter"),
    "ca": ("Qui som", "Contacte", "Contingut sota"),
}


def render(snap: Snapshot) -> dict[str, Page]:
    """Return a custom site's homepage: figures only in prose, languages as hreflang alternates."""
    site = snap.site
    custom = CUSTOM_PAGES[site.domain]
    outreach = outreach_of(site.domain)
    about, contact, licensed = GENERIC_TEXT[site.lang]
    members = snap.figs.get("members")
    count = fmt(members, site.number_style) if members else ""
    described, intro = site.description.format(members=count), custom.intro.format(members=count)
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
    footer = f'<a href="/about">{about}</a> · <a href="/contact">{contact}</a>{licence}{outreach.footer_extra}'
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
<header class="site-header"><a class="brand" href="/">{esc(site.name)}</a>{outreach.header_extra}</header>
<main>
<h1>{esc(site.name)}</h1>
<p class="intro">{intro}</p>
{custom.extra}{outreach.homepage_extra}
</main>
<footer class="site-footer">{footer}</footer>
</body>
</html>
"""
    pages = {"/": html_page(homepage)}
    for path, (title, body) in outreach.pages.items():
        pages[path] = html_page(_outreach_page(snap, title, body))
    return pages


def _outreach_page(snap: Snapshot, title: str, body: str) -> str:
    """An about, contact or legal page: the site's name and language, the page's own text."""
    site = snap.site
    return f"""<!DOCTYPE html>
<html lang="{site.lang}">
<head>
<meta charset="utf-8">
<title>{esc(title)}</title>
<meta property="og:site_name" content="{esc(site.name)}">
</head>
<body>
<header class="site-header"><a class="brand" href="/">{esc(site.name)}</a></header>
<main>
{body}
</main>
</body>
</html>
"""
