"""Links between communities: HTML outward links, "links" pages, and the platforms' own lists."""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
from pathlib import Path

import pytest

from crawler import platforms
from crawler.discovery.links import (
    MAX_SITES_PER_DOMAIN,
    Link,
    all_links,
    is_infrastructure,
    links_pages,
    outward_links,
    page_nofollow,
)
from crawler.discovery.urls import trap_reason
from crawler.platforms import lemmy, mastodon, mediawiki
from crawler.platforms.base import MAX_JSON_BYTES
from tests.conftest import FIXTURES, fixture_response, make_response
from tests.test_adapters_conformance import HOSTILE_BODIES

ROOT = Path(__file__).resolve().parents[1]
CLUB_URL = "https://www.club-polyglotte.example/"
LINKLISTE_URL = "https://sprachstammtisch-leipzig.example/links/"
INTERCAMBIO_URL = "https://intercambio-sevilla.example/"
WIKIPEDIA_FR_URL = "https://fr.wikipedia.org/wiki/Wikip%C3%A9dia:Accueil_principal"
PEERS_URL = "https://mastodon.example/api/v1/instance/peers"


def club():
    return fixture_response("discovery/club-polyglotte-accueil.html", CLUB_URL)


def page_with(body: str, url: str = "https://club.example/", headers: dict[str, str] | None = None):
    return make_response(f"<!DOCTYPE html><html><head><title>t</title></head><body>{body}</body></html>", url, headers)


def urls(links: list[Link]) -> list[str]:
    return [link.url for link in links]


# --- the record and the import graph -----------------------------------------------------------


def test_link_is_a_frozen_record():
    link = Link("https://tatoeba.org/", "html.body")
    assert link.text is None
    with pytest.raises(dataclasses.FrozenInstanceError):
        link.url = "https://other.example/"  # type: ignore[misc]


def test_links_module_imports_no_adapter():
    """Adapters import Link from crawler.discovery.links: that module must not pull the registry in."""
    code = (
        "import sys, crawler.discovery.links, crawler.discovery.urls\n"
        "loaded = [m for m in sys.modules if m.startswith('crawler.platforms')]\n"
        "print(loaded)\n"
        "from crawler.platforms import mastodon, lemmy, mediawiki\n"
        "print(mastodon.links, lemmy.links, mediawiki.links)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0] == "[]"


# --- outward links -----------------------------------------------------------------------------


def test_outward_links_of_a_french_club_homepage():
    assert outward_links(club()) == [
        Link("https://www.mezzoguild.com/", "html.partners_section", "Mezzofanti Guild"),
        Link("http://www.language-exchanges.org/", "html.partners_section", "The Mixxer"),
        Link("https://www.miriadi.net/", "html.partners_section", "Miriadi"),
        Link("https://www.polyglotclub.com/", "html.footer", "Polyglot Club"),
        Link("https://fr.wikipedia.org/", "html.footer", "Le tandem linguistique sur Wikipédia"),
        Link("https://tatoeba.org/", "html.body", "les phrases de Tatoeba"),
        Link("https://www.wordreference.com/", "html.body", "le dictionnaire WordReference"),
        Link("https://carnets-de-voyage.example/", "html.body", "son blog"),
    ]


def test_outward_links_skip_what_must_never_be_followed():
    found = " ".join(urls(outward_links(club())))
    for never in (
        "casino-bonus",  # rel=nofollow
        "promo-langues",  # rel=sponsored
        "mon-site-perso",  # a member's signature
        "autre-club",  # a member profile on another forum
        "facebook",
        "twitter",
        "discord",
        "creativecommons",
        "phpbb",
        "googletagmanager",
        "jsdelivr",
        "club-polyglotte",  # our own site
        "mailto",
        "javascript",
    ):
        assert never not in found


def test_outward_links_of_a_german_links_page():
    assert outward_links(fixture_response("discovery/sprachclub-linkliste.html", LINKLISTE_URL)) == [
        Link("https://www.tandem-partner.example/", "html.links_page", "Tandempartner finden"),
        Link("https://www.mylanguageexchange.com/", "html.links_page", "My Language Exchange"),
        Link("https://de.wikibooks.org/", "html.links_page", "Wikibooks: Sprachen"),
        Link("https://forum.wordreference.com/", "html.links_page", "WordReference Forum Deutsch"),
        Link("https://esperanto-forum.example/", "html.links_page", "Esperanto-Forum"),
        Link("https://www.dwds.example/", "html.links_page", "DWDS"),
        Link("https://dict.leo.example/", "html.links_page", "LEO"),
    ]


def test_a_links_page_is_recognised_by_its_title_too():
    response = fixture_response(
        "discovery/sprachclub-linkliste.html", "https://sprachstammtisch-leipzig.example/s.php?id=7"
    )
    assert {link.rule for link in outward_links(response)} == {"html.links_page"}


def test_outward_links_of_a_spanish_homepage_with_a_friends_block():
    assert outward_links(fixture_response("discovery/intercambio-inicio.html", INTERCAMBIO_URL)) == [
        Link("https://www.conversacion-cadiz.example/", "html.partners_section", "Conversación Cádiz"),
        Link("https://idiomas.blogspot.com/", "html.partners_section", "Blog de idiomas"),
    ]


def test_partner_sections_come_first_whatever_their_place_in_the_page():
    body = (
        '<p><a href="https://first-in-body.example/">a</a></p>'
        '<footer><a href="https://in-footer.example/">b</a></footer>'
        '<aside class="widget_partners"><a href="https://partner.example/">c</a></aside>'
        "<h3>Useful links</h3><ul><li><a href='https://listed.example/'>d</a></li></ul>"
    )
    assert [(link.url, link.rule) for link in outward_links(page_with(body))] == [
        ("https://partner.example/", "html.partners_section"),
        ("https://listed.example/", "html.partners_section"),
        ("https://in-footer.example/", "html.footer"),
        ("https://first-in-body.example/", "html.body"),
    ]


def test_one_link_per_site_and_few_per_domain():
    body = "".join(f'<a href="https://wiki{i}.hosting.example/page">w{i}</a>' for i in range(6))
    body += '<a href="http://hosted.example/a">x</a><a href="https://www.hosted.example/b">y</a>'
    found = outward_links(page_with(body))
    assert urls(found) == [
        "https://wiki0.hosting.example/",
        "https://wiki1.hosting.example/",
        "https://wiki2.hosting.example/",
        "http://hosted.example/",
    ]
    assert MAX_SITES_PER_DOMAIN == 3


def test_limit_and_empty_answers():
    body = "".join(f'<a href="https://site{i}.example/">s</a>' for i in range(50))
    assert len(outward_links(page_with(body))) == 30
    assert urls(outward_links(page_with(body), limit=2)) == ["https://site0.example/", "https://site1.example/"]
    assert outward_links(page_with(body), limit=0) == []
    assert outward_links(make_response(b'{"links": ["https://site0.example/"]}', "https://club.example/a.json")) == []
    assert outward_links(make_response(b"", "https://club.example/")) == []


def test_relative_protocol_relative_and_base_links():
    body = '<a href="//cdn-free.example/x">p</a><a href="/local">l</a><a href="HTTPS://UPPER.Example/Path">u</a>'
    assert urls(outward_links(page_with(body, "http://club.example/"))) == [
        "http://cdn-free.example/",
        "https://upper.example/",
    ]
    # A <base> on another host makes relative links point there.
    based = make_response(
        '<html><head><base href="https://mirror.example/docs/"></head><body><a href="page.html">m</a></body></html>',
        "https://club.example/",
    )
    assert urls(outward_links(based)) == ["https://mirror.example/"]


def test_loopback_sites_differ_by_port():
    body = '<a href="http://127.0.0.1:8002/">other</a><a href="http://127.0.0.1:8001/forum/">self</a>'
    assert urls(outward_links(page_with(body, "http://127.0.0.1:8001/"))) == ["http://127.0.0.1:8002/"]


@pytest.mark.parametrize(
    ("meta", "headers"),
    [
        ('<meta name="robots" content="index, nofollow">', None),
        ('<meta name="ROBOTS" content="NONE">', None),
        ('<meta name="TremplinBot" content="nofollow">', None),
        ("", {"X-Robots-Tag": "nofollow"}),
        ("", {"X-Robots-Tag": "noarchive, NoFollow"}),
        ("", {"X-Robots-Tag": "TremplinBot: none"}),
    ],
)
def test_page_level_nofollow_stops_every_link(meta, headers):
    response = make_response(
        f'<html><head>{meta}</head><body><a href="https://partner.example/">p</a>'
        '<a href="/liens">Liens</a></body></html>',
        "https://club.example/",
        headers,
    )
    assert page_nofollow(response)
    assert outward_links(response) == []
    assert links_pages(response) == []


@pytest.mark.parametrize(
    ("meta", "headers"),
    [
        ('<meta name="googlebot" content="nofollow">', None),
        ('<meta name="robots" content="noindex">', None),
        ("", {"X-Robots-Tag": "googlebot: nofollow"}),
        ("", {"X-Robots-Tag": "unavailable_after: 25 Jun 2030 15:00:00 PST"}),
    ],
)
def test_nofollow_for_other_robots_or_other_directives_is_not_ours(meta, headers):
    response = make_response(
        f'<html><head>{meta}</head><body><a href="https://partner.example/">p</a></body></html>',
        "https://club.example/",
        headers,
    )
    assert not page_nofollow(response)
    assert urls(outward_links(response)) == ["https://partner.example/"]


def test_russian_page_with_robots_nofollow():
    response = fixture_response("discovery/klub-nofollow.html", "https://yazykovoy-klub.example/")
    assert outward_links(response) == []
    assert links_pages(response) == []


@pytest.mark.parametrize(
    "host",
    [
        "www.facebook.com",
        "m.facebook.com",
        "x.com",
        "twitter.com",
        "www.instagram.com",
        "www.linkedin.com",
        "www.tiktok.com",
        "www.google.com",
        "www.google.co.uk",
        "play.google.com",
        "fonts.googleapis.com",
        "www.youtube.com",
        "apps.apple.com",
        "www.microsoft.com",
        "www.googletagmanager.com",
        "cdn.jsdelivr.net",
        "creativecommons.org",
        "www.w3.org",
        "schema.org",
        "www.gnu.org",
        "wordpress.org",
        "github.com",
        "www.phpbb.com",
        "discord.gg",
        "t.me",
        "www.amazon.fr",
    ],
)
def test_infrastructure_domains_are_denied(host):
    assert is_infrastructure(host)


@pytest.mark.parametrize(
    "host",
    [
        "fr.wikipedia.org",
        "forum.wordreference.com",
        "www.reddit.com",
        "languagelearning.stackexchange.com",
        "mastodon.social",
        "tatoeba.org",
        "lang-club.github.io",
        "googlefans.example",
    ],
)
def test_communities_are_not_denied(host):
    assert not is_infrastructure(host)


def test_a_page_with_100000_links_keeps_the_few_outward_sites():
    # How long this takes is measured by bench/bench_hostile.py, not asserted here.
    pieces = []
    for i in range(25_000):
        pieces.append(f'<a href="/topic/{i}">t</a>')
        pieces.append(f'<a href="https://www.club.example/p/{i}">p</a>')
        pieces.append(f'<a href="https://farm{i}.link-farm.example/login">f</a>')
        pieces.append(f'<a href="https://site{i % 700}.example/x/{i}">s</a>')
    response = page_with("".join(pieces))
    found = outward_links(response)
    assert len(found) == 30
    assert all(link.url.startswith("https://site") for link in found)
    assert links_pages(response) == []


def test_hostile_pages_do_not_break_the_extractors():
    for name, body in HOSTILE_BODIES.items():
        for content_type in ("text/html; charset=utf-8", "application/json"):
            response = make_response(body, "https://hostile.example/", {"Content-Type": content_type})
            assert isinstance(outward_links(response), list), name
            assert isinstance(links_pages(response), list), name
            assert isinstance(all_links(response), list), name
    broken = page_with('<a href="http://[broken/">x</a><a href="https://ok.example:99999/">y</a><a href=" ">z</a>')
    assert outward_links(broken) == []


def test_no_personal_data_in_links():
    responses = [
        club(),
        fixture_response("discovery/sprachclub-linkliste.html", LINKLISTE_URL),
        fixture_response("discovery/intercambio-inicio.html", INTERCAMBIO_URL),
        fixture_response("discovery/wikipedia-fr-accueil-excerpt.html", WIKIPEDIA_FR_URL),
    ]
    for response in responses:
        for link in all_links(response):
            assert trap_reason(link.url) is None
            assert link.url.endswith("/") and link.url.count("/") == 3, link.url  # a site root, not a page
            assert "@" not in (link.text or "")
    mails = page_with('<a href="https://friend.example/">écrire à anna.k@mail.example</a>')
    assert outward_links(mails) == [Link("https://friend.example/", "html.body", "écrire à")]


# --- links pages -------------------------------------------------------------------------------


def test_links_pages_of_the_french_club():
    # "Liens utiles" only: the agenda is a calendar, Connexion an action, Membres a member list.
    assert links_pages(club()) == ["https://www.club-polyglotte.example/liens-utiles/"]


def test_links_pages_of_the_spanish_homepage():
    assert links_pages(fixture_response("discovery/intercambio-inicio.html", INTERCAMBIO_URL)) == [
        "https://intercambio-sevilla.example/enlaces",
        "https://intercambio-sevilla.example/recursos/",
    ]


@pytest.mark.parametrize(
    ("anchor", "expected"),
    [
        ('<a href="/page.php?id=4">Liens</a>', "https://club.example/page.php?id=4"),
        ('<a href="/p/12">Nos partenaires</a>', "https://club.example/p/12"),
        ('<a href="/seite/9">Partner</a>', "https://club.example/seite/9"),
        ('<a href="/pagina/3">Collegamenti</a>', "https://club.example/pagina/3"),
        ('<a href="/strona/5">Linki</a>', "https://club.example/strona/5"),
        ('<a href="/stranitsa/1">Ссылки</a>', "https://club.example/stranitsa/1"),
        ('<a href="/pagina/8">Parceiros</a>', "https://club.example/pagina/8"),
        ('<a href="/page/2"><span>Useful</span> <b>links</b></a>', "https://club.example/page/2"),
        ('<a href="/partners.html"><img src="p.png" alt=""></a>', "https://club.example/partners.html"),
        ('<a href="/links/#top">x</a>', "https://club.example/links/"),
        ('<a href="index.php?page=liens">x</a>', "https://club.example/index.php?page=liens"),
        ('<a href="https://www.club.example/linkliste">x</a>', "https://www.club.example/linkliste"),
    ],
)
def test_links_pages_by_text_or_address(anchor, expected):
    assert links_pages(page_with(anchor)) == [expected]


@pytest.mark.parametrize(
    "anchor",
    [
        '<a href="https://other.example/links/">Links</a>',  # another site
        '<a href="/links/?sid=0123456789abcdef0123456789abcdef">Links</a>',  # a trap
        '<a href="/liens" rel="nofollow">Liens</a>',
        '<a href="/">Links</a>',  # the homepage itself
        '<a href="/article/9">Read our long article about links between languages and cultures</a>',
        '<a href="/about">About</a>',
        '<a href="/post/12">Link</a>',  # a permalink
        '<a href="/article/3">Lien</a>',
        '<a href="#links">Links</a>',
        '<a href="http://club.example:8080/links/">Links</a>',  # another port is another site
    ],
)
def test_not_links_pages(anchor):
    assert links_pages(page_with(anchor)) == []


def test_links_pages_limit_and_duplicates():
    body = '<a href="/links">Links</a><a href="/links">Links</a>'
    body += '<a href="/partners">Partners</a><a href="/res">Resources</a>'
    assert links_pages(page_with(body)) == [
        "https://club.example/links",
        "https://club.example/partners",
        "https://club.example/res",
    ]
    assert links_pages(page_with(body), limit=1) == ["https://club.example/links"]
    assert links_pages(page_with(body), limit=0) == []


# --- Mastodon ----------------------------------------------------------------------------------


def peers(url: str = PEERS_URL):
    return fixture_response("discovery/mastodon-instance-peers.json", url)


def test_mastodon_discovery_endpoint():
    home = make_response(
        '<html><head><meta name="application-name" content="Mastodon"></head></html>', "https://m.example/"
    )
    assert mastodon.discovery_endpoints(home) == [
        mastodon.Endpoint("https://m.example/api/v1/instance/peers", optional=True)
    ]
    assert mastodon.discovery_endpoints(peers()) == []


def test_mastodon_peers_become_links_in_the_order_listed():
    found = mastodon.links(peers())
    assert len(found) == 50
    assert {link.rule for link in found} == {"mastodon.peers"}
    assert {link.text for link in found} == {None}
    assert urls(found)[:12] == [
        "https://mastodon.social/",
        "https://fosstodon.org/",
        "https://chaos.social/",
        "https://mstdn.jp/",
        "https://mas.to/",
        "https://mastodon.online/",  # "MASTODON.Online" later is the same site
        "https://infosec.exchange/",
        "https://xn--bcher-kva.example/",  # "bücher.example" and its punycode spelling: one site
        "https://hachyderm.io/",
        "https://social.vivaldi.net/",
        "https://piaille.fr/",
        "https://mamot.fr/",
    ]
    assert urls(found)[-1] == "https://bonn.social/"
    listed = " ".join(urls(found))
    for rejected in ("localhost", ".onion", "not a domain", "-bad-", "mastodon.example", "ruhr.social"):
        assert rejected not in listed


def test_mastodon_peers_only_from_the_peers_endpoint():
    assert mastodon.links(peers("https://mastodon.example/api/v1/instance")) == []
    assert mastodon.links(make_response(b'{"uri": "m.example"}', PEERS_URL)) == []
    assert mastodon.links(make_response(b"<html></html>", PEERS_URL)) == []


def test_mastodon_peers_over_plain_http_stay_on_http():
    # A loopback test web has no TLS; the real fediverse always answers over https.
    response = make_response(b'["127.0.0.1:8002", "lemmy.test"]', "http://127.0.0.1:8001/api/v1/instance/peers")
    assert urls(mastodon.links(response)) == ["http://127.0.0.1:8002/", "http://lemmy.test/"]


def test_a_huge_peers_list_is_read_from_its_head():
    names = [f"server{i}.example" for i in range(400_000)]
    body = json.dumps(names).encode()
    assert len(body) > MAX_JSON_BYTES
    found = mastodon.links(make_response(body, PEERS_URL))
    assert urls(found) == [f"https://server{i}.example/" for i in range(50)]


# --- Lemmy -------------------------------------------------------------------------------------


def test_lemmy_discovery_endpoint():
    home = make_response("<html><script>window.isoData = {};</script></html>", "https://lemmy.example/")
    assert lemmy.discovery_endpoints(home) == [
        lemmy.Endpoint("https://lemmy.example/api/v3/federated_instances", optional=True)
    ]
    assert lemmy.discovery_endpoints(make_response(b"{}", "https://lemmy.example/api/v3/site")) == []


def test_lemmy_019_federated_instances():
    response = fixture_response(
        "discovery/lemmy-0.19-federated-instances.json", "https://lemmy-langues.example/api/v3/federated_instances"
    )
    found = lemmy.links(response)
    assert {link.rule for link in found} == {"lemmy.federated_instances"}
    assert urls(found) == [
        "https://lemmy.ml/",
        "https://lemmy.world/",
        "https://feddit.org/",
        "https://mastodon.social/",
        "https://kbin.social/",
        "https://discuss.tchncs.de/",
        "https://feddit.it/",
        "https://sh.itjust.works/",
        "https://programming.dev/",
        "https://piefed.social/",
        "https://lemm.ee/",
    ]
    assert "spam-instance" not in " ".join(urls(found))  # blocked instances are not links


def test_lemmy_016_site_with_federated_instances():
    response = fixture_response(
        "discovery/lemmy-0.16-api-v3-site-federated.json", "https://lemmy-langues.example/api/v3/site"
    )
    assert platforms.detect(response).NAME == "lemmy"
    assert all_links(response) == [
        Link("https://lemmy.ml/", "lemmy.federated_instances"),
        Link("https://beehaw.org/", "lemmy.federated_instances"),
        Link("https://lemmygrad.ml/", "lemmy.federated_instances"),
    ]


def test_lemmy_site_without_federated_instances_has_no_links():
    for path in sorted((FIXTURES / "lemmy").glob("*-api-v3-site-*.json")):
        if path.name.endswith(".expected.json"):
            continue
        assert lemmy.links(fixture_response(path, "https://lemmy.example/api/v3/site")) == [], path.name


def test_lemmy_limit_and_huge_body():
    state = {"fail_count": 0, "last_successful_published_time": "2026-02-02T23:59:01.000000Z", "next_retry": None}
    linked = [
        {"id": i, "domain": f"instance{i}.example", "software": "lemmy", "version": "0.19.9", "federation_state": state}
        for i in range(40_000)
    ]
    body = json.dumps({"federated_instances": {"linked": linked, "allowed": [], "blocked": []}}).encode()
    assert len(body) > MAX_JSON_BYTES
    found = lemmy.links(make_response(body, "https://lemmy.example/api/v3/federated_instances"))
    assert urls(found) == [f"https://instance{i}.example/" for i in range(50)]
    small = json.dumps({"federated_instances": {"linked": linked[:80]}}).encode()
    assert len(lemmy.links(make_response(small, "https://lemmy.example/api/v3/federated_instances"))) == 50


# --- MediaWiki ---------------------------------------------------------------------------------

# The first 50 language prefixes of the map, "en" (the wiki itself) left out.
FIRST_50_EDITIONS = [
    "aa", "ab", "ace", "ady", "af", "als", "alt", "am", "ami", "an", "ang", "ar", "arc", "ary", "arz", "as", "ast",
    "atj", "av", "avk", "awa", "ay", "az", "azb", "ba", "ban", "bar", "bcl", "be", "bg", "bh", "bi", "bjn", "bm", "bn",
    "bo", "br", "bs", "bug", "bxr", "ca", "ce", "ceb", "ch", "chr", "chy", "ckb", "co", "crh", "cs",
]  # fmt: skip


def test_mediawiki_discovery_endpoint_is_the_statistics_api():
    home = fixture_response("discovery/wikipedia-fr-accueil-excerpt.html", WIKIPEDIA_FR_URL)
    assert mediawiki.discovery_endpoints(home) == [
        mediawiki.Endpoint(
            "https://fr.wikipedia.org/w/api.php?action=query&meta=siteinfo&siprop=interwikimap&sifilteriw=local"
            "&format=json&formatversion=2",
            optional=True,
        )
    ]
    bare = make_response(
        '<html><head><meta name="generator" content="MediaWiki 1.39.1"></head></html>', "https://w.example/"
    )
    (found,) = mediawiki.discovery_endpoints(bare)
    query = "action=query&meta=siteinfo&siprop=interwikimap&sifilteriw=local&format=json&formatversion=2"
    assert found.url == f"https://w.example/w/api.php?{query}"
    assert found.alternatives == (f"https://w.example/api.php?{query}",)
    assert found.optional


def test_wikipedia_interwiki_map():
    response = fixture_response(
        "discovery/wikipedia-en-interwikimap-local.json",
        "https://en.wikipedia.org/w/api.php?" + mediawiki.INTERWIKI_QUERY,
    )
    found = all_links(response)  # no platform marker in this body: the registry offers it to every adapter
    editions = [link for link in found if link.rule == "mediawiki.language_edition"]
    assert urls(editions) == [f"https://{prefix}.wikipedia.org/" for prefix in FIRST_50_EDITIONS]
    assert editions[0].text == "Qafár af" and editions[11].text == "العربية"
    assert [(link.url, link.text) for link in found if link.rule == "mediawiki.interwiki"] == [
        ("https://en.wikibooks.org/", "b"),
        ("https://commons.wikimedia.org/", "c"),
        ("https://www.wikidata.org/", "d"),
        ("https://foundation.wikimedia.org/", "foundation"),
        ("https://incubator.wikimedia.org/", "incubator"),
        ("https://meta.wikimedia.org/", "m"),
        ("https://en.wikinews.org/", "n"),
        ("https://phabricator.wikimedia.org/", "phab"),
        ("https://en.wikiquote.org/", "q"),
        ("https://en.wikisource.org/", "s"),
    ]
    assert found == editions + [link for link in found if link.rule == "mediawiki.interwiki"]


def test_real_legacy_interwiki_map():
    # wikiislam.net's siteinfo (formatversion 1): language editions need no "local" flag; "w" is local.
    response = fixture_response("mediawiki/wikiislam.net-siteinfo-2022.json", "https://wikiislam.net/api.php")
    assert mediawiki.links(response) == [
        Link("https://ar.wikiislam.net/", "mediawiki.language_edition", "العربية"),
        Link("http://bg.wikiislam.net/", "mediawiki.language_edition", "български"),
        Link("https://fr.wikiislam.net/", "mediawiki.language_edition", "français"),
        Link("http://ru.wikiislam.net/", "mediawiki.language_edition", "русский"),
        Link("https://ur.wikiislam.net/", "mediawiki.language_edition", "اردو"),
        Link("http://en.wikipedia.org/", "mediawiki.interwiki", "w"),
    ]


def test_interwiki_entries_that_name_no_community():
    body = {
        "query": {
            "interwikimap": [
                {"prefix": "google", "url": "https://www.google.com/search?q=$1"},  # global, not local
                {"prefix": "rfc", "url": "https://tools.ietf.org/html/rfc$1"},
                {"prefix": "mw", "local": True, "url": "https://www.mediawiki.org/wiki/$1"},  # software vendor
                {"prefix": "per", "local": True, "url": "https://$1.wiki.example/"},  # host pattern
                {"prefix": "fr", "local": True, "language": "français", "url": "https://fr.wiki.example/wiki/$1"},
                {"prefix": "self", "local": True, "url": "https://en.wiki.example/wiki/$1"},  # the wiki itself
                {"prefix": "bad", "local": True, "url": "javascript:alert(1)"},
                {"prefix": "broken", "url": 42},
                "not an entry",
            ]
        }
    }
    response = make_response(json.dumps(body), "https://en.wiki.example/w/api.php")
    assert mediawiki.links(response) == [Link("https://fr.wiki.example/", "mediawiki.language_edition", "français")]


def test_wikipedia_homepage_language_editions():
    response = fixture_response("discovery/wikipedia-fr-accueil-excerpt.html", WIKIPEDIA_FR_URL)
    editions = mediawiki.links(response)
    assert [(link.url, link.text) for link in editions] == [
        ("https://en.wikipedia.org/", "English"),
        ("https://de.wikipedia.org/", "Deutsch"),
        ("https://es.wikipedia.org/", "Español"),
        ("https://eo.wikipedia.org/", "Esperanto"),
        ("https://br.wikipedia.org/", "Brezhoneg"),
        ("https://ja.wikipedia.org/", "日本語"),
    ]
    # all_links: the adapter's language editions, then the page's links to other domains.
    assert all_links(response) == [
        *editions,
        Link("https://foundation.wikimedia.org/", "html.footer", "Politique de confidentialité"),
        Link("https://developer.wikimedia.org/", "html.footer", "Développeurs"),
        Link("https://stats.wikimedia.org/", "html.footer", "Statistiques"),
        Link("https://wikimediafoundation.org/", "html.footer", "Wikimedia Foundation"),
        Link("https://fr.wiktionary.org/", "html.body", "Wiktionnaire"),
        Link("https://www.wikidata.org/", "html.body", "Wikidata"),
    ]


def test_hreflang_alternates_in_the_head():
    html = (
        '<html><head><meta name="generator" content="MediaWiki 1.41.0">'
        '<link rel="alternate" hreflang="x-default" href="https://portal.wiki.example/">'
        '<link rel="alternate" hreflang="de" href="https://de.wiki.example/wiki/Hauptseite">'
        '<link hreflang="it" rel="alternate" href="//it.wiki.example/wiki/Pagina_principale">'
        '<link rel="alternate" hreflang="zh-Hans" href="/zh-hans/Main">'
        '<link rel="stylesheet" hreflang="es" href="https://es.wiki.example/style.css">'
        "</head><body></body></html>"
    )
    response = make_response(html, "https://en.wiki.example/wiki/Main_Page")
    assert mediawiki.links(response) == [
        Link("https://de.wiki.example/", "mediawiki.language_edition", "de"),
        Link("https://it.wiki.example/", "mediawiki.language_edition", "it"),
    ]


# --- registry glue -----------------------------------------------------------------------------


def test_all_links_of_an_html_page_without_platform_links():
    assert all_links(club()) == outward_links(club())


def test_all_links_routes_discovery_bodies_without_markers():
    assert platforms.detect(peers()).NAME == "generic"  # a peers list names no software
    assert all_links(peers()) == mastodon.links(peers())
    assert all_links(make_response(b'{"anything": ["mastodon.social"]}', "https://x.example/api")) == []
    assert all_links(make_response(b'["mastodon.social"]', "https://x.example/other/list")) == []


@pytest.mark.parametrize("adapter", [mastodon, lemmy, mediawiki], ids=lambda a: a.NAME)
@pytest.mark.parametrize("body_name", sorted(HOSTILE_BODIES))
def test_platform_link_readers_survive_hostile_bodies(adapter, body_name):
    for content_type in ("text/html; charset=utf-8", "application/json"):
        for url in ("https://hostile.example/", PEERS_URL, "https://hostile.example/api/v3/federated_instances"):
            response = make_response(HOSTILE_BODIES[body_name], url, {"Content-Type": content_type})
            assert isinstance(adapter.links(response), list)
            assert isinstance(adapter.discovery_endpoints(response), list)
