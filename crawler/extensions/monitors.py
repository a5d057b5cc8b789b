"""The end of a single crawl's run: why it stopped, then the monitors' verdict.

The store pipeline opens and closes the run (``crawler.ops.runs``: ``open_run``, ``close_run``); only
``spider_closed`` knows why the crawl stopped, and it fires after the item pipelines closed, so the
last batch is stored: here that reason is recorded (``record_end``: finished, or interrupted) and the
monitors see the complete run in the database. The verdict goes to ``runs`` and to the crawl stats
(``tremplin/monitor_status``), which ``tremplin crawl`` turns into its exit code.

A storage error (disk full, a database gone bad) while items are stored ends the crawl at once:
every further item would be lost the same way. The reason goes to ``tremplin/failure``, the run is
closed ``failed`` with it, and a failed run is not judged.
"""

from __future__ import annotations

import logging
import re
import sqlite3
from typing import Any

from scrapy import signals
from scrapy.utils.defer import deferred_from_coro

from crawler.ops.monitors import MonitorConfig, judge_run
from crawler.ops.runs import REFUSED_WRITES, fail_run, record_end, storage_failure
from crawler.storage import open_database

logger = logging.getLogger(__name__)
STORAGE_ERRORS = (sqlite3.Error, OSError)


class RunMonitors:
    """Extension running the data-quality monitors when the spider closes."""

    def __init__(self, crawler: Any, config: MonitorConfig, enabled: bool) -> None:
        self.crawler = crawler
        self.config = config
        self.enabled = enabled

    @classmethod
    def from_crawler(cls, crawler: Any) -> RunMonitors:
        enabled = crawler.settings.getbool("TREMPLIN_MONITORS_ENABLED", True)
        extension = cls(crawler, MonitorConfig.from_settings(crawler.settings), enabled)
        crawler.signals.connect(extension.item_error, signal=signals.item_error)
        crawler.signals.connect(extension.item_scraped, signal=signals.item_scraped)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def item_error(self, item: Any, response: Any, spider: Any, failure: Any) -> None:
        if isinstance(failure.value, STORAGE_ERRORS):
            self._stop(storage_failure(failure.value))

    def item_scraped(self, item: Any, response: Any, spider: Any) -> None:
        # The store pipeline keeps every item it can and records each one it cannot as an error row;
        # when the database refuses even that row, it refuses every write (a full disk): stop here.
        if self.crawler.stats.get_value("tremplin/store/unrecorded_failures"):
            self._stop(self._database_words() or REFUSED_WRITES)

    def _database_words(self) -> str | None:
        """The database's own reason (``database or disk is full``), from the error rows it still took."""
        run_id, path = self.crawler.stats.get_value("tremplin/run_id"), self.crawler.settings.get("TREMPLIN_DB")
        try:
            conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
            try:
                row = conn.execute(
                    "SELECT message FROM fetch_errors WHERE run_id = ? AND error = 'store_failed' "
                    "ORDER BY at DESC, rowid DESC LIMIT 1",
                    [run_id],
                ).fetchone()
            finally:
                conn.close()
        except sqlite3.Error:
            return None
        # The pipeline writes "not stored: <exception type>: <message>".
        return f"storage error: {re.sub(r'^not stored: [A-Za-z]+: ', '', row[0])}" if row and row[0] else None

    def _stop(self, reason: str) -> None:
        if self.crawler.stats.get_value("tremplin/failure"):
            return
        self.crawler.stats.set_value("tremplin/failure", reason)
        logger.error("stopping the crawl: %s", reason)
        deferred_from_coro(self.crawler.engine.close_spider_async(reason="storage_error"))

    def spider_closed(self, spider: Any, reason: str) -> None:
        stats = self.crawler.stats
        run_id = stats.get_value("tremplin/run_id")
        path = self.crawler.settings.get("TREMPLIN_DB")
        # The store pipeline closed the run; a failed run (or one it could not close) is not judged.
        if not run_id or not path or stats.get_value("tremplin/run_status") != "finished":
            return
        try:
            db = open_database(path)
            try:
                stats.set_value("tremplin/run_status", record_end(db, run_id, reason))
                if not self.enabled:
                    return
                status, reasons, _ = judge_run(db, run_id, self.config)
            finally:
                db.close()
        except STORAGE_ERRORS as exc:
            failure = storage_failure(exc, stats.get_value("tremplin/failure"))
            stats.set_value("tremplin/failure", failure)
            stats.set_value("tremplin/run_status", "failed" if fail_run(path, run_id, failure) else "running")
            logger.error("the run could not be judged: %s", failure)
            return
        stats.set_value("tremplin/monitor_status", status)
        stats.set_value("tremplin/monitor_reasons", reasons)
        # The summary at the end of the crawl shows the verdict and its reasons; the log keeps them too.
        logger.info("monitors: run %s is %s%s", run_id, status, "".join(f"; {r}" for r in reasons))
