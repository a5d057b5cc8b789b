"""The fast path of crawler.normalize.dates gives exactly what dateparser gives, or steps aside.

Text dates in the forms forums print most are read without dateparser (1-2 ms a call). Each
generated text below is read twice, with the fast path and with dateparser only; the answers must
be identical, whatever the page languages and the base.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime

import pytest

from crawler.normalize import dates
from crawler.normalize.dates import _NOT_HANDLED, to_utc_iso

# Short and long name of each month.
MONTHS = (
    "Jan", "January", "Feb", "February", "Mar", "March", "Apr", "April", "May", "May", "Jun", "June",
    "Jul", "July", "Aug", "August", "Sep", "September", "Oct", "October", "Nov", "November", "Dec", "December",
)  # fmt: skip
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun", "Monday", "Tuesday", "Sunday")
LANGUAGES = (None, ["en"], ["fr"], ["de-DE"], ["ru"], ["es"], ["pt-BR"], ["it"], ["pl"], ["ja"], ["xx"], ["fr", "de"])
BASES = (None, datetime(2024, 5, 10, 12, 0, tzinfo=UTC), datetime(2018, 3, 20, 0, 30, tzinfo=UTC))


def _case(rng: random.Random, text: str) -> str:
    roll = rng.random()
    return text.lower() if roll < 0.15 else text.upper() if roll < 0.25 else text


def _time(rng: random.Random) -> str:
    if rng.random() < 0.15:
        return ""
    hour = rng.choice([0, 1, 9, 11, 12, 13, 23, 24, rng.randint(0, 25)])
    text = f"{hour:02d}" if rng.random() < 0.6 else str(hour)
    text += f":{rng.choice([0, 5, 59, 60, rng.randint(0, 59)]):02d}"
    if rng.random() < 0.4:
        text += f":{rng.choice([0, 59, 60, rng.randint(0, 59)]):02d}"
    if rng.random() < 0.4:
        text += rng.choice([" ", ""]) + _case(rng, rng.choice(["AM", "PM"]))
    return rng.choice([", ", " "]) + text


def _text(rng: random.Random) -> str:
    year = rng.choice([1989, 2003, 2018, 2026, 2099, rng.randint(1900, 2100)])
    month = rng.randint(1, 12)
    day = rng.choice([1, 12, 13, 29, 30, 31, rng.randint(1, 31)])
    name = _case(rng, MONTHS[(month - 1) * 2 + rng.randint(0, 1)])
    kind = rng.randrange(4)
    if kind == 0:
        return f"{day:02d} {name}{rng.choice([',', ''])} {year}{_time(rng)}"
    if kind == 1:
        weekday = f"{_case(rng, rng.choice(WEEKDAYS))}{rng.choice([' ', ', '])}" if rng.random() < 0.4 else ""
        return f"{weekday}{name} {day}{rng.choice([',', ''])} {year}{_time(rng)}"
    if kind == 2:
        first, second = (month, day) if rng.random() < 0.5 else (day, month)
        sep = rng.choice("./-")
        return f"{first:02d}{sep}{second:02d}{sep}{year}{_time(rng)}"
    return f"{_case(rng, rng.choice(['Today', 'Yesterday']))} at{_time(rng)[1:]}"


CASES = [(_text(rng), rng.choice(LANGUAGES), rng.choice(BASES)) for rng in [random.Random(8)] for _ in range(400)]


@pytest.mark.parametrize(("text", "languages", "base"), CASES)
def test_fast_path_matches_dateparser(monkeypatch: pytest.MonkeyPatch, text: str, languages, base) -> None:
    fast = to_utc_iso(text, base=base, languages=languages)
    monkeypatch.setattr(dates, "_fast_text", lambda _text, _base: _NOT_HANDLED)
    monkeypatch.setattr(dates, "_fast_localised", lambda _text, _base, _languages: _NOT_HANDLED)
    assert fast == to_utc_iso(text, base=base, languages=languages)


def test_fast_path_reads_the_common_forum_forms() -> None:
    base = datetime(2026, 11, 1, 6, 0, tzinfo=UTC)
    for text in ("20 Mar 2018, 09:29", "March 18, 2018, 08:41:02 PM", "Tue Mar 20, 2018 8:51 pm", "31.10.2026, 19:03",
                 "01/11/2026 06:00", "Today at 04:49:00 AM"):  # fmt: skip
        assert dates._fast_text(text, base) is not _NOT_HANDLED, text
    assert dates._fast_text("Today at 04:49 AM", None) is None  # relative without base: no answer
    assert dates._fast_text("20. Mär 2018, 09:29", base) is _NOT_HANDLED
