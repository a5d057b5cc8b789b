"""Is a discovered candidate a community? Platform, member count, or community structure."""

from __future__ import annotations

import pytest

from crawler import platforms
from crawler.discovery.signals import NO_SIGNAL, SINGLE_MEMBER, community_signals, community_structure
from crawler.extraction import Extraction
from tests.conftest import fixture_response, make_response
from tests.test_adapters_conformance import HOSTILE_BODIES

HOME = "https://club.example/"


def page(body: str, url: str = HOME):
    return make_response(f"<!DOCTYPE html><html><head><title>t</title></head><body>{body}</body></html>", url)


def test_a_recognised_platform_is_a_community():
    extraction = Extraction(url=HOME, platform="discourse")
    assert community_signals(extraction, page("")) == (True, "platform:discourse")


def test_wikipedia_homepage_is_recognised_by_its_adapter():
    response = fixture_response(
        "discovery/wikipedia-fr-accueil-excerpt.html", "https://fr.wikipedia.org/wiki/Wikip%C3%A9dia:Accueil_principal"
    )
    assert community_signals(platforms.extract(response), response) == (True, "platform:mediawiki")


def test_a_member_count_is_a_community():
    assert community_signals(Extraction(url=HOME, metrics={"members": 1200}), page("")) == (True, "members")
    assert community_signals(Extraction(url=HOME, metrics={"members": 1200}), None) == (True, "members")


def test_a_one_member_site_is_a_person_not_a_community():
    single = Extraction(url=HOME, platform="mastodon", metrics={"members": 1, "posts": 5400})
    assert community_signals(single, page('<a href="/forum/">Forum</a>')) == (False, SINGLE_MEMBER)
    assert community_signals(Extraction(url=HOME, metrics={"members": 0}), page("")) == (False, SINGLE_MEMBER)


def test_blog_software_alone_is_not_a_community():
    blog = Extraction(url=HOME, platform="wordpress")
    assert community_signals(blog, page("<p>My notes on Esperanto.</p>")) == (
        False,
        "blog platform wordpress, no member count or community structure",
    )
    assert community_signals(blog, page('<a href="/forums/">Forums</a>')) == (True, "structure:forum")
    with_members = Extraction(url=HOME, platform="wordpress", metrics={"members": 80})
    assert community_signals(with_members, page("")) == (True, "members")


@pytest.mark.parametrize(
    ("body", "structure"),
    [
        ('<a href="/forum/">Forum</a>', "forum"),
        ('<a href="forum/viewforum.php?f=2">Allemand</a>', "forum"),
        ('<a href="/index.php?board=1.0">Général</a>', "forum"),
        ('<a href="https://forum.club.example/">Forum</a>', "forum"),
        ('<a href="/foros/">Foros</a>', "forum"),
        ('<a href="/%D1%84%D0%BE%D1%80%D1%83%D0%BC/">Форум</a>', "forum"),
        ('<a href="/board">Board</a>', "forum"),
        ('<a href="/wiki/Accueil">Wiki</a>', "wiki"),
        ('<a href="https://wiki.club.example/">Wiki</a>', "wiki"),
        ('<a href="https://discord.gg/Ab12Cd34">Discord</a>', "chat"),
        ('<a href="https://discord.com/invite/Ab12Cd34">Discord</a>', "chat"),
        ('<a href="https://matrix.to/#/#langues:matrix.org">Matrix</a>', "chat"),
        ('<a href="https://t.me/intercambiosevilla">Telegram</a>', "chat"),
        ('<a href="https://chat.whatsapp.com/AbCdEf123">WhatsApp</a>', "chat"),
        ('<a href="ircs://irc.libera.chat/#esperanto">IRC</a>', "chat"),
        ('<a href="xmpp:langues@salon.example?join">XMPP</a>', "chat"),
        ('<a href="/community">Community</a>', "community"),
        ('<a href="/comunidad/">Comunidad</a>', "community"),
        ("<p>Join our community of 300 learners!</p>", "community"),
        ("<p>Rejoignez notre communauté : tandems chaque jeudi.</p>", "community"),
        ("<p>¡Únete a nuestra comunidad!</p>", "community"),
        ("<p>Tritt unserer Community bei und finde Tandempartner.</p>", "community"),
        ("<p>Dołącz do naszej społeczności</p>", "community"),
        ("<p>Присоединяйтесь к нашему сообществу</p>", "community"),
        ("<p>語学学習のコミュニティに参加しよう</p>", "community"),
    ],
)
def test_community_structures(body, structure):
    assert community_structure(page(body)) == structure
    assert community_signals(None, page(body)) == (True, f"structure:{structure}")


def test_forum_outranks_the_other_structures():
    body = '<a href="https://discord.gg/x1">Discord</a><a href="/wiki/">Wiki</a><a href="/forums/">Forums</a>'
    assert community_structure(page(body)) == "forum"
    assert community_structure(page('<a href="https://t.me/x">T</a><a href="/wiki/A">W</a>')) == "wiki"


def test_the_candidate_address_itself_counts():
    assert community_structure(page("", "https://forum.languages.example/")) == "forum"
    assert community_structure(page("", "https://club.example/wiki/Accueil")) == "wiki"


@pytest.mark.parametrize(
    "body",
    [
        '<a href="https://forum.other.example/viewforum.php?f=1">Their forum</a>',  # someone else's forum
        '<a href="https://wiki.other.example/wiki/Main">Their wiki</a>',
        '<a href="https://discord.com/">Discord</a>',  # the chat service, not an invite
        '<a href="/pricing">Pricing</a><a href="/about">About us</a><p>Learn Spanish with our app.</p>',
        "<script>var cta = 'join our community';</script>",  # script text is not page text
        "<p>Our community manager answers in 24 hours.</p>",
    ],
)
def test_no_community_structure(body):
    assert community_structure(page(body)) is None
    assert community_signals(Extraction(url=HOME), page(body)) == (False, NO_SIGNAL)


def test_fixture_pages():
    club = fixture_response("discovery/club-polyglotte-accueil.html", "https://www.club-polyglotte.example/")
    assert community_signals(None, club) == (True, "structure:forum")
    intercambio = fixture_response("discovery/intercambio-inicio.html", "https://intercambio-sevilla.example/")
    assert community_signals(None, intercambio) == (True, "structure:chat")
    # A links page pointing at other sites' forums is not a community itself.
    linkliste = fixture_response("discovery/sprachclub-linkliste.html", "https://sprachstammtisch-leipzig.example/")
    assert community_signals(platforms.extract(linkliste), linkliste) == (False, NO_SIGNAL)


def test_missing_or_non_html_inputs():
    assert community_signals(None, None) == (False, NO_SIGNAL)
    assert community_signals(None, make_response(b'{"title": "x"}', "https://api.example/")) == (False, NO_SIGNAL)
    assert community_structure(make_response(b"", HOME)) is None


def test_hostile_pages():
    for body in HOSTILE_BODIES.values():
        for content_type in ("text/html; charset=utf-8", "application/json"):
            response = make_response(body, "https://hostile.example/", {"Content-Type": content_type})
            accepted, reason = community_signals(None, response)
            assert isinstance(accepted, bool) and reason


def test_a_page_with_100000_links_has_no_community_signal():
    # How long this takes is measured by bench/bench_hostile.py, not asserted here.
    body = "".join(f'<a href="/p/{i}">p</a><a href="https://s{i}.example/">s</a>' for i in range(50_000))
    response = page(body + "<p>" + "lorem ipsum " * 50_000 + "</p>")
    assert community_signals(None, response) == (False, NO_SIGNAL)
