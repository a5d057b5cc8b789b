"""The crawl: for each seed site, the homepage, then the platform's public statistics endpoints.

Platform
    Any: the adapter registry (``crawler.platforms``) recognises the software of each response.
Listing source
    Seed URLs given on the command line or in a seeds file (one URL per line, ``#`` comments).
Spider arguments
    ``urls`` (comma-separated), ``seeds_file``, ``max_sites``.
Caveats
    Requests of one site are chained one after the other (a site is asked one thing at a time);
    the community item is yielded once the last endpoint of the site has answered or failed.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import scrapy
from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadConnectionRefusedError,
    DownloadFailedError,
    DownloadTimeoutError,
    IgnoreRequest,
    ResponseDataLossError,
    UnsupportedURLSchemeError,
)
from scrapy.http import Request, Response
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet.error import (
    ConnectError,
    ConnectionLost,
    DNSLookupError,
    TCPTimedOutError,
    TimeoutError,
)
from twisted.python.failure import Failure

from crawler import platforms
from crawler.extraction import Extraction, merge_extractions
from crawler.identity import InvalidUrlError, check_url, site_key
from crawler.items import CommunityItem, FetchErrorItem
from crawler.middlewares.replay import CAPTURE_DATE_KEY
from crawler.middlewares.ssrf import PrivateAddressRefused, refused_host_reason
from crawler.platforms.base import Endpoint, endpoint


def utc_now() -> str:
    """Return the current time as UTC ISO 8601."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def read_seeds(path: str | Path) -> list[str]:
    """Return the seed URLs of a seeds file: one URL per line, blank lines and ``#`` comments skipped.

    A line may carry extra whitespace-separated columns after the URL (kind, notes); they are ignored here.
    """
    seeds = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            seeds.append(line.split()[0])
    return seeds


@dataclass
class SiteVisit:
    """What the crawl knows of one site while its requests are chained."""

    seed_url: str
    home_url: str | None = None
    observed_at: str | None = None
    moved_from: str | None = None
    parts: list[Extraction] = field(default_factory=list)
    queue: list[Endpoint] = field(default_factory=list)
    requested: set[str] = field(default_factory=set)

    @property
    def site_id(self) -> str:
        return site_key(self.home_url or self.seed_url)


def classify_failure(failure: Failure) -> tuple[str, int | None, str]:
    """Return (error kind, HTTP status, readable message) for a failed request."""
    message = str(failure.value)[:300] or failure.type.__name__
    if failure.check(HttpError):
        status = failure.value.response.status
        return f"http_{status}", status, f"HTTP {status}"
    if failure.check(PrivateAddressRefused):
        return "refused_private", None, message
    if failure.check(IgnoreRequest):
        return ("robots" if "robots.txt" in message.lower() else "ignored"), None, message
    if failure.check(CannotResolveHostError, DNSLookupError):
        reason = refused_host_reason(urlsplit(failure.request.url).hostname) if failure.request else None
        return ("refused_private", None, reason) if reason else ("dns", None, message)
    for kind, exceptions in _FAILURE_KINDS:
        if failure.check(*exceptions):
            return kind, None, message
    return failure.type.__name__.lower(), None, message


_FAILURE_KINDS = (
    ("timeout", (DownloadTimeoutError, TimeoutError, TCPTimedOutError)),
    ("connection_refused", (DownloadConnectionRefusedError,)),
    ("data_loss", (ResponseDataLossError,)),
    ("connection_lost", (ConnectionLost,)),
    ("download_failed", (DownloadFailedError,)),
    ("unsupported_scheme", (UnsupportedURLSchemeError,)),
    ("connect", (ConnectError,)),
)
_STATUS_BY_ERROR = {"http_404": "gone", "http_410": "gone", "robots": "blocked_by_robots"}


class CommunitiesSpider(scrapy.Spider):
    """Visit seed sites and yield one community item per site."""

    name = "communities"

    def __init__(
        self,
        urls: str | list[str] | None = None,
        seeds_file: str | None = None,
        max_sites: int | str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        seeds = urls.split(",") if isinstance(urls, str) else list(urls or [])
        if seeds_file:
            seeds.extend(read_seeds(seeds_file))
        self.seeds = [s.strip() for s in seeds if s.strip()]
        self.max_sites = int(max_sites) if max_sites not in (None, "") else None

    async def start(self):
        """Yield the homepage request of every distinct seed site, within ``max_sites``."""
        seen: set[str] = set()
        for seed in self.seeds:
            try:
                url = check_url(seed)
                key = site_key(url)
            except InvalidUrlError as exc:
                self.logger.warning("seed skipped: %s", exc)
                self.crawler.stats.inc_value("tremplin/seeds/invalid")
                continue
            if key in seen:
                continue
            if self.max_sites is not None and len(seen) >= self.max_sites:
                self.crawler.stats.set_value("tremplin/seeds/over_budget", len(self.seeds) - len(seen))
                break
            seen.add(key)
            visit = SiteVisit(seed_url=url)
            yield Request(
                url,
                callback=self.parse_homepage,
                errback=self.homepage_failed,
                cb_kwargs={"visit": visit},
                dont_filter=True,
            )

    # --- homepage -------------------------------------------------------------------------

    def parse_homepage(self, response: Response, visit: SiteVisit) -> Iterator[Any]:
        """Recognise the platform and queue its statistics endpoints."""
        visit.home_url = response.url
        visit.observed_at = response.meta.get(CAPTURE_DATE_KEY) or utc_now()
        redirects = response.meta.get("redirect_urls") or []
        if redirects and site_key(redirects[0]) != site_key(response.url):
            visit.moved_from = redirects[0]
        yield from self._read(response, visit)
        if not any(part.platform for part in visit.parts):
            # A homepage without markers may still be a fediverse server (JS-only front ends).
            visit.queue.append(endpoint(response, "/.well-known/nodeinfo", optional=True, probe=True))
        yield from self._next(visit)

    def homepage_failed(self, failure: Failure) -> Iterator[Any]:
        """Record why a site could not be reached; the crawl goes on with the other sites."""
        visit: SiteVisit = failure.request.cb_kwargs["visit"]
        kind, status, message = classify_failure(failure)
        yield self._error_item(failure.request.url, kind, status, message, visit)
        yield CommunityItem(
            id=visit.site_id,
            url=visit.seed_url,
            seed_url=visit.seed_url,
            status=_STATUS_BY_ERROR.get(kind, "refused" if kind == "refused_private" else "unreachable"),
        )

    # --- endpoints ------------------------------------------------------------------------

    def parse_endpoint(self, response: Response, visit: SiteVisit, current: Endpoint) -> Iterator[Any]:
        """Read one statistics endpoint and queue whatever it points to next."""
        yield from self._read(response, visit)
        yield from self._next(visit)

    def endpoint_failed(self, failure: Failure) -> Iterator[Any]:
        """Try the endpoint's alternative URL, or record the error, then go on with the site."""
        visit: SiteVisit = failure.request.cb_kwargs["visit"]
        current: Endpoint = failure.request.cb_kwargs["current"]
        kind, status, message = classify_failure(failure)
        if current.alternatives:
            visit.queue.insert(
                0, Endpoint(current.alternatives[0], current.alternatives[1:], current.optional, current.probe)
            )
        elif current.optional and kind in {"http_404", "http_410", "http_403"}:
            self.crawler.stats.inc_value("tremplin/probe/absent")
        else:
            yield self._error_item(failure.request.url, kind, status, message, visit)
        yield from self._next(visit)

    # --- helpers --------------------------------------------------------------------------

    def _read(self, response: Response, visit: SiteVisit) -> Iterator[Any]:
        """Extract one response, dating its evidence by the capture time; a crash becomes an error row."""
        try:
            adapter = platforms.detect(response)
            extraction = platforms.extract(response)
        except Exception as exc:  # noqa: BLE001 - one hostile page must not end the site's visit
            self.logger.exception("extraction failed on %s", response.url)
            yield self._error_item(response.url, "extract_failed", response.status, repr(exc)[:300], visit)
            return
        observed_at = response.meta.get(CAPTURE_DATE_KEY) or utc_now()
        for evidence in extraction.evidence.values():
            evidence.observed_at = observed_at
        visit.parts.append(extraction)
        self.crawler.stats.inc_value("tremplin/pages/read")
        visit.queue.extend(adapter.endpoints(response) if adapter.NAME != "generic" else [])
        if adapter.NAME == "generic" and response.meta.get("tremplin_endpoint") and extraction.is_empty:
            # A probe answered by some other page only means "not this platform"; any other endpoint
            # the platform should have answered is a broken body.
            if response.meta.get("tremplin_probe"):
                self.crawler.stats.inc_value("tremplin/probe/absent")
            else:
                yield self._error_item(
                    response.url, "unreadable_body", response.status, "no platform recognised this body", visit
                )

    def _next(self, visit: SiteVisit) -> Iterator[Any]:
        """Request the site's next queued endpoint, or yield its community item when none is left."""
        budget = self.crawler.settings.getint("TREMPLIN_MAX_REQUESTS_PER_SITE", 12)
        while visit.queue:
            current = visit.queue.pop(0)
            if current.url in visit.requested:
                continue
            if len(visit.requested) >= budget:
                self.crawler.stats.inc_value("tremplin/site_budget_exhausted")
                self.logger.warning("request budget of %s spent on %s", budget, visit.site_id)
                visit.queue.clear()
                break
            visit.requested.add(current.url)
            yield Request(
                current.url,
                callback=self.parse_endpoint,
                errback=self.endpoint_failed,
                cb_kwargs={"visit": visit, "current": current},
                meta={"tremplin_endpoint": current, "tremplin_probe": current.probe},
                dont_filter=True,
            )
            return
        yield self._community_item(visit)

    def _community_item(self, visit: SiteVisit) -> CommunityItem:
        merged = merge_extractions(visit.home_url or visit.seed_url, visit.parts)
        return CommunityItem(
            id=visit.site_id,
            url=visit.home_url or visit.seed_url,
            seed_url=visit.seed_url,
            name=merged.name,
            description=merged.description,
            platform=merged.platform,
            platform_version=merged.platform_version,
            languages=merged.languages,
            licence=merged.licence,
            licence_url=merged.licence_url,
            registrations_open=merged.registrations_open,
            last_activity_at=merged.last_activity_at,
            canonical_url=merged.canonical_url,
            status="alive",
            moved_from=visit.moved_from,
            metrics=dict(merged.metrics),
            evidence={key: {**ev.public(), "observed_at": ev.observed_at} for key, ev in merged.evidence.items()},
            observed_at=visit.observed_at,
        )

    def _error_item(
        self, url: str, kind: str, status: int | None, message: str, visit: SiteVisit
    ) -> FetchErrorItem:
        self.crawler.stats.inc_value(f"tremplin/errors/{kind}")
        self.logger.info("fetch error %s on %s: %s", kind, url, message)
        return FetchErrorItem(
            url=url,
            error=kind,
            message=message[:500],
            http_status=status,
            site_id=visit.site_id,
            at=utc_now(),
        )
