"""Publish a database read-only with Datasette: metadata, canned queries, safe settings, the command line."""

from __future__ import annotations

import asyncio
import json
import os
import re
import sqlite3
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import yaml

from crawler.site import STATIC_DIR, STATIC_MOUNT
from crawler.site.functions import register_functions
from crawler.site.precompute import add_site_tables, has_site_tables
from crawler.site.queries import GENERATED

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
    {
        "datasette-atom",
        "datasette-block-robots",
        "datasette-dashboards",
        "datasette-leaflet",
        "datasette-render-markdown",
        # Tremplin's own hooks (crawler/site/, the `datasette` entry points of pyproject.toml).
        "tremplin",
    }
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


def _literal(value: Any) -> str:
    if isinstance(value, bool | int):
        return str(int(value))
    return "'" + str(value).replace("'", "''") + "'"


def _param_column(name: str, default: Any) -> str:
    """Return the ``params`` column of one parameter: its default when empty, else the value read."""
    given = f"nullif(trim(:{name}), '')"
    if isinstance(default, dict):
        # A typed parameter: read by a SQL function of crawler/site/functions.py, NULL when unreadable.
        kind = default["type"]
        reader = {
            "count": f"tremplin_count(:{name})",
            "flag": f"tremplin_flag(:{name})",
            "language": f"tremplin_language(:{name})",
            "flags": f"tremplin_flags(:{name})",
            "choice": f"tremplin_choice(:{name}, {_literal('|'.join(default.get('choices', [])))})",
        }[kind]
        return f"case when {given} is null then {_literal(default['default'])} else {reader} end as {name}"
    if isinstance(default, int):
        return f"cast(coalesce({given}, {int(default)}) as integer) as {name}"
    return f"coalesce({given}, {_literal(default)}) as {name}"


def with_defaults(query: dict[str, Any]) -> dict[str, Any]:
    """Return a canned query whose ``defaults`` become a ``params`` CTE: an empty field takes its default.

    Datasette 0.65 passes a missing parameter as an empty string and has no defaults of its own. A
    default may be typed (``{type: count, default: 50000}``, see crawler/site/params.py): a value
    the site cannot read is NULL in ``params`` and ``params.params_ok`` is 0, so the query answers
    no rows (the page says why) instead of silently using another value.
    """
    defaults = query.get("defaults")
    if not defaults:
        return query
    for name in defaults:
        if not _PARAM_NAME.fullmatch(name):
            raise ValueError(f"bad parameter name {name!r}")
    columns = [_param_column(name, default) for name, default in defaults.items()]
    typed = [name for name, default in defaults.items() if isinstance(default, dict)]
    ok = " and ".join(f"{name} is not null" for name in typed) or "1"
    # MATERIALIZED: computed once; inlined, each parameter's reader would run once per row.
    readers = ",\n    ".join(columns)
    cte = f"params as materialized (\n  select *, ({ok}) as params_ok from (\n  select {readers})\n)"
    sql = query["sql"].strip()
    # A query with CTEs of its own gets `params` as its first CTE.
    sql = f"with {cte}, {sql[5:]}" if sql[:5].lower() == "with " else f"with {cte}\n{sql}"
    return {**query, "sql": sql, "params": list(defaults)}


def param_specs(query: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Return the typed parameters of a canned query (name → spec), as crawler.site.params reads them."""
    return {name: spec for name, spec in (query.get("defaults") or {}).items() if isinstance(spec, dict)}


def _filled(query: dict[str, Any]) -> dict[str, Any]:
    """Return a canned query with the generated SQL and parameters ``sql_from`` names (crawler/site/queries.py)."""
    source = query.get("sql_from")
    if source is None:
        return query
    query = {key: value for key, value in query.items() if key != "sql_from"}
    sql, defaults = GENERATED[source]
    return {**query, "sql": sql, "defaults": dict(defaults)}


def load_metadata() -> dict[str, Any]:
    """Return the project's metadata file as a dict."""
    return yaml.safe_load(METADATA_FILE.read_text(encoding="utf-8"))


def canned_query(name: str) -> dict[str, Any]:
    """Return one canned query of the metadata, defaults applied (the SQL Datasette runs)."""
    return with_defaults(_filled(load_metadata()["database"]["queries"][name]))


def build_metadata(db_path: Path) -> dict[str, Any]:
    """Return Datasette metadata for ``db_path``: the project's metadata applied to this file."""
    db_path = Path(db_path)
    config = load_metadata()
    database = config.pop("database")
    database["queries"] = {name: with_defaults(_filled(query)) for name, query in database.get("queries", {}).items()}
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
    """Return an in-process Datasette serving the published copy ``db_path`` as ``tremplin serve`` does.

    ``db_path`` must be a copy made by :func:`publish_copy` (its ``site_*`` tables are read by the
    pages); a crawl database is refused with a ValueError saying so.
    """
    from datasette.app import Datasette

    if not has_site_tables(Path(db_path)):
        raise ValueError(f"{db_path} is not a published copy: publish it first (crawler.publish.publish_copy)")
    inspect_path = Path(db_path).with_name(f"{Path(db_path).stem}.inspect.json")
    inspect_data = json.loads(inspect_path.read_text(encoding="utf-8")) if inspect_path.exists() else None
    return Datasette(
        immutables=[str(db_path)],
        inspect_data=inspect_data,
        metadata=build_metadata(db_path),
        settings=DATASETTE_SETTINGS,
        template_dir=str(TEMPLATE_DIR),
        static_mounts=[(STATIC_MOUNT, str(STATIC_DIR))],
    )


def publish_copy(db_path: Path) -> Path:
    """Copy ``db_path``, schema brought up to date, to ``published/<name>`` beside it; return the copy.

    Immutable mode trusts the file never to change, so Datasette must not read the file a crawl
    writes to. ``VACUUM INTO`` gives a consistent, compact, rollback-journal copy even while a
    crawl writes (WAL included), swapped in atomically. The copy gets the site's precomputed
    ``site_*`` tables and loses server paths (crawler/site/precompute.py).
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
    add_site_tables(partial)
    precompute_fastest_growing(partial)
    write_inspect_file(partial, target)
    os.replace(partial, target)
    return target


# The fastest_growing answers kept in a published copy: its windows, for these metrics.
FASTEST_GROWING_WINDOWS = ("7", "30", "90", "365")
FASTEST_GROWING_METRICS = ("members", "active_users_30d", "posts", "edits")
_GROWTH_COLUMNS = (
    "name", "id", "platform", "kind", "start_run", "start_captured", "end_run", "end_captured",
    "value_start", "value_end", "growth", "growth_percent",
)  # fmt: skip


def precompute_fastest_growing(path: Path) -> None:
    """Store ``fastest_growing``'s answer, at its default end and threshold, for every window and metric."""
    query = canned_query("fastest_growing")
    conn = sqlite3.connect(path)
    register_functions(conn)
    try:
        with conn:
            conn.execute("CREATE TABLE site_fastest_growing_sets (window_days TEXT, metric TEXT)")
            conn.execute(
                "CREATE TABLE site_fastest_growing (window_days TEXT, metric TEXT, " + ", ".join(_GROWTH_COLUMNS) + ")"
            )
            for window in FASTEST_GROWING_WINDOWS:
                for metric in FASTEST_GROWING_METRICS:
                    params = {
                        "window_days": window,
                        "metric": metric,
                        "start_date": "",
                        "end_date": "",
                        "min_start": "",
                    }
                    rows = conn.execute(query["sql"], params).fetchall()
                    conn.executemany(
                        f"INSERT INTO site_fastest_growing VALUES (?, ?, {', '.join('?' * len(_GROWTH_COLUMNS))})",
                        [(window, metric, *row) for row in rows],
                    )
            conn.executemany(
                "INSERT INTO site_fastest_growing_sets VALUES (?, ?)",
                [(w, m) for w in FASTEST_GROWING_WINDOWS for m in FASTEST_GROWING_METRICS],
            )
            conn.execute("CREATE INDEX site_fastest_growing_key ON site_fastest_growing (window_days, metric)")
    finally:
        conn.close()


def write_inspect_file(path: Path, served: Path) -> Path:
    """Write Datasette's inspect data of ``path`` (to be served as ``served``) beside it; return its path.

    Without it Datasette hashes an immutable file on its first request (16 s for a 7 GB copy) and
    counts every table; ``--inspect-file`` makes that part of publishing. File name only: no path.
    """
    from datasette.cli import inspect_

    # In a thread of its own: the caller may be running an event loop (a browser driver, a test).
    with ThreadPoolExecutor(max_workers=1) as pool:
        found = pool.submit(asyncio.run, inspect_([str(path)], [])).result()
    (data,) = found.values()
    data["file"] = served.name
    inspect_path = served.with_name(f"{served.stem}.inspect.json")
    inspect_path.write_text(json.dumps({served.stem: data}, indent=2), encoding="utf-8")
    return inspect_path


def datasette_command(db_path: Path, port: int = 8001, host: str = "127.0.0.1") -> list[str]:
    """Publish a copy of ``db_path`` and return the command serving it read-only, its metadata beside it."""
    served = publish_copy(db_path)
    metadata_path = served.with_name(f"{served.stem}.metadata.json")
    metadata_path.write_text(json.dumps(build_metadata(served), indent=2, ensure_ascii=False), encoding="utf-8")
    # Run from the copy's folder with file names only, so Datasette shows no server path.
    command = [
        sys.executable, "-m", "crawler.site.serve", str(served.parent),
        "--immutable", served.name,
        "--inspect-file", served.with_name(f"{served.stem}.inspect.json").name,
        "--metadata", metadata_path.name,
        "--template-dir", str(TEMPLATE_DIR),
        "--static", f"{STATIC_MOUNT}:{STATIC_DIR}",
        "--host", host, "--port", str(port),
    ]  # fmt: skip
    for name, value in DATASETTE_SETTINGS.items():
        command += ["--setting", name, str(value).lower() if isinstance(value, bool) else str(value)]
    return command
