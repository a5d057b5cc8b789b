"""NodeInfo: discovery (highest schema, broken variants), per-software meaning of the counts."""

from __future__ import annotations

import json
from urllib.parse import urlsplit

import pytest

from crawler import platforms
from crawler.platforms import nodeinfo
from tests.conftest import fixture_response, make_response

SCHEMA = "http://nodeinfo.diaspora.software/ns/schema/"


def _discovery(*pairs: tuple[str, str]) -> str:
    return json.dumps({"links": [{"rel": SCHEMA + version, "href": href} for version, href in pairs]})


@pytest.mark.parametrize(
    ("fixture", "url", "expected"),
    [
        (
            "nodeinfo/mastodon-4.6.4-localtest-well-known-nodeinfo.json",
            "http://localhost:3000/.well-known/nodeinfo",
            "http://localhost:3000/nodeinfo/2.0",
        ),
        # links as one object, a 2.0 entry under the numeric key "0" next to it
        (
            "nodeinfo/hubzilla-old-buggy-well-known-nodeinfo-FIXTURE.json",
            "https://example.com/.well-known/nodeinfo",
            "https://example.com/nodeinfo/2.0",
        ),
        (
            "nodeinfo/old-buggy-well-known-nodeinfo-2-FIXTURE.json",
            "https://example.com/.well-known/nodeinfo",
            "https://example.com/nodeinfo/1.0",
        ),
        # 2.2 has no href, junk entries are skipped, the relative 2.1 href is resolved
        (
            "nodeinfo/handmade-discovery-mixed.json",
            "https://social.example/.well-known/nodeinfo",
            "https://social.example/nodeinfo/2.1",
        ),
    ],
)
def test_discovery_follows_the_highest_schema(fixture, url, expected):
    response = fixture_response(fixture, url)
    assert platforms.detect(response).NAME == "nodeinfo"
    assert [e.url for e in nodeinfo.endpoints(response)] == [expected]


def test_version_order_is_numeric_not_listing_order():
    body = _discovery(
        ("2.2", "https://a.example/ni/2.2"),
        ("1.0", "https://a.example/ni/1.0"),
        ("2.10", "https://a.example/ni/2.10"),
        ("2.1", "https://a.example/ni/2.1"),
    )
    response = make_response(body, "https://a.example/.well-known/nodeinfo")
    assert [e.url for e in nodeinfo.endpoints(response)] == ["https://a.example/ni/2.10"]


def test_links_as_dict_of_numeric_keys():
    body = json.dumps(
        {"links": {"0": {"rel": SCHEMA + "1.0", "href": "/n/1.0"}, "1": {"rel": SCHEMA + "2.0", "href": "/n/2.0"}}}
    )
    response = make_response(body, "https://b.example/.well-known/nodeinfo")
    assert [e.url for e in nodeinfo.endpoints(response)] == ["https://b.example/n/2.0"]


def test_non_http_hrefs_are_not_followed():
    response = make_response(_discovery(("2.0", "javascript:alert(1)")), "https://c.example/.well-known/nodeinfo")
    assert nodeinfo.endpoints(response) == []


def test_a_document_leads_to_its_software_api_and_discovery_has_no_platform():
    document = fixture_response(
        "nodeinfo/mastodon.social-nodeinfo-2.0-2025-07.json", "https://mastodon.social/nodeinfo/2.0"
    )
    follow = nodeinfo.endpoints(document)
    assert [(e.url, e.alternatives, e.optional) for e in follow] == [
        ("https://mastodon.social/api/v2/instance", ("https://mastodon.social/api/v1/instance",), True),
        ("https://mastodon.social/api/v1/instance/activity", (), True),
    ]
    discovery = fixture_response(
        "nodeinfo/mastodon-4.6.4-localtest-well-known-nodeinfo.json", "http://localhost:3000/.well-known/nodeinfo"
    )
    result = nodeinfo.extract(discovery)
    assert (result.platform, result.metrics) == (None, {})


def test_nodeinfo_documents_go_to_this_adapter_not_to_the_software_adapter():
    for fixture in ("mastodon-4.6.4-localtest-nodeinfo-2.0.json", "video.blender.org-peertube-5.0.0-nodeinfo-2.0.json"):
        response = fixture_response(f"nodeinfo/{fixture}", "https://x.example/nodeinfo/2.0")
        assert platforms.detect(response).NAME == "nodeinfo"


def test_platform_evidence_names_the_software_field():
    response = fixture_response("nodeinfo/pixelfed-0.12.0-nodeinfo-2.0.json", "https://p.example/api/nodeinfo/2.0.json")
    evidence = nodeinfo.extract(response).evidence["platform"]
    assert (evidence.rule, evidence.snippet) == ("nodeinfo.software.name", '"name": "pixelfed"')


def test_peertube_local_posts_are_videos():
    response = fixture_response(
        "nodeinfo/video.blender.org-peertube-5.0.0-nodeinfo-2.0.json", "https://video.blender.org/nodeinfo/2.0.json"
    )
    assert nodeinfo.extract(response).evidence["posts"].rule == "nodeinfo.usage.localPosts.videos"


def test_discourse_plugin_counts_topics_and_replies():
    body = {
        "version": "2.1",
        "software": {"name": "discourse", "version": "3.3.0"},
        "protocols": ["activitypub"],
        "usage": {"users": {"total": 50}, "localPosts": 20, "localComments": 80},
        "openRegistrations": False,
    }
    result = nodeinfo.extract(make_response(json.dumps(body), "https://f.example/nodeinfo/2.1"))
    assert result.platform == "discourse"
    assert result.metrics == {"members": 50, "topics": 20, "posts": 100}


def test_nodebb_with_a_bad_reply_count_keeps_only_topics():
    body = {"software": {"name": "NodeBB"}, "usage": {"localPosts": 20, "localComments": "lots"}}
    result = nodeinfo.extract(make_response(json.dumps(body), "https://f.example/nodeinfo/2.0"))
    assert result.metrics == {"topics": 20}


def test_compatible_version_strings_name_the_real_software():
    body = {"software": {"name": "mastodon", "version": "2.7.2 (compatible; Akkoma 3.10.4)"}, "protocols": []}
    result = nodeinfo.extract(make_response(json.dumps(body), "https://a.example/nodeinfo/2.0"))
    assert (result.platform, result.platform_version) == ("akkoma", "3.10.4")


@pytest.mark.parametrize(
    "body",
    [
        {"software": "mastodon", "usage": {"users": {"total": 5}}},
        {"software": {"name": ["x"]}, "usage": []},
        {"software": {"name": "x" * 500}, "usage": {"users": {"total": 5}}},
        {"links": "https://x.example/nodeinfo/2.0"},
        {"server": {"software": None}, "usage": {"users": "5"}},
    ],
)
def test_malformed_documents_never_raise(body):
    response = make_response(json.dumps(body), "https://x.example/nodeinfo/2.0")
    nodeinfo.detect(response)
    result = nodeinfo.extract(response)
    assert all(isinstance(v, int) for v in result.metrics.values())
    assert isinstance(nodeinfo.endpoints(response), list)


def test_implausible_software_names_give_no_platform():
    body = {"software": {"name": "x" * 500, "version": "1"}, "usage": {"users": {"total": 5}}}
    result = nodeinfo.extract(make_response(json.dumps(body), "https://x.example/nodeinfo/2.0"))
    assert result.platform is None
    assert result.metrics == {"members": 5}


def test_html_is_never_nodeinfo():
    page = '<html><body><a href="/.well-known/nodeinfo">nodeinfo</a> "software" "server"</body></html>'
    assert not nodeinfo.detect(make_response(page, "https://x.example/"))


@pytest.mark.parametrize(
    ("fixture", "url", "paths"),
    [
        ("video.blender.org-peertube-5.0.0-nodeinfo-2.0.json", "https://video.blender.org/nodeinfo/2.0.json",
         ["/api/v1/server/stats"]),
        ("meisskey.one-nodeinfo-2.1-redacted.json", "https://meisskey.one/nodeinfo/2.1", ["/api/meta", "/api/stats"]),
        ("firefish-20240504-nodeinfo-2.1.json", "https://ff.example/nodeinfo/2.1", ["/api/meta", "/api/stats"]),
        ("pleroma-invalid-usage-counts-nodeinfo-2.1-FIXTURE.json", "https://pl.example/nodeinfo/2.1",
         ["/api/v1/instance"]),
        ("activity-relay-2.0.5-nodeinfo-2.1.json", "https://relay.example/nodeinfo/2.1", []),
    ],
)  # fmt: skip
def test_follow_ups_per_software(fixture, url, paths):
    endpoints = nodeinfo.endpoints(fixture_response(f"nodeinfo/{fixture}", url))
    assert [urlsplit(e.url).path for e in endpoints] == paths
    assert all(e.optional for e in endpoints)


def test_lemmy_named_by_nodeinfo_is_asked_its_site_api():
    body = json.dumps({"version": "2.0", "software": {"name": "lemmy", "version": "0.18.4"}, "protocols": [],
                       "usage": {"users": {"total": 10}}, "openRegistrations": True})  # fmt: skip
    endpoints = nodeinfo.endpoints(make_response(body, "https://lemmy.example/nodeinfo/2.0.json"))
    assert [e.url for e in endpoints] == ["https://lemmy.example/api/v3/site"]


def test_misskey_stats_and_meta_are_read_without_the_maintainer():
    stats = {"notesCount": 912345, "originalNotesCount": 45678, "usersCount": 9000, "originalUsersCount": 1234,
             "instances": 3000, "driveUsageLocal": 1, "driveUsageRemote": 2}  # fmt: skip
    result = nodeinfo.extract(make_response(json.dumps(stats), "https://mk.example/api/stats"))
    assert result.metrics == {"members": 1234, "posts": 45678}
    assert result.evidence["members"].rule == "misskey.api_stats.originalUsersCount"
    meta = {"name": "Mk Example", "description": "Ein Server", "version": "2024.5.0", "langs": ["de", "en"],
            "disableRegistration": True, "uri": "https://mk.example", "maintainerName": "Jane Doe",
            "maintainerEmail": "jane@example.org"}  # fmt: skip
    result = nodeinfo.extract(make_response(json.dumps(meta), "https://mk.example/api/meta"))
    assert (result.name, result.platform_version, result.registrations_open) == ("Mk Example", "2024.5.0", False)
    assert result.languages == ["de", "en"]
    assert "Jane" not in json.dumps(result.to_json())


def test_peertube_server_stats():
    stats = {"totalUsers": 250, "totalDailyActiveUsers": 12, "totalWeeklyActiveUsers": 40,
             "totalMonthlyActiveUsers": 90, "totalLocalVideos": 1800, "totalLocalVideoViews": 99999,
             "totalLocalVideoComments": 321, "totalVideos": 50000}  # fmt: skip
    result = nodeinfo.extract(make_response(json.dumps(stats), "https://pt.example/api/v1/server/stats"))
    assert result.metrics == {"members": 250, "active_users_1d": 12, "active_users_7d": 40,
                              "active_users_30d": 90, "posts": 1800, "comments": 321}  # fmt: skip
    assert result.evidence["posts"].rule == "peertube.server_stats.totalLocalVideos.videos"
