"""Show a crawl's progress: live on a terminal (``rich``), periodic log lines otherwise, then a summary.

``TREMPLIN_PROGRESS``: ``auto`` (live display when standard output is a terminal, log lines when it
is not, as under cron or systemd), ``live``, ``log`` or ``off``. ``TREMPLIN_PROGRESS_INTERVAL``:
seconds between log lines (default 60). The summary table is printed to standard output when the
engine stops, after the monitors have judged the run.
"""

from __future__ import annotations

import logging
import sys
import time
from typing import Any

from scrapy import signals
from scrapy.exceptions import NotConfigured
from twisted.internet import task

from crawler.items import CandidateItem, CommunityItem
from crawler.ops.progress import (
    from_stats,
    live_renderable,
    plain_line,
    plain_summary,
    rich_summary,
    summary_rows,
)

logger = logging.getLogger("tremplin.progress")
# Visits that end without contacting the site (opted out) are outcomes, not sites done.
NOT_VISITED = ("moved", "opted_out")


class CrawlProgress:
    """Extension counting finished sites and showing progress."""

    def __init__(self, crawler: Any, live: bool, interval: float) -> None:
        self.crawler = crawler
        self.live_mode = live
        self.interval = interval
        self.started = time.monotonic()
        self.sites_done = 0
        self.items = 0
        self.loop: task.LoopingCall | None = None
        self.live: Any = None
        self._streams: list[tuple[logging.StreamHandler, Any]] = []

    @classmethod
    def from_crawler(cls, crawler: Any) -> CrawlProgress:
        settings = crawler.settings
        mode = settings.get("TREMPLIN_PROGRESS", "auto")
        if mode == "off":
            raise NotConfigured
        live = mode == "live" or (mode == "auto" and sys.stdout.isatty())
        extension = cls(crawler, live, settings.getfloat("TREMPLIN_PROGRESS_INTERVAL", 60.0))
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.item_scraped, signal=signals.item_scraped)
        crawler.signals.connect(extension.engine_stopped, signal=signals.engine_stopped)
        return extension

    def snapshot(self):
        return from_stats(self.crawler.stats.get_stats(), time.monotonic() - self.started, self.sites_done, self.items)

    def spider_opened(self, spider: Any) -> None:
        self.started = time.monotonic()
        if self.live_mode:
            self._start_live()
            self.loop = task.LoopingCall(self._refresh)
            self.loop.start(1.0, now=False)
        else:
            self.loop = task.LoopingCall(self._log_line)
            self.loop.start(self.interval, now=False)

    def item_scraped(self, item: Any, response: Any, spider: Any) -> None:
        if isinstance(item, CommunityItem):
            if item.status not in NOT_VISITED:
                self.sites_done += 1
                self.items += 1
        elif isinstance(item, CandidateItem) and item.status == "rejected" and item.reason != "opted_out":
            self.sites_done += 1

    def _log_line(self) -> None:
        logger.info(plain_line(self.snapshot()))

    def _start_live(self) -> None:
        from rich.console import Console
        from rich.live import Live

        self.live = Live(live_renderable(self.snapshot()), console=Console(), refresh_per_second=4, transient=True)
        self.live.start()
        # Scrapy's log handler kept the stream it was given at start-up; point it at the console
        # Live redirects, so log lines print above the display instead of through it.
        for handler in logging.getLogger().handlers:
            if isinstance(handler, logging.StreamHandler) and handler.stream in (sys.__stderr__, sys.__stdout__):
                self._streams.append((handler, handler.setStream(self.live.console.file)))

    def _refresh(self) -> None:
        if self.live is not None:
            self.live.update(live_renderable(self.snapshot()))

    def engine_stopped(self) -> None:
        if self.loop is not None and self.loop.running:
            self.loop.stop()
        if self.live is not None:
            self.live.stop()
            for handler, stream in self._streams:
                handler.setStream(stream)
            self.live = None
        stats = self.crawler.stats
        rows = summary_rows(
            self.snapshot(),
            stats.get_value("tremplin/run_id"),
            stats.get_value("tremplin/monitor_status"),
            list(stats.get_value("tremplin/monitor_reasons") or []),
        )
        if self.live_mode:
            from rich.console import Console

            Console().print(rich_summary(rows))
        else:
            sys.stdout.write(plain_summary(rows) + "\n")
            sys.stdout.flush()
