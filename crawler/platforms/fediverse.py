"""Helpers shared by the JSON-API adapters (Discourse, MediaWiki, the fediverse family, Reddit, ...).

Not an adapter (it is not in ``ADAPTER_NAMES``): it holds the few steps every JSON adapter repeats,
so that each adapter module only states *which* keys it reads:

- :func:`snippet`: the short ``"key": value`` evidence text of one JSON member;
- :func:`put_counts`: record counts from a JSON object, trying alternative key spellings in order;
- :func:`put_text`, :func:`put_flag`: one text or boolean member with its evidence;
- :func:`put_languages`: declared language tags, or the language detected in the community's own
  description when none is declared;
- :func:`platform_from`: the evidence of a platform id read from the body (``software.name``);
- :func:`split_compat_version`: ``"2.3.3 (compatible; Pleroma 0.9.0 …)"`` -> ``("pleroma", "0.9.0")``;
- :func:`software_id`: a NodeInfo ``software.name`` as a lowercase platform id;
- :func:`body_has`: a cheap byte test run before parsing a body in ``detect()``;
- :func:`html_head`, :func:`meta_content`: homepage markers such as ``<meta name="generator">``;
- :func:`peer_list_endpoint`, :func:`peer_links`: the federation peer lists (Mastodon's
  ``/api/v1/instance/peers``, Lemmy's ``federated_instances``) as discovery endpoints and links.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Sequence
from typing import Any
from urllib.parse import urlsplit

from scrapy.http import Response

from crawler.extraction import RANK_META, ExtractionBuilder
from crawler.normalize.languages import content_languages
from crawler.platforms.base import Endpoint, endpoint, is_html, once_per_response, response_text

SNIPPET_VALUE_CHARS = 120


def snippet(key: str, value: Any) -> str:
    """Return the evidence text of one JSON member, e.g. ``"users_count": 65215``."""
    try:
        rendered = json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):
        rendered = str(value)
    return f'"{key}": {rendered[:SNIPPET_VALUE_CHARS]}'


def put_counts(
    builder: ExtractionBuilder,
    data: Any,
    mapping: Iterable[tuple[str, Sequence[str]]],
    rule_prefix: str,
) -> None:
    """Record the counts of ``data`` named in ``mapping`` (metric -> key spellings, first valid wins).

    Invalid values (strings that are not digits, negatives, objects, numbers beyond 2**63) are
    rejected by the builder, and the next spelling is tried.
    """
    if not isinstance(data, dict):
        return
    for metric, keys in mapping:
        for key in keys:
            if key not in data:
                continue
            if builder.metric(metric, data[key], f"{rule_prefix}.{key}", snippet(key, data[key])):
                break


def put_text(builder: ExtractionBuilder, field_name: str, data: Any, key: str, rule_prefix: str) -> bool:
    """Record ``data[key]`` as a text field (``name``, ``platform_version``, ...) with its evidence."""
    value = data.get(key) if isinstance(data, dict) else None
    return builder.text(field_name, value, f"{rule_prefix}.{key}", snippet(key, value))


def put_flag(builder: ExtractionBuilder, field_name: str, data: Any, key: str, rule_prefix: str) -> bool:
    """Record ``data[key]`` as a boolean field when it is a real JSON boolean."""
    value = data.get(key) if isinstance(data, dict) else None
    return builder.flag(field_name, value, f"{rule_prefix}.{key}", snippet(key, value))


def put_languages(
    builder: ExtractionBuilder,
    declared: Any,
    text: str | None,
    rule_prefix: str,
    declared_key: str,
) -> None:
    """Record declared language tags, or else the language detected in ``text``.

    Pass ``text`` only when it is the community's own substantial writing (a Lemmy sidebar): a
    one-line description is too short to tell a language. A language that was only *detected*
    ranks as a page signal (RANK_META), so any declaration of the same site wins a merge.
    """
    values = declared if isinstance(declared, list) else [declared]
    strings = [value for value in values if isinstance(value, str)]
    tags, source = content_languages(strings, text if isinstance(text, str) else "")
    if not tags:
        return
    if source == "detected":
        if builder.languages(tags, f"{rule_prefix}.detected_from_text", (text or "")[:80]):
            builder.extraction.evidence["languages"].rank = RANK_META
        return
    rule = f"{rule_prefix}.{declared_key}" + ("" if source == "declared" else "+detected_from_text")
    builder.languages(tags, rule, snippet(declared_key, declared if isinstance(declared, str) else strings[:10]))


def platform_from(builder: ExtractionBuilder, rule: str, text: str) -> None:
    """Say where the platform id came from when a body names its software (NodeInfo, versions)."""
    evidence = builder.extraction.evidence.get("platform")
    if evidence is not None:
        evidence.rule = rule
        evidence.snippet = text[:200]


def text_of(*values: Any) -> str:
    """Join the string values among ``values`` (descriptions, sidebars) into one text."""
    return "\n".join(value for value in values if isinstance(value, str) and value.strip())


_COMPAT_RE = re.compile(r"\(compatible;\s*([A-Za-z][\w.-]*)\s+v?(\d[\w.+~-]*)")


def split_compat_version(version: Any) -> tuple[str | None, str | None]:
    """Return ``(software, version)`` from a Mastodon-compatible version string.

    ``"2.3.3 (compatible; Pleroma 0.9.0 ffa552f)"`` -> ``("pleroma", "0.9.0")``;
    ``"4.3.0"`` -> ``(None, "4.3.0")``; anything else -> ``(None, None)``.
    """
    if not isinstance(version, str) or not version.strip():
        return None, None
    match = _COMPAT_RE.search(version)
    if match:
        return match.group(1).lower(), match.group(2)
    return None, version.strip()


_SOFTWARE_RE = re.compile(r"^[a-z0-9][a-z0-9._+-]{0,63}$")


def software_id(value: Any) -> str | None:
    """Return a NodeInfo-style software name as a lowercase platform id, or None when implausible."""
    if not isinstance(value, str):
        return None
    name = "-".join(value.strip().lower().split())
    return name if _SOFTWARE_RE.match(name) else None


def body_has(response: Response, *needles: bytes) -> bool:
    """True when the body contains every one of ``needles`` (a cheap test before parsing it)."""
    body = response.body
    return all(needle in body for needle in needles)


def body_has_any(response: Response, *needles: bytes) -> bool:
    """True when the body contains at least one of ``needles``."""
    body = response.body
    return any(needle in body for needle in needles)


HTML_HEAD_CHARS = 300_000
_META_RE = re.compile(r"<meta\b[^>]*>", re.IGNORECASE)
_ATTR_RE = re.compile(r"""([\w:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""")


def html_head(response: Response) -> str:
    """Return the start of an HTML page's decoded text (markers live in the head and the shell)."""
    return response_text(response)[:HTML_HEAD_CHARS]


@once_per_response
def lower_head(response: Response) -> str:
    """:func:`html_head` lowercased, once per response: a literal test before a case-blind pattern."""
    return html_head(response).lower()


def tag_attrs(tag: str) -> dict[str, str]:
    """Return the attributes of one HTML start tag, names lowercased."""
    attrs = {}
    for match in _ATTR_RE.finditer(tag):
        attrs[match.group(1).lower()] = next(g for g in match.groups()[1:] if g is not None)
    return attrs


# The <meta> tags of the last text read: several adapters' detect() ask the same page for its metas.
_LAST_METAS: list[Any] = [None, []]


def _meta_tags(text: str) -> list[dict[str, str]]:
    if _LAST_METAS[0] is not text:
        _LAST_METAS[:] = [text, [tag_attrs(match.group(0)) for match in _META_RE.finditer(text)]]
    return _LAST_METAS[1]


def meta_content(text: str, name: str) -> str | None:
    """Return the ``content`` of ``<meta name=NAME>`` (attributes in any order), or None."""
    for attrs in _meta_tags(text):
        if attrs.get("name", "").lower() == name and "content" in attrs:
            return attrs["content"]
    return None


PEER_LINKS_LIMIT = 50


def peer_list_endpoint(response: Response, path: str) -> list[Endpoint]:
    """Homepage -> its peer list at ``path``, optional (an administrator may disable it: 404)."""
    if not is_html(response):
        return []
    return [endpoint(response, path, optional=True)]


def peer_links(
    response: Response,
    peers: Iterable[Any],
    rule: str,
    limit: int,
    link_to_host: Callable[..., Any],
    same_site: Callable[[str, str], bool],
) -> list[Any]:
    """One ``https://<domain>/`` link per valid peer domain, in the order listed, at most ``limit``.

    A peer is a domain string or an object with ``domain`` (Lemmy 0.19); invalid host names, the
    site itself and repeats are skipped. The adapters hand in ``crawler.discovery.links``'s
    ``link_to_host`` and ``same_site``: this module is shared by every JSON adapter, and importing
    the discovery layer here would draw all of them into its import circle.
    """
    scheme = urlsplit(response.url).scheme
    found: list[Any] = []
    seen: set[str] = set()
    for peer in peers:
        name = peer.get("domain") if isinstance(peer, dict) else peer
        link = link_to_host(name, rule, scheme=scheme)
        if link is None or link.url in seen or same_site(link.url, response.url):
            continue
        seen.add(link.url)
        found.append(link)
        if len(found) >= limit:
            break
    return found
