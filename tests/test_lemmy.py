"""Lemmy semantics: registration modes, language ids, the Lemmy 1.0 shape, detected languages."""

from __future__ import annotations

import json

import pytest

from crawler.extraction import RANK_API, RANK_META
from crawler.platforms import lemmy
from tests.conftest import fixture_response, make_response

URL = "https://lemmy.example/api/v3/site"


def _site(**extra) -> dict:
    body = {"site_view": {"site": {"name": "L"}, "local_site": {}, "counts": {"users": 3}}, "version": "0.19.3"}
    body.update(extra)
    return body


@pytest.mark.parametrize(
    ("mode", "expected"),
    [("Open", True), ("RequireApplication", False), ("Closed", False), ("Invite", None), (5, None)],
)
def test_registration_modes(mode, expected):
    body = _site()
    body["site_view"]["local_site"]["registration_mode"] = mode
    assert lemmy.extract(make_response(json.dumps(body), URL)).registrations_open is expected


def test_discussion_language_ids_resolve_through_all_languages():
    body = _site(
        all_languages=[{"id": 0, "code": "und"}, {"id": 37, "code": "en"}, {"id": 40, "code": "es"}],
        discussion_languages=[40, 0, 37],
    )
    result = lemmy.extract(make_response(json.dumps(body), URL))
    assert result.languages == ["es", "en"]
    assert result.evidence["languages"].rank == RANK_API


def test_detected_language_ranks_below_any_declaration():
    response = fixture_response("lemmy/feddit.it-api-v3-site-2026-02-03.json", "https://feddit.it/api/v3/site")
    result = lemmy.extract(response)
    assert result.languages == ["it"]
    assert result.evidence["languages"].rank == RANK_META
    assert result.evidence["languages"].rule == "lemmy.site.detected_from_text"


def test_lemmy_1_0_counts_next_to_local_site():
    body = {
        "site_view": {
            "site": {"name": "New"},
            "local_site": {"registration_mode": "Open", "users": 12, "posts": 4, "users_active_month": 2},
        },
        "version": "1.0.0",
    }
    result = lemmy.extract(make_response(json.dumps(body), URL))
    assert result.metrics == {"members": 12, "posts": 4, "active_users_30d": 2}
    assert result.evidence["members"].rule == "lemmy.site.local_site.users"


def test_homepage_detection_and_endpoints():
    page = '<!DOCTYPE html><html><head></head><body><script>window.isoData = {"path":"/"};</script></body></html>'
    response = make_response(page, "https://lemmy.example/communities")
    assert lemmy.detect(response)
    assert [e.url for e in lemmy.endpoints(response)] == [
        "https://lemmy.example/api/v3/site",
        "https://lemmy.example/.well-known/nodeinfo",
    ]
    assert lemmy.endpoints(make_response(json.dumps(_site()), URL)) == []


def test_admins_are_never_read():
    body = _site(admins=[{"person": {"name": "alice", "avatar": "https://lemmy.example/pictrs/alice.png"}}])
    assert "alice" not in json.dumps(lemmy.extract(make_response(json.dumps(body), URL)).to_json())


def test_site_view_of_the_wrong_type_is_not_lemmy():
    response = make_response('{"site_view": "nope"}', URL)
    assert not lemmy.detect(response)
    assert lemmy.extract(response).platform is None
