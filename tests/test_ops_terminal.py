"""The quiet terminal's filter: what an operator sees of each kind of log record, and in how many lines."""

from __future__ import annotations

import logging
import sqlite3

from scrapy.exceptions import CannotResolveHostError

from crawler.items import CommunityItem
from crawler.ops.terminal import OneLineFormatter, QuietFilter, brief_item


def record(name: str, level: int, message: str = "m", exc: BaseException | None = None) -> logging.LogRecord:
    exc_info = (type(exc), exc, exc.__traceback__) if exc else None
    return logging.LogRecord(name, level, __file__, 1, message, None, exc_info)


def shown(level: str, *records: logging.LogRecord) -> list[bool]:
    quiet = QuietFilter(logging.getLevelName(level))
    return [quiet.filter(r) for r in records]


def test_what_the_quiet_terminal_keeps():
    records = (
        record("scrapy.middleware", logging.INFO, "Enabled extensions: ..."),  # the settings dumps
        record("scrapy.statscollectors", logging.INFO, "Dumping Scrapy stats"),
        record("scrapy.core.downloader", logging.WARNING, "Received more bytes than download warn size"),
        record("scrapy.downloadermiddlewares.retry", logging.ERROR, "Gave up retrying <GET https://x.org/>"),
        record("crawler.middlewares.robots", logging.ERROR, "Error downloading", CannotResolveHostError("x.org")),
        record("scrapy.core.scraper", logging.ERROR, "Error processing", sqlite3.OperationalError("disk is full")),
        record("scrapy.core.scraper", logging.ERROR, "Spider error processing", KeyError("bug")),
        record("tremplin.sites", logging.WARNING, "https://x.org/ unreachable: dns"),
        record("tremplin.progress", logging.INFO, "progress: 1/5 sites done"),
        record("communities", logging.INFO, "fetch error dns on https://x.org/"),
    )
    assert shown("WARNING", *records) == [False, False, True, False, False, False, True, True, True, False]
    assert shown("INFO", *records)[-1] is True  # Tremplin's own INFO lines, on request
    assert shown("INFO", *records)[:2] == [False, False]  # never Scrapy's chatter: --verbose is for that
    assert shown("ERROR", *records)[7:9] == [False, True]  # site lines hidden, progress lines still asked for


def test_an_unexpected_exception_is_one_line():
    try:
        raise KeyError("nope")
    except KeyError as exc:
        line = OneLineFormatter().format(record("scrapy.core.scraper", logging.ERROR, "Spider error processing", exc))
    assert "\n" not in line and "Traceback" not in line
    assert line.endswith(
        "[scrapy.core.scraper] ERROR: Spider error processing (KeyError: 'nope'; --verbose shows the traceback)"
    )


def test_items_are_named_briefly():
    assert (
        brief_item(CommunityItem(id="club.example.org", url="https://club.example.org/"))
        == "CommunityItem club.example.org"
    )
