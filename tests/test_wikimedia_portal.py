"""The Wikipedia portal: its editions, the languages of its most viewed ones, its licence."""

from __future__ import annotations

from crawler import platforms
from crawler.platforms import wikimedia_portal
from tests.conftest import fixture_response

PORTAL = "wikimedia_portal/www.wikipedia.org-portal-2024-12-excerpt.html"


def test_portal_editions_and_languages():
    result = platforms.extract(fixture_response(PORTAL, "https://www.wikipedia.org/"))
    assert result.platform == "wikimedia_portal"
    assert result.name == "Wikipedia"
    # 19 editions of 1,000,000+ articles and 54 of 100,000+ in this excerpt (Norsk counts twice).
    assert result.metrics == {"communities": 73}
    assert result.evidence["communities"].snippet == (
        "73 editions listed; featured: en.wikipedia.org 6,918,000+ articles; "
        "ru.wikipedia.org 2 012 000+ статей; ja.wikipedia.org 1,438,000+ 記事"
    )
    assert result.languages == ["en", "ru", "ja", "de", "fr", "es", "it", "zh", "fa", "pt"]
    assert (result.licence, result.evidence["licence"].rule) == ("CC-BY-SA-4.0", "generic.licence.head_link")


def test_featured_article_counts_in_every_numbering():
    response = fixture_response(PORTAL, "https://www.wikipedia.org/")
    pg = platforms.html.page(response)
    counts = [(tag, articles) for articles, tag, _, _ in wikimedia_portal._featured(pg, "en")]
    assert counts == [
        ("en", 6918000), ("ru", 2012000), ("ja", 1438000), ("de", 2964000), ("fr", 2650000),
        ("es", 1992000), ("it", 1893000), ("zh", 1452000), ("fa", 1020000), ("pt", 1138000),
    ]  # fmt: skip
    assert wikimedia_portal.endpoints(response) == []


def test_an_edition_homepage_is_not_the_portal():
    edition = fixture_response(
        "discovery/wikipedia-fr-accueil-excerpt.html", "https://fr.wikipedia.org/wiki/Wikip%C3%A9dia:Accueil_principal"
    )
    assert not wikimedia_portal.detect(edition)
    assert platforms.detect(edition).NAME == "mediawiki"
