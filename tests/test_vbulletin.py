"""vBulletin: dt/dd pairs by label, vBadvanced order, names and unwindowed figures never read."""

from __future__ import annotations

from crawler.platforms import vbulletin
from tests.conftest import fixture_response, make_response


def test_vbadvanced_order_differs_and_top_poster_is_skipped():
    result = vbulletin.extract(
        fixture_response("vbulletin/seqanswers-vb3-vbadvanced-stats.html", "http://seqanswers.com/")
    )
    assert result.metrics == {"members": 77767, "topics": 39427, "posts": 171077}
    assert all("6,659" not in (ev.snippet or "") for ev in result.evidence.values())


def test_active_members_has_no_window_and_is_not_a_metric():
    result = vbulletin.extract(fixture_response("vbulletin/dota2-dev-vb4-wgo-stats.html", "https://dota2.example/"))
    assert 12583 not in result.metrics.values()


def test_unknown_labels_fall_back_to_the_vb4_order():
    body = (
        '<html lang="xx" id="vbulletin_html"><body><div id="wgo_stats"><dl><dt>Aaa</dt><dd>71,199</dd>'
        "<dt>Bbb</dt><dd>474,796</dd><dt>Ccc</dt><dd>57,471</dd></dl></div></body></html>"
    )
    result = vbulletin.extract(make_response(body, "https://vb.example/forum.php"))
    assert result.metrics == {"topics": 71199, "posts": 474796, "members": 57471}


def test_blog_statistics_are_not_forum_statistics():
    result = vbulletin.extract(
        fixture_response("vbulletin/quiltingboard-vb4-forumhome.html", "https://www.quiltingboard.com/forum.php")
    )
    assert result.metrics == {"topics": 259950, "posts": 7448181, "members": 120387}


def test_versions():
    page = '<html id="vbulletin_html"><head><script>var SIMPLEVERSION = "{v}";</script></head></html>'
    assert vbulletin.extract(make_response(page.format(v="425"), "https://vb.example/")).platform_version == "4.2.5"
    generator = '<html><head><meta name="generator" content="vBulletin 3.8.11" /></head><body id="x"></body></html>'
    response = make_response(generator, "https://vb.example/")
    assert vbulletin.detect(response)
    assert vbulletin.extract(response).platform_version == "3.8.11"


def test_showthread_name_comes_from_the_logo():
    result = vbulletin.extract(
        fixture_response(
            "vbulletin/pocketpc-vb4-de-showthread.html",
            "https://www.pocketpc.ch/windows-phone-7-allgemein/122760-x-34.html",
            {"Content-Type": "text/html"},
        )
    )
    assert result.name == "PocketPC.ch"
    assert result.metrics == {}
