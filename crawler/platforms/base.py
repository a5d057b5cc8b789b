"""The adapter contract and helpers shared by every platform adapter.

An adapter is a module in ``crawler/platforms/`` that defines:

- ``NAME``: the platform id (``discourse``, ``phpbb``, ...), also its fixture folder name;
- ``detect(response) -> bool``: does this response (a homepage *or* one of the platform's API
  bodies) come from this platform?
- ``extract(response) -> Extraction``: read every public aggregate value the response holds;
- ``endpoints(response) -> list[Endpoint]``: which further public URLs to ask, given a response
  this adapter detected (homepage -> statistics API; NodeInfo discovery -> NodeInfo document).

All three are pure functions of the response: no I/O, no settings, no global state.
"""

from __future__ import annotations

import functools
import json
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar
from urllib.parse import urljoin

from scrapy.http import Response, TextResponse

MAX_JSON_BYTES = 5 * 1024 * 1024


T = TypeVar("T")


@dataclass(frozen=True)
class Endpoint:
    """A public URL to ask next, with alternatives tried in order when it fails."""

    url: str
    alternatives: tuple[str, ...] = field(default_factory=tuple)
    # An optional endpoint's 404 is an answer (the feature is disabled), not a fetch error.
    optional: bool = False
    # A probe asks whether a platform is there at all: any unrecognised answer just means "no".
    probe: bool = False
    # "statistics": read values from it; "links": only follow the sites it lists (discovery).
    purpose: str = "statistics"


def endpoint(
    response: Response, path: str, *alternatives: str, optional: bool = False, probe: bool = False
) -> Endpoint:
    """Build an :class:`Endpoint` relative to the site root (``path`` starting with ``/``) or the page."""
    return Endpoint(
        url=urljoin(response.url, path),
        alternatives=tuple(urljoin(response.url, alt) for alt in alternatives),
        optional=optional,
        probe=probe,
    )


def response_text(response: Response) -> str:
    """Return the decoded body of a response, or '' for a binary body."""
    if isinstance(response, TextResponse):
        try:
            return response.text
        except (UnicodeDecodeError, LookupError):
            return response.body.decode("utf-8", "replace")
    return response.body.decode("utf-8", "replace")


def load_json(response: Response) -> Any:
    """Parse a JSON body; None when the body is not JSON (or too big to be a statistics document)."""
    body = response.body
    if not body or len(body) > MAX_JSON_BYTES:
        return None
    head = body.lstrip()[:1]
    if head not in (b"{", b"["):
        # A BOM or UTF-16 body: decode through the response's detected encoding.
        text = response_text(response).lstrip("\ufeff").lstrip()
        if not text.startswith(("{", "[")):
            return None
    else:
        text = body.decode("utf-8", "replace")
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        return None


def json_object(response: Response) -> dict[str, Any] | None:
    """Parse a JSON body that must be an object."""
    data = load_json(response)
    return data if isinstance(data, dict) else None


def dig(data: Any, *path: str | int) -> Any:
    """Follow keys/indexes through nested JSON; None as soon as one step is missing or mistyped."""
    current = data
    for step in path:
        if isinstance(step, int):
            if not isinstance(current, list) or step >= len(current):
                return None
        elif not isinstance(current, dict):
            return None
        current = current[step] if isinstance(step, int) else current.get(step)
        if current is None:
            return None
    return current


def once_per_response(function: Callable[[Response], T]) -> Callable[[Response], T]:
    """Decorate a pure function of a response so that it runs once per response object.

    Detection, parsing and marker tests ask the same response the same question several times
    (the crawl's routing, each adapter's ``detect``, ``extract``); the answer is kept as long as
    the response lives (a weak reference, so nothing outlives it).
    """
    results: weakref.WeakKeyDictionary[Response, T] = weakref.WeakKeyDictionary()

    @functools.wraps(function)
    def cached(response: Response) -> T:
        try:
            return results[response]
        except KeyError:
            value = results[response] = function(response)
            return value
        except TypeError:  # not weakly referenceable
            return function(response)

    return cached


@once_per_response
def is_html(response: Response) -> bool:
    """True when the response looks like an HTML page rather than JSON or XML (decided once per response)."""
    return _is_html(response)


def _is_html(response: Response) -> bool:
    content_type = response.headers.get(b"Content-Type", b"").decode("latin-1").lower()
    if "html" in content_type:
        return True
    head = response.body[:512].lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html")) or b"<html" in head
