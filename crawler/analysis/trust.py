"""Trust flags on counts, so a researcher can filter out figures that are not what they seem.

Every latest count of every community gets exactly one of:

- ``measured``: read from a platform API or a statistics block (the rule says which);
- ``self_reported``: an approximate marketing figure ("over 5 million members") or a number
  written in the site's own prose (rules ``generic.*`` and ``<platform>.prose``);

and, when they apply, each with a readable reason:

- ``stale``: not refreshed for :data:`STALE_RUNS` runs or more, and older than the newest
  observation of the database by :data:`STALE_DAYS` days or more;
- ``anomalous``: a jump against the previous observation beyond ×\\ :data:`JUMP_FACTOR` (or
  below 1/:data:`JUMP_FACTOR`); members more than :data:`MEMBERS_PER_ACTIVE` times the active
  users; bot-like growth (members up by :data:`BOT_GROWTH` or more, at least
  :data:`BOT_MIN_NEW` accounts, while the site's activity stayed flat).

:func:`compute_flags` is pure; :func:`crawler.analysis.analyse_run` reads the database and
rewrites ``count_flags`` at the end of every run, one community at a time (:func:`stream_flags`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import datetime
from itertools import groupby
from operator import itemgetter
from typing import Any

STALE_RUNS = 2
STALE_DAYS = 7
JUMP_FACTOR = 3.0
MIN_JUMP_BASE = 100
MEMBERS_PER_ACTIVE = 1000
BOT_GROWTH = 0.5
BOT_MIN_NEW = 1000
FLAT_ACTIVITY = 0.1
ACTIVE_METRICS = ("active_users_30d", "active_users_180d", "active_users_7d", "active_users_1d")
ACTIVITY_METRICS = ("active_users_30d", "active_users_7d", "posts", "topics", "edits", "comments")


def _when(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None


def _n(value: int) -> str:
    return f"{value:,}"


def _change(old: int | None, new: int | None) -> float | None:
    if old is None or new is None or old <= 0:
        return None
    return (new - old) / old


def compute_flags(
    observations: Iterable[dict[str, Any]], run_order: list[str], newest_observed_at: str | None
) -> list[dict[str, Any]]:
    """Flag rows from the two newest observations of every (community, metric).

    ``observations``: dicts with community_id, metric, value, run_id, observed_at, rule,
    approximate and rank (1 = newest, 2 = the one before); ``run_order``: run ids oldest first.
    Pure: no I/O.
    """
    position = {run: index for index, run in enumerate(run_order)}
    return _flags(observations, position, len(run_order), _when(newest_observed_at))


def stream_flags(
    observations: Iterable[dict[str, Any]], run_order: list[str], newest_observed_at: str | None
) -> Iterator[dict[str, Any]]:
    """The rows of :func:`compute_flags`, in the same order, one community at a time.

    ``observations`` must come grouped by community (ordered by ``community_id``): a count's flags
    only look at its own community's other counts, so only one community is held at a time and the
    memory does not grow with the database.
    """
    position = {run: index for index, run in enumerate(run_order)}
    newest = _when(newest_observed_at)
    for _, rows in groupby(observations, key=itemgetter("community_id")):
        yield from _flags(rows, position, len(run_order), newest)


def _flags(
    observations: Iterable[dict[str, Any]], position: dict[str, int], runs: int, newest: datetime | None
) -> list[dict[str, Any]]:
    latest: dict[tuple[str, str], dict[str, Any]] = {}
    previous: dict[tuple[str, str], dict[str, Any]] = {}
    for row in observations:
        key = (row["community_id"], row["metric"])
        (latest if row["rank"] == 1 else previous)[key] = row
    rows: list[dict[str, Any]] = []

    def flag(obs: dict[str, Any], name: str, reason: str) -> None:
        rows.append(
            {
                "community_id": obs["community_id"],
                "metric": obs["metric"],
                "flag": name,
                "reason": reason,
                "value": obs["value"],
                "observed_at": obs["observed_at"],
                "run_id": obs["run_id"],
            }
        )

    for key, obs in sorted(latest.items()):
        rule = obs.get("rule") or ""
        if obs.get("approximate"):
            flag(obs, "self_reported", f"approximate figure the site gives of itself ({rule})")
        elif rule.startswith("generic.") or rule.endswith(".prose"):
            flag(obs, "self_reported", f"number written in the site's own text, not a statistics block ({rule})")
        else:
            flag(obs, "measured", f"read from the platform's API or statistics block ({rule})")
        runs_since = runs - 1 - position[obs["run_id"]] if obs["run_id"] in position else 0
        seen = _when(obs["observed_at"])
        age = (newest - seen).days if newest and seen else 0
        if runs_since >= STALE_RUNS and age >= STALE_DAYS:
            flag(obs, "stale", f"not refreshed for {runs_since} runs (last observed {obs['observed_at'][:10]}, "
                 f"{age} days before the newest observation)")  # fmt: skip
        reasons = _anomalies(key, obs, latest, previous)
        if reasons:
            flag(obs, "anomalous", "; ".join(reasons))
    return rows


def _anomalies(
    key: tuple[str, str],
    obs: dict[str, Any],
    latest: dict[tuple[str, str], dict[str, Any]],
    previous: dict[tuple[str, str], dict[str, Any]],
) -> list[str]:
    community, metric = key
    value = obs["value"]
    reasons = []
    before = previous.get(key)
    if before and before["value"] >= MIN_JUMP_BASE and value is not None:
        ratio = value / before["value"] if before["value"] else 0
        if ratio >= JUMP_FACTOR or (ratio and ratio <= 1 / JUMP_FACTOR) or value == 0:
            reasons.append(
                f"{metric} jumped from {_n(before['value'])} to {_n(value)} (×{ratio:.1f}) since the "
                f"observation of {before['observed_at'][:10]}"
            )
    if metric != "members":
        return reasons
    for active_metric in ACTIVE_METRICS:
        active = latest.get((community, active_metric))
        if active and active["value"] and active["value"] > 0:
            if value > MEMBERS_PER_ACTIVE * active["value"]:
                reasons.append(
                    f"members ({_n(value)}) are {value // active['value']:,}× the {_n(active['value'])} "
                    f"{active_metric} (more than {MEMBERS_PER_ACTIVE:,}×)"
                )
            break
    growth = _change(before["value"] if before else None, value)
    if before and growth is not None and growth >= BOT_GROWTH and value - before["value"] >= BOT_MIN_NEW:
        for activity_metric in ACTIVITY_METRICS:
            now, then = latest.get((community, activity_metric)), previous.get((community, activity_metric))
            if not now or not then or then["run_id"] != before["run_id"] or now["run_id"] != obs["run_id"]:
                continue
            activity = _change(then["value"], now["value"])
            if activity is not None and activity < FLAT_ACTIVITY:
                reasons.append(
                    f"bot-like growth: members +{growth:.0%} ({_n(before['value'])} → {_n(value)}) while "
                    f"{activity_metric} changed {activity:+.0%}"
                )
            break
    return reasons
