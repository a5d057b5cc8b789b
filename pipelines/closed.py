"""Mark the visits of communities known to have closed as ``gone``, with the reason."""

from __future__ import annotations

from crawler.closed import ClosedList, closed_state
from crawler.items import CommunityItem


class ClosedCommunityPipeline:
    """A listed closed community whose address failed or redirected elsewhere ends ``gone``."""

    def __init__(self, closed: ClosedList) -> None:
        self.closed = closed

    @classmethod
    def from_crawler(cls, crawler) -> ClosedCommunityPipeline:
        """Load the closed-communities list of the crawl's settings."""
        return cls(ClosedList.from_settings(crawler.settings))

    def process_item(self, item):
        """Turn a failed or moved visit of a closed community into ``gone`` with its reason."""
        if not isinstance(item, CommunityItem):
            return item
        community = self.closed.lookup(item.id)
        if community is None:
            return item
        reason = closed_state(community, item.status, item.error_kind, item.alias_of)
        if reason is not None:
            item.status, item.error_kind, item.alias_of, item.state_reason = "gone", "closed", None, reason
        return item
