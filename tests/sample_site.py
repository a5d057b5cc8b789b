"""The sample web crawled as `tremplin demo` does (one run per capture date), published, built once per test session.

Shared by tests/test_publish_site.py (in-process Datasette) and tests/test_browser.py (a real
server and browser), so the course designer's question is answered on the demo's own data.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from crawler.publish import publish_copy

_built: dict[str, Path] = {}


def sample_site(folder: Path) -> Path:
    """Return the published copy of the demo database, crawling it into ``folder`` the first time."""
    if "db" not in _built:
        db = folder / "demo.db"
        result = subprocess.run(
            [sys.executable, "-m", "crawler", "demo", "--db", str(db), "--no-serve"],
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert result.returncode == 0, result.stderr[-3000:]
        _built["db"] = publish_copy(db)
    return _built["db"]
