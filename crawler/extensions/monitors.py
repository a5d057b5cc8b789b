"""Judge every run at its end (``crawler.ops.monitors``) and record how it ended in ``run_events``.

``spider_closed`` fires after the item pipelines closed, so the store pipeline has flushed its last
batch and written the run's counts: the monitors see the complete run in the database. The verdict
goes to ``runs`` and to the crawl stats (``tremplin/monitor_status``), which ``tremplin crawl``
turns into its exit code.
"""

from __future__ import annotations

import logging
from typing import Any

from scrapy import signals
from scrapy.exceptions import NotConfigured

from crawler.ops.monitors import MonitorConfig, judge_run
from crawler.ops.runs import add_event, mark_interrupted
from crawler.storage import open_database

logger = logging.getLogger(__name__)


class RunMonitors:
    """Extension running the data-quality monitors when the spider closes."""

    def __init__(self, crawler: Any, config: MonitorConfig) -> None:
        self.crawler = crawler
        self.config = config

    @classmethod
    def from_crawler(cls, crawler: Any) -> RunMonitors:
        if not crawler.settings.getbool("TREMPLIN_MONITORS_ENABLED", True):
            raise NotConfigured
        extension = cls(crawler, MonitorConfig.from_settings(crawler.settings))
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def spider_closed(self, spider: Any, reason: str) -> None:
        stats = self.crawler.stats
        run_id = stats.get_value("tremplin/run_id")
        path = self.crawler.settings.get("TREMPLIN_DB")
        if not run_id or not path:
            return
        db = open_database(path)
        try:
            if reason == "finished":
                add_event(db, run_id, "finished")
            else:
                mark_interrupted(db, run_id, f"stopped: {reason}")
            status, reasons, _ = judge_run(db, run_id, self.config)
        finally:
            db.close()
        stats.set_value("tremplin/monitor_status", status)
        stats.set_value("tremplin/monitor_reasons", reasons)
        if status == "ok":
            logger.info("monitors: run %s is ok", run_id)
        else:
            logger.warning("monitors: run %s is %s: %s", run_id, status, "; ".join(reasons))
