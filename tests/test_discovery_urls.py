"""URL facts for discovery: registrable domains, site roots, peer-list host names and spider traps."""

from __future__ import annotations

from pathlib import Path

import pytest

from crawler import platforms
from crawler.discovery.urls import (
    domain_id,
    peer_address,
    public_host_name,
    registrable_domain,
    site_id,
    site_root,
    trap_reason,
)
from crawler.identity import InvalidUrlError
from tests.conftest import FIXTURES, load_case, make_response

SEEDS = Path(__file__).resolve().parents[1] / "crawler" / "seeds" / "use_case.txt"


@pytest.mark.parametrize(
    ("host", "expected"),
    [
        ("forum.example.co.uk", "example.co.uk"),
        ("example.co.uk", "example.co.uk"),
        ("www.Wikipedia.ORG", "wikipedia.org"),
        ("fr.wikipedia.org", "wikipedia.org"),
        ("forum.wordreference.com:8443", "wordreference.com"),
        ("forum.wordreference.com.", "wordreference.com"),
        # Private suffixes count: two blogs on blogspot.com or two GitHub Pages sites are two owners.
        ("idiomas.blogspot.com", "idiomas.blogspot.com"),
        ("docs.lang-club.github.io", "lang-club.github.io"),
        ("polyglot.club.example", "club.example"),
        ("co.uk", "co.uk"),
        ("127.0.0.1", "127.0.0.1"),
        ("127.0.0.1:8080", "127.0.0.1"),
        ("[::1]:8080", "::1"),
        ("localhost", "localhost"),
        ("localhost:3000", "localhost"),
        ("", ""),
    ],
)
def test_registrable_domain(host, expected):
    assert registrable_domain(host) == expected


def test_registrable_domain_needs_no_network(monkeypatch):
    import socket

    def refuse(*args, **kwargs):
        raise AssertionError("network used")

    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    registrable_domain.cache_clear()
    assert registrable_domain("forum.languages.com.au") == "languages.com.au"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://www.polyglotclub.com/forum/index.php?sid=1", "https://www.polyglotclub.com/"),
        ("HTTP://Forum.WordReference.COM:80/threads/x.1/", "http://forum.wordreference.com/"),
        ("https://tatoeba.org:443/fr/", "https://tatoeba.org/"),
        ("https://wiki.example:8443/wiki/Accueil", "https://wiki.example:8443/"),
        ("http://127.0.0.1:8001/about", "http://127.0.0.1:8001/"),
        ("http://[::1]:8080/x", "http://[::1]:8080/"),
        ("https://user:secret@lemmy.ml/c/languagelearning", "https://lemmy.ml/"),
    ],
)
def test_site_root(url, expected):
    assert site_root(url) == expected


@pytest.mark.parametrize("url", ["mailto:a@b.example", "/relative/path", "ftp://files.example/", ""])
def test_site_root_refuses_non_web_urls(url):
    with pytest.raises(InvalidUrlError):
        site_root(url)


def test_site_and_domain_ids():
    assert site_id("www.Polyglotclub.com") == "polyglotclub.com"
    assert site_id("polyglotclub.com", 443) == "polyglotclub.com"
    assert site_id("127.0.0.1", 8001) == "127.0.0.1:8001"
    assert domain_id("fr.wikipedia.org", 443) == "wikipedia.org"
    # Each loopback port is another server: no domain groups them.
    assert domain_id("127.0.0.1", 8001) == "127.0.0.1:8001"
    assert domain_id("127.0.0.1", 8002) != domain_id("127.0.0.1", 8001)
    assert domain_id("localhost", 3000) == "localhost:3000"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("mastodon.social", "mastodon.social"),
        ("Chaos.Social.", "chaos.social"),
        ("bücher.example", "xn--bcher-kva.example"),
        ("feddit.org", "feddit.org"),
        ("foo3xyzabc.onion", None),
        ("printer.local", None),
        ("nas.home.arpa", None),
        ("localhost", None),
        ("single-label", None),
        ("not a domain", None),
        ("-bad-.example", None),
        ("under_score.example", None),
        ("https://mas.to/", None),
        ("mas.to:8080", None),
        ("203.0.113.7", None),
        ("a." * 130 + "example", None),
        (42, None),
        (None, None),
    ],
)
def test_public_host_name(text, expected):
    assert public_host_name(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("mastodon.social", "mastodon.social"),
        ("social.example:8443", "social.example:8443"),
        ("203.0.113.7", "203.0.113.7"),
        ("127.0.0.1:8001", "127.0.0.1:8001"),
        ("[2001:db8::1]:443", "[2001:db8::1]:443"),
        ("mas.to:99999", None),
        ("mas.to:0", None),
        ("https://mas.to", None),
        ("mas.to/path", None),
        ("foo3xyzabc.onion", None),
        ("", None),
    ],
)
def test_peer_address(text, expected):
    assert peer_address(text) == expected


TRAPS = [
    # scheme and shape
    ("mailto:contact@club.example", "scheme"),
    ("javascript:window.print()", "scheme"),
    ("ftp://files.example/", "scheme"),
    ("data:text/html,hello", "scheme"),
    ("https://club.example:99999/", "invalid"),
    ("https:///no-host", "invalid"),
    ("https://club.example/" + "a" * 1010, "too_long"),
    ("https://club.example/1/2/3/4/5/6/7/8/9", "too_deep"),
    ("https://club.example/forum/forum/x/forum/y", "repeated_segments"),
    ("https://club.example/a/b/a/b/a/b", "repeated_segments"),
    # calendars and dates
    ("https://club.example/calendar", "calendar"),
    ("https://club.example/forum/calendar.php?do=getinfo&e=3", "calendar"),
    ("https://club.example/events/2026/05/01", "calendar"),
    ("https://club.example/events/2026-05-01/", "calendar"),
    ("https://club.example/events/week/", "calendar"),
    ("https://club.example/evenements/mois/", "calendar"),
    ("https://club.example/agenda/?month=2026-05", "calendar"),
    ("https://club.example/index.php?date=2026-05-01", "calendar"),
    ("https://club.example/archives.php?year=2019", "calendar"),
    ("https://club.example/events/?tribe-bar-date=2026-05-01", "calendar"),
    ("https://club.example/planning?view=week", "calendar"),
    ("https://club.example/blog/2026/04/", "calendar"),
    ("https://club.example/2026/04/30/", "calendar"),
    ("https://club.example/kalender/", "calendar"),
    # searches
    ("https://club.example/search?q=tandem", "search"),
    ("https://club.example/?s=tandem", "search"),
    ("https://club.example/forum/search.php?keywords=tandem&sr=posts", "search"),
    ("https://club.example/recherche/", "search"),
    ("https://club.example/buscar?query=ingles", "search"),
    ("https://club.example/index.php?action=search2", "search"),
    ("https://wiki.example/wiki/Special:Search?search=tandem", "search"),
    ("https://wiki.example/w/index.php?title=Spécial:Recherche&search=x", "search"),
    # session ids
    ("https://club.example/forum/viewtopic.php?t=5&sid=0123456789abcdef0123456789abcdef", "session_id"),
    ("https://club.example/index.php?PHPSESSID=abc123", "session_id"),
    ("https://club.example/app;jsessionid=0A1B2C3D", "session_id"),
    ("https://club.example/page?sessionid=77", "session_id"),
    ("https://club.example/forumdisplay.php?f=2&s=0123456789abcdef0123456789abcdef", "session_id"),
    ("https://club.example/forum/viewforum.php?f=2&amp;sid=0123456789abcdef0123456789abcdef", "session_id"),
    # member lists and profiles: personal data, never fetched
    ("https://club.example/forum/memberlist.php", "member_page"),
    ("https://club.example/forum/memberlist.php?mode=viewprofile&u=12", "member_page"),
    ("https://club.example/members/", "member_page"),
    ("https://club.example/community/members/anna.12/", "member_page"),
    ("https://lemmy.ml/u/someone", "member_page"),
    ("https://discourse.example/u/someone/summary", "member_page"),
    ("https://nodebb.example/user/someone", "member_page"),
    ("https://nodebb.example/users", "member_page"),
    ("https://discourse.example/u", "member_page"),
    ("https://mastodon.social/@someone", "member_page"),
    ("https://club.example/profile.php?id=3", "member_page"),
    ("https://club.example/member.php?u=3", "member_page"),
    ("https://club.example/index.php?action=profile;u=7", "member_page"),
    ("https://club.example/index.php?action=mlist", "member_page"),
    ("https://club.example/index.php?showuser=5", "member_page"),
    ("https://wiki.example/wiki/User:Someone", "member_page"),
    ("https://wiki.example/wiki/Utilisateur:Quelqu%27un", "member_page"),
    ("https://wiki.example/w/index.php?title=Special:ListUsers", "member_page"),
    # binaries and page assets
    ("https://club.example/photos/tandem.JPG", "binary"),
    ("https://club.example/docs/guide.pdf", "binary"),
    ("https://club.example/files/lexique.zip", "binary"),
    ("https://club.example/video/presentation.mp4", "binary"),
    ("https://club.example/static/app.js", "binary"),
    # acting on the site
    ("https://club.example/login", "action"),
    ("https://club.example/forum/ucp.php?mode=register", "action"),
    ("https://club.example/forum/ucp.php?mode=logout&sid=", "session_id"),
    ("https://club.example/forum/posting.php?mode=reply&t=3", "action"),
    ("https://club.example/index.php?action=post;board=1.0", "action"),
    ("https://club.example/newreply.php?do=newreply&t=9", "action"),
    ("https://club.example/threads/tandem.12/reply", "action"),
    ("https://club.example/wp-login.php?redirect_to=%2F", "action"),
    ("https://club.example/2026/04/30/tandem/?replytocom=5", "action"),
    ("https://wiki.example/w/index.php?title=Accueil&action=edit", "action"),
    ("https://wiki.example/w/index.php?title=Accueil&action=history", "action"),
    ("https://wiki.example/w/index.php?title=Accueil&diff=12&oldid=11", "action"),
    ("https://wiki.example/w/index.php?title=Special:UserLogin&returnto=Accueil", "action"),
    ("https://club.example/?share=facebook", "action"),
]


@pytest.mark.parametrize(("url", "reason"), TRAPS)
def test_trap_reason(url, reason):
    assert trap_reason(url) == reason


FINE = [
    "https://www.polyglotclub.com/",
    "https://club.example/forum/",
    "https://club.example/forum/viewforum.php?f=2",
    "https://club.example/forum/viewtopic.php?t=5",
    "https://club.example/forum/index.php?topic=1.msg2",
    "https://club.example/index.php?action=stats",
    "https://club.example/forum/app.php/feed",
    "https://club.example/feed/",
    "https://club.example/rss.xml",
    "https://club.example/2026/04/30/tandem-du-jeudi/",
    "https://club.example/events/",
    "https://club.example/events/rencontre-de-printemps",
    "https://club.example/liens-utiles/",
    "https://club.example/partenaires.html",
    "https://club.example/community",
    "https://lemmy.ml/c/languagelearning",
    "https://discourse.example/t/tandem-partners/123",
    "https://reddit.example/r/languagelearning/about.json",
    "https://wiki.example/wiki/Accueil",
    "https://wiki.example/wiki/Main_Page",
    "https://wiki.example/w/index.php?title=Accueil",
    "https://club.example/a/b/c/d/e/f/g/h",
    "https://club.example/a/a/b",
    "https://club.example/?page=2",
    "https://club.example/index.php?lang=fr",
    "http://127.0.0.1:8001/",
    # every discovery endpoint the adapters ask for
    "https://mastodon.example/api/v1/instance/peers",
    "https://lemmy.example/api/v3/federated_instances",
    "https://en.wikipedia.org/w/api.php?action=query&meta=siteinfo&siprop=interwikimap&sifilteriw=local"
    "&format=json&formatversion=2",
]


@pytest.mark.parametrize("url", FINE)
def test_fine_urls_are_no_traps(url):
    assert trap_reason(url) is None


def test_non_string_is_invalid():
    assert trap_reason(None) == "invalid"  # type: ignore[arg-type]


def test_seed_urls_are_no_traps():
    seeds = [line.split()[0] for line in SEEDS.read_text(encoding="utf-8").splitlines() if line.startswith("http")]
    assert len(seeds) >= 10
    assert {url: trap_reason(url) for url in seeds} == dict.fromkeys(seeds)


# Homepages of the platforms whose adapters ask for endpoints (the golden fixtures are mostly API bodies).
HOMEPAGES = {
    "https://mastodon.example/": '<html><head><meta name="application-name" content="Mastodon"></head></html>',
    "https://lemmy.example/": "<html><head><script>window.isoData = {};</script></head></html>",
    "https://wiki.example/wiki/Accueil": '<html><head><meta name="generator" content="MediaWiki 1.43.0"></head></html>',
    "https://fr.wikipedia.org/wiki/Accueil": (
        '<html><head><meta name="generator" content="MediaWiki 1.46.0-wmf.3">'
        '<link rel="EditURI" type="application/rsd+xml" href="//fr.wikipedia.org/w/api.php?action=rsd"></head></html>'
    ),
    "https://discourse.example/": '<html><head><meta name="generator" content="Discourse 3.4.0"></head></html>',
    "https://sub.discourse.example/forum/": (
        '<html><head><meta name="generator" content="Discourse 3.4.0"></head>'
        '<body><div id="data-discourse-setup" data-base-uri="/forum"></div></body></html>'
    ),
}


def test_no_adapter_endpoint_is_a_trap():
    """The spider drops trap URLs from every queue: no statistics or discovery endpoint may be one."""
    responses = [load_case(expected)[0] for expected in sorted(FIXTURES.glob("*/*.expected.json"))]
    responses += [make_response(body, url) for url, body in HOMEPAGES.items()]
    asked: list[str] = []
    for response in responses:
        adapter = platforms.detect(response)
        found = list(adapter.endpoints(response))
        discovery = getattr(adapter, "discovery_endpoints", None)
        found += discovery(response) if discovery else []
        for endpoint in found:
            asked += [endpoint.url, *endpoint.alternatives]
    assert len(asked) > 20
    assert {url: trap_reason(url) for url in asked if trap_reason(url)} == {}
