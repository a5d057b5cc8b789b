"""Finish an item: personal data removed from every text it carries, a display name, the community's kind.

The privacy rule itself lives in :mod:`crawler.normalize.privacy`; this pipeline is where it is
applied to every item before anything is stored.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from crawler.classify import classify
from crawler.items import CandidateItem, CommunityItem, FetchErrorItem
from crawler.normalize.privacy import redact_error, redact_item


class NormalizeCommunityPipeline:
    """Remove personal data, fall back to the host as name, classify the kind with its rule."""

    def process_item(self, item):
        """Normalise one item."""
        if isinstance(item, (FetchErrorItem, CandidateItem)):
            redact_error(item)
            return item
        if not isinstance(item, CommunityItem):
            return item
        redact_item(item)
        if not item.name and item.url:
            item.name = urlsplit(item.url).hostname
        if item.status in ("alive", "alias"):
            if item.kind:
                rule = "kind.seeds_file"  # the kind the seeds file declares for this community
            else:
                item.kind, rule = classify(
                    item.platform, item.name, item.description, item.operator_type, item.price_model
                )
            item.evidence["kind"] = {
                "source_url": item.url,
                "rule": rule,
                "snippet": None,
                "approximate": False,
                "observed_at": item.observed_at,
            }
        return item
