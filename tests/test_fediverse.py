"""Shared JSON-adapter helpers, plus checks over every fixture of the JSON-API adapters."""

from __future__ import annotations

import hashlib
import json
import re

import pytest

from crawler import platforms
from crawler.extraction import ExtractionBuilder
from crawler.platforms.fediverse import put_counts, put_languages, snippet, software_id
from tests.conftest import FIXTURES, fixture_sources, load_case, make_response

JSON_FOLDERS = ("discourse", "mediawiki", "nodeinfo", "mastodon", "lemmy", "reddit", "stackexchange")
CASES = sorted(p for folder in JSON_FOLDERS for p in (FIXTURES / folder).glob("*.expected.json"))
PERSONAL_KEYS = {"username", "email", "contact_email", "avatar", "avatar_static", "avatar_template", "acct"}
EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+")


def test_put_counts_falls_back_to_the_next_spelling_when_a_value_is_invalid():
    builder = ExtractionBuilder("https://x.example/", "x")
    put_counts(builder, {"users_count": "many", "user_count": 12}, [("members", ("users_count", "user_count"))], "x")
    assert builder.extraction.metrics == {"members": 12}
    assert builder.extraction.evidence["members"].rule == "x.user_count"
    assert builder.rejected == ["members: 'many'"]


def test_snippet_is_short_json():
    assert snippet("users_count", 65215) == '"users_count": 65215'
    assert snippet("title", "Café") == '"title": "Café"'
    assert len(snippet("x", "y" * 1000)) < 140


def test_put_languages_without_text_or_declaration_sets_nothing():
    builder = ExtractionBuilder("https://x.example/", "x")
    put_languages(builder, [None, 5, ""], None, "x", "langs")
    assert builder.extraction.languages == []


@pytest.mark.parametrize(
    ("value", "expected"),
    [("NodeBB", "nodebb"), (" Mastodon ", "mastodon"), ("activity-relay", "activity-relay"), ("", None), (None, None)],
)
def test_software_id(value, expected):
    assert software_id(value) == expected


@pytest.mark.parametrize("folder", ("discourse", "mediawiki", "nodeinfo", "mastodon", "lemmy", "reddit"))
def test_every_real_sample_is_a_verbatim_fixture(folder):
    samples = [row for row in fixture_sources() if row.path.startswith(f"{folder}/") and row.is_real_sample]
    assert samples, folder  # every JSON platform has real samples, listed in tests/fixtures/SOURCES.md
    for sample in samples:
        fixture = FIXTURES / sample.path
        assert hashlib.sha256(fixture.read_bytes()).hexdigest() == sample.sha256, sample.path
        assert fixture.with_name(fixture.name[: -len(".json")] + ".expected.json").exists(), sample.path


def _personal_values(data, found: set[str]) -> set[str]:
    if isinstance(data, dict):
        for key, value in data.items():
            if key in PERSONAL_KEYS and isinstance(value, str) and len(value) >= 3:
                found.add(value)
            _personal_values(value, found)
    elif isinstance(data, list):
        for value in data:
            _personal_values(value, found)
    return found


@pytest.mark.parametrize("expected_path", CASES, ids=lambda p: f"{p.parent.name}/{p.name[:-14]}")
def test_no_personal_data_in_evidence(expected_path):
    response, _ = load_case(expected_path)
    result = platforms.extract(response).to_json()
    try:
        body = json.loads(response.body.decode("utf-8", "replace"))
    except ValueError:
        body = None
    personal = _personal_values(body, set()) - {result["name"]}
    for field, evidence in result["evidence"].items():
        text = evidence["snippet"] or ""
        assert not EMAIL_RE.search(text), (field, text)
        assert not any(value in text for value in personal), (field, text)


@pytest.mark.parametrize(
    "page",
    [
        "<p>We moved from lemmy-ui and data-discourse-setup to phpBB; see /load.php?x=1</p>",
        '<img src="https://cdn.sstatic.net/Sites/stackoverflow/Img/logo.png"> discourse_theme_id',
        '<a href="https://www.redditstatic.com/x.png">r/languagelearning</a> "window.isoData"',
    ],
)
def test_pages_that_only_mention_a_platform_are_not_claimed(page):
    response = make_response(f"<html><body>{page}</body></html>", "https://forum.example.org/viewtopic.php?t=1")
    for adapter in platforms.adapters():
        if adapter.NAME in JSON_FOLDERS:
            assert not adapter.detect(response), adapter.NAME
