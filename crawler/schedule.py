"""When each site is next due for a visit, from its state: a re-crawl refreshes only what is due.

Intervals per state (``INTERVALS``); sites that keep failing back off exponentially with jitter;
a ``Retry-After`` the site sent is a floor, clamped to :data:`MAX_RETRY_AFTER` where it is read
(:func:`parse_retry_after`, both its forms) and again where it is used, so no header can push a
site past the calendar. Times are counted from the moment the site was seen (in replay, the
capture date), so replaying successive captures refreshes every site each time.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime

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
# The longest pause a site may impose: a ``Retry-After`` of years (or of ``Fri, 31 Dec 9999``) is
# read as this. A site asking for more than the longest back-off is treated like a failing site.
MAX_RETRY_AFTER = MAX_BACKOFF
# A site whose name stops resolving for this many runs in a row is gone, not just unreachable.
DNS_FAILURES_FOR_GONE = 3


def clamp_delay(seconds: float | int | None, limit: timedelta = MAX_RETRY_AFTER) -> int | None:
    """``seconds`` as whole seconds between 0 and ``limit``; None stays None."""
    if seconds is None:
        return None
    try:
        value = float(seconds)
    except (TypeError, ValueError):
        return None
    if value != value:  # NaN
        return None
    return int(min(max(value, 0.0), limit.total_seconds()))


def parse_retry_after(value: str | bytes | None, now: datetime | None = None) -> int | None:
    """The seconds a ``Retry-After`` header asks to wait, clamped to :data:`MAX_RETRY_AFTER`.

    RFC 9110 allows delta-seconds (``120``) or an HTTP date (``Fri, 31 Dec 9999 23:59:59 GMT``);
    a date in the past is 0, anything unreadable None.
    """
    if value is None:
        return None
    text = (value.decode("latin-1") if isinstance(value, bytes) else value).strip()
    if text.isascii() and text.isdigit():
        return clamp_delay(int(text[:20]))
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return clamp_delay((when - (now or datetime.now(UTC))).total_seconds())


def next_due(
    status: str,
    failures: int,
    seen_at: datetime,
    retry_after_seconds: int | None = None,
    rng: random.Random | None = None,
    error_kind: str | None = None,
) -> datetime | None:
    """Return when a site in ``status`` (after ``failures`` failed visits in a row) is next due.

    A site blocked only because its robots.txt could not be fetched (``robots_unreachable``) is
    asked again like an unreachable site, not a week later like one whose robots.txt says no.
    """
    base = INTERVALS.get(status, DAY)
    if base is None:
        return None
    if error_kind == "robots_unreachable":
        status, base = "unreachable", INTERVALS["unreachable"]
    if status == "unreachable":
        # The exponent is bounded first: 2 ** 10,000 failures would overflow the timedelta.
        base = min(base * 2 ** min(max(failures - 1, 0), 16), MAX_BACKOFF)
    # Jitter spreads failing sites over time instead of retrying them all at once.
    factor = 1 + (rng or random).uniform(-JITTER, JITTER) if status == "unreachable" else 1
    wait = clamp_delay(retry_after_seconds)
    try:
        due = seen_at + base * factor
        if wait:
            due = max(due, seen_at + timedelta(seconds=wait))
    except OverflowError:  # a capture date at the end of the calendar: due at once rather than never stored
        return seen_at
    return due


def status_after_failure(error_kind: str, failures: int) -> str:
    """Return a site's status after a failed homepage visit (``failures`` counts this one)."""
    if error_kind in ("http_410", "http_404", "closed"):  # "closed": a community known to have shut down
        return "gone"
    if error_kind == "dns" and failures >= DNS_FAILURES_FOR_GONE:
        return "gone"
    if error_kind in ("robots", "robots_unreachable"):
        return "blocked_by_robots"
    if error_kind in ("refused_private", "refused_scheme"):
        return "refused"
    if error_kind == "opted_out":
        return "opted_out"
    return "unreachable"
