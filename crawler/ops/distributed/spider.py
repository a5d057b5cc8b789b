"""The communities spider reading its start visits from Redis (scrapy-redis ``RedisMixin``).

scrapy-redis 0.9.1 feeds a spider through ``start_requests()``; Scrapy 2.13+ calls ``async start()``,
which ``CommunitiesSpider`` defines, so this subclass defines ``start()`` again to read Redis. The
start list holds seed visits as JSON (``crawler.ops.visits``), turned into homepage requests by the
spider's own scheduling rules (opt-out, site budget). Its idle handler (replacing RedisMixin's)
closes the worker after ``MAX_IDLE_TIME_BEFORE_CLOSE`` seconds without work (0: never), counted
from the worker's last request, not from the last start URL seen.
"""

from __future__ import annotations

import json
import logging
import time
from typing import Any

from scrapy import signals
from scrapy.exceptions import DontCloseSpider
from scrapy.http import Request
from scrapy_redis.spiders import RedisMixin

from crawler.ops.distributed.frontier import RECLAIM_KEY
from crawler.ops.visits import homepage_request, visit_from_fields
from spiders.communities import CommunitiesSpider

logger = logging.getLogger(__name__)
# LRANGE + LTRIM of a batch and the activity bump in one step (see frontier.POP_SCRIPT).
START_POP_SCRIPT = """
local found = redis.call('LRANGE', KEYS[1], 0, tonumber(ARGV[1]) - 1)
if #found > 0 then
  redis.call('LTRIM', KEYS[1], #found, -1)
  redis.call('INCR', KEYS[2])
end
return found
"""


class RedisCommunitiesSpider(RedisMixin, CommunitiesSpider):
    """``communities`` as a distributed worker."""

    name = "communities"

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> RedisCommunitiesSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.setup_redis(crawler)
        spider.last_busy = time.monotonic()
        spider.activity_key = crawler.settings.get("REDIS_START_URLS_KEY").rsplit(":", 1)[0] + ":activity"
        spider.fetch_data = spider._pop_start
        for signal in (signals.request_scheduled, signals.response_received):
            crawler.signals.connect(spider._busy, signal=signal)
        return spider

    def _busy(self, *args: Any, **kwargs: Any) -> None:
        self.last_busy = time.monotonic()

    def _pop_start(self, key: str, batch_size: int) -> list[bytes]:
        return self.server.eval(START_POP_SCRIPT, 2, key, self.activity_key, batch_size)

    async def start(self):
        """Yield the first batch of start visits from Redis; later batches come when idle."""
        for output in self.next_requests():
            yield output

    def make_request_from_data(self, data: bytes) -> list[Any]:
        """Turn one start visit (JSON seed fields) into the spider's homepage request, if it is admitted."""
        try:
            fields = json.loads(data)
            visit = visit_from_fields(fields)
        except ValueError:
            logger.warning("ignored start data that is not a site visit: %r", data[:200])
            self.crawler.stats.inc_value("tremplin/distributed/bad_start")
            return []
        if fields.get("reclaim"):
            # A site the loader found claimed but never stored (its worker died): visit it again.
            return [homepage_request(self, visit, {RECLAIM_KEY: True})]
        return list(self._schedule(visit))

    def schedule_next_requests(self) -> None:
        for output in self.next_requests():
            if isinstance(output, Request):
                self.crawler.engine.crawl(output)
            else:
                # Items only come from seeds refused by policy, which the loader filters out before.
                logger.warning("start visit produced an item, not stored by this worker: %r", output)
                self.crawler.stats.inc_value("tremplin/distributed/start_item_dropped")

    def spider_idle(self) -> None:
        self.schedule_next_requests()
        idle = time.monotonic() - self.last_busy
        if self.max_idle_time and idle >= self.max_idle_time:
            return  # let the engine close the spider
        raise DontCloseSpider
