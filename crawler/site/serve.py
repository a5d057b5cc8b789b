"""``python -m crawler.site.serve FOLDER ARGS...``: ``datasette serve ARGS`` run from the published copy's folder.

Datasette shows the path it was given for each database (``/-/databases.json``) and in its inspect
data; started from the copy's own folder with file names only, it shows no server path.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    """Change to the folder given first, then run ``datasette serve`` with the other arguments."""
    folder, *rest = sys.argv[1:] if argv is None else argv
    os.chdir(folder)
    from datasette.cli import cli  # Datasette's own command line, imported once the folder is set

    cli.main(args=["serve", *rest], prog_name="datasette")


if __name__ == "__main__":
    main()
