"""The localised fast path of crawler.normalize.dates gives exactly what dateparser gives, or steps aside.

Text dates in the languages forums use most ("20. Mär 2018, 09:29", "mar. 20 mars 2018 08:15",
"Hoy a las 21:10:44", "Сегодня, 10:15") are read without dateparser, from dateparser's own locale
data. Each generated text below, built from the month, weekday, relative and filler words of
dateparser's locale data, is read twice, with the fast paths and with dateparser only; the answers
must be identical whatever the page languages and the base. TREMPLIN_DATES_CASES raises the number
of generated texts per language (e.g. 3000 for a long run).
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
from datetime import UTC, datetime
from importlib import import_module

import pytest

from crawler.normalize import date_locales, dates
from crawler.normalize.dates import _NOT_HANDLED, to_utc_iso

BASE = datetime(2018, 3, 25, 12, 0, tzinfo=UTC)
BASES = (None, BASE, datetime(2024, 5, 10, 12, 0, tzinfo=UTC), datetime(2026, 11, 1, 6, 0, tzinfo=UTC))
CASES = int(os.environ.get("TREMPLIN_DATES_CASES", "0"))
MAIN = ("fr", "de", "es", "it", "pt", "nl", "pl", "ru", "en")
EXTRA = ("uk", "cs", "sk", "sv", "da", "nb", "fi", "ro", "tr", "ca", "hu", "vi")
MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september",
          "october", "november", "december")  # fmt: skip
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def dateparser_only(monkeypatch: pytest.MonkeyPatch, text: str, base: datetime | None, languages) -> str | None:
    """``to_utc_iso`` with both fast paths turned off: dateparser's own reading."""
    monkeypatch.setattr(dates, "_fast_text", lambda _text, _base: _NOT_HANDLED)
    monkeypatch.setattr(dates, "_fast_localised", lambda _text, _base, _languages: _NOT_HANDLED)
    try:
        return to_utc_iso(text, base=base, languages=languages)
    finally:
        monkeypatch.undo()


def fast_localised(text: str, base: datetime | None, languages) -> object:
    langs = (dates._dateparser_languages(tuple(languages)) if languages else None) or dates._DEFAULT_LANGUAGES
    return dates._fast_localised(" ".join(text.split()), dates._aware_base(base), langs)


# Exact strings seen in the fixtures, with dateparser's answer.
@pytest.mark.parametrize(
    ("text", "base", "languages", "expected"),
    [
        ("Hoje, 09:14 AM", BASE, ["pt"], "2018-03-25T09:14:00+00:00"),
        ("Сегодня, 10:15", BASE, ["ru"], "2018-03-25T10:15:00+00:00"),
        ("20. Mär 2018, 09:29", None, ["de"], "2018-03-20T09:29:00+00:00"),
        ("Heute, 09:02", BASE, ["de"], "2018-03-25T09:02:00+00:00"),
        # English reads "Mo" as "month" and fails; German reads Montag.
        ("Mo 19. Mär 2018, 22:40", BASE, ["de"], "2018-03-19T22:40:00+00:00"),
        ("20 mars 2018 09:29", None, ["fr"], "2018-03-20T09:29:00+00:00"),
        ("mar. 20 mars 2018 08:15", BASE, ["fr"], "2018-03-20T08:15:00+00:00"),
        ("dim. 18 mars 2018 22:47", BASE, ["fr"], "2018-03-18T22:47:00+00:00"),
        # No locale among these knows "Marzo": dateparser gives None.
        ("15 de Marzo de 2018, 22:41:02", None, ["en", "fr", "de"], None),
        ("15 de Marzo de 2018, 22:41:02", None, None, "2018-03-15T22:41:02+00:00"),
        ("15 de Marzo de 2018, 22:41:02", BASE, ["es"], "2018-03-15T22:41:02+00:00"),
        ("Hoy a las 21:10:44", BASE, ["es"], "2018-03-25T21:10:44+00:00"),
        # Spanish "en" is "in", dropped in a text without a unit of time.
        ("en 14 de Marzo de 2018, 19:02:51", BASE, ["es"], "2018-03-14T19:02:51+00:00"),
        ("en 14 de Marzo de 2018, 19:02:51", BASE, None, "2018-03-14T19:02:51+00:00"),
        ("23. Juni 2016", None, ["de"], "2016-06-23T00:00:00+00:00"),
        ("23. Juni 2016", BASE, None, "2016-06-23T00:00:00+00:00"),
        ("on March 01, 2018, 10:08:00 PM", BASE, ["en"], "2018-03-01T22:08:00+00:00"),
        ("on Today at 01:43:57 PM", BASE, ["en"], "2018-03-25T13:43:57+00:00"),
        ("01, 2026, 06:00:00 AM", None, ["en"], None),
        ("20, 2018 9:29 pm", None, ["en"], None),
        ("20, 2018 9:29 pm", None, None, None),
        # Relative without base means nothing.
        ("Hoje, 09:14 AM", None, ["pt"], None),
        ("Сегодня, 10:15", None, None, None),
        ("Aujourd'hui à 14:02", BASE, ["fr"], "2018-03-25T14:02:00+00:00"),
        ("Gestern um 10:00", BASE, ["de"], "2018-03-24T10:00:00+00:00"),
        ("вчера в 10:15", BASE, ["ru"], "2018-03-24T10:15:00+00:00"),
        ("20 marca 2018, 10:15", None, ["pl"], "2018-03-20T10:15:00+00:00"),
        ("20 марта 2018 г., 10:15", None, ["ru"], "2018-03-20T10:15:00+00:00"),
        ("21. Januar 2022, 14:51 Uhr", None, ["de-DE"], "2022-01-21T14:51:00+00:00"),
        ("mar 20 marzo 2018", None, ["it"], "2018-03-20T00:00:00+00:00"),
        ("zondag 18 maart 2018 22:47", BASE, ["nl"], "2018-03-18T22:47:00+00:00"),
    ],
)
def test_forum_forms(monkeypatch: pytest.MonkeyPatch, text, base, languages, expected) -> None:
    assert fast_localised(text, base, languages) is not _NOT_HANDLED, text
    assert to_utc_iso(text, base=base, languages=languages) == expected
    assert dateparser_only(monkeypatch, text, base, languages) == expected


@pytest.mark.parametrize(
    ("text", "languages"),
    [
        ("20 mars", ["fr"]),  # no year: depends on PREFER_DATES_FROM and the base
        ("20 mars 18", ["fr"]),  # two-digit year
        ("il y a 3 jours", ["fr"]),  # relative pattern
        ("20 set 2018", ["it"]),  # "set" is also a time zone name
        ("Heute", ["de"]),  # relative without a time
        ("20 mars 2018 à 9h29", ["fr"]),  # simplification rule
        ("hoy a las 24:10", ["es"]),  # no such hour: dateparser reads it its own way
    ],
)
def test_other_forms_go_to_dateparser(text: str, languages: list[str]) -> None:
    assert fast_localised(text, BASE, languages) is _NOT_HANDLED


def _words(data: dict, key: str) -> list[str]:
    return [word for word in data.get(key, []) if word and any(c.isalpha() for c in word)]


def _case(rng: random.Random, text: str) -> str:
    roll = rng.random()
    if roll < 0.3:
        return text.lower()
    if roll < 0.4:
        return text.upper()
    return text[:1].upper() + text[1:] if roll < 0.8 else text


def _time(rng: random.Random) -> str:
    hour = rng.choice([0, 1, 9, 11, 12, 13, 23, 24, rng.randint(0, 23)])
    text = f"{hour:02d}" if rng.random() < 0.6 else str(hour)
    text += f":{rng.choice([0, 5, 59, 60, rng.randint(0, 59)]):02d}"
    if rng.random() < 0.4:
        text += f":{rng.choice([0, 59, rng.randint(0, 59)]):02d}"
    if rng.random() < 0.3:
        text += rng.choice([" ", ""]) + _case(rng, rng.choice(["am", "pm"]))
    return text


def _text(rng: random.Random, language: str) -> str:
    """A forum date in ``language``: [weekday] day[.] month year [time], month day year [time],
    or today/yesterday and a time, with the filler words of that language here and there."""
    data = import_module(f"dateparser.data.date_translation_data.{language}").info
    fillers = [*_words(data, "skip"), "on", "at", "de", "um", "à", "le"]

    def filler(chance: float) -> str:
        return _case(rng, rng.choice(fillers)) + " " if rng.random() < chance else ""

    relative = [word for key in ("0 day ago", "1 day ago", "2 day ago") for word in data["relative-type"].get(key, [])]
    if relative and rng.random() < 0.25:
        return f"{filler(0.1)}{_case(rng, rng.choice(relative))}{rng.choice([',', ''])} {filler(0.4)}{_time(rng)}"
    month = rng.randrange(12)
    name = _case(rng, rng.choice(_words(data, MONTHS[month]) or [MONTHS[month]])) + ("." if rng.random() < 0.15 else "")
    day = rng.choice([1, 9, 12, 13, 29, 30, 31, rng.randint(1, 28), rng.randint(1, 28), 0, 32])
    day_text = f"{day:02d}" if rng.random() < 0.4 else str(day)
    year = rng.choice([2003, 2018, 2024, 2026, 2099, rng.randint(1985, 2030), rng.randint(1900, 2100)])
    year_text = str(year) if rng.random() < 0.95 else f"{year % 100:02d}"
    weekday = ""
    if rng.random() < 0.4:
        weekday = _case(rng, rng.choice(_words(data, rng.choice(WEEKDAYS)) or ["monday"]))
        weekday += rng.choice(["", ".", ",", ".,"]) + " "
    time = ""
    if rng.random() < 0.75:
        time = rng.choice([", ", " "]) + filler(0.3) + _time(rng) + (" Uhr" if rng.random() < 0.05 else "")
    if rng.random() < 0.75:
        dot = rng.choice(["", ".", "."]) if rng.random() < 0.5 else ""
        comma = "," if rng.random() < 0.1 else ""
        return f"{filler(0.1)}{weekday}{day_text}{dot} {filler(0.3)}{name}{comma} {filler(0.3)}{year_text}{time}"
    return f"{filler(0.1)}{weekday}{name} {day_text}{rng.choice(['', ','])} {year_text}{time}"


def _languages(rng: random.Random, language: str) -> list[str] | None:
    roll = rng.random()
    if roll < 0.3:
        return [language]
    if roll < 0.4:
        return [language, "en"]
    if roll < 0.5:
        return ["en", language]
    if roll < 0.6:
        return None
    if roll < 0.7:
        return ["es", "en"]
    if roll < 0.8:
        return ["en", "fr", "de"]
    return [*rng.sample(MAIN + EXTRA, 2), *([language] if rng.random() < 0.5 else [])]


def _check(monkeypatch: pytest.MonkeyPatch, cases: list[tuple[str, datetime | None, list[str] | None]]) -> int:
    """Assert the fast paths agree with dateparser on ``cases``; return how many the localised one read."""
    mismatches, handled = [], 0
    for text, base, languages in cases:
        handled += fast_localised(text, base, languages) is not _NOT_HANDLED
        fast = to_utc_iso(text, base=base, languages=languages)
        slow = dateparser_only(monkeypatch, text, base, languages)
        if fast != slow:
            mismatches.append((text, base, languages, fast, slow))
    assert not mismatches
    return handled


@pytest.mark.parametrize("language", MAIN + EXTRA)
def test_generated_dates_match_dateparser(monkeypatch: pytest.MonkeyPatch, language: str) -> None:
    rng = random.Random(f"dates-{language}")
    count = CASES or (120 if language in MAIN else 25)
    cases = [(_text(rng, language), rng.choice(BASES), _languages(rng, language)) for _ in range(count)]
    handled = _check(monkeypatch, cases)
    if language in MAIN:
        assert handled >= count // 3  # the fast path does read these forms


def test_altered_dates_match_dateparser(monkeypatch: pytest.MonkeyPatch) -> None:
    """Dates with a word added, replaced, dropped or moved, often from another language: most are
    read by no locale (None), some by another one, some not at all."""
    rng = random.Random("dates-altered")
    vocabulary = sorted(
        {
            word
            for language in MAIN + EXTRA
            for key in (*MONTHS, *WEEKDAYS, "skip", "am", "pm", "in", "ago", "day", "month")
            for word in _words(import_module(f"dateparser.data.date_translation_data.{language}").info, key)
        }
    )
    cases = []
    for _ in range(CASES or 150):
        language = rng.choice(MAIN + EXTRA)
        words = _text(rng, language).split(" ")
        index = rng.randrange(len(words))
        roll = rng.random()
        if roll < 0.4:
            words.insert(index, _case(rng, rng.choice(vocabulary)))
        elif roll < 0.7:
            words[index] = _case(rng, rng.choice(vocabulary))
        elif roll < 0.85 and len(words) > 2:
            del words[index]
        else:
            other = rng.randrange(len(words))
            words[index], words[other] = words[other], words[index]
        cases.append((" ".join(words), rng.choice(BASES), _languages(rng, language)))
    _check(monkeypatch, cases)


def test_fragments_without_month_are_none(monkeypatch: pytest.MonkeyPatch) -> None:
    """A day, a year and a time but no month: dateparser takes the month or the day from the
    reference date, so the two probes disagree and the answer without base is None."""
    rng = random.Random("dates-fragments")
    for _ in range(CASES or 60):
        day = rng.choice([0, 1, 12, 13, 31, 32, 99, rng.randint(0, 99)])
        text = f"{day:02d}" if rng.random() < 0.5 else str(day)
        text += rng.choice([",", ""]) + f" {rng.choice([1900, 1990, 2018, 2026, 2100, rng.randint(1000, 9999)])}"
        if rng.random() < 0.85:
            text += rng.choice([", ", " "]) + _time(rng)
        languages = rng.choice([None, ["en"], ["de"], ["fr", "en"], ["hu"], ["zh"], ["ja"], ["vi"]])
        if date_locales._FRAGMENT_RE.fullmatch(text) and languages not in (["zh"], ["ja"]):
            assert fast_localised(text, None, languages) is None, text
        assert to_utc_iso(text, languages=languages) is None
        assert dateparser_only(monkeypatch, text, None, languages) is None, (text, languages)


def test_locale_order_is_dateparsers() -> None:
    # dateparser tries its locales in its own order, whatever the order given.
    assert date_locales._locale_order(("pl", "es", "en", "ru")) == ("en", "ru", "es", "pl")


def test_import_does_not_load_dateparser() -> None:
    code = "import sys, crawler.normalize.dates; sys.exit('dateparser' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0
