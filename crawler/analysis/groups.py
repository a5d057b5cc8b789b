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
import sqlite3
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
    operator_name, members) and ``links`` (from id, to id, rule). Pure: no I/O (the rules run in an
    in-memory SQLite database, the same queries :func:`groups_in_database` runs on a crawl's)."""
    conn = sqlite3.connect(":memory:")
    try:
        conn.execute(
            "CREATE TABLE communities (id TEXT, name TEXT, url TEXT, canonical_url TEXT, operator_name TEXT, "
            "members INTEGER, status TEXT)"
        )
        conn.execute("CREATE TABLE links (from_community_id TEXT, to_community_id TEXT, rule TEXT)")
        conn.executemany(
            "INSERT INTO communities VALUES (?, ?, ?, ?, ?, ?, 'alive')",
            [[site.get(key) for key in ("id", "name", "url", "canonical_url", "operator_name", "members")]
             for site in sites],
        )  # fmt: skip
        conn.execute("CREATE INDEX links_from ON links (from_community_id)")
        conn.executemany("INSERT INTO links VALUES (?, ?, ?)", links)
        return groups_in_database(conn)
    finally:
        conn.close()


# Temporary tables of the computation: private to the connection, on SQLite's temporary storage.
_EDGES, _OPERATORS, _NAMES = "temp.tremplin_group_edges", "temp.tremplin_group_operators", "temp.tremplin_group_names"


def groups_in_database(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    """Rows of ``community_groups`` for the alive ``communities`` and the ``links`` of ``conn``.

    The candidate pairs are found by SQLite (joins and GROUP BY, which spill to temporary storage),
    so Python holds the sites that do pair and nothing per other site: the memory this takes grows
    with the number of grouped sites, not with the database.
    """
    conn.create_function("tremplin_group_domain", 1, _bucket_domain, deterministic=True)
    conn.create_function("tremplin_group_fold", 1, _bucket_fold, deterministic=True)
    _drop_temporary(conn)
    try:
        pairs = _pairs(conn)
        return _rows(conn, pairs)
    finally:
        _drop_temporary(conn)


def _bucket_domain(url: str | None) -> str | None:
    """The registrable domain two sites may share, or None (none, a hosting service, a bare name)."""
    domain = _domain(url)
    return domain if domain and domain not in HOSTING_DOMAINS and "." in domain else None


def _bucket_fold(text: str | None) -> str | None:
    """The folded name or operator, or None when too short to mean anything."""
    folded = _fold(text)
    return folded if len(folded) >= MIN_NAME_CHARS else None


def _drop_temporary(conn: sqlite3.Connection) -> None:
    for table in (_EDGES, _OPERATORS, _NAMES):
        conn.execute(f"DROP TABLE IF EXISTS {table}")


def _pairs(conn: sqlite3.Connection) -> dict[tuple[str, str], set[str]]:
    """(smaller id, larger id) -> reasons, for every pair of alive sites one rule joins."""
    pairs: dict[tuple[str, str], set[str]] = defaultdict(set)

    def pair(a: str, b: str, reason: str) -> None:
        pairs[(min(a, b), max(a, b))].add(reason)

    excluded = sorted(NOT_AFFILIATION_RULES)
    # Affiliation links between two alive sites, one row per direction.
    conn.execute(
        f"""
        CREATE TABLE {_EDGES} AS
        SELECT DISTINCT l.from_community_id AS a, l.to_community_id AS b FROM links l
        JOIN communities ca ON ca.id = l.from_community_id AND ca.status = 'alive'
        JOIN communities cb ON cb.id = l.to_community_id AND cb.status = 'alive'
        WHERE l.from_community_id != l.to_community_id
          AND (l.rule IS NULL OR l.rule NOT IN ({", ".join("?" * len(excluded))}))
        """,
        excluded,
    )
    conn.execute(f"CREATE INDEX {_EDGES}_ab ON {_EDGES.split('.')[1]} (a, b)")
    for a, b in conn.execute(f"SELECT e.a, e.b FROM {_EDGES} e JOIN {_EDGES} r ON r.a = e.b AND r.b = e.a"):
        pair(a, b, "links both ways")
    # Shared registrable domain (address or declared canonical URL), unless a host of many sites.
    for domain, ids in conn.execute(
        """
        SELECT domain, json_group_array(id) FROM (
          SELECT tremplin_group_domain(url) AS domain, id FROM communities WHERE status = 'alive'
          UNION SELECT tremplin_group_domain(canonical_url), id FROM communities WHERE status = 'alive'
        ) WHERE domain IS NOT NULL GROUP BY domain HAVING count(*) BETWEEN 2 AND ?
        """,
        [MAX_SHARED],
    ):
        ordered = sorted(json.loads(ids))
        for other in ordered[1:]:
            pair(ordered[0], other, f"shared domain {domain}")
    # Same operator, named as the first alive site (in table order) that names it.
    conn.execute(
        f"""
        CREATE TABLE {_OPERATORS} AS SELECT seq, id, operator_name, operator FROM (
          SELECT rowid AS seq, id, operator_name, tremplin_group_fold(operator_name) AS operator
          FROM communities WHERE status = 'alive'
        ) WHERE operator IS NOT NULL
        """
    )
    conn.execute(f"CREATE INDEX {_OPERATORS}_operator ON {_OPERATORS.split('.')[1]} (operator, seq)")
    for label, ids in conn.execute(
        f"""
        SELECT (SELECT f.operator_name FROM {_OPERATORS} f WHERE f.operator = o.operator ORDER BY f.seq LIMIT 1),
          json_group_array(o.id)
        FROM {_OPERATORS} o GROUP BY o.operator HAVING count(DISTINCT o.id) BETWEEN 2 AND ?
        """,
        [MAX_SHARED],
    ):
        ordered = sorted(set(json.loads(ids)))
        for other in ordered[1:]:
            pair(ordered[0], other, f"same operator {label}")
    # Same declared name, and a link in at least one direction.
    conn.execute(
        f"""
        CREATE TABLE {_NAMES} AS SELECT id, name, folded FROM (
          SELECT id, name, tremplin_group_fold(name) AS folded FROM communities WHERE status = 'alive'
        ) WHERE folded IS NOT NULL
        """
    )
    conn.execute(f"CREATE INDEX {_NAMES}_folded ON {_NAMES.split('.')[1]} (folded, id)")
    for a, b, name in conn.execute(
        f"""
        SELECT x.id, y.id, x.name FROM {_NAMES} x JOIN {_NAMES} y ON y.folded = x.folded AND y.id > x.id
        WHERE EXISTS (SELECT 1 FROM {_EDGES} WHERE (a = x.id AND b = y.id) OR (a = y.id AND b = x.id))
        """
    ):
        pair(a, b, f"same name {name}")
    return pairs


def _rows(conn: sqlite3.Connection, pairs: dict[tuple[str, str], set[str]]) -> list[dict[str, Any]]:
    """The ``community_groups`` rows of the sites ``pairs`` joins, a group per connected set."""
    union = _UnionFind()
    for a, b in pairs:
        union.union(a, b)
    grouped = sorted({s for p in pairs for s in p})
    sites: dict[str, tuple[str | None, int | None]] = {}
    for start in range(0, len(grouped), 500):
        chunk = grouped[start : start + 500]
        marks = ", ".join("?" * len(chunk))
        for site_id, name, members in conn.execute(
            f"SELECT id, name, members FROM communities WHERE id IN ({marks})", chunk
        ):
            sites[site_id] = (name, members)
    groups: dict[str, list[str]] = defaultdict(list)
    for site_id in grouped:
        groups[union.find(site_id)].append(site_id)
    rows: list[dict[str, Any]] = []
    for members in groups.values():
        primary = min(members, key=lambda i: (-(sites[i][1] or -1), i))
        reasons = sorted(
            {f"{reason} ({a} + {b})" for (a, b), found in pairs.items() if a in members for reason in found}
        )
        for site_id in sorted(members):
            rows.append(
                {
                    "community_id": site_id,
                    "group_id": primary,
                    "group_name": sites[primary][0],
                    "sites": len(members),
                    "is_primary": int(site_id == primary),
                    "reasons": json.dumps(reasons, ensure_ascii=False),
                }
            )
    return sorted(rows, key=lambda row: (row["group_id"], row["community_id"]))
