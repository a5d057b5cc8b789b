"""Generic page signals: title names, ranked licence candidates, languages, marketing counts, hostile pages."""

from __future__ import annotations

import pytest

from crawler import platforms
from crawler.extraction import RANK_GENERIC, RANK_META
from crawler.platforms import generic
from crawler.platforms.generic import title_name
from tests.conftest import FIXTURES, make_response


def extract(body: str, url: str = "https://community.example/"):
    return generic.extract(make_response(body, url))


@pytest.mark.parametrize(
    ("title", "url", "name"),
    [
        ("Fight-BB.COM - Index page", "https://fight-bb.com/", "Fight-BB.COM"),
        ("Chemical Forums - Index", "http://www.chemicalforums.com/index.php", "Chemical Forums"),
        ("Modellbahn-Treff - Foren-Übersicht", "https://mb.example/", "Modellbahn-Treff"),
        ("Mon Forum | Accueil", "https://forum.example.fr/", "Mon Forum"),
        # The segment that matches the host wins, wherever it is.
        ("Was ist Freie Software - MyOOS Community Forum", "https://foren.myoos.de/viewtopic.php?t=167",
         "MyOOS Community Forum"),
        ("t-distributed stochastic neighbor embedding - Wikipedia", "https://en.wikipedia.org/wiki/T", "Wikipedia"),
        # Else: first segment on a homepage ("Site - tagline"), last one elsewhere ("Thread - Site").
        ("Sprachcafé – Deutsch lernen im Tandem", "https://tandem.example/", "Sprachcafé"),
        ("How to start? | Sprachcafé", "https://tandem.example/threads/how-to-start.12/", "Sprachcafé"),
        ("Thread title - Seite 34", "https://board.example/threads/x-34.html", "Thread title"),
        ("", "https://board.example/", None),
        # A board without a name: the title only names the page, in its pack's words.
        (" • Page d’index", "https://forum.example.fr/index.php", None),
        ("Математика. Подготовка к ЕГЭ. Решение задач. • Главная страница", "http://alexlarin.com/index.php",
         "Математика. Подготовка к ЕГЭ. Решение задач."),
    ],
)  # fmt: skip
def test_title_name(title, url, name):
    assert title_name(title, url) == name


def test_name_prefers_og_site_name_then_application_name_then_jsonld():
    head = (
        '<meta name="application-name" content="App Name">'
        '<script type="application/ld+json">{"@type": "WebSite", "name": "LD Name"}</script><title>T - Home</title>'
    )
    assert (
        extract(f'<html><head><meta property="og:site_name" content="OG Name">{head}</head></html>').name == "OG Name"
    )
    assert extract(f"<html><head>{head}</head></html>").name == "App Name"
    assert extract(f"<html><head>{head[head.index('<script') :]}</head></html>").name == "LD Name"


def test_page_signals_rank_below_platform_values():
    result = generic.extract_page_signals(
        make_response("<html lang='de'><title>Forum</title></html>", "https://f.example/")
    )
    assert result.platform is None
    assert result.evidence["languages"].rank == RANK_META


LICENCE_PAGE = """<html lang="en"><head>{head}</head><body>
<article><figure><img src="a.jpg"><figcaption>Photo
<a rel="license" href="https://creativecommons.org/licenses/by-sa/2.0/">CC BY-SA 2.0</a></figcaption></figure>
<p>Text</p></article>
<footer class="site-footer">{footer}</footer>
<script type="application/ld+json">{{"@type": "WebPage", "license": "https://creativecommons.org/publicdomain/zero/1.0/"}}</script>
</body></html>"""


@pytest.mark.parametrize(
    ("head", "footer", "spdx", "rule"),
    [
        ('<link rel="license" href="//creativecommons.org/licenses/by/4.0/">',
         '<a rel="license" href="https://creativecommons.org/licenses/by-nc/4.0/">x</a>', "CC-BY-4.0", "head_link"),
        ("", '<a href="https://example.org/attribution" rel="license">attribution required</a> '
         '<a rel="license" href="https://creativecommons.org/licenses/by-nc/4.0/">x</a>', "CC-BY-NC-4.0", "footer_rel"),
        ("", 'Lizenz: <a href="http://creativecommons.org/licenses/by-nc-sa/4.0/">CC BY-NC-SA 4.0</a>',
         "CC-BY-NC-SA-4.0", "footer_text"),
        ("", "All rights reserved.", "CC0-1.0", "jsonld"),
    ],
)  # fmt: skip
def test_licence_candidates_are_ranked_and_image_credits_ignored(head, footer, spdx, rule):
    result = extract(LICENCE_PAGE.format(head=head, footer=footer))
    assert result.licence == spdx
    assert result.evidence["licence"].rule == f"generic.licence.{rule}"


def test_image_licence_alone_is_not_the_site_licence():
    body = (
        '<html><body class="wp-featherlight-captions"><figure><figcaption><a rel="license" '
        'href="https://creativecommons.org/licenses/by-sa/2.0/">CC BY-SA 2.0</a></figcaption></figure></body></html>'
    )
    assert extract(body).licence is None


def test_hreflang_alternates_are_not_community_languages():
    alternates = "".join(f'<link rel="alternate" hreflang="{c}" href="/{c}/">' for c in ("fr", "de", "iw", "ja"))
    text = "<p>" + "Learn a foreign language with native speakers from all around the world. " * 5 + "</p>"
    body = f'<html lang="en"><head>{alternates}</head><body>{text}</body></html>'
    assert extract(body).languages == ["en"]
    # Without a declaration, the alternate pointing back at this page says the page's language.
    body = f'<html><head>{alternates}<link rel="alternate" hreflang="en" href="/"></head><body></body></html>'
    assert extract(body).languages == ["en"]


def test_detected_content_language_goes_first():
    text = "<p>" + "Witamy na forum miłośników kotów. Zapraszamy do dyskusji o zdrowiu i żywieniu. " * 4 + "</p>"
    result = extract(f'<html lang="en"><body><div>{text}</div></body></html>')
    assert result.languages == ["pl", "en"]


def test_description_only_on_a_homepage():
    body = '<html><head><meta name="description" content="Start of a member\'s post about her cat"></head></html>'
    assert extract(body, "https://cats.example/threads/my-cat.123/").description is None
    assert extract(body, "https://cats.example/").description is not None


@pytest.mark.parametrize(
    ("text", "value", "approximate"),
    [
        ("Join over 5 million members today.", 5_000_000, True),
        ("Rejoignez plus de 250 000 membres passionnés.", 250_000, True),
        ("Más de 10.000 miembros practican idiomas.", 10_000, True),
        ("Über 2 Millionen Mitglieder lernen hier.", 2_000_000, True),
        ("InterPals is a friendly community of over 5 million friends.", 5_000_000, True),
        ("Som 37 membres i ens trobem cada dijous.", 37, False),
    ],
)
def test_member_counts_from_homepage_text(text, value, approximate):
    result = extract(f"<html><body><p>{text}</p></body></html>")
    assert result.metrics == {"members": value}
    assert result.evidence["members"].approximate is approximate
    assert result.evidence["members"].rank == RANK_GENERIC


def test_no_counts_from_scripts_comments_or_inner_pages():
    body = (
        "<html><head><script>var s = 'over 9 million members';</script></head><body>"
        "<!-- over 7 million members --><p>Nothing to count here.</p></body></html>"
    )
    assert extract(body).metrics == {}
    assert extract("<html><body><p>Over 5 million members.</p></body></html>", "https://x.example/a/b/c").metrics == {}


def test_live_online_counter():
    result = extract('<html><body><a href="/online">online <span id="onlineCounter">(5,555)</span></a></body></html>')
    assert result.metrics == {"online_now": 5555}


def test_json_body_gives_an_empty_extraction():
    result = generic.extract(make_response(b'{"members": 5}', "https://api.example/"))
    assert result.metrics == {} and result.name is None


# How long the two hostile pages below take is measured by bench/bench_hostile.py, not asserted here.


def test_hundred_thousand_nested_tags_are_read():
    body = b"<html><head><title>Deep</title></head><body>" + b"<div>" * 100_000 + b"x" + b"</div>" * 100_000
    result = platforms.extract(make_response(body, "https://hostile.example/"))
    assert (result.platform, result.name, result.metrics) == (None, "Deep", {})


def test_ten_megabytes_of_markup_are_read():
    page = (FIXTURES / "phpbb/fight-bb-index.html").read_bytes()
    cut = page.index(b'<div class="stat-block online-list">')
    row = b'<li class="row"><dl><dt><a href="./viewforum.php?f=9">Forum</a> text 1,234 words</dt></dl></li>\n'
    body = page[:cut] + row * ((10_000_000 - len(page)) // len(row)) + page[cut:]
    assert len(body) >= 9_900_000
    result = platforms.extract(make_response(body, "https://hostile.example/"))
    assert result.metrics["members"] == 11337


def _licence_of(body: str, url: str = "https://blog.example/"):
    result = platforms.extract(make_response(body, url))
    return result.licence, result.evidence.get("licence")


def test_a_ported_cc_badge_in_a_sidebar_is_the_site_licence():
    # Issue 17: a plain link to creativecommons.org in a blog's sidebar, no rel="license", no footer.
    body = (
        "<html><head><title>Sprachblog</title></head><body><div id='content'><p>Hallo</p></div>"
        "<div id='sidebar'><div class='widget'><a href='http://creativecommons.org/licenses/by-sa/3.0/de/'>"
        "<img alt='Creative Commons Lizenzvertrag' src='https://i.creativecommons.org/l/by-sa/3.0/de/88x31.png'>"
        "</a></div></div></body></html>"
    )
    licence, evidence = _licence_of(body)
    assert licence == "CC-BY-SA-3.0-DE"
    assert evidence.rule == "generic.licence.sidebar_badge"
    assert evidence.snippet.startswith("in sidebar:")


def test_a_badge_image_without_a_link_in_a_meta_block():
    body = (
        "<html><body><div class='site-info'><img src='https://licensebuttons.net/l/by-nc/4.0/88x31.png'"
        " alt='CC BY-NC 4.0'></div></body></html>"
    )
    licence, evidence = _licence_of(body)
    assert (licence, evidence.rule) == ("CC-BY-NC-4.0", "generic.licence.meta_badge")


def test_a_cc_link_inside_a_post_or_signature_is_a_members_not_the_sites():
    body = (
        "<html><body><div class='post'><div class='content'>Foto: <a href='https://creativecommons.org/licenses/by/2.0/'>"
        "CC BY</a></div><div class='signature'><a href='https://creativecommons.org/licenses/by-nd/4.0/'>x</a>"
        "</div></div><blockquote><a href='https://creativecommons.org/licenses/by-sa/4.0/'>q</a></blockquote>"
        "</body></html>"
    )
    assert _licence_of(body) == (None, None)
