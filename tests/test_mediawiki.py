"""MediaWiki semantics: where api.php is, what the siteinfo answer means, what is ignored."""

from __future__ import annotations

import json

from crawler.extraction import RANK_HTML
from crawler.platforms import mediawiki
from tests.conftest import make_response

QUERY = "action=query&meta=siteinfo&siprop=general|statistics|rightsinfo&format=json&formatversion=2"


def _page(head: str) -> str:
    return f'<!DOCTYPE html><html lang="en"><head>{head}</head><body class="mediawiki ltr"></body></html>'


def test_edituri_gives_the_api_whatever_the_attribute_order():
    for link in (
        '<link rel="EditURI" type="application/rsd+xml" href="//wiki.example.org/w/api.php?action=rsd"/>',
        "<link href='//wiki.example.org/w/api.php?action=rsd' type='application/rsd+xml' rel='EditURI'>",
    ):
        response = make_response(_page(link), "https://wiki.example.org/wiki/Main_Page")
        assert mediawiki.detect(response)
        endpoints = mediawiki.endpoints(response)
        assert [(e.url, e.alternatives) for e in endpoints] == [(f"https://wiki.example.org/w/api.php?{QUERY}", ())]


def test_edituri_at_the_site_root():
    link = '<link rel="EditURI" type="application/rsd+xml" href="https://wiki.example.org/api.php?action=rsd">'
    response = make_response(_page(link), "https://wiki.example.org/")
    assert [e.url for e in mediawiki.endpoints(response)] == [f"https://wiki.example.org/api.php?{QUERY}"]


def test_without_edituri_try_w_then_root():
    page = _page('<meta name="generator" content="MediaWiki 1.39.5">')
    response = make_response(page, "https://wiki.example.org/index.php/Home")
    [endpoint] = mediawiki.endpoints(response)
    assert endpoint.url == f"https://wiki.example.org/w/api.php?{QUERY}"
    assert endpoint.alternatives == (f"https://wiki.example.org/api.php?{QUERY}",)


def test_homepage_generator_and_config_at_html_rank():
    head = (
        '<meta name="generator" content="MediaWiki 1.35.0-wmf.5">'
        '<script>RLCONF={"wgSiteName":"Wikip\\u00e9dia","wgContentLanguage":"fr","wgPageContentLanguage":"fr"};</script>'
    )
    result = mediawiki.extract(make_response(_page(head), "https://fr.wiki.example/"))
    assert (result.platform, result.platform_version, result.name, result.languages) == (
        "mediawiki",
        "1.35.0-wmf.5",
        "Wikipédia",
        ["fr"],
    )
    assert result.evidence["platform_version"].rank == RANK_HTML


def test_interface_languages_are_not_the_community_languages():
    body = {
        "query": {
            "general": {"generator": "MediaWiki 1.41.0", "lang": "pl", "sitename": "Wiki"},
            "languages": [{"code": "en", "*": "English"}, {"code": "de", "*": "Deutsch"}],
        }
    }
    result = mediawiki.extract(make_response(json.dumps(body), "https://pl.wiki.example/w/api.php"))
    assert result.languages == ["pl"]


def test_licence_url_is_only_a_url_the_wiki_publishes():
    body = {
        "query": {
            "general": {"generator": "MediaWiki 1.39.3", "lang": "en", "sitename": "Fandom-like"},
            "rightsinfo": {"url": "https://www.fandom.com/licensing", "text": "CC-BY-SA"},
        }
    }
    result = mediawiki.extract(make_response(json.dumps(body), "https://x.fandom.example/api.php"))
    assert result.licence_url == "https://www.fandom.com/licensing"
    assert result.licence is None or result.licence.startswith("CC-BY-SA")


def test_empty_rightsinfo_means_no_licence():
    body = {"query": {"general": {"generator": "MediaWiki 1.23.5"}, "rightsinfo": {"url": "", "text": ""}}}
    result = mediawiki.extract(make_response(json.dumps(body), "https://w.example/api.php"))
    assert (result.licence, result.licence_url) == (None, None)


def test_non_mediawiki_generators_are_not_claimed():
    body = {"query": {"general": {"generator": "Wiki.js 2.5", "sitename": "x"}, "statistics": {"pages": 4}}}
    assert not mediawiki.detect(make_response(json.dumps(body), "https://w.example/api.php"))
    page = '<html><head><meta name="generator" content="DokuWiki"></head><body></body></html>'
    assert not mediawiki.detect(make_response(page, "https://w.example/"))


def test_versionless_licence_url_falls_back_to_the_text_for_the_version():
    body = (
        '{"batchcomplete":"","query":{"general":{"generator":"MediaWiki 1.31.0","sitename":"W","lang":"fr"},'
        '"statistics":{"users":5},"rightsinfo":{"url":"//www.gnu.org/copyleft/fdl.html",'
        '"text":"GNU Free Documentation License 1.3 or later"}}}'
    )
    result = mediawiki.extract(make_response(body, "https://w.example/api.php?action=query&meta=siteinfo"))
    assert result.licence == "GFDL-1.3-or-later"
    assert result.licence_url == "https://www.gnu.org/copyleft/fdl.html"
    assert result.evidence["licence"].rule == "mediawiki.rightsinfo.text"
