"""NodeBB: /api/config and /api bodies, endpoints under the forum's relative path."""

from __future__ import annotations

import json

from crawler.platforms import nodebb
from tests.conftest import fixture_response, make_response


def test_endpoints_follow_the_relative_path():
    config = '{"relative_path":"/forum","siteTitle":"X"}'
    body = f"<html><head><script>var config = JSON.parse('{config}');</script></head></html>"
    response = make_response(body, "https://example.org/forum/")
    assert nodebb.detect(response)
    assert [e.url for e in nodebb.endpoints(response)] == [
        "https://example.org/forum/api/config",
        "https://example.org/forum/api",
    ]


def test_inline_config_gives_the_name_without_og_site_name():
    body = (
        '<html><head><script>var config = JSON.parse(\'{"relative_path":"","siteTitle":"Caf\\u00e9 \\\'Talk\\\'",'
        '"defaultLang":"fr"}\');</script></head></html>'
    )
    assert nodebb.extract(make_response(body, "https://talk.example/")).name == "Café 'Talk'"


def test_category_totals_are_summed_and_bad_values_rejected():
    response = fixture_response("nodebb/handmade-api-home.json", "https://homelab-hangout.example.org/api")
    assert nodebb.extract(response).metrics == {"posts": 30396, "topics": 2505}
    broken = {
        "categories": [{"cid": 1, "totalPostCount": "many", "totalTopicCount": 4}, {"cid": 2, "totalTopicCount": 5}]
    }
    result = nodebb.extract(make_response(json.dumps(broken), "https://x.example/api"))
    assert result.metrics == {"topics": 9}


def test_other_json_is_not_nodebb():
    assert not nodebb.detect(make_response(b'{"relative_path": ""}', "https://x.example/api/config"))
    assert not nodebb.detect(make_response(b'{"categories": [{"id": 1}]}', "https://x.example/api"))
