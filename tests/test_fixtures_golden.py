"""Golden tests: every ``tests/fixtures/<platform>/<case>.expected.json`` against the extractor.

Each expected file names its body (``"body"``), the URL it was fetched from (``"url"``) and the
exact values ``tremplin extract`` must print (``"expect"``). Keys listed in ``expect`` are compared
exactly; ``metrics`` is compared as a whole dict, so a metric the page does not publish must be
absent, never 0.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from crawler import platforms
from tests.conftest import FIXTURES, load_case

CASES = sorted(FIXTURES.glob("*/*.expected.json"))


@pytest.mark.parametrize("expected_path", CASES, ids=lambda p: f"{p.parent.name}/{p.name[:-14]}")
def test_golden(expected_path: Path) -> None:
    response, spec = load_case(expected_path)
    result = platforms.extract(response).to_json()
    for key, value in spec["expect"].items():
        assert result[key] == value, f"{key}: got {result[key]!r}, expected {value!r}"
    # Every value carries its evidence: URL and rule.
    for metric in result["metrics"]:
        evidence = result["evidence"][metric]
        assert evidence["source_url"] == spec["url"]
        assert evidence["rule"]


@pytest.mark.parametrize("expected_path", CASES, ids=lambda p: f"{p.parent.name}/{p.name[:-14]}")
def test_fixture_folder_is_the_detected_platform(expected_path: Path) -> None:
    response, spec = load_case(expected_path)
    folder = expected_path.parent.name
    if folder in {"generic", "sample_web", "outreach"}:
        return
    assert folder == platforms.detect(response).NAME
