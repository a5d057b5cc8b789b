"""Kind classification rules."""

import pytest

from crawler.classify import classify


@pytest.mark.parametrize(
    ("platform", "name", "description", "expected"),
    [
        ("mastodon", "Babel", "Instance pour apprenants", ("fediverse_server", "kind.platform.mastodon")),
        (None, "Club", "Échange linguistique chaque jeudi", ("language_exchange", "kind.text.language_exchange")),
        ("phpbb", "Sprachforum", "Sprachaustausch und Tandem", ("language_exchange", "kind.text.language_exchange")),
        ("phpbb", "Forum", "Des cours et des leçons", ("forum", "kind.platform.phpbb")),
        (None, "LingoBoost", "Short daily lessons. Learn with us.", ("company_platform", "kind.text.company_platform")),
        ("mediawiki", "Wiki", None, ("wiki", "kind.platform.mediawiki")),
        (None, "Frazaro", "An open sentence corpus", ("open_corpus", "kind.text.open_corpus")),
        (None, "Site", "Welcome", ("unknown", "kind.none")),
    ],
)
def test_classify(platform, name, description, expected):
    assert classify(platform, name, description) == expected


def test_seeds_file_declares_kinds(tmp_path):
    from crawler.cli import DEFAULT_SEEDS
    from crawler.visit import read_seeds

    seeds = dict(read_seeds(DEFAULT_SEEDS))
    assert seeds["https://tatoeba.org/"] == "open_corpus"
    assert seeds["https://www.livemocha.com/"] == "company_platform"
    assert len(seeds) >= 12
    path = tmp_path / "seeds.txt"
    path.write_text("# comment\nhttps://a.example/\n\nhttps://b.example/ forum  some notes # tail\n")
    assert read_seeds(path) == [("https://a.example/", None), ("https://b.example/", "forum")]
