"""What the crawl may touch at all: the opt-out list and the site budget.

Both are enforced on every request that leaves the engine (robots.txt and redirect hops
included), so no byte is fetched from an opted-out domain or from a site beyond ``--max-sites``.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from scrapy import Request
from scrapy.exceptions import IgnoreRequest

from crawler.discovery.urls import registrable_domain
from crawler.keyset import KeyCounter, KeySet

DEFAULT_OPT_OUT_FILE = Path(__file__).resolve().parents[1] / "seeds" / "opt_out.txt"


class OptedOut(IgnoreRequest):
    """The site's operator asked not to be crawled."""


class OverSiteBudget(IgnoreRequest):
    """Fetching this URL would contact one site more than the crawl's budget allows."""


def read_opt_out(path: str | Path) -> set[str]:
    """Return the domains of an opt-out file: one per line, ``#`` comments, a leading ``*.`` or dot ignored."""
    domains = set()
    file = Path(path)
    if not file.is_file():
        return domains
    for line in file.read_text(encoding="utf-8").splitlines():
        entry = line.split("#", 1)[0].strip().lower().lstrip("*").strip(".")
        if entry:
            domains.add(entry.split("/")[0])
    return domains


def host_of(url: str) -> str:
    """Return the lowercase host of ``url`` without ``www.`` or port."""
    host = (urlsplit(url).hostname or "").lower().rstrip(".")
    return host[4:] if host.startswith("www.") else host


class OptOutList:
    """Domains never to crawl (a domain covers its sub-domains)."""

    def __init__(self, domains: set[str]) -> None:
        self.domains = domains

    @classmethod
    def from_settings(cls, settings) -> OptOutList:
        """Load the shipped list plus the user's ``TREMPLIN_OPT_OUT_FILE``."""
        domains = read_opt_out(DEFAULT_OPT_OUT_FILE)
        extra = settings.get("TREMPLIN_OPT_OUT_FILE")
        if extra:
            domains |= read_opt_out(extra)
        domains |= {d.lower() for d in settings.getlist("TREMPLIN_OPT_OUT")}
        return cls(domains)

    def covers(self, url: str) -> bool:
        """True when ``url`` is on an opted-out domain or one of its sub-domains."""
        host = host_of(url)
        return any(host == domain or host.endswith("." + domain) for domain in self.domains)


class OptOutMiddleware:
    """Downloader middleware refusing every request to an opted-out domain."""

    def __init__(self, opt_out: OptOutList, stats) -> None:
        self.opt_out = opt_out
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler) -> OptOutMiddleware:
        """Build the middleware from the crawl settings."""
        return cls(OptOutList.from_settings(crawler.settings), crawler.stats)

    def process_request(self, request: Request) -> None:
        """Raise :class:`OptedOut` for an opted-out domain."""
        if self.opt_out.covers(request.url):
            self.stats.inc_value("tremplin/opted_out")
            raise OptedOut(f"opted out: {host_of(request.url)} is on the opt-out list")


class SiteBudget:
    """Count the sites a crawl contacts: at most ``max_sites``, at most ``max_per_domain`` per domain.

    A site is a host (``www.`` ignored); ``max_per_domain`` keeps one domain's sub-domains
    (``fr.``, ``de.``, ``forum.``, ...) from taking the whole budget. Hosts and domains are kept
    as fingerprints (:mod:`crawler.keyset`): a crawl meets every site once, and holds them all.
    """

    def __init__(self, max_sites: int | None, max_per_domain: int | None) -> None:
        self.max_sites = max_sites
        self.max_per_domain = max_per_domain
        self.hosts = KeySet()
        self.per_domain = KeyCounter()

    def refusal(self, url: str) -> str | None:
        """Return why contacting ``url``'s site would break the budget, or None (and count it)."""
        host = host_of(url)
        if not host or host in self.hosts:
            return None
        if self.max_sites is not None and len(self.hosts) >= self.max_sites:
            return f"site budget of {self.max_sites} sites reached"
        domain = registrable_domain(host)
        if self.max_per_domain is not None and self.per_domain.get(domain, 0) >= self.max_per_domain:
            return f"{self.max_per_domain} sites of {domain} already crawled"
        self.hosts.add(host)
        self.per_domain.increment(domain)
        return None

    def would_admit(self, url: str) -> bool:
        """True when ``url``'s site is already counted or could still be (without counting it)."""
        host = host_of(url)
        if host in self.hosts:
            return True
        if self.max_sites is not None and len(self.hosts) >= self.max_sites:
            return False
        domain = registrable_domain(host)
        return self.max_per_domain is None or self.per_domain.get(domain, 0) < self.max_per_domain


class SiteBudgetMiddleware:
    """Downloader middleware refusing requests to a site beyond the crawl's site budget."""

    def __init__(self, budget: SiteBudget, stats) -> None:
        self.budget = budget
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler) -> SiteBudgetMiddleware:
        """Build the middleware from ``TREMPLIN_MAX_SITES`` and ``TREMPLIN_MAX_SITES_PER_DOMAIN``."""
        settings = crawler.settings
        max_sites = settings.getint("TREMPLIN_MAX_SITES") or None
        per_domain = settings.getint("TREMPLIN_MAX_SITES_PER_DOMAIN") or None
        return cls(SiteBudget(max_sites, per_domain), crawler.stats)

    def process_request(self, request: Request) -> None:
        """Raise :class:`OverSiteBudget` for a request to one site too many."""
        reason = self.budget.refusal(request.url)
        if reason:
            self.stats.inc_value("tremplin/over_site_budget")
            raise OverSiteBudget(f"not fetched: {reason}")
