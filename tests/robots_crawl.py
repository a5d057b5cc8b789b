"""A bare Scrapy crawl with Tremplin's robots.txt middleware, run as its own process by the tests.

``python -m tests.robots_crawl '<plan as JSON>'``: the plan's ``steps`` are lists of requests
(``{"url": ..., "meta": {...}}``); a step's requests are sent together, the next step once every
one of them has answered or failed, so the order hosts are met in is fixed. ``settings`` are
added to the crawl's (Tremplin's scheduler unless ``SCHEDULER`` says otherwise). Prints one JSON
object: the URLs answered, the URLs dropped and why, the ``robots_parsed`` signals, and the
crawl's stats.
"""

from __future__ import annotations

import json
import sys
from typing import Any

import scrapy
from scrapy import signals
from scrapy.crawler import CrawlerProcess


class StepsSpider(scrapy.Spider):
    """Send each step's requests together, the next step when they are all done."""

    name = "robots_steps"

    def __init__(self, steps: list[list[dict[str, Any]]], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.steps = list(steps)
        self.outstanding = 0
        self.answered: list[str] = []
        self.dropped: list[list[str]] = []
        self.parsed: list[str] = []

    @classmethod
    def from_crawler(cls, crawler, *args: Any, **kwargs: Any) -> StepsSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        crawler.signals.connect(spider.robots_parsed, signal=signals.robots_parsed)
        return spider

    def robots_parsed(self, robotparser, request) -> None:
        self.parsed.append(request.url)

    async def start(self):
        for request in self._next_step():
            yield request

    def _next_step(self):
        if not self.steps:
            return
        step = self.steps.pop(0)
        self.outstanding = len(step)
        for entry in step:
            yield scrapy.Request(
                entry["url"], meta=entry.get("meta", {}), callback=self.answer, errback=self.fail, dont_filter=True
            )

    def answer(self, response):
        self.answered.append(response.url)
        yield from self._done()

    def fail(self, failure):
        self.dropped.append([failure.request.url, str(failure.value)])
        yield from self._done()

    def _done(self):
        self.outstanding -= 1
        if self.outstanding == 0:
            yield from self._next_step()


def main() -> None:
    plan = json.loads(sys.argv[1])
    settings = {
        "ROBOTSTXT_OBEY": True,
        "ROBOTSTXT_USER_AGENT": "TremplinBot",
        "USER_AGENT": "TremplinBot/0.1 (test)",
        "DOWNLOADER_MIDDLEWARES": {
            "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
            "crawler.middlewares.robots.RobotsTxtMiddleware": 100,
        },
        # Tremplin's scheduler asks the middleware for robots.txt and queues it first; with
        # ``"SCHEDULER": "scrapy.core.scheduler.Scheduler"`` the middleware fetches it itself.
        "SCHEDULER": "crawler.frontier.scheduler.PoliteScheduler",
        "RETRY_ENABLED": False,
        "TELNETCONSOLE_ENABLED": False,
        "LOG_LEVEL": "ERROR",
        **plan.get("settings", {}),
    }
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(StepsSpider)
    process.crawl(crawler, steps=plan["steps"])
    process.start()
    spider = crawler.spider
    stats = {key: value for key, value in crawler.stats.get_stats().items() if key.startswith("robotstxt/")}
    print(json.dumps({"answered": spider.answered, "dropped": spider.dropped, "parsed": spider.parsed, "stats": stats}))


if __name__ == "__main__":
    main()
