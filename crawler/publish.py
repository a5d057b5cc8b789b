"""Publish a database read-only with Datasette: metadata, canned queries, safe settings, the command line."""

from __future__ import annotations

import json
import os
import re
import sqlite3
import sys
from pathlib import Path
from typing import Any

import yaml

PACKAGE_DIR = Path(__file__).resolve().parent
METADATA_FILE = PACKAGE_DIR / "metadata.yml"
TEMPLATE_DIR = PACKAGE_DIR / "templates"
SAMPLE_NOTE = (
    "<p><strong>Fictional sample data.</strong> This database was built from Tremplin's bundled "
    "offline sample web: every community in it is invented, on reserved <code>.example</code>/"
    "<code>.test</code> domains.</p>"
)
# Bounded queries for a public instance; Datasette never writes to an immutable database.
DATASETTE_SETTINGS = {
    "sql_time_limit_ms": 3000,
    "facet_time_limit_ms": 500,
    "max_returned_rows": 1000,
    "max_csv_mb": 200,
    "default_cache_ttl": 600,
    "num_sql_threads": 2,
    # One suggestion query per column on every table page is too much for 100,000 rows.
    "suggest_facets": False,
}
# Every Datasette plugin allowed next to a published database: all of them only read.
READ_ONLY_PLUGINS = frozenset(
    {"datasette-block-robots", "datasette-dashboards", "datasette-leaflet", "datasette-render-markdown"}
    | {"crawler.serving.plugin"}  # tremplin serve's page cache and cache headers
)
_PARAM_NAME = re.compile(r"[a-z_][a-z0-9_]*")


def is_sample_database(db_path: Path) -> bool:
    """True when every run of the database replayed the bundled sample web."""
    with sqlite3.connect(f"file:{db_path}?mode=ro", uri=True) as conn:
        try:
            archives = {row[0] for row in conn.execute("SELECT replay_archive FROM runs")}
        except sqlite3.DatabaseError:
            return False
    return bool(archives) and all(a and a.endswith("sample_web.warc.gz") for a in archives)


def with_defaults(query: dict[str, Any]) -> dict[str, Any]:
    """Return a canned query whose ``defaults`` become a ``params`` CTE: an empty field takes its default.

    Datasette 0.65 passes a missing parameter as an empty string and has no defaults of its own.
    """
    defaults = query.get("defaults")
    if not defaults:
        return query
    columns = []
    for name, default in defaults.items():
        if not _PARAM_NAME.fullmatch(name):
            raise ValueError(f"bad parameter name {name!r}")
        given = f"nullif(trim(:{name}), '')"
        if isinstance(default, int):
            columns.append(f"cast(coalesce({given}, {int(default)}) as integer) as {name}")
        else:
            literal = "'" + str(default).replace("'", "''") + "'"
            columns.append(f"coalesce({given}, {literal}) as {name}")
    cte = "params as (\n  select " + ",\n    ".join(columns) + "\n)"
    sql = query["sql"].strip()
    # A query with CTEs of its own gets `params` as its first CTE.
    sql = f"with {cte}, {sql[5:]}" if sql[:5].lower() == "with " else f"with {cte}\n{sql}"
    return {**query, "sql": sql, "params": list(defaults)}


def load_metadata() -> dict[str, Any]:
    """Return the project's metadata file as a dict, its ``database_additions`` merged into ``database``."""
    config = yaml.safe_load(METADATA_FILE.read_text(encoding="utf-8"))
    return merge_additions(config)


def merge_additions(config: dict[str, Any]) -> dict[str, Any]:
    """Merge the file's trailing ``database_additions`` block (table columns, canned queries) into ``database``.

    Features kept in their own block at the end of the metadata file (the use case's seeds report)
    add their column descriptions and queries there without editing the main blocks.
    """
    additions = config.pop("database_additions", None) or {}
    database = config.setdefault("database", {})
    for table, columns in (additions.get("columns") or {}).items():
        database.setdefault("tables", {}).setdefault(table, {}).setdefault("columns", {}).update(columns)
    database.setdefault("queries", {}).update(additions.get("queries") or {})
    return config


def canned_query(name: str) -> dict[str, Any]:
    """Return one canned query of the metadata, defaults applied (the SQL Datasette runs)."""
    return with_defaults(load_metadata()["database"]["queries"][name])


def build_metadata(db_path: Path) -> dict[str, Any]:
    """Return Datasette metadata for ``db_path``: the project's metadata applied to this file."""
    db_path = Path(db_path)
    config = load_metadata()
    database = config.pop("database")
    database["queries"] = {name: with_defaults(query) for name, query in database.get("queries", {}).items()}
    # Dashboards name the database they query: it is the served file's name.
    for dashboard in config.get("plugins", {}).get("datasette-dashboards", {}).values():
        for part in (*dashboard.get("charts", {}).values(), *dashboard.get("filters", {}).values()):
            if "query" in part:
                part["db"] = db_path.stem
    if is_sample_database(db_path):
        config["title"] = f"{config['title']} (fictional sample data)"
        config["description_html"] = SAMPLE_NOTE + config["description_html"]
    config["databases"] = {db_path.stem: database}
    return config


def make_datasette(db_path: Path):
    """Return an in-process Datasette serving ``db_path`` exactly as ``tremplin serve`` does."""
    from datasette.app import Datasette

    return Datasette(
        immutables=[str(db_path)],
        metadata=build_metadata(db_path),
        settings=DATASETTE_SETTINGS,
        template_dir=str(TEMPLATE_DIR),
    )


def publish_copy(db_path: Path) -> Path:
    """Copy ``db_path``, schema brought up to date, to ``published/<name>`` beside it; return the copy.

    Immutable mode trusts the file never to change, so Datasette must not read the file a crawl
    writes to. ``VACUUM INTO`` gives a consistent, compact, rollback-journal copy even while a
    crawl writes (WAL included), swapped in atomically.
    """
    from crawler.storage import open_database

    db_path = Path(db_path)
    open_database(db_path).close()  # the canned queries need the latest migrations (FTS, indexes)
    target = db_path.parent / "published" / db_path.name
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.partial")
    partial.unlink(missing_ok=True)
    with sqlite3.connect(f"file:{db_path}?mode=ro", uri=True) as conn:
        conn.execute("VACUUM INTO ?", [str(partial)])
    conn.close()
    os.replace(partial, target)
    return target


def datasette_command(db_path: Path, port: int = 8001, host: str = "127.0.0.1") -> list[str]:
    """Publish a copy of ``db_path`` and return the command serving it read-only, its metadata beside it."""
    served = publish_copy(db_path)
    metadata_path = served.with_name(f"{served.stem}.metadata.json")
    metadata_path.write_text(json.dumps(build_metadata(served), indent=2, ensure_ascii=False), encoding="utf-8")
    command = [
        sys.executable, "-m", "datasette", "serve",
        "--immutable", str(served),
        "--metadata", str(metadata_path),
        "--template-dir", str(TEMPLATE_DIR),
        "--host", host, "--port", str(port),
    ]  # fmt: skip
    for name, value in DATASETTE_SETTINGS.items():
        command += ["--setting", name, str(value).lower() if isinstance(value, bool) else str(value)]
    return command
