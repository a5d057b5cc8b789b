"""Server paths never leave the machine: what the site and the CSV snapshots publish keeps file names only.

The crawl database records where its archive and job directory live (``runs.replay_archive``,
``runs.jobdir``) and lock messages name the lock file (``run_events.detail``); an operator needs them,
a reader of the published data must not learn the server's layout from them.
"""

from __future__ import annotations

import re

# An absolute POSIX path not inside a URL (no scheme, host or dot before its first slash).
_ABSOLUTE_PATH = re.compile(r"(?<![\w:/.])/(?:[\w.+-]+/)+([\w.+-]+)")

# The columns that can hold a server path, by table.
SERVER_PATH_COLUMNS: dict[str, tuple[str, ...]] = {
    "runs": ("replay_archive", "jobdir"),
    "run_events": ("detail",),
}


def server_path_free(text: str | None) -> str | None:
    """Return ``text`` with every absolute file path cut to its file name."""
    if text is None:
        return None
    return _ABSOLUTE_PATH.sub(r"\1", text)
