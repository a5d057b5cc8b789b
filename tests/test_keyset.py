"""Compact per-site bookkeeping: fingerprint sets and counters behave as a set and a dict of counts."""

from __future__ import annotations

import random
from collections import Counter

from crawler.keyset import KeyCounter, KeySet


def test_key_set_answers_as_a_set_through_growth():
    rng = random.Random(8)
    keys, reference = KeySet(), set()
    for _ in range(20_000):  # far beyond the initial table: several resizes
        key = f"club-{rng.randrange(15_000)}.example"
        assert keys.add(key) == (key not in reference)
        reference.add(key)
    assert len(keys) == len(reference)
    assert all(key in keys for key in reference)
    assert not any(f"other-{n}.example" in keys for n in range(20_000))
    assert 42 not in keys


def test_key_set_memory_is_a_fraction_of_a_set():
    keys = KeySet(f"forum.club-{n}.example" for n in range(10_000))
    # At most half full: 16 to 32 bytes a key, against about 110 for a set of the strings.
    assert keys._slots.itemsize * len(keys._slots) <= 32 * len(keys)


def test_key_counter_counts_through_growth():
    rng = random.Random(5)
    counts, reference = KeyCounter(), Counter()
    for _ in range(10_000):
        domain = f"d{rng.randrange(3_000)}.example"
        reference[domain] += 1
        assert counts.increment(domain) == reference[domain]
    assert len(counts) == len(reference)
    assert all(counts.get(domain) == n for domain, n in reference.items())
    assert counts.get("never.example") == 0 and counts.get("never.example", 7) == 7
