"""Tables added to a published copy: what the site's pages read and that no request should recompute.

A published copy (``crawler.publish.publish_copy``) never changes once served (Datasette's
immutable mode), so totals over every run, the language landscape, platform versions, each
community's all-time high and the home page's summary are computed once, here, into ``site_*``
tables of the copy. The crawl database itself is never touched: snapshots and the next crawl read
the original. The same step removes server paths from the copy (``runs.replay_archive`` and
``runs.jobdir`` keep their file name only).
"""

from __future__ import annotations

import functools
import sqlite3
from pathlib import Path

import langcodes

from crawler.server_paths import SERVER_PATH_COLUMNS, server_path_free
from crawler.site.shortlist import FINDER_SQL

SITE_TABLES = (
    "site_runs",
    "site_network_totals",
    "site_language_landscape",
    "site_platform_versions",
    "site_community_stats",
    "site_finder",
    "site_summary",
    # Written by crawler.publish.precompute_fastest_growing (the canned query's own SQL).
    "site_fastest_growing_sets",
    "site_fastest_growing",
)
# The communities table's column facets (metadata.yml). Filtered by one of them (a platform's
# page, its JSON), each other facet counts its values over the filtered rows: without an index
# on both columns SQLite walks the counted column's index over every community (0.1-0.3 s per
# facet at 100,000), with one it reads a range of a covering index. Sorted by members likewise.
FACET_COLUMNS = ("platform", "kind", "licence", "status")
FACET_INDEXES = tuple(
    (f"site_facet_{a}_{b}", a, b) for a in FACET_COLUMNS for b in (*FACET_COLUMNS, "members") if a != b
)
_OPEN = "exists (select 1 from open_licences ol where {c}.licence glob ol.pattern)"

_SQL = f"""
CREATE TABLE site_runs AS
SELECT r.id AS run_id, coalesce(r.replay_at, r.started_at) AS captured_at, r.started_at, r.status,
  r.monitor_status,
  (SELECT count(*) FROM run_sites s WHERE s.run_id = r.id) AS sites_visited,
  (SELECT count(*) FROM run_sites s WHERE s.run_id = r.id AND s.status IN ('alive', 'alias', 'moved'))
    AS sites_reached,
  row_number() OVER (ORDER BY coalesce(r.replay_at, r.started_at), r.id) AS seq
FROM runs r;
CREATE UNIQUE INDEX site_runs_seq ON site_runs (seq);

CREATE TEMP TABLE per_site AS
SELECT s.run_id, coalesce(c.platform, 'not recognised') AS platform,
  (SELECT o.value FROM observations o
    WHERE o.community_id = s.community_id AND o.run_id = s.run_id AND o.metric = 'members') AS members,
  (SELECT o.value FROM observations o
    WHERE o.community_id = s.community_id AND o.run_id = s.run_id AND o.metric = 'active_users_30d') AS active
FROM run_sites s JOIN communities c ON c.id = s.community_id
WHERE s.status = 'alive';

CREATE TABLE site_network_totals AS
SELECT r.run_id, r.captured_at, p.platform, count(*) AS communities, count(p.members) AS with_members,
  coalesce(sum(p.members), 0) AS members, count(p.active) AS with_active_users,
  coalesce(sum(p.active), 0) AS active_users_30d
FROM per_site p JOIN site_runs r ON r.run_id = p.run_id
GROUP BY r.run_id, p.platform
UNION ALL
SELECT r.run_id, r.captured_at, 'all' AS platform, count(*), count(p.members), coalesce(sum(p.members), 0),
  count(p.active), coalesce(sum(p.active), 0)
FROM per_site p JOIN site_runs r ON r.run_id = p.run_id
GROUP BY r.run_id;
CREATE INDEX site_network_totals_platform ON site_network_totals (platform, captured_at);
DROP TABLE per_site;

CREATE TABLE site_language_landscape AS
WITH langs AS (
  SELECT 'interface' AS role, l.value AS language, c.id, c.name, c.members, c.active_users_30d, c.licence,
    {_OPEN.format(c="c")} AS open
  FROM communities c, json_each(CASE WHEN json_valid(c.languages) THEN c.languages ELSE '[]' END) l
  WHERE c.status = 'alive'
  UNION ALL
  SELECT 'practised', l.value, c.id, c.name, c.members, c.active_users_30d, c.licence, {_OPEN.format(c="c")}
  FROM communities c,
    json_each(CASE WHEN json_valid(c.practised_languages) THEN c.practised_languages ELSE '[]' END) l
  WHERE c.status = 'alive'
), ranked AS (
  SELECT *, row_number() OVER (PARTITION BY role, language ORDER BY members DESC NULLS LAST, id) AS rank
  FROM langs
)
SELECT role, language, NULL AS language_name, count(*) AS communities, coalesce(sum(members), 0) AS members,
  coalesce(sum(active_users_30d), 0) AS active_users_30d,
  round(1.0 * sum(open) / count(*), 3) AS open_licence_share,
  round(1.0 * sum(licence IS NULL) / count(*), 3) AS licence_unknown_share,
  (SELECT group_concat(coalesce(t.name, t.id) || ' (' ||
      coalesce(printf('%,d', t.members), 'members not published') || ')', '; ')
    FROM (SELECT * FROM ranked t WHERE t.role = ranked.role AND t.language = ranked.language AND t.rank <= 3
      ORDER BY t.rank) t) AS largest
FROM ranked GROUP BY role, language;
CREATE UNIQUE INDEX site_language_landscape_key ON site_language_landscape (role, language);

CREATE TABLE site_platform_versions AS
SELECT coalesce(platform, 'not recognised') AS platform, coalesce(platform_version, 'not published') AS version,
  count(*) AS communities, coalesce(sum(members), 0) AS members,
  round(100.0 * count(*) / sum(count(*)) OVER (PARTITION BY coalesce(platform, 'not recognised')), 1)
    AS share_of_platform_percent
FROM communities WHERE status = 'alive' GROUP BY 1, 2;

CREATE TEMP TABLE highs AS
SELECT community_id, metric, max(value) AS high, observed_at AS high_at
FROM observations WHERE metric IN ('members', 'active_users_30d') GROUP BY community_id, metric;
CREATE TEMP TABLE firsts AS
SELECT s.community_id, min(r.seq) AS first_seq FROM run_sites s JOIN site_runs r ON r.run_id = s.run_id
WHERE s.status IN ('alive', 'alias') GROUP BY s.community_id;
CREATE TABLE site_community_stats AS
SELECT c.id AS community_id,
  m.high AS members_high, m.high_at AS members_high_at,
  a.high AS active_users_30d_high, a.high_at AS active_users_30d_high_at,
  (SELECT run_id FROM site_runs WHERE seq = f.first_seq) AS first_run_id,
  (SELECT captured_at FROM site_runs WHERE seq = f.first_seq) AS first_captured_at,
  f.first_seq AS first_run_seq,
  (SELECT o.value FROM observations o WHERE o.community_id = c.id AND o.metric = 'members'
    AND o.observed_at <= strftime('%Y-%m-%dT%H:%M:%S+00:00', c.last_observed_at, '-90 days')
    ORDER BY o.observed_at DESC LIMIT 1) AS members_90d_before,
  (SELECT o.value FROM observations o WHERE o.community_id = c.id AND o.metric = 'members'
    AND o.run_id = (SELECT run_id FROM site_runs WHERE seq = (SELECT max(seq) - 1 FROM site_runs)))
    AS members_previous_run
FROM communities c
LEFT JOIN highs m ON m.community_id = c.id AND m.metric = 'members'
LEFT JOIN highs a ON a.community_id = c.id AND a.metric = 'active_users_30d'
LEFT JOIN firsts f ON f.community_id = c.id;
CREATE UNIQUE INDEX site_community_stats_id ON site_community_stats (community_id);
DROP TABLE highs;
DROP TABLE firsts;
{FINDER_SQL}
CREATE TABLE site_summary AS
SELECT (SELECT count(*) FROM communities WHERE status = 'alive') AS communities_alive,
  (SELECT count(*) FROM site_language_landscape WHERE role = 'interface') AS languages,
  (SELECT count(*) FROM site_language_landscape WHERE role = 'practised') AS practised_languages,
  (SELECT count(DISTINCT platform) FROM communities WHERE status = 'alive' AND platform IS NOT NULL) AS platforms,
  (SELECT coalesce(sum(members), 0) FROM community_presence) AS members_counted_once,
  r.run_id AS last_run_id, r.captured_at AS last_run_captured_at, r.status AS last_run_status,
  r.monitor_status AS last_run_monitor_status, r.sites_visited AS last_run_sites_visited,
  r.sites_reached AS last_run_sites_reached,
  round(100.0 * r.sites_reached / nullif(r.sites_visited, 0), 1) AS last_run_coverage_percent,
  (SELECT count(*) FROM site_runs) AS runs,
  (SELECT min(captured_at) FROM site_runs) AS first_run_captured_at
FROM (SELECT 1) LEFT JOIN (SELECT * FROM site_runs ORDER BY seq DESC LIMIT 1) r;
"""


@functools.lru_cache(maxsize=4096)
def language_name(tag: str) -> str:
    """Return the English name of a BCP 47 tag ("fr-CA" → "French (Canada)"), or the tag itself."""
    try:
        return langcodes.Language.get(tag).display_name("en")
    except (ValueError, LookupError):
        return tag


def add_site_tables(path: Path) -> None:
    """Add the ``site_*`` tables to the published copy at ``path`` and strip server paths from it."""
    conn = sqlite3.connect(path)
    try:
        with conn:
            for table in SITE_TABLES:
                conn.execute(f"DROP TABLE IF EXISTS {table}")
            conn.executescript(_SQL)
            tags = [row[0] for row in conn.execute("SELECT DISTINCT language FROM site_language_landscape")]
            conn.executemany(
                "UPDATE site_language_landscape SET language_name = ? WHERE language = ?",
                [(language_name(tag), tag) for tag in tags],
            )
            conn.create_function("server_path_free", 1, server_path_free, deterministic=True)
            for table, columns in SERVER_PATH_COLUMNS.items():
                assignments = ", ".join(f"{column} = server_path_free({column})" for column in columns)
                conn.execute(f"UPDATE {table} SET {assignments}")
            for name, first, second in FACET_INDEXES:
                conn.execute(f"CREATE INDEX IF NOT EXISTS {name} ON communities ({first}, {second})")
        conn.execute("ANALYZE")
    finally:
        conn.close()


def has_site_tables(path: Path) -> bool:
    """True when ``path`` is a published copy with its ``site_*`` tables."""
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
        names = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    conn.close()
    return set(SITE_TABLES) <= names
