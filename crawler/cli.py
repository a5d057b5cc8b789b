"""The ``tremplin`` command: crawl, extract, serve, snapshot, demo, canary, worker, load (docs/data-model.md).

Exit statuses (``crawler.ops.commands``): 0 done and the monitors passed; 1 failed (the monitors
failed, a crash, a storage error, a run that could not finish); 2 bad arguments or an input refused
(nothing was changed); 3 degraded; 4 nothing was due; 75 another run holds the lock. Every expected
failure is one line on standard error, never a traceback.
"""

from __future__ import annotations

import argparse
import codecs
import json
import os
import sys
import time
from pathlib import Path
from typing import Any, NoReturn

from crawler import __version__
from crawler.identity import InvalidUrlError, check_url
from crawler.ops.commands import EXIT_BUSY, EXIT_FAILED, EXIT_USAGE
from crawler.storage import DatabaseRefusedError, check_database

PACKAGE_DIR = Path(__file__).resolve().parent
SAMPLE_ARCHIVE = PACKAGE_DIR / "archive" / "sample_web.warc.gz"
SAMPLE_SEEDS = PACKAGE_DIR / "archive" / "sample_web_seeds.txt"
DEFAULT_SEEDS = PACKAGE_DIR / "seeds" / "use_case.txt"
DEFAULT_DB = Path("output") / "communities.db"
DEFAULT_SNAPSHOTS = Path("output") / "snapshots"
DEFAULT_PORT = 8001
EXIT_BROKEN_PIPE = 128 + 13  # SIGPIPE
# --max-time beyond a year is a typo, and overflows the crawl's timer long before it means anything.
MAX_TIME = 366 * 86400
EXTRACT_CONTENT_TYPES = {".html": "text/html", ".htm": "text/html", ".json": "application/json",
                         ".xml": "application/xml"}  # fmt: skip


class UsageError(Exception):
    """A command-line argument cannot be used; the message is shown as one line."""


class _HelpFormatter(argparse.HelpFormatter):
    """Every option's help ends with its default, unless the help already says it."""

    def _get_help_string(self, action: argparse.Action) -> str:
        text = action.help or ""
        default = action.default
        if "default" in text or default is None or default is False or default in (argparse.SUPPRESS, []):
            return text
        return f"{text} (default: %(default)s)"


class _Parser(argparse.ArgumentParser):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", _HelpFormatter)
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"tremplin: error: {message}\n")


def _int_at_least(minimum: int, what: str):
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            value = minimum - 1
        if value < minimum:
            raise argparse.ArgumentTypeError(f"expected a {what} integer, got {_short(text)}")
        return value

    return parse


_positive_int = _int_at_least(1, "positive")
_non_negative_int = _int_at_least(0, "non-negative")


def _max_time(text: str) -> int:
    value = _positive_int(text)
    if value > MAX_TIME:
        raise argparse.ArgumentTypeError(f"expected at most {MAX_TIME} seconds (a year), got {_short(text)}")
    return value


def _short(text: str) -> str:
    return repr(text if len(text) <= 40 else text[:37] + "...")


def _port(text: str) -> int:
    value = _positive_int(text)
    if value > 65535:
        raise argparse.ArgumentTypeError(f"not a TCP port: {text!r}")
    return value


LOG_LEVELS = ["DEBUG", "INFO", "WARNING", "ERROR"]


def _add_logging(sub: argparse.ArgumentParser) -> None:
    sub.add_argument(
        "--log-level",
        choices=LOG_LEVELS,
        metavar="LEVEL",
        help="Tremplin's messages shown from this level up: DEBUG, INFO, WARNING, ERROR "
        "(default: WARNING on the terminal, INFO with --verbose; --log-file keeps INFO, or DEBUG)",
    )
    sub.add_argument("--verbose", action="store_true", help="show Scrapy's own log instead of the quiet terminal")
    sub.add_argument(
        "--log-file",
        type=Path,
        metavar="PATH",
        help="append Scrapy's full log to this file; the terminal stays quiet (default: none)",
    )


def _add_settings(sub: argparse.ArgumentParser) -> None:
    sub.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        dest="settings",
        help="override a Scrapy or Tremplin setting for this run (repeatable), as scrapy crawl -s "
        "does; the value is checked against the setting's type (default: none)",
    )


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser of the ``tremplin`` command."""
    parser = _Parser(prog="tremplin", description="Discover communities of practice and their public figures.")
    parser.add_argument("--version", action="version", version=f"tremplin {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    crawl = commands.add_parser("crawl", help="crawl seed sites into the database")
    crawl.add_argument(
        "urls",
        nargs="*",
        metavar="URL",
        help="site homepages to crawl (default, with no --seeds-file: the use case's communities)",
    )
    crawl.add_argument("--seeds-file", type=Path, help="file with one seed URL per line, # comments (default: none)")
    crawl.add_argument("--db", type=Path, default=DEFAULT_DB, help="SQLite database")
    crawl.add_argument(
        "--replay",
        type=Path,
        metavar="ARCHIVE.warc.gz",
        help="serve every request from a WARC archive (default: the live web)",
    )
    crawl.add_argument(
        "--replay-at",
        metavar="DATE",
        help="replay the captures taken at or before DATE (default: the newest of each URL)",
    )
    crawl.add_argument(
        "--record", type=Path, metavar="ARCHIVE.warc.gz", help="write every response to a WARC archive (default: none)"
    )
    crawl.add_argument(
        "--max-sites", type=_positive_int, metavar="N", help="fetch from at most N sites (default: no limit)"
    )
    crawl.add_argument(
        "--max-depth", type=_non_negative_int, metavar="N", help="follow links N hops from the seeds (default: 1)"
    )
    crawl.add_argument(
        "--max-time", type=_max_time, metavar="SECONDS", help="stop the crawl after this long (default: no limit)"
    )
    crawl.add_argument(
        "--opt-out-file",
        type=Path,
        help="extra domains never to crawl, one per line (default: only crawler/seeds/opt_out.txt)",
    )
    crawl.add_argument(
        "--refresh",
        choices=["due", "all"],
        default="due",
        help="due: skip sites visited recently; all: visit every site now",
    )
    crawl.add_argument("--allow-private", action="store_true", help="allow private and loopback addresses")
    crawl.add_argument(
        "--allow-address",
        action="append",
        default=[],
        metavar="IP[:PORT]",
        help="admit this one private address (repeatable); everything else private stays refused (default: none)",
    )
    _add_logging(crawl)
    crawl.add_argument(
        "--jobdir",
        type=Path,
        metavar="DIR",
        help="Scrapy JOBDIR: a stopped or killed crawl resumes from it (default: none)",
    )
    crawl.add_argument(
        "--lock-file",
        type=Path,
        metavar="PATH",
        help="an extra run lock; the database's own lock (<real path of the database>.lock) is "
        "always taken (default: none)",
    )
    crawl.add_argument(
        "--progress",
        choices=["auto", "live", "log", "off"],
        default="auto",
        help="live display on a terminal, log lines otherwise (auto); off: none",
    )
    _add_settings(crawl)

    extract = commands.add_parser("extract", help="extract one saved response body, print JSON")
    extract.add_argument("url", metavar="URL", help="URL the body was fetched from")
    extract.add_argument("file", type=Path, metavar="FILE", help="saved response body")
    extract.add_argument(
        "--content-type",
        help="Content-Type of the response (default: from the file name: .html, .htm, .json, .xml; "
        "else guessed from the body)",
    )

    serve = commands.add_parser("serve", help="publish the database read-only with Datasette")
    serve.add_argument("--db", type=Path, default=DEFAULT_DB, help="SQLite database to publish (a copy is served)")
    serve.add_argument("--port", type=_port, default=DEFAULT_PORT, help="TCP port to listen on")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on")
    serve.add_argument("--workers", type=_positive_int, help="server processes (default: one per core)")

    snapshot = commands.add_parser("snapshot", help="write a dated folder of CSV files with a manifest")
    snapshot.add_argument("--db", type=Path, default=DEFAULT_DB, help="SQLite database to snapshot")
    snapshot.add_argument("--out", type=Path, default=DEFAULT_SNAPSHOTS, help="folder of the dated snapshot folders")
    snapshot.add_argument(
        "--force",
        action="store_true",
        help="publish even when counts moved more than 15 %% since the previous snapshot or a canary was lost",
    )
    snapshot.add_argument("--replace", action="store_true", help="write over a snapshot of the same day")

    canary = commands.add_parser("canary", help="flag communities whose loss blocks the next snapshot")
    canary.add_argument(
        "community_ids", nargs="*", metavar="ID", help="community ids (communities.id); with none, list the canaries"
    )
    canary.add_argument("--db", type=Path, default=DEFAULT_DB, help="SQLite database")
    canary.add_argument("--reason", default="", help="why this community must never silently disappear (default: none)")
    canary.add_argument("--remove", action="store_true", help="unflag the given communities")

    demo = commands.add_parser("demo", help="crawl the bundled offline sample web, snapshot it and serve it")
    demo.add_argument(
        "--db",
        type=Path,
        default=Path("output") / "demo.db",
        help="demo database, rebuilt each time (only a demo database is ever replaced)",
    )
    demo.add_argument("--port", type=_port, default=DEFAULT_PORT, help="TCP port of the Datasette site")
    demo.add_argument("--no-serve", action="store_true", help="stop after the crawl and the snapshot")
    _add_distributed_commands(commands)
    return parser


def _add_distributed_commands(commands) -> None:
    """``worker`` and ``load``: the roles of a distributed crawl (crawler/ops/distributed, deploy/README.md)."""
    worker = commands.add_parser("worker", help="crawl as one worker of a distributed crawl (Redis frontier)")
    load = commands.add_parser("load", help="start a distributed crawl and load its items into the database")
    for sub in (worker, load):
        sub.add_argument("--redis", default=os.environ.get("TREMPLIN_REDIS_URL"), metavar="URL",
                         help="redis://[:password@]host:port/db (default: $TREMPLIN_REDIS_URL)")  # fmt: skip
        sub.add_argument("--crawl", default="communities", metavar="NAME", help="distributed crawl name (Redis keys)")
        sub.add_argument("--opt-out-file", type=Path, help="extra domains never to crawl, one per line (default: none)")
        sub.add_argument("--log-level", default="INFO", choices=LOG_LEVELS, help="log level")
        _add_settings(sub)
    worker.add_argument(
        "--idle-exit",
        type=_non_negative_int,
        default=0,
        metavar="SECONDS",
        help="stop after this long without work (0: run until stopped)",
    )
    worker.add_argument("--allow-private", action="store_true", help="allow private and loopback addresses")
    worker.add_argument(
        "--allow-address",
        action="append",
        default=[],
        metavar="IP[:PORT]",
        help="admit this one private address (repeatable) (default: none)",
    )
    worker.add_argument(
        "--max-sites",
        type=_positive_int,
        metavar="N",
        help="fetch from at most N sites, per worker (default: no limit)",
    )
    worker.add_argument(
        "--max-depth", type=_non_negative_int, metavar="N", help="follow links N hops from the seeds (default: 1)"
    )
    worker.add_argument(
        "--progress",
        choices=["auto", "live", "log", "off"],
        default="auto",
        help="live display on a terminal, log lines otherwise (auto); off: none",
    )
    load.add_argument("urls", nargs="*", metavar="URL", help="seed homepages of a new crawl (default: none)")
    load.add_argument("--seeds-file", type=Path, help="file with one seed URL per line, # comments (default: none)")
    load.add_argument("--db", type=Path, default=DEFAULT_DB, help="SQLite database (the single writer)")
    load.add_argument(
        "--lock-file",
        type=Path,
        metavar="PATH",
        help="an extra run lock; the database's own lock is always taken (default: none)",
    )
    load.add_argument(
        "--refresh",
        choices=["due", "all"],
        default="due",
        help="due: skip sites visited recently; all: visit every site now",
    )
    load.add_argument("--new", action="store_true", help="start a new crawl even if Redis holds an unfinished one")
    load.add_argument(
        "--max-idle",
        type=_positive_int,
        metavar="SECONDS",
        help="finish after this long without items (default: wait for the workers)",
    )
    load.add_argument("--batch-size", type=_positive_int, default=200, metavar="N", help="items per transaction")


def _project_settings() -> Any:
    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "crawler.settings")
    from scrapy.utils.project import get_project_settings

    return get_project_settings()


def _overrides(assignments: list[str], settings: Any) -> dict[str, Any]:
    """The typed ``--set`` overrides; a value of the wrong type is refused before any work starts."""
    from crawler.ops.overrides import SettingValueError, check_overrides

    try:
        overrides, warnings = check_overrides(assignments, settings)
    except SettingValueError as exc:
        raise UsageError(str(exc)) from None
    for warning in warnings:
        print(f"tremplin: warning: {warning}", file=sys.stderr)
    return overrides


def cmd_worker(args: argparse.Namespace) -> int:
    """Run one worker of a distributed crawl."""
    from crawler.ops.distributed.commands import cmd_worker as run_worker

    return run_worker(args, _overrides(args.settings, _project_settings()))


def cmd_load(args: argparse.Namespace) -> int:
    """Coordinate a distributed crawl and be its single database writer."""
    from crawler.ops.distributed.commands import cmd_load as run_load
    from crawler.visit import read_seeds

    seeds = _check_urls(args.urls)
    if args.seeds_file is not None:
        _check_text_file(args.seeds_file, "seeds file")
        seeds += read_seeds(args.seeds_file)  # (url, kind): the loader keeps the kind, as a single crawl does
    _check_db(args.db)
    return run_load(args, seeds, _overrides(args.settings, _project_settings()))


def _check_urls(urls: list[str]) -> list[str]:
    checked = []
    for url in urls:
        try:
            url.encode("utf-8")
        except UnicodeEncodeError:
            raise UsageError(f"URL is not valid UTF-8 text: {os.fsencode(url)!r}") from None
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


def _check_text_file(path: Path, what: str) -> None:
    """A readable UTF-8 text file (read in blocks: a seeds file may be long)."""
    _check_readable(path, what)
    decoder = codecs.getincrementaldecoder("utf-8")()
    offset = 0
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 16), b""):
            try:
                decoder.decode(block)
            except UnicodeDecodeError as exc:
                raise UsageError(f"{what} {path} is not UTF-8 text (byte {block[exc.start]:#04x} at offset "
                                 f"{offset + exc.start})") from None  # fmt: skip
            offset += len(block)
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            raise UsageError(f"{what} {path} is not UTF-8 text (it ends inside a character)") from None


def _check_warc(path: Path) -> None:
    """A readable WARC archive: its first record parses (a damaged one further on fails the crawl)."""
    from warcio.archiveiterator import ArchiveIterator

    _check_readable(path, "replay archive")
    try:
        with path.open("rb") as stream:
            next(iter(ArchiveIterator(stream)), None)
    except Exception as exc:  # noqa: BLE001 - warcio raises many kinds for a file that is not WARC
        reason = str(exc).split(",")[0].split(":")[0].strip() or type(exc).__name__
        raise UsageError(f"replay archive {path} is not a WARC archive ({reason})") from None


def _check_db_location(path: Path, option: str = "--db", what: str = "the database") -> None:
    parent = path.resolve().parent
    if path.exists() and path.is_dir():
        raise UsageError(f"{option} is a directory: {path}")
    existing = next((p for p in [parent, *parent.parents] if p.exists()), None)
    if existing is None or not existing.is_dir() or not os.access(existing, os.W_OK):
        raise UsageError(f"cannot create {what} in {parent}")


def _check_db(path: Path, must_exist: bool = False) -> None:
    """A database Tremplin may open: writable place, and not another application's file (left unchanged)."""
    if must_exist:
        _check_readable(path, "database")
    else:
        _check_db_location(path)
    try:
        check_database(path)
    except DatabaseRefusedError as exc:
        raise UsageError(str(exc)) from None
    except OSError as exc:
        raise UsageError(f"cannot read the database {path}: {exc.strerror}") from None


def cmd_crawl(args: argparse.Namespace) -> int:
    """Run the crawl with the real Scrapy engine; exit with the run's outcome (see the module docstring)."""
    urls = _check_urls(args.urls)
    seeds_file = args.seeds_file
    if seeds_file is not None:
        _check_text_file(seeds_file, "seeds file")
    elif not urls:
        seeds_file = DEFAULT_SEEDS
    if args.replay is not None:
        _check_warc(args.replay)
    if args.opt_out_file is not None:
        _check_text_file(args.opt_out_file, "opt-out file")
    if args.replay_at is not None:
        from crawler.archive.warc import normalise_warc_date

        try:
            normalise_warc_date(args.replay_at)
        except ValueError:
            raise UsageError(f"--replay-at is not an ISO 8601 date: {args.replay_at!r}") from None
    _check_db(args.db)
    if args.log_file is not None:
        _check_db_location(args.log_file, "--log-file", "the log file")
    settings = _project_settings()
    overrides = _overrides(args.settings, settings)

    from crawler.ops.terminal import install_terminal, logging_settings

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
            "TREMPLIN_PROGRESS": args.progress,
            **logging_settings(args.verbose, args.log_level, str(args.log_file) if args.log_file else None),
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
    from scrapy.crawler import CrawlerProcess

    from crawler.ops.commands import busy_message, crawl_outcome, run_lock
    from crawler.ops.jobdir import JobDirInUseError, job_for
    from crawler.ops.lock import LockBusyError

    started = time.monotonic()
    crash: list[Any] = []
    try:
        # One crawl at a time per database; a lock left by a killed run is cleared (crawler/ops/lock.py).
        with run_lock(args.db, args.lock_file):
            job_for(args.jobdir)  # a job directory another live process runs is refused here, in one line
            process = CrawlerProcess(settings)
            crashes = install_terminal(args.verbose, args.log_level, str(args.log_file) if args.log_file else None)
            crawler = process.create_crawler("communities")
            done = process.crawl(
                crawler,
                urls=urls,
                seeds_file=str(seeds_file) if seeds_file else None,
                max_sites=args.max_sites,
                max_depth=args.max_depth,
                refresh=args.refresh,
            )
            done.addErrback(crash.append)  # a crash of the crawl itself: reported below, in one line
            process.start()
    except LockBusyError as exc:
        print(busy_message(exc), file=sys.stderr)
        return EXIT_BUSY
    except JobDirInUseError as exc:
        print(f"tremplin: {exc}; not starting (exit {EXIT_BUSY})", file=sys.stderr)
        return EXIT_BUSY
    outcome = crawl_outcome(crawler, str(args.db), crash[0].value if crash else None, (crashes.count, crashes.first))
    live = args.progress == "live" or (args.progress == "auto" and sys.stdout.isatty())
    outcome.report(time.monotonic() - started, live)
    return outcome.exit_code


def cmd_extract(args: argparse.Namespace) -> int:
    """Extract one saved body and print the JSON object of docs/data-model.md."""
    url = _check_urls([args.url])[0]
    limit = int(_project_settings().getint("DOWNLOAD_MAXSIZE"))
    try:
        with args.file.open("rb") as handle:
            body = handle.read(limit + 1) if limit else handle.read()
    except OSError as exc:
        raise UsageError(f"cannot read {args.file}: {exc.strerror or exc}") from None
    if limit and len(body) > limit:
        raise UsageError(f"{args.file} is larger than the crawl's size limit ({limit:,} bytes, DOWNLOAD_MAXSIZE): "
                         "a crawl would not read it either")  # fmt: skip
    from scrapy.http import Request
    from scrapy.responsetypes import responsetypes

    from crawler import platforms

    content_type = args.content_type or EXTRACT_CONTENT_TYPES.get(args.file.suffix.lower())
    headers = {"Content-Type": content_type} if content_type else {}
    if not headers and body.lstrip()[:1] in (b"{", b"["):
        headers["Content-Type"] = "application/json"
    cls = responsetypes.from_args(headers=headers, url=url, body=body, filename=str(args.file))
    response = cls(url=url, body=body, headers=headers, request=Request(url))
    result = platforms.extract(response).to_json()
    try:
        json.dump(result, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        sys.stdout.flush()
    except BrokenPipeError:
        # The reader stopped early (`| head`): end quietly with the status cat gets (128 + SIGPIPE);
        # standard output goes to /dev/null so the interpreter's last flush cannot fail again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_BROKEN_PIPE
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    """Serve the database read-only with Datasette until stopped (SIGTERM and SIGINT are passed on)."""
    from crawler.ops.serving import PortBusyError, check_port, run_server

    _check_db(args.db, must_exist=True)
    try:
        check_port(args.host, args.port)
    except PortBusyError as exc:
        raise UsageError(str(exc)) from None
    from crawler.serving.runner import serve_command

    command = serve_command(args.db, port=args.port, host=args.host, workers=args.workers)
    print(f"Serving {args.db} read-only at http://{args.host}:{args.port}/ (Ctrl-C to stop)", flush=True)
    return run_server(command)


def cmd_snapshot(args: argparse.Namespace) -> int:
    """Write a CSV snapshot of the database, unless the publish gate refuses it (exit 1)."""
    _check_db(args.db, must_exist=True)
    from crawler.snapshot import SnapshotExistsError, SnapshotRefusedError, write_snapshot

    try:
        folder = write_snapshot(args.db, args.out, force=args.force, replace=args.replace)
    except (SnapshotRefusedError, SnapshotExistsError) as exc:
        print(f"tremplin: error: {exc}", file=sys.stderr)
        return EXIT_FAILED
    except OSError as exc:
        print(f"tremplin: error: cannot write the snapshot in {args.out}: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_FAILED
    print(f"snapshot written to {folder}")
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    """Crawl the sample web once per capture date, snapshot it, then serve it."""
    import subprocess

    from crawler.archive.warc import WarcArchive
    from crawler.ops.serving import PortBusyError, check_port
    from crawler.publish import is_sample_database

    _check_readable(SAMPLE_ARCHIVE, "sample web archive")
    if not args.no_serve:
        try:
            check_port("127.0.0.1", args.port)  # before any work: a busy port must not cost a crawl
        except PortBusyError as exc:
            raise UsageError(str(exc)) from None
    _check_db(args.db)
    if args.db.exists() and args.db.stat().st_size and not is_sample_database(args.db):
        raise UsageError(f"{args.db} is not a demo database: the demo only replaces its own; choose another --db")
    for suffix in ("", "-wal", "-shm"):
        Path(f"{args.db}{suffix}").unlink(missing_ok=True)
    dates = WarcArchive(SAMPLE_ARCHIVE).capture_dates()
    for date in dates:
        print(f"demo: crawling the sample web as captured on {date}", flush=True)
        status = subprocess.call(
            [
                sys.executable, "-m", "crawler", "crawl",
                "--replay", str(SAMPLE_ARCHIVE), "--replay-at", date,
                "--seeds-file", str(SAMPLE_SEEDS), "--db", str(args.db), "--progress", "off",
                "--set", f"TREMPLIN_CLOSED_FILE={SAMPLE_SEEDS.with_name('sample_web_closed.txt')}",
            ]
        )  # fmt: skip
        # 3 means the monitors judged the run degraded: its data is still there to show.
        if status not in (0, 3):
            print(f"tremplin: error: demo crawl for {date} failed (exit {status})", file=sys.stderr)
            return status
    # The demo's own snapshot folder, rebuilt with its database: never the snapshots of a real database.
    out = args.db.parent / f"{args.db.stem}-snapshots"
    status = cmd_snapshot(argparse.Namespace(db=args.db, out=out, force=False, replace=True))
    if status or args.no_serve:
        return status
    return cmd_serve(argparse.Namespace(db=args.db, port=args.port, host="127.0.0.1", workers=None))


def cmd_canary(args: argparse.Namespace) -> int:
    """Flag (or unflag) canary communities; with no id, list them."""
    _check_db(args.db, must_exist=True)
    from crawler.storage import open_database, set_canaries

    db = open_database(args.db)
    try:
        known = {row[0] for row in db.execute("SELECT id FROM communities")}
        unknown = [cid for cid in args.community_ids if cid not in known]
        if unknown and not args.remove:
            raise UsageError(f"no community with id {unknown[0]!r} in {args.db}")
        lines = set_canaries(db, args.community_ids, args.reason, remove=args.remove)
    finally:
        db.close()
    for line in lines:
        print(line)
    if not lines and not args.community_ids:
        print(f"no canary community in {args.db}; flag one with: tremplin canary ID --reason WHY")
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
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("tremplin: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # noqa: BLE001 - the last resort: one line, the traceback only when asked
        if os.environ.get("TREMPLIN_TRACEBACK"):
            raise
        print(f"tremplin: error: {args.command} failed: {type(exc).__name__}: {exc} "
              "(set TREMPLIN_TRACEBACK=1 to see the traceback)", file=sys.stderr)  # fmt: skip
        return EXIT_FAILED


if __name__ == "__main__":
    sys.exit(main())
