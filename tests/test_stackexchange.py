"""Stack Exchange semantics: posts are questions plus answers; error bodies give nothing."""

from __future__ import annotations

import json

from crawler.platforms import stackexchange
from tests.conftest import make_response

URL = "https://api.stackexchange.com/2.3/info?site=languagelearning"


def test_posts_need_both_questions_and_answers():
    body = {"items": [{"total_users": 5, "total_questions": 10}]}
    result = stackexchange.extract(make_response(json.dumps(body), URL))
    assert result.metrics == {"members": 5, "topics": 10}


def test_posts_evidence_names_both_fields():
    body = {"items": [{"total_users": 5, "total_questions": 10, "total_answers": 15}]}
    evidence = stackexchange.extract(make_response(json.dumps(body), URL)).evidence["posts"]
    assert evidence.rule == "stackexchange.info.total_questions+total_answers"
    assert evidence.snippet == '"total_questions": 10, "total_answers": 15'


def test_error_bodies_are_not_detected():
    body = {"error_id": 502, "error_message": "too many requests from this IP", "error_name": "throttle_violation"}
    response = make_response(json.dumps(body), URL)
    assert not stackexchange.detect(response)
    assert stackexchange.extract(response).platform is None


def test_site_pages():
    page = '<html><head><script>StackExchange.init({"locale":"en"});</script></head><body></body></html>'
    response = make_response(page, "https://languagelearning.stackexchange.com/")
    assert stackexchange.detect(response)
    assert stackexchange.extract(response).platform == "stackexchange"
    assert stackexchange.endpoints(response) == []
