"""The statistics phrases of forum engines, read from their own language packs.

Every forum engine prints its statistics and who-is-online blocks through its language pack:
phpBB's ``TOTAL_TOPICS`` is ``"Всего тем: <strong>%d</strong>"`` in Russian and ``"<strong>%d</strong>
sujets"`` in French; MyBB's ``stats_posts_threads`` is one sentence with two numbers. The phrases
of each pack are kept as data in ``crawler/normalize/label_packs/<engine>.json``, each language with
the repository, path and commit it was read from, and each phrase key mapped to a *role*: a metric
name of ``crawler.extraction.METRICS``, one of the online split roles (:data:`SPLIT_ROLES`), or
listed as ignored with the reason (records, headings, a person's name).

Two readers are built from them:

- :func:`pack_role` maps a printed label to its role: the words the pack prints right before or
  right after the number ("Всего тем", "sujets"), so both orders are read. A label that two keys of
  one language share with different roles ("Toplam" before every Turkish count) is ambiguous and
  dropped; the other side of the number then decides.
- :func:`phrase_counts` matches whole phrases (several numbers in one sentence, in the pack's
  order) in a text and returns each number with its role.

Matching folds case, accents and punctuation as :mod:`crawler.normalize.labels` does.
"""

from __future__ import annotations

import html
import json
import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from typing import Any

from crawler.normalize.numbers import ParsedCount, parse_count

# Roles of the online block that are no metric of their own: the parts of online_now.
SPLIT_ROLES = frozenset({"online_members", "online_guests", "online_hidden", "online_bots"})
# What a pack prints after the board's name in the index page's <title> ("Foren-Übersicht").
PAGE_SUFFIX = "page_suffix"
# What a pack appends to the board's time zone when daylight saving time is on ("[ Sommerzeit ]").
DST_MARKER = "dst_marker"
# Roles of words that count nothing: never labels of a number.
NON_COUNT_ROLES = frozenset({PAGE_SUFFIX, DST_MARKER})
# Every role a key may have, besides a metric name.
OTHER_ROLES = SPLIT_ROLES | NON_COUNT_ROLES
ENGINES = ("phpbb", "smf", "mybb", "vbulletin", "xenforo", "nodebb", "flarum", "invision")

_TAG_RE = re.compile(r"<[^>]*>")
# %d, %1$d, %s, %2$s (phpBB, SMF), {1} (MyBB), {count} / {{count}} (XenForo, Flarum), %1 (NodeBB).
_PLACEHOLDER_RE = re.compile(r"%(?:\d+\$)?[ds]|\{\{?\s*[\w.]+\s*\}?\}|%\d+")
_NUMERIC_RE = re.compile(r"%(?:\d+\$)?d|\{\{?\s*(?:\d+|count|num\w*|total\w*|\w*_count)\s*\}?\}|%\d+")
_STRIP_PUNCT = re.compile(r"[\W_]+")
_TRANSLITERATE = str.maketrans({"ł": "l", "ø": "o", "đ": "d", "ı": "i", "æ": "ae", "œ": "oe"})
# Separators between the entries of a statistics line; kept in the folded text as one barrier.
_BARRIERS = frozenset("•·|;\u2022\u00b7\u25cf\u2219")
_BARRIER = "|"
_GROUP_CHARS = ".,\u00a0\u202f\u2009\u066c "
_NUMBER = r"(\d(?:[\d.,\u066c]|\s(?=\d{3}(?!\d)))*)"


def _fold_char(ch: str) -> str:
    folded = unicodedata.normalize("NFKD", ch.casefold())
    return "".join(c for c in folded if not unicodedata.combining(c)).translate(_TRANSLITERATE)


# What fold_mapped writes for a character outside a digit group, by character: a page uses a few
# hundred distinct characters, and Unicode normalisation of each one was most of the folding time.
_PIECES: dict[str, str] = {}
_MAX_PIECES = 65_536


def _piece(ch: str) -> str:
    piece = _PIECES.get(ch)
    if piece is None:
        if ch in _BARRIERS:
            piece = _BARRIER  # "43722 • Tilmeldte brugere": no phrase reads across a bullet
        else:
            folded = _fold_char(ch)
            piece = folded if folded and all(c.isalnum() for c in folded) else " "
        if len(_PIECES) < _MAX_PIECES:
            _PIECES[ch] = piece
    return piece


def fold_mapped(text: str) -> tuple[str, list[int]]:
    """:func:`fold` of ``text`` that keeps digit groups ("1.234") and maps each character back.

    ``positions[i]`` is the index in ``text`` of folded character ``i``, so a match in the folded
    text gives back the words the page printed.
    """
    out: list[str] = []
    positions: list[int] = []
    append, place = out.append, positions.append
    last = len(text) - 1
    for index, ch in enumerate(text):
        if ch in "'\u2019":
            continue
        if ch in _GROUP_CHARS and out and out[-1].isdigit() and index < last and text[index + 1].isdigit():
            folded = ch
        else:
            folded = _piece(ch)
        for c in folded:
            if (c == " " or c == _BARRIER) and (not out or out[-1] == c):
                continue
            append(c)
            place(index)
    while out and out[-1] == " ":
        out.pop()
        positions.pop()
    return "".join(out), positions


def fold(text: str) -> str:
    """Case-, accent- and punctuation-insensitive form of a label (as in the label table)."""
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).translate(_TRANSLITERATE)
    text = text.replace("'", "").replace("\u2019", "")
    return " ".join(_STRIP_PUNCT.sub(" ", text).split())


@dataclass(frozen=True)
class Phrase:
    """One phrase template of a pack: its key, the role of each numeric placeholder, its regex."""

    engine: str
    language: str
    key: str
    template: str
    roles: tuple[str, ...]
    pattern: re.Pattern[str] | None
    # The literal words the pattern matches verbatim: a text lacking one cannot match (a quick test
    # before the regex, since most of a pack's phrases are absent from any one text).
    needles: tuple[str, ...] = ()


@dataclass(frozen=True)
class PhraseCount:
    """A number read through a pack phrase: its role, the count and the text it was read from."""

    role: str
    count: ParsedCount
    key: str
    snippet: str


def _plain(template: str) -> str:
    return " ".join(html.unescape(_TAG_RE.sub(" ", template)).split())


@cache
def pack(engine: str) -> dict[str, Any]:
    """The raw pack data of one engine (``label_packs/<engine>.json``); {} when there is none."""
    try:
        text = resources.files("crawler.normalize").joinpath("label_packs", f"{engine}.json").read_text("utf-8")
    except (FileNotFoundError, OSError):
        return {}
    return json.loads(text)


def key_roles(engine: str, key: str) -> tuple[str, ...]:
    """The roles of a key's numeric placeholders, in order; () for an ignored or unknown key."""
    role = pack(engine).get("keys", {}).get(key)
    if role is None:
        return ()
    return tuple(role) if isinstance(role, list) else (role,)


@cache
def keys_with_roles(engine: str, roles: frozenset[str]) -> frozenset[str]:
    """The keys of an engine whose numbers all have one of ``roles`` (the online block's keys)."""
    return frozenset(key for key in pack(engine).get("keys", {}) if set(key_roles(engine, key)) - {"-", "~"} <= roles)


def base_language(language: str | None) -> str | None:
    """``"pt-BR@3.0"`` -> ``"pt"``; ``"de_DE"`` -> ``"de"``."""
    if not language:
        return None
    return re.split(r"[-_@]", language.strip(), maxsplit=1)[0].lower() or None


def _placeholder_roles(plain: str, roles: tuple[str, ...]) -> list[str] | None:
    """The role of every placeholder of a template: a role, ``"-"`` (a word) or ``"~"`` (a number, no metric).

    A key lists either one role per placeholder (MyBB's nine-part ``online_note``) or one role per
    *numeric* placeholder (phpBB's ``%d`` among ``%s`` sub-phrases). None when the template does not
    fit its key (a translator dropped a placeholder).
    """
    found = list(_PLACEHOLDER_RE.finditer(plain))
    if len(roles) == len(found) and len(found) > 1:
        return list(roles)
    numeric = [_NUMERIC_RE.fullmatch(m.group(0)) is not None for m in found]
    if sum(numeric) != len(roles):
        return None
    queue = iter(roles)
    return [next(queue) if is_number else "-" for is_number in numeric]


def _regex(plain: str, roles: list[str]) -> tuple[re.Pattern[str] | None, tuple[str, ...]]:
    """A regex over folded text for a template (numbers captured, words between them skipped), and
    the literal words it requires."""
    parts: list[str] = []
    needles: list[str] = []
    position = 0
    matches = list(_PLACEHOLDER_RE.finditer(plain))
    tail = fold(plain[matches[-1].end() :]) if matches else ""
    last_number = max((i for i, role in enumerate(roles) if role != "-"), default=-1)
    for index, (match, role) in enumerate(zip(matches, roles, strict=True)):
        literal = fold(plain[position : match.start()])
        if literal:
            needles.extend(literal.split(" "))
            parts.append(r"\s*".join(re.escape(word) for word in literal.split(" ")))
        if index > last_number and match.group(0).endswith("s"):
            # phpBB's "… online :: %2$s and %3$s": the sub-phrases after the total are phrases of
            # their own (REG_USERS_TOTAL, GUEST_USERS_TOTAL), read apart; the total's phrase ends
            # with the words right after its number.
            tail = ""
            break
        if role != "-":
            parts.append(_NUMBER)
        elif index == len(matches) - 1 and not tail:
            parts.append(r"(?:[^\d\s|]+)")  # a closing word ("… and 117 guests"): one word
        else:
            parts.append(r"(?:[^\d|]{0,80}?)")
        position = match.end()
    if tail:
        needles.extend(tail.split(" "))
        parts.append(r"\s*".join(re.escape(word) for word in tail.split(" ")))
    if all(role == "-" for role in roles):
        return None, ()
    return re.compile(r"(?<!\w)" + r"\s*".join(parts)), tuple(dict.fromkeys(needles))


@cache
def phrases(engine: str) -> tuple[Phrase, ...]:
    """Every mapped phrase of an engine's packs, in every language."""
    data = pack(engine)
    out = []
    for language, entry in data.get("packs", {}).items():
        for key, templates in entry.get("phrases", {}).items():
            roles = key_roles(engine, key)
            if not roles:
                continue
            for template in templates:
                plain = _plain(template)
                if roles[0] in NON_COUNT_ROLES or not _PLACEHOLDER_RE.search(plain):
                    if len(roles) == 1:  # a bare label ("Beiträge"): read by pack_role only
                        out.append(Phrase(engine, language, key, template, roles, None))
                    continue
                placed = _placeholder_roles(plain, roles)
                if placed is None:
                    continue
                numbered = tuple(role for role in placed if role != "-")
                pattern, needles = _regex(plain, placed)
                out.append(Phrase(engine, language, key, template, numbered, pattern, needles))
    return tuple(out)


def _sides(plain: str, placed: list[str]) -> list[tuple[str, str]]:
    """``(before, after)`` label words of each number placeholder, cut at the neighbouring placeholders."""
    matches = list(_PLACEHOLDER_RE.finditer(plain))
    sides = []
    for index, (match, role) in enumerate(zip(matches, placed, strict=True)):
        if role == "-":
            continue
        start = matches[index - 1].end() if index else 0
        end = matches[index + 1].start() if index + 1 < len(matches) else len(plain)
        before = re.split(r"::|[(),;:|\n]", plain[start : match.start()].rstrip(" :\u00a0"))[-1]
        after = re.split(r"::|[(),;:|\n]", plain[match.end() : end])[0]
        sides.append((fold(before), fold(after)))
    return sides


@cache
def _label_index(only: str | None = None) -> dict[str, dict[str, frozenset[str]]]:
    """language -> folded label -> its roles in the packs (of one engine, or of all of them)."""
    index: dict[str, dict[str, set[str]]] = {}
    for engine in (only,) if only else ENGINES:
        for phrase in phrases(engine):
            if phrase.roles[0] in NON_COUNT_ROLES:
                continue
            table = index.setdefault(base_language(phrase.language) or "", {})
            plain = _plain(phrase.template)
            placed = _placeholder_roles(plain, key_roles(engine, phrase.key)) if phrase.pattern else None
            if placed is None:
                labels = [(fold(plain), phrase.roles[0])]
            else:
                labels = [
                    (label, role)
                    for (before, after), role in zip(_sides(plain, placed), phrase.roles, strict=True)
                    for label in (before, after)
                    if role != "~"
                ]
            for label, role in labels:
                if label and len(label) <= 80:
                    table.setdefault(label, set()).add(role)
    return {language: {k: frozenset(v) for k, v in table.items()} for language, table in index.items()}


@cache
def _all_languages(only: str | None = None) -> dict[str, frozenset[str]]:
    merged: dict[str, set[str]] = {}
    for table in _label_index(only).values():
        for label, roles in table.items():
            merged.setdefault(label, set()).update(roles)
    return {k: frozenset(v) for k, v in merged.items()}


def pack_labels(language: str | None = None, engine: str | None = None) -> dict[str, str]:
    """Folded label -> role of every unambiguous pack label (of one language, or of all of them)."""
    table = _label_index(engine).get(base_language(language) or "", {}) if language else _all_languages(engine)
    return {k: next(iter(v)) for k, v in table.items() if len(v) == 1}


@lru_cache(maxsize=8192)
def pack_roles(label: str, language: str | None = None, engine: str | None = None) -> frozenset[str]:
    """Every role a printed label has in the packs: the page's language first, then any language.

    With ``engine``, that engine's packs decide first ("Users" is SMF's members online and
    NodeBB's members); a label unknown to them is looked up in every engine's packs.
    """
    key = fold(label or "")
    if not key:
        return frozenset()
    base = base_language(language)
    for only in (engine, None) if engine else (None,):
        table = _label_index(only).get(base or "", {})
        if key in table:
            return table[key]
        found = _all_languages(only).get(key)
        if found:
            return found
    return frozenset()


def pack_role(label: str, language: str | None = None, engine: str | None = None) -> str | None:
    """The role of a printed statistics label in the engines' packs, or None when unknown/ambiguous.

    The page's language is tried first, then every language (a board often keeps its pack's
    language while declaring another in ``<html lang>``). A word two keys print with two roles
    ("Toplam" before every Turkish count) is ambiguous: None, the other side of the number decides.
    """
    roles = pack_roles(label, language, engine)
    return next(iter(roles)) if len(roles) == 1 else None


def online_sum_roles(engine: str) -> frozenset[str]:
    """The split roles whose sum is the online total when the pack prints no total.

    phpBB's registered count excludes the hidden ones ("12 registered, 0 hidden and 441 guests");
    SMF's users include them ("3 Users (1 Hidden)"): the pack data says which (``online_sum``).
    """
    roles = pack(engine).get("online_sum")
    return frozenset(roles) if roles else SPLIT_ROLES


def phrase_counts(
    engine: str, text: str, language: str | None = None, keys: frozenset[str] | None = None
) -> list[PhraseCount]:
    """Every number of ``text`` read through one of ``engine``'s pack phrases, with its role.

    A board prints one pack: each pack (a language, or the 3.0 wording of one) reads the text on
    its own, longest phrases first, a stretch of text read once; the pack that reads the most
    numbers wins, the page's language first on a tie. Folding drops punctuation, so "label: N"
    and "N label" phrases of two packs may both fit one text: only one pack's reading is kept.
    ``keys`` restricts the phrases used.
    """
    text = (text or "")[:20_000]
    folded, positions = fold_mapped(text)
    if not folded or not any(ch.isdigit() for ch in folded):
        return []
    base = base_language(language)
    numbers = number_locale(engine, language)
    best: list[PhraseCount] = []
    best_score: tuple[int, bool] = (0, False)
    for _pack_name, name_base, candidates in _phrases_by_pack(engine, keys):
        present = [phrase for phrase in candidates if all(needle in folded for needle in phrase.needles)]
        found = _read_with(present, text, folded, positions, numbers) if present else []
        score = (len(found), name_base == base)
        if score > best_score:
            best, best_score = found, score
    return best


@cache
def _phrases_by_pack(
    engine: str, keys: frozenset[str] | None
) -> tuple[tuple[str, str | None, tuple[Phrase, ...]], ...]:
    """(pack name, its base language, its phrases with a pattern, longest first), in pack order."""
    by_pack: dict[str, list[Phrase]] = {}
    for phrase in phrases(engine):
        if phrase.pattern is not None and (keys is None or phrase.key in keys):
            by_pack.setdefault(phrase.language, []).append(phrase)
    return tuple(
        (name, base_language(name), tuple(sorted(candidates, key=lambda p: -len(p.template))))
        for name, candidates in by_pack.items()
    )


def _read_with(
    candidates: list[Phrase], text: str, folded: str, positions: list[int], language: str | None
) -> list[PhraseCount]:
    taken: list[tuple[int, int]] = []
    out: list[PhraseCount] = []
    for phrase in candidates:
        assert phrase.pattern is not None
        for match in phrase.pattern.finditer(folded):
            if any(match.start() < end and start < match.end() for start, end in taken):
                continue
            groups = range(1, len(match.groups()) + 1)
            raws = [text[positions[match.start(g)] : positions[match.end(g) - 1] + 1] for g in groups]
            counts = [parse_count(raw, language) for raw in raws]
            if any(c is None or c.approximate for c in counts):
                continue
            taken.append((match.start(), match.end()))
            snippet = " ".join(text[positions[match.start()] : positions[match.end() - 1] + 1].split())
            for role, count in zip(phrase.roles, counts, strict=True):
                assert count is not None
                if role != "~":
                    out.append(PhraseCount(role, count, phrase.key, snippet))
    out.sort(key=lambda item: text.find(item.snippet))
    return out


@cache
def page_suffixes() -> frozenset[str]:
    """Folded index-page title segments of every pack ("foren ubersicht", "список форумов")."""
    return _words_of(PAGE_SUFFIX)


@cache
def dst_markers() -> frozenset[str]:
    """Folded daylight-saving markers of every pack ("sommerzeit", "летнее время", "dst")."""
    return _words_of(DST_MARKER)


def _words_of(role: str) -> frozenset[str]:
    out = set()
    for engine in ENGINES:
        for phrase in phrases(engine):
            if phrase.roles == (role,):
                plain = _PLACEHOLDER_RE.sub(" ", _plain(phrase.template))
                for segment in re.split(r"\s+[-|–—:]\s+", plain):
                    if fold(segment):
                        out.add(fold(segment))
    return frozenset(out)


def number_locale(engine: str | None, language: str | None) -> str | None:
    """The locale to read an engine's statistics counts in: None for the forum engines.

    Their counts are integers printed with a group separator that is not always the page
    language's: phpBB prints ``%d`` as is, MyBB uses the board's own settings (default "1,234",
    whatever the language pack; ``numbers_follow_language: false`` in its pack data), SMF,
    vBulletin and XenForo the separators of their language pack, which translators set as they
    like ("474,796" on Spanish boards as often as "474.796"). None of them prints a fractional
    count, so one separator before three digits groups them: read with no locale, "145,397" is
    145397 on a Spanish board too, where the Spanish decimal comma would make it no count at all.
    Other engines read in the page's language.
    """
    if engine in ENGINES or pack(engine or "").get("numbers_follow_language") is False:
        return None
    return language
