"""Data-quality monitors run at the end of every run, and the run's verdict: ok, degraded or failed.

Each monitor is a pure function of the database and the run id, so the Scrapy extension
(``crawler.extensions.monitors``) and the distributed loader run the very same checks. Statistical
checks need a minimum sample (``min_sample`` sites): a crawl of three sites says nothing about
coverage or error rates, and judging it would only make unattended small runs noisy.

Why not spidermon: spidermon 1.27 does run on Scrapy 2.19 (checked: its monitors pass and fail,
with a ScrapyDeprecationWarning for every line it logs), but its monitors are unittest cases over
crawl stats that pass or fail. These checks need two severities, the database (coverage per
platform, the previous run) and must also run in the loader, which has no crawler at all.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import sqlite_utils

from crawler.ops.runs import POLICY_STATUSES, REACHED_STATUSES, store_verdict

SEVERITY = {"ok": 0, "skipped": 0, "degraded": 1, "failed": 2}
# Members are the figure course designers sort partners by: each platform that publishes them
# should yield them for nearly every site, or its adapter (or the site's markup) broke.
DEFAULT_COVERAGE = {platform: {"members": 0.9} for platform in ("phpbb", "discourse", "mediawiki", "mastodon")}
EXIT_CODES = {"ok": 0, "degraded": 3, "failed": 1}


@dataclass
class Check:
    """The result of one monitor."""

    name: str
    status: str  # ok, degraded, failed, skipped
    value: float | None = None
    threshold: float | None = None
    reason: str = ""


@dataclass
class MonitorConfig:
    """Thresholds; every one can be set per run (``--set TREMPLIN_MONITOR_...``)."""

    min_communities: int = 1
    min_sample: int = 5
    coverage: dict[str, dict[str, float]] = field(default_factory=lambda: dict(DEFAULT_COVERAGE))
    max_error_rate: float = 0.25
    fail_error_rate: float = 0.6
    max_drop: float = 0.3
    fail_drop: float = 0.6

    @classmethod
    def from_settings(cls, settings: Any) -> MonitorConfig:
        """Read ``TREMPLIN_MONITOR_*`` settings (a dict or a JSON string for the coverage rules)."""
        coverage = settings.get("TREMPLIN_MONITOR_COVERAGE")
        if isinstance(coverage, str):
            coverage = json.loads(coverage)
        base = cls()
        return cls(
            min_communities=settings.getint("TREMPLIN_MONITOR_MIN_COMMUNITIES", base.min_communities),
            min_sample=settings.getint("TREMPLIN_MONITOR_MIN_SAMPLE", base.min_sample),
            coverage=dict(coverage) if coverage is not None else base.coverage,
            max_error_rate=settings.getfloat("TREMPLIN_MONITOR_MAX_ERROR_RATE", base.max_error_rate),
            fail_error_rate=settings.getfloat("TREMPLIN_MONITOR_FAIL_ERROR_RATE", base.fail_error_rate),
            max_drop=settings.getfloat("TREMPLIN_MONITOR_MAX_DROP", base.max_drop),
            fail_drop=settings.getfloat("TREMPLIN_MONITOR_FAIL_DROP", base.fail_drop),
        )


def _in(values: tuple[str, ...]) -> str:
    return ", ".join(f"'{v}'" for v in values)


def _site_outcomes(db: sqlite_utils.Database, run_id: str) -> dict[str, int]:
    rows = db.execute("SELECT status, count(*) FROM run_sites WHERE run_id = ? GROUP BY status", [run_id])
    return dict(rows.fetchall())


def _attempted(outcomes: dict[str, int]) -> int:
    return sum(n for status, n in outcomes.items() if status not in POLICY_STATUSES)


def check_min_communities(db: sqlite_utils.Database, run_id: str, config: MonitorConfig) -> list[Check]:
    """Failed when the run reached fewer communities than the minimum (unless nothing was due)."""
    outcomes = _site_outcomes(db, run_id)
    reached = sum(outcomes.get(s, 0) for s in REACHED_STATUSES)
    attempted = _attempted(outcomes)
    threshold = float(config.min_communities)
    if attempted == 0:
        return [Check("min_communities", "skipped", reached, threshold, "no site was due or allowed in this run")]
    if reached < config.min_communities:
        reason = f"only {reached} communities reached of {attempted} sites visited (minimum {config.min_communities})"
        return [Check("min_communities", "failed", reached, threshold, reason)]
    return [Check("min_communities", "ok", reached, threshold, f"{reached} communities reached")]


def check_coverage(db: sqlite_utils.Database, run_id: str, config: MonitorConfig) -> list[Check]:
    """Degraded when a platform's sites lack a metric more often than its rule allows."""
    checks = []
    for platform, rules in sorted(config.coverage.items()):
        sites = db.execute(
            "SELECT count(*) FROM run_sites r JOIN communities c ON c.id = r.community_id "
            f"WHERE r.run_id = ? AND r.status IN ({_in(REACHED_STATUSES)}) AND c.platform = ?",
            [run_id, platform],
        ).fetchone()[0]
        for metric, minimum in sorted(rules.items()):
            name = f"coverage:{platform}:{metric}"
            if sites < config.min_sample:
                checks.append(
                    Check(name, "skipped", None, minimum, f"{sites} {platform} sites, fewer than {config.min_sample}")
                )
                continue
            found = db.execute(
                "SELECT count(DISTINCT o.community_id) FROM observations o "
                "JOIN run_sites r ON r.run_id = o.run_id AND r.community_id = o.community_id "
                "JOIN communities c ON c.id = o.community_id "
                f"WHERE o.run_id = ? AND o.metric = ? AND c.platform = ? AND r.status IN ({_in(REACHED_STATUSES)})",
                [run_id, metric, platform],
            ).fetchone()[0]
            share = found / sites
            status = "ok" if share >= minimum else "degraded"
            reason = f"{metric} found for {found} of {sites} {platform} sites ({share:.0%}, minimum {minimum:.0%})"
            checks.append(Check(name, status, round(share, 4), minimum, reason))
    return checks


def check_error_rate(db: sqlite_utils.Database, run_id: str, config: MonitorConfig) -> list[Check]:
    """Degraded (then failed) when too many of the sites visited could not be reached."""
    outcomes = _site_outcomes(db, run_id)
    attempted = _attempted(outcomes)
    if attempted < config.min_sample:
        return [Check("error_rate", "skipped", None, config.max_error_rate, f"{attempted} sites visited, too few")]
    failed = outcomes.get("unreachable", 0)
    rate = failed / attempted
    status = "failed" if rate > config.fail_error_rate else "degraded" if rate > config.max_error_rate else "ok"
    threshold = config.fail_error_rate if status == "failed" else config.max_error_rate
    reason = f"{failed} of {attempted} sites unreachable ({rate:.0%}, limit {threshold:.0%})"
    return [Check("error_rate", status, round(rate, 4), threshold, reason)]


def check_drop(db: sqlite_utils.Database, run_id: str, config: MonitorConfig) -> list[Check]:
    """Degraded (then failed) when the communities alive fell sharply since the previous run.

    Compares totals in the database after each run rather than the sites each run visited: with the
    refresh schedule, two runs rarely visit the same sites, but the alive total moves slowly.
    """
    previous = db.execute(
        "SELECT alive_total FROM runs WHERE id < ? AND alive_total IS NOT NULL ORDER BY id DESC LIMIT 1", [run_id]
    ).fetchone()
    alive = db.execute(f"SELECT count(*) FROM communities WHERE status IN ({_in(REACHED_STATUSES)})").fetchone()[0]
    if previous is None or previous[0] < config.min_sample:
        return [Check("drop", "skipped", alive, config.max_drop, "no previous run large enough to compare with")]
    before = previous[0]
    drop = max(0.0, (before - alive) / before)
    status = "failed" if drop > config.fail_drop else "degraded" if drop > config.max_drop else "ok"
    threshold = config.fail_drop if status == "failed" else config.max_drop
    reason = f"communities alive went from {before} to {alive} ({drop:.0%} drop, limit {threshold:.0%})"
    return [Check("drop", status, round(drop, 4), threshold, reason)]


def check_finish(db: sqlite_utils.Database, run_id: str, config: MonitorConfig) -> list[Check]:
    """Degraded when the crawl stopped early (time limit, errors) rather than running out of work."""
    row = db.execute("SELECT finish_reason FROM runs WHERE id = ?", [run_id]).fetchone()
    reason = row[0] if row else None
    if reason in (None, "finished"):
        return [Check("finish", "ok", None, None, "crawl ran out of work")]
    return [Check("finish", "degraded", None, None, f"crawl stopped early: {reason}")]


def check_store(db: sqlite_utils.Database, run_id: str, config: MonitorConfig) -> list[Check]:
    """Degraded when items of the run could not be stored (each one is a ``store_failed`` error row)."""
    failed = db.execute(
        "SELECT count(*) FROM fetch_errors WHERE run_id = ? AND error = 'store_failed'", [run_id]
    ).fetchone()[0]
    if not failed:
        return [Check("store", "ok", 0, 0, "every item stored")]
    return [Check("store", "degraded", failed, 0, f"{failed} items could not be stored (fetch_errors store_failed)")]


MONITORS: tuple[Callable[[sqlite_utils.Database, str, MonitorConfig], list[Check]], ...] = (
    check_min_communities,
    check_coverage,
    check_error_rate,
    check_drop,
    check_finish,
    check_store,
)


def run_monitors(
    db: sqlite_utils.Database, run_id: str, config: MonitorConfig, extra: list[Check] | None = None
) -> list[Check]:
    """Run every monitor on the run; ``extra`` adds checks made elsewhere (the loader's lost sites)."""
    checks = [check for monitor in MONITORS for check in monitor(db, run_id, config)]
    return checks + list(extra or [])


def verdict(checks: list[Check]) -> tuple[str, list[str]]:
    """Return the worst status of the checks and the reasons of those that did not pass."""
    worst = max((SEVERITY[c.status] for c in checks), default=0)
    status = {0: "ok", 1: "degraded", 2: "failed"}[worst]
    reasons = [f"{c.name}: {c.reason}" for c in checks if SEVERITY[c.status] > 0]
    return status, reasons


def judge_run(
    db: sqlite_utils.Database, run_id: str, config: MonitorConfig, extra: list[Check] | None = None
) -> tuple[str, list[str], list[Check]]:
    """Run the monitors, store the verdict in ``runs`` and ``run_checks``, and return it."""
    checks = run_monitors(db, run_id, config, extra)
    status, reasons = verdict(checks)
    store_verdict(db, run_id, status, reasons, checks)
    return status, reasons, checks
