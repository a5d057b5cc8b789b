"""JSON for everything that crosses Redis, decoded against an allowlist: no pickle anywhere.

As a scrapy-redis ``SCHEDULER_SERIALIZER`` (this module's ``dumps``/``loads``), it serialises the
dict ``Request.to_dict()`` gives for a homepage request; ``loads`` refuses a request class, a
callback or a meta key it does not expect, so the queue cannot make a worker import or call
anything but the spider's homepage methods. Items travel as ``{"v": 1, "type": ..., "item": {...}}``
and are rebuilt through their dataclass, unknown fields dropped.
"""

from __future__ import annotations

import base64
import json
from dataclasses import asdict, fields
from datetime import date, datetime
from typing import Any

from crawler.items import CandidateItem, CommunityItem, FetchErrorItem
from crawler.ops.visits import HOMEPAGE_CALLBACK, HOMEPAGE_ERRBACK, REBUILT_KEY, fresh_visit, visit_fields
from crawler.visit import SiteVisit

VERSION = 1
ITEM_TYPES: dict[str, type] = {"community": CommunityItem, "fetch_error": FetchErrorItem, "candidate": CandidateItem}
REQUEST_KEYS = {
    "url", "callback", "errback", "headers", "method", "body", "cookies", "meta", "encoding", "priority",
    "dont_filter", "flags", "cb_kwargs",
}  # fmt: skip
# Meta a fresh homepage request may carry (Scrapy's own bookkeeping, and ours).
META_KEYS = {"depth", REBUILT_KEY, "tremplin_reclaim", "download_slot"}
CALLBACKS = {HOMEPAGE_CALLBACK, HOMEPAGE_ERRBACK, None}


class CodecError(ValueError):
    """Data that this codec does not write, or refuses to read."""


def _default(value: Any) -> Any:
    if isinstance(value, bytes):
        return {"$b64": base64.b64encode(value).decode("ascii")}
    if isinstance(value, SiteVisit):
        if not fresh_visit(value):
            raise CodecError("only a visit that has not started travels through Redis")
        return {"$visit": visit_fields(value)}
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, (set, frozenset, tuple)):
        return list(value)
    raise CodecError(f"cannot send {type(value).__name__} through Redis")


def dumps(obj: dict[str, Any]) -> str:
    """Serialise a homepage request dict (``Request.to_dict``); raise ``CodecError`` for anything else."""
    if obj.get("_class") not in (None, "scrapy.http.request.Request", "scrapy.Request"):
        raise CodecError(f"unexpected request class {obj.get('_class')}")
    if obj.get("callback") not in CALLBACKS or obj.get("errback") not in CALLBACKS:
        raise CodecError("only homepage requests travel through Redis")
    payload = {key: value for key, value in obj.items() if key in REQUEST_KEYS}
    payload["meta"] = {key: value for key, value in (obj.get("meta") or {}).items() if key in META_KEYS}
    return json.dumps(payload, default=_default)


def _hook(obj: dict[str, Any]) -> Any:
    if set(obj) == {"$b64"}:
        return base64.b64decode(obj["$b64"])
    if set(obj) == {"$visit"}:
        from crawler.ops.visits import visit_from_fields

        return visit_from_fields(obj["$visit"])
    return obj


def loads(data: bytes | str) -> dict[str, Any]:
    """Read a request dict, refusing anything ``dumps`` would not have written."""
    obj = json.loads(data, object_hook=_hook)
    if not isinstance(obj, dict) or not set(obj) <= REQUEST_KEYS:
        raise CodecError("not a request")
    if obj.get("callback") not in CALLBACKS or obj.get("errback") not in CALLBACKS:
        raise CodecError("unexpected callback")
    if not set(obj.get("meta") or {}) <= META_KEYS:
        raise CodecError("unexpected meta")
    visit = (obj.get("cb_kwargs") or {}).get("visit")
    if set(obj.get("cb_kwargs") or {}) != {"visit"} or not isinstance(visit, SiteVisit):
        raise CodecError("a homepage request carries exactly one visit")
    if not isinstance(obj.get("url"), str) or obj["url"] != visit.seed_url:
        raise CodecError("request URL differs from its visit")
    return obj


def item_type(item: Any) -> str:
    for name, cls in ITEM_TYPES.items():
        if isinstance(item, cls):
            return name
    raise CodecError(f"not a Tremplin item: {type(item).__name__}")


def encode_item(item: Any) -> str:
    """Serialise one item for the loader (``REDIS_ITEMS_SERIALIZER``)."""
    return json.dumps({"v": VERSION, "type": item_type(item), "item": asdict(item)}, default=_default)


def decode_item(data: bytes | str) -> tuple[str, dict[str, Any]]:
    """Return (type, item as the dict the store expects); raise ``CodecError`` for bad input."""
    try:
        message = json.loads(data)
    except ValueError as exc:
        raise CodecError("not JSON") from exc
    if not isinstance(message, dict) or message.get("v") != VERSION or message.get("type") not in ITEM_TYPES:
        raise CodecError("unknown message")
    raw = message.get("item")
    if not isinstance(raw, dict):
        raise CodecError("no item")
    cls = ITEM_TYPES[message["type"]]
    known = {f.name for f in fields(cls)}
    try:
        item = cls(**{key: value for key, value in raw.items() if key in known})
    except TypeError as exc:
        raise CodecError(f"incomplete {message['type']} item") from exc
    if isinstance(item, CommunityItem) and not (isinstance(item.id, str) and isinstance(item.url, str)):
        raise CodecError("community item without id or url")
    return message["type"], asdict(item)
