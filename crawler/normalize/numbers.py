"""Counts as community sites print them, in any common locale.

Sites print the same count as ``1234567``, ``1,234,567``, ``1.234.567``, ``1 234 567`` (with
U+00A0, U+202F or U+2009), ``1'234'567``, ``12,34,567`` or ``١٬٢٣٤`` and abbreviate it as
``1.2M``, ``1,2 Mio.``, ``12,3k`` or ``over 1 million``. :func:`parse_count` and
:func:`find_counts` read all of these as integers and flag the abbreviated or hedged ones as
approximate, so an adapter never has to decide between ``,`` and ``.`` itself.

Deciding ``1.234`` versus ``1,234``:

* several identical separators (``1.234.567``) always group digits;
* two different separators (``1,234.5``): the last one is the decimal mark;
* one separator followed by exactly three digits is ambiguous: with a ``locale`` it is a decimal
  mark if it is that locale's decimal symbol (CLDR via Babel), otherwise a group separator; with
  no locale the groups-of-three rule reads it as a group separator;
* a decimal value that is not a whole number (``30,8``, ``4.5``) is not a count, unless an
  abbreviation follows (``1.2k``).

Abbreviations come from a hand-written multilingual table (no locale: ``mil`` is thousand, as in
Spanish and Portuguese) overridden by the CLDR compact-decimal formats of the page's language when a
locale is given (Turkish ``B`` is *bin*, thousand; English ``mil`` is million). Spelled-out numbers
("five million") and vague quantities ("hundreds of thousands") are not read.

Everything is cached per locale and the per-call work is one linear regex scan, because adapters call
these functions many times per page.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from babel import Locale

MAX_COUNT = 2**63 - 1
# A count never has more digits than 2**63 - 1 (19); longer runs are ids, hashes or hostile input,
# and refusing them early keeps int() away from the interpreter's 4300-digit guard.
_MAX_DIGITS = 19
# find_counts is meant for statistics sentences; a whole page passed by mistake must stay cheap.
_MAX_SCAN = 200_000
_MAX_RESULTS = 10_000


@dataclass(frozen=True)
class ParsedCount:
    """One count read from a text.

    ``approximate`` is True for abbreviated (``12.3k``) or hedged (``over 5 million``, ``10,000+``)
    values; ``raw`` is the trimmed text the count was read from, hedge and abbreviation included.
    """

    value: int
    approximate: bool
    raw: str


_SPACES = " \u00a0\u202f\u2009"
_APOSTROPHES = "'\u2019"
# Arabic thousands separator / decimal separator (also used with Persian digits).
_AR_GROUP = "\u066c"
_AR_DECIMAL = "\u066b"
# Latin, Greek and Cyrillic letters: a number glued to these is part of a word ("mp3", "x86", "3rd").
_LETTER = "A-Za-z\u00c0-\u024f\u0370-\u03ff\u0400-\u052f"

_NUMBER_RE = re.compile(
    rf"(?<![{_LETTER}\d])(?<!\d[.,{_APOSTROPHES}{_AR_GROUP}{_AR_DECIMAL}])"
    # Space-grouped: 1-3 digits then groups of exactly 3; a plain space only joins such groups, so
    # "293239 Posts in 62088" stays three numbers. Group counts are bounded (a count has at most 19
    # digits) so a hostile "1,1,1,..." run costs a short match per position, never a 10 MB one.
    rf"(?:\d{{1,3}}(?:[{_SPACES}]\d{{3}}(?!\d)){{1,12}}(?:[.,{_AR_DECIMAL}]\d+)?"
    rf"|\d+(?:[.,{_APOSTROPHES}{_AR_GROUP}{_AR_DECIMAL}]\d+){{0,12}})"
)
_AFTER_LETTER_RE = re.compile(rf"[{_LETTER}]")
_PERCENT_RE = re.compile(r"[\s\u00a0\u202f]?[%\u2030\u066a]")
_PLUS_RE = re.compile(r"\s?\+")
# "5m ago" is five minutes, not five million.
_AGO_RE = re.compile(r"\s*(?:ago\b|前)", re.IGNORECASE)
_NEGATIVE_SIGNS = "-\u2212\u2012\u2013"

# Hedges before a number that make it a lower bound or an estimate.
# fmt: off
_HEDGES = (
    # en
    "over", "more than", "about", "around", "approximately", "approx.", "approx", "nearly", "almost",
    "roughly", "some", "circa", "ca.", "c.", "upwards of", "well over", "close to", "up to", "at least",
    # fr
    "plus de", "près de", "pres de", "environ", "presque", "autour de", "quelque", "jusqu'à",
    "au moins",
    # es
    "más de", "mas de", "casi", "cerca de", "alrededor de", "aproximadamente", "unos", "unas",
    "al menos",
    # de
    "über", "ueber", "mehr als", "fast", "rund", "etwa", "knapp", "annähernd", "ungefähr", "zirka",
    "mindestens",
    # it
    "oltre", "più di", "piu di", "quasi", "circa", "almeno",
    # pt
    "mais de", "acima de", "quase", "pelo menos",
    # nl
    "meer dan", "ruim", "bijna", "ongeveer", "zo'n", "minstens",
    # pl
    "ponad", "około", "okolo", "ok.", "prawie", "blisko", "przeszło", "powyżej", "co najmniej",
    # ru / uk
    "более", "свыше", "около", "почти", "больше", "примерно", "порядка", "более чем", "понад",
    "майже", "близько",
    # hu, cs, sv, tr
    "több mint", "kb.", "közel", "mintegy", "majdnem", "přes", "více než", "téměř", "asi", "cca",
    "cca.", "över", "mer än", "nästan", "yaklaşık",
)
# fmt: on
# Not ">": markup leaking into a snippet ("<b>5000</b>") would make every count approximate.
_HEDGE_SYMBOLS = "~\u2248\u2265"
_HEDGE_RE = re.compile(
    r"(?:(?<![\w])(?:"
    + "|".join(re.escape(h) for h in sorted(set(_HEDGES), key=len, reverse=True))
    + rf")|[{_HEDGE_SYMBOLS}])[\s\u00a0\u202f]*$",
    re.IGNORECASE,
)

# Abbreviations used when the page language is unknown, and kept for every language (sites
# often print "12k" whatever their language). Keys are lower-case, without a trailing dot.
_THOUSAND = 10**3
_MILLION = 10**6
_BILLION = 10**9
# fmt: off
_DEFAULT_MULTIPLIERS: dict[str, int] = {
    "k": _THOUSAND, "thousand": _THOUSAND, "thousands": _THOUSAND, "tsd": _THOUSAND,
    "tausend": _THOUSAND, "mil": _THOUSAND, "mille": _THOUSAND, "mila": _THOUSAND,
    "milliers": _THOUSAND, "duizend": _THOUSAND, "tusen": _THOUSAND, "ezer": _THOUSAND,
    "tys": _THOUSAND, "tysięcy": _THOUSAND, "tysiące": _THOUSAND, "tysiąc": _THOUSAND,
    "тыс": _THOUSAND, "тысяч": _THOUSAND, "тысячи": _THOUSAND, "тысяча": _THOUSAND, "тис": _THOUSAND,
    "tis": _THOUSAND, "tisíc": _THOUSAND, "千": _THOUSAND,
    "万": 10**4, "萬": 10**4, "만": 10**4, "lakh": 10**5, "lakhs": 10**5, "億": 10**8, "亿": 10**8,
    "crore": 10**7, "crores": 10**7,
    "m": _MILLION, "mm": _MILLION, "mn": _MILLION, "mio": _MILLION, "mln": _MILLION,
    "million": _MILLION, "millions": _MILLION, "millionen": _MILLION, "millón": _MILLION,
    "millon": _MILLION, "millones": _MILLION, "milione": _MILLION, "milioni": _MILLION,
    "milhão": _MILLION, "milhões": _MILLION, "milhao": _MILLION, "milhoes": _MILLION,
    "miljoen": _MILLION, "miljoenen": _MILLION, "miljon": _MILLION, "miljoner": _MILLION,
    "milion": _MILLION, "miliony": _MILLION, "milionów": _MILLION, "milionu": _MILLION,
    "millió": _MILLION, "milionů": _MILLION, "milyon": _MILLION, "млн": _MILLION,
    "миллион": _MILLION, "миллиона": _MILLION, "миллионов": _MILLION, "мільйон": _MILLION,
    "мільйони": _MILLION, "мільйонів": _MILLION,
    "b": _BILLION, "bn": _BILLION, "billion": _BILLION, "billions": _BILLION, "md": _BILLION,
    "mrd": _BILLION, "mld": _BILLION, "milliard": _BILLION, "milliards": _BILLION,
    "milliarde": _BILLION, "milliarden": _BILLION, "miliardi": _BILLION, "miliardo": _BILLION,
    "млрд": _BILLION, "mil millones": _BILLION,
}
# fmt: on
# Where CLDR has no abbreviation but usage is established.
_LANGUAGE_OVERRIDES: dict[str, dict[str, int]] = {
    "en": {"mil": _MILLION},
}
# Larger magnitudes are never member or post counts and their names are the ambiguous ones
# (de "Billion" = 10**12, en "billion" = 10**9).
_MAX_MULTIPLIER = _BILLION

_DIGIT_TABLE: dict[int, str] = {}


def _ascii_digits(text: str) -> str:
    """Map any Unicode decimal digit (Arabic-Indic, Persian, Devanagari, full-width...) to ASCII."""
    if text.isascii():
        return text
    out = []
    for ch in text:
        if ch.isdigit() and not ("0" <= ch <= "9"):
            mapped = _DIGIT_TABLE.get(ord(ch))
            if mapped is None:
                value = unicodedata.digit(ch, None)
                mapped = str(value) if value is not None else ch
                _DIGIT_TABLE[ord(ch)] = mapped
            out.append(mapped)
        else:
            out.append(ch)
    return "".join(out)


@lru_cache(maxsize=256)
def _locale_info(locale: str | None) -> tuple[str | None, str]:
    """Return (decimal symbol or None, language) for a BCP 47 tag; None when unknown."""
    if not locale or not isinstance(locale, str):
        return None, ""
    tag = locale.strip().replace("-", "_")
    try:
        loc = Locale.parse(tag)
    except Exception:  # babel raises several types for unknown or malformed tags
        try:
            loc = Locale.parse(tag.split("_")[0])
        except Exception:  # see above
            return None, ""
    symbols = loc.number_symbols.get("latn", {})
    return symbols.get("decimal", "."), loc.language


@lru_cache(maxsize=64)
def _cldr_multipliers(language: str) -> dict[str, int]:
    """Abbreviations of one language from CLDR's compact decimal formats (short and long)."""
    if not language:
        return {}
    try:
        formats = Locale.parse(language).compact_decimal_formats
    except Exception:  # see above
        return {}
    found: dict[str, int] = {}
    for width in ("short", "long"):
        # Babel's layout: width -> plural category -> magnitude ("1000") -> pattern.
        for by_magnitude in formats.get(width, {}).values():
            for magnitude, pattern in by_magnitude.items():
                text = pattern.pattern.replace("'", "")
                zeros = text.count("0")
                if not zeros:
                    continue
                suffix = text.replace("0", "").strip(_SPACES).rstrip(".").casefold()
                suffix = re.sub(f"[{_SPACES}]+", " ", suffix)
                if not suffix or any(ch.isdigit() for ch in suffix):
                    continue
                multiplier = int(magnitude) // 10 ** (zeros - 1)
                if multiplier > _MAX_MULTIPLIER or multiplier < 10:
                    continue
                found.setdefault(suffix, multiplier)
    return found


@lru_cache(maxsize=64)
def _multipliers(language: str) -> tuple[dict[str, int], re.Pattern[str]]:
    table = dict(_DEFAULT_MULTIPLIERS)
    table.update(_cldr_multipliers(language))
    table.update(_LANGUAGE_OVERRIDES.get(language, {}))
    # CLDR suffixes may contain a no-break space ("mil\u00a0M"); any space may stand for it.
    alternatives = "|".join(
        f"[{_SPACES}]".join(re.escape(word) for word in s.split(" ")) for s in sorted(table, key=len, reverse=True)
    )
    pattern = re.compile(
        rf"[{_SPACES}]?({alternatives})(\.)?(?![{_LETTER}])",
        re.IGNORECASE,
    )
    return table, pattern


class _NotACountError(Exception):
    """The number is there but is not a count (decimal, percentage, negative, too large)."""


def _interpret(body: str, decimal_symbol: str | None, abbreviated: bool) -> Decimal:
    """Turn a matched run of digits and separators into its value."""
    if len(body) > 64:
        raise _NotACountError
    body = _ascii_digits(body)
    parts = re.split(r"(\D)", body)
    groups = parts[0::2]
    seps = parts[1::2]
    if sum(len(g) for g in groups) > _MAX_DIGITS + 6:
        raise _NotACountError
    if not seps:
        return Decimal(body)

    def grouping(groups_: list[str], sep: str) -> str:
        # Indian grouping: 12,34,567 (first 1-2 digits, then pairs, last group of three).
        if (
            sep == ","
            and len(groups_) >= 3
            and 1 <= len(groups_[0]) <= 2
            and len(groups_[-1]) == 3
            and all(len(g) == 2 for g in groups_[1:-1])
        ):
            return "".join(groups_)
        if not 1 <= len(groups_[0]) <= 3 or any(len(g) != 3 for g in groups_[1:]):
            raise _NotACountError
        return "".join(groups_)

    def normalise(sep: str) -> str:
        if sep in _SPACES:
            return " "
        if sep in _APOSTROPHES or sep == _AR_GROUP:
            return "'"
        return sep

    kinds = [normalise(s) for s in seps]
    last = kinds[-1]
    if last == _AR_DECIMAL or (last in ".," and any(k != last for k in kinds[:-1])):
        # The last separator is the decimal mark: it differs from the grouping ones before it.
        head = kinds[:-1]
        if head and len(set(head)) != 1:
            raise _NotACountError
        integer = grouping(groups[:-1], head[0]) if head else groups[0]
        return Decimal(f"{integer}.{groups[-1]}")
    if len(set(kinds)) != 1:
        raise _NotACountError
    if last in " '" or len(kinds) >= 2:
        return Decimal(grouping(groups, last))
    # One '.' or ','.
    fraction = groups[1]
    if abbreviated or len(fraction) != 3 or len(groups[0]) > 3 or groups[0] == "0":
        return Decimal(f"{groups[0]}.{fraction}")
    if decimal_symbol is not None and last == decimal_symbol:
        return Decimal(f"{groups[0]}.{fraction}")
    return Decimal(groups[0] + fraction)


def _scan(text: str, locale: str | None, first_only: bool) -> list[ParsedCount]:
    if not isinstance(text, str) or not text:
        return []
    if not first_only and len(text) > _MAX_SCAN:
        text = text[:_MAX_SCAN]
    decimal_symbol, language = _locale_info(locale)
    table, suffix_re = _multipliers(language)
    results: list[ParsedCount] = []
    for match in _NUMBER_RE.finditer(text):
        start, end = match.span()
        count = _read_one(text, match.group(0), start, end, decimal_symbol, table, suffix_re)
        if first_only:
            return [count] if count is not None else []
        if count is not None:
            results.append(count)
            if len(results) >= _MAX_RESULTS:
                break
    return results


_TIME_JOINERS = ":/"
_DATE_RE = re.compile(r"\d{1,4}[-\u2013]\d{1,2}[-\u2013]\d{1,4}")


def _in_time_or_date(text: str, start: int, end: int) -> bool:
    """True for a part of "13:02", "20/03/2018" or "2018-03-20": a time or a date, no count.

    A single dash joins a range ("2019-2020"), which keeps its two numbers.
    """
    before = start >= 2 and text[start - 1] in _TIME_JOINERS and text[start - 2].isdigit()
    after = end + 1 < len(text) and text[end] in _TIME_JOINERS and text[end + 1].isdigit()
    if before or after:
        return True
    dashed = (start and text[start - 1] in "-\u2013") or (end < len(text) and text[end] in "-\u2013")
    if not dashed:
        return False
    window_start = max(0, start - 8)
    for match in _DATE_RE.finditer(text, window_start, min(len(text), end + 8)):
        if match.start() <= start and end <= match.end():
            return True
    return False


def _read_one(
    text: str,
    body: str,
    start: int,
    end: int,
    decimal_symbol: str | None,
    table: dict[str, int],
    suffix_re: re.Pattern[str],
) -> ParsedCount | None:
    if _in_time_or_date(text, start, end):
        return None
    if start and text[start - 1] in _NEGATIVE_SIGNS:
        before = text[start - 2] if start >= 2 else " "
        if not (before.isalnum() or before in ".,"):
            return None
    multiplier = 1
    suffix = suffix_re.match(text, end)
    if suffix:
        if _AGO_RE.match(text, suffix.end()):
            return None
        multiplier = table[re.sub(f"[{_SPACES}]+", " ", suffix.group(1).casefold())]
        end = suffix.end()
    elif _PERCENT_RE.match(text, end) or _AFTER_LETTER_RE.match(text, end):
        # "30,8 %" is a share and "3rd" or "10px" a word, neither is a count.
        return None
    try:
        value = _interpret(body, decimal_symbol, suffix is not None) * multiplier
    except (_NotACountError, InvalidOperation):
        return None
    if value != value.to_integral_value():
        if suffix is None:
            return None
        value = value.to_integral_value()
    number = int(value)
    if number < 0 or number > MAX_COUNT:
        return None
    approximate = suffix is not None
    plus = _PLUS_RE.match(text, end)
    if plus:
        approximate = True
        end = plus.end()
    hedge = _HEDGE_RE.search(text, max(0, start - 40), start)
    if hedge:
        approximate = True
        start = hedge.start()
    return ParsedCount(number, approximate, text[start:end].strip())


def parse_count(text: str, locale: str | None = None) -> ParsedCount | None:
    """Read the count in ``text`` (its first number), or None.

    ``locale`` is the page language as a BCP 47 tag; it only decides the ambiguous single-separator
    case. None when there is no number, or the first number is not a count: negative, a percentage,
    a fraction ("30,8"), glued to a word ("3rd", "mp3"), above 2**63-1, or malformed. Never raises.
    """
    try:
        found = _scan(text, locale, first_only=True)
    except Exception:  # a parser of crawled text must never take the crawl down
        return None
    return found[0] if found else None


def find_counts(text: str, locale: str | None = None) -> list[ParsedCount]:
    """Every count in ``text``, in order, skipping numbers that are not counts.

    ``"293239 Posts in 62088 Topics by 25798 Members"`` gives three counts. Only the first
    200,000 characters are read and at most 10,000 counts returned. Never raises.
    """
    try:
        return _scan(text, locale, first_only=False)
    except Exception:  # see above
        return []
