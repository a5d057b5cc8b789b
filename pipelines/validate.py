"""Drop only items without identity; count every other problem in the crawl stats."""

from __future__ import annotations

from itemadapter import ItemAdapter
from scrapy.exceptions import DropItem

from crawler.items import CommunityItem

# Fields a live community is expected to have; their absence is counted, never fatal.
EXPECTED_FIELDS = ("name", "platform", "languages", "licence")


class ValidateCommunityPipeline:
    """Reject community items missing ``id`` or ``url``; record missing fields in stats."""

    def __init__(self, stats) -> None:
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler) -> ValidateCommunityPipeline:
        """Build the pipeline with the crawl's stats collector."""
        return cls(crawler.stats)

    def process_item(self, item):
        """Validate one item."""
        if not isinstance(item, CommunityItem):
            return item
        adapter = ItemAdapter(item)
        for key in ("id", "url"):
            if not adapter.get(key):
                self.stats.inc_value(f"community/field/{key}/missing")
                raise DropItem(f"community item without {key}: {item!r:.200}")
        if item.status == "alive":
            for key in EXPECTED_FIELDS:
                if not adapter.get(key):
                    self.stats.inc_value(f"community/field/{key}/missing")
            if not item.metrics.get("members"):
                self.stats.inc_value("community/field/members/missing")
        return item
