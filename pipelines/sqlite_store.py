"""Store community items and fetch errors in SQLite, in batched transactions, and record the run.

A batch that fails (one item the database refuses: a value out of range, a constraint) is not
lost: its items are stored again one by one, every one that goes in is kept, and each one that
still fails becomes a ``fetch_errors`` row of kind ``store_failed`` with its reason. The buffers
are emptied whatever happens, so one bad item never makes every later flush fail, and the run's
events and its ``store`` monitor say how many items could not be stored.
"""

from __future__ import annotations

import logging
import sqlite3
from datetime import UTC, datetime

import scrapy

from crawler.archive.warc import normalise_warc_date
from crawler.items import CandidateItem, CommunityItem, FetchErrorItem
from crawler.ops.jobdir import job_for_settings
from crawler.ops.runs import add_event, close_run, fail_run, mark_resumed, new_run_id, open_run, storage_failure
from crawler.storage import open_database, store_batch

logger = logging.getLogger(__name__)
STORE_FAILED = "store_failed"


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _row(item) -> dict:
    # A shallow copy: items are not changed after the pipeline, and asdict's deep copy cost
    # 0.6 ms per item in the storage profile.
    return dict(vars(item))


def _reason(exc: Exception) -> str:
    return f"{type(exc).__name__}: {exc}"[:300]


class SqliteStorePipeline:
    """Write items to ``TREMPLIN_DB`` every ``TREMPLIN_BATCH_SIZE`` items and at the end of the run."""

    def __init__(self, crawler) -> None:
        self.crawler = crawler
        settings = crawler.settings
        self.path = settings.get("TREMPLIN_DB")
        self.batch_size = settings.getint("TREMPLIN_BATCH_SIZE", 50)
        # With a JOBDIR, a resumed crawl continues the run it belongs to (kept in the JOBDIR).
        self.job = job_for_settings(settings)
        self.run_id = (self.job.run_id if self.job else None) or settings.get("TREMPLIN_RUN_ID") or new_run_id()
        replay_at = settings.get("TREMPLIN_REPLAY_AT")
        # In replay the schedule counts from the capture date being replayed, not from today.
        self.schedule_now = normalise_warc_date(replay_at) if replay_at else None
        self.communities: list[dict] = []
        self.errors: list[dict] = []
        self.candidates: list[dict] = []
        self.db = None

    @classmethod
    def from_crawler(cls, crawler) -> SqliteStorePipeline:
        """Build the pipeline for one crawl."""
        return cls(crawler)

    def open_spider(self) -> None:
        """Open the database and record the run as running."""
        spider = self.crawler.spider
        self.db = open_database(self.path)
        self.crawler.stats.set_value("tremplin/run_id", self.run_id)
        settings = self.crawler.settings
        # The job records its run id before the run row exists, so a kill in between still resumes it.
        resuming = self.job.bind_run(self.run_id) if self.job else False
        if resuming:
            mark_resumed(self.db, self.run_id, str(self.job.path))
        jobdir = str(self.job.path) if self.job else None
        run = {"id": self.run_id, "spider": spider.name, "seeds": len(getattr(spider, "seeds", []) or []),
               "replay_archive": settings.get("TREMPLIN_REPLAY"), "replay_at": settings.get("TREMPLIN_REPLAY_AT"),
               "scrapy_version": scrapy.__version__, "jobdir": jobdir, "mode": "single"}  # fmt: skip
        open_run(self.db, run, resuming=resuming, detail=jobdir)

    def process_item(self, item):
        """Buffer one item; flush a full batch."""
        if isinstance(item, CommunityItem):
            self.communities.append(_row(item))
        elif isinstance(item, FetchErrorItem):
            self.errors.append(_row(item))
        elif isinstance(item, CandidateItem):
            self.candidates.append(_row(item))
        else:
            return item
        if len(self.communities) + len(self.errors) + len(self.candidates) >= self.batch_size:
            self.flush()
        return item

    def flush(self) -> None:
        """Write the buffered items in one transaction; when it fails, item by item (see the module)."""
        if self.db is None or not (self.communities or self.errors or self.candidates):
            return
        batch = (self.communities, self.errors, self.candidates)
        # Emptied first: whatever happens below, no buffer is retried at the next flush.
        self.communities, self.errors, self.candidates = [], [], []
        try:
            self._store(*batch)
        except Exception as exc:  # noqa: BLE001 - one refused item must not lose the batch
            logger.warning("storing a batch of %d items failed (%s): storing them one by one",
                           sum(map(len, batch)), _reason(exc))  # fmt: skip
            self._store_one_by_one(*batch)

    def _store(self, communities: list[dict], errors: list[dict], candidates: list[dict]) -> None:
        store_batch(self.db, self.run_id, _now(), communities, errors, candidates, now=self.schedule_now)
        self.crawler.stats.inc_value("tremplin/stored/communities", len(communities))
        self.crawler.stats.inc_value("tremplin/stored/errors", len(errors))
        self.crawler.stats.inc_value("tremplin/stored/candidates", len(candidates))

    def _store_one_by_one(self, communities: list[dict], errors: list[dict], candidates: list[dict]) -> None:
        failed: list[str] = []
        singles = [([row], [], []) for row in communities] + [([], [row], []) for row in errors]
        singles += [([], [], [row]) for row in candidates]
        for single in singles:
            try:
                self._store(*single)
            except Exception as exc:  # noqa: BLE001 - recorded as an error row below
                row = next(part[0] for part in single if part)
                failed.append(self._record_failure(row, exc))
        if failed:
            self.crawler.stats.inc_value("tremplin/store/failed_items", len(failed))
            detail = f"{len(failed)} of {len(singles)} items of a batch could not be stored: " + "; ".join(failed[:5])
            try:
                add_event(self.db, self.run_id, STORE_FAILED, detail[:2000])
            except Exception:  # noqa: BLE001 - the stats and the log still say it
                logger.exception("could not record the store failure of run %s", self.run_id)

    def _record_failure(self, row: dict, exc: Exception) -> str:
        """Record why ``row`` could not be stored as an error row of its site; return a one-line summary."""
        url = row.get("url") or ""
        site = row.get("id") or row.get("site_id")
        reason = _reason(exc)
        logger.error("could not store %s: %s", url or site, reason)
        error = {"url": url or f"site:{site}", "error": STORE_FAILED, "site_id": site, "at": _now(),
                 "message": f"not stored: {reason}"}  # fmt: skip
        try:
            store_batch(self.db, self.run_id, _now(), [], [error], [], now=self.schedule_now)
            self.crawler.stats.inc_value("tremplin/stored/errors")
        except Exception:  # noqa: BLE001 - the database refuses even the error row: the log says it
            self.crawler.stats.inc_value("tremplin/store/unrecorded_failures")
            logger.exception("could not record the store failure of %s", url or site)
        return f"{url or site}: {reason}"

    def close_spider(self) -> None:
        """Flush what is left and close the run (why the crawl stopped is recorded after: ``RunMonitors``)."""
        if self.db is None:
            return
        stats = self.crawler.stats
        try:
            self.flush()
            status = close_run(
                self.db, self.run_id, pages=stats.get_value("response_received_count", 0),
                items=stats.get_value("tremplin/stored/communities", 0), failure=stats.get_value("tremplin/failure"),
            )  # fmt: skip
        except (sqlite3.Error, OSError) as exc:
            # The run must end "failed" with the reason, not stay "running" (crawler/ops/runs.py).
            failure = storage_failure(exc, stats.get_value("tremplin/failure"))
            stats.set_value("tremplin/failure", failure)
            logger.error("the run could not be closed: %s", failure)
            status = "failed" if fail_run(self.path, self.run_id, failure) else "running"
        finally:
            self.db.close()
        stats.set_value("tremplin/run_status", status)
