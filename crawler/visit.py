"""The state of one site's visit, and how a finished or failed visit becomes items."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadCancelledError,
    DownloadConnectionRefusedError,
    DownloadFailedError,
    DownloadTimeoutError,
    IgnoreRequest,
    ResponseDataLossError,
    UnsupportedURLSchemeError,
)
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet.error import (
    ConnectError,
    ConnectionLost,
    DNSLookupError,
    TCPTimedOutError,
    TimeoutError,
)
from twisted.python.failure import Failure

from crawler.discovery.links import Link
from crawler.extraction import Extraction, merge_extractions
from crawler.identity import site_key
from crawler.items import CommunityItem
from crawler.middlewares.politeness import RETRY_AFTER_KEY
from crawler.middlewares.scope import OptedOut, OverSiteBudget
from crawler.middlewares.ssrf import PrivateAddressRefused, SchemeRefused, refused_host_reason
from crawler.outreach import item_fields
from crawler.platforms.base import Endpoint
from crawler.schedule import clamp_delay, status_after_failure


def utc_now() -> str:
    """Return the current time as UTC ISO 8601."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def read_seeds(path: str | Path) -> list[tuple[str, str | None]]:
    """Return ``(url, kind)`` for each line of a seeds file: ``URL [kind] [notes...]``.

    Blank lines and ``#`` comments are skipped; the kind column is optional.
    """
    seeds = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        fields = line.split("#", 1)[0].split()
        if fields:
            seeds.append((fields[0], fields[1] if len(fields) > 1 else None))
    return seeds


@dataclass
class SiteVisit:
    """What the crawl knows of one site while its requests are chained."""

    seed_url: str
    declared_kind: str | None = None  # kind given in the seeds file
    depth: int = 0
    is_seed: bool = True
    known: bool = False  # already a community in the database: refreshed without re-judging it
    found_from: str | None = None
    found_rule: str | None = None
    home_url: str | None = None
    observed_at: str | None = None
    moved_from: str | None = None
    parts: list[Extraction] = field(default_factory=list)
    queue: list[Endpoint] = field(default_factory=list)
    requested: set[str] = field(default_factory=set)
    links: list[Link] = field(default_factory=list)
    accepted: bool = True
    reason: str | None = None

    @property
    def site_id(self) -> str:
        return site_key(self.home_url or self.seed_url)


_FAILURE_KINDS = (
    ("timeout", (DownloadTimeoutError, TimeoutError, TCPTimedOutError)),
    # Scrapy 2.19 cancels a download only for its size: a declared or received body beyond
    # DOWNLOAD_MAXSIZE (a timeout is DownloadTimeoutError). The exception itself has no message.
    ("too_large", (DownloadCancelledError,)),
    ("connection_refused", (DownloadConnectionRefusedError,)),
    ("data_loss", (ResponseDataLossError,)),
    ("connection_lost", (ConnectionLost,)),
    ("download_failed", (DownloadFailedError,)),
    ("unsupported_scheme", (UnsupportedURLSchemeError,)),
    ("connect", (ConnectError,)),
)


def classify_failure(failure: Failure) -> tuple[str, int | None, str]:
    """Return (error kind, HTTP status, readable message) for a failed request."""
    message = str(failure.value)[:300] or failure.type.__name__
    if failure.check(HttpError):
        status = failure.value.response.status
        return f"http_{status}", status, f"HTTP {status}"
    if failure.check(SchemeRefused):
        return "refused_scheme", None, message
    if failure.check(PrivateAddressRefused):
        return "refused_private", None, message
    if failure.check(OptedOut):
        return "opted_out", None, message
    if failure.check(OverSiteBudget):
        return "over_site_budget", None, message
    if failure.check(IgnoreRequest):
        return _ignored_kind(failure, message), None, message
    if failure.check(CannotResolveHostError, DNSLookupError):
        request = getattr(failure, "request", None)
        reason = refused_host_reason(urlsplit(request.url).hostname) if request is not None else None
        return ("refused_private", None, reason) if reason else ("dns", None, message)
    for kind, exceptions in _FAILURE_KINDS:
        if failure.check(*exceptions):
            if kind == "too_large" and message == failure.type.__name__:
                message = "body larger than DOWNLOAD_MAXSIZE"
            return kind, None, message
    return failure.type.__name__.lower(), None, message


_ROBOTS_UNREACHABLE = re.compile(r"robots\.txt unreachable \((\w+)\)")


def _ignored_kind(failure: Failure, message: str) -> str:
    """Name the IgnoreRequest of Scrapy's own middlewares, which only differ by their message."""
    lowered = message.lower()
    unreachable = _ROBOTS_UNREACHABLE.search(lowered)
    if unreachable:
        # RFC 9309: a robots.txt that cannot be had disallows everything. A server that answered with
        # an error blocks the site; a host that did not answer at all (dns, timeout, refused) is
        # unreachable, by the same name as if its homepage had been asked.
        kind = unreachable.group(1)
        return "robots_unreachable" if kind.startswith("http_") else kind
    if "robots.txt" in lowered:
        return "robots"
    if "download_maxsize" in lowered:
        return "too_large"  # HttpCompressionMiddleware: a body inflating beyond the limit (a bomb)
    if "max redirections" in lowered:
        # A chain that comes back to a URL it already visited is a loop; otherwise it is just long.
        request = getattr(failure, "request", None)
        hops = [*request.meta.get("redirect_urls", []), request.url] if request is not None else []
        return "redirect_loop" if len(set(hops)) < len(hops) else "too_many_redirects"
    return "ignored"


def retry_after_of(failure: Failure) -> int | None:
    """Return the ``Retry-After`` seconds a failed request was answered with (clamped), if any."""
    request = getattr(failure, "request", None)
    return clamp_delay(request.meta.get(RETRY_AFTER_KEY)) if request is not None else None


def _host(url: str | None) -> str:
    host = (urlsplit(url or "").hostname or "").lower()
    return host[4:] if host.startswith("www.") else host


def community_item(visit: SiteVisit) -> CommunityItem:
    """Return the item of a site whose visit finished, its values merged from every response."""
    merged = merge_extractions(visit.home_url or visit.seed_url, visit.parts)
    alias_of = None
    # A site declaring another host as its own address (canonical link, MediaWiki server, NodeInfo
    # domain) is an alias of it. Only this site's row says so: a page cannot rewrite another site.
    if merged.canonical_url and _host(merged.canonical_url) not in ("", _host(visit.home_url or visit.seed_url)):
        alias_of = site_key(merged.canonical_url)
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
        **item_fields(merged),  # outreach values, their derived defaults added to the evidence
        status="alias" if alias_of else "alive",
        kind=visit.declared_kind,
        moved_from=visit.moved_from,
        alias_of=alias_of,
        metrics=dict(merged.metrics),
        evidence={key: {**ev.public(), "observed_at": ev.observed_at} for key, ev in merged.evidence.items()},
        observed_at=visit.observed_at,
        is_seed=visit.is_seed,
        depth=visit.depth,
        discovered_from=visit.found_from,
        links=unique_links(visit),
    )


def crawl_delay_evidence(note: Any, observed_at: str | None) -> dict[str, Any]:
    """The evidence of a robots.txt ``Crawl-delay`` the crawl capped or ignored (a ``CrawlDelayNote``)."""
    honoured = f"{note.honoured:g} s honoured" if note.honoured is not None else "DOWNLOAD_DELAY honoured"
    return {
        "value": None,
        "source_url": note.robots_url,
        "rule": f"robots.txt Crawl-delay {note.reason}; {honoured}",
        "snippet": f"Crawl-delay: {note.asked}",
        "observed_at": observed_at,
    }


def unique_links(visit: SiteVisit) -> list[dict[str, Any]]:
    """Return the site's outward links, one per target site, first rule kept."""
    own = visit.site_id
    seen: dict[str, dict[str, Any]] = {}
    for link in visit.links:
        target = site_key(link.url)
        if target != own and target not in seen:
            seen[target] = {"to_url": link.url, "to_site_id": target, "rule": link.rule}
    return list(seen.values())


def failed_item(visit: SiteVisit, kind: str, retry_after: int | None) -> CommunityItem:
    """Return the item of a seed whose homepage could not be fetched."""
    return CommunityItem(
        id=visit.site_id,
        url=visit.seed_url,
        seed_url=visit.seed_url,
        status=status_after_failure(kind, 1),
        kind=visit.declared_kind,
        error_kind=kind,
        retry_after=retry_after,
        is_seed=visit.is_seed,
        depth=visit.depth,
        discovered_from=visit.found_from,
    )


def moved_item(visit: SiteVisit) -> CommunityItem:
    """Return the item recording that the seed's address permanently redirects to the site visited."""
    return CommunityItem(
        id=site_key(visit.moved_from),
        url=visit.moved_from,
        seed_url=visit.seed_url,
        status="moved",
        alias_of=visit.site_id,
        is_seed=visit.is_seed,
        depth=visit.depth,
        observed_at=visit.observed_at,
    )
