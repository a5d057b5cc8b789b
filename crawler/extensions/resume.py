"""Resume a crawl from its JOBDIR, even after a SIGKILL (see ``crawler.ops.jobdir``).

A spider middleware, because only ``process_start`` can put the rebuilt homepage requests in front
of the spider's own start requests; it also listens to ``request_scheduled``, the one hook every
request passes (from callbacks, errbacks and start alike), to journal each site as it is scheduled.
Enabled only when ``JOBDIR`` is set.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from typing import Any

import sqlite_utils
from scrapy import signals
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import Request

from crawler.frontier.frontier import Frontier
from crawler.ops.jobdir import Job, job_for_settings
from crawler.ops.runs import done_site_keys
from crawler.ops.visits import (
    REBUILT_KEY,
    fresh_visit,
    homepage_request,
    is_homepage,
    is_repeat,
    visit_fields,
    visit_from_fields,
    visit_key,
)

logger = logging.getLogger(__name__)


class ResumableJob:
    """Journal every scheduled site; after a kill, visit again the ones the database lacks."""

    def __init__(self, crawler: Any, job: Job) -> None:
        self.crawler = crawler
        self.job = job
        self.pending: list[dict[str, Any]] = []

    @classmethod
    def from_crawler(cls, crawler: Any) -> ResumableJob:
        job = job_for_settings(crawler.settings)
        if job is None:
            raise NotConfigured  # no JOBDIR: nothing to resume (and nothing logged)
        middleware = cls(crawler, job)
        crawler.signals.connect(middleware.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(middleware.request_scheduled, signal=signals.request_scheduled)
        crawler.signals.connect(middleware.spider_closed, signal=signals.spider_closed)
        return middleware

    def spider_opened(self, spider: Any) -> None:
        journal = self.job.journal.entries()
        if not journal:
            return
        # The spider's memory of what it scheduled died with the old process: give it back, so it
        # neither schedules those sites again nor overspends its site budget.
        frontier = Frontier.of(self.crawler)
        for key, fields in journal.items():
            frontier.visited.add(key)
            frontier.budget.refusal(fields["seed_url"])
        if not self.job.killed:
            logger.info(
                "resuming %s: %d sites already scheduled, Scrapy resumes its queue", self.job.path, len(journal)
            )
            return
        db_path = self.crawler.settings.get("TREMPLIN_DB")
        db = sqlite_utils.Database(db_path)
        try:
            done = done_site_keys(db, self.job.run_id) if "run_events" in db.table_names() else set()
        finally:
            db.close()
        self.pending = [fields for key, fields in sorted(journal.items()) if key not in done]
        logger.warning(
            "resuming killed job %s: %d sites were scheduled, %d are stored, %d are visited again",
            self.job.path, len(journal), len(journal) - len(self.pending), len(self.pending),
        )  # fmt: skip
        self.crawler.stats.set_value("tremplin/resume/revisited", len(self.pending))

    async def process_start(self, start: AsyncIterator[Any]) -> AsyncIterator[Any]:
        """Yield the homepages to visit again first, then the spider's own start requests."""
        spider = self.crawler.spider
        for fields in self.pending:
            yield homepage_request(spider, visit_from_fields(fields))
        self.pending = []
        async for item_or_request in start:
            yield item_or_request

    def request_scheduled(self, request: Request, spider: Any) -> None:
        """Journal a site the moment its homepage is scheduled; drop a second visit of a journaled site."""
        if not is_homepage(request) or is_repeat(request) or request.meta.get(REBUILT_KEY):
            return
        visit = request.cb_kwargs["visit"]
        if not fresh_visit(visit):
            return
        if not self.job.journal.add(visit_key(request), visit_fields(visit)):
            self.crawler.stats.inc_value("tremplin/resume/duplicate_dropped")
            raise IgnoreRequest(f"site already scheduled in this job: {request.url}")

    def spider_closed(self, spider: Any, reason: str) -> None:
        self.job.close(finished=reason == "finished")
