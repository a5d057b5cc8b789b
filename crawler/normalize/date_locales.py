"""Localised text dates read the way dateparser reads them, without dateparser's cost.

Used by :mod:`crawler.normalize.dates` after its English fast path and before dateparser itself:
each function answers with dateparser's own result, or ``_NOT_HANDLED`` to pass the text on.
Verified against dateparser 1.5.0 (pinned in pyproject.toml); a locale whose data has another
shape is left to dateparser. tests/test_normalize_dates_localised.py compares every form with
dateparser itself.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from functools import cache, lru_cache

# Returned by a fast path for a text it does not read: dateparser decides.
_NOT_HANDLED = object()


def _fast_datetime(year: int, month: int, day: int, time: tuple[str | None, ...]) -> datetime | None:
    hour_text, minute_text, second_text, meridiem = time
    if not 1900 <= year < 2200:
        return None
    hour = int(hour_text) if hour_text else 0
    minute = int(minute_text) if minute_text else 0
    second = int(second_text) if second_text else 0
    if meridiem:
        if not 1 <= hour <= 12:
            return None
        meridiem = meridiem.lower()
        if meridiem == "pm" and hour < 12:
            hour += 12
        elif meridiem == "am" and hour == 12:
            hour = 0
    try:
        return datetime(year, month, day, hour, minute, second, tzinfo=UTC)
    except ValueError:
        return None


# Localised fast path: the text dates of non-English boards ("20. Mär 2018, 09:29", "mar. 20 mars 2018
# 08:15", "15 de Marzo de 2018, 22:41:02", "Hoy a las 21:10:44", "Сегодня, 10:15"), read the way
# dateparser reads them, from dateparser's own locale data.
#
# dateparser sanitises the text (drops the period after a word, ", в", "г."), then tries the locales
# of the languages passed in its own fixed order (en, ru, es, fr, de, ..., not the order given) and
# reads the text with the first locale whose dictionary knows every word of it, splitting it at the
# longest known word at each word start; when that reading fails it goes on with the next applicable
# locale, and returns None when none applies. A locale translates each word to English ("mär" ->
# "march", "heute" -> "0 day ago", "de" -> nothing) and parses the translation. Here each language
# gets a table built once from dateparser's dictionary of that language (same keys, same
# translations), the text is split and translated the same way, and the translation is read when it
# has one of the English shapes whose reading is known: [weekday] day[.] month year [time],
# [weekday] month day year [time], "N day ago" time. Anything that could change dateparser's reading
# sends the text to dateparser: any other shape (no year, two-digit year, part of the day...), a
# simplification rule or relative pattern of a locale that may apply ("a" -> "1", "vor 3 Std"), a
# time zone name among the words ("wt", "set"), a Roman numeral, letters that dateparser's
# case-insensitive regexes pair with others (σ/ς), dictionary keys with digits or starting with
# punctuation, locales without word spacing or with letter variants.
# tests/test_normalize_dates_localised.py checks every form against dateparser itself.
_LOCAL_CHARS_RE = re.compile(r"(?:[^\W\d_]|[0-9 .,:'\-])+")
# Latin, Greek and Cyrillic, without the spacing modifier letters and combining marks in between.
_LOCAL_SCRIPTS_RE = re.compile(r"[\x20-\x7e\u00c0-\u02af\u0370-\u03ff\u0400-\u052f\u1e00-\u1eff]+")
# What dateparser would split or join in ways not modelled here: a letter glued to a digit (but
# "10:15pm"), an apostrophe or hyphen outside a word, a comma not followed by a space, a period not
# after a digit or followed by anything but a space, a colon not between digits, periods between numbers.
_LOCAL_ODD_RE = re.compile(
    r"[^\W\d_][0-9]|[0-9](?!(?:am|pm)(?![^\W\d_]))[^\W\d_]|(?<![^\W\d_])['\-]|['\-](?![^\W\d_])"
    r"|,(?! )|(?<![0-9])\.|\.(?! |$)|(?<![0-9]):|:(?![0-9])|[0-9]\. ?[0-9]+\. ?[0-9]"
)
_LOCAL_RUN_RE = re.compile(r"[^\W\d_]+")
_DIGITS_SPLIT_RE = re.compile(r"(\d+)")
_WORD_CHAR_RE = re.compile(r"[^\W_]")
# dateparser.date.sanitize_date, for the characters let through here.
_SANITIZE_RU_IN_RE = re.compile(r",\s\u0432\b")
_SANITIZE_RU_YEAR_RE = re.compile(r"([\W\d])\u0433\.")
_SANITIZE_PERIOD_RE = re.compile(r"(?<=[^0-9\s])\.")
_ROMAN_RE = re.compile(r"\bM{1,3}(?:CM|CD|D?C{0,4})(?:XC|XL|L?X{0,4})(?:IX|IV|V?I{0,4})\b")
# dateparser's case-insensitive regexes also match "ı" with "I"; σ and ς match each other.
_LOCAL_FOLD = str.maketrans({"ı": "i"})
_LOCAL_REFUSED = frozenset("σς")
# Compound ordinals that the Russian locale adds up ("20 5" -> "25").
_RU_PAIR_RE = re.compile(r"\b(?:20|30)\s+[1-9]\b")
_EN_MONTHS = (
    "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
    "november", "december",
)  # fmt: skip
_EN_MONTH = "(" + "|".join(_EN_MONTHS) + ")"
_EN_WEEKDAY = "(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
_EN_TIME = r"(?: ([0-9]{1,2}):([0-9]{2})(?::([0-9]{2}))?(?: ?(am|pm))?)?"
_EN_DMY = re.compile(rf"(?:{_EN_WEEKDAY} )?([0-9]{{1,2}})\.? {_EN_MONTH} ([0-9]{{4}}){_EN_TIME}")
_EN_MDY = re.compile(rf"(?:{_EN_WEEKDAY} )?{_EN_MONTH} ([0-9]{{1,2}}) ([0-9]{{4}}){_EN_TIME}")
_EN_DAYS_AGO = re.compile(r"([0-9]) day ago ([0-9]{1,2}):([0-9]{2})(?::([0-9]{2}))?(?: ?(am|pm))?")
# A duration word where the weekday goes (German "Mo" is English "month"): the absolute parser
# cannot read that first word and the relative parser cannot read a month name, so that locale's
# reading fails for sure and dateparser goes on with the next applicable locale.
_EN_FAILS = re.compile(
    rf"(?:month|week|day|second|decade|century|fortnight) [0-9]{{1,2}}\.? {_EN_MONTH} [0-9]{{4}}{_EN_TIME}"
)
# Day, year and time without a month, as left of a split "March 01, 2026, 06:00:00 AM": whichever
# locale reads it, the month or the day comes from the reference date, so without base it is None.
_FRAGMENT_RE = re.compile(r"[0-9]{1,2},? [0-9]{4}(?:,? [0-9]{1,2}:[0-9]{2}(?::[0-9]{2})?(?: ?[ap]m)?)?", re.I)
_FAILS = object()
_TIME_UNITS = frozenset(("century", "decade", "fortnight", "day", "week", "month", "year", "hour", "minute", "second"))


class _Prepared:
    """A text as dateparser's locales see it (sanitised, unaccented, lower case) and its words."""

    __slots__ = ("fold", "runs", "s", "words")

    def __init__(self, s: str) -> None:
        self.s = s
        self.fold = s.translate(_LOCAL_FOLD)
        self.runs = [(match.start(), match.group()) for match in _LOCAL_RUN_RE.finditer(s)]
        self.words = frozenset(run for _start, run in self.runs) | frozenset(_LOCAL_RUN_RE.findall(self.fold))


def _unaccented(text: str) -> str:
    """dateparser.utils.normalize_unicode: NFKD without its combining marks."""
    if text.isascii():
        return text
    import unicodedata

    return "".join(c for c in unicodedata.normalize("NFKD", text) if unicodedata.category(c) != "Mn")


def _local_normalised(s: str) -> _Prepared | None:
    if not _LOCAL_CHARS_RE.fullmatch(s) or _LOCAL_ODD_RE.search(s) or not _LOCAL_REFUSED.isdisjoint(s):
        return None
    prepared = _Prepared(s)
    # A time zone name is cut out of the text when a locale does not apply to it with the name in.
    if not prepared.runs or not prepared.words.isdisjoint(_timezone_names()):
        return None
    return prepared


def _local_prepare(text: str) -> _Prepared | None:
    """``text`` as the locales see it, or None when it holds anything this fast path does not model."""
    text = text.replace("\u2019", "'")
    if not _LOCAL_SCRIPTS_RE.fullmatch(text):
        return None
    if "\u0432" in text:
        text = _SANITIZE_RU_IN_RE.sub(" ", text)
    if "\u0433" in text:
        text = _SANITIZE_RU_YEAR_RE.sub(r"\1 ", text)
    text = _SANITIZE_PERIOD_RE.sub("", " ".join(text.split()))
    if not _LOCAL_CHARS_RE.fullmatch(text) or ("M" in text and _ROMAN_RE.search(text)):
        return None
    return _local_normalised(_unaccented(text).lower())


@lru_cache(maxsize=1)
def _timezone_names() -> frozenset[str]:
    """The time zone abbreviations that dateparser finds between non-word characters ("CET", "wt")."""
    from dateparser.timezones import timezone_info_list

    return frozenset(
        _unaccented(name).lower().translate(_LOCAL_FOLD)
        for info in timezone_info_list
        for name, _offset in info["timezones"]
        if name.isalpha()
    )


_MAX_VARIANTS = 64


def _regex_variants(items: list) -> list[list]:
    """The alternatives of a parsed regex, with its groups inlined and its branches, optional items
    and sets of letters spelled out, as long as they stay few: a text matches the regex if and only
    if it matches one of them."""
    variants: list[list] = [[]]
    for op, av in items:
        name = str(op)
        options: list[list] | None = None
        if name == "SUBPATTERN":
            options = _regex_variants(av[-1])
        elif name == "BRANCH":
            options = [variant for alternative in av[1] for variant in _regex_variants(alternative)]
        elif name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT") and av[0] == 0 and av[1] == 1:
            options = [[], *_regex_variants(av[2])]
        elif name == "IN" and all(str(member) == "LITERAL" for member, _value in av):
            options = [[(member, value)] for member, value in av]
        if options is None or len(variants) * len(options) > _MAX_VARIANTS:
            options = [[(op, av)]]
        variants = [variant + option for variant in variants for option in options]
    return variants


def _regex_atoms(items: list) -> list[tuple[str, str]]:
    """The top-level sequence of a parsed regex: ("lit", char), ("digit"|"nonletter", "") for items
    that match at least one digit / non-letter, ("optional", "") for items that match only
    non-letters or nothing, ("zero", "") for assertions, ("any", "") for the rest."""
    out: list[tuple[str, str]] = []
    for op, av in items:
        name = str(op)
        if name == "LITERAL":
            out.append(("lit", chr(av)))
        elif name == "SUBPATTERN":
            out.extend(_regex_atoms(av[-1]))
        elif name == "ATOMIC_GROUP":
            out.extend(_regex_atoms(av))
        elif name in ("ASSERT", "ASSERT_NOT", "AT"):
            out.append(("zero", ""))
        elif name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            out.append((_regex_kind([_regex_atoms(av[2])], av[0] >= 1), ""))
        elif name == "BRANCH":
            out.append((_regex_kind([_regex_atoms(alternative) for alternative in av[1]], True), ""))
        elif name == "IN":
            out.append((_regex_set_kind(av), ""))
        else:
            out.append(("any", ""))
    return out


def _regex_kind(alternatives: list[list[tuple[str, str]]], mandatory: bool) -> str:
    """The kind of an item made of one of ``alternatives`` (once at least when ``mandatory``)."""
    kinds = set()
    for atoms in alternatives:
        for kind, value in atoms:
            if kind == "any" or (kind == "lit" and value.isalpha()):
                return "any"
        consuming = {"nonletter" if kind == "lit" else kind for kind, _value in atoms} - {"optional", "zero"}
        kinds.add("digit" if consuming == {"digit"} else "nonletter" if consuming else "optional")
    if not mandatory or "optional" in kinds:
        return "optional"
    return "digit" if kinds == {"digit"} else "nonletter"


def _regex_set_kind(members: list) -> str:
    """ "digit", "nonletter" or "any": what a character set of a parsed regex may match."""
    digits_only = True
    for op, av in members:
        name = str(op)
        if name == "LITERAL":
            if chr(av).isalpha():
                return "any"
            digits_only = digits_only and chr(av).isdigit()
        elif name == "CATEGORY":
            if str(av) not in ("CATEGORY_DIGIT", "CATEGORY_SPACE", "CATEGORY_NOT_WORD"):
                return "any"
            digits_only = digits_only and str(av) == "CATEGORY_DIGIT"
        elif name == "RANGE":
            low, high = av
            if high - low > 4096 or any(chr(c).isalpha() for c in range(low, high + 1)):
                return "any"
            digits_only = digits_only and all(chr(c).isdigit() for c in range(low, high + 1))
        else:
            return "any"
    return "digit" if digits_only else "nonletter"


def _regex_needs(pattern: str, edges_bounded: bool) -> list[tuple[frozenset[str], str, bool]] | None:
    """For each alternative of ``pattern`` (case-insensitive), what a text must hold for it to match:
    the runs of letters that must be whole words of the text, the longest literal that must be in it,
    and whether a digit must; None when the pattern is not understood. ``edges_bounded``: the
    pattern only matches between non-word characters."""
    try:
        from re import _parser  # type: ignore[attr-defined]

        variants = _regex_variants(list(_parser.parse(pattern)))
    except Exception:  # syntax of the regex module that re does not parse
        return None
    return [_regex_atoms_needs(_regex_atoms(variant), edges_bounded) for variant in variants]


def _regex_atoms_needs(atoms: list[tuple[str, str]], edges_bounded: bool) -> tuple[frozenset[str], str, bool]:
    def bounded(index: int, step: int) -> bool:
        index += step
        while 0 <= index < len(atoms):
            kind, value = atoms[index]
            if kind in ("digit", "nonletter") or (kind == "lit" and not value.isalpha()):
                return True
            if kind not in ("zero", "optional"):
                return False
            index += step
        return edges_bounded

    whole: set[str] = set()
    literals: list[str] = []
    letters: list[str] = []
    text: list[str] = []
    start = 0
    for index, (kind, value) in enumerate([*atoms, ("any", "")]):
        if kind == "zero":
            continue
        if kind == "lit" and value.isalpha():
            if not letters:
                start = index
            letters.append(value)
        elif letters:
            if bounded(start, -1) and bounded(index - 1, 1):
                whole.add("".join(letters).lower().translate(_LOCAL_FOLD))
            letters = []
        if kind == "lit":
            text.append(value)
        elif text:
            literals.append("".join(text).lower().translate(_LOCAL_FOLD))
            text = []
    longest = max(literals, key=len, default="")
    return frozenset(whole), longest, any(kind == "digit" for kind, _value in atoms)


class _PatternFilter:
    """Cheap test of whether any of a locale's patterns may match a text: none may unless the text
    holds what one of them needs."""

    __slots__ = ("by_word", "others")

    def __init__(self, patterns: Sequence[str], edges_bounded: bool) -> None:
        self.by_word: dict[str, list[tuple[frozenset[str], str]]] = {}
        self.others: list[str] = []
        for pattern in patterns:
            for whole, literal, _digit in _regex_needs(pattern, edges_bounded) or [(frozenset(), "", False)]:
                if whole:
                    self.by_word.setdefault(max(whole, key=len), []).append((whole, literal))
                else:
                    self.others.append(literal)

    def may_match(self, prepared: _Prepared) -> bool:
        words, fold = prepared.words, prepared.fold
        for word in words:
            for whole, literal in self.by_word.get(word, ()):
                if whole <= words and literal in fold:
                    return True
        return any(literal in fold for literal in self.others)


class _LocaleTable:
    """One dateparser language, as its locale splits, checks and translates text."""

    __slots__ = (
        "conflicts", "digit_keys", "first_chars", "locale", "longer", "months", "no_spacing", "odd_keys",
        "relative", "relative_filter", "russian", "settings", "simplifications", "translatable", "words",
    )  # fmt: skip

    def __init__(self, code: str) -> None:
        from dateparser.conf import settings
        from dateparser.languages.dictionary import PARENTHESES_PATTERN
        from dateparser.languages.loader import LocaleDataLoader

        locale = LocaleDataLoader().get_locale(code)
        # Applicability is decided without the Arabic/Persian letter variants, translation with them.
        native = locale._native
        dictionary = native._get_dictionary(settings)
        translating = locale._get_dictionary(settings)
        self.settings = settings
        self.locale = native
        self.words: dict[str, str | None] = {key: dictionary[key] for key in dictionary}
        # Keys longer than their first word ("a las", "aujourd'hui", "segunda-feira"), longest first.
        self.longer: dict[str, list[str]] = {}
        odd: list[str] = []
        for key in sorted(self.words, key=len, reverse=True):
            match = _LOCAL_RUN_RE.match(key)
            if match is None:
                if len(key) > 1:
                    odd.append(key)
            elif match.end() < len(key):
                self.longer.setdefault(match.group(), []).append(key)
        self.odd_keys = tuple(odd)
        self.digit_keys = frozenset(key for key in self.words if any(c.isdigit() for c in key))
        self.no_spacing = bool(dictionary._no_word_spacing)
        self.first_chars: dict[str, list[str]] = {}
        for key in sorted(self.words, key=len, reverse=True):
            self.first_chars.setdefault(key[0], []).append(key)
        self.conflicts: dict[str, str] = dict(translating._weekday_month_conflicts)
        self.months = frozenset(translating._month_translations)
        self.russian = native.info.get("name") == "ru"
        simplifications = [next(iter(rule)) for rule in native._generate_simplifications(normalize=True)]
        self.simplifications = _PatternFilter(simplifications, edges_bounded=not self.no_spacing)
        relative = [PARENTHESES_PATTERN.sub("", key) for key in dictionary._relative_strings]
        self.relative = dictionary._get_split_relative_regex_cache() if relative else None
        self.relative_filter = _PatternFilter(relative, edges_bounded=not self.no_spacing)
        # The relative patterns also translate whole words; none may read a word or a number alone.
        needs = [_regex_needs(pattern, False) for pattern in dictionary._relative_strings]
        self.translatable = (
            not locale._translates_letters
            and not self.no_spacing
            and all(
                variants is not None
                and all(digit and any(c.isalpha() for c in literal) for _w, literal, digit in variants)
                for variants in needs
            )
        )

    def applies(self, prepared: _Prepared, rules: bool = True) -> list[tuple[int, int, str]] | None | object:
        """The words (start, end, dictionary key) the locale splits the text into when it knows all of
        them, None when it does not know one, ``_NOT_HANDLED`` when unsure."""
        s = prepared.s
        if self.odd_keys and any(key in s for key in self.odd_keys):
            return _NOT_HANDLED
        if rules:
            simplified = self.simplified(prepared)
            if simplified is not None and simplified != s:
                # Another text for this locale: fine only if the locale does not apply to it.
                other = _local_normalised(simplified)
                return None if other is not None and self.applies(other, rules=False) is None else _NOT_HANDLED
        if self.relative is not None and self.relative_filter.may_match(prepared) and self.relative.search(s):
            return _NOT_HANDLED
        if self.no_spacing:
            return self._applies_without_spacing(s)
        words, longer, tokens = self.words, self.longer, []
        runs, index, end = prepared.runs, 0, len(s)
        while index < len(runs):
            start, run = runs[index]
            key = None
            for candidate in longer.get(run, ()):
                stop = start + len(candidate)
                if s.startswith(candidate, start) and (stop == end or not s[stop].isalpha()):
                    key = candidate
                    break
            if key is None:
                if run not in words:
                    return None
                key = run
            if key in self.digit_keys:
                return _NOT_HANDLED
            stop = start + len(key)
            tokens.append((start, stop, key))
            index += 1
            while index < len(runs) and runs[index][0] < stop:
                index += 1
        return tokens

    def simplified(self, prepared: _Prepared) -> str | None:
        """The text after this locale's simplification rules, or None when none can apply."""
        if self.simplifications.may_match(prepared) or (self.russian and _RU_PAIR_RE.search(prepared.s)):
            return self.locale._simplify(prepared.s, settings=self.settings)
        return None

    def _applies_without_spacing(self, s: str) -> None | object:
        """A locale without word spacing takes the first key found anywhere; what lies between keys
        must be numbers or keys too. Its reading is left to dateparser."""
        position, end, first = 0, len(s), self.first_chars
        while position < end:
            found = key = None
            for index in range(position, end):
                key = next((key for key in first.get(s[index], ()) if s.startswith(key, index)), None)
                if key is not None:
                    found = index
                    break
            for piece in _DIGITS_SPLIT_RE.split(s[position : end if found is None else found]):
                if piece and not piece.isdigit() and _WORD_CHAR_RE.search(piece) and piece not in self.words:
                    return None
            if found is None or key is None:
                break
            position = found + len(key)
        return _NOT_HANDLED

    def reading(self, prepared: _Prepared, tokens: list[tuple[int, int, str]], base: datetime | None) -> object:
        """The locale's reading of the text: a datetime, None, ``_FAILS`` or ``_NOT_HANDLED``."""
        s, words, conflicts = prepared.s, self.words, self.conflicts
        # A weekday abbreviation that is also a month's ("mar") is the weekday when a month is there.
        has_month = any(key in self.months and key not in conflicts for _start, _stop, key in tokens)
        values = [conflicts[key] if has_month and key in conflicts else words[key] for _start, _stop, key in tokens]
        if "in" in values:
            # dateparser drops the first "in" of a text without a unit of time ("en" in Spanish).
            if values.count("in") > 1 or not _TIME_UNITS.isdisjoint(values):
                return _NOT_HANDLED
            values[values.index("in")] = None
        pieces, position = [], 0
        for (start, stop, _key), value in zip(tokens, values, strict=True):
            pieces.append(s[position:start])
            pieces.append(value or "")
            position = stop
        pieces.append(s[position:])
        english = " ".join("".join(pieces).replace(",", " ").split())
        return _read_english(english, base)


def _read_english(text: str, base: datetime | None) -> object:
    match = _EN_DMY.fullmatch(text)
    if match:
        day, month, year = int(match.group(1)), _EN_MONTHS.index(match.group(2)) + 1, int(match.group(3))
        parsed = _fast_datetime(year, month, day, match.groups()[3:])
        return _NOT_HANDLED if parsed is None else parsed
    match = _EN_MDY.fullmatch(text)
    if match:
        month, day, year = _EN_MONTHS.index(match.group(1)) + 1, int(match.group(2)), int(match.group(3))
        parsed = _fast_datetime(year, month, day, match.groups()[3:])
        return _NOT_HANDLED if parsed is None else parsed
    match = _EN_DAYS_AGO.fullmatch(text)
    if match:
        if base is None:
            # Relative; None without base, but only for a time that the relative parser reads.
            return None if _fast_datetime(2000, 1, 1, match.groups()[1:]) is not None else _NOT_HANDLED
        day = base.astimezone(UTC).date() - timedelta(days=int(match.group(1)))
        parsed = _fast_datetime(day.year, day.month, day.day, match.groups()[1:])
        return _NOT_HANDLED if parsed is None else parsed
    if _EN_FAILS.fullmatch(text):
        return _FAILS
    return _NOT_HANDLED


@cache
def _locale_table(code: str) -> _LocaleTable | None:
    try:
        return _LocaleTable(code)
    except Exception:  # another dateparser version: leave that language to dateparser
        return None


@lru_cache(maxsize=128)
def _locale_order(languages: tuple[str, ...]) -> tuple[str, ...]:
    """The order in which dateparser tries the locales of ``languages``: its own, not the given one."""
    from dateparser.data.languages_info import language_order

    position = {language: index for index, language in enumerate(language_order)}
    return tuple(sorted(languages, key=lambda language: position.get(language, len(position))))


@lru_cache(maxsize=128)
def _plain_meridiem(languages: tuple[str, ...]) -> bool:
    """Whether no locale of ``languages`` translates "am" or "pm" to anything but themselves."""
    tables = [_locale_table(code) for code in languages]
    return all(table is not None and table.words.get("am", "am") == "am" for table in tables) and all(
        table is not None and table.words.get("pm", "pm") == "pm" for table in tables
    )


def _fragment_stays(text: str, languages: tuple[str, ...]) -> bool:
    """Whether no simplification rule of the locales of ``languages`` rewrites ``text``."""
    prepared = _Prepared(text.lower())
    for code in languages:
        table = _locale_table(code)
        if table is None or table.simplified(prepared) not in (None, prepared.s):
            return False
    return True


def _fast_localised(text: str, base: datetime | None, languages: tuple[str, ...]) -> object:
    """The datetime dateparser would give ``text`` with ``languages``, None, or ``_NOT_HANDLED``."""
    match = _FRAGMENT_RE.fullmatch(text)
    if match:
        # Without a month word (nor a rule that writes one), every reading takes a part of the date
        # from the reference date, so the two probes of _dateparse disagree.
        if base is None and _plain_meridiem(languages) and _fragment_stays(text, languages):
            return None
        return _NOT_HANDLED
    if not _LOCAL_RUN_RE.search(text):
        return _NOT_HANDLED
    prepared = _local_prepare(text)
    if prepared is None:
        return _NOT_HANDLED
    failed = False
    for code in _locale_order(languages):
        table = _locale_table(code)
        if table is None:
            return _NOT_HANDLED
        tokens = table.applies(prepared)
        if tokens is None:
            continue
        if tokens is _NOT_HANDLED or not table.translatable:
            return _NOT_HANDLED
        reading = table.reading(prepared, tokens, base)  # type: ignore[arg-type]
        if reading is _FAILS:
            failed = True
            continue
        return reading
    # When every reading fails, dateparser tries the other meanings of ambiguous words.
    return _NOT_HANDLED if failed else None
