"""Discourse semantics the golden fixtures do not show on their own."""

from __future__ import annotations

import json

from crawler.extraction import RANK_API, RANK_HTML
from crawler.platforms import detect as registry_detect
from crawler.platforms import discourse
from tests.conftest import make_response

HOMEPAGE = (
    '<!DOCTYPE html><html lang="de"><head><meta charset="utf-8">'
    '<meta name="generator" content="Discourse 3.2.0.beta4 - https://github.com/discourse/discourse version abc">'
    '<meta name="discourse_theme_id" content="2"></head>'
    '<body><section id="main"></section></body></html>'
)


def test_homepage_generator_gives_platform_and_version_at_html_rank():
    response = make_response(HOMEPAGE, "https://forum.example.org/")
    assert discourse.detect(response)
    result = discourse.extract(response)
    assert (result.platform, result.platform_version) == ("discourse", "3.2.0.beta4")
    assert result.evidence["platform_version"].rank == RANK_HTML


def test_setup_element_alone_is_enough_and_gives_the_subfolder():
    page = '<html><body><div id="data-discourse-setup" data-base-uri="/forum" data-theme-id="1"></div></body></html>'
    response = make_response(page, "https://example.org/forum/")
    assert discourse.detect(response)
    urls = [(e.url, e.optional) for e in discourse.endpoints(response)]
    assert urls == [("https://example.org/forum/about.json", False), ("https://example.org/forum/latest.json", True)]


def test_homepage_endpoints_are_root_relative():
    response = make_response(HOMEPAGE, "https://forum.example.org/c/general/4")
    assert [e.url for e in discourse.endpoints(response)] == [
        "https://forum.example.org/about.json",
        "https://forum.example.org/latest.json",
    ]


def test_api_bodies_lead_nowhere():
    response = make_response('{"about": {"stats": {"users_count": 1}}}', "https://f.example/about.json")
    assert discourse.endpoints(response) == []


def test_new_spelling_wins_over_old_and_sign_ups_are_not_active_users():
    body = {
        "about": {
            "stats": {
                "topics_count": 64581,
                "topic_count": 1,
                "posts_count": 1836020,
                "users_count": 65215,
                "user_count": 2,
                "users_7_days": 300,
                "users_30_days": 1200,
                "active_users_last_day": 900,
                "participating_users_7_days": 50,
                "visitors_30_days": 99999,
                "chat_messages_count": 10,
            },
            "title": "Discourse Meta",
            "version": "2026.4.0-latest",
            "locale": "en",
        }
    }
    result = discourse.extract(make_response(json.dumps(body), "https://meta.discourse.org/about.json"))
    assert result.metrics == {"members": 65215, "topics": 64581, "posts": 1836020, "active_users_1d": 900}
    assert result.evidence["members"].snippet == '"users_count": 65215'
    assert result.evidence["members"].rule == "discourse.about_json.users_count"
    assert result.evidence["members"].rank == RANK_API


def test_hidden_stats_still_identify_the_platform():
    body = {"about": {"can_see_about_stats": False, "title": "Private", "version": "3.1.0", "locale": "fr"}}
    response = make_response(json.dumps(body), "https://private.example/about.json")
    assert registry_detect(response).NAME == "discourse"
    result = discourse.extract(response)
    assert (result.platform, result.metrics, result.languages) == ("discourse", {}, ["fr"])


def test_flat_site_statistics_json():
    body = {"topics_count": 10, "posts_count": 50, "users_count": 7, "active_users_30_days": 3}
    response = make_response(json.dumps(body), "https://f.example/site/statistics.json")
    assert discourse.detect(response)
    result = discourse.extract(response)
    assert result.metrics == {"members": 7, "topics": 10, "posts": 50, "active_users_30d": 3}
    assert result.evidence["members"].rule == "discourse.statistics_json.users_count"


def test_latest_json_without_any_valid_date_sets_nothing():
    body = {"topic_list": {"topics": [{"bumped_at": None}, {"last_posted_at": "not a date"}]}}
    result = discourse.extract(make_response(json.dumps(body), "https://f.example/latest.json"))
    assert result.platform == "discourse"
    assert result.last_activity_at is None


def test_other_pages_are_not_discourse():
    page = '<html><head><meta name="generator" content="WordPress 6.4"></head><body>discourse</body></html>'
    assert not discourse.detect(make_response(page, "https://blog.example/"))
    assert not discourse.detect(make_response('{"about": "us"}', "https://x.example/about.json"))


def test_session_cookie_alone_is_enough():
    headers = {"Content-Type": "text/html; charset=utf-8", "Set-Cookie": "_forum_session=abc; path=/; HttpOnly"}
    assert discourse.detect(make_response("<html><body></body></html>", "https://f.example/", headers))
