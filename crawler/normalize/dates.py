"""Dates from attributes, APIs, feeds and localised page text, as UTC ISO 8601 strings.

Machine-readable forms are read without dateparser: unix seconds (XenForo ``data-time``), ISO 8601
(``<time datetime>``, Discourse, Lemmy) and RFC 2822 (RSS). Text dates ("20 Mar 2018, 09:29",
"21. Januar 2022", "Aujourd'hui à 14:02", "il y a 3 jours") are dateparser's business, with the
page's languages when known; the forms forums print most, in English and in the other languages of
dateparser's locale data ("20. Mär 2018, 09:29", "Hoy a las 21:10:44"), are read by two fast paths
that give exactly dateparser's answer or hand the text to it.

A relative or incomplete text date ("Yesterday", "1 hour ago", "20 Mar" without a year) only means
something against the moment the page was fetched, so it needs ``base``; without one it is None,
never resolved against the wall clock. Zone-less values are taken as UTC, since forums rarely say
which zone they print in and a wrong guess is no better. Values before 1990 or more than two days
after ``base`` (or now) are rejected as implausible for community activity.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from functools import lru_cache

from crawler.normalize.date_locales import _NOT_HANDLED, _fast_datetime, _fast_localised

_EARLIEST = datetime(1990, 1, 1, tzinfo=UTC)
_FUTURE_SLACK = timedelta(days=2)
_MAX_TEXT = 200
# Values this large are JavaScript millisecond timestamps, not seconds (year 5138).
_MILLISECONDS_FROM = 10**11
# Two unrelated reference moments: a text date that parses differently against them depends on the
# reference, i.e. it is relative or lacks its year.
_PROBE_BASES = (datetime(2003, 2, 11, 7, 13, 5), datetime(2011, 9, 23, 16, 47, 41))

# Tried when the page language is unknown. Letting dateparser consider all of its ~200 languages
# costs 1.4 s on first use and ~12 ms per call, and invites odd readings from rare languages.
# fmt: off
_DEFAULT_LANGUAGES = (
    "en", "fr", "de", "es", "it", "pt", "nl", "pl", "ru", "uk", "cs", "sk", "hu", "ro", "sv", "da",
    "nb", "fi", "tr", "el", "he", "ar", "fa", "zh", "ja", "ko", "ca", "id", "vi",
)
# fmt: on
_UNIX_RE = re.compile(r"^\d{1,16}(?:\.\d+)?$")
_ISO_HINT_RE = re.compile(r"^\d{4}-\d{2}-\d{2}")


def _finish(value: datetime, base: datetime | None) -> str | None:
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    value = value.astimezone(UTC).replace(microsecond=0)
    ceiling = (base if base is not None else datetime.now(UTC)) + _FUTURE_SLACK
    if value < _EARLIEST or value > ceiling:
        return None
    return value.isoformat()


def _from_unix(seconds: float) -> datetime | None:
    if seconds != seconds or seconds < 0:
        return None
    if seconds >= _MILLISECONDS_FROM:
        seconds /= 1000
    try:
        return datetime.fromtimestamp(seconds, UTC)
    except (OverflowError, OSError, ValueError):
        return None


def _aware_base(base: datetime | None) -> datetime | None:
    if base is None or not isinstance(base, datetime):
        return None
    return base if base.tzinfo is not None else base.replace(tzinfo=UTC)


@lru_cache(maxsize=128)
def _dateparser_languages(languages: tuple[str, ...]) -> tuple[str, ...] | None:
    """Languages dateparser knows, from BCP 47 tags; None when it knows none of them."""
    from dateparser.data.languages_info import language_order

    available = set(language_order)
    out: list[str] = []
    for tag in languages:
        if not isinstance(tag, str):
            continue
        tag = tag.strip().replace("_", "-")
        for candidate in (tag, tag.split("-")[0].lower()):
            if candidate in available and candidate not in out:
                out.append(candidate)
                break
    if out and "en" not in out:
        # English words ("ago", "Today") appear in the UI of many non-English boards.
        out.append("en")
    return tuple(out) or None


# Fast path for the text dates forums print most ("20 Mar 2018, 09:29", "March 18, 2018, 08:41:02 PM",
# "31.10.2026, 19:03", "Today at 06:16 PM"). dateparser costs 1-2 ms a call (two calls without base);
# these forms are read here with the result dateparser gives them. English is always among the
# languages passed to dateparser and comes first in its locale order, so it is the locale that reads
# any text made of digits and English words; tests/test_normalize_dates_fast.py checks every form
# against dateparser itself. Anything else, or anything out of range, goes on to the localised fast
# path (crawler/normalize/date_locales.py), then to dateparser.
# fmt: off
_MONTHS = {
    "jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3, "apr": 4, "april": 4, "may": 5,
    "jun": 6, "june": 6, "jul": 7, "july": 7, "aug": 8, "august": 8, "sep": 9, "sept": 9, "september": 9,
    "oct": 10, "october": 10, "nov": 11, "november": 11, "dec": 12, "december": 12,
}
# fmt: on
_MONTH = "(" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + ")"
_WEEKDAY = r"(?:(?:mon|tue|wed|thu|fri|sat|sun)|(?:mon|tues|wednes|thurs|fri|satur|sun)day),? "
_TIME = r"(?:,? (\d{1,2}):(\d{2})(?::(\d{2}))?(?: ?([ap]m))?)?"
_FAST_DMY_NAME = re.compile(rf"(\d{{1,2}}) {_MONTH},? (\d{{4}}){_TIME}", re.I)
_FAST_MDY_NAME = re.compile(rf"(?:{_WEEKDAY})?{_MONTH} (\d{{1,2}}),? (\d{{4}}){_TIME}", re.I)
_FAST_NUMERIC = re.compile(rf"(\d{{1,2}})([./-])(\d{{1,2}})\2(\d{{4}}){_TIME}", re.I)
_FAST_RELATIVE = re.compile(r"(today|yesterday) at (\d{1,2}):(\d{2})(?::(\d{2}))?(?: ?([ap]m))?", re.I)


def _fast_text(text: str, base: datetime | None) -> object:
    """The datetime dateparser would give ``text``, None, or ``_NOT_HANDLED`` for any other form."""
    first = text[:1]
    if first.isdigit():
        match = _FAST_DMY_NAME.fullmatch(text)
        if match:
            day, month, year = int(match.group(1)), _MONTHS[match.group(2).lower()], int(match.group(3))
            parsed = _fast_datetime(year, month, day, match.groups()[3:])
            return _NOT_HANDLED if parsed is None else parsed
        match = _FAST_NUMERIC.fullmatch(text)
        if match:
            first_number, second_number, year = int(match.group(1)), int(match.group(3)), int(match.group(4))
            # English reads month first when it can be a month, day first otherwise.
            month, day = (first_number, second_number) if first_number <= 12 else (second_number, first_number)
            parsed = _fast_datetime(year, month, day, match.groups()[4:])
            return _NOT_HANDLED if parsed is None else parsed
        return _NOT_HANDLED
    match = _FAST_MDY_NAME.fullmatch(text)
    if match:
        month, day, year = _MONTHS[match.group(1).lower()], int(match.group(2)), int(match.group(3))
        parsed = _fast_datetime(year, month, day, match.groups()[3:])
        return _NOT_HANDLED if parsed is None else parsed
    match = _FAST_RELATIVE.fullmatch(text)
    if match:
        if base is None:
            return None  # relative: means nothing without the moment the page was fetched
        day = base.astimezone(UTC).date()
        if match.group(1).lower() == "yesterday":
            day -= timedelta(days=1)
        parsed = _fast_datetime(day.year, day.month, day.day, match.groups()[1:])
        return _NOT_HANDLED if parsed is None else parsed
    return _NOT_HANDLED


@lru_cache(maxsize=4096)
def _dateparse(text: str, base: datetime | None, languages: tuple[str, ...] | None) -> datetime | None:
    """dateparser's reading of ``text``; cached, since a page repeats its dates."""
    import dateparser

    settings = {
        "PREFER_DATES_FROM": "past",
        "TIMEZONE": "UTC",
        "TO_TIMEZONE": "UTC",
        "RETURN_AS_TIMEZONE_AWARE": True,
    }
    if base is not None:
        settings["RELATIVE_BASE"] = base.astimezone(UTC).replace(tzinfo=None)
        return dateparser.parse(text, languages=list(languages) if languages else None, settings=settings)
    results = []
    for probe in _PROBE_BASES:
        settings["RELATIVE_BASE"] = probe
        results.append(dateparser.parse(text, languages=list(languages) if languages else None, settings=settings))
    if results[0] is None or results[0] != results[1]:
        return None
    return results[0]


def _parse_text(text: str, base: datetime | None, languages: Sequence[str] | None) -> datetime | None:
    if _UNIX_RE.match(text):
        return _from_unix(float(text))
    if _ISO_HINT_RE.match(text):
        try:
            return datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
        except ValueError:
            pass
    if "," in text[:5] or re.search(r"\d{1,2} \w{3} \d{4} \d{2}:\d{2}", text):
        try:
            parsed = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            parsed = None
        if parsed is not None:
            return parsed
    fast = _fast_text(text, base)
    if fast is not _NOT_HANDLED:
        return fast  # type: ignore[return-value]
    langs = (_dateparser_languages(tuple(languages)) if languages else None) or _DEFAULT_LANGUAGES
    fast = _fast_localised(text, base, langs)
    if fast is not _NOT_HANDLED:
        return fast  # type: ignore[return-value]
    return _dateparse(text, base, langs)


def to_utc_iso(
    value: str | int | float | datetime | None,
    *,
    base: datetime | None = None,
    languages: Sequence[str] | None = None,
) -> str | None:
    """``value`` as ``"YYYY-MM-DDTHH:MM:SS+00:00"`` (UTC, whole seconds), or None.

    Accepts unix seconds (int, float or digit string; 13-digit millisecond values too), ISO 8601
    with or without zone (zone-less = UTC), RFC 2822, and localised absolute or relative text.
    ``base`` is when the page was fetched (naive = UTC); relative text without it is None.
    ``languages`` are BCP 47 tags of the page; dateparser guesses when they are not given.
    Never raises.
    """
    try:
        aware_base = _aware_base(base)
        if value is None or isinstance(value, bool):
            return None
        if isinstance(value, datetime):
            return _finish(value, aware_base)
        if isinstance(value, (int, float)):
            parsed = _from_unix(float(value)) if abs(value) < 10**16 else None
        elif isinstance(value, str):
            text = " ".join(value.split())
            if not text or len(text) > _MAX_TEXT:
                return None
            parsed = _parse_text(text, aware_base, languages)
        else:
            return None
        return _finish(parsed, aware_base) if parsed is not None else None
    except Exception:  # dateparser and zoneinfo raise many types on odd input; unknown is an answer.
        return None
