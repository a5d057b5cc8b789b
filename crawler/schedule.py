"""When each site is next due for a visit, from its state: a re-crawl refreshes only what is due.

Intervals per state (``INTERVALS``); sites that keep failing back off exponentially with jitter;
a ``Retry-After`` the site sent is a floor. Times are counted from the moment the site was seen
(in replay, the capture date), so replaying successive captures refreshes every site each time.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

DAY = timedelta(days=1)
INTERVALS: dict[str, timedelta | None] = {
    "alive": DAY,  # statistics change slowly: more than daily is pointless
    "unreachable": DAY,  # first failure; doubles with every further failure
    "blocked_by_robots": 7 * DAY,
    "gone": 30 * DAY,
    "moved": 30 * DAY,
    "refused": 30 * DAY,
    "alias": 30 * DAY,
    "rejected": 30 * DAY,
    "opted_out": None,  # never again, unless the operator lifts the opt-out
}
MAX_BACKOFF = 60 * DAY
JITTER = 0.1
# A site whose name stops resolving for this many runs in a row is gone, not just unreachable.
DNS_FAILURES_FOR_GONE = 3


def next_due(
    status: str,
    failures: int,
    seen_at: datetime,
    retry_after_seconds: int | None = None,
    rng: random.Random | None = None,
) -> datetime | None:
    """Return when a site in ``status`` (after ``failures`` failed visits in a row) is next due."""
    base = INTERVALS.get(status, DAY)
    if base is None:
        return None
    if status == "unreachable":
        base = min(base * 2 ** max(failures - 1, 0), MAX_BACKOFF)
    # Jitter spreads failing sites over time instead of retrying them all at once.
    factor = 1 + (rng or random).uniform(-JITTER, JITTER) if status == "unreachable" else 1
    due = seen_at + base * factor
    if retry_after_seconds:
        due = max(due, seen_at + timedelta(seconds=retry_after_seconds))
    return due


def status_after_failure(error_kind: str, failures: int) -> str:
    """Return a site's status after a failed homepage visit (``failures`` counts this one)."""
    if error_kind in ("http_410", "http_404"):
        return "gone"
    if error_kind == "dns" and failures >= DNS_FAILURES_FOR_GONE:
        return "gone"
    if error_kind == "robots":
        return "blocked_by_robots"
    if error_kind in ("refused_private", "refused_scheme"):
        return "refused"
    if error_kind == "opted_out":
        return "opted_out"
    return "unreachable"
