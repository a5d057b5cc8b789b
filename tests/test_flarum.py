"""Flarum: boot payload and JSON:API forum resource, endpoint from apiUrl, no totals."""

from __future__ import annotations

from crawler.platforms import flarum
from tests.conftest import fixture_response, make_response


def test_truncated_beta_payload_still_gives_title_and_sign_up():
    response = fixture_response("flarum/htb-lab-beta-boot-payload.html", "https://sup3rs3cr3t.brainfuck.htb/")
    assert flarum.detect(response)
    result = flarum.extract(response)
    assert (result.name, result.registrations_open, result.metrics) == ("Super Secret Forum", True, {})
    assert [e.url for e in flarum.endpoints(response)] == ["https://sup3rs3cr3t.brainfuck.htb/api"]


def test_api_url_on_another_host_is_not_followed():
    body = (
        '<html><body><div id="flarum-loading"></div><script>app.boot({"resources":[{"type":"forums","id":"1",'
        '"attributes":{"title":"T","apiUrl":"https:\\/\\/evil.example\\/api"}}]});</script></body></html>'
    )
    response = make_response(body, "https://forum.example/sub/")
    assert [e.url for e in flarum.endpoints(response)] == ["https://forum.example/api"]


def test_api_document_detected_and_read():
    response = fixture_response("flarum/handmade-api-forum.json", "https://fahrrad-forum.example.de/api")
    assert flarum.detect(response)
    assert flarum.extract(response).registrations_open is False
    other = make_response(b'{"data": {"type": "discussions", "attributes": {}}}', "https://x.example/api")
    assert not flarum.detect(other)
