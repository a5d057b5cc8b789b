"""Mastodon API semantics: v1 vs v2, weekly activity, compatible servers, homepage endpoints."""

from __future__ import annotations

import json

import pytest

from crawler import platforms
from crawler.platforms import mastodon
from crawler.platforms.fediverse import split_compat_version
from tests.conftest import fixture_response, make_response

HOMEPAGE = (
    '<!DOCTYPE html><html lang="en"><head><meta name="application-name" content="Mastodon">'
    '<script src="/packs/js/common.js"></script></head>'
    '<body class="app-body"><div class="app-holder" id="mastodon" data-props="{&quot;locale&quot;:&quot;en&quot;}">'
    "</div></body></html>"
)


def test_homepage_endpoints():
    response = make_response(HOMEPAGE, "https://mastodon.example/about")
    assert platforms.detect(response).NAME == "mastodon"
    assert [(e.url, e.optional) for e in mastodon.endpoints(response)] == [
        ("https://mastodon.example/api/v2/instance", False),
        ("https://mastodon.example/api/v1/instance", False),
        ("https://mastodon.example/.well-known/nodeinfo", False),
        ("https://mastodon.example/api/v1/instance/activity", True),
    ]


def test_v2_has_no_total_members():
    response = fixture_response(
        "mastodon/mastodon.social-api-v2-instance-DOCEXAMPLE.json", "https://mastodon.social/api/v2/instance"
    )
    assert "members" not in mastodon.extract(response).metrics
    assert mastodon.endpoints(response) == []


def test_activity_skips_the_current_partial_week_in_any_order():
    buckets = [
        {"week": "1574035200", "statuses": "244447", "logins": "28820", "registrations": "4425"},
        {"week": "1574640000", "statuses": "37125", "logins": "14239", "registrations": "542"},
    ]
    result = mastodon.extract(make_response(json.dumps(buckets), "https://m.example/api/v1/instance/activity"))
    assert result.metrics == {"active_users_7d": 28820, "posts_7d": 244447}


def test_activity_with_only_the_current_week_gives_nothing():
    buckets = [{"week": "1574640000", "statuses": "37125", "logins": "14239", "registrations": "542"}]
    response = make_response(json.dumps(buckets), "https://m.example/api/v1/instance/activity")
    assert mastodon.detect(response)
    result = mastodon.extract(response)
    assert (result.platform, result.metrics) == ("mastodon", {})


@pytest.mark.parametrize(
    ("version", "expected"),
    [
        ("2.3.3 (compatible; Pleroma 0.9.0 ffa552f1a41c530a7eff25d27cf0a82e710067b6)", ("pleroma", "0.9.0")),
        ("2.7.2 (compatible; Akkoma 3.13.2)", ("akkoma", "3.13.2")),
        ("4.3.0-nightly.2024-04-30", (None, "4.3.0-nightly.2024-04-30")),
        ("", (None, None)),
        (None, (None, None)),
        (42, (None, None)),
    ],
)
def test_compatible_versions(version, expected):
    assert split_compat_version(version) == expected


def test_approval_required_still_counts_as_open():
    body = {"uri": "m.example", "version": "4.2.0", "stats": {}, "registrations": True, "approval_required": True}
    assert mastodon.extract(make_response(json.dumps(body), "https://m.example/api/v1/instance")).registrations_open


@pytest.mark.parametrize(
    ("fixture", "url"),
    [
        ("lemmy/lemmy.ml-api-v3-site-2026-02-03.json", "https://lemmy.ml/api/v3/site"),
        ("nodeinfo/mastodon.social-nodeinfo-2.0-2025-07.json", "https://mastodon.social/nodeinfo/2.0"),
        ("reddit/announcements-about.json", "https://www.reddit.com/r/announcements/about.json"),
    ],
)
def test_other_json_bodies_are_not_mastodon(fixture, url):
    assert not mastodon.detect(fixture_response(fixture, url))


def test_a_list_of_unrelated_objects_is_not_activity():
    body = json.dumps([{"week": "1", "foo": 1}, {"id": 3}])
    assert not mastodon.detect(make_response(body, "https://m.example/api/x"))


def test_personal_data_is_not_read():
    response = fixture_response(
        "mastodon/mastodon.social-api-v1-instance-DOCEXAMPLE.json", "https://mastodon.social/api/v1/instance"
    )
    dumped = json.dumps(mastodon.extract(response).to_json())
    for value in ("Gargron", "staff@mastodon.social", "avatars/000/000/001"):
        assert value not in dumped


def test_mastodon_4_homepage_attribute_order_and_initial_state():
    div = '<html><body><div class="app-holder" data-props="{}" id="mastodon"></div></body></html>'
    assert mastodon.detect(make_response(div, "https://m.example/"))
    state = (
        '<html><head><script id="initial-state" type="application/json">'
        '{"meta":{"access_token":null,"streaming_api_base_url":"wss://m.example"}}</script></head></html>'
    )
    assert mastodon.detect(make_response(state, "https://m.example/"))
    other = '<html><body><div id="mastodon-feed" data-props="{}"></div></body></html>'
    assert not mastodon.detect(make_response(other, "https://blog.example/"))
