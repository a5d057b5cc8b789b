"""The single writer of a distributed crawl: coordinator, loader and judge (``tremplin load``).

It starts (or resumes) the crawl in Redis, pushes the seeds that are due, then moves every item the
workers send into SQLite in batches of one transaction each, with the same idempotent writes as a
single-process crawl. The crawl is over when, for one whole round, the start list, the frontier and
the item list are empty, no worker took anything (the activity counter did not move) and every live
worker has reported idle since. Sites claimed but never stored (their worker died) are handed back
once, then reported. The run is finished and judged by the same monitors as ``tremplin crawl``.
"""

from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass, field
from typing import Any

import scrapy

from crawler.identity import InvalidUrlError, check_url, site_key
from crawler.ops.distributed.codec import CodecError, decode_item
from crawler.ops.distributed.keys import CrawlKeys
from crawler.ops.monitors import Check, MonitorConfig, judge_run
from crawler.ops.runs import close_run, done_site_keys, mark_resumed, new_run_id, now_iso, open_run, record_end
from crawler.storage import known_sites_due, open_database, sites_not_due, store_batch

logger = logging.getLogger(__name__)
# A seed URL, or (URL, kind) as a seeds file gives it (crawler.visit.read_seeds).
Seed = str | tuple[str, str | None]


@dataclass
class WorkerView:
    """What the loader knows of one worker from its heartbeats (times on the loader's clock)."""

    seq: int = -1
    changed_at: float = 0.0
    busy: bool = False
    closed: bool = False
    pages: int = 0


@dataclass
class Quiet:
    """The moment the crawl first looked finished: activity counter and heartbeat numbers then."""

    activity: int
    seqs: dict[str, int] = field(default_factory=dict)


class Loader:
    """Coordinator and single SQLite writer of one distributed crawl."""

    def __init__(
        self,
        server: Any,
        keys: CrawlKeys,
        db_path: str,
        batch_size: int = 200,
        poll: float = 0.2,
        worker_timeout: float = 15.0,
    ) -> None:
        self.server = server
        self.keys = keys
        self.db_path = db_path
        self.db = open_database(db_path)
        self.batch_size = batch_size
        self.poll = poll
        self.worker_timeout = worker_timeout
        self.run_id: str | None = None
        self.workers: dict[str, WorkerView] = {}
        self.loaded = {"community": 0, "fetch_error": 0, "candidate": 0, "rejected": 0}
        self.requeued: set[str] = set()
        self.lost: list[str] = []

    # --- starting -------------------------------------------------------------------------

    def start(self, seeds: list[Seed], refresh: str = "due", new: bool = False, opt_out: Any = None) -> str:
        """Start a new crawl (pushing its seeds), or resume the one Redis holds; return the run id."""
        existing = self.server.get(self.keys.run)
        if existing and not new:
            self.run_id = existing.decode() if isinstance(existing, bytes) else existing
            if self.db.execute("SELECT 1 FROM runs WHERE id = ?", [self.run_id]).fetchone():
                mark_resumed(self.db, self.run_id, None)
                self.db.execute("UPDATE runs SET status = 'running', finished_at = NULL WHERE id = ?", [self.run_id])
                self.db.conn.commit()
                logger.info("resuming distributed run %s", self.run_id)
                return self.run_id
        self.server.delete(*self.keys.all())
        self.run_id = new_run_id()
        self.server.set(self.keys.run, self.run_id)
        run = {"id": self.run_id, "spider": "communities", "seeds": len(seeds),
               "scrapy_version": scrapy.__version__, "mode": "distributed"}  # fmt: skip
        open_run(self.db, run, detail=f"distributed crawl {self.keys.crawl}")
        self._push_seeds(seeds, refresh, now_iso(), opt_out)
        return self.run_id

    def _push_seeds(self, seeds: list[Seed], refresh: str, now: str, opt_out: Any) -> None:
        not_due = set() if refresh == "all" else sites_not_due(self.db_path, now)
        if not_due:
            # Claimed in advance, so no worker visits them through a link either.
            claim = json.dumps({"kind": "not_due"})
            self.server.hset(self.keys.sites, mapping=dict.fromkeys(not_due, claim))
        visits, opted_out, seen = [], [], set(not_due)
        for seed in seeds:
            # A seed is a URL, or (URL, kind) as a seeds file gives it (crawler.visit.read_seeds).
            seed, kind = seed if isinstance(seed, tuple) else (seed, None)
            try:
                url = check_url(seed)
            except InvalidUrlError as exc:
                logger.warning("seed skipped: %s", exc)
                continue
            key = site_key(url)
            if key in seen:
                continue
            seen.add(key)
            if opt_out is not None and opt_out.covers(url):
                opted_out.append({"id": key, "url": url, "seed_url": url, "status": "opted_out",
                                  "error_kind": "opted_out"})  # fmt: skip
                continue
            visits.append({"seed_url": url, "depth": 0, "is_seed": True, "known": False, "declared_kind": kind})
        if refresh == "due":
            for known in known_sites_due(self.db_path, now):
                if known["id"] not in seen:
                    seen.add(known["id"])
                    visits.append({"seed_url": known["url"], "depth": known["depth"], "is_seed": bool(known["is_seed"]),
                                   "known": True, "found_from": known["discovered_from"]})  # fmt: skip
        if opted_out:
            store_batch(self.db, self.run_id, now, opted_out, [])
        if visits:
            self.server.rpush(self.keys.start, *[json.dumps(v) for v in visits])
        logger.info("pushed %d site visits to %s (%d not due, %d opted out)", len(visits), self.keys.start,
                    len(not_due), len(opted_out))  # fmt: skip

    # --- loading --------------------------------------------------------------------------

    def load_batch(self) -> int:
        """Move up to ``batch_size`` items from Redis into SQLite in one transaction; return how many."""
        raw = self.server.lpop(self.keys.items, self.batch_size) or []
        if not raw:
            return 0
        buckets: dict[str, list[dict[str, Any]]] = {"community": [], "fetch_error": [], "candidate": []}
        for data in raw:
            try:
                kind, item = decode_item(data)
            except CodecError as exc:
                self.loaded["rejected"] += 1
                logger.warning("item rejected: %s: %r", exc, data[:200])
                continue
            buckets[kind].append(item)
            self.loaded[kind] += 1
        store_batch(self.db, self.run_id, now_iso(), buckets["community"], buckets["fetch_error"], buckets["candidate"])
        return len(raw)

    # --- knowing when it is over ----------------------------------------------------------

    def _read_workers(self) -> None:
        now = time.monotonic()
        for worker, raw in self.server.hgetall(self.keys.workers).items():
            name = worker.decode() if isinstance(worker, bytes) else worker
            state = json.loads(raw)
            view = self.workers.setdefault(name, WorkerView(changed_at=now))
            if state.get("seq", -1) != view.seq:
                view.seq, view.changed_at = state.get("seq", -1), now
            view.busy, view.closed = bool(state.get("busy")), bool(state.get("closed"))
            view.pages = int(state.get("pages") or 0)

    def _live(self) -> dict[str, WorkerView]:
        now = time.monotonic()
        return {
            name: view
            for name, view in self.workers.items()
            if not view.closed and now - view.changed_at < self.worker_timeout
        }

    def _queues_empty(self) -> bool:
        pipe = self.server.pipeline()
        pipe.llen(self.keys.start).zcard(self.keys.requests).llen(self.keys.items)
        return not any(pipe.execute())

    def _activity(self) -> int:
        return int(self.server.get(self.keys.activity) or 0)

    def _finished(self, quiet: Quiet | None) -> tuple[bool, Quiet | None]:
        """One round of the end-of-crawl test; return (over, the quiet state to carry on with)."""
        self._read_workers()
        live = self._live()
        if not self.workers or any(v.busy for v in live.values()) or not self._queues_empty():
            return False, None
        if quiet is None:
            return False, Quiet(self._activity(), {n: v.seq for n, v in live.items()})
        if self._activity() != quiet.activity:
            return False, None
        if any(v.seq <= quiet.seqs.get(n, -1) for n, v in live.items()):
            return False, quiet  # wait for a heartbeat taken after the quiet moment
        return self._queues_empty(), quiet

    def _lost_sites(self) -> list[dict[str, Any]]:
        done = done_site_keys(self.db, self.run_id)
        lost = []
        for key, raw in self.server.hgetall(self.keys.sites).items():
            key = key.decode() if isinstance(key, bytes) else key
            claim = json.loads(raw)
            if claim.get("kind") == "visit" and key not in done:
                lost.append({"key": key, **claim})
        return lost

    def run(self, max_idle: float | None = None) -> None:
        """Load until the crawl is over (or nothing happened for ``max_idle`` seconds)."""
        quiet: Quiet | None = None
        last_progress = time.monotonic()
        while True:
            if self.load_batch():
                quiet, last_progress = None, time.monotonic()
                continue
            over, quiet = self._finished(quiet)
            if over:
                lost = [site for site in self._lost_sites() if site["key"] not in self.requeued]
                if not lost:
                    break
                logger.warning("%d sites claimed but never stored (a worker died?): visiting them again", len(lost))
                for site in lost:
                    self.requeued.add(site["key"])
                fields = ("seed_url", "depth", "is_seed", "known", "found_from", "found_rule", "declared_kind")
                self.server.rpush(self.keys.start, *[json.dumps({**{f: s.get(f) for f in fields}, "reclaim": True})
                                                     for s in lost])  # fmt: skip
                quiet = None
                continue
            if max_idle is not None and time.monotonic() - last_progress > max_idle:
                logger.warning("no progress for %.0f s: finishing the run as it is", max_idle)
                break
            time.sleep(self.poll)
        self.lost = [site["key"] for site in self._lost_sites()]

    # --- finishing ------------------------------------------------------------------------

    def finish(self, config: MonitorConfig) -> tuple[str, list[str]]:
        """Close the run (counts, links), judge it, and return the verdict."""
        close_run(self.db, self.run_id, pages=sum(view.pages for view in self.workers.values()),
                  items=self.loaded["community"])  # fmt: skip
        record_end(self.db, self.run_id, "finished", f"{len(self.workers)} workers, {self.loaded['community']} items")
        lost = Check("lost_sites", "ok", 0, 0, "every claimed site was stored")
        if self.lost:
            sample = ", ".join(sorted(self.lost)[:5])
            lost = Check("lost_sites", "degraded", len(self.lost), 0, f"{len(self.lost)} sites never stored: {sample}")
        status, reasons, _ = judge_run(self.db, self.run_id, config, extra=[lost])
        # The crawl is over: the next ``tremplin load`` starts a new one instead of resuming this one.
        self.server.delete(self.keys.run)
        return status, reasons

    def close(self) -> None:
        self.db.close()
