"""The shared frontier: scrapy-redis's scheduler and duplicate filter, made to work per site.

* ``SiteClaims`` (the ``DUPEFILTER_CLASS``) claims a site for the whole crawl with ``HSETNX`` on a
  Redis hash: the first worker to schedule a site's homepage gets it, every other attempt is a
  duplicate. Tremplin's requests are all ``dont_filter`` (a site's statistics endpoints are chained
  on purpose), so request fingerprints would filter nothing; sites are the unit.
* ``SiteFrontierScheduler`` sends a claimed homepage to the shared priority queue, where any worker
  may take it; the worker that takes it keeps the whole visit (robots.txt, homepage, endpoints,
  retries, redirects) in its local frontier, paced per site like a single crawl: one host talks to
  one site, one request at a time and with the usual delays, without cross-host coordination.
* Pops are atomic with a bump of the crawl's activity counter (a Lua script), so the loader can
  tell "everyone idle and nothing left" from "a worker just took the last homepage".
"""

from __future__ import annotations

import json
import logging
import os
import socket
from typing import Any

from scrapy.http import Request
from scrapy_redis.dupefilter import RFPDupeFilter
from scrapy_redis.queue import PriorityQueue
from scrapy_redis.scheduler import Scheduler

from crawler.frontier.frontier import Frontier
from crawler.frontier.scheduler import Pacer
from crawler.identity import site_key
from crawler.ops.distributed.codec import CodecError
from crawler.ops.visits import fresh_visit, is_homepage, visit_fields, visit_key

logger = logging.getLogger(__name__)

WORKER_ID = f"{socket.gethostname()}:{os.getpid()}"
RECLAIM_KEY = "tremplin_reclaim"
# Set on a homepage this worker took from the shared frontier: it joins the local queues.
TAKEN_KEY = "tremplin_taken"
# Pop the best-scored member and bump the activity counter in one step (scrapy-redis pops with
# MULTI/EXEC, which cannot make the bump depend on having found something).
POP_SCRIPT = """
local found = redis.call('ZRANGE', KEYS[1], 0, 0)
if #found > 0 then
  redis.call('ZREMRANGEBYRANK', KEYS[1], 0, 0)
  redis.call('INCR', KEYS[2])
end
return found
"""


def activity_key(queue_key: str) -> str:
    """The activity counter beside a crawl's frontier key (``tremplin:<crawl>:activity``)."""
    return queue_key.rsplit(":", 1)[0] + ":activity"


class CountedPriorityQueue(PriorityQueue):
    """scrapy-redis's priority queue whose pop also bumps the crawl's activity counter."""

    def pop(self, timeout: int = 0) -> Request | None:
        found = self.server.eval(POP_SCRIPT, 2, self.key, activity_key(self.key))
        return self._decode_request(found[0]) if found else None


class SiteClaims(RFPDupeFilter):
    """Duplicate filter by site: ``request_seen`` claims the site of a homepage request."""

    def request_seen(self, request: Request) -> bool:
        claim = {**visit_fields(request.cb_kwargs["visit"]), "by": WORKER_ID, "kind": "visit"}
        return not self.server.hsetnx(self.key, visit_key(request), json.dumps(claim))

    def claim_redirect(self, url: str) -> None:
        """Claim a redirect's target too, so no other worker visits it through a link later."""
        self.server.hsetnx(self.key, site_key(url), json.dumps({"by": WORKER_ID, "kind": "redirect"}))

    def close(self, reason: str = "") -> None:
        """Keep the claims: they belong to the crawl, not to this worker (the loader clears them)."""

    def clear(self) -> None:
        """Never clear the shared claims from a worker (scrapy-redis calls this on flush)."""


class SiteFrontierScheduler(Scheduler):
    """Homepages through the shared Redis frontier (claimed once); each visit then paced locally.

    A homepage a worker takes from Redis joins its local frontier (``crawler.frontier``'s per-site
    queues: robots.txt first, one request in flight per site, the site's delay between two), with
    every later request of the visit. The worker takes a new homepage whenever none of its own sites
    is due (so its connections stay busy while its sites wait out their delays, and it hoards
    nothing another worker could do), and refills the shared frontier from the start list when
    that runs dry, instead of waiting to be idle.
    """

    @classmethod
    def from_crawler(cls, crawler: Any) -> SiteFrontierScheduler:
        scheduler = super().from_crawler(crawler)
        scheduler.crawler = crawler  # scrapy-redis keeps only the stats
        return scheduler

    def open(self, spider: Any) -> None:
        super().open(spider)
        self.frontier = Frontier.of(self.crawler)
        self.queues = self.frontier.queues
        self.pacer = Pacer(self.crawler, self.queues)

    def close(self, reason: str) -> None:
        self.pacer.close()
        super().close(reason)

    def _shared(self, request: Request) -> bool:
        if not is_homepage(request) or "retry_times" in request.meta or "redirect_times" in request.meta:
            return False
        return fresh_visit(request.cb_kwargs["visit"])

    def enqueue_request(self, request: Request) -> bool:
        if self._shared(request) and not request.meta.get(TAKEN_KEY):
            if not request.meta.get(RECLAIM_KEY) and self.df.request_seen(request):
                self.stats.inc_value("tremplin/distributed/claimed_elsewhere")
                return False
            try:
                self.queue.push(request)
            except CodecError:
                logger.warning("homepage request kept local, not serialisable: %s", request.url)
            else:
                self.stats.inc_value("scheduler/enqueued/redis")
                return True
        elif is_homepage(request) and "redirect_times" in request.meta:
            self.df.claim_redirect(request.url)
        self._local(request)
        return True

    def _local(self, request: Request) -> None:
        gate = self.frontier.robots
        robots = gate.request_for(request) if gate is not None else None
        if robots is not None:
            self.pacer.push(robots)
        self.pacer.push(request)
        self.stats.inc_value("scheduler/enqueued/local")

    def next_request(self) -> Request | None:
        # Finish the sites this worker started (when due) before taking new ones from the frontier.
        request = self.pacer.pop()
        while request is None:
            shared = self._take()
            if shared is None:
                self.pacer.wake_when_due()
                return None
            shared.meta[TAKEN_KEY] = True
            self._local(shared)
            request = self.pacer.pop()
        self.stats.inc_value("scheduler/dequeued/local")
        return request

    def _take(self) -> Request | None:
        """A homepage from the shared frontier; when it is empty, start visits pulled into it first."""
        # scrapy-redis's own next_request passes the ``spider`` argument Scrapy 2.19 deprecates.
        request = self.queue.pop()
        if request is None and hasattr(self.spider, "schedule_next_requests"):
            self.spider.schedule_next_requests()  # the start list's next batch, claimed into the frontier
            request = self.queue.pop()
        if request is not None:
            self.stats.inc_value("scheduler/dequeued/redis")
        return request

    def has_pending_requests(self) -> bool:
        return len(self.queues) > 0 or len(self.queue) > 0

    def __len__(self) -> int:
        return len(self.queues) + len(self.queue)
