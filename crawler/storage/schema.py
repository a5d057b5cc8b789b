"""The declared schema: sqlite-utils migrations in order, and :func:`open_database` applying them.

Migrations are frozen, the sqlite-utils way: each writes its tables and columns out literally and
never reads a live constant (``METRICS``, the outreach fields), so a database built in one release
and upgraded equals one built fresh in the next. A new metric or field needs a new migration adding
its column; ``tests/test_migrations.py`` fails until there is one. The schema's version is the
number of migrations applied (``tremplin snapshot`` writes it into the manifest).

The column sets below the migrations are the live ones the writes use (``crawler.storage.writes``).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import sqlite_utils

from crawler.extraction import METRICS, OUTREACH_LIST_FIELDS, OUTREACH_SCALAR_FIELDS

migrations = sqlite_utils.Migrations("tremplin")

# --- the live column sets of the writes (migrations never read these) -----------------------------

COMMUNITY_TEXT_COLUMNS = (
    "url",
    "seed_url",
    "name",
    "description",
    "platform",
    "platform_version",
    "kind",
    "languages",
    "licence",
    "licence_url",
    "last_activity_at",
    "canonical_url",
    "moved_from",
)

# Outreach values (declared once in crawler.extraction): texts, one flag (`meetups`), and lists
# stored as JSON arrays.
OUTREACH_TEXT_COLUMNS = tuple(name for name in OUTREACH_SCALAR_FIELDS if name != "meetups")
OUTREACH_LIST_COLUMNS = OUTREACH_LIST_FIELDS

# Columns that describe what the site says of itself: only an item observed at least as recently
# as the stored one may replace them (replaying an old capture must not roll the latest state back).
LATEST_COLUMNS = (
    *COMMUNITY_TEXT_COLUMNS,
    "registrations_open",
    *METRICS,
    "last_observed_at",
    *OUTREACH_TEXT_COLUMNS,
    "meetups",
    *OUTREACH_LIST_COLUMNS,
)
# Statuses of a visit that read the site's pages (its figures and evidence are stored).
OBSERVED_STATUSES = ("alive", "alias")


# --- migrations: frozen, in order ------------------------------------------------------------------


@migrations(name="0001_initial_schema")
def _initial_schema(db: sqlite_utils.Database) -> None:
    # The metric columns are the harmonised vocabulary as it was when this migration shipped.
    columns: dict[str, Any] = {
        "id": str, "url": str, "seed_url": str, "name": str, "description": str, "platform": str,
        "platform_version": str, "kind": str, "languages": str, "licence": str, "licence_url": str,
        "last_activity_at": str, "canonical_url": str, "moved_from": str,
        "registrations_open": int, "status": str, "first_seen_at": str, "last_crawled_at": str,
        "last_observed_at": str, "last_run_id": str,
        "members": int, "active_users_1d": int, "active_users_7d": int, "active_users_30d": int,
        "active_users_180d": int, "online_now": int, "posts": int, "comments": int, "topics": int,
        "posts_7d": int, "posts_30d": int, "topics_7d": int, "topics_30d": int, "edits": int,
        "articles": int, "pages": int, "communities": int,
    }  # fmt: skip
    db["communities"].create(columns, pk="id", not_null={"url", "status"})
    db["runs"].create(
        {
            "id": str,
            "started_at": str,
            "finished_at": str,
            "status": str,
            "finish_reason": str,
            "spider": str,
            "seeds": int,
            "sites": int,
            "pages": int,
            "items": int,
            "errors": int,
            "replay_archive": str,
            "replay_at": str,
            "tool_version": str,
            "scrapy_version": str,
        },
        pk="id",
        not_null={"started_at", "status"},
    )
    db["observations"].create(
        {
            "community_id": str,
            "run_id": str,
            "metric": str,
            "value": int,
            "observed_at": str,
            "source_url": str,
            "rule": str,
            "snippet": str,
            "approximate": int,
        },
        pk=("community_id", "run_id", "metric"),
        not_null={"value", "observed_at", "source_url", "rule"},
        foreign_keys=[("community_id", "communities", "id"), ("run_id", "runs", "id")],
    )
    db["evidence"].create(
        {
            "community_id": str,
            "run_id": str,
            "field": str,
            "value": str,
            "observed_at": str,
            "source_url": str,
            "rule": str,
            "snippet": str,
        },
        pk=("community_id", "run_id", "field"),
        foreign_keys=[("community_id", "communities", "id"), ("run_id", "runs", "id")],
    )
    db["fetch_errors"].create(
        {
            "run_id": str,
            "url": str,
            "site_id": str,
            "error": str,
            "message": str,
            "http_status": int,
            "at": str,
        },
        pk=("run_id", "url"),
        foreign_keys=[("run_id", "runs", "id")],
    )
    db["links"].create(
        {
            "from_community_id": str,
            "to_url": str,
            "to_community_id": str,
            "rule": str,
            "first_seen_run_id": str,
        },
        pk=("from_community_id", "to_url"),
        foreign_keys=[("from_community_id", "communities", "id")],
    )
    db["observations"].create_index(["metric", "observed_at"])
    db["observations"].create_index(["run_id"])
    db["fetch_errors"].create_index(["error"])


@migrations(name="0002_search_communities")
def _search_communities(db: sqlite_utils.Database) -> None:
    # Names and descriptions come in every language: fold diacritics so "Montreal" finds "Montréal";
    # no porter stemming, which is English-only.
    db["communities"].enable_fts(
        ["name", "description"], fts_version="FTS5", tokenize="unicode61 remove_diacritics 2", create_triggers=True
    )


@migrations(name="0003_publishing_indexes")
def _publishing_indexes(db: sqlite_utils.Database) -> None:
    # The partner shortlist ranges over members; Datasette facets group by the other columns.
    for column in ("members", "platform", "kind", "licence", "status"):
        db["communities"].create_index([column])
    # Growth between two runs reads one run's values in community order and looks up the other
    # run's within the same index, never touching the table.
    db["observations"].create_index(["run_id", "metric", "community_id", "value"])


@migrations(name="0004_run_sites")
def _run_sites(db: sqlite_utils.Database) -> None:
    # `communities` keeps only the latest status, so coverage of an older run could not be told
    # afterwards. Triggers record every site's outcome per run, whatever code writes the row. They
    # use UPSERT, not INSERT OR REPLACE: inside a trigger the outer statement's conflict policy wins.
    db["run_sites"].create(
        {"run_id": str, "community_id": str, "status": str}, pk=("run_id", "community_id"), not_null={"status"}
    )
    db["run_sites"].create_index(["run_id", "status"])  # a run's coverage is counted from the index alone
    db.executescript(
        """
        CREATE TRIGGER run_sites_community_insert AFTER INSERT ON communities
        WHEN new.last_run_id IS NOT NULL BEGIN
          INSERT INTO run_sites (run_id, community_id, status) VALUES (new.last_run_id, new.id, new.status)
          ON CONFLICT (run_id, community_id) DO UPDATE SET status = excluded.status;
        END;
        CREATE TRIGGER run_sites_community_update AFTER UPDATE OF status, last_run_id ON communities
        WHEN new.last_run_id IS NOT NULL BEGIN
          INSERT INTO run_sites (run_id, community_id, status) VALUES (new.last_run_id, new.id, new.status)
          ON CONFLICT (run_id, community_id) DO UPDATE SET status = excluded.status;
        END;
        -- A replayed older capture leaves the row untouched, yet the run did reach the site.
        CREATE TRIGGER run_sites_observation_insert AFTER INSERT ON observations BEGIN
          INSERT INTO run_sites (run_id, community_id, status) VALUES (new.run_id, new.community_id, 'alive')
          ON CONFLICT (run_id, community_id) DO NOTHING;
        END;
        INSERT OR IGNORE INTO run_sites (run_id, community_id, status)
          SELECT last_run_id, id, status FROM communities WHERE last_run_id IS NOT NULL;
        INSERT OR IGNORE INTO run_sites (run_id, community_id, status)
          SELECT DISTINCT run_id, community_id, 'alive' FROM observations;
        """
    )


@migrations(name="0005_open_licences")
def _open_licences(db: sqlite_utils.Database) -> None:
    # The one definition of an open content licence (Open Definition conformant: reuse and
    # modification allowed, commercial use included, so no -NC/-ND), as SPDX id GLOB patterns.
    # Canned queries join on this table; change it with a new migration, never here.
    db["open_licences"].create({"pattern": str, "family": str}, pk="pattern")
    db["open_licences"].insert_all(
        [
            {"pattern": "CC0-1.0", "family": "Creative Commons Zero (public domain dedication)"},
            {"pattern": "CC-PDDC", "family": "Creative Commons public domain dedication and certification"},
            {"pattern": "CC-PDM-1.0", "family": "Creative Commons Public Domain Mark"},
            {"pattern": "CC-BY-[0-9]*", "family": "Creative Commons Attribution, any version or port"},
            {"pattern": "CC-BY-SA-[0-9]*", "family": "Creative Commons Attribution-ShareAlike, any version or port"},
            {"pattern": "GFDL-*", "family": "GNU Free Documentation License, any variant"},
            {"pattern": "ODbL-*", "family": "Open Data Commons Open Database License"},
            {"pattern": "ODC-By-*", "family": "Open Data Commons Attribution License"},
            {"pattern": "PDDL-*", "family": "Open Data Commons Public Domain Dedication and License"},
            {"pattern": "LAL-*", "family": "Licence Art Libre"},
            {"pattern": "etalab-2.0", "family": "Licence Ouverte / Open Licence (Etalab)"},
            {"pattern": "OGL-UK-*", "family": "UK Open Government Licence"},
        ]
    )


@migrations(name="0006_canaries")
def _canaries(db: sqlite_utils.Database) -> None:
    # Well-known communities that every healthy crawl reaches; losing one blocks the next snapshot.
    # Kept apart from `communities` so a flag survives the row being rebuilt or not yet crawled.
    db["canaries"].create({"community_id": str, "reason": str, "flagged_at": str}, pk="community_id")


@migrations(name="0010_discovery")
def _discovery(db: sqlite_utils.Database) -> None:
    # Liveness and refresh: why the last visit failed, how many failed in a row, when to come back.
    communities = db["communities"]
    for column, column_type in (
        ("alias_of", str), ("error_kind", str), ("failures", int), ("next_due_at", str),
        ("is_seed", int), ("depth", int), ("discovered_from", str),
    ):  # fmt: skip
        communities.add_column(column, column_type)
    communities.create_index(["next_due_at"])
    db["candidates"].create(
        {
            "site_id": str,
            "url": str,
            "status": str,
            "reason": str,
            "found_from": str,
            "rule": str,
            "depth": int,
            "first_seen_at": str,
            "last_seen_at": str,
            "last_run_id": str,
            "next_due_at": str,
        },
        pk="site_id",
        not_null={"url", "status"},
    )
    db["links"].add_column("to_site_id", str)
    db["links"].create_index(["to_site_id"])
    db["fetch_errors"].add_column("retry_after", int)


@migrations(name="0011_run_operations")
def _run_operations(db: sqlite_utils.Database) -> None:
    # Unattended runs: the data-quality verdict (ok, degraded, failed) with its reasons, how often
    # a run was interrupted and resumed (JOBDIR), and the community total the next run's
    # sudden-drop monitor compares against. Events keep the order: started, interrupted, resumed...
    runs = db["runs"]
    for column, column_type in (
        ("monitor_status", str), ("monitor_reasons", str), ("monitored_at", str), ("alive_total", int),
        ("interruptions", int), ("resumes", int), ("resumed_at", str), ("jobdir", str), ("mode", str),
    ):  # fmt: skip
        runs.add_column(column, column_type)
    db["run_events"].create(
        {"run_id": str, "seq": int, "at": str, "event": str, "detail": str},
        pk=("run_id", "seq"),
        not_null={"at", "event"},
    )
    db["run_checks"].create(
        {"run_id": str, "monitor": str, "status": str, "value": float, "threshold": float, "reason": str},
        pk=("run_id", "monitor"),
        not_null={"status"},
    )


@migrations(name="0012_outreach")
def _outreach(db: sqlite_utils.Database) -> None:
    # The course designer's view: how to reach, join and partner with each community; groups of
    # sites of one community; trust flags on counts. Groups and flags are recomputed after every
    # run (crawler.analysis).
    communities = db["communities"]
    for column, column_type in (
        ("about_url", str), ("contact_url", str), ("imprint_url", str), ("contact_email", str),
        ("operator_name", str), ("operator_type", str), ("registration_mode", str), ("price_model", str),
        ("federation", str), ("meetups", int), ("meetup_cities", str), ("practised_languages", str),
    ):  # fmt: skip
        communities.add_column(column, column_type)
    for column in ("operator_type", "federation"):
        communities.create_index([column])
    db["community_groups"].create(
        {
            "community_id": str,
            "group_id": str,
            "group_name": str,
            "sites": int,
            "is_primary": int,
            "reasons": str,
            "computed_run_id": str,
        },
        pk="community_id",
        not_null={"group_id"},
    )
    db["community_groups"].create_index(["group_id"])
    db["count_flags"].create(
        {
            "community_id": str,
            "metric": str,
            "flag": str,
            "reason": str,
            "value": int,
            "observed_at": str,
            "run_id": str,
            "computed_run_id": str,
        },
        pk=("community_id", "metric", "flag"),
        not_null={"reason"},
    )
    db["count_flags"].create_index(["flag", "metric"])
    # The flags read the two newest observations of every (community, metric) in this order.
    db["observations"].create_index(["community_id", "metric", "observed_at"])
    # One row per community presence: a group of sites counted once (its largest site's members:
    # people hold accounts on several sites of one community), or a site on its own.
    db.execute(
        """
        CREATE VIEW community_presence AS
        SELECT coalesce(g.group_id, c.id) AS presence_id,
          coalesce(max(g.group_name), max(c.name)) AS name,
          count(*) AS sites,
          json_group_array(c.id) AS site_ids,
          max(c.members) AS members,
          max(c.active_users_30d) AS active_users_30d,
          sum(c.posts) AS posts
        FROM communities c LEFT JOIN community_groups g ON g.community_id = c.id
        WHERE c.status = 'alive'
        GROUP BY coalesce(g.group_id, c.id)
        """
    )


@migrations(name="0019_corpus_metrics")
def _corpus_metrics(db: sqlite_utils.Database) -> None:
    # Open-content corpora count sentences and their languages (Tatoeba); a database created after
    # these metrics joined METRICS already has the columns from the initial schema.
    communities = db["communities"]
    for metric in ("sentences", "corpus_languages", "contributions_1d"):
        if metric not in communities.columns_dict:
            communities.add_column(metric, int)


@migrations(name="0020_state_reason")
def _state_reason(db: sqlite_utils.Database) -> None:
    # Why a site is in its state when the error kind alone does not say it (a community known to
    # have closed, and what its address answers now).
    db["communities"].add_column("state_reason", str)


class DatabaseRefusedError(ValueError):
    """The file is not a database Tremplin may write to; the message says why, on one line."""


def check_database(path: str | Path) -> None:
    """Refuse, before anything is written, a file that is not Tremplin's to migrate.

    A missing or empty file, or a SQLite database without tables, becomes Tremplin's. Refused: a file
    that is not SQLite, one truncated or unreadable, and one holding tables without Tremplin's
    migrations (another application's database is never migrated, nor switched to WAL).
    """
    path = Path(path)
    if not path.is_file() or path.stat().st_size == 0:
        return
    with path.open("rb") as handle:
        if handle.read(16) != b"SQLite format 3\x00":
            raise DatabaseRefusedError(f"{path} is not a SQLite database")
    size = path.stat().st_size
    wal = Path(f"{path}-wal")
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            tables = [row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
            page_size, pages = (conn.execute(f"PRAGMA {name}").fetchone()[0] for name in ("page_size", "page_count"))
            ours = (
                "_sqlite_migrations" in tables
                and conn.execute(
                    "SELECT 1 FROM _sqlite_migrations WHERE migration_set = ? LIMIT 1", [migrations.name]
                ).fetchone()
            )
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise DatabaseRefusedError(f"{path} cannot be read as a SQLite database ({exc})") from None
    # Pages not yet checkpointed live in the -wal file; without one, the file must hold every page.
    if size < page_size * pages and not (wal.is_file() and wal.stat().st_size):
        raise DatabaseRefusedError(f"{path} is truncated ({size:,} of {page_size * pages:,} bytes)")
    if tables and not ours:
        shown = ", ".join(sorted(tables)[:3]) + (f" and {len(tables) - 3} more" if len(tables) > 3 else "")
        raise DatabaseRefusedError(f"{path} is not a Tremplin database (its tables: {shown}); it was left unchanged")


def open_database(path: str | Path) -> sqlite_utils.Database:
    """Open (creating if needed) the database at ``path`` and bring its schema up to date.

    :raises DatabaseRefusedError: when the file is not Tremplin's (:func:`check_database`); it is left unchanged.
    """
    path = Path(path)
    check_database(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    db = sqlite_utils.Database(path)
    # WAL lets Datasette or a researcher read while a crawl writes.
    db.execute("PRAGMA busy_timeout = 10000")
    if db.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
        db.enable_wal()
    migrations.apply(db)
    return db
