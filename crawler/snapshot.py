"""CSV snapshots: one dated folder, one CSV per table, a manifest with counts and checksums.

Deterministic: the same data gives the same bytes (rows ordered by primary key, fixed column
order, ``\\n`` line endings). Text cells a spreadsheet would run as a formula are neutralised.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlite_utils

from crawler import __version__
from crawler.storage import SCHEMA_VERSION

TABLES = ("communities", "observations", "evidence", "runs", "fetch_errors", "links")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    """Prefix a text cell that a spreadsheet would evaluate (``=``, ``+``, ``-``, ``@``) with ``'``."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def table_csv(db: sqlite_utils.Database, table: str) -> tuple[bytes, int, list[str]]:
    """Return the CSV bytes, row count and columns of one table, ordered by primary key."""
    columns = [column.name for column in db[table].columns]
    order = ", ".join(f'"{name}"' for name in (db[table].pks or columns))
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    count = 0
    quoted = ", ".join(f'"{name}"' for name in columns)
    for row in db.execute(f'SELECT {quoted} FROM "{table}" ORDER BY {order}'):
        writer.writerow([neutralise(value) for value in row])
        count += 1
    return buffer.getvalue().encode("utf-8"), count, columns


def coverage(db: sqlite_utils.Database) -> dict[str, Any]:
    """Return the latest run's coverage: sites by status and errors by kind."""
    latest = db.execute("SELECT id FROM runs ORDER BY started_at DESC LIMIT 1").fetchone()
    if latest is None:
        return {}
    run_id = latest[0]
    statuses = dict(
        db.execute(
            "SELECT status, count(*) FROM communities WHERE last_run_id = ? GROUP BY status ORDER BY status", [run_id]
        ).fetchall()
    )
    errors = dict(
        db.execute(
            "SELECT error, count(*) FROM fetch_errors WHERE run_id = ? GROUP BY error ORDER BY error", [run_id]
        ).fetchall()
    )
    return {"run_id": run_id, "sites_by_status": statuses, "errors_by_kind": errors}


def write_snapshot(db_path: str | Path, out_dir: str | Path, date: str | None = None) -> Path:
    """Write the snapshot of ``db_path`` into ``out_dir/<date>/`` and return that folder."""
    date = date or datetime.now(UTC).strftime("%Y-%m-%d")
    folder = Path(out_dir) / date
    folder.mkdir(parents=True, exist_ok=True)
    db = sqlite_utils.Database(db_path)
    manifest: dict[str, Any] = {
        "snapshot_date": date,
        "schema_version": SCHEMA_VERSION,
        "tool_version": __version__,
        "formula_cells": "text cells starting with = + - @ TAB or CR are prefixed with '",
        "tables": {},
    }
    for table in TABLES:
        if not db[table].exists():
            continue
        data, count, columns = table_csv(db, table)
        (folder / f"{table}.csv").write_bytes(data)
        manifest["tables"][table] = {
            "file": f"{table}.csv",
            "rows": count,
            "columns": columns,
            "sha256": hashlib.sha256(data).hexdigest(),
        }
    manifest["coverage"] = coverage(db)
    db.close()
    text = json.dumps(manifest, indent=2, ensure_ascii=False, sort_keys=True) + "\n"
    (folder / "manifest.json").write_text(text, encoding="utf-8", newline="\n")
    return folder
