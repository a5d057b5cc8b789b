"""When a site may be asked again: its delay, and the moment its next request may leave.

One :class:`SiteClock` per site (a host, as Scrapy's download slots). The delay between two
requests to a site is counted from the moment the previous transfer ended (response or failure),
not from when the previous request left the scheduler: the previous request reached the server
before its answer came back, so the gap the server sees is never shorter than the delay, whatever
the event loop's lag. Jitter only lengthens a gap (``delay × (1 + U(0, jitter))``).

The delay of a site is the largest of ``DOWNLOAD_DELAY``, its robots.txt ``Crawl-delay`` (capped at
``TREMPLIN_MAX_CRAWL_DELAY``) and, with AutoThrottle, the delay its own latency asks for (Scrapy's
AutoThrottle rule: ``latency / AUTOTHROTTLE_TARGET_CONCURRENCY``, averaged with the current delay,
never above ``AUTOTHROTTLE_MAX_DELAY``). A site starts at ``max(DOWNLOAD_DELAY,
AUTOTHROTTLE_START_DELAY)``; a fast site is never slowed to a start delay it does not need. A
``Retry-After`` postpones the site's next request once.
"""

from __future__ import annotations

import random
from dataclasses import dataclass


@dataclass(frozen=True)
class PolitenessPolicy:
    """The per-site pacing rules of one crawl (from its settings)."""

    delay: float = 1.0
    jitter: float = 0.0
    autothrottle: bool = False
    start_delay: float = 0.0
    max_delay: float = 60.0
    target_concurrency: float = 1.0

    @classmethod
    def from_settings(cls, settings) -> PolitenessPolicy:
        """Read ``DOWNLOAD_DELAY``, ``DOWNLOAD_DELAY_JITTER`` and the ``AUTOTHROTTLE_*`` settings."""
        return cls(
            delay=max(0.0, settings.getfloat("DOWNLOAD_DELAY")),
            jitter=max(0.0, settings.getfloat("DOWNLOAD_DELAY_JITTER", 0.0)),
            autothrottle=settings.getbool("AUTOTHROTTLE_ENABLED"),
            start_delay=settings.getfloat("AUTOTHROTTLE_START_DELAY", 0.0),
            max_delay=settings.getfloat("AUTOTHROTTLE_MAX_DELAY", 60.0),
            target_concurrency=settings.getfloat("AUTOTHROTTLE_TARGET_CONCURRENCY", 1.0) or 1.0,
        )

    def first_delay(self) -> float:
        """The delay a site starts with."""
        return max(self.delay, self.start_delay) if self.autothrottle else self.delay


@dataclass
class SiteClock:
    """The pacing state of one site."""

    delay: float
    floor: float  # DOWNLOAD_DELAY or the site's Crawl-delay, whichever is larger
    ready_at: float = 0.0  # monotonic time before which no request may leave for this site
    transfers: int = 0

    def gap(self, policy: PolitenessPolicy, rng: random.Random) -> float:
        """The wait before the next request: the delay, lengthened by the jitter (never shortened)."""
        delay = max(self.delay, self.floor)
        return delay * (1 + rng.uniform(0, policy.jitter)) if policy.jitter and delay else delay

    def transfer_ended(self, now: float, policy: PolitenessPolicy, rng: random.Random) -> None:
        """A request to the site was answered (or failed on the wire): start counting the delay."""
        self.transfers += 1
        self.ready_at = max(self.ready_at, now + self.gap(policy, rng))

    def observe_latency(self, latency: float, ok: bool, policy: PolitenessPolicy) -> None:
        """AutoThrottle: slow down for a slow site, speed back up (to the floor) for a fast one."""
        if not policy.autothrottle or latency is None:
            return
        target = latency / policy.target_concurrency
        new = max(target, (self.delay + target) / 2)
        new = min(max(self.floor, new), max(policy.max_delay, self.floor))
        if not ok and new <= self.delay:
            return  # an error page answered fast says nothing about the site's capacity
        self.delay = new

    def set_floor(self, seconds: float) -> None:
        """Raise the site's floor (a robots.txt ``Crawl-delay``)."""
        self.floor = max(self.floor, seconds)
        self.delay = max(self.delay, self.floor)

    def postpone(self, now: float, seconds: float) -> None:
        """No request before ``now + seconds`` (a ``Retry-After``)."""
        self.ready_at = max(self.ready_at, now + seconds)
