"""The crawl's frontier: which sites are known, due, within budget and not opted out, and when each
may be asked again. One per crawl, shared through the crawler by the spider, the scheduler and the
middlewares (:meth:`Frontier.of`).

- **Known**: every site met, as 64-bit fingerprints (:class:`crawler.keyset.KeySet`).
- **Due**: with ``--refresh due``, the sites not due yet and the known communities due, read from
  the database once when the crawl opens.
- **Budgeted** and **opted out**: the very :class:`SiteBudget` and :class:`OptOutList` instances
  the downloader middlewares of :mod:`crawler.middlewares.scope` enforce on every request, so a
  site counted when it is admitted is the site the middleware lets through.
- **When**: :class:`crawler.frontier.sites.SiteQueues`, the per-site queues and clocks the
  scheduler (:mod:`crawler.frontier.scheduler`) hands requests out from, which the politeness
  middlewares slow down (``Crawl-delay``, ``Retry-After``).
"""

from __future__ import annotations

import enum
import time
from typing import Any, Protocol
from urllib.parse import urlsplit

from scrapy import Request, signals

from crawler.archive.warc import normalise_warc_date
from crawler.frontier.clock import PolitenessPolicy
from crawler.frontier.sites import SiteQueues
from crawler.identity import site_key
from crawler.keyset import KeySet
from crawler.middlewares.scope import OptOutList, OptOutMiddleware, SiteBudget, SiteBudgetMiddleware
from crawler.ops.runs import now_iso
from crawler.storage import known_sites_due, sites_not_due

# New sites waiting for their first request at most: enough for the scheduler to keep every
# connection busy while started sites wait out their delays, few enough to hold little memory.
START_BACKLOG = 256


class Admission(enum.Enum):
    """What the frontier decided about a site it was offered."""

    ADMITTED = "admitted"
    SEEN = "seen"
    OPTED_OUT = "opted_out"
    NOT_DUE = "not_due"
    OVER_BUDGET = "over_budget"


class RobotsGate(Protocol):
    """What the scheduler asks the robots.txt middleware: the robots.txt request a request needs first."""

    def request_for(self, request: Request) -> Request | None: ...

    def crawl_delay_note(self, netloc: str) -> Any: ...


class Frontier:
    """What the crawl knows, may do and must wait for, per site."""

    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler
        self.visited = KeySet()
        self.not_due: set[str] = set()
        self.known_due: list[dict[str, Any]] = []
        self.policy = PolitenessPolicy.from_settings(crawler.settings)
        self.queues = SiteQueues(self.policy)
        self.robots: RobotsGate | None = None  # registered by the robots.txt middleware
        self.clock = time.monotonic
        self._opt_out: OptOutList | None = None
        self._budget: SiteBudget | None = None

    @classmethod
    def of(cls, crawler: Any) -> Frontier:
        """The frontier of ``crawler``'s crawl (created on first use)."""
        frontier = getattr(crawler, "tremplin_frontier", None)
        if frontier is None:
            frontier = crawler.tremplin_frontier = cls(crawler)
        return frontier

    # --- the scope middlewares' instances -------------------------------------------------

    def _middleware(self, kind: type) -> Any:
        engine = getattr(self.crawler, "engine", None)
        if engine is None:
            raise RuntimeError("the frontier's scope is read once the crawl's engine exists")
        return next((mw for mw in engine.downloader.middleware.middlewares if isinstance(mw, kind)), None)

    @property
    def opt_out(self) -> OptOutList:
        """The opt-out list ``OptOutMiddleware`` enforces (its own instance)."""
        if self._opt_out is None:
            middleware = self._middleware(OptOutMiddleware)
            self._opt_out = middleware.opt_out if middleware else OptOutList.from_settings(self.crawler.settings)
        return self._opt_out

    @property
    def budget(self) -> SiteBudget:
        """The site budget ``SiteBudgetMiddleware`` enforces (its own instance)."""
        if self._budget is None:
            middleware = self._middleware(SiteBudgetMiddleware)
            if middleware is not None:
                self._budget = middleware.budget
            else:
                settings = self.crawler.settings
                max_sites = settings.getint("TREMPLIN_MAX_SITES") or None
                self._budget = SiteBudget(max_sites, settings.getint("TREMPLIN_MAX_SITES_PER_DOMAIN") or None)
        return self._budget

    # --- what is due ----------------------------------------------------------------------

    def load_schedule(self, refresh: str) -> None:
        """Read which sites are not due and which known communities are (``refresh``: due or all)."""
        settings = self.crawler.settings
        replay_at = settings.get("TREMPLIN_REPLAY_AT")
        now = normalise_warc_date(replay_at) if replay_at else now_iso()
        self.not_due = set() if refresh == "all" else sites_not_due(settings.get("TREMPLIN_DB"), now)
        self.known_due = known_sites_due(settings.get("TREMPLIN_DB"), now) if refresh == "due" else []

    # --- admission: the one place a site enters the crawl ---------------------------------

    def admit(self, url: str) -> Admission:
        """Decide whether the site of ``url`` is visited; an admitted site is counted in the budget."""
        key = site_key(url)
        if key in self.visited:
            return Admission.SEEN
        self.visited.add(key)
        if self.opt_out.covers(url):
            return Admission.OPTED_OUT
        if key in self.not_due:
            return Admission.NOT_DUE
        if self.budget.refusal(url) is not None:
            return Admission.OVER_BUDGET
        return Admission.ADMITTED

    def mark_known(self, url: str) -> None:
        """Remember a site reached another way (the address a homepage redirected to)."""
        self.visited.add(site_key(url))

    async def room(self) -> None:
        """Wait while ``START_BACKLOG`` new sites already wait for their first request."""
        while self.queues.fresh_waiting >= START_BACKLOG:
            await self.crawler.signals.wait_for(signals.request_reached_downloader)

    # --- pacing, asked by the politeness middlewares --------------------------------------

    def set_crawl_delay(self, host: str, seconds: float) -> None:
        """Make ``seconds`` the floor of the gaps between two requests to ``host``."""
        self.queues.site(host).clock.set_floor(seconds)

    def postpone(self, host: str, seconds: float) -> None:
        """Send nothing more to ``host`` for ``seconds`` (a ``Retry-After``)."""
        self.queues.site(host).clock.postpone(self.clock(), seconds)

    def crawl_delay_note(self, url: str) -> Any:
        """The capped or unreadable ``Crawl-delay`` of ``url``'s robots.txt (None when honoured as written)."""
        return self.robots.crawl_delay_note(urlsplit(url).netloc) if self.robots is not None else None

    def delay_of(self, host: str) -> float:
        """The current delay of ``host`` (its floor included)."""
        clock = self.queues.site(host).clock
        return max(clock.delay, clock.floor)
