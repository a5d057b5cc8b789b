"""Drupal: version, the "Who's online" count in any language, members stated in the content only."""

from __future__ import annotations

import json

from crawler import platforms
from crawler.analysis.trust import compute_flags
from crawler.platforms import drupal
from tests.conftest import fixture_response, make_response

FRONT = "drupal/drupal7-front-from-templates.html"
URL = "https://intercomprehension.example/"


def test_drupal7_front_page():
    result = platforms.extract(fixture_response(FRONT, URL))
    assert (result.platform, result.platform_version) == ("drupal", "7")
    assert result.evidence["platform_version"].snippet == "Drupal 7 (http://drupal.org)"
    # The sidebar's "12 utilisateurs en ligne" is the online count, not a member count.
    assert result.metrics == {"online_now": 12, "members": 2500}
    assert result.evidence["online_now"].snippet == "Il y a actuellement 12 utilisateurs en ligne."
    members = result.evidence["members"]
    assert (members.rule, members.approximate, members.snippet) == (
        "drupal.prose",
        True,
        "Notre réseau réunit plus de 2 500 membres qui",
    )
    # The names of the members online are never read.
    assert "member-a" not in json.dumps(result.to_json())


def test_stated_members_are_self_reported():
    observation = {
        "community_id": "c",
        "metric": "members",
        "value": 2500,
        "run_id": "r",
        "rank": 1,
        "observed_at": "2025-01-01T00:00:00+00:00",
        "rule": "drupal.prose",
        "approximate": 0,
    }
    flags = compute_flags([observation], ["r"], "2025-01-01T00:00:00+00:00")
    assert [f["flag"] for f in flags] == ["self_reported"]


def test_drupal_markers_and_versions():
    modern = make_response(
        '<html><head><meta name="Generator" content="Drupal 10 (https://www.drupal.org)"></head>'
        "<body><main><p>Join 1,204 members.</p></main>"
        '<div class="block block-user block-user-online-block"><p>There is currently 1 user online.</p></div>'
        "</body></html>",
        URL,
    )
    assert drupal.detect(modern)
    result = drupal.extract(modern)
    assert (result.platform_version, result.metrics) == ("10", {"online_now": 1, "members": 1204})
    header_only = make_response(
        "<html><body>Hello</body></html>",
        URL,
        {"Content-Type": "text/html", "X-Generator": "Drupal 9 (https://www.drupal.org)"},
    )
    assert drupal.detect(header_only) and drupal.extract(header_only).platform_version == "9"
    assert not drupal.detect(fixture_response("generic/polyglotclub-home-head.html", URL))
    assert drupal.endpoints(modern) == []
