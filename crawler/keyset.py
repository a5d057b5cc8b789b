"""Compact per-site bookkeeping: which sites a crawl has met, and how many per domain.

A crawl remembers every site it scheduled (so a site linked from ten others is visited once) and
counts sites per domain (the site budget). As Python ``set`` and ``dict`` of host names that is
about 110 bytes per site and per structure, and it is the one thing that grows with the number of
sites for the whole crawl. :class:`KeySet` and :class:`KeyCounter` keep a 64-bit fingerprint of
each key in a flat array instead: at most 16 bytes a key (24 with a count), whatever its length.

The fingerprint is Python's own string hash (SipHash, randomised per process, cached on the
string), which is enough because these structures live in one process and are never saved. Two
distinct keys share a fingerprint with a probability of about n² / 2⁶⁵: one in 36 million for a
crawl of a million sites; the cost of it is one site not visited in that run.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable

_MASK64 = (1 << 64) - 1
_INITIAL = 1024  # slots; a power of two


def _fingerprint(key: str) -> int:
    # 0 marks an empty slot, so no key may have it.
    return (hash(key) & _MASK64) or 1


class _Fingerprints:
    """An open-addressing table of fingerprints, at most half full."""

    def __init__(self) -> None:
        self._slots = array("Q", bytes(8 * _INITIAL))
        self._used = 0

    def __len__(self) -> int:
        return self._used

    def _index(self, fingerprint: int) -> int:
        """The slot holding ``fingerprint``, or the empty slot where it belongs (linear probing)."""
        slots, mask = self._slots, len(self._slots) - 1
        index = fingerprint & mask
        while True:
            found = slots[index]
            if found == fingerprint or found == 0:
                return index
            index = (index + 1) & mask

    def _find(self, key: str) -> tuple[int, bool]:
        """The slot of ``key`` and whether the key is there."""
        fingerprint = _fingerprint(key)
        index = self._index(fingerprint)
        return index, self._slots[index] == fingerprint

    def _claim(self, key: str) -> tuple[int, bool]:
        """The slot of ``key``, taken if it was free; and whether the key is new."""
        fingerprint = _fingerprint(key)
        index = self._index(fingerprint)
        if self._slots[index] == fingerprint:
            return index, False
        self._slots[index] = fingerprint
        self._used += 1
        return index, True

    def _full(self) -> bool:
        return 2 * self._used > len(self._slots)


class KeySet(_Fingerprints):
    """A set of strings that answers ``in``, ``add`` and ``len`` (its keys cannot be listed back)."""

    def __init__(self, keys: Iterable[str] = ()) -> None:
        super().__init__()
        for key in keys:
            self.add(key)

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and self._find(key)[1]

    def add(self, key: str) -> bool:
        """Add ``key``; return True when it was not there yet."""
        _, new = self._claim(key)
        if new and self._full():
            old = self._slots
            self._slots = array("Q", bytes(16 * len(old)))
            for fingerprint in old:
                if fingerprint:
                    self._slots[self._index(fingerprint)] = fingerprint
        return new


class KeyCounter(_Fingerprints):
    """Counts per string key (sites per domain): ``get`` and ``increment``, 24 bytes a key at most."""

    def __init__(self) -> None:
        super().__init__()
        self._counts = array("I", bytes(4 * _INITIAL))

    def get(self, key: str, default: int = 0) -> int:
        """The count of ``key``, ``default`` when it was never counted."""
        index, found = self._find(key)
        return self._counts[index] if found else default

    def increment(self, key: str) -> int:
        """Count ``key`` once more; return its new count."""
        index, _ = self._claim(key)
        self._counts[index] += 1
        count = self._counts[index]
        if self._full():
            old_slots, old_counts = self._slots, self._counts
            self._slots = array("Q", bytes(16 * len(old_slots)))
            self._counts = array("I", bytes(8 * len(old_counts)))
            for fingerprint, old_count in zip(old_slots, old_counts, strict=True):
                if fingerprint:
                    index = self._index(fingerprint)
                    self._slots[index] = fingerprint
                    self._counts[index] = old_count
        return count
