"""Reddit semantics: which subreddit a listing describes, optional and fuzzed online counts."""

from __future__ import annotations

import json

from crawler.platforms import reddit
from tests.conftest import fixture_response, make_response


def test_listing_describes_its_first_subreddit():
    response = fixture_response(
        "reddit/info-sr_name-redditdev-reddit.com-nl.json", "https://oauth.reddit.com/api/info/?sr_name=nl"
    )
    result = reddit.extract(response)
    assert result.name == "r/reddit.com"
    assert result.evidence["members"].rule == "reddit.listing.first_t5.subscribers"
    assert "online_now" not in result.metrics  # always null in listings


def test_fuzzed_active_count_is_approximate():
    body = {
        "kind": "t5",
        "data": {"title": "x", "subscribers": 10, "active_user_count": 4, "accounts_active_is_fuzzed": True},
    }
    result = reddit.extract(make_response(json.dumps(body), "https://www.reddit.com/r/x/about.json"))
    assert result.metrics == {"members": 10, "online_now": 4}
    assert result.evidence["online_now"].approximate


def test_html_only_on_reddit_hosts():
    page = '<html><head><link rel="stylesheet" href="https://www.redditstatic.com/x.css"></head><body></body></html>'
    assert reddit.detect(make_response(page, "https://www.reddit.com/r/languagelearning/"))
    assert not reddit.detect(make_response(page, "https://forum.example.org/"))


def test_other_listings_are_not_reddit_communities():
    body = {"kind": "Listing", "data": {"children": [{"kind": "t3", "data": {"title": "a post"}}]}}
    assert not reddit.detect(make_response(json.dumps(body), "https://www.reddit.com/r/x/new.json"))
    assert reddit.endpoints(make_response(json.dumps(body), "https://www.reddit.com/r/x/new.json")) == []


def test_the_name_is_r_display_name_and_the_slogan_title_describes():
    body = {"kind": "t5", "data": {"display_name": "languagelearning", "title": "Language Learning: for all",
                                   "public_description": "", "subscribers": 3000000}}  # fmt: skip
    result = reddit.extract(make_response(json.dumps(body), "https://www.reddit.com/r/languagelearning/about.json"))
    assert (result.name, result.description) == ("r/languagelearning", "Language Learning: for all")
    assert result.evidence["name"].rule.endswith(".display_name")
    assert result.evidence["description"].rule.endswith(".title")
