"""Shared test helpers: build Scrapy responses from saved bodies, as the crawl would see them.

Under ``CI=true`` a skipped test is a failed one: the suite skips only when a service it needs
(Chromium, redis-server) is missing, which ``make test`` installs, and CI must not pass without it.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from scrapy.http import HtmlResponse, Request, Response, TextResponse

FIXTURES = Path(__file__).parent / "fixtures"
SOURCES = FIXTURES / "SOURCES.md"
# Kinds of body another project or a real site produced (see tests/fixtures/SOURCES.md); the others
# were written here.
REAL_KINDS = frozenset(
    {"REAL", "REAL-DERIVED", "LOCAL-REAL", "FIXTURE", "DOC-EXAMPLE", "EXCERPT", "FRAGMENT", "LAB+FRAGMENT"}
)
WRITTEN_HERE_KINDS = frozenset({"HANDMADE", "UNRECORDED", "GENERATED"})
_SOURCE_ROW = re.compile(
    r"^\| `(?P<path>[^`]+)` \| (?P<kind>[A-Z+-]+) \| (?:`(?P<sha256>[0-9a-f]{64})`)? \| (?P<origin>.+) \|$"
)


@dataclass(frozen=True)
class FixtureSource:
    """One row of ``tests/fixtures/SOURCES.md``: a fixture body and where it came from."""

    path: str
    kind: str
    sha256: str | None
    origin: str

    @property
    def is_real_sample(self) -> bool:
        return self.kind in REAL_KINDS


def fixture_sources() -> list[FixtureSource]:
    """Every row of ``tests/fixtures/SOURCES.md``, in file order (paths relative to ``tests/fixtures``)."""
    rows = []
    for line in SOURCES.read_text(encoding="utf-8").splitlines():
        match = _SOURCE_ROW.match(line)
        if match:
            rows.append(FixtureSource(match["path"], match["kind"], match["sha256"], match["origin"]))
    return rows


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


CI = os.environ.get("CI") == "true"


def _skip_reason(report: pytest.CollectReport | pytest.TestReport) -> str:
    longrepr = report.longrepr
    reason = str(longrepr[2] if isinstance(longrepr, tuple) and len(longrepr) == 3 else longrepr)
    return reason.removeprefix("Skipped: ")


def _fail_skip_under_ci(report: pytest.CollectReport | pytest.TestReport) -> None:
    if CI and report.skipped and not hasattr(report, "wasxfail"):
        report.outcome = "failed"
        reason = _skip_reason(report)
        report.longrepr = f"CI=true: a skip is a failure here (a service the test needs is missing): {reason}"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> object:
    outcome = yield
    _fail_skip_under_ci(outcome.get_result())


@pytest.hookimpl(hookwrapper=True)
def pytest_make_collect_report(collector: pytest.Collector) -> object:
    outcome = yield
    _fail_skip_under_ci(outcome.get_result())


@pytest.fixture
def response_from():
    """Give tests the :func:`make_response` helper."""
    return make_response
