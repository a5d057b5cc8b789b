"""Centralised or federated, and the values a whole site's merged extraction implies.

A server of a federated network (Mastodon, Lemmy, PeerTube, Misskey, Pleroma, diaspora*, ...) or
a site whose NodeInfo names a federation protocol (ActivityPub, diaspora, OStatus, Zot) is
``federated``: a message there reaches that server's members, not the whole network. Any other
recognised community is ``centralised`` (one operator's site) unless such evidence says otherwise.
"""

from __future__ import annotations

from crawler.extraction import RANK_GENERIC, Evidence, Extraction
from crawler.outreach.operator import operator_type

FEDIVERSE_PLATFORMS = frozenset(
    {
        "mastodon", "pleroma", "akkoma", "misskey", "sharkey", "firefish", "calckey", "foundkey", "iceshrimp",
        "catodon", "meisskey", "cherrypick", "lemmy", "mbin", "kbin", "peertube", "pixelfed", "friendica",
        "diaspora", "hubzilla", "gotosocial", "funkwhale", "bookwyrm", "writefreely", "plume", "mobilizon",
        "gnusocial", "socialhome", "takahe", "snac", "hometown", "glitch-soc", "fedibird", "piefed", "sublinks",
        "owncast", "castopod", "streams", "forte",
    }
)  # fmt: skip


def _derived(extraction: Extraction, field: str, value: str, rule: str, snippet: str) -> None:
    setattr(extraction, field, value)
    extraction.evidence[field] = Evidence(extraction.url, rule, snippet, False, RANK_GENERIC)


def finish(extraction: Extraction) -> Extraction:
    """Fill the values the merged extraction of a site implies: federation, and an operator's type.

    ``federation``: ``federated`` for fediverse software, else ``centralised`` once anything at
    all was read (``outreach.federation.platform`` / ``outreach.federation.single_site``);
    ``operator_type``: the type the operator's name says, else ``unknown``.
    """
    if extraction.federation is None and not extraction.is_empty:
        platform = (extraction.platform or "").lower()
        if platform in FEDIVERSE_PLATFORMS:
            _derived(extraction, "federation", "federated", "outreach.federation.platform", f"platform {platform}")
        else:
            what = f"platform {platform}" if platform else "no recognised platform"
            _derived(extraction, "federation", "centralised", "outreach.federation.single_site",
                     f"{what}, no federation protocol published")  # fmt: skip
    if extraction.operator_name and extraction.operator_type is None:
        kind = operator_type(extraction.operator_name) or "unknown"
        _derived(extraction, "operator_type", kind, "outreach.operator_type.from_name", extraction.operator_name)
    return extraction
