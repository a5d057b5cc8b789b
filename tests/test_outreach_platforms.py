"""Outreach values from platform APIs: Mastodon, Lemmy, NodeInfo, Discourse, MediaWiki; merge and site defaults."""

from __future__ import annotations

import html
import json

import pytest

from crawler import platforms
from crawler.extraction import merge_extractions
from crawler.outreach import finish, item_fields
from tests.conftest import fixture_response, make_response


def _extract(data: dict, url: str):
    return platforms.extract(make_response(json.dumps(data), url))


@pytest.mark.parametrize(
    ("registrations", "mode"),
    [
        ({"enabled": True, "approval_required": False}, "open"),
        ({"enabled": True, "approval_required": True}, "approval"),
        ({"enabled": False, "approval_required": False}, "closed"),
    ],
)
def test_mastodon_v2_registration_mode(registrations, mode):
    data = {
        "domain": "m.example", "title": "M", "version": "4.3.2", "usage": {"users": {"active_month": 5}},
        "registrations": registrations, "languages": ["ca", "es"], "contact": {"email": "admin@m.example"},
        "configuration": {"urls": {"about": "https://m.example/about"}},
    }  # fmt: skip
    result = _extract(data, "https://m.example/api/v2/instance")
    assert result.registration_mode == mode
    assert result.evidence["registration_mode"].rule == "mastodon.instance_v2.registrations"
    assert result.about_url == "https://m.example/about"
    assert result.practised_languages == ["ca", "es"]
    assert result.contact_email is None  # the admin's address is never read from the API


def test_mastodon_v1_closed_with_invites_is_invite_only():
    response = fixture_response(
        "mastodon/mastodon.social-api-v1-instance-DOCEXAMPLE.json", "https://mastodon.social/api/v1/instance"
    )
    result = platforms.extract(response)
    assert result.registration_mode == "invite"
    assert "staff@" not in json.dumps(result.to_json())


@pytest.mark.parametrize(
    ("mode", "expected"), [("Open", "open"), ("RequireApplication", "approval"), ("Closed", "closed")]
)
def test_lemmy_registration_mode(mode, expected):
    data = {
        "site_view": {"site": {"name": "L"}, "local_site": {"registration_mode": mode}, "counts": {"users": 3}},
        "version": "0.19.5", "all_languages": [{"id": 0, "code": "und"}, {"id": 37, "code": "eo"}],
        "discussion_languages": [0, 37],
    }  # fmt: skip
    result = _extract(data, "https://lemmy.example/api/v3/site")
    assert result.registration_mode == expected
    assert result.practised_languages == ["eo"]
    assert result.evidence["practised_languages"].rule == "lemmy.site.discussion_languages"


def test_nodeinfo_organisation_registration_and_federation():
    response = fixture_response("nodeinfo/firefish-20240504-nodeinfo-2.1.json", "https://firefish.example/nodeinfo/2.1")
    result = platforms.extract(response)
    assert (result.operator_name, result.operator_type) == ("Firefish dev team", "volunteer_group")
    assert result.registration_mode == "closed"
    assert result.federation == "federated"
    assert result.evidence["federation"].rule == "nodeinfo.protocols"


def test_nodeinfo_person_maintainer_and_misskey_disabled_registration():
    data = {
        "version": "2.1", "software": {"name": "misskey", "version": "13.0.0"}, "protocols": ["activitypub"],
        "openRegistrations": True, "usage": {"users": {"total": 40}},
        "metadata": {"maintainer": {"name": "Hana Sato", "email": "hana@example.org"}, "disableRegistration": True},
    }  # fmt: skip
    result = _extract(data, "https://misskey.example/nodeinfo/2.1")
    assert result.operator_name is None
    assert result.registration_mode == "closed"
    assert "Hana" not in json.dumps(result.to_json())


def test_mastodon_api_outranks_nodeinfo_that_cannot_tell_approval():
    v2 = _extract(
        {"domain": "m.example", "title": "M", "version": "4.3.2", "usage": {},
         "registrations": {"enabled": True, "approval_required": True}},
        "https://m.example/api/v2/instance",
    )  # fmt: skip
    nodeinfo = _extract(
        {"version": "2.0", "software": {"name": "mastodon", "version": "4.3.2"}, "protocols": ["activitypub"],
         "openRegistrations": True, "usage": {"users": {"total": 3}}},
        "https://m.example/nodeinfo/2.0",
    )  # fmt: skip
    assert merge_extractions("https://m.example/", [nodeinfo, v2]).registration_mode == "approval"


@pytest.mark.parametrize(
    ("settings", "mode"),
    [
        ({"allow_new_registrations": True, "invite_only": False, "must_approve_users": False}, "open"),
        ({"allow_new_registrations": True, "invite_only": False, "must_approve_users": True}, "approval"),
        ({"allow_new_registrations": True, "invite_only": True, "must_approve_users": False}, "invite"),
        ({"allow_new_registrations": False, "invite_only": False, "must_approve_users": False}, "closed"),
    ],
)
def test_discourse_preloaded_site_settings(settings, mode):
    preloaded = html.escape(json.dumps({"siteSettings": json.dumps({"title": "F", **settings})}), quote=True)
    page = (
        '<html lang="en"><head><meta name="generator" content="Discourse 3.2.1 - https://github.com/discourse">'
        f'</head><body><div class="hidden" id="data-preloaded" data-preloaded="{preloaded}"></div></body></html>'
    )
    result = platforms.extract(make_response(page, "https://forum.example/"))
    assert result.platform == "discourse"
    assert result.registration_mode == mode
    assert result.evidence["registration_mode"].rule == "discourse.site_settings"


def test_mediawiki_language_editions_are_practised_languages():
    response = fixture_response("generic/wikipedia-tsne.html", "https://en.wikipedia.org/wiki/T-SNE")
    result = platforms.extract(response)
    assert result.practised_languages == ["en", "fr", "ko", "it", "he", "ja", "ru", "uk"]
    assert result.evidence["practised_languages"].rule == "mediawiki.language_editions"
    assert result.about_url == "https://en.wikipedia.org/wiki/Wikipedia:About"


@pytest.mark.parametrize(
    ("platform", "federation", "rule"),
    [
        ("mastodon", "federated", "outreach.federation.platform"),
        ("lemmy", "federated", "outreach.federation.platform"),
        ("peertube", "federated", "outreach.federation.platform"),
        ("phpbb", "centralised", "outreach.federation.single_site"),
        (None, "centralised", "outreach.federation.single_site"),
    ],
)
def test_site_federation_default(platform, federation, rule):
    merged = merge_extractions("https://s.example/", [])
    merged.platform, merged.name = platform, "S"
    fields = item_fields(merged)
    assert fields["federation"] == federation
    assert merged.evidence["federation"].rule == rule


def test_nodeinfo_protocols_make_a_forum_federated():
    forum = platforms.extract(make_response('<html lang="en"><body>Forum</body></html>', "https://f.example/"))
    forum.platform = "nodebb"
    nodeinfo = _extract(
        {"version": "2.0", "software": {"name": "nodebb", "version": "3.0"}, "protocols": ["activitypub"],
         "openRegistrations": True, "usage": {"users": {"total": 3}}},
        "https://f.example/nodeinfo/2.0",
    )  # fmt: skip
    assert finish(merge_extractions("https://f.example/", [forum, nodeinfo])).federation == "federated"


def test_nothing_read_means_no_outreach_value():
    assert finish(merge_extractions("https://x.example/", [])).federation is None
