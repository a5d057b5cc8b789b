"""Exact-value tests for crawler.normalize.numbers: counts in every format sites print."""

from __future__ import annotations

import pytest

from crawler.normalize.numbers import ParsedCount, find_counts, parse_count

EXACT = [
    # raw integers and en grouping (phpBB, SMF, XenForo, vBulletin, MyBB, IPS)
    ("43722", 43722),
    ("327,402", 327402),
    ("4,757,013", 4757013),
    ("19,068,558", 19068558),
    ("0", 0),
    # de/it/es/pt/nl grouping
    ("1.234.567", 1234567),
    # fr/ru/pl spaces: plain, no-break, narrow no-break, thin
    ("1 234", 1234),
    ("1\u00a0234", 1234),
    ("1\u202f234", 1234),
    ("1\u2009234", 1234),
    ("12\u202f345\u202f678", 12345678),
    # de-CH apostrophes
    ("1\u2019234", 1234),
    ("1'234'567", 1234567),
    # Indian grouping
    ("12,34,567", 1234567),
    ("1,00,00,000", 10000000),
    # Arabic-Indic and Persian digits, Arabic separator
    ("\u0664\u0663\u0667\u0662\u0662", 43722),
    ("\u06f1\u06f2\u06f3\u06f4", 1234),
    ("\u0661\u066c\u0662\u0663\u0664", 1234),
    # Devanagari and full-width digits are decimal digits too
    ("\u0967\u0968\u0969", 123),
    ("\uff11\uff12\uff13", 123),
    # a fraction of zero is still a whole count
    ("1.234,00", 1234),
    ("1,234.00", 1234),
    # surrounding label text
    ("Members: 1,234", 1234),
    ("Total posts 43722", 43722),
    ("(5555)", 5555),
    ("Users online: 5555", 5555),
    ("2**63-1 = 9223372036854775807", 2),
    ("9223372036854775807", 2**63 - 1),
]


@pytest.mark.parametrize(("text", "value"), EXACT)
def test_exact_counts(text: str, value: int) -> None:
    parsed = parse_count(text)
    assert parsed is not None
    assert parsed.value == value
    assert parsed.approximate is False


APPROXIMATE = [
    ("12,3k", 12300, "12,3k"),
    ("1.2K", 1200, "1.2K"),
    ("12K", 12000, "12K"),
    ("1,2 k", 1200, "1,2 k"),
    ("3.4M", 3400000, "3.4M"),
    ("3,4 M", 3400000, "3,4 M"),
    ("1,2 Mio.", 1200000, "1,2 Mio."),
    ("2 mil", 2000, "2 mil"),
    ("over 5 million", 5000000, "over 5 million"),
    ("plus de 250 000", 250000, "plus de 250 000"),
    ("más de 2 millones", 2000000, "más de 2 millones"),
    ("über 1,5 Millionen", 1500000, "über 1,5 Millionen"),
    ("ponad 3 tys.", 3000, "ponad 3 tys."),
    ("более 10 тыс.", 10000, "более 10 тыс."),
    ("oltre 2 milioni", 2000000, "oltre 2 milioni"),
    ("mais de 1,5 milhão", 1500000, "mais de 1,5 milhão"),
    ("meer dan 3 miljoen", 3000000, "meer dan 3 miljoen"),
    ("10k+", 10000, "10k+"),
    ("1,000+", 1000, "1,000+"),
    ("~5000", 5000, "~5000"),
    ("about 1.5 billion", 1500000000, "about 1.5 billion"),
    ("Over 5 million members", 5000000, "Over 5 million"),
    ("2 lakh", 200000, "2 lakh"),
    ("1.2万", 12000, "1.2万"),
    ("3 mil millones", 3000000000, "3 mil millones"),
    ("rund 1.234 Mitglieder", 1234, "rund 1.234"),
]


@pytest.mark.parametrize(("text", "value", "raw"), APPROXIMATE)
def test_approximate_counts(text: str, value: int, raw: str) -> None:
    assert parse_count(text) == ParsedCount(value, True, raw)


NOT_COUNTS = [
    "",
    "   ",
    "garbage",
    "no numbers here",
    "30,8%",
    "30,8 %",
    "12%",
    "-5",
    "\u22125",
    "(-12)",
    "1.5",
    "4,5",
    "1,234.56",
    "2.1.1",
    "1.2.3.4",
    "9223372036854775808",
    "12345678901234567890123",
    "3rd",
    "10px",
    "5m ago",
    "1,2,3",
    "12,3456",
]


@pytest.mark.parametrize("text", NOT_COUNTS)
def test_not_counts(text: str) -> None:
    assert parse_count(text) is None


def test_negative_sign_check_keeps_ranges_and_dates() -> None:
    # "- 5" with a space is a list bullet or dash, not a sign; only a glued sign makes a negative.
    assert parse_count("- 5") == ParsedCount(5, False, "5")
    assert [c.value for c in find_counts("2019-2020")] == [2019, 2020]


def test_non_string_input() -> None:
    assert parse_count(None) is None  # type: ignore[arg-type]
    assert parse_count(1234) is None  # type: ignore[arg-type]
    assert find_counts(None) == []  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "locale", "expected"),
    [
        # Ambiguous single separator: the locale decides, then the groups-of-three rule.
        ("1.234", "de", 1234),
        ("1.234", "de-DE", 1234),
        ("1.234", "fr", 1234),
        ("1.234", "pt_BR", 1234),
        ("1.234", "es", 1234),
        ("1.234", "it", 1234),
        ("1.234", "nl", 1234),
        ("1.234", None, 1234),
        ("1.234", "en", None),
        ("1.234", "de-CH", None),
        ("1,234", "en", 1234),
        ("1,234", "en-US", 1234),
        ("1,234", "de-CH", 1234),
        ("1,234", None, 1234),
        ("1,234", "de", None),
        ("1,234", "fr", None),
        ("1,234", "ru", None),
        ("1,234", "pl", None),
        # Unambiguous forms do not depend on the locale.
        ("1.234.567", "en", 1234567),
        ("1,234,567", "de", 1234567),
        ("1 234", "en", 1234),
        ("1\u202f234", "fr", 1234),
        ("1\u00a0234\u00a0567", "ru", 1234567),
        # Malformed or unknown locales are ignored.
        ("1.234", "xx-garbage", 1234),
        ("1.234", "", 1234),
        ("1.234", "!!", 1234),
    ],
)
def test_locale_decides_ambiguous_separator(text: str, locale: str | None, expected: int | None) -> None:
    parsed = parse_count(text, locale)
    assert (parsed.value if parsed else None) == expected


@pytest.mark.parametrize(
    ("text", "locale", "expected"),
    [
        # CLDR compact forms of the page language.
        ("2 mil", "en", 2000000),
        ("2 mil", "es", 2000),
        ("2 mil", "pt", 2000),
        ("5 B", "en", 5000000000),
        ("5 B", "tr", 5000),
        ("3 Md", "fr", 3000000000),
        ("3 Mrd.", "de", 3000000000),
        ("12 тыс.", "ru", 12000),
        ("1,5 mln", "pl", 1500000),
        ("4 mila", "it", 4000),
        ("7 ezer", "hu", 7000),
        ("1.2k", "de", 1200),
        ("1,2k", "en", 1200),
    ],
)
def test_locale_abbreviations(text: str, locale: str, expected: int) -> None:
    parsed = parse_count(text, locale)
    assert parsed is not None
    assert parsed.value == expected
    assert parsed.approximate is True


def test_raw_is_trimmed_source_text() -> None:
    assert parse_count("  Members:\u00a0 1\u202f234  ") == ParsedCount(1234, False, "1\u202f234")


def test_find_counts_sentence() -> None:
    assert find_counts("293239 Posts in 62088 Topics by 25798 Members") == [
        ParsedCount(293239, False, "293239"),
        ParsedCount(62088, False, "62088"),
        ParsedCount(25798, False, "25798"),
    ]


def test_find_counts_mybb_sentence_skips_non_counts() -> None:
    text = "Our members have made a total of 4,757,013 posts in 327,402 threads. 30,8% active; v2.1.1"
    assert [c.value for c in find_counts(text)] == [4757013, 327402]


def test_find_counts_mixed_formats() -> None:
    text = "Mitglieder: 1.234 · Beiträge: über 1,5 Millionen · Online: 12"
    assert find_counts(text, "de") == [
        ParsedCount(1234, False, "1.234"),
        ParsedCount(1500000, True, "über 1,5 Millionen"),
        ParsedCount(12, False, "12"),
    ]


def test_find_counts_space_joins_only_groups_of_three() -> None:
    # A space only groups after a 1-3 digit head, so a year next to a count stays two numbers.
    assert [c.value for c in find_counts("2019 123 users, 12 345 posts")] == [2019, 123, 12345]
    assert [c.value for c in find_counts("1234 567")] == [1234, 567]


def test_find_counts_mixed_scripts() -> None:
    text = "Участники: 1\u00a0234 • 会员 5678 • \u0627\u0644\u0623\u0639\u0636\u0627\u0621 \u0661\u0662\u0663"
    assert [c.value for c in find_counts(text)] == [1234, 5678, 123]


def test_find_counts_empty_and_garbage() -> None:
    assert find_counts("") == []
    assert find_counts("\x00\x01\ufffd") == []


HUGE = [
    ("9" * 10_000_000, None, []),
    ("lorem ipsum " * 900_000, None, []),
    # parse_count reads the whole text; find_counts only its first 200,000 characters.
    ("lorem ipsum " * 900_000 + "42", ParsedCount(42, False, "42"), []),
    ("1," * 5_000_000, None, []),
    ("1.2" * 3_000_000, None, []),
    ("\u0661\u066c" * 5_000_000, None, []),
    ("k" * 10_000_000, None, []),
]


@pytest.mark.parametrize(("text", "first", "found"), HUGE, ids=range(len(HUGE)))
def test_huge_inputs(text: str, first: ParsedCount | None, found: list[ParsedCount]) -> None:
    # How long this takes is measured by bench/bench_hostile.py, not asserted here.
    assert parse_count(text) == first
    assert find_counts(text) == found


def test_find_counts_bounds_its_results() -> None:
    assert len(find_counts("1 2 3 4 5 6 7 8 9 " * 600_000)) == 10_000


def test_markup_is_not_a_hedge() -> None:
    assert parse_count("<b>5000</b>") == ParsedCount(5000, False, "5000")


def test_parse_count_answers_the_same_when_repeated() -> None:
    # The cost per call, warm, is measured by bench/bench_hostile.py, not asserted here.
    for _ in range(3):
        assert parse_count("Mitglieder: 1.234.567", "de") == ParsedCount(1234567, False, "1.234.567")
        assert parse_count("12,3k") == ParsedCount(12300, True, "12,3k")


@pytest.mark.parametrize(
    "text",
    ["13:02 Зарегистрированные пользователи", "20/03/2018 members", "2018-03-20 members", "at 10:45 users online"],
)
def test_times_and_dates_are_no_counts(text) -> None:
    # A phpBB record line ("… 03 июн 2015, 13:02 Зарегистрированные пользователи") once gave members 2.
    assert [c.value for c in find_counts(text)] == []
