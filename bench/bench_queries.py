"""Time every page of the site on a database of 100,000 communities with 50 runs of history.

Not a test: run it by hand (``.venv/bin/python bench/bench_queries.py``). It builds
``output/bench/bench.db`` once (``--rebuild`` to start again), publishes it as ``tremplin serve``
does (``publish_copy``: the copy plus its precomputed ``site_*`` tables; timed, and skipped when
the copy is newer than the database), then asks the in-process Datasette that ``tremplin serve``
runs for every page a person opens: the home page, the partner finder (HTML, as the browser gets
it, with its exclusion counts), its JSON and CSV, the feed, the landscape and growth pages, the
coverage pages, a partner card, the communities table page and search, "About the data" and the
dashboard charts, several times with varied parameters, and prints p50/p95 in milliseconds. The
first request of each page is timed apart ("cold": facet counts are computed then, and kept).
Goal: every page's p95 under 200 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from crawler.publish import build_metadata, make_datasette, publish_copy  # noqa: E402
from crawler.storage import open_database  # noqa: E402

DB_PATH = Path("output/bench/bench.db")
COMMUNITIES = 100_000
RUNS = 50
FIRST_RUN = datetime(2025, 1, 6, 6, 0, tzinfo=UTC)
PLATFORMS = ["discourse", "mediawiki", "phpbb", "xenforo", "mastodon", "lemmy", "flarum", "nodebb", "mybb", None]
KINDS = ["forum", "wiki", "fediverse_server", "language_exchange", "qa", "open_corpus"]
LANGUAGES = ["en", "fr", "es", "de", "pt-BR", "it", "ja", "zh", "ru", "ar", "fr-CA", "nl", "pl", "ko", "tr"]
LICENCES = [None] * 6 + ["CC-BY-SA-4.0", "CC-BY-4.0", "CC-BY-NC-4.0", "CC0-1.0", "GFDL-1.3-or-later", "CC-BY-NC-ND-4.0"]
VERSIONS = [None, "1.41.0", "3.2.1", "4.3.2", "0.19.5", "2.8.14", "3.3.11", "6.3.2"]
WORDS = ["Club", "Forum", "Wiki", "Café", "Échange", "Tandem", "Montréal", "Polyglot", "Lingua", "Académie"]


def run_date(index: int) -> str:
    return (FIRST_RUN + timedelta(days=7 * index)).isoformat(timespec="seconds")


def community_rows(rng: random.Random):
    last = run_date(RUNS - 1)
    for i in range(COMMUNITIES):
        members = int(rng.lognormvariate(6.5, 2.2)) + 1
        active = int(members * rng.uniform(0.005, 0.3)) if rng.random() < 0.7 else None
        quiet_days = int(rng.expovariate(1 / 40))
        yield {
            "id": f"site{i:06d}.example",
            "url": f"https://site{i:06d}.example/",
            "status": "alive" if rng.random() < 0.93 else rng.choice(["unreachable", "gone", "blocked_by_robots"]),
            "name": f"{rng.choice(WORDS)} {rng.choice(WORDS)} {i}",
            "description": f"{rng.choice(WORDS)} des langues, communauté numéro {i}",
            "platform": rng.choice(PLATFORMS),
            "kind": rng.choice(KINDS),
            "languages": json.dumps(rng.sample(LANGUAGES, rng.choice([1, 1, 2, 3]))),
            "licence": rng.choice(LICENCES),
            "members": members,
            "active_users_30d": active,
            "posts_30d": int(members * rng.uniform(0, 0.5)) if rng.random() < 0.3 else None,
            "last_activity_at": (datetime.fromisoformat(last) - timedelta(days=quiet_days)).isoformat(),
            "platform_version": rng.choice(VERSIONS),
            "practised_languages": json.dumps(rng.sample(LANGUAGES, rng.choice([0, 0, 1, 2, 4]))),
            "registration_mode": rng.choice([None, None, "open", "approval", "invite", "closed"]),
            "price_model": rng.choice([None, None, "free", "freemium", "paid"]),
            "operator_type": rng.choice([None, "non_profit", "company", "university", "volunteer_group", "unknown"]),
            "federation": rng.choice(["centralised"] * 4 + ["federated"]),
            "contact_email": f"contact@site{i:06d}.example" if rng.random() < 0.3 else None,
            "contact_url": f"https://site{i:06d}.example/contact" if rng.random() < 0.5 else None,
            # A few communities join at every run, so "new since the last run" has entries.
            "first_seen_at": run_date(0 if rng.random() < 0.5 else rng.randrange(RUNS)),
            "last_crawled_at": last,
            "last_observed_at": last,
            "last_run_id": f"run{RUNS - 1:02d}",
        }


def build(path: Path) -> None:
    """Build the benchmark database with the real schema (migrations, FTS, triggers)."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    db = open_database(path)
    # A throwaway file: no journal, no fsync, a big page cache; secondary indexes are rebuilt after
    # the load (sorting once is far faster than updating them row by row).
    db.disable_wal()
    for pragma in ("journal_mode = OFF", "synchronous = OFF", "cache_size = -4000000", "temp_store = MEMORY"):
        db.execute(f"PRAGMA {pragma}")
    indexes = db.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name = 'observations'"
    ).fetchall()
    for name, _ in indexes:
        db.execute(f'DROP INDEX "{name}"')
    rng = random.Random(5)
    started = time.perf_counter()
    with db.atomic():
        db["runs"].insert_all(
            {"id": f"run{r:02d}", "started_at": run_date(r), "finished_at": run_date(r), "status": "finished"}
            for r in range(RUNS)
        )
        db["communities"].insert_all(community_rows(rng), batch_size=500)
        # History by SQL: one row per community per run, growing by a per-community rate. The latest
        # run's outcome was recorded by the insert trigger; earlier runs reached every site.
        db.execute(
            """
            INSERT INTO run_sites (run_id, community_id, status)
            SELECT r.id, c.id, 'alive' FROM communities c, runs r WHERE true
            ON CONFLICT DO NOTHING
            """
        )
        for metric, expression in (
            ("members", "c.members * (60 + (c.rowid % 40) * (r.rowid - 1) / 49.0) / (60 + (c.rowid % 40))"),
            ("active_users_30d", "c.active_users_30d * (0.8 + (r.rowid % 5) / 10.0)"),
            ("posts", "c.members * 3 + r.rowid * (c.rowid % 97)"),
            ("edits", "CASE WHEN c.kind = 'wiki' THEN c.members * 40 + r.rowid * (c.rowid % 89) END"),
        ):
            db.execute(
                f"""
                INSERT INTO observations (community_id, run_id, metric, value, observed_at, source_url, rule,
                                          snippet, approximate)
                SELECT c.id, r.id, '{metric}', CAST({expression} AS INTEGER), r.started_at, c.url,
                       'bench.synthetic', NULL, 0
                FROM communities c, runs r WHERE {expression} IS NOT NULL
                ORDER BY c.id, r.id
                """
            )
        for field in ("name", "languages"):
            db.execute(
                f"""
                INSERT INTO evidence (community_id, run_id, field, value, observed_at, source_url, rule)
                SELECT c.id, r.id, '{field}', c.{field}, r.started_at, c.url, 'bench.synthetic'
                FROM communities c, runs r ORDER BY c.id, r.id
                """
            )
        db.execute(
            """
            INSERT INTO fetch_errors (run_id, url, site_id, error, message, at)
            SELECT r.id, c.url || 'api', c.id,
                   CASE c.rowid % 4 WHEN 0 THEN 'timeout' WHEN 1 THEN 'http_500' WHEN 2 THEN 'dns' ELSE 'robots' END,
                   'synthetic failure', r.started_at
            FROM communities c, runs r WHERE (c.rowid + r.rowid) % 20 = 0
            """
        )
    for _, sql in indexes:
        db.execute(sql)
    db.execute("ANALYZE")
    db.close()
    print(f"built {path} in {time.perf_counter() - started:.0f} s ({path.stat().st_size / 1e9:.1f} GB)")


def cases(db_name: str) -> dict[str, list[str]]:
    """Return, per page, the URLs to time (parameters varied)."""
    q = f"/{db_name}"
    finder = [
        "",
        "?language=fr",
        "?language=fr&min_members=50%2C000&open_licence_only=1",
        "?min_members=5000&language=es&active_days=7&measured_activity_only=1",
        "?min_members=50k&practised_language=ca&operator_type=non_profit&sort=growth",
        "?min_members=1000&active_days=0",
    ]
    return {
        "home page": ["/"],
        "partner finder (page)": [f"{q}/partner_shortlist{args}" for args in finder],
        "partner finder (JSON)": [f"{q}/partner_shortlist.json{args}" for args in finder[:3]],
        "partner finder (CSV, 1,000 rows)": [f"{q}/partner_shortlist.csv?language=fr&max_rows=1000"],
        "partner_exclusions": [f"{q}/partner_exclusions.json{args}" for args in finder],
        "new_communities (Atom)": [
            f"{q}/new_communities.atom",
            f"{q}/new_communities.atom?language=fr&min_members=50000",
        ],
        "network_totals": [f"{q}/network_totals", f"{q}/network_totals?platform=all"],
        "language_landscape": [f"{q}/language_landscape", f"{q}/language_landscape?role=practised"],
        "platform_versions": [f"{q}/platform_versions", f"{q}/platform_versions?platform=mediawiki"],
        "community_growth": [f"{q}/community_growth"]
        + [f"{q}/community_growth?community_id=site{i:06d}.example" for i in (1, 4242, 99999)],
        "fastest_growing": [f"{q}/fastest_growing?window_days={days}" for days in (7, 30, 90, 365)]
        + [f"{q}/fastest_growing?start_date={run_date(10)[:10]}&end_date={run_date(30)[:10]}&metric=posts"],
        "coverage_report": [f"{q}/coverage_report", f"{q}/coverage_report?run_id=run10"],
        "coverage_errors": [f"{q}/coverage_errors", f"{q}/coverage_errors?run_id=run10"],
        "community_evidence": [f"{q}/community_evidence"]
        + [f"{q}/community_evidence?community_id=site{i:06d}.example" for i in (7, 50000)],
        "partner card (row page)": [f"{q}/communities/site{i:06d}~2Eexample" for i in (7, 4242, 50000)],
        "partner_card (its JSON)": [f"{q}/partner_card.json?community_id=site{i:06d}.example" for i in (7, 50000)],
        "communities table page": [f"{q}/communities", f"{q}/communities?platform=discourse"],
        "communities table (JSON)": [f"{q}/communities.json"],
        "search (prefix)": [f"{q}/communities?_search=Montre", f"{q}/communities?_search=4242"],
        "about the data": ["/-/about-the-data"],
    }


def chart_cases(db_name: str, metadata: dict) -> dict[str, list[str]]:
    """Return the SQL URL of every dashboard chart, as the dashboard page fetches it."""
    from urllib.parse import urlencode

    from datasette_dashboards import replace_opts_in_query

    found = {}
    for slug, dashboard in metadata["plugins"]["datasette-dashboards"].items():
        for name, chart in dashboard["charts"].items():
            sql = replace_opts_in_query(chart["query"], {})
            found[f"chart {slug}/{name}"] = [f"/{db_name}.json?" + urlencode({"sql": sql})]
    return found


async def measure(path: Path, repeats: int) -> None:
    ds = make_datasette(path)
    metadata = build_metadata(path)
    targets = {**cases(path.stem), **chart_cases(path.stem, metadata)}
    print(f"{'page':38} {'cold ms':>8} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'KB':>6}")
    for name, urls in targets.items():
        timings, cold, size = [], 0.0, 0
        for url in urls:  # the first request of each URL, timed apart; every URL must work
            start = time.perf_counter()
            response = await ds.client.get(url)
            cold = max(cold, (time.perf_counter() - start) * 1000)
            if response.status_code != 200:
                raise SystemExit(f"{url}: HTTP {response.status_code} {response.text[:300]}")
            size = max(size, len(response.content) // 1024)
        for _ in range(repeats):
            for url in urls:
                start = time.perf_counter()
                response = await ds.client.get(url)
                timings.append((time.perf_counter() - start) * 1000)
        timings.sort()
        p95 = timings[min(len(timings) - 1, int(0.95 * len(timings)))]
        print(f"{name:38} {cold:8.1f} {statistics.median(timings):8.1f} {p95:8.1f} {timings[-1]:8.1f} {size:6}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=DB_PATH)
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--repeats", type=int, default=10)
    args = parser.parse_args()
    if args.rebuild or not args.db.exists():
        args.db.parent.mkdir(parents=True, exist_ok=True)
        build(args.db)
    served = args.db.parent / "published" / args.db.name
    if args.rebuild or not served.exists() or served.stat().st_mtime < args.db.stat().st_mtime:
        started = time.perf_counter()
        served = publish_copy(args.db)
        print(f"published {served} in {time.perf_counter() - started:.0f} s (copy and site tables)")
    asyncio.run(measure(served, args.repeats))


if __name__ == "__main__":
    main()
