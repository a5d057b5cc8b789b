"""Frozen migrations: a database upgraded one release at a time equals one built fresh.

The sqlite-utils way: each migration writes its columns out literally, so what it creates never
changes once shipped; a new column comes with a new migration. Schemas are compared exactly, as
SQLite stores them (``sqlite_master``: every table, index, trigger and view with its SQL).
"""

from __future__ import annotations

import ast
import builtins
import inspect

import sqlite_utils

from crawler.extraction import METRICS, OUTREACH_LIST_FIELDS, OUTREACH_SCALAR_FIELDS
from crawler.storage import open_database, schema
from crawler.storage.schema import LATEST_COLUMNS, migrations

# Names a migration may use besides its own locals: nothing from the live code.
ALLOWED_GLOBALS = set(dir(builtins)) | {"Any"}


def schema_of(db: sqlite_utils.Database) -> list[tuple[str, str, str, str | None]]:
    return db.execute("SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name").fetchall()


def migration_names() -> list[str]:
    return [migration.name for migration in migrations.pending(sqlite_utils.Database(memory=True))]


def test_the_migrations_in_order():
    assert migration_names() == [
        "0001_initial_schema",
        "0002_search_communities",
        "0003_publishing_indexes",
        "0004_run_sites",
        "0005_open_licences",
        "0006_canaries",
        "0010_discovery",
        "0011_run_operations",
        "0012_outreach",
        "0019_corpus_metrics",
        "0020_state_reason",
    ]


def test_a_database_migrated_step_by_step_equals_a_fresh_one(tmp_path):
    names = migration_names()
    stepwise = tmp_path / "stepwise.db"
    for step, next_name in enumerate(names[1:], start=1):
        db = sqlite_utils.Database(stepwise)  # a new connection per release, as an upgrade would open it
        migrations.apply(db, stop_before=next_name)
        assert [m.name for m in migrations.applied(db)] == names[:step]
        if step == 1:  # data written by the first release, carried through every later migration
            db["runs"].insert({"id": "r1", "started_at": "2026-01-01T00:00:00+00:00", "status": "finished"})
            db["communities"].insert(
                {"id": "a.example", "url": "https://a.example/", "status": "alive", "last_run_id": "r1", "members": 5}
            )
        db.close()
    upgraded = open_database(stepwise)
    fresh = open_database(tmp_path / "fresh.db")
    assert [m.name for m in migrations.applied(upgraded)] == names
    assert schema_of(upgraded) == schema_of(fresh)
    assert len(schema_of(fresh)) == 59  # tables, indexes, FTS tables, triggers, the view
    # The data survived, and the migrations that backfill from data did so.
    assert list(upgraded["communities"].rows_where(select="id, members")) == [{"id": "a.example", "members": 5}]
    assert list(upgraded["run_sites"].rows) == [{"run_id": "r1", "community_id": "a.example", "status": "alive"}]


def test_the_first_migration_creates_the_first_release_columns(tmp_path):
    db = sqlite_utils.Database(tmp_path / "first.db")
    migrations.apply(db, stop_before="0002_search_communities")
    assert [column.name for column in db["communities"].columns] == [
        "id", "url", "seed_url", "name", "description", "platform", "platform_version", "kind", "languages",
        "licence", "licence_url", "last_activity_at", "canonical_url", "moved_from", "registrations_open",
        "status", "first_seen_at", "last_crawled_at", "last_observed_at", "last_run_id",
        "members", "active_users_1d", "active_users_7d", "active_users_30d", "active_users_180d", "online_now",
        "posts", "comments", "topics", "posts_7d", "posts_30d", "topics_7d", "topics_30d", "edits", "articles",
        "pages", "communities",
    ]  # fmt: skip
    assert sorted(db.table_names()) == ["_sqlite_migrations", "communities", "evidence", "fetch_errors", "links",
                                        "observations", "runs"]  # fmt: skip


def test_every_live_field_has_a_column(tmp_path):
    # A metric or outreach field added to crawler.extraction needs a migration adding its column.
    columns = set(open_database(tmp_path / "c.db")["communities"].columns_dict)
    for name in (*METRICS, *OUTREACH_SCALAR_FIELDS, *OUTREACH_LIST_FIELDS, *LATEST_COLUMNS):
        assert name in columns, f"communities.{name} is missing: add a migration for it (crawler/storage/schema.py)"


def _migration_functions() -> list[ast.FunctionDef]:
    tree = ast.parse(inspect.getsource(schema))
    return [
        node
        for node in tree.body
        if isinstance(node, ast.FunctionDef)
        and any(isinstance(d, ast.Call) and getattr(d.func, "id", None) == "migrations" for d in node.decorator_list)
    ]


def test_no_migration_reads_a_live_constant():
    functions = _migration_functions()
    assert [f.name for f in functions] == [
        "_initial_schema", "_search_communities", "_publishing_indexes", "_run_sites", "_open_licences",
        "_canaries", "_discovery", "_run_operations", "_outreach", "_corpus_metrics", "_state_reason",
    ]  # fmt: skip
    for function in functions:
        names = [node for statement in function.body for node in ast.walk(statement) if isinstance(node, ast.Name)]
        own = {arg.arg for arg in function.args.args} | {n.id for n in names if isinstance(n.ctx, ast.Store)}
        read = {n.id for n in names if isinstance(n.ctx, ast.Load)}
        assert read - own - ALLOWED_GLOBALS == set(), f"{function.name} reads live names"
