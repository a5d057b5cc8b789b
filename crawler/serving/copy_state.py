"""What is computed once per published copy: Datasette's inspect data and the copy's cache key.

The published copy is immutable (``crawler.publish.publish_copy``), so everything Datasette would
otherwise work out per request or per worker (table row counts, the file's hash and size) is
computed here once, by Datasette's own ``datasette inspect``, and read by every worker. The cache
key (the ETag of every page) changes exactly when a page may change: a copy with other bytes, other
metadata, templates or static files, another version of Tremplin, Datasette or one of its plugins.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from dataclasses import dataclass
from importlib import metadata as package_metadata
from pathlib import Path
from typing import Any

from crawler import __version__
from crawler.publish import PACKAGE_DIR, build_metadata

# Folders (anywhere in the package) whose files shape the pages besides the database and its metadata.
SITE_DIRS = frozenset({"templates", "static"})


@dataclass(frozen=True)
class PublishedCopy:
    """A published copy and what was computed once for it; plain data, handed to every worker."""

    path: Path
    inspect_file: Path
    etag: str  # quoted, as the header carries it
    last_modified: float  # the copy's mtime, seconds since the epoch

    def inspect_data(self) -> dict[str, Any]:
        """Return the inspect data ``datasette inspect`` wrote for this copy."""
        return json.loads(self.inspect_file.read_text(encoding="utf-8"))


def _datasette_plugin_versions() -> list[str]:
    """Return ``name==version`` of every installed Datasette and Datasette plugin distribution."""
    found = set()
    for dist in package_metadata.distributions():
        name = (dist.metadata["Name"] or "").lower()
        if name == "datasette" or name.startswith("datasette-") or name == "tremplin":
            found.add(f"{name}=={dist.version}")
    return sorted(found)


def _site_files_digest() -> str:
    """Return a digest of every file of a ``templates`` or ``static`` folder of the package."""
    digest = hashlib.sha256()
    files = sorted(
        path
        for path in PACKAGE_DIR.rglob("*")
        if path.is_file() and SITE_DIRS.intersection(path.relative_to(PACKAGE_DIR).parts[:-1])
    )
    for path in files:
        digest.update(str(path.relative_to(PACKAGE_DIR)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def cache_key(copy_hash: str, site_metadata: dict[str, Any]) -> str:
    """Return the quoted ETag of every page served from a copy whose content hash is ``copy_hash``."""
    digest = hashlib.sha256()
    for part in (
        copy_hash,
        json.dumps(site_metadata, sort_keys=True, ensure_ascii=False),
        _site_files_digest(),
        __version__,
        *_datasette_plugin_versions(),
    ):
        digest.update(part.encode("utf-8") + b"\0")
    return f'"{digest.hexdigest()[:32]}"'


def run_inspect(copy: Path, inspect_file: Path) -> dict[str, Any]:
    """Write ``datasette inspect`` data for ``copy`` to ``inspect_file`` (atomically); return it.

    Run from the copy's folder with its file name only, so the data names no server path.
    """
    partial = inspect_file.with_name(f".{inspect_file.name}.partial")
    subprocess.run(
        [sys.executable, "-m", "datasette", "inspect", copy.name, "--inspect-file", str(partial.resolve())],
        check=True,
        cwd=copy.parent,
        stdout=subprocess.DEVNULL,
    )
    partial.replace(inspect_file)
    return json.loads(inspect_file.read_text(encoding="utf-8"))


def _current_inspect_data(copy: Path, inspect_file: Path) -> dict[str, Any] | None:
    """The inspect data already written for this very copy (by publishing), else None."""
    try:
        data = json.loads(inspect_file.read_text(encoding="utf-8"))
        copy_stat = copy.stat()
        fresh = inspect_file.stat().st_mtime >= copy_stat.st_mtime
        return data if fresh and data[copy.stem]["size"] == copy_stat.st_size and data[copy.stem]["hash"] else None
    except (OSError, ValueError, KeyError, TypeError):
        return None


def prepare_copy(copy: Path) -> PublishedCopy:
    """Compute, once, what every worker serving the published ``copy`` reads: inspect data, ETag."""
    copy = Path(copy).resolve()
    inspect_file = copy.with_name(f"{copy.stem}.inspect.json")
    data = _current_inspect_data(copy, inspect_file) or run_inspect(copy, inspect_file)
    return PublishedCopy(
        path=copy,
        inspect_file=inspect_file,
        etag=cache_key(data[copy.stem]["hash"], build_metadata(copy)),
        last_modified=copy.stat().st_mtime,
    )
