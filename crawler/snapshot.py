"""CSV snapshots: one dated folder, one CSV per table, a manifest, and a publish gate.

Deterministic: the same data gives the same bytes (rows ordered by primary key, fixed column
order, ``\\n`` line endings, UTF-8). Text cells a spreadsheet would run as a formula are neutralised.
The gate refuses a snapshot that differs suspiciously from the previous one (see ``gate_reasons``).
Rows are streamed to their files (memory does not grow with a table); the folder appears whole or
not at all (written aside, then renamed), and a snapshot of the same day is replaced only when asked.
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
import shutil
import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from crawler import __version__
from crawler.server_paths import SERVER_PATH_COLUMNS, server_path_free
from crawler.storage import migrations, open_database

TABLES = (
    "communities",
    "observations",
    "evidence",
    "runs",
    "run_sites",
    "fetch_errors",
    "links",
    "candidates",
    "open_licences",
    "canaries",
    "community_groups",
    "count_flags",
)
MAX_CHANGE = 0.15
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_DATED = re.compile(r"\d{4}-\d{2}-\d{2}")


class SnapshotRefusedError(Exception):
    """The publish gate refused the snapshot; the message says why, on one line."""


class SnapshotExistsError(Exception):
    """A snapshot of that day is already there and replacing it was not asked for."""


def neutralise(value: Any) -> Any:
    """Prefix a text cell that a spreadsheet would evaluate (``=``, ``+``, ``-``, ``@``, TAB, CR) with ``'``."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _table_exists(conn: sqlite3.Connection, table: str) -> bool:
    return conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", [table]).fetchone() is not None


def write_table_csv(conn: sqlite3.Connection, table: str, path: Path) -> tuple[int, list[str], str]:
    """Stream one table to ``path`` as CSV, ordered by primary key; return row count, columns and SHA-256."""
    info = conn.execute(f'PRAGMA table_info("{table}")').fetchall()
    columns = [row[1] for row in info]
    pks = [row[1] for row in sorted((row for row in info if row[5]), key=lambda row: row[5])]
    order = ", ".join(f'"{name}"' for name in (pks or columns))
    quoted = ", ".join(f'"{name}"' for name in columns)
    # A snapshot is published like the site: server paths keep their file name only.
    path_free = {columns.index(name) for name in SERVER_PATH_COLUMNS.get(table, ()) if name in columns}
    count = 0
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(columns)
        for row in conn.execute(f'SELECT {quoted} FROM "{table}" ORDER BY {order}'):
            writer.writerow(
                [neutralise(server_path_free(value) if i in path_free else value) for i, value in enumerate(row)]
            )
            count += 1
    return count, columns, _sha256(path)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def coverage(conn: sqlite3.Connection) -> dict[str, Any]:
    """Return the latest run's coverage, from the same canned query researchers run in Datasette."""
    from crawler.publish import canned_query

    conn.row_factory = sqlite3.Row
    try:
        row = conn.execute(canned_query("coverage_report")["sql"], {"run_id": ""}).fetchone()
    finally:
        conn.row_factory = None
    if row is None:
        return {}
    report = dict(row)
    report["failed_by_error_kind"] = json.loads(report["failed_by_error_kind"] or "{}")
    return report


def totals(conn: sqlite3.Connection) -> dict[str, int]:
    """Return the figures the gate compares: rows, alive communities and their members."""
    rows, alive, members = conn.execute(
        "SELECT count(*), coalesce(sum(status = 'alive'), 0), "
        "coalesce(sum(CASE WHEN status = 'alive' THEN members END), 0) FROM communities"
    ).fetchone()
    return {"communities": rows, "communities_alive": alive, "members_alive": members}


def canary_states(conn: sqlite3.Connection) -> dict[str, str]:
    """Return the status of every community flagged as canary (``absent`` when it has no row)."""
    if not _table_exists(conn, "canaries"):
        return {}
    query = (
        "SELECT k.community_id, coalesce(c.status, 'absent') FROM canaries k "
        "LEFT JOIN communities c ON c.id = k.community_id ORDER BY k.community_id"
    )
    return dict(conn.execute(query).fetchall())


def previous_manifest(out_dir: Path, date: str) -> dict[str, Any] | None:
    """Return the manifest of the latest snapshot dated before ``date`` in ``out_dir``, if any.

    Strictly before: re-running a snapshot on the same day compares with the same baseline, so the
    manifest (and its bytes) does not depend on how often it was written.
    """
    if not out_dir.is_dir():
        return None
    dates = sorted(
        p.name
        for p in out_dir.iterdir()
        if _DATED.fullmatch(p.name) and p.name < date and (p / "manifest.json").is_file()
    )
    if not dates:
        return None
    return json.loads((out_dir / dates[-1] / "manifest.json").read_text(encoding="utf-8"))


def _moved(name: str, before: int, after: int, since: str) -> str | None:
    if not before:
        return None  # no baseline to measure a change against
    change = (after - before) / before
    if abs(change) <= MAX_CHANGE:
        return None
    return f"{name} moved {change * 100:+.1f} % since the {since} snapshot ({before:,} → {after:,})"


def gate_reasons(previous: dict[str, Any] | None, now: dict[str, int], canaries: dict[str, str]) -> list[str]:
    """Return why the snapshot must not be published: counts moved > 15 %, or a canary was lost."""
    if previous is None:
        return []
    since = previous.get("snapshot_date", "previous")
    before = previous.get("totals", {})
    reasons = [
        _moved(label, before[key], now[key], since)
        for key, label in (("communities_alive", "alive community count"), ("members_alive", "total members"))
        if key in before
    ]
    was = previous.get("canaries", {})
    lost = [
        f"{community} ({status})"
        for community, status in canaries.items()
        if status != "alive" and was.get(community, "alive") == "alive"
    ]
    if lost:
        reasons.append("canary lost: " + ", ".join(lost))
    return [reason for reason in reasons if reason]


def _schema_version(conn: sqlite3.Connection) -> tuple[int, str | None]:
    rows = conn.execute(
        "SELECT name FROM _sqlite_migrations WHERE migration_set = ? ORDER BY rowid", [migrations.name]
    ).fetchall()
    return len(rows), rows[-1][0] if rows else None


def _replace_folder(partial: Path, folder: Path) -> None:
    old = folder.with_name(f".{folder.name}.old")
    shutil.rmtree(old, ignore_errors=True)
    if folder.exists():
        folder.rename(old)
    partial.rename(folder)
    shutil.rmtree(old, ignore_errors=True)


def write_snapshot(
    db_path: str | Path, out_dir: str | Path, date: str | None = None, force: bool = False, replace: bool = False
) -> Path:
    """Write the snapshot of ``db_path`` into ``out_dir/<date>/`` and return that folder.

    :raises SnapshotRefusedError: when the publish gate refuses it and ``force`` is false; nothing is written.
    :raises SnapshotExistsError: when ``out_dir/<date>/`` exists and ``replace`` is false; nothing is written.
    :raises OSError: when the files cannot be written (disk full); the partial folder is removed.
    """
    date = date or datetime.now(UTC).strftime("%Y-%m-%d")
    out_dir = Path(out_dir)
    if (out_dir / date).exists() and not replace:
        raise SnapshotExistsError(
            f"a snapshot dated {date} already exists in {out_dir / date}; use --replace to write it again"
        )
    open_database(db_path).close()  # coverage and canaries need the latest migrations
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        conn.execute("BEGIN")  # one read transaction: every file shows the same state
        now = totals(conn)
        canaries = canary_states(conn)
        previous = previous_manifest(out_dir, date)
        reasons = gate_reasons(previous, now, canaries)
        if reasons and not force:
            raise SnapshotRefusedError(
                "snapshot refused: " + "; ".join(reasons) + ". Use --force to publish it anyway."
            )
        version, last_migration = _schema_version(conn)
        manifest: dict[str, Any] = {
            "snapshot_date": date,
            "schema_version": version,
            "schema_migration": last_migration,
            "tool_version": __version__,
            "encoding": "UTF-8, \\n line endings, rows ordered by primary key",
            "formula_cells": "text cells starting with = + - @ TAB or CR are prefixed with '",
            "totals": now,
            "canaries": canaries,
            "gate": {
                "previous_snapshot": previous.get("snapshot_date") if previous else None,
                "max_change_percent": round(MAX_CHANGE * 100),
                "forced": bool(reasons),
                "refusals_overridden": reasons,
            },
            "coverage": coverage(conn),
            "tables": {},
        }
        partial = out_dir / f".{date}.partial"
        shutil.rmtree(partial, ignore_errors=True)
        try:
            partial.mkdir(parents=True)
            for table in TABLES:
                if not _table_exists(conn, table):
                    continue
                count, columns, sha256 = write_table_csv(conn, table, partial / f"{table}.csv")
                manifest["tables"][table] = {"file": f"{table}.csv", "rows": count, "columns": columns,
                                             "sha256": sha256}  # fmt: skip
            text = json.dumps(manifest, indent=2, ensure_ascii=False, sort_keys=True) + "\n"
            (partial / "manifest.json").write_text(text, encoding="utf-8", newline="\n")
        except OSError:
            shutil.rmtree(partial, ignore_errors=True)  # a full disk leaves no half snapshot behind
            raise
    finally:
        conn.close()
    folder = out_dir / date
    _replace_folder(partial, folder)
    return folder
