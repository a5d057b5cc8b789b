"""Publish a database read-only with Datasette: metadata, safe settings, the command line."""

from __future__ import annotations

import json
import sqlite3
import sys
from pathlib import Path
from typing import Any

import yaml

METADATA_FILE = Path(__file__).resolve().parent / "metadata.yml"
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
}


def is_sample_database(db_path: Path) -> bool:
    """True when every run of the database replayed the bundled sample web."""
    with sqlite3.connect(f"file:{db_path}?mode=ro", uri=True) as conn:
        try:
            archives = {row[0] for row in conn.execute("SELECT replay_archive FROM runs")}
        except sqlite3.DatabaseError:
            return False
    return bool(archives) and all(a and a.endswith("sample_web.warc.gz") for a in archives)


def build_metadata(db_path: Path) -> dict[str, Any]:
    """Return Datasette metadata for ``db_path``: the project's metadata applied to this file."""
    config = yaml.safe_load(METADATA_FILE.read_text(encoding="utf-8"))
    database = config.pop("database")
    if is_sample_database(db_path):
        config["title"] = f"{config['title']} (fictional sample data)"
        config["description_html"] = SAMPLE_NOTE + config["description_html"]
    config["databases"] = {db_path.stem: database}
    return config


def checkpoint(db_path: Path) -> None:
    """Fold the write-ahead log into the file: immutable mode ignores ``-wal`` files."""
    with sqlite3.connect(db_path) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def datasette_command(db_path: Path, port: int = 8001, host: str = "127.0.0.1") -> list[str]:
    """Return the command serving ``db_path`` read-only, writing its metadata file beside it."""
    checkpoint(db_path)
    metadata_path = db_path.with_name(f"{db_path.stem}.metadata.json")
    metadata_path.write_text(json.dumps(build_metadata(db_path), indent=2, ensure_ascii=False), encoding="utf-8")
    command = [
        sys.executable, "-m", "datasette", "serve",
        "--immutable", str(db_path),
        "--metadata", str(metadata_path),
        "--host", host, "--port", str(port),
    ]  # fmt: skip
    for name, value in DATASETTE_SETTINGS.items():
        command += ["--setting", name, str(value)]
    return command
