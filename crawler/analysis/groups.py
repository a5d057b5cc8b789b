"""One community, several sites: group a community's forum, wiki, fediverse server and main site.

Two alive sites belong to one community when (each is a reason, kept with the group):

- ``links both ways``: each links to the other (federation peers do not count: a Mastodon server
  federating with another is not the same community);
- ``shared domain``: same registrable domain (``forum.hablamos.example`` and
  ``wiki.hablamos.example``), by address or by declared canonical URL, unless the domain is a
  hosting service or holds more than :data:`MAX_SHARED` sites (then it is a host, not a community);
- ``same operator``: the same organisation runs both (at most :data:`MAX_SHARED` sites);
- ``same name``: the same declared name, and a link in at least one direction.

Each site keeps its own figures. The group's primary site is its largest (most members); the
``community_presence`` view counts a group once, with the largest site's members, so totals are
not double-counted (people hold accounts on several sites of one community).
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

from crawler.discovery.urls import registrable_domain

MAX_SHARED = 4
MIN_NAME_CHARS = 4
# Links that say "we federate with" or "we are hosted by", not "we are the same community".
NOT_AFFILIATION_RULES = frozenset({"mastodon.peers", "lemmy.federated_instances"})
HOSTING_DOMAINS = frozenset(
    {
        "fandom.com", "wikia.com", "wikia.org", "miraheze.org", "wikidot.com", "proboards.com", "forumotion.com",
        "forumactif.com", "forumactif.org", "discourse.group", "freeforums.net", "tumblr.com", "wordpress.com",
        "blogspot.com", "github.io", "gitlab.io", "wixsite.com", "weebly.com", "jimdo.com", "over-blog.com",
        "reddit.com", "stackexchange.com", "substack.com", "medium.com", "ning.com", "groups.io", "google.com",
        "facebook.com", "meetup.com", "discord.com", "discord.gg", "t.me", "matrix.to", "tapatalk.com",
    }
)  # fmt: skip


def _fold(text: str | None) -> str:
    text = unicodedata.normalize("NFKD", text or "")
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    return " ".join(re.sub(r"[^\w]+", " ", text).split())


def _domain(url: str | None) -> str | None:
    host = (urlsplit(url or "").hostname or "").lower()
    return registrable_domain(host) if host else None


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, item: str) -> str:
        self.parent.setdefault(item, item)
        while self.parent[item] != item:
            self.parent[item] = self.parent[self.parent[item]]
            item = self.parent[item]
        return item

    def union(self, a: str, b: str) -> None:
        root_a, root_b = self.find(a), self.find(b)
        if root_a != root_b:
            self.parent[max(root_a, root_b)] = min(root_a, root_b)


def compute_groups(sites: list[dict[str, Any]], links: Iterable[tuple[str, str, str | None]]) -> list[dict[str, Any]]:
    """Rows of ``community_groups`` for ``sites`` (dicts with id, name, url, canonical_url,
    operator_name, members) and ``links`` (from id, to id, rule). Pure: no I/O."""
    by_id = {site["id"]: site for site in sites}
    edges: set[tuple[str, str]] = {
        (a, b) for a, b, rule in links if a != b and a in by_id and b in by_id and rule not in NOT_AFFILIATION_RULES
    }
    pairs: dict[tuple[str, str], set[str]] = defaultdict(set)

    def pair(a: str, b: str, reason: str) -> None:
        pairs[(min(a, b), max(a, b))].add(reason)

    for a, b in edges:
        if (b, a) in edges:
            pair(a, b, "links both ways")
    buckets: dict[tuple[str, str], set[str]] = defaultdict(set)
    labels: dict[tuple[str, str], str] = {}
    for site in sites:
        for url in (site.get("url"), site.get("canonical_url")):
            domain = _domain(url)
            if domain and domain not in HOSTING_DOMAINS and "." in domain:
                buckets[("shared domain", domain)].add(site["id"])
                labels.setdefault(("shared domain", domain), domain)
        operator = _fold(site.get("operator_name"))
        if len(operator) >= MIN_NAME_CHARS:
            buckets[("same operator", operator)].add(site["id"])
            labels.setdefault(("same operator", operator), site["operator_name"])
    for key, members in buckets.items():
        if 2 <= len(members) <= MAX_SHARED:
            ordered = sorted(members)
            for other in ordered[1:]:
                pair(ordered[0], other, f"{key[0]} {labels[key]}")
    names: dict[str, list[str]] = defaultdict(list)
    for site in sites:
        name = _fold(site.get("name"))
        if len(name) >= MIN_NAME_CHARS:
            names[name].append(site["id"])
    for ids in names.values():
        for i, a in enumerate(sorted(ids)):
            for b in sorted(ids)[i + 1 :]:
                if (a, b) in edges or (b, a) in edges:
                    pair(a, b, f"same name {by_id[a].get('name')}")
    union = _UnionFind()
    for a, b in pairs:
        union.union(a, b)
    groups: dict[str, list[str]] = defaultdict(list)
    for site_id in {s for p in pairs for s in p}:
        groups[union.find(site_id)].append(site_id)
    rows: list[dict[str, Any]] = []
    for members in groups.values():
        primary = min(members, key=lambda i: (-(by_id[i].get("members") or -1), i))
        reasons = sorted(
            {f"{reason} ({a} + {b})" for (a, b), found in pairs.items() if a in members for reason in found}
        )
        for site_id in sorted(members):
            rows.append(
                {
                    "community_id": site_id,
                    "group_id": primary,
                    "group_name": by_id[primary].get("name"),
                    "sites": len(members),
                    "is_primary": int(site_id == primary),
                    "reasons": json.dumps(reasons, ensure_ascii=False),
                }
            )
    return sorted(rows, key=lambda row: (row["group_id"], row["community_id"]))
