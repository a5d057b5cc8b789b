"""A sentence corpus running Tatoeba's own software (tatoeba2): homepage, two statistics pages, terms.

The markup follows the pages of ``tests/fixtures/tatoeba/`` (built from tatoeba2's templates:
``element/stats/homepage_stats.php``, ``Stats/sentences_by_language.php``,
``Stats/users_languages.php``, ``Pages/terms_of_use.php``), so the ``tatoeba`` adapter reads the
twin exactly as it reads Tatoeba. The footer links to the software's public repository, as
tatoeba2's ``element/foot.php`` does.
"""

from __future__ import annotations

from crawler.archive.sample_web.model import Page, Snapshot
from crawler.archive.sample_web.outreach import outreach_of
from crawler.archive.sample_web.pages import esc, fmt, html_page

# ISO 639-3 code (the code Tatoeba prints) and English name of each language the twin holds.
ISO3 = {
    "eo": ("epo", "Esperanto"), "en": ("eng", "English"), "fr": ("fra", "French"), "de": ("deu", "German"),
    "es": ("spa", "Spanish"), "pt": ("por", "Portuguese"), "it": ("ita", "Italian"), "ja": ("jpn", "Japanese"),
    "pl": ("pol", "Polish"), "nl": ("nld", "Dutch"),
}  # fmt: skip
# Share of the sentences in each language, largest first (the rest are in smaller languages).
SENTENCE_SHARES = (0.22, 0.18, 0.11, 0.09, 0.07, 0.05, 0.04, 0.03, 0.02, 0.015)
# Members declaring each practised language (the outreach ground truth's order, largest first).
MEMBER_SHARES = (0.41, 0.23, 0.15, 0.12, 0.09)
MEMBERS_DECLARING = 9_000


def _layout(snap: Snapshot, title: str, content: str) -> str:
    site = snap.site
    return f"""<!DOCTYPE html>
<html lang="{site.lang}" dir="ltr">
<head>
    <meta charset="utf-8"/>
    <title>{esc(title)}</title>
    <link rel="stylesheet" href="/cache_css/layout.css"/>
    <link rel="search" type="application/opensearchdescription+xml"
          href="/opensearch.xml" title="{esc(site.name)}" />
</head>
<body ng-app="app" class="responsive">
    <div id="top_menu_container"><md-toolbar id="top_menu"><a class="tatoeba-logo" href="/{site.lang}">{esc(site.name)}</a>
        <a href="/{site.lang}/users/register">Register</a></md-toolbar></div>
    <div id="content">
        <div class="container">
{content}
        <div style="clear:both"></div>
        </div>
    </div>
<div id="footer" layout="column" ng-cloak>
    <div class="category"><h3>Developers</h3><ul><li><a href="/{site.lang}/downloads">Downloads</a></li><li><a href="https://github.com/Tatoeba/tatoeba2" target="_blank">GitHub</a></li></ul></div>
    <div class="category"><h3>About</h3><ul><li><a href="/{site.lang}/terms_of_use">Terms of use</a></li></ul></div>
    <div layout="row" layout-align="center center" class="license">
        <div class="text">Our data is released under various Creative Commons licenses.<a href="/{site.lang}/terms_of_use#section-6" class="more-info">More information</a></div>
    </div>
</div>
</body>
</html>
"""  # noqa: E501


def _homepage(snap: Snapshot) -> str:
    figs, lang, style = snap.figs, snap.site.lang, snap.site.number_style
    content = f"""<div id="short-description"><h1>{esc(snap.site.description)}</h1></div>
<div class="stats annexe-menu md-whiteframe-1dp" layout="column" flex>
    <md-toolbar class="md-hue-2"><div class="md-toolbar-tools"><h2>Stats</h2></div></md-toolbar>
<div class="content" flex>
    <div class="category">
        <div><strong>{fmt(figs["sentences"], style)}</strong> sentences</div>
        <div><strong>{fmt(figs["corpus_languages"], style)}</strong> supported languages</div>
        <div layout="row" layout-align="center center">
            <md-button class="md-primary" href="/{lang}/stats/sentences_by_language">Stats per languages</md-button>
        </div>
    </div>
    <div class="category">
        <strong>{fmt(figs["contributions_1d"], style)}</strong> contributions today
        <div layout="row" layout-align="center center">
            <md-button class="md-primary" href="/{lang}/contributions/activity_timeline">Activity timeline</md-button>
        </div>
    </div>
</div>
</div>"""
    return _layout(snap, f"{snap.site.name}: collection of sentences and translations", content)


def _sentences_page(snap: Snapshot) -> str:
    site, total, style = snap.site, snap.figs["sentences"], snap.site.number_style
    rows = []
    for rank, (code, share) in enumerate(zip(site.languages, SENTENCE_SHARES, strict=False), 1):
        iso3, name = ISO3[code]
        rows.append(
            f'<tr><td>{rank}</td><td><img src="/img/flags/{iso3}.svg" class="language-icon" alt="{iso3}"/></td>'
            f'<td>{iso3}</td><td><a href="/{site.lang}/sentences/show_all_in/{iso3}/none">{name}</a></td>'
            f'<td class="num-sentences">{fmt(round(total * share), style)}</td></tr>'
        )
    content = f"""<div id="main_content"><div class="section md-whiteframe-1dp">
    <h2>{fmt(total, style)}&nbsp;sentences</h2>
    <table class="languages-stats">
    <tr><th></th><th></th><th></th><th>Language</th><th>Sentences</th></tr>
{chr(10).join(rows)}
    </table>
</div></div>"""
    return _layout(snap, f"Number of sentences per language - {site.name}", content)


def _members_page(snap: Snapshot) -> str:
    site, style = snap.site, snap.site.number_style
    rows = []
    practised = outreach_of(site.domain).expect.get("practised_languages", ())
    for code, share in zip(practised, MEMBER_SHARES, strict=False):
        iso3, name = ISO3[code]
        total = round(MEMBERS_DECLARING * share * (1 + 0.02 * snap.index))
        native, learners = total // 3, total - total // 3
        rows.append(
            f'<tr><td><img src="/img/flags/{iso3}.svg" class="language-icon" alt="{iso3}"/></td>'
            f'<td><a href="/{site.lang}/users/for_language/{iso3}">{name}</a></td>'
            f"<td>{fmt(native, style)}</td><td>{fmt(learners, style)}</td><td>{fmt(total, style)}</td></tr>"
        )
    content = f"""<div id="main_content"><section class="md-whiteframe-1dp">
    <md-toolbar class="md-hue-2"><div class="md-toolbar-tools"><h2>Languages of members</h2></div></md-toolbar>
    <table class="usersLanguagesStats">
    <tr><th></th><th>Language</th><th>Native level</th><th>Other levels</th><th>Total</th></tr>
{chr(10).join(rows)}
    </table>
</section></div>"""
    return _layout(snap, f"Languages of members - {site.name}", content)


def _terms(snap: Snapshot) -> str:
    site = snap.site
    content = f"""<div id="terms-of-use" class="section md-whiteframe-1dp">
<h2 id="section-6">6. Intellectual property of our content</h2>
<h3>6.2. Creative Commons licenses applicable to sentences</h3>
<p>{esc(site.name)} uses the default <strong>Creative Commons Attribution 2.0</strong> France license
({esc(site.licence_text)}) for the use of textual sentences.</p>
</div>"""
    return _layout(snap, f"Terms of use - {site.name}", content)


def render(snap: Snapshot) -> dict[str, Page]:
    """Return the homepage at the root, the two statistics pages and the terms of use."""
    lang = snap.site.lang
    return {
        "/": html_page(_homepage(snap)),
        f"/{lang}/stats/sentences_by_language": html_page(_sentences_page(snap)),
        f"/{lang}/stats/users_languages": html_page(_members_page(snap)),
        f"/{lang}/terms_of_use": html_page(_terms(snap)),
    }
