"""The ``tremplin`` command: crawl, extract, serve, snapshot, demo (see docs/data-model.md).

Argument errors print one line and exit with status 2; nothing here prints a traceback for a
user mistake.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import NoReturn

from crawler import __version__
from crawler.identity import InvalidUrlError, check_url

PACKAGE_DIR = Path(__file__).resolve().parent
SAMPLE_ARCHIVE = PACKAGE_DIR / "archive" / "sample_web.warc.gz"
SAMPLE_SEEDS = PACKAGE_DIR / "archive" / "sample_web_seeds.txt"
DEFAULT_SEEDS = PACKAGE_DIR / "seeds" / "use_case.txt"
DEFAULT_DB = Path("output") / "communities.db"


class UsageError(Exception):
    """A command-line argument cannot be used; the message is shown as one line."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.exit(2, f"tremplin: error: {message}\n")


def _int_at_least(minimum: int, what: str):
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            value = minimum - 1
        if value < minimum:
            raise argparse.ArgumentTypeError(f"expected a {what} integer, got {text!r}")
        return value

    return parse


_positive_int = _int_at_least(1, "positive")
_non_negative_int = _int_at_least(0, "non-negative")


def _port(text: str) -> int:
    value = _positive_int(text)
    if value > 65535:
        raise argparse.ArgumentTypeError(f"not a TCP port: {text!r}")
    return value


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser of the ``tremplin`` command."""
    parser = _Parser(prog="tremplin", description="Discover communities of practice and their public figures.")
    parser.add_argument("--version", action="version", version=f"tremplin {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    crawl = commands.add_parser("crawl", help="crawl seed sites into the database")
    crawl.add_argument("urls", nargs="*", metavar="URL", help="site homepages to crawl")
    crawl.add_argument("--seeds-file", type=Path, help="file with one seed URL per line (# comments)")
    crawl.add_argument("--db", type=Path, default=DEFAULT_DB, help=f"SQLite database (default {DEFAULT_DB})")
    crawl.add_argument("--replay", type=Path, metavar="ARCHIVE.warc.gz", help="serve every request from a WARC")
    crawl.add_argument("--replay-at", metavar="DATE", help="replay the captures taken at or before DATE")
    crawl.add_argument("--record", type=Path, metavar="ARCHIVE.warc.gz", help="write every response to a WARC")
    crawl.add_argument("--max-sites", type=_positive_int, metavar="N", help="fetch from at most N sites")
    crawl.add_argument(
        "--max-depth", type=_non_negative_int, metavar="N", help="follow links N hops from the seeds (default 1)"
    )
    crawl.add_argument("--max-time", type=_positive_int, metavar="SECONDS", help="stop the crawl after this long")
    crawl.add_argument("--opt-out-file", type=Path, help="extra domains never to crawl, one per line")
    crawl.add_argument(
        "--refresh",
        choices=["due", "all"],
        default="due",
        help="due: skip sites visited recently (default); all: visit every site now",
    )
    crawl.add_argument("--allow-private", action="store_true", help="allow private and loopback addresses")
    crawl.add_argument(
        "--allow-address",
        action="append",
        default=[],
        metavar="IP[:PORT]",
        help="admit this one private address (repeatable); everything else private stays refused",
    )
    crawl.add_argument("--log-level", default="INFO", choices=["DEBUG", "INFO", "WARNING", "ERROR"])
    crawl.add_argument(
        "--jobdir", type=Path, metavar="DIR", help="Scrapy JOBDIR: a stopped or killed crawl resumes from it"
    )
    crawl.add_argument("--lock-file", type=Path, metavar="PATH", help="run lock (default: DB.lock beside the database)")
    crawl.add_argument(
        "--progress", choices=["auto", "live", "log", "off"], default="auto",
        help="live display on a terminal, log lines otherwise (auto, default)",
    )  # fmt: skip
    crawl.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        dest="settings",
        help="override a Scrapy or Tremplin setting for this run (repeatable), as scrapy crawl -s does",
    )

    extract = commands.add_parser("extract", help="extract one saved response body, print JSON")
    extract.add_argument("url", metavar="URL", help="URL the body was fetched from")
    extract.add_argument("file", type=Path, metavar="FILE", help="saved response body")
    extract.add_argument("--content-type", help="Content-Type of the response, if known")

    serve = commands.add_parser("serve", help="publish the database read-only with Datasette")
    serve.add_argument("--db", type=Path, default=DEFAULT_DB)
    serve.add_argument("--port", type=_port, default=8001)
    serve.add_argument("--host", default="127.0.0.1")

    snapshot = commands.add_parser("snapshot", help="write a dated folder of CSV files with a manifest")
    snapshot.add_argument("--db", type=Path, default=DEFAULT_DB)
    snapshot.add_argument("--out", type=Path, default=Path("output") / "snapshots")
    snapshot.add_argument(
        "--force",
        action="store_true",
        help="publish even when counts moved more than 15 %% since the previous snapshot or a canary was lost",
    )

    canary = commands.add_parser("canary", help="flag communities whose loss blocks the next snapshot")
    canary.add_argument("community_ids", nargs="*", metavar="ID", help="community ids (communities.id)")
    canary.add_argument("--db", type=Path, default=DEFAULT_DB)
    canary.add_argument("--reason", default="", help="why this community must never silently disappear")
    canary.add_argument("--remove", action="store_true", help="unflag the given communities")

    demo = commands.add_parser("demo", help="crawl the bundled offline sample web, snapshot it and serve it")
    demo.add_argument("--db", type=Path, default=Path("output") / "demo.db")
    demo.add_argument("--port", type=_port, default=8001)
    demo.add_argument("--no-serve", action="store_true", help="stop after the crawl and the snapshot")
    _add_distributed_commands(commands)
    return parser


def _add_distributed_commands(commands) -> None:
    """``worker`` and ``load``: the roles of a distributed crawl (crawler/ops/distributed, deploy/README.md)."""
    worker = commands.add_parser("worker", help="crawl as one worker of a distributed crawl (Redis frontier)")
    load = commands.add_parser("load", help="start a distributed crawl and load its items into the database")
    for sub in (worker, load):
        sub.add_argument("--redis", required=True, metavar="URL", help="redis://[:password@]host:port/db")
        sub.add_argument("--crawl", default="communities", metavar="NAME", help="distributed crawl name (Redis keys)")
        sub.add_argument("--opt-out-file", type=Path, help="extra domains never to crawl, one per line")
        sub.add_argument("--log-level", default="INFO", choices=["DEBUG", "INFO", "WARNING", "ERROR"])
        sub.add_argument("--set", action="append", default=[], metavar="NAME=VALUE", dest="settings")
    worker.add_argument("--idle-exit", type=_non_negative_int, default=0, metavar="SECONDS",
                        help="stop after this long without work (default 0: run until stopped)")  # fmt: skip
    worker.add_argument("--allow-private", action="store_true", help="allow private and loopback addresses")
    worker.add_argument("--allow-address", action="append", default=[], metavar="IP[:PORT]")
    worker.add_argument("--max-sites", type=_positive_int, metavar="N", help="fetch from at most N sites (per worker)")
    worker.add_argument("--max-depth", type=_non_negative_int, metavar="N", help="follow links N hops from the seeds")
    worker.add_argument("--progress", choices=["auto", "live", "log", "off"], default="auto")
    load.add_argument("urls", nargs="*", metavar="URL", help="seed homepages (a new crawl)")
    load.add_argument("--seeds-file", type=Path, help="file with one seed URL per line (# comments)")
    load.add_argument("--db", type=Path, default=DEFAULT_DB)
    load.add_argument("--lock-file", type=Path, metavar="PATH")
    load.add_argument("--refresh", choices=["due", "all"], default="due")
    load.add_argument("--new", action="store_true", help="start a new crawl even if Redis holds an unfinished one")
    load.add_argument("--max-idle", type=_positive_int, metavar="SECONDS", help="finish after this long without items")
    load.add_argument("--batch-size", type=_positive_int, default=200, metavar="N", help="items per transaction")


def _overrides(assignments: list[str]) -> dict[str, str]:
    overrides = {}
    for assignment in assignments:
        name, sep, value = assignment.partition("=")
        if not sep or not name.strip():
            raise UsageError(f"--set expects NAME=VALUE, got {assignment!r}")
        overrides[name.strip()] = value
    return overrides


def cmd_worker(args: argparse.Namespace) -> int:
    """Run one worker of a distributed crawl."""
    from crawler.ops.distributed.commands import cmd_worker as run_worker

    return run_worker(args, _overrides(args.settings))


def cmd_load(args: argparse.Namespace) -> int:
    """Coordinate a distributed crawl and be its single database writer."""
    from crawler.ops.distributed.commands import cmd_load as run_load
    from crawler.visit import read_seeds

    seeds = _check_urls(args.urls)
    if args.seeds_file is not None:
        _check_readable(args.seeds_file, "seeds file")
        seeds += read_seeds(args.seeds_file)
    _check_db_location(args.db)
    return run_load(args, seeds, _overrides(args.settings))


def _check_urls(urls: list[str]) -> list[str]:
    checked = []
    for url in urls:
        try:
            checked.append(check_url(url))
        except InvalidUrlError as exc:
            raise UsageError(str(exc)) from None
    return checked


def _check_readable(path: Path, what: str) -> None:
    if not path.is_file():
        raise UsageError(f"{what} not found: {path}")
    try:
        with path.open("rb"):
            pass
    except OSError as exc:
        raise UsageError(f"cannot read {what} {path}: {exc.strerror}") from None


def _check_db_location(path: Path) -> None:
    parent = path.resolve().parent
    if path.exists() and path.is_dir():
        raise UsageError(f"--db is a directory: {path}")
    existing = next((p for p in [parent, *parent.parents] if p.exists()), None)
    if existing is None or not existing.is_dir() or not os.access(existing, os.W_OK):
        raise UsageError(f"cannot create the database in {parent}")


def cmd_crawl(args: argparse.Namespace) -> int:
    """Run the crawl with the real Scrapy engine."""
    urls = _check_urls(args.urls)
    seeds_file = args.seeds_file
    if seeds_file is not None:
        _check_readable(seeds_file, "seeds file")
    elif not urls:
        seeds_file = DEFAULT_SEEDS
    if args.replay is not None:
        _check_readable(args.replay, "replay archive")
    if args.opt_out_file is not None:
        _check_readable(args.opt_out_file, "opt-out file")
    if args.replay_at is not None:
        from crawler.archive.warc import normalise_warc_date

        try:
            normalise_warc_date(args.replay_at)
        except ValueError:
            raise UsageError(f"--replay-at is not an ISO 8601 date: {args.replay_at!r}") from None
    _check_db_location(args.db)
    overrides = {}
    for assignment in args.settings:
        name, sep, value = assignment.partition("=")
        if not sep or not name.strip():
            raise UsageError(f"--set expects NAME=VALUE, got {assignment!r}")
        overrides[name.strip()] = value

    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "crawler.settings")
    from scrapy.crawler import CrawlerProcess
    from scrapy.utils.project import get_project_settings

    settings = get_project_settings()
    settings.setdict(
        {
            "TREMPLIN_DB": str(args.db),
            "TREMPLIN_REPLAY": str(args.replay) if args.replay else None,
            "TREMPLIN_REPLAY_AT": args.replay_at,
            "TREMPLIN_RECORD": str(args.record) if args.record else None,
            "TREMPLIN_ALLOW_PRIVATE": args.allow_private,
            "TREMPLIN_PRIVATE_ALLOWLIST": args.allow_address,
            "TREMPLIN_MAX_SITES": args.max_sites,
            "TREMPLIN_OPT_OUT_FILE": str(args.opt_out_file) if args.opt_out_file else None,
            "LOG_LEVEL": args.log_level,
            "TREMPLIN_PROGRESS": args.progress,
            **({"JOBDIR": str(args.jobdir)} if args.jobdir else {}),
            **({"TREMPLIN_MAX_DEPTH": args.max_depth} if args.max_depth is not None else {}),
            **({"CLOSESPIDER_TIMEOUT": args.max_time} if args.max_time else {}),
        },
        priority="cmdline",
    )
    if args.replay:
        # Nothing leaves the machine in replay, so politeness delays would only slow the demo down.
        settings.setdict({"DOWNLOAD_DELAY": 0, "AUTOTHROTTLE_ENABLED": False}, priority="cmdline")
    settings.setdict(overrides, priority="cmdline")
    from crawler.ops.commands import busy_message, crawl_exit_code, run_lock
    from crawler.ops.lock import LockBusyError

    try:
        # One crawl at a time per database; a lock left by a killed run is cleared (crawler/ops/lock.py).
        with run_lock(args.db, args.lock_file):
            process = CrawlerProcess(settings)
            crawler = process.create_crawler("communities")
            process.crawl(
                crawler,
                urls=urls,
                seeds_file=str(seeds_file) if seeds_file else None,
                max_sites=args.max_sites,
                max_depth=args.max_depth,
                refresh=args.refresh,
            )
            process.start()
    except LockBusyError as exc:
        print(busy_message(exc), file=sys.stderr)
        return 75
    # 0 when the data-quality monitors passed, 3 degraded, 1 failed (crawler/ops/commands.py).
    return crawl_exit_code(crawler)


def cmd_extract(args: argparse.Namespace) -> int:
    """Extract one saved body and print the JSON object of docs/data-model.md."""
    url = _check_urls([args.url])[0]
    try:
        body = args.file.read_bytes()
    except OSError as exc:
        raise UsageError(f"cannot read {args.file}: {exc.strerror or exc}") from None
    from scrapy.http import Request
    from scrapy.responsetypes import responsetypes

    from crawler import platforms

    headers = {"Content-Type": args.content_type} if args.content_type else {}
    if not headers and body.lstrip()[:1] in (b"{", b"["):
        headers["Content-Type"] = "application/json"
    cls = responsetypes.from_args(headers=headers, url=url, body=body, filename=str(args.file))
    response = cls(url=url, body=body, headers=headers, request=Request(url))
    result = platforms.extract(response).to_json()
    json.dump(result, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    """Serve the database read-only with Datasette (blocks until stopped)."""
    _check_readable(args.db, "database")
    from crawler.publish import datasette_command

    command = datasette_command(args.db, port=args.port, host=args.host)
    print(f"Serving {args.db} read-only at http://{args.host}:{args.port}/ (Ctrl-C to stop)", flush=True)
    try:
        return subprocess.call(command)
    except KeyboardInterrupt:
        return 0


def cmd_snapshot(args: argparse.Namespace) -> int:
    """Write a CSV snapshot of the database, unless the publish gate refuses it (exit 1)."""
    _check_readable(args.db, "database")
    from crawler.snapshot import SnapshotRefusedError, write_snapshot

    try:
        # `demo` calls this with a namespace of its own, without --force.
        folder = write_snapshot(args.db, args.out, force=getattr(args, "force", False))
    except SnapshotRefusedError as exc:
        print(f"tremplin: error: {exc}", file=sys.stderr)
        return 1
    print(f"snapshot written to {folder}")
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    """Crawl the sample web once per capture date, snapshot it, then serve it."""
    from crawler.archive.warc import WarcArchive

    _check_readable(SAMPLE_ARCHIVE, "sample web archive")
    _check_db_location(args.db)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{args.db}{suffix}").unlink(missing_ok=True)
    dates = WarcArchive(SAMPLE_ARCHIVE).capture_dates()
    for date in dates:
        print(f"demo: crawling the sample web as captured on {date}", flush=True)
        status = subprocess.call(
            [
                sys.executable, "-m", "crawler", "crawl",
                "--replay", str(SAMPLE_ARCHIVE), "--replay-at", date,
                "--seeds-file", str(SAMPLE_SEEDS), "--db", str(args.db), "--log-level", "WARNING",
            ]
        )  # fmt: skip
        # 3 means the monitors judged the run degraded: its data is still there to show.
        if status not in (0, 3):
            print(f"tremplin: error: demo crawl for {date} failed (exit {status})", file=sys.stderr)
            return status
    cmd_snapshot(argparse.Namespace(db=args.db, out=args.db.parent / "snapshots"))
    if args.no_serve:
        return 0
    return cmd_serve(argparse.Namespace(db=args.db, port=args.port, host="127.0.0.1"))


def cmd_canary(args: argparse.Namespace) -> int:
    """Flag (or unflag) canary communities; with no id, list them."""
    _check_readable(args.db, "database")
    from crawler.storage import open_database, set_canaries

    db = open_database(args.db)
    try:
        known = {row[0] for row in db.execute("SELECT id FROM communities")}
        unknown = [cid for cid in args.community_ids if cid not in known]
        if unknown and not args.remove:
            raise UsageError(f"no community with id {unknown[0]!r} in {args.db}")
        for line in set_canaries(db, args.community_ids, args.reason, remove=args.remove):
            print(line)
    finally:
        db.close()
    return 0


COMMANDS = {
    "crawl": cmd_crawl,
    "extract": cmd_extract,
    "serve": cmd_serve,
    "snapshot": cmd_snapshot,
    "demo": cmd_demo,
    "canary": cmd_canary,
    "worker": cmd_worker,
    "load": cmd_load,
}


def main(argv: list[str] | None = None) -> int:
    """Run the ``tremplin`` command."""
    args = build_parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except UsageError as exc:
        print(f"tremplin: error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
