"""Tremplin's Scrapy scheduler: a site's next request waits here, not in the downloader, until the
site is due (``SCHEDULER = "crawler.frontier.scheduler.PoliteScheduler"``).

Scrapy's own scheduler hands requests to the downloader as soon as ``CONCURRENT_REQUESTS`` allows;
each then waits in its site's download slot for the site's delay, holding one of the global slots
while it sleeps: with chained requests, most of the 16 shipped slots sleep and one or two transfer.
Here the downloader only ever receives a request whose site is due and has nothing in flight, so
``CONCURRENT_REQUESTS`` counts transfers and bounds open connections, and the crawl keeps as many
sites in flight as politeness allows (:mod:`crawler.frontier.sites` for the order, and
:mod:`crawler.frontier.clock` for the delays, which this scheduler applies in place of the
downloader's ``DOWNLOAD_DELAY`` and Scrapy's AutoThrottle).

A site's robots.txt is a scheduled request of its own: the first request met for a host puts the
host's ``/robots.txt`` (from the robots.txt middleware, :meth:`RobotsGate.request_for`) ahead of it
in the same queue, so it is fetched first, paced like any other request, and the homepage leaves
only after it, one delay later.

With ``JOBDIR``, the queued requests are saved when the crawl stops cleanly and queued again when
it resumes (a killed crawl is resumed from its journal, :mod:`crawler.extensions.resume`).
"""

from __future__ import annotations

import logging
import pickle
from pathlib import Path
from typing import Any

from scrapy import Request, signals
from scrapy.http import Response
from scrapy.utils.asyncio import call_later
from scrapy.utils.httpobj import urlparse_cached
from scrapy.utils.job import job_dir
from scrapy.utils.misc import build_from_crawler, load_object
from scrapy.utils.request import request_from_dict

from crawler.frontier.frontier import Frontier
from crawler.frontier.sites import SiteQueues
from crawler.middlewares.robots import ROBOTS_FOR_KEY

logger = logging.getLogger(__name__)

SAVED_QUEUE = "tremplin-frontier.pickle"
# Prune the clocks of idle sites once every this many hand-outs.
PRUNE_EVERY = 1024


def site_of(request: Request) -> str:
    """The site a request paces by: its download slot key (the host, as Scrapy's downloader)."""
    return request.meta.get("download_slot") or urlparse_cached(request).hostname or ""


class Pacer:
    """Per-site pacing inside a Scrapy crawl: the frontier's queues fed, emptied and woken up.

    Shared by :class:`PoliteScheduler` and the distributed worker's scheduler. It listens to the
    downloader (a transfer that ended starts its site's delay; its latency feeds AutoThrottle),
    takes the delays over from the downloader, and asks the engine for requests again when the
    earliest waiting site becomes due: the engine only asks when a download ends or a request is
    scheduled (and every 5 s).
    """

    def __init__(self, crawler: Any, queues: SiteQueues) -> None:
        self.crawler = crawler
        self.stats = crawler.stats
        self.frontier = Frontier.of(crawler)
        self.queues = queues
        self._wakeup: Any = None
        self._wakeup_at: float | None = None
        self._handed_out = 0
        # The delay of every new download slot: a request leaves the scheduler only once its site's
        # delay has passed, so a second wait in the downloader would only slow the crawl.
        crawler.engine.downloader._delay = 0.0
        crawler.signals.connect(self._transfer_ended, signal=signals.request_left_downloader)
        crawler.signals.connect(self._response_downloaded, signal=signals.response_downloaded)

    def push(self, request: Request) -> None:
        """Queue ``request`` in its site's queue."""
        self.queues.push(site_of(request), request, request.priority)

    def pop(self) -> Request | None:
        """The next request of a due site, or None."""
        now = self.frontier.clock()
        request = self.queues.pop(now, still_in_flight=self.crawler.engine.downloader.active.__contains__)
        if request is not None:
            self._handed_out += 1
            if self._handed_out % PRUNE_EVERY == 0:
                self.queues.prune(now)
        return request

    def wake_when_due(self) -> None:
        """Have the engine ask again when the earliest waiting site becomes due."""
        due = self.queues.next_ready_at()
        if due is None:
            return
        if self._wakeup is not None:  # pending
            if self._wakeup_at is not None and self._wakeup_at <= due:
                return
            self._wakeup.cancel()
        self._wakeup_at = due
        self._wakeup = call_later(max(0.0, due - self.frontier.clock()), self._wake)

    def close(self) -> None:
        if self._wakeup is not None:
            self._wakeup.cancel()
            self._wakeup = None

    def _wake(self) -> None:
        self._wakeup = None
        slot = getattr(self.crawler.engine, "_slot", None)  # Scrapy has no public "look again" call
        if slot is not None:
            slot.nextcall.schedule()

    def _transfer_ended(self, request: Request, spider: Any = None) -> None:
        self.queues.transfer_ended(site_of(request), request, self.frontier.clock())

    def _response_downloaded(self, response: Response, request: Request, spider: Any = None) -> None:
        latency = request.meta.get("download_latency")
        if latency is not None:
            state = self.queues.sites.get(site_of(request))
            if state is not None:
                state.clock.observe_latency(latency, response.status == 200, self.frontier.policy)


class PoliteScheduler:
    """Hands out a request only when its site is due; due started sites first, then new sites."""

    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler
        self.stats = crawler.stats
        self.frontier = Frontier.of(crawler)
        self.queues = self.frontier.queues
        self.df = build_from_crawler(load_object(crawler.settings["DUPEFILTER_CLASS"]), crawler)
        self.jobdir = job_dir(crawler.settings)
        self.pacer: Pacer | None = None

    @classmethod
    def from_crawler(cls, crawler: Any) -> PoliteScheduler:
        """Build the scheduler of one crawl."""
        return cls(crawler)

    # --- Scrapy's scheduler interface -----------------------------------------------------

    def open(self, spider: Any) -> None:
        """Start pacing, and queue the requests a paused crawl saved."""
        self.pacer = Pacer(self.crawler, self.queues)
        self.df.open()
        for request in self._load_saved(spider):
            self.enqueue_request(request)

    def close(self, reason: str) -> None:
        """Save the queued requests (with ``JOBDIR``), cancel the wake-up call."""
        if self.pacer is not None:
            self.pacer.close()
        self._save(self.crawler.spider)
        self.df.close(reason)

    def has_pending_requests(self) -> bool:
        return len(self.queues) > 0

    def __len__(self) -> int:
        return len(self.queues)

    def enqueue_request(self, request: Request) -> bool:
        """Queue ``request`` in its site's queue, behind the site's robots.txt when it needs one."""
        if not request.dont_filter and self.df.request_seen(request):
            self.df.log(request, self.crawler.spider)
            return False
        gate = self.frontier.robots
        robots = gate.request_for(request) if gate is not None else None
        if robots is not None:
            self._push(robots)
        self._push(request)
        return True

    def next_request(self) -> Request | None:
        """The next request of a due site, or None (and a wake-up call for when one is due)."""
        request = self.pacer.pop()
        if request is None:
            self.pacer.wake_when_due()
            return None
        self.stats.inc_value("scheduler/dequeued")
        self.stats.inc_value("scheduler/dequeued/memory")
        return request

    def _push(self, request: Request) -> None:
        self.pacer.push(request)
        self.stats.inc_value("scheduler/enqueued")
        self.stats.inc_value("scheduler/enqueued/memory")

    # --- pausing with JOBDIR --------------------------------------------------------------
    def _save(self, spider: Any) -> None:
        if not self.jobdir:
            for _ in self.queues.drain():
                pass
            return
        saved = []
        for request in self.queues.drain():
            if ROBOTS_FOR_KEY in request.meta:
                continue  # asked again by the request that needs it
            saved.append(request.to_dict(spider=spider))
        path = Path(self.jobdir) / SAVED_QUEUE
        path.write_bytes(pickle.dumps(saved, protocol=4))
        if saved:
            logger.info("saved %d queued requests to %s", len(saved), path)

    def _load_saved(self, spider: Any) -> list[Request]:
        if not self.jobdir:
            return []
        path = Path(self.jobdir) / SAVED_QUEUE
        if not path.is_file():
            return []
        requests = [request_from_dict(data, spider=spider) for data in pickle.loads(path.read_bytes())]  # noqa: S301 - our own JOBDIR file
        path.unlink()
        logger.info("resuming %d queued requests from %s", len(requests), path)
        return requests
