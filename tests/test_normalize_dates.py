"""Exact-value tests for crawler.normalize.dates: every date form to UTC ISO 8601."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from crawler.normalize.dates import to_utc_iso

BASE = datetime(2024, 5, 10, 12, 0, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        # unix seconds: XenForo data-time, JSON numbers
        (1521537840, "2018-03-20T09:24:00+00:00"),
        ("1521537840", "2018-03-20T09:24:00+00:00"),
        (" 1521537840 ", "2018-03-20T09:24:00+00:00"),
        (1521537840.75, "2018-03-20T09:24:00+00:00"),
        ("1521537840.75", "2018-03-20T09:24:00+00:00"),
        # JavaScript milliseconds
        (1521537840000, "2018-03-20T09:24:00+00:00"),
        # ISO 8601
        ("2018-03-20T09:24:00Z", "2018-03-20T09:24:00+00:00"),
        ("2018-03-20T09:24:00.123Z", "2018-03-20T09:24:00+00:00"),
        ("2018-03-20T09:24:00+01:00", "2018-03-20T08:24:00+00:00"),
        ("2018-03-20T09:24:00-0500", "2018-03-20T14:24:00+00:00"),
        ("2018-03-20T09:24:00", "2018-03-20T09:24:00+00:00"),
        ("2018-03-20 09:24:00", "2018-03-20T09:24:00+00:00"),
        ("2018-03-20", "2018-03-20T00:00:00+00:00"),
        # RFC 2822 (RSS)
        ("Tue, 20 Mar 2018 09:24:00 +0000", "2018-03-20T09:24:00+00:00"),
        ("Tue, 20 Mar 2018 10:24:00 +0100", "2018-03-20T09:24:00+00:00"),
        ("Tue, 20 Mar 2018 09:24:00 GMT", "2018-03-20T09:24:00+00:00"),
        ("20 Mar 2018 09:24:00 +0000", "2018-03-20T09:24:00+00:00"),
        # datetimes: naive is UTC
        (datetime(2018, 3, 20, 9, 24, 0, 123456), "2018-03-20T09:24:00+00:00"),
        (datetime(2018, 3, 20, 10, 24, tzinfo=timezone(timedelta(hours=1))), "2018-03-20T09:24:00+00:00"),
    ],
)
def test_machine_readable(value: object, expected: str) -> None:
    assert to_utc_iso(value) == expected  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("value", "languages", "expected"),
    [
        ("20 Mar 2018, 09:29", ["en"], "2018-03-20T09:29:00+00:00"),
        ("20 Mar 2018, 09:29", None, "2018-03-20T09:29:00+00:00"),
        ("Tue Mar 20, 2018 9:29 am", ["en"], "2018-03-20T09:29:00+00:00"),
        ("March 20, 2018", ["en"], "2018-03-20T00:00:00+00:00"),
        ("21. Januar 2022", ["de"], "2022-01-21T00:00:00+00:00"),
        ("21. Januar 2022", None, "2022-01-21T00:00:00+00:00"),
        ("21. Januar 2022, 14:51 Uhr", ["de-DE"], "2022-01-21T14:51:00+00:00"),
        ("20 mars 2018 à 09:29", ["fr"], "2018-03-20T09:29:00+00:00"),
        ("20 de marzo de 2018", ["es"], "2018-03-20T00:00:00+00:00"),
        ("20 marca 2018", ["pl"], "2018-03-20T00:00:00+00:00"),
        ("20 марта 2018", ["ru"], "2018-03-20T00:00:00+00:00"),
        ("20.03.2018", ["de"], "2018-03-20T00:00:00+00:00"),
    ],
)
def test_absolute_text(value: str, languages: list[str] | None, expected: str) -> None:
    assert to_utc_iso(value, languages=languages) == expected
    # An absolute date does not depend on base.
    assert to_utc_iso(value, base=BASE, languages=languages) == expected


@pytest.mark.parametrize(
    ("value", "languages", "expected"),
    [
        ("Today at 06:16:11 PM", ["en"], "2024-05-10T18:16:11+00:00"),
        ("Today at 06:16:11 AM", ["en"], "2024-05-10T06:16:11+00:00"),
        ("Yesterday", ["en"], "2024-05-09T12:00:00+00:00"),
        ("Yesterday at 10:15 PM", ["en"], "2024-05-09T22:15:00+00:00"),
        ("1 hour ago", ["en"], "2024-05-10T11:00:00+00:00"),
        ("1 hour ago", None, "2024-05-10T11:00:00+00:00"),
        ("47 minutes ago", ["en"], "2024-05-10T11:13:00+00:00"),
        ("Aujourd'hui à 14:02", ["fr"], "2024-05-10T14:02:00+00:00"),
        ("il y a 3 jours", ["fr"], "2024-05-07T12:00:00+00:00"),
        ("hace 2 horas", ["es"], "2024-05-10T10:00:00+00:00"),
        ("Heute, 10:02", ["de"], "2024-05-10T10:02:00+00:00"),
        ("Gestern um 10:00", ["de"], "2024-05-09T10:00:00+00:00"),
        ("вчера в 10:15", ["ru"], "2024-05-09T10:15:00+00:00"),
        ("2 dni temu", ["pl"], "2024-05-08T12:00:00+00:00"),
        ("20 Mar", ["en"], "2024-03-20T00:00:00+00:00"),
    ],
)
def test_relative_text_needs_base(value: str, languages: list[str] | None, expected: str) -> None:
    assert to_utc_iso(value, base=BASE, languages=languages) == expected
    assert to_utc_iso(value, languages=languages) is None


def test_naive_base_is_utc() -> None:
    assert to_utc_iso("1 hour ago", base=datetime(2024, 5, 10, 12, 0)) == "2024-05-10T11:00:00+00:00"


def test_aware_base_in_other_zone() -> None:
    base = datetime(2024, 5, 10, 14, 0, tzinfo=timezone(timedelta(hours=2)))
    assert to_utc_iso("1 hour ago", base=base) == "2024-05-10T11:00:00+00:00"


@pytest.mark.parametrize(
    "value",
    [
        "1985-01-01",
        "1989-12-31T23:59:59Z",
        0,
        "0",
        "2024-05-13T00:00:00Z",  # more than two days after BASE
        "2099-01-01",
        -5,
        float("nan"),
        float("inf"),
        10**30,
        "9" * 40,
        "garbage",
        "",
        "   ",
        None,
        True,
        False,
        "2018-13-45",
        "2018-02-30T25:61:00Z",
        "Tue, 99 Foo 2018 99:99:99 +0000",
        "x" * 10_000_000,
        "\x00\x01\ufffd",
        "日本語のテキストです",
        [2018, 3, 20],
        {"date": "2018-03-20"},
    ],
)
def test_rejected(value: object) -> None:
    assert to_utc_iso(value, base=BASE) is None  # type: ignore[arg-type]


def test_future_limit_follows_base() -> None:
    assert to_utc_iso("2024-05-12T11:00:00Z", base=BASE) == "2024-05-12T11:00:00+00:00"
    assert to_utc_iso("2024-05-12T13:00:00Z", base=BASE) is None
    # Without base the limit is two days after now.
    soon = datetime.now(UTC) + timedelta(days=1)
    assert to_utc_iso(soon.replace(microsecond=0)) == soon.replace(microsecond=0).isoformat()
    assert to_utc_iso(datetime.now(UTC) + timedelta(days=3)) is None


def test_unknown_languages_fall_back() -> None:
    assert to_utc_iso("20 Mar 2018, 09:29", languages=["xx", "und"]) == "2018-03-20T09:29:00+00:00"


def test_hostile_input_gives_no_date() -> None:
    # How long this takes is measured by bench/bench_hostile.py, not asserted here.
    assert to_utc_iso("x" * 10_000_000) is None
    assert to_utc_iso("1" * 10_000_000) is None
    assert to_utc_iso("ago " * 40, base=BASE) is None
