"""Build the publishing benchmark's database (``bench/bench_queries.py``) if it is not there yet.

``make bench`` runs this alongside the memory benchmark, whose figure (peak RSS) does not depend on
sharing the CPU, so the four-minute build of a 100,000-community, 50-run database does not add to
the total; ``bench_queries.py`` then finds the database and only measures.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import bench_queries  # noqa: E402


def main() -> None:
    path = bench_queries.DB_PATH
    if path.exists():
        print(f"{path} already built")
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    bench_queries.build(path)


if __name__ == "__main__":
    main()
