"""The engines' language packs (crawler/normalize/label_packs): conformance, both orders, number formats.

Conformance: every phrase key of every pack is mapped to a role (a metric, an online split role,
the page-title suffix) or listed as ignored with its reason; every mapped phrase, filled with
numbers, is read back with those numbers in those roles; every bare label is read as its role
unless another key of the same language prints the same word with another role.
"""

from __future__ import annotations

import re
from collections import defaultdict

import pytest

from crawler.extraction import METRICS
from crawler.normalize import packs
from crawler.normalize.numbers import parse_count
from crawler.platforms.html import online_count

ENGINES_WITH_PACKS = [engine for engine in packs.ENGINES if packs.pack(engine)]
ROLES = set(METRICS) | packs.OTHER_ROLES | {"-", "~"}
# The list of languages, where the engine publishes them (phpBB has no uk, zh, ko pack here).
PHPBB_LANGUAGES = {"de", "es", "fr", "it", "pt", "nl", "pl", "cs", "ru", "tr", "ja", "ar", "el", "sv", "da", "fi",
                   "hu", "ro", "ca"}  # fmt: skip
NODEBB_LANGUAGES = {"de", "es", "fr", "pl", "ru", "uk", "tr", "ja", "zh", "ko", "ar", "el", "sv", "da", "fi", "hu",
                    "ro"}  # fmt: skip


def _entries():
    for engine in ENGINES_WITH_PACKS:
        for language, entry in packs.pack(engine)["packs"].items():
            yield engine, language, entry


def test_packs_cover_the_engines_and_languages():
    assert ENGINES_WITH_PACKS == ["phpbb", "smf", "mybb", "nodebb", "flarum"]
    languages = {
        engine: {packs.base_language(name) for name in packs.pack(engine)["packs"]} for engine in ENGINES_WITH_PACKS
    }
    assert languages["phpbb"] >= PHPBB_LANGUAGES
    assert languages["nodebb"] >= NODEBB_LANGUAGES


@pytest.mark.parametrize("engine", ENGINES_WITH_PACKS)
def test_every_key_is_mapped_or_ignored_with_a_reason(engine):
    data = packs.pack(engine)
    keys, ignored = data["keys"], data["ignored"]
    assert not set(keys) & set(ignored)
    assert all(isinstance(reason, str) and len(reason) > 5 for reason in ignored.values())
    for role in keys.values():
        assert set(role if isinstance(role, list) else [role]) <= ROLES, role
    for language, entry in data["packs"].items():
        unmapped = set(entry["phrases"]) - set(keys) - set(ignored)
        assert not unmapped, f"{engine}/{language}: {sorted(unmapped)}"


@pytest.mark.parametrize("engine", ENGINES_WITH_PACKS)
def test_every_pack_says_where_it_came_from(engine):
    for language, entry in packs.pack(engine)["packs"].items():
        source = entry["source"]
        assert source["repository"].startswith("https://github.com/"), language
        assert re.fullmatch(r"[0-9a-f]{40}", source["commit"]), language
        assert source["path"] and source["version"] and re.fullmatch(r"\d{4}-\d\d-\d\d", source["committed"])


def _filled(plain: str, placed: list[str]) -> tuple[str, dict[str, int]]:
    numbers = iter(range(1001, 9999, 7))
    out, expect, position = [], {}, 0
    for match, role in zip(packs._PLACEHOLDER_RE.finditer(plain), placed, strict=True):
        out.append(plain[position : match.start()])
        if role == "-":
            out.append("abc")
        else:
            value = next(numbers)
            out.append(str(value))
            if role != "~":
                expect.setdefault(role, value)
        position = match.end()
    out.append(plain[position:])
    return "".join(out), expect


def _phrase_cases():
    for engine, language, entry in _entries():
        for key, templates in entry["phrases"].items():
            roles = packs.key_roles(engine, key)
            if not roles or roles[0] in packs.NON_COUNT_ROLES:
                continue
            for template in templates:
                plain = packs._plain(template)
                if packs._PLACEHOLDER_RE.search(plain):
                    yield engine, language, key, plain, roles


PHRASES = list(_phrase_cases())


def test_there_are_hundreds_of_phrases():
    assert len(PHRASES) > 400


@pytest.mark.parametrize(("engine", "language", "key", "plain", "roles"), PHRASES)
def test_every_phrase_is_read_back_in_its_roles(engine, language, key, plain, roles):
    placed = packs._placeholder_roles(plain, roles)
    assert placed is not None, "the template does not fit its key's roles"
    text, expect = _filled(plain, placed)
    got: dict[str, int] = {}
    for item in packs.phrase_counts(engine, text, language, keys=frozenset({key})):
        got.setdefault(item.role, item.count.value)
    assert got == expect, text


def test_bare_labels_are_their_role_unless_shared_with_another_role():
    # Every word a pack prints next to a number (or alone), with the roles it has in its language.
    shared: dict[tuple[str, str], set[str]] = defaultdict(set)
    bare = []
    for engine, language, entry in _entries():
        base = packs.base_language(language) or ""
        for key, templates in entry["phrases"].items():
            roles = packs.key_roles(engine, key)
            if not roles or roles[0] in packs.NON_COUNT_ROLES:
                continue
            for template in templates:
                plain = packs._plain(template)
                placed = packs._placeholder_roles(plain, roles) if packs._PLACEHOLDER_RE.search(plain) else None
                if placed is None:
                    shared[(base, packs.fold(plain))].add(roles[0])
                    bare.append((language, plain, roles[0]))
                    continue
                numbered = [role for role in placed if role != "-"]
                for (before, after), role in zip(packs._sides(plain, placed), numbered, strict=True):
                    for label in (before, after):
                        if label and role != "~":
                            shared[(base, label)].add(role)
    assert len(bare) > 300
    ambiguous = 0
    for language, plain, role in bare:
        found = packs.pack_role(plain, language)
        if len(shared[(packs.base_language(language) or "", packs.fold(plain))]) > 1:
            assert found is None, plain  # "Users" is members in NodeBB, members online in SMF
            ambiguous += 1
        else:
            assert found == role, (language, plain)
    assert ambiguous < len(bare) // 5


@pytest.mark.parametrize(
    ("language", "label", "role"),
    [
        ("ru", "Всего тем", "topics"),
        ("fr", "sujets", "topics"),
        ("fr", "membres", None),  # phpBB's members, MyBB's members online: the block decides
        ("tr", "mesaj", "posts"),
        ("de", "Mitglieder insgesamt", "members"),
        ("ru", "гостей", "online_guests"),
        ("ru", "зарегистрированных", "online_members"),
        ("es", "invitados", "online_guests"),
        ("ja", "全トピック数", "topics"),
        ("zh", "主题", "topics"),
        ("tr", "Toplam", None),  # before every Turkish count: ambiguous, the words after decide
    ],
)
def test_labels_on_either_side_of_the_number(language, label, role):
    assert packs.pack_role(label, language) == role


@pytest.mark.parametrize(
    ("engine", "language", "text", "total", "members", "guests"),
    [
        # phpBB 3.0 subsilver2, Russian (the "… of them registered: M, guests: K")
        ("phpbb", "ru", "Сейчас посетителей на конференции: 17, из них зарегистрированных: 3, скрытых: 0 и гостей: 14",
         17, 3, 14),
        ("phpbb", "fr", "Au total, il y a 453 utilisateurs en ligne :: 12 inscrits, 0 invisible et 441 invités",
         453, 12, 441),
        ("phpbb", "tr", "Toplam 20 kullanıcı çevrimiçi :: 5 kayıtlı, 1 gizli ve 14 misafir", 20, 5, 14),
        ("phpbb", "de", "Insgesamt sind 1.204 Besucher online :: 40 sichtbare, 4 unsichtbare und 1.160 Gäste",
         1204, None, 1160),
        ("mybb", "es", "", None, None, None),
        ("mybb", "en", "25 users active in the past 15 minutes (3 members, 1 of whom is invisible, and 22 guests).",
         25, 3, 22),
        # A page in another language than it declares: the phrases of every language are tried.
        ("phpbb", "en", "Всего 31 посетитель :: 2 зарегистрированных, 0 скрытых и 29 гостей", 31, 2, 29),
    ],
)  # fmt: skip
def test_online_totals_and_their_split(engine, language, text, total, members, guests):
    online = online_count(engine, text, language)
    if total is None:
        assert online is None
        return
    assert (online.total, online.members, online.guests) == (total, members, guests)


def test_a_line_with_only_the_split_gives_its_sum():
    online = online_count("phpbb", "12 inscrits, 0 invisible et 441 invités", "fr")
    assert (online.total, online.summed) == (453, True)


def test_the_record_is_never_online_now():
    text = "Le record du nombre d’utilisateurs en ligne est de 1 204, le 20 mars 2018"
    assert online_count("phpbb", text, "fr") is None


@pytest.mark.parametrize(
    ("engine", "language", "raw", "value", "approximate"),
    [
        ("phpbb", "de", "43722", 43722, False),  # phpBB prints %d: no grouping in any language
        ("phpbb", "ru", "1204", 1204, False),
        ("vbulletin", "de", "1.234.567", 1234567, False),  # vb_number_format with the pack's separators
        ("vbulletin", "es", "474.796", 474796, False),
        ("vbulletin", "es", "474,796", 474796, False),  # a Spanish pack that kept the English separators
        ("vbulletin", "en", "71,199", 71199, False),
        ("xenforo", "fr", "1\u202f234", 1234, False),  # XenForo fr: narrow no-break space
        ("xenforo", "ru", "12\u00a0345", 12345, False),
        ("xenforo", "de", "2.206", 2206, False),
        ("xenforo", "en", "2.206", 2206, False),  # a German board behind lang="en"
        ("smf", "de", "1.234", 1234, False),  # SMF comma_format, German number_format 1.234,00
        ("smf", "en", "1,234", 1234, False),
        ("mybb", "es", "145,397", 145397, False),  # MyBB's own setting, default "1,234", in every language
        ("mybb", "pl", "12 345", 12345, False),
        ("nodebb", "en", "1.2k", 1200, True),  # NodeBB abbreviates its counts
        ("flarum", "en", "12.3K", 12300, True),  # the afrux widget abbreviates too
        ("invision", "de", "1.234", 1234, False),
        ("mybb", "es", "127.55", None, None),  # posts per day: a decimal is never a count
    ],
)
def test_engine_number_formats(engine, language, raw, value, approximate):
    parsed = parse_count(raw, packs.number_locale(engine, language))
    if value is None:
        assert parsed is None
    else:
        assert (parsed.value, parsed.approximate) == (value, approximate), engine


def test_the_page_language_decides_outside_the_forum_engines():
    assert packs.number_locale("discourse", "de") == "de"
    assert packs.number_locale("mybb", "es") is None
