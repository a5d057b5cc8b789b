"""``tremplin serve``: Gunicorn with Uvicorn workers, each a Datasette over the same immutable copy.

``tremplin serve`` publishes the copy, computes what is computed once per copy
(``copy_state.prepare_copy``), then runs ``serve_command``'s command as its child, passing SIGTERM
and SIGINT on (``crawler.ops.serving.run_server``): Gunicorn's master, which forks the workers.
Each worker builds its own Datasette with ``crawler.publish.make_datasette``: the same settings,
metadata, templates and plugins as the in-process tests and as one ``datasette serve`` process
(its limits, connections and threads are its own), plus the page cache of ``plugin``. The master
restarts a worker that dies or hangs, and stops them all on SIGTERM (finishing the requests under
way) or SIGINT.

Why not datasette-gunicorn (0.1.1, Datasette > 0.63.2): it builds the Datasette instance in the
master through a private CLI path and forks it, and it takes only ``datasette serve``'s options, so
neither the inspect data of the copy computed here nor the serving plugin could reach the workers
without a plugins directory; the Gunicorn application below is the same twenty lines, done here.
"""

from __future__ import annotations

import dataclasses
import os
import sys
from pathlib import Path
from typing import Any

from gunicorn.app.base import BaseApplication

from crawler.publish import make_datasette, publish_copy
from crawler.serving import plugin
from crawler.serving.copy_state import PublishedCopy, prepare_copy

WORKER_CLASS = "uvicorn_worker.UvicornWorker"
# A worker silent this long (seconds) is killed and replaced; queries stop at 3 s (sql_time_limit_ms).
WORKER_TIMEOUT = 30
# On SIGTERM, requests under way get this long (seconds) to finish: less than the 10 s after which
# tremplin serve kills the master (crawler.ops.serving.STOP_TIMEOUT), so no worker is left behind.
GRACEFUL_TIMEOUT = 5
PAGE_CACHE_ENV = "TREMPLIN_PAGE_CACHE_MB"


def default_workers() -> int:
    """One worker per core this process may run on: pages are CPU-bound (rendering, JSON, SQLite)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


def page_cache_bytes() -> int:
    """Return the page cache of one worker, in bytes: ``TREMPLIN_PAGE_CACHE_MB`` (0: none), else the default."""
    text = os.environ.get(PAGE_CACHE_ENV, "").strip()
    if not text:
        return plugin.PAGE_CACHE_BYTES
    try:
        megabytes = float(text)
    except ValueError:
        megabytes = -1
    if megabytes < 0:
        raise SystemExit(f"tremplin: error: {PAGE_CACHE_ENV} must be a number of megabytes (0: none), got {text!r}")
    return int(megabytes * 1024 * 1024)


def build_app(copy: PublishedCopy, page_cache_bytes: int = plugin.PAGE_CACHE_BYTES):
    """Return the ASGI app one worker serves: Datasette over ``copy``, with the serving plugin."""
    plugin.register()
    datasette = make_datasette(copy.path)
    plugin.attach(datasette, copy, page_cache_bytes=page_cache_bytes)
    return datasette.app()


class _Application(BaseApplication):
    """Gunicorn's programmatic application: options from Python, the app built in each worker."""

    def __init__(self, copy: PublishedCopy, options: dict[str, Any], cache_bytes: int) -> None:
        self.copy = copy
        self.cache_bytes = cache_bytes
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for name, value in self.options.items():
            self.cfg.set(name, value)

    def load(self):
        return build_app(self.copy, self.cache_bytes)


def gunicorn_options(host: str, port: int, workers: int) -> dict[str, Any]:
    """Return the Gunicorn settings of ``tremplin serve``."""
    return {
        "bind": f"[{host}]:{port}" if ":" in host else f"{host}:{port}",
        "workers": workers,
        "worker_class": WORKER_CLASS,
        "timeout": WORKER_TIMEOUT,
        "graceful_timeout": GRACEFUL_TIMEOUT,
        "keepalive": 5,
        "proc_name": "tremplin-serve",
        "preload_app": False,  # every worker opens its own SQLite connections, after the fork
        "loglevel": "warning",
    }


def serve_copy(
    copy: Path, port: int, host: str = "127.0.0.1", workers: int | None = None, cache_bytes: int | None = None
) -> int:
    """Serve an already published ``copy`` until stopped (Gunicorn's master runs in this process)."""
    prepared = prepare_copy(copy)
    # Workers open the copy by its file name from its own folder, so Datasette shows no server path.
    os.chdir(prepared.path.parent)
    prepared = dataclasses.replace(
        prepared, path=Path(prepared.path.name), inspect_file=Path(prepared.inspect_file.name)
    )
    options = gunicorn_options(host, port, workers or default_workers())
    try:
        _Application(prepared, options, page_cache_bytes() if cache_bytes is None else cache_bytes).run()
    except SystemExit as stop:  # Gunicorn's master leaves through sys.exit
        return stop.code if isinstance(stop.code, int) else 1
    return 0


def serve_command(db_path, port: int = 8001, host: str = "127.0.0.1", workers: int | None = None) -> list[str]:
    """Publish a copy of ``db_path``, compute what is computed once per copy, and return the command serving it.

    The command (``python -m crawler.serving``) runs Gunicorn's master, which stops every worker on
    the SIGTERM or SIGINT ``tremplin serve`` passes on (``crawler.ops.serving.run_server``).
    """
    page_cache_bytes()  # a bad TREMPLIN_PAGE_CACHE_MB is refused before anything is published
    copy = publish_copy(db_path)
    prepare_copy(copy)
    return [sys.executable, "-m", "crawler.serving", str(copy), "--host", host, "--port", str(port),
            "--workers", str(workers or default_workers())]  # fmt: skip
