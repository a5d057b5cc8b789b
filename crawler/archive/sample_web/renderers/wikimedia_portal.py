"""A Wikimedia-style portal: the wordmark, ten featured editions with article counts, the full list.

The markup follows ``tests/fixtures/wikimedia_portal/`` (an excerpt of www.wikipedia.org): the
``central-textlogo`` wordmark, the ``central-featured`` nav of ``central-featured-lang`` boxes
whose ``<small>`` says "N+ articles", then ``langlist`` lists, and the page's ``rel=license``.
The editions are the site's ``portal_editions``; only the portal itself is archived.
"""

from __future__ import annotations

from crawler.archive.sample_web.model import Page, Snapshot
from crawler.archive.sample_web.pages import esc, html_page

# Featured editions' article counts at the first capture, rounded down as the portal prints them.
ARTICLE_BASE = (412_000, 288_000, 197_000, 150_000, 121_000, 96_000, 71_000, 50_000, 33_000, 20_000)


def render(snap: Snapshot) -> dict[str, Page]:
    """Return the portal page, the featured editions first (most viewed first), then every edition."""
    site = snap.site
    family = site.domain.removeprefix("www.")
    featured, listed = [], []
    for rank, code in enumerate(site.languages):
        host = f"{code}.{family}"
        if rank < len(ARTICLE_BASE):
            articles = round(ARTICLE_BASE[rank] * (1 + site.growth) ** snap.index) // 1_000 * 1_000
            featured.append(
                f'<div class="central-featured-lang lang{rank + 1}" lang="{code}" dir="ltr">\n'
                f'<a id="js-link-box-{code}" href="//{host}/" class="link-box">\n'
                f"<strong>{code}</strong>\n<small>{articles:,}+ <span>articles</span></small>\n</a>\n</div>"
            )
        listed.append(f'<li><a href="//{host}/" lang="{code}">{code}</a></li>')
    text = f"""<!DOCTYPE html>
<html lang="{site.lang}" class="no-js">
<head>
<meta charset="utf-8">
<title>{esc(site.name)}</title>
<meta name="description" content="{esc(site.description)}">
<link rel="license" href="{esc(site.licence_url)}">
</head>
<body id="www-{family.replace(".", "-")}">
<main>
<div class="central-textlogo">
<h1 class="central-textlogo-wrapper">
<span class="central-textlogo__image">
{esc(site.name)}
</span>
<strong class="localized-slogan">{esc(site.description)}</strong>
</h1>
</div>
<nav aria-label="Top languages" class="central-featured">
{chr(10).join(featured)}
</nav>
<nav aria-label="All languages">
<div class="lang-list-container"><div id="js-lang-lists" class="lang-list-content">
<h2 class="bookshelf-container"><span class="bookshelf"><span class="text">10,000+ articles</span></span></h2>
<div class="langlist langlist-large hlist"><ul>
{chr(10).join(listed)}
</ul></div>
</div></div>
</nav>
</main>
</body>
</html>
"""
    return {"/": html_page(text)}
