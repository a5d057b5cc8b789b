"""What an adapter reads from one response: values plus the evidence for each of them.

Adapters build an :class:`Extraction` with :class:`ExtractionBuilder`, which validates every value
(counts are non-negative integers below 2**63, texts are trimmed and bounded) so no adapter has to
repeat those checks. The spider merges the extractions of all responses of one site with
:func:`merge_extractions`.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import Any

# Harmonised metric vocabulary (docs/data-model.md, checked by tests/test_docs.py). Order is the column
# order in SQLite; a new metric also needs a migration adding its column (crawler/storage/schema.py).
METRICS: tuple[str, ...] = (
    "members",
    "active_users_1d",
    "active_users_7d",
    "active_users_30d",
    "active_users_180d",
    "online_now",
    "posts",
    "comments",
    "topics",
    "posts_7d",
    "posts_30d",
    "topics_7d",
    "topics_30d",
    "edits",
    "articles",
    "pages",
    "communities",
    # Open-content corpora (Tatoeba): sentences held, languages they are in, contributions today.
    "sentences",
    "corpus_languages",
    "contributions_1d",
)

MAX_COUNT = 2**63 - 1
MAX_TEXT = 2000
MAX_SNIPPET = 200

# How much a value is trusted when two responses of the same site disagree: a platform's own
# statistics API beats its HTML page, which beats the generic text fallback.
RANK_API = 30
RANK_HTML = 20
RANK_META = 10
RANK_GENERIC = 0

# A site's name, best first: the platform API's own (``RANK_API``), ``og:site_name``, the
# ``application-name`` meta, a platform's own heading (phpBB ``#site-description h1``, the vBulletin
# logo ``alt``; ``RANK_HTML``), the JSON-LD ``WebSite`` name, the ``<title>`` less its page suffix
# (``RANK_META``). Keyed by the last part of the rule; a feed title is never a name (refused).
NAME_RANKS: dict[str, int] = {
    "og_site_name": RANK_HTML + 5,
    "application_name": RANK_HTML + 4,
    "jsonld_website_name": RANK_HTML - 5,
    "title": RANK_META,
}


@dataclass
class Evidence:
    """Where one value came from: the URL, the rule that read it and the text it was read from."""

    source_url: str
    rule: str
    snippet: str | None = None
    approximate: bool = False
    rank: int = RANK_HTML
    observed_at: str | None = None

    def public(self) -> dict[str, Any]:
        """Return the evidence as the JSON shape of ``tremplin extract``."""
        out: dict[str, Any] = {
            "source_url": self.source_url,
            "rule": self.rule,
            "snippet": self.snippet,
            "approximate": self.approximate,
        }
        if self.observed_at:
            out["observed_at"] = self.observed_at
        return out


@dataclass
class Extraction:
    """Values read from one response (or merged from several responses of one site)."""

    url: str
    platform: str | None = None
    platform_version: str | None = None
    name: str | None = None
    description: str | None = None
    metrics: dict[str, int] = field(default_factory=dict)
    languages: list[str] = field(default_factory=list)
    licence: str | None = None
    licence_url: str | None = None
    registrations_open: bool | None = None
    last_activity_at: str | None = None
    canonical_url: str | None = None
    # Outreach (crawler.outreach): how to reach, join and partner with the community.
    about_url: str | None = None
    contact_url: str | None = None
    imprint_url: str | None = None
    contact_email: str | None = None
    operator_name: str | None = None
    operator_type: str | None = None
    registration_mode: str | None = None
    price_model: str | None = None
    meetups: bool | None = None
    federation: str | None = None
    meetup_cities: list[str] = field(default_factory=list)
    practised_languages: list[str] = field(default_factory=list)
    evidence: dict[str, Evidence] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        """Return the ``tremplin extract`` JSON object (docs/data-model.md)."""
        data = asdict(self)
        data["evidence"] = {key: ev.public() for key, ev in self.evidence.items()}
        return data

    @property
    def is_empty(self) -> bool:
        """True when nothing at all was read."""
        return not (self.platform or self.name or self.metrics or self.languages or self.licence)


_SPACE_RE = re.compile(r"\s+")


def clean_text(value: Any, limit: int = MAX_TEXT) -> str | None:
    """Collapse whitespace, drop control characters and bound the length of a crawled text."""
    if value is None or isinstance(value, (dict, list, bool)):
        return None
    text = str(value)
    text = "".join(ch for ch in text if ch >= " " or ch in "\t\n")
    text = _SPACE_RE.sub(" ", text).strip()
    if not text:
        return None
    return text[:limit]


def coerce_count(value: Any) -> int | None:
    """Return a JSON count as an int, or None when it is not a plausible count.

    Accepts ints and digit strings (Mastodon sends ``"18"``); rejects booleans, negatives, floats
    with a fraction, numbers beyond 2**63 and nested objects.
    """
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        number = value
    elif isinstance(value, float):
        if value != value or not value.is_integer():
            return None
        number = int(value)
    elif isinstance(value, str) and value.strip().isdigit() and len(value.strip()) <= 19:
        number = int(value.strip())
    else:
        return None
    if number < 0 or number > MAX_COUNT:
        return None
    return number


class ExtractionBuilder:
    """Collect values for one response, each with its evidence, rejecting implausible values."""

    def __init__(self, url: str, platform: str | None, rank: int = RANK_HTML) -> None:
        self.extraction = Extraction(url=url, platform=platform)
        self.rank = rank
        self.rejected: list[str] = []
        if platform:
            self.extraction.evidence["platform"] = Evidence(url, f"{platform}.detect", None, False, rank)

    def _evidence(self, rule: str, snippet: str | None, approximate: bool, rank: int | None) -> Evidence:
        return Evidence(
            source_url=self.extraction.url,
            rule=rule,
            snippet=clean_text(snippet, MAX_SNIPPET) if snippet is not None else None,
            approximate=approximate,
            rank=self.rank if rank is None else rank,
        )

    def metric(
        self,
        name: str,
        value: Any,
        rule: str,
        snippet: str | None = None,
        approximate: bool = False,
        rank: int | None = None,
    ) -> bool:
        """Record a count; returns False (and remembers why) when the value is not a valid count."""
        if name not in METRICS:
            raise ValueError(f"unknown metric {name!r}")
        number = coerce_count(value)
        if number is None:
            if value is not None:
                self.rejected.append(f"{name}: {str(value)[:40]!r}")
            return False
        if name in self.extraction.metrics:
            return False
        self.extraction.metrics[name] = number
        self.extraction.evidence[name] = self._evidence(rule, snippet, approximate, rank)
        return True

    def text(self, field_name: str, value: Any, rule: str, snippet: str | None = None) -> bool:
        """Record a text field (name, description, platform_version, canonical_url, ...).

        A name is ranked by where it was read (:data:`NAME_RANKS`); one read from a feed title is
        refused: a board's first feed is named after a forum or "News", not after the site.
        """
        limit = MAX_TEXT if field_name == "description" else 300
        text = clean_text(value, limit)
        if text is None or getattr(self.extraction, field_name) is not None:
            return False
        rank = None
        if field_name == "name":
            source = rule.rsplit(".", 1)[-1]
            if "feed" in source:
                return False
            rank = NAME_RANKS.get(source)
            if rank is not None and self.rank == RANK_API:
                rank = None  # the API's own name keeps the API rank
        setattr(self.extraction, field_name, text)
        self.extraction.evidence[field_name] = self._evidence(rule, snippet, False, rank)
        return True

    def languages(self, tags: list[str], rule: str, snippet: str | None = None) -> bool:
        """Record BCP 47 tags (already normalised), the community's own language first."""
        seen: list[str] = []
        for tag in tags:
            if tag and tag not in seen:
                seen.append(tag)
        if not seen or self.extraction.languages:
            return False
        self.extraction.languages = seen
        self.extraction.evidence["languages"] = self._evidence(rule, snippet, False, None)
        return True

    def licence(self, spdx: str | None, url: str | None, rule: str, snippet: str | None = None) -> bool:
        """Record the content licence as an SPDX id (or None when only a URL is known)."""
        if not (spdx or url) or self.extraction.licence or self.extraction.licence_url:
            return False
        self.extraction.licence = spdx
        self.extraction.licence_url = clean_text(url, 500)
        self.extraction.evidence["licence"] = self._evidence(rule, snippet, False, None)
        return True

    def flag(self, field_name: str, value: bool | None, rule: str, snippet: str | None = None) -> bool:
        """Record a boolean field such as ``registrations_open``."""
        if not isinstance(value, bool) or getattr(self.extraction, field_name) is not None:
            return False
        setattr(self.extraction, field_name, value)
        self.extraction.evidence[field_name] = self._evidence(rule, snippet, False, None)
        return True

    def date(self, field_name: str, iso_value: str | None, rule: str, snippet: str | None = None) -> bool:
        """Record a date already normalised to UTC ISO 8601."""
        if not iso_value or getattr(self.extraction, field_name) is not None:
            return False
        setattr(self.extraction, field_name, iso_value)
        self.extraction.evidence[field_name] = self._evidence(rule, snippet, False, None)
        return True

    def version(self, value: Any, rule: str, snippet: str | None = None) -> bool:
        """Record the platform version."""
        return self.text("platform_version", value, rule, snippet)

    def build(self) -> Extraction:
        """Return the finished extraction."""
        return self.extraction


# What a course designer needs to make contact (crawler/outreach/), in column order.
OUTREACH_SCALAR_FIELDS = (
    "about_url",
    "contact_url",
    "imprint_url",
    "contact_email",
    "operator_name",
    "operator_type",
    "registration_mode",
    "price_model",
    "meetups",
    "federation",
)
OUTREACH_LIST_FIELDS = ("meetup_cities", "practised_languages")

_SCALAR_FIELDS = (
    "platform_version",
    "name",
    "description",
    "licence",
    "registrations_open",
    "last_activity_at",
    "canonical_url",
    *OUTREACH_SCALAR_FIELDS,
)
# List fields taken whole from the best-ranked part that has them, like ``languages``.
_LIST_FIELDS = ("languages", *OUTREACH_LIST_FIELDS)


def _rank(extraction: Extraction, key: str) -> int:
    ev = extraction.evidence.get(key)
    if ev is None:
        return -1
    # An approximate figure loses against any exact one.
    return ev.rank - (100 if ev.approximate else 0)


def merge_extractions(url: str, parts: list[Extraction]) -> Extraction:
    """Merge the extractions of one site: per field, the best-ranked value wins, earlier on ties."""
    merged = Extraction(url=url)
    platform_parts = [p for p in parts if p.platform]
    if platform_parts:
        best = max(platform_parts, key=lambda p: _rank(p, "platform"))
        merged.platform = best.platform
        if "platform" in best.evidence:
            merged.evidence["platform"] = best.evidence["platform"]
    for key in _SCALAR_FIELDS:
        evidence_key = "licence" if key == "licence" else key
        candidates = [p for p in parts if getattr(p, key) is not None]
        if key == "licence":
            candidates = [p for p in parts if p.licence or p.licence_url]
        if not candidates:
            continue
        best = max(candidates, key=lambda p, k=evidence_key: _rank(p, k))
        setattr(merged, key, getattr(best, key))
        if key == "licence":
            merged.licence_url = best.licence_url
        if evidence_key in best.evidence:
            merged.evidence[evidence_key] = best.evidence[evidence_key]
    for metric in METRICS:
        candidates = [p for p in parts if metric in p.metrics]
        if not candidates:
            continue
        best = max(candidates, key=lambda p, m=metric: _rank(p, m))
        merged.metrics[metric] = best.metrics[metric]
        merged.evidence[metric] = best.evidence[metric]
    for key in _LIST_FIELDS:
        list_parts = [p for p in parts if getattr(p, key)]
        if list_parts:
            best = max(list_parts, key=lambda p, k=key: _rank(p, k))
            setattr(merged, key, list(getattr(best, key)))
            if key in best.evidence:
                merged.evidence[key] = best.evidence[key]
    return merged
