"""docs/use-case-communities.md: one section per named community, each with public sources."""

from __future__ import annotations

import re
from pathlib import Path

from crawler.cli import DEFAULT_SEEDS

DOC = Path(__file__).resolve().parents[1] / "docs" / "use-case-communities.md"
NAMED = [
    "Mailfriends", "Polyglot Club", "The Mezzofanti Guild", "My Language Exchange", "The Mixxer", "Miriadi",
    "Busuu", "Rosetta Stone", "Livemocha", "Wikipedia", "WordReference", "Tatoeba",
]  # fmt: skip


def sections() -> dict[str, str]:
    parts = re.split(r"^## (.+)$", DOC.read_text(encoding="utf-8"), flags=re.M)
    return dict(zip(parts[1::2], parts[2::2], strict=True))


def test_a_section_per_named_community_with_sources_and_replay_state():
    found = sections()
    assert [name for name in found if name in NAMED] == NAMED
    for name in NAMED:
        text = found[name]
        assert re.search(r"https?://", text), f"{name}: no public source"
        assert "In the replay test" in text, f"{name}: replay state not documented"


def test_every_named_community_has_a_seed_or_says_why():
    seeds = DEFAULT_SEEDS.read_text(encoding="utf-8")
    hosts = {
        "Mailfriends": "mailfriends.us", "Polyglot Club": "polyglotclub.com", "The Mezzofanti Guild": "mezzoguild.com",
        "My Language Exchange": "mylanguageexchange.com", "The Mixxer": "language-exchanges.org",
        "Miriadi": "miriadi.net", "Busuu": "busuu.com", "Rosetta Stone": "rosettastone.com",
        "Livemocha": "livemocha.com", "Wikipedia": "wikipedia.org", "WordReference": "forum.wordreference.com",
        "Tatoeba": "tatoeba.org",
    }  # fmt: skip
    assert set(hosts) == set(NAMED)
    for name, host in hosts.items():
        assert host in seeds, name
        assert host in sections()[name], f"{name}: its address is not on its section"
