"""Finish a community item: personal data scrubbed, a display name, and the community's kind."""

from __future__ import annotations

from urllib.parse import urlsplit

from crawler.classify import classify
from crawler.items import CommunityItem
from crawler.normalize.privacy import scrub


class NormalizeCommunityPipeline:
    """Scrub texts and snippets, fall back to the host as name, classify the kind with its rule."""

    def process_item(self, item):
        """Normalise one item."""
        if not isinstance(item, CommunityItem):
            return item
        item.name = scrub(item.name)
        item.description = scrub(item.description)
        for evidence in item.evidence.values():
            evidence["snippet"] = scrub(evidence.get("snippet"))
        if not item.name and item.url:
            item.name = urlsplit(item.url).hostname
        if item.status in ("alive", "alias"):
            if item.kind:
                rule = "kind.seeds_file"  # the kind the seeds file declares for this community
            else:
                item.kind, rule = classify(item.platform, item.name, item.description)
            item.evidence["kind"] = {
                "source_url": item.url,
                "rule": rule,
                "snippet": None,
                "approximate": False,
                "observed_at": item.observed_at,
            }
        return item
