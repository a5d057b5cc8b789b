"""Tatoeba: homepage counts, statistics pages, members' languages and the default sentence licence."""

from __future__ import annotations

from crawler import platforms
from crawler.platforms import tatoeba
from tests.conftest import fixture_response

HOME = "https://tatoeba.org/en"


def _extract(name: str, url: str):
    return platforms.extract(fixture_response(f"tatoeba/{name}", url))


def test_homepage_counts_with_their_evidence():
    result = _extract("homepage-guest-from-template.html", HOME)
    assert result.platform == "tatoeba"
    assert result.metrics == {"sentences": 12556682, "corpus_languages": 421, "contributions_1d": 1718}
    assert result.evidence["sentences"].snippet == "12,556,682 sentences"
    assert result.evidence["corpus_languages"].snippet == "421 supported languages"
    assert result.evidence["contributions_1d"].rule == "tatoeba.homepage_stats"
    # The member total is only printed above the member list, which is never fetched.
    assert "members" not in result.metrics


def test_homepage_endpoints_follow_its_own_links():
    response = fixture_response("tatoeba/homepage-guest-from-template.html", HOME)
    assert [e.url for e in tatoeba.endpoints(response)] == [
        "https://tatoeba.org/en/stats/sentences_by_language",
        "https://tatoeba.org/en/stats/users_languages",
        "https://tatoeba.org/en/terms_of_use",
    ]
    stats = fixture_response("tatoeba/stats-sentences-by-language-from-template.html", f"{HOME}/stats/x")
    assert tatoeba.endpoints(stats) == []


def test_sentences_page_total_and_languages_by_size():
    result = _extract("stats-sentences-by-language-from-template.html", f"{HOME}/stats/sentences_by_language")
    assert result.metrics == {"sentences": 12556682}
    assert result.evidence["sentences"].snippet == "12,556,682 sentences"
    # ISO 639-3 codes become BCP 47; the row without a language code is left out.
    assert result.languages == ["en", "ru", "it", "eo", "tr", "de", "kab", "fr"]
    assert result.evidence["languages"].snippet == "sentences per language: en 1,934,207, ru 1,101,593, it 891,205"


def test_members_languages_are_the_practised_languages():
    result = _extract("stats-users-languages-from-template.html", f"{HOME}/stats/users_languages")
    assert result.practised_languages == ["en", "fr", "es", "de", "ja"]
    assert result.evidence["practised_languages"].snippet == (
        "members per declared language: en 16,908, fr 7,894, es 7,119"
    )


def test_default_sentence_licence_from_the_terms_of_use():
    result = _extract("terms-of-use-from-template.html", f"{HOME}/terms_of_use")
    assert (result.licence, result.licence_url) == ("CC-BY-2.0", "https://creativecommons.org/licenses/by/2.0/fr/")
    assert result.evidence["licence"].snippet == "CC-BY 2.0 FR"


def test_other_platforms_pages_are_not_tatoeba():
    for path in ("generic/tatoeba-blog-language-stats.html", "generic/polyglotclub-home-head.html"):
        assert not tatoeba.detect(fixture_response(path, "https://example.org/"))
