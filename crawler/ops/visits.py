"""A site visit's homepage request as plain data, so it can be journaled or shared without pickle.

The spider chains each site's requests from its homepage; the visit's state travels in
``cb_kwargs["visit"]`` (a ``SiteVisit``). At the homepage the visit holds only where the site was
found, six plain fields, so that request can be written as JSON and rebuilt exactly. Requests
further along a chain carry extracted state and are never serialised by this module.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from scrapy.http import Request

from crawler.identity import site_key
from crawler.visit import SiteVisit

HOMEPAGE_CALLBACK = "parse_homepage"
HOMEPAGE_ERRBACK = "homepage_failed"
# What a visit knows before its homepage answers; everything else of SiteVisit is filled later.
SEED_FIELDS = ("seed_url", "depth", "is_seed", "known", "found_from", "found_rule", "declared_kind")
TEXT_FIELDS = ("found_from", "found_rule", "declared_kind")
# Set on requests rebuilt from a journal or a shared queue, so the hooks that record them let them pass.
REBUILT_KEY = "tremplin_rebuilt"
_VISIT_FIELDS = {f.name for f in dataclasses.fields(SiteVisit)}


def _name(method: Any) -> str | None:
    return getattr(method, "__name__", None) if method is not None else None


def is_homepage(request: Request) -> bool:
    """Whether ``request`` starts a site's visit (its homepage)."""
    return _name(request.callback) == HOMEPAGE_CALLBACK and isinstance(request.cb_kwargs.get("visit"), SiteVisit)


def is_repeat(request: Request) -> bool:
    """Whether ``request`` is a retry or a redirect of one already scheduled (same visit, same site)."""
    return "retry_times" in request.meta or "redirect_times" in request.meta


def visit_key(request: Request) -> str:
    """Return the site key of the visit a homepage request starts."""
    return site_key(request.cb_kwargs["visit"].seed_url)


def fresh_visit(visit: SiteVisit) -> bool:
    """Whether the visit holds nothing but its seed fields (nothing extracted yet)."""
    return not (visit.parts or visit.queue or visit.requested or visit.links or visit.home_url)


def visit_fields(visit: SiteVisit) -> dict[str, Any]:
    """Return the seed fields of a visit, JSON-ready."""
    return {name: getattr(visit, name, None) for name in SEED_FIELDS}


def visit_from_fields(fields: dict[str, Any]) -> SiteVisit:
    """Rebuild a visit from its seed fields; anything else in ``fields`` is ignored, types are checked."""
    seed_url = fields.get("seed_url")
    if not isinstance(seed_url, str) or not seed_url.startswith(("http://", "https://")):
        raise ValueError(f"not a site visit: {fields!r:.200}")
    depth = fields.get("depth", 0)
    if not isinstance(depth, int) or isinstance(depth, bool) or depth < 0:
        raise ValueError(f"bad depth in {fields!r:.200}")
    # Only the text fields this version of SiteVisit has (a queue may outlive a code change).
    texts = {name: fields.get(name) for name in TEXT_FIELDS if name in _VISIT_FIELDS}
    if any(value is not None and not isinstance(value, str) for value in texts.values()):
        raise ValueError(f"bad text field in {fields!r:.200}")
    return SiteVisit(
        seed_url=seed_url,
        depth=depth,
        is_seed=bool(fields.get("is_seed", True)),
        known=bool(fields.get("known", False)),
        **texts,
    )


def homepage_request(spider: Any, visit: SiteVisit, meta: dict[str, Any] | None = None) -> Request:
    """Build the homepage request the spider's ``_schedule`` would build for ``visit``."""
    return Request(
        visit.seed_url,
        callback=getattr(spider, HOMEPAGE_CALLBACK),
        errback=getattr(spider, HOMEPAGE_ERRBACK),
        cb_kwargs={"visit": visit},
        dont_filter=True,
        meta={REBUILT_KEY: True, **(meta or {})},
    )
