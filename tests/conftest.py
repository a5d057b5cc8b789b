"""Shared test helpers: build Scrapy responses from saved bodies, as the crawl would see them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from scrapy.http import HtmlResponse, Request, Response, TextResponse

FIXTURES = Path(__file__).parent / "fixtures"
REAL_SAMPLES = Path(__file__).resolve().parents[2] / "shared" / "real-samples"


def make_response(body: bytes | str, url: str, headers: dict[str, str] | None = None) -> Response:
    """Build the response Scrapy would hand to a callback for ``body`` fetched from ``url``."""
    if isinstance(body, str):
        body = body.encode("utf-8")
    headers = dict(headers or {})
    stripped = body.lstrip()[:1]
    if "Content-Type" not in headers:
        if stripped in (b"{", b"["):
            headers["Content-Type"] = "application/json; charset=utf-8"
        else:
            headers["Content-Type"] = "text/html; charset=utf-8"
    cls = HtmlResponse if "html" in headers["Content-Type"] else TextResponse
    return cls(url=url, body=body, headers=headers, request=Request(url))


def fixture_response(path: str | Path, url: str, headers: dict[str, str] | None = None) -> Response:
    """Load ``tests/fixtures/<path>`` as a response fetched from ``url``."""
    full = Path(path) if Path(path).is_absolute() else FIXTURES / path
    return make_response(full.read_bytes(), url, headers)


def load_case(expected_path: Path) -> tuple[Response, dict]:
    """Return the response and the golden values of one ``<case>.expected.json`` fixture."""
    spec = json.loads(expected_path.read_text(encoding="utf-8"))
    body_path = expected_path.with_name(spec["body"])
    return fixture_response(body_path, spec["url"], spec.get("headers")), spec


@pytest.fixture
def response_from():
    """Give tests the :func:`make_response` helper."""
    return make_response
