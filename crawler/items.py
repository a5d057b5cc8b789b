"""Items the spider yields; pipelines store them. Field descriptions double as column descriptions."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class CommunityItem:
    """One community site as seen in this run: its latest values and the evidence for each."""

    id: str | None = None  # stable site key: host (without www.) plus path prefix, e.g. "forum.example.org/fr"
    url: str | None = None  # homepage URL actually crawled (after redirects)
    seed_url: str | None = None  # URL the crawl started from for this site
    name: str | None = None  # name the site gives itself
    description: str | None = None  # the site's own short description
    platform: str | None = None  # software id (discourse, mediawiki, phpbb, ...), None when unknown
    platform_version: str | None = None  # software version as published
    kind: str | None = None  # forum, wiki, fediverse server, ... (rule-based classification)
    languages: list[str] = field(default_factory=list)  # BCP 47 tags, the community's own language first
    licence: str | None = None  # SPDX id of the content licence
    licence_url: str | None = None  # licence URL as declared
    registrations_open: bool | None = None  # whether new members can sign up
    last_activity_at: str | None = None  # newest public activity, UTC ISO 8601
    canonical_url: str | None = None  # URL the site declares for itself
    about_url: str | None = None  # the site's own about page ("À propos", "Über uns", /about)
    contact_url: str | None = None  # the site's contact page or form
    imprint_url: str | None = None  # the site's legal notice ("Impressum", "Mentions légales")
    contact_email: str | None = None  # generic role address the site publishes (contact@, info@), never a person's
    operator_name: str | None = None  # organisation running the site, as published (JSON-LD, imprint, copyright)
    operator_type: str | None = None  # non_profit, company, university, volunteer_group or unknown
    registration_mode: str | None = None  # open, approval, invite or closed
    price_model: str | None = None  # free, freemium or paid, where stated
    meetups: bool | None = None  # True when the community publishes meet-ups or events (in person or online)
    meetup_cities: list[str] = field(default_factory=list)  # cities of its meet-ups, as published
    federation: str | None = None  # centralised (one operator's site) or federated (one server of a network)
    practised_languages: list[str] = field(default_factory=list)  # BCP 47 tags members learn or offer
    status: str = "alive"  # alive, unreachable, gone, moved, alias, blocked_by_robots, refused, opted_out
    moved_from: str | None = None  # seed URL that permanently redirected here
    alias_of: str | None = None  # community this site is another address of (moved, or declared URL)
    error_kind: str | None = None  # why the visit failed (status other than alive)
    state_reason: str | None = None  # why the site is in its state, when error_kind does not say it all
    retry_after: int | None = None  # seconds the site asked to wait (429/503 Retry-After)
    is_seed: bool = True  # listed in the seeds, or discovered through a link
    depth: int = 0  # link hops from the nearest seed
    discovered_from: str | None = None  # community whose link led here
    links: list[dict[str, Any]] = field(default_factory=list)  # outward links: to_url, rule
    metrics: dict[str, int] = field(default_factory=dict)  # metric name -> count (data-model vocabulary)
    evidence: dict[str, dict[str, Any]] = field(default_factory=dict)  # field -> source_url, rule, snippet
    observed_at: str | None = None  # capture time of the homepage, UTC ISO 8601


@dataclass
class FetchErrorItem:
    """A URL that could not be fetched or read in this run."""

    url: str
    error: str  # error kind: http_404, http_503, timeout, dns, refused_private, robots, parse, ...
    message: str | None = None  # one readable line
    http_status: int | None = None
    site_id: str | None = None  # community the URL belongs to
    at: str | None = None  # UTC ISO 8601
    retry_after: int | None = None  # seconds the site asked to wait, when it did


@dataclass
class CandidateItem:
    """A site found through a link: accepted as a community, rejected (with the reason) or left pending."""

    site_id: str
    url: str
    status: str  # accepted, rejected, pending
    reason: str  # platform:<name>, members, structure:forum, opted_out, http_404, no community signals, ...
    found_from: str | None = None  # community whose link led here
    rule: str | None = None  # which kind of link (html.footer, mastodon.peers, ...)
    depth: int = 1
