"""The crawl: each site's homepage, its platform's statistics endpoints, then the sites it links to.

Platform
    Any: the adapter registry (``crawler.platforms``) recognises the software of each response.
Listing source
    Seed URLs given on the command line or in a seeds file (one URL per line, ``#`` comments), then
    the sites those communities link to (footer and partner links, "links" pages, fediverse peers,
    wiki language editions), up to ``max_depth`` hops and ``max_sites`` sites.
Spider arguments
    ``urls`` (comma-separated), ``seeds_file``, ``max_sites``, ``max_depth``, ``refresh``
    (``due``: skip sites not yet due for a refresh; ``all``: visit every site).
Caveats
    Requests of one site are chained one after the other (a site is asked one thing at a time);
    the community item is yielded once the last endpoint of the site has answered or failed.
    The spider only routes: which sites are admitted, when each may be asked and robots.txt are the
    frontier's (``crawler.frontier``), encodings a downloader middleware's.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from typing import Any
from urllib.parse import urlsplit

import scrapy
from scrapy.http import Request, Response
from twisted.python.failure import Failure

from crawler import platforms
from crawler.discovery.links import all_links, links_pages
from crawler.discovery.signals import community_signals
from crawler.discovery.urls import site_root, trap_reason
from crawler.extraction import merge_extractions
from crawler.frontier.frontier import Admission, Frontier
from crawler.identity import InvalidUrlError, check_url, site_key
from crawler.items import CandidateItem, CommunityItem, FetchErrorItem
from crawler.middlewares.replay import CAPTURE_DATE_KEY
from crawler.outreach import is_discussion_page, outreach_endpoints
from crawler.platforms.base import Endpoint, endpoint, is_html
from crawler.platforms.html import page
from crawler.visit import (
    SiteVisit,
    classify_failure,
    community_item,
    crawl_delay_evidence,
    failed_item,
    moved_item,
    read_seeds,
    retry_after_of,
    utc_now,
)

LINKS_PAGES_PER_SITE = 2


def _root_for_description(response: Response) -> list[Endpoint]:
    """The site's root, when the first page is a thread: its texts are its authors', the root's the site's.

    (The thread page gives no description, :func:`crawler.outreach.is_discussion_page`.)
    """
    if not is_html(response) or urlsplit(response.url).path in ("", "/") or not is_discussion_page(page(response)):
        return []
    return [Endpoint(site_root(response.url), optional=True, probe=True)]


class CommunitiesSpider(scrapy.Spider):
    """Visit seed sites and the communities they link to; yield one item per site."""

    name = "communities"
    # Engine settings (measured: README, Performance). Items go to synchronous pipelines, so 100
    # concurrent item tasks per response (Scrapy's default) only cost task creation; the generator
    # return-value check re-reads each callback's source with inspect on every response.
    custom_settings = {"CONCURRENT_ITEMS": 4, "WARN_ON_GENERATOR_RETURN_VALUE": False}

    def __init__(
        self,
        urls: str | list[str] | None = None,
        seeds_file: str | None = None,
        max_sites: int | str | None = None,
        max_depth: int | str | None = None,
        refresh: str = "due",
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        given = urls.split(",") if isinstance(urls, str) else list(urls or [])
        seeds: list[tuple[str, str | None]] = [(url.strip(), None) for url in given if url.strip()]
        if seeds_file:
            seeds.extend(read_seeds(seeds_file))
        self.seeds = seeds
        self.max_sites = int(max_sites) if max_sites not in (None, "") else None
        self.max_depth_arg = int(max_depth) if max_depth not in (None, "") else None
        self.refresh = refresh

    @classmethod
    def from_crawler(cls, crawler, *args: Any, **kwargs: Any) -> CommunitiesSpider:
        """Read the crawl's budgets; the frontier (what is known, due, budgeted) is the crawl's."""
        spider = super().from_crawler(crawler, *args, **kwargs)
        settings = crawler.settings
        if spider.max_sites is None:
            spider.max_sites = settings.getint("TREMPLIN_MAX_SITES") or None
        spider.max_depth = (
            spider.max_depth_arg if spider.max_depth_arg is not None else settings.getint("TREMPLIN_MAX_DEPTH", 1)
        )
        spider.frontier = Frontier.of(crawler)
        return spider

    async def start(self):
        """Yield the homepage request of every distinct seed site that is due, within the site budget."""
        self.frontier.load_schedule(self.refresh)
        for seed, kind in self.seeds:
            try:
                url = check_url(seed)
            except InvalidUrlError as exc:
                self.logger.warning("seed skipped: %s", exc)
                self.crawler.stats.inc_value("tremplin/seeds/invalid")
                continue
            visit = SiteVisit(seed_url=url, declared_kind=kind)
            for output in self._schedule(visit):
                # Seeds become requests as sites start, so a crawl of 100,000 sites does not hold
                # 100,000 queued requests.
                await self.frontier.room()
                yield output
        # Communities found by earlier runs are refreshed when due, even if no seed links to them now.
        for known in self.frontier.known_due:
            visit = SiteVisit(
                seed_url=known["url"], depth=known["depth"], is_seed=bool(known["is_seed"]),
                found_from=known["discovered_from"], known=True,
            )  # fmt: skip
            for output in self._schedule(visit):
                await self.frontier.room()
                yield output

    # --- scheduling -----------------------------------------------------------------------

    def _schedule(self, visit: SiteVisit) -> Iterator[Any]:
        """Request a site's homepage if the frontier admits it; say why not otherwise."""
        admission = self.frontier.admit(visit.seed_url)
        if admission is Admission.SEEN:
            return
        self.crawler.stats.inc_value(f"tremplin/sites/{admission.value.replace('admitted', 'scheduled')}")
        if admission is Admission.OPTED_OUT:
            if visit.is_seed:
                yield CommunityItem(id=site_key(visit.seed_url), url=visit.seed_url, seed_url=visit.seed_url,
                                    status="opted_out", error_kind="opted_out")  # fmt: skip
            else:
                yield self._candidate(visit, "rejected", "opted_out")
        elif admission is Admission.OVER_BUDGET:
            if not visit.is_seed:
                yield self._candidate(visit, "pending", "site budget reached")
        elif admission is Admission.ADMITTED:
            yield Request(
                visit.seed_url,
                callback=self.parse_homepage,
                errback=self.homepage_failed,
                cb_kwargs={"visit": visit},
                dont_filter=True,
            )

    def _follow_links(self, visit: SiteVisit, item: CommunityItem) -> Iterator[Any]:
        """Schedule the sites a community links to, one hop deeper."""
        if visit.depth >= self.max_depth:
            return
        for link in item.links:
            root = site_root(link["to_url"])
            if trap_reason(root):
                continue
            candidate = SiteVisit(
                seed_url=root,
                depth=visit.depth + 1,
                is_seed=False,
                found_from=item.id,
                found_rule=link["rule"],
            )
            yield from self._schedule(candidate)

    def _candidate(self, visit: SiteVisit, status: str, reason: str) -> CandidateItem:
        return CandidateItem(
            site_id=visit.site_id,
            url=visit.home_url or visit.seed_url,
            status=status,
            reason=reason,
            found_from=visit.found_from,
            rule=visit.found_rule,
            depth=visit.depth,
        )

    # --- homepage -------------------------------------------------------------------------

    def parse_homepage(self, response: Response, visit: SiteVisit) -> Iterator[Any]:
        """Recognise the platform, queue its endpoints and, when discovering, its links pages."""
        visit.home_url = response.url
        self.frontier.mark_known(response.url)
        visit.observed_at = response.meta.get(CAPTURE_DATE_KEY) or utc_now()
        redirects = response.meta.get("redirect_urls") or []
        if redirects and site_key(redirects[0]) != site_key(response.url):
            visit.moved_from = redirects[0]
        yield from self._read(response, visit)
        visit.queue.extend(_root_for_description(response))
        adapter = platforms.detect(response)
        if not any(part.platform for part in visit.parts):
            # A homepage without markers may still be a fediverse server (JS-only front ends).
            visit.queue.append(endpoint(response, "/.well-known/nodeinfo", optional=True, probe=True))
        if visit.depth < self.max_depth:
            discovery = getattr(adapter, "discovery_endpoints", None)
            for extra in discovery(response) if discovery else []:
                visit.queue.append(replace(extra, optional=True, purpose="links"))
            for url in links_pages(response, LINKS_PAGES_PER_SITE):
                visit.queue.append(Endpoint(url, optional=True, probe=True, purpose="links"))
        if self._accepted(visit, response):  # its about/imprint and contact pages: who runs it, how to reach it
            visit.queue.extend(outreach_endpoints(visit.parts, response.url))
        yield from self._next(visit)

    def homepage_failed(self, failure: Failure) -> Iterator[Any]:
        """Record why a site could not be reached; the crawl goes on with the other sites."""
        visit: SiteVisit = failure.request.cb_kwargs["visit"]
        kind, status, message = classify_failure(failure)
        retry_after = retry_after_of(failure)
        yield self._error_item(failure.request.url, kind, status, message, visit, retry_after)
        if visit.is_seed or visit.known:
            yield failed_item(visit, kind, retry_after)
        else:
            yield self._candidate(visit, "rejected", kind)

    # --- endpoints ------------------------------------------------------------------------

    def parse_endpoint(self, response: Response, visit: SiteVisit, current: Endpoint) -> Iterator[Any]:
        """Read one endpoint (statistics, or links only) and queue whatever it points to next."""
        if current.purpose == "links":
            self._collect_links(response, visit)
        else:
            yield from self._read(response, visit)
        yield from self._next(visit)

    def endpoint_failed(self, failure: Failure) -> Iterator[Any]:
        """Try the endpoint's alternative URL, or record the error, then go on with the site."""
        visit: SiteVisit = failure.request.cb_kwargs["visit"]
        current: Endpoint = failure.request.cb_kwargs["current"]
        kind, status, message = classify_failure(failure)
        if current.alternatives:
            visit.queue.insert(0, replace(current, url=current.alternatives[0], alternatives=current.alternatives[1:]))
        elif current.optional and kind in {"http_404", "http_410", "http_403"}:
            self.crawler.stats.inc_value("tremplin/probe/absent")
        else:
            yield self._error_item(failure.request.url, kind, status, message, visit, retry_after_of(failure))
        yield from self._next(visit)

    # --- helpers --------------------------------------------------------------------------

    def _collect_links(self, response: Response, visit: SiteVisit) -> None:
        if visit.depth < self.max_depth or visit.is_seed:
            try:
                visit.links.extend(all_links(response))
            except Exception:  # noqa: BLE001 - a hostile page loses its links, not the site
                self.logger.exception("link extraction failed on %s", response.url)

    def _read(self, response: Response, visit: SiteVisit) -> Iterator[Any]:
        """Extract one response, dating its evidence by the capture time; a crash becomes an error row."""
        current = response.meta.get("tremplin_endpoint")
        if (not response.body or response.body.isspace()) and not (current and current.probe):
            # An empty 200 holds nothing to read: said once, instead of a site silently without figures.
            yield self._error_item(response.url, "empty_body", response.status, "empty response body", visit)
            return
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
        self._collect_links(response, visit)
        self.crawler.stats.inc_value("tremplin/pages/read")
        visit.queue.extend(adapter.endpoints(response) if adapter.NAME != "generic" else [])
        if adapter.NAME == "generic" and response.meta.get("tremplin_endpoint") and extraction.is_empty:
            # A probe answered by some other page only means "not this platform"; any other endpoint
            # the platform should have answered is a broken body.
            if response.meta["tremplin_endpoint"].probe:
                self.crawler.stats.inc_value("tremplin/probe/absent")
            else:
                yield self._error_item(
                    response.url, "unreadable_body", response.status, "no platform recognised this body", visit
                )

    def _next(self, visit: SiteVisit) -> Iterator[Any]:
        """Request the site's next queued endpoint, or finish the site when none is left."""
        budget = self.crawler.settings.getint("TREMPLIN_MAX_REQUESTS_PER_SITE", 12)
        while visit.queue:
            current = visit.queue.pop(0)
            if current.url in visit.requested or trap_reason(current.url):
                continue
            if len(visit.requested) >= budget:
                self.crawler.stats.inc_value("tremplin/site_request_budget_spent")
                self.logger.warning("request budget of %s spent on %s", budget, visit.site_id)
                visit.queue.clear()
                break
            visit.requested.add(current.url)
            yield Request(
                current.url,
                callback=self.parse_endpoint,
                errback=self.endpoint_failed,
                cb_kwargs={"visit": visit, "current": current},
                meta={"tremplin_endpoint": current},
                dont_filter=True,
            )
            return
        yield from self._finish(visit)

    def _finish(self, visit: SiteVisit) -> Iterator[Any]:
        """Yield the site's items, then schedule the sites it links to."""
        if visit.moved_from:
            yield moved_item(visit)
        item = community_item(visit)
        if not self._accepted(visit):
            yield self._candidate(visit, "rejected", visit.reason or "no community signals")
            return
        if not (visit.is_seed or visit.known):
            yield self._candidate(visit, "accepted", visit.reason or "")
        note = self.frontier.crawl_delay_note(item.url)
        if note is not None:
            item.evidence["crawl_delay"] = crawl_delay_evidence(note, visit.observed_at)
        yield item
        if item.alias_of:
            # The address the site declares for itself is the community's real identity: visit it too.
            yield from self._schedule(
                SiteVisit(seed_url=site_root(item.canonical_url), depth=visit.depth, is_seed=visit.is_seed,
                          found_from=item.id, found_rule="declared_url")
            )  # fmt: skip
        yield from self._follow_links(visit, item)

    def _accepted(self, visit: SiteVisit, homepage: Response | None = None) -> bool:
        """Whether the site is a community: the one place a site is accepted or rejected.

        Seeds and known communities are; a site found through a link is when its homepage shows
        community signals, or else when its statistics endpoints do (asked once more when the visit
        ends: a NodeInfo-only server hides everything from its homepage).
        """
        if visit.is_seed or visit.known:
            return True
        if homepage is not None:
            visit.accepted, visit.reason = community_signals(visit.parts[-1] if visit.parts else None, homepage)
        elif not visit.accepted:
            accepted, reason = community_signals(merge_extractions(visit.home_url or visit.seed_url, visit.parts), None)
            visit.accepted, visit.reason = accepted, (reason if accepted else visit.reason)
        return visit.accepted

    def _error_item(
        self,
        url: str,
        kind: str,
        status: int | None,
        message: str,
        visit: SiteVisit,
        retry_after: int | None = None,
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
            retry_after=retry_after,
        )
