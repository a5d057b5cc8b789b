"""The ground truth: what a crawl of the sample web must find, written to tests/fixtures/sample_web/expected.json."""

from __future__ import annotations

from typing import Any

from crawler.archive.sample_web.captures import figures_at, request_url, site_responses
from crawler.archive.sample_web.model import CAPTURES, PUBLISHABLE, Site, Snapshot
from crawler.archive.sample_web.outreach import outreach_of
from crawler.archive.sample_web.sites import SITES

FEDIVERSE = frozenset({"mastodon", "lemmy", "peertube"})


def canonical_licence_url(url: str | None) -> str | None:
    """Return a licence URL without protocol-relative form or ``deed.xx`` suffix."""
    if not url:
        return None
    url = "https:" + url if url.startswith("//") else url
    return url.split("deed.")[0]


def _last_activity(site: Site, index: int) -> str | None:
    # Only machine-readable dates are asserted: Discourse latest.json and XenForo <time datetime>.
    if site.platform == "xenforo" or (site.platform == "discourse" and "/latest.json" not in site.broken_paths):
        figs = figures_at(site, index) or {}
        return Snapshot(site, index, figs).last_post.isoformat()
    return None


def _expected_outreach(site: Site) -> dict[str, Any]:
    """Outreach values the crawl must store; a field left out is not asserted."""
    federation = "federated" if site.platform in FEDIVERSE else "centralised"
    return {"federation": federation, **outreach_of(site.domain).expect}


def _members_flags(site: Site, last: dict[str, Any] | None) -> list[str] | None:
    """Trust flags the crawl must put on the latest members count, when there is one."""
    if not last or "members" not in last["metrics"]:
        return None
    planted = outreach_of(site.domain).members_flags
    if planted is not None:
        return sorted(planted)
    # Custom sites print their members in prose ("over 250,000 members"): the site's own claim.
    # Drupal sites too: core publishes no member total, the count is a sentence of their content.
    return ["self_reported" if site.platform in (None, "drupal") else "measured"]


def _registrable(domain: str) -> str:
    """The registrable domain of a sample-web host, written out here rather than asked of the crawler's
    own ``registrable_domain`` (the truth must not share the code it checks): every sample-web domain
    sits under a one-label reserved suffix (``.example``, ``.test``), so it is the last two labels."""
    labels = domain.lower().split(".")
    if labels[-1] not in ("example", "test") or len(labels) < 2:
        raise ValueError(f"sample-web domain outside .example and .test: {domain}")
    return ".".join(labels[-2:])


def _group(site: Site) -> str | None:
    """The group of a site: sites sharing its registrable domain or linking both ways with it, led by the
    one with the most members (links within one domain are the site's own, never recorded as links)."""
    partners = [
        other
        for other in SITES
        if other is not site
        and other.fault is None
        and (
            _registrable(other.domain) == _registrable(site.domain)
            or (other.domain in site.links_to and site.domain in other.links_to)
        )
    ]
    if not partners:
        return None
    last = len(CAPTURES) - 1
    members = {s.domain: (figures_at(s, last) or {}).get("members", -1) for s in [site, *partners]}
    return min(members, key=lambda domain: (-members[domain], domain))


def expected_site(site: Site) -> dict[str, Any]:
    """Return the ground truth the crawl of ``site`` must reproduce (see conventions in the JSON)."""
    readable = site.fault in (None, "redirect")
    final = f"https://{site.redirect_to}/" if site.redirect_to else site.root
    publishable = PUBLISHABLE["peertube" if site.platform == "peertube" else site.platform]
    urls = sorted({request_url(url) for index in range(len(CAPTURES)) for url, _ in site_responses(site, index)})
    captures: dict[str, Any] = {}
    for index, date in enumerate(CAPTURES):
        figs = figures_at(site, index)
        if figs is None or site.fault == "not_archived":
            captures[date] = None
            continue
        if not (set(figs) <= publishable):
            raise ValueError(f"{site.domain}: {sorted(set(figs) - publishable)} not published by {site.platform}")
        metrics = figs if readable else {}
        captures[date] = {
            "metrics": dict(sorted(metrics.items())),
            "approximate": sorted(set(site.approximate) & set(metrics)),
            "last_activity_at": _last_activity(site, index) if readable else None,
        }
    versioned = site.platform in ("discourse", "mediawiki", "mastodon", "lemmy", "peertube", "drupal")
    # A portal's languages are its ten featured editions; the rest are only in its full list.
    languages = list(site.languages[:10] if site.platform == "wikimedia_portal" else site.languages)
    return {
        "seed": site.root,
        "label": site.name,
        "kind": site.kind,
        "fault": site.fault,
        "http_status": {"http_503": 503, "http_410": 410, "redirect": 301}.get(site.fault or ""),
        "final_url": final,
        "platform": site.platform if readable else None,
        "platform_version": site.version if readable and versioned else None,
        "name": site.name if readable else None,
        # A custom site's hreflang alternates are interface translations: its own language is <html lang>.
        "languages": ([site.lang] if site.platform is None else languages) if readable else [],
        "licence": site.licence if readable else None,
        "licence_url": canonical_licence_url(site.licence_url) if readable else None,
        "registrations_open": True if readable and site.platform in ("mastodon", "lemmy", "peertube") else None,
        "crawl_delay": site.crawl_delay,
        "first_capture": CAPTURES[site.first_capture] if site.fault != "not_archived" else None,
        "archived_urls": urls,
        "must_not_fetch": [request_url(site.root)] if site.fault == "robots" else [],
        "broken_urls": [request_url(f"{site.root.rstrip('/')}{path}") for path in site.broken_paths],
        "must_not_store": [*([site.newest_member] if site.newest_member else []), *outreach_of(site.domain).personal],
        "hostile_text": "<script>alert(1)</script>" if "<script>" in site.description else None,
        "captures": captures,
        "outreach": _expected_outreach(site) if readable else None,
        "members_flags": _members_flags(site, captures[CAPTURES[-1]]) if readable else None,
        "group": _group(site) if readable else None,
    }


CONVENTIONS = {
    "fictional": "Every site, name, user name and number is invented; domains are reserved (.example, .test).",
    "captures": "Each capture maps to the metric values exactly as the pages publish them; null means the "
    "site was not archived at that date. Faulted sites publish nothing readable: empty metrics.",
    "metrics": "Names from docs/data-model.md. 'approximate' lists metrics published as 'over N' "
    "marketing text. Mastodon /api/v1/instance/activity: the last complete week (the second bucket) gives "
    "posts_7d (statuses) and active_users_7d (logins).",
    "languages": "Community languages, own language first, as primary BCP 47 subtags; a region in <html lang> "
    "(en-US, de-DE, pt-br) is a UI locale. hreflang alternates list interface translations, not community "
    "languages. Legacy hreflang 'iw' is Hebrew ('he').",
    "licence": "SPDX id of the content licence; CC BY 2.0 FR has no SPDX id and is CC-BY-2.0 (the /fr/ URL is kept). "
    "A rel=license inside an image <figcaption> is the photo's licence, not the site's.",
    "null_fields": "platform_version and last_activity_at are asserted only where a generator tag, an API "
    "field or a machine-readable date states them; null means 'not asserted'.",
    "must_not_store": "Newest-member names printed by forum statistics blocks: personal data that must not "
    "appear anywhere in the crawl's output.",
    "urls": "archived_urls are WARC-Target-URIs, written as Scrapy requests them ('|' as %7C).",
    "outreach": "Outreach values the crawl must store (about/contact/legal pages, role contact address, operator "
    "and its type, registration mode, price model, meet-ups and their cities, practised languages, centralised or "
    "federated); a field left out is not asserted. Names and addresses of people printed on those pages are in "
    "must_not_store.",
    "members_flags": "Trust flags on the latest members count: measured (API, statistics block) or self_reported "
    "(the site's own prose), plus anomalous where a jump was planted.",
    "group": "Sites of one community (they link to each other, share a domain): the id of the group's largest site.",
}


def expected_document() -> dict[str, Any]:
    """Return the whole ground-truth document written to tests/fixtures/sample_web/expected.json."""
    return {
        "about": "Ground truth for the bundled fictional sample web. Generated by "
        "`python -m crawler.archive.sample_web.build`; do not edit by hand.",
        "archive": "crawler/archive/sample_web.warc.gz",
        "captures": list(CAPTURES),
        "conventions": CONVENTIONS,
        "sites": [expected_site(site) for site in SITES],
    }
