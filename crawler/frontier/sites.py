"""The sites waiting to be asked something, in the order politeness allows.

:class:`SiteQueues` holds each site's next requests (usually one: a site's requests are chained)
and hands out a request only when its site is due and has nothing in flight. Sites already
started come first, the one that has been due the longest first (it finishes sites, so the crawl
keeps few sites open); then new sites in the order they were met. Nothing here knows Scrapy's
engine: time comes from the caller, so the order can be tested exactly.
"""

from __future__ import annotations

import bisect
import heapq
import random
from collections import OrderedDict, deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from crawler.frontier.clock import PolitenessPolicy, SiteClock

# An idle site's clock (its delay, Crawl-delay and last transfer) is kept this long after it was due,
# for a request that comes back to it (a redirect, a link from another site); then it is dropped.
IDLE_KEEP = 120.0


@dataclass
class SiteState:
    """One site's queue and pacing."""

    clock: SiteClock
    queue: list[tuple[int, int, Any]] = field(default_factory=list)  # (-priority, seq, request)
    in_flight: Any = None
    started: bool = False
    token: int = 0  # the heap or fresh-list entry that is this site's current one


class SiteQueues:
    """Per-site queues with due times: at most one request in flight per site, due sites first."""

    def __init__(self, policy: PolitenessPolicy, rng: random.Random | None = None) -> None:
        self.policy = policy
        self.rng = rng or random.Random()  # noqa: S311 - jitter, not security
        self.sites: dict[str, SiteState] = {}
        self._due: list[tuple[float, int, str]] = []  # started sites waiting: (ready_at, token, host)
        self._fresh: deque[tuple[int, str]] = deque()  # sites never asked yet: (token, host)
        self._busy: dict[str, Any] = {}
        self._idle: OrderedDict[str, None] = OrderedDict()
        self._seq = 0
        self.queued = 0
        self.fresh_waiting = 0

    # --- state of one site ----------------------------------------------------------------

    def site(self, host: str) -> SiteState:
        """The state of ``host``, created with the policy's first delay."""
        state = self.sites.get(host)
        if state is None:
            first = self.policy.first_delay()
            state = self.sites[host] = SiteState(SiteClock(delay=first, floor=self.policy.delay))
        return state

    def _next_token(self) -> int:
        self._seq += 1
        return self._seq

    def _wait(self, host: str, state: SiteState) -> None:
        """Put a site that has requests and nothing in flight where ``pop`` will find it."""
        self._idle.pop(host, None)
        state.token = self._next_token()
        if state.started:
            heapq.heappush(self._due, (state.clock.ready_at, state.token, host))
        else:
            self._fresh.append((state.token, host))
            self.fresh_waiting += 1

    # --- the three events -----------------------------------------------------------------

    def push(self, host: str, request: Any, priority: int = 0) -> None:
        """Queue ``request`` for ``host`` (higher ``priority`` first within the site)."""
        state = self.site(host)
        was_waiting = bool(state.queue) and state.in_flight is None
        bisect.insort(state.queue, (-priority, self._next_token(), request))
        self.queued += 1
        if state.in_flight is None and not was_waiting:
            self._wait(host, state)

    def pop(self, now: float, still_in_flight: Callable[[Any], bool] | None = None) -> Any:
        """Hand out the next request of a due site, or None when no site is due at ``now``."""
        if still_in_flight is not None:
            self._release_finished(still_in_flight)
        while self._due and self._due[0][0] <= now:
            ready_at, token, host = heapq.heappop(self._due)
            state = self.sites.get(host)
            if state is None or state.token != token or state.in_flight is not None or not state.queue:
                continue  # stale entry
            if state.clock.ready_at > now:  # postponed since it was queued (Retry-After, Crawl-delay)
                state.token = self._next_token()
                heapq.heappush(self._due, (state.clock.ready_at, state.token, host))
                continue
            return self._hand_out(host, state)
        while self._fresh:
            token, host = self._fresh.popleft()
            state = self.sites.get(host)
            if state is None or state.token != token or state.in_flight is not None or not state.queue:
                continue
            self.fresh_waiting -= 1
            state.started = True
            if state.clock.ready_at > now:
                self._wait(host, state)
                continue
            return self._hand_out(host, state)
        return None

    def _hand_out(self, host: str, state: SiteState) -> Any:
        _, _, request = state.queue.pop(0)
        self.queued -= 1
        state.in_flight = request
        state.started = True
        self._busy[host] = request
        return request

    def transfer_ended(self, host: str, request: Any, now: float) -> None:
        """The site answered ``request`` (or its transfer failed): the delay counts from ``now``."""
        state = self.sites.get(host)
        if state is None:
            return
        state.clock.transfer_ended(now, self.policy, self.rng)
        if state.in_flight is request:
            self._release(host, state)

    def _release(self, host: str, state: SiteState) -> None:
        state.in_flight = None
        self._busy.pop(host, None)
        if state.queue:
            self._wait(host, state)
        else:
            self._idle[host] = None
            self._idle.move_to_end(host)

    def _release_finished(self, still_in_flight: Callable[[Any], bool]) -> None:
        """Free the sites whose request ended without a transfer (dropped by a middleware)."""
        for host, request in list(self._busy.items()):
            if not still_in_flight(request):
                self._release(host, self.sites[host])

    # --- reading --------------------------------------------------------------------------

    def next_ready_at(self) -> float | None:
        """When the earliest waiting started site becomes due (None: none is waiting)."""
        while self._due:
            ready_at, token, host = self._due[0]
            state = self.sites.get(host)
            if state is not None and state.token == token and state.in_flight is None and state.queue:
                return max(ready_at, state.clock.ready_at)
            heapq.heappop(self._due)
        return None

    def in_flight(self) -> int:
        return len(self._busy)

    def __len__(self) -> int:
        return self.queued

    def drain(self) -> Iterator[Any]:
        """Every queued request (for saving a paused crawl), leaving the queues empty."""
        for state in self.sites.values():
            for _, _, request in state.queue:
                yield request
            state.queue.clear()
        self.queued = 0

    def prune(self, now: float) -> int:
        """Forget the clocks of sites idle since ``IDLE_KEEP`` seconds after they were due."""
        dropped = 0
        while self._idle:
            host = next(iter(self._idle))
            state = self.sites.get(host)
            if state is not None and (state.queue or state.in_flight is not None):
                self._idle.pop(host)
                continue
            if state is not None and state.clock.ready_at + IDLE_KEEP > now:
                break
            self._idle.pop(host)
            self.sites.pop(host, None)
            dropped += 1
        return dropped
