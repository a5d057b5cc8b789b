"""``tremplin worker`` and ``tremplin load``: the two roles of a distributed crawl."""

from __future__ import annotations

import argparse
import logging
import os
import sys

from crawler.ops.distributed.keys import CrawlKeys
from crawler.ops.monitors import EXIT_CODES, MonitorConfig

NO_REDIS = "tremplin: no Redis URL: give --redis URL or set TREMPLIN_REDIS_URL (in a systemd EnvironmentFile)\n"


class RedisUnavailableError(Exception):
    """Redis could not be reached or refused us (the message is one line for the user)."""


def _redis(url: str):
    import redis

    try:
        server = redis.Redis.from_url(url, socket_timeout=30, socket_connect_timeout=10)
        server.ping()
    except (redis.RedisError, ValueError) as exc:
        raise RedisUnavailableError(f"tremplin: Redis unavailable: {str(exc).splitlines()[0][:200]}") from exc
    return server


def _project_settings(args: argparse.Namespace, overrides: dict[str, str]):
    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "crawler.settings")
    from scrapy.utils.project import get_project_settings

    settings = get_project_settings()
    settings.setdict(
        {
            "LOG_LEVEL": args.log_level,
            "TREMPLIN_OPT_OUT_FILE": str(args.opt_out_file) if getattr(args, "opt_out_file", None) else None,
        },
        priority="cmdline",
    )
    settings.setdict(overrides, priority="cmdline")
    return settings


def cmd_worker(args: argparse.Namespace, overrides: dict[str, str]) -> int:
    """Run one worker until it has been idle for ``--idle-exit`` seconds (0: until stopped)."""
    from scrapy.crawler import CrawlerProcess

    from crawler.ops.distributed.spider import RedisCommunitiesSpider
    from crawler.ops.distributed.worker import worker_settings

    if not args.redis:
        sys.stderr.write(NO_REDIS)
        return 2
    keys = CrawlKeys(args.crawl)
    try:
        _redis(args.redis)  # fail fast, with one line, when Redis is not there
    except RedisUnavailableError as exc:
        sys.stderr.write(f"{exc}\n")
        return 69  # EX_UNAVAILABLE
    settings = _project_settings(args, {})
    settings.setdict(worker_settings(args.redis, keys, args.idle_exit), priority="cmdline")
    settings.setdict(
        {
            "TREMPLIN_ALLOW_PRIVATE": args.allow_private,
            "TREMPLIN_PRIVATE_ALLOWLIST": args.allow_address,
            "TREMPLIN_MAX_SITES": args.max_sites,
            "TREMPLIN_PROGRESS": args.progress,
            **({"TREMPLIN_MAX_DEPTH": args.max_depth} if args.max_depth is not None else {}),
        },
        priority="cmdline",
    )
    settings.setdict(overrides, priority="cmdline")
    process = CrawlerProcess(settings)
    process.crawl(RedisCommunitiesSpider, max_sites=args.max_sites, max_depth=args.max_depth, refresh="all")
    process.start()
    return 0


def cmd_load(args: argparse.Namespace, seeds: list[str], overrides: dict[str, str]) -> int:
    """Start or resume the crawl, load its items as workers send them, judge it; exit with the verdict."""
    from crawler.middlewares.scope import OptOutList
    from crawler.ops.commands import EXIT_BUSY, EXIT_FAILED, busy_message, run_lock
    from crawler.ops.distributed.loader import Loader
    from crawler.ops.lock import LockBusyError
    from crawler.ops.runs import fail_run

    if not args.redis:
        sys.stderr.write(NO_REDIS)
        return 2
    logging.basicConfig(level=args.log_level, format="%(asctime)s [%(name)s] %(levelname)s: %(message)s")
    settings = _project_settings(args, overrides)
    try:
        server = _redis(args.redis)
    except RedisUnavailableError as exc:
        sys.stderr.write(f"{exc}\n")
        return 69  # EX_UNAVAILABLE
    try:
        with run_lock(args.db, args.lock_file, purpose="load"):
            loader = Loader(server, CrawlKeys(args.crawl), str(args.db), batch_size=args.batch_size)
            try:
                run_id = loader.start(seeds, args.refresh, new=args.new, opt_out=OptOutList.from_settings(settings))
                loader.run(max_idle=args.max_idle)
                status, reasons = loader.finish(MonitorConfig.from_settings(settings))
            except Exception as exc:  # noqa: BLE001 - any crash of the loader fails its run, said in one line
                reason = f"{type(exc).__name__}: {str(exc).strip().splitlines()[0] if str(exc).strip() else ''}"
                if loader.run_id and not fail_run(args.db, loader.run_id, f"crash: {reason}"):
                    reason += " (the run row could not be updated)"
                sys.stderr.write(f"tremplin: error: the distributed run failed: {reason}\n")
                return EXIT_FAILED
            finally:
                loader.close()
    except LockBusyError as exc:
        sys.stderr.write(busy_message(exc) + "\n")
        return EXIT_BUSY
    counts = ", ".join(f"{n} {kind}" for kind, n in loader.loaded.items())
    lines = [f"run {run_id}: loaded {counts}; monitors {status}", *(f"  {reason}" for reason in reasons)]
    sys.stdout.write("\n".join(lines) + "\n")
    return EXIT_CODES[status]
