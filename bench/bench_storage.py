"""Storage: load 1,000,000 observations and 100,000 communities through ``crawler.storage.store_batch``.

The items have the shape the crawl's pipeline hands to ``store_batch`` (``CommunityItem`` as a dict:
ten metrics with their evidence, name, languages, licence and platform evidence, two links), in
batches of ``TREMPLIN_BATCH_SIZE`` (50) items, one transaction each, as during a crawl, into a fresh
database with the real schema (migrations, FTS triggers, run_sites triggers, indexes, WAL).
Reported: wall and CPU seconds, rows/s (observations, and every row written), database size.
``--second-run`` then stores the same sites again as a new run: the cost of a database that already
holds history (upserts of existing communities).
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import OUTPUT, heading, print_machine, save_results, summary  # noqa: E402

METRIC_SET = (
    "members", "active_users_1d", "active_users_7d", "active_users_30d", "online_now", "posts", "topics",
    "posts_7d", "posts_30d", "topics_30d",
)  # fmt: skip
PLATFORMS = ("discourse", "phpbb", "xenforo", "mediawiki", "mastodon", "lemmy", "smf", "mybb")


def item(index: int, rng: random.Random, observed_at: str) -> dict:
    """One community item as the pipeline stores it: 10 metrics, each with its evidence."""
    host = f"forum-{index:06d}.example"
    url = f"https://{host}/"
    members = int(rng.lognormvariate(7, 2)) + 1
    metrics = {name: max(0, int(members * rng.uniform(0.01, 5))) for name in METRIC_SET}
    metrics["members"] = members
    evidence = {
        name: {
            "source_url": url + ("about.json" if index % 2 else ""),
            "rule": f"bench.{name}",
            "snippet": f"{name.replace('_', ' ').title()}: {value:,}",
            "approximate": False,
            "observed_at": observed_at,
        }
        for name, value in metrics.items()
    }
    for field in ("name", "languages", "licence", "platform"):
        evidence[field] = {"source_url": url, "rule": f"bench.{field}", "snippet": None, "approximate": False,
                           "observed_at": observed_at}  # fmt: skip
    return {
        "id": host,
        "url": url,
        "seed_url": url,
        "name": f"Forum {index}",
        "description": "Échanges linguistiques, tandems et corrections.",
        "platform": PLATFORMS[index % len(PLATFORMS)],
        "platform_version": "3.2.1",
        "languages": ["fr", "en"],
        "licence": "CC-BY-SA-4.0" if index % 5 == 0 else None,
        "licence_url": None,
        "registrations_open": True,
        "last_activity_at": observed_at,
        "canonical_url": None,
        "status": "alive",
        "moved_from": None,
        "alias_of": None,
        "metrics": metrics,
        "evidence": evidence,
        "observed_at": observed_at,
        "is_seed": True,
        "depth": 0,
        "discovered_from": None,
        "links": [
            {"to_url": f"https://forum-{(index + k) % 100_000:06d}.example/", "to_site_id": None, "rule": "footer"}
            for k in (1, 7)
        ],
    }


def load(db, run_id: str, communities: int, batch: int, observed_at: str) -> tuple[float, float, int]:
    """Store ``communities`` items in batches; return (wall s, CPU s, observations written)."""
    from crawler.storage import start_run, store_batch

    rng = random.Random(7)
    start_run(db, {"id": run_id, "started_at": observed_at, "spider": "bench"})
    wall, cpu = time.perf_counter(), time.process_time()
    buffer: list[dict] = []
    for index in range(communities):
        buffer.append(item(index, rng, observed_at))
        if len(buffer) >= batch:
            store_batch(db, run_id, observed_at, buffer, [])
            buffer = []
    if buffer:
        store_batch(db, run_id, observed_at, buffer, [])
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    observations = db.execute("SELECT count(*) FROM observations WHERE run_id = ?", [run_id]).fetchone()[0]
    return wall, cpu, observations


FIGURES = ("wall", "cpu", "obs_per_s", "rows_per_s", "size_mb")
TABLES = ("communities", "observations", "evidence", "links", "run_sites")


def size_mb(path: Path) -> float:
    files = [Path(f"{path}{suffix}") for suffix in ("", "-wal")]
    return sum(file.stat().st_size for file in files if file.exists()) / 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--communities", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--batch", type=int, default=50, help="items per transaction (TREMPLIN_BATCH_SIZE)")
    parser.add_argument("--second-run", action="store_true", help="then store the same sites again as a new run")
    args = parser.parse_args()

    from crawler.storage import open_database

    print_machine()
    heading(f"Storage: {args.communities} communities x {len(METRIC_SET)} metrics through store_batch, "
            f"{args.batch} items per transaction, {args.repeats} repetitions")  # fmt: skip
    path = OUTPUT / "storage.db"
    first, second = [], []
    for repeat in range(args.repeats):
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        OUTPUT.mkdir(parents=True, exist_ok=True)
        db = open_database(path)
        wall, cpu, observations = load(db, "run-1", args.communities, args.batch, "2026-11-01T06:00:00+00:00")
        rows = sum(db.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES)
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        size = size_mb(path)
        first.append(
            {"wall": wall, "cpu": cpu, "observations": observations, "rows": rows, "obs_per_s": observations / wall,
             "rows_per_s": rows / wall, "size_mb": size}
        )  # fmt: skip
        print(
            f"  run {repeat + 1} new database:  {wall:6.1f} s wall, {cpu:6.1f} s CPU, {observations:,} observations, "
            f"{rows:,} rows, {observations / wall:8,.0f} observations/s, {size:5.0f} MB",
            flush=True,
        )
        if args.second_run:
            wall, cpu, observations = load(db, "run-2", args.communities, args.batch, "2026-11-08T06:00:00+00:00")
            db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            size = size_mb(path)
            second.append({"wall": wall, "cpu": cpu, "obs_per_s": observations / wall, "size_mb": size})
            print(
                f"  run {repeat + 1} second run:    {wall:6.1f} s wall, {cpu:6.1f} s CPU, "
                f"{observations / wall:8,.0f} observations/s, {size:5.0f} MB after two runs",
                flush=True,
            )
        db.close()
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)

    heading("Storage results (median (min-max, ± half-range))")
    for label, runs in (("into a new database", first), ("second run, same sites", second)):
        if runs:
            wall = summary([r["wall"] for r in runs]).fmt(" s")
            rate = summary([r["obs_per_s"] for r in runs]).fmt(" observations/s", 0)
            print(f"{label:24} wall {wall}, {rate}, database {summary([r['size_mb'] for r in runs]).fmt(' MB', 0)}")
    rows_rate = summary([r["rows_per_s"] for r in first])
    print(f"every row written ({', '.join(TABLES)}): {rows_rate.fmt(' rows/s', 0)}")
    per_row = first[0]["size_mb"] * 1e6 / first[0]["observations"]
    print(f"bytes per observation (whole database / observations): {per_row:.0f}")
    save_results(
        "storage",
        {
            "communities": args.communities,
            "observations": first[0]["observations"],
            "batch": args.batch,
            "first_run": {k: summary([r[k] for r in first]).to_json() for k in FIGURES},
            "second_run": {k: summary([r[k] for r in second]).to_json() for k in FIGURES[:3]} if second else None,
        },
    )


if __name__ == "__main__":
    main()
