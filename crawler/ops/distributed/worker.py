"""A distributed worker: Scrapy settings that plug scrapy-redis in, and the heartbeat the loader reads."""

from __future__ import annotations

import json
import logging
import os
import socket
import time
from typing import Any

from scrapy import signals
from scrapy.exceptions import NotConfigured
from scrapy_redis import connection
from twisted.internet import task

from crawler.ops.distributed.frontier import WORKER_ID
from crawler.ops.distributed.keys import CrawlKeys

logger = logging.getLogger(__name__)


def worker_settings(redis_url: str, keys: CrawlKeys, idle_exit: int = 0, heartbeat: float = 0.5) -> dict[str, Any]:
    """Settings turning a crawl into a worker of the distributed crawl ``keys.crawl``."""
    return {
        "REDIS_URL": redis_url,
        "SCHEDULER": "crawler.ops.distributed.frontier.SiteFrontierScheduler",
        "SCHEDULER_QUEUE_CLASS": "crawler.ops.distributed.frontier.CountedPriorityQueue",
        "SCHEDULER_QUEUE_KEY": keys.requests,
        "SCHEDULER_SERIALIZER": "crawler.ops.distributed.codec",
        "SCHEDULER_PERSIST": True,  # the frontier belongs to the crawl, not to one worker
        "DUPEFILTER_CLASS": "crawler.ops.distributed.frontier.SiteClaims",
        "SCHEDULER_DUPEFILTER_KEY": keys.sites,
        "REDIS_START_URLS_KEY": keys.start,
        "REDIS_ITEMS_KEY": keys.items,
        "MAX_IDLE_TIME_BEFORE_CLOSE": idle_exit,
        "TREMPLIN_WORKERS_KEY": keys.workers,
        "TREMPLIN_HEARTBEAT": heartbeat,
        "TREMPLIN_DB": None,  # workers never open the database
        "TREMPLIN_MONITORS_ENABLED": False,  # the loader judges the whole crawl
        "JOBDIR": None,  # the frontier lives in Redis
        "ITEM_PIPELINES": {
            "pipelines.validate.ValidateCommunityPipeline": 100,
            "pipelines.normalize.NormalizeCommunityPipeline": 200,
            "pipelines.closed.ClosedCommunityPipeline": 250,
            "crawler.ops.distributed.pipeline.RedisItemPipeline": 900,
        },
        "EXTENSIONS": {
            "scrapy.extensions.throttle.AutoThrottle": None,  # the local frontier paces each site
            "crawler.extensions.progress.CrawlProgress": 520,
            "crawler.ops.distributed.worker.WorkerHeartbeat": 530,
        },
    }


class WorkerHeartbeat:
    """Publish this worker's state (busy or idle, pages, a sequence number) every ``TREMPLIN_HEARTBEAT`` s."""

    def __init__(self, crawler: Any, server: Any, key: str, interval: float) -> None:
        self.crawler = crawler
        self.server = server
        self.key = key
        self.interval = interval
        self.seq = 0
        self.loop: task.LoopingCall | None = None

    @classmethod
    def from_crawler(cls, crawler: Any) -> WorkerHeartbeat:
        settings = crawler.settings
        if not settings.get("TREMPLIN_WORKERS_KEY"):
            raise NotConfigured
        interval = settings.getfloat("TREMPLIN_HEARTBEAT", 0.5)
        # The engine looks for new work every 5 s when idle (a private class attribute): an idle
        # worker would leave new homepages in the shared frontier that long. Poll as often as we beat.
        from scrapy.core.engine import ExecutionEngine

        if hasattr(ExecutionEngine, "_SLOT_HEARTBEAT_INTERVAL"):
            ExecutionEngine._SLOT_HEARTBEAT_INTERVAL = interval
        extension = cls(crawler, connection.from_settings(settings), settings["TREMPLIN_WORKERS_KEY"], interval)
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def spider_opened(self, spider: Any) -> None:
        logger.info("worker %s joins the crawl (%s)", WORKER_ID, self.key)
        self.loop = task.LoopingCall(self.beat)
        self.loop.start(self.interval, now=True)

    def beat(self) -> None:
        engine = self.crawler.engine
        try:
            busy = not engine.spider_is_idle()
        except RuntimeError:  # the engine slot is gone: the spider is closing
            busy = False
        self.seq += 1
        state = {
            "seq": self.seq,
            "busy": busy,
            "pages": self.crawler.stats.get_value("response_received_count", 0),
            "host": socket.gethostname(),
            "pid": os.getpid(),
            "at": time.time(),
        }
        try:
            self.server.hset(self.key, WORKER_ID, json.dumps(state))
        except Exception:  # noqa: BLE001 - a missed beat must not stop the crawl; the next one retries
            logger.warning("heartbeat to Redis failed", exc_info=True)

    def spider_closed(self, spider: Any, reason: str) -> None:
        if self.loop is not None and self.loop.running:
            self.loop.stop()
        self.beat()  # the last state, pages included, for the loader's counts
        self.server.hset(self.key, WORKER_ID, json.dumps({**self._last(), "busy": False, "closed": True}))

    def _last(self) -> dict[str, Any]:
        raw = self.server.hget(self.key, WORKER_ID)
        return json.loads(raw) if raw else {}
