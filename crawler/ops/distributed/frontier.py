"""The shared frontier: scrapy-redis's scheduler and duplicate filter, made to work per site.

* ``SiteClaims`` (the ``DUPEFILTER_CLASS``) claims a site for the whole crawl with ``HSETNX`` on a
  Redis hash: the first worker to schedule a site's homepage gets it, every other attempt is a
  duplicate. Tremplin's requests are all ``dont_filter`` (a site's statistics endpoints are chained
  on purpose), so request fingerprints would filter nothing; sites are the unit.
* ``SiteFrontierScheduler`` sends a claimed homepage to the shared priority queue, where any worker
  may take it, and keeps every later request of a visit (endpoints, retries, redirects) in a local
  queue of the worker that fetched the homepage: one host talks to one site, one request at a time
  and with the usual delays, without any cross-host politeness coordination.
* Pops are atomic with a bump of the crawl's activity counter (a Lua script), so the loader can
  tell "everyone idle and nothing left" from "a worker just took the last homepage".
"""

from __future__ import annotations

import json
import logging
import os
import socket
from collections import deque
from typing import Any

from scrapy.http import Request
from scrapy_redis.dupefilter import RFPDupeFilter
from scrapy_redis.queue import PriorityQueue
from scrapy_redis.scheduler import Scheduler

from crawler.identity import site_key
from crawler.ops.distributed.codec import CodecError
from crawler.ops.visits import fresh_visit, is_homepage, visit_fields, visit_key

logger = logging.getLogger(__name__)

WORKER_ID = f"{socket.gethostname()}:{os.getpid()}"
RECLAIM_KEY = "tremplin_reclaim"
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
    """Homepages through the shared Redis frontier (claimed once); the rest of a visit stays local."""

    def open(self, spider: Any) -> None:
        super().open(spider)
        self.local: deque[Request] = deque()

    def _shared(self, request: Request) -> bool:
        if not is_homepage(request) or "retry_times" in request.meta or "redirect_times" in request.meta:
            return False
        return fresh_visit(request.cb_kwargs["visit"])

    def enqueue_request(self, request: Request) -> bool:
        if self._shared(request):
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
        self.local.append(request)
        self.stats.inc_value("scheduler/enqueued/local")
        return True

    def next_request(self) -> Request | None:
        # Finish the sites this worker already started before taking new ones from the frontier.
        if self.local:
            self.stats.inc_value("scheduler/dequeued/local")
            return self.local.popleft()
        # scrapy-redis's own next_request passes the ``spider`` argument Scrapy 2.19 deprecates.
        request = self.queue.pop()
        if request is not None:
            self.stats.inc_value("scheduler/dequeued/redis")
        return request

    def has_pending_requests(self) -> bool:
        return bool(self.local) or len(self.queue) > 0

    def __len__(self) -> int:
        return len(self.local) + len(self.queue)
