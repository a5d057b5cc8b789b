"""Redis key names of one distributed crawl: ``tremplin:<crawl>:<part>``."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CrawlKeys:
    """Every Redis key a distributed crawl uses, from its name."""

    crawl: str = "communities"

    def _key(self, part: str) -> str:
        return f"tremplin:{self.crawl}:{part}"

    @property
    def start(self) -> str:  # list of seed visits (JSON), read by RedisMixin
        return self._key("start")

    @property
    def requests(self) -> str:  # scrapy-redis priority queue: the shared frontier of homepages
        return self._key("requests")

    @property
    def sites(self) -> str:  # hash site key -> claim (JSON): the shared duplicate filter
        return self._key("sites")

    @property
    def items(self) -> str:  # list of items (JSON) for the single writer
        return self._key("items")

    @property
    def workers(self) -> str:  # hash worker id -> heartbeat (JSON)
        return self._key("workers")

    @property
    def activity(self) -> str:  # counter bumped atomically with every pop from start or frontier
        return self._key("activity")

    @property
    def run(self) -> str:  # the run id the loader writes under
        return self._key("run")

    def all(self) -> list[str]:
        return [self.start, self.requests, self.sites, self.items, self.workers, self.activity, self.run]
