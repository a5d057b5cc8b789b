"""Outreach fixtures in several languages: every ``tests/fixtures/outreach/<case>.expected.json``.

Each names its saved page (``body``), the URL it came from, the exact outreach values the registry's
extraction must give (``expect``; ``null`` and ``[]`` mean "nothing may be read"), the rule that
must have read some of them (``rules``), and the people's names and addresses the page prints that
must appear nowhere in the result (``must_not_store``). Every case names its ``platform`` (``null``
for a page no adapter claims) and its ``contact_email`` (``null`` when the page offers no role
address). The golden runner checks ``expect`` too.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from crawler import platforms
from crawler.outreach import FIELDS
from tests.conftest import FIXTURES, load_case

CASES = sorted((FIXTURES / "outreach").glob("*.expected.json"))
LANGUAGES = {path.name.split("-")[0] for path in CASES}


def test_fixtures_cover_several_languages_and_every_field():
    assert {"fr", "de", "es", "it", "ca", "en", "pl", "nl"} <= LANGUAGES
    specs = [json.loads(path.read_text(encoding="utf-8")) for path in CASES]
    covered = {field for spec in specs for field, value in spec["expect"].items() if value not in (None, [])}
    assert covered >= set(FIELDS) - {"federation"}  # federation is a site's, see test_outreach_values


@pytest.mark.parametrize("expected_path", CASES, ids=lambda p: p.name[:-14])
def test_outreach_values_rules_and_privacy(expected_path: Path):
    response, spec = load_case(expected_path)
    result = platforms.extract(response).to_json()
    for field, value in spec["expect"].items():
        assert result[field] == value, f"{field}: got {result[field]!r}, expected {value!r}"
    for field, rule in spec.get("rules", {}).items():
        assert result["evidence"][field]["rule"] == rule, field
    for field in FIELDS:
        if result[field] not in (None, []):
            evidence = result["evidence"][field]
            assert evidence["source_url"] == spec["url"] and evidence["rule"], field
            assert "@" not in (evidence["snippet"] or ""), field  # snippets never carry an address
    # The stored address is the one written by hand in the case (the loop above compared it), so
    # every case must say which address it expects, or null.
    assert "contact_email" in spec["expect"], "the case must declare contact_email (an address or null)"
    result.pop("contact_email")
    blob = json.dumps(result, ensure_ascii=False)
    for personal in spec.get("must_not_store", []):
        assert personal not in blob, personal
