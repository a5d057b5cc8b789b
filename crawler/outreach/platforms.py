"""Outreach values that platform APIs publish, read by the adapters with one call each.

- Mastodon (``/api/v2/instance``, ``/api/v1/instance``): registration mode from ``registrations``
  (``enabled`` / ``approval_required``; v1: ``registrations``, ``approval_required``,
  ``invites_enabled``: closed sign-up with invites on is ``invite``), the about page
  (``configuration.urls.about``), ``languages`` as practised languages. ``contact`` and ``email``
  name the admin and are never read: from platform APIs only organisation fields are taken;
- Lemmy (``/api/v3/site``): ``registration_mode`` (``Open``, ``RequireApplication``, ``Closed``),
  ``discussion_languages`` as practised languages;
- NodeInfo: ``openRegistrations`` (ranked just below the platforms' own APIs: it cannot tell
  approval from open) or Misskey's ``metadata.disableRegistration``; the operator from
  ``metadata.organization`` / ``metadata.maintainer`` **only** when its name is an organisation
  (``"Firefish dev team"``), never a person or an e-mail address; federation protocols;
- Discourse: ``invite_only``, ``must_approve_users``, ``allow_new_registrations`` of the site
  settings preloaded in the homepage;
- MediaWiki: the homepage's interlanguage links (``hreflang`` on ``interlanguage-link-target``)
  as language editions, i.e. practised languages.
"""

from __future__ import annotations

import html
import re
from typing import Any
from urllib.parse import urljoin, urlsplit

from crawler.extraction import RANK_API, ExtractionBuilder
from crawler.outreach.languages import language_tag, tags_in_order
from crawler.outreach.operator import operator_type, organisation_name
from crawler.outreach.values import put, put_list

FEDERATION_PROTOCOLS = frozenset({"activitypub", "diaspora", "ostatus", "zot", "dfrn", "xmpp", "matrix", "nomad"})
LEMMY_MODES = {"open": "open", "requireapplication": "approval", "closed": "closed"}


def _snippet(key: str, value: Any) -> str:
    return f'"{key}": {str(value)[:80]}'


def _languages(values: Any) -> list[str]:
    items = values if isinstance(values, list) else []
    return tags_in_order([language_tag(v, allow_code=True) for v in items[:200] if isinstance(v, str)])


def mastodon_instance(builder: ExtractionBuilder, data: dict, kind: str) -> None:
    """Registration mode, about page, role contact address and languages of a Mastodon instance body."""
    rule = f"mastodon.instance_{kind}"
    mode = None
    if kind == "v2" and isinstance(data.get("registrations"), dict):
        reg = data["registrations"]
        if isinstance(reg.get("enabled"), bool):
            mode = ("approval" if reg.get("approval_required") is True else "open") if reg["enabled"] else "closed"
            put(builder, "registration_mode", mode, f"{rule}.registrations", _snippet("registrations", {
                k: reg.get(k) for k in ("enabled", "approval_required")}))  # fmt: skip
    elif isinstance(data.get("registrations"), bool):
        if data["registrations"]:
            mode = "approval" if data.get("approval_required") is True else "open"
        else:
            mode = "invite" if data.get("invites_enabled") is True else "closed"
        values = {k: data.get(k) for k in ("registrations", "approval_required", "invites_enabled") if k in data}
        put(builder, "registration_mode", mode, f"{rule}.registrations", _snippet("registrations", values))
    about = ((data.get("configuration") or {}).get("urls") or {}).get("about") if kind == "v2" else None
    if isinstance(about, str) and urlsplit(about).scheme in ("http", "https"):
        put(builder, "about_url", about, f"{rule}.configuration.urls.about", _snippet("about", about))
    tags = _languages(data.get("languages"))
    if tags:
        put_list(builder, "practised_languages", tags, f"{rule}.languages", _snippet("languages", tags))


def lemmy_site(builder: ExtractionBuilder, mode: Any, languages: list[str]) -> None:
    """Registration mode and discussion languages of a Lemmy site body."""
    if isinstance(mode, str) and mode.strip().lower() in LEMMY_MODES:
        put(
            builder,
            "registration_mode",
            LEMMY_MODES[mode.strip().lower()],
            "lemmy.site.local_site.registration_mode",
            _snippet("registration_mode", mode),
        )
    tags = _languages(languages)
    if tags:
        snippet = _snippet("discussion_languages", tags)
        put_list(builder, "practised_languages", tags, "lemmy.site.discussion_languages", snippet)


def _organisation(value: Any) -> str | None:
    if isinstance(value, dict):
        value = value.get("name")
    name = organisation_name(value)
    return name if name and operator_type(name) else None


def nodeinfo_document(builder: ExtractionBuilder, data: dict, metadata: dict, rule: str = "nodeinfo") -> None:
    """Registration mode, organisation operator and federation of a NodeInfo document."""
    open_flag = data.get("openRegistrations")
    if isinstance(metadata.get("disableRegistration"), bool) and metadata["disableRegistration"]:
        put(builder, "registration_mode", "closed", f"{rule}.metadata.disableRegistration",
            _snippet("disableRegistration", True), rank=RANK_API - 1)  # fmt: skip
    elif isinstance(open_flag, bool):
        put(builder, "registration_mode", "open" if open_flag else "closed", f"{rule}.openRegistrations",
            _snippet("openRegistrations", open_flag), rank=RANK_API - 1)  # fmt: skip
    for key in ("organization", "organisation", "maintainer"):
        name = _organisation(metadata.get(key))
        if name and put(builder, "operator_name", name, f"{rule}.metadata.{key}", f'"{key}": {{"name": "{name}"}}'):
            put(builder, "operator_type", operator_type(name), "outreach.operator_type.from_name", name)
            break
    protocols = data.get("protocols")
    if isinstance(protocols, dict):  # NodeInfo 1.x: {"inbound": [...], "outbound": [...]}
        protocols = [p for values in protocols.values() if isinstance(values, list) for p in values]
    names = sorted({p.lower() for p in protocols if isinstance(p, str)} & FEDERATION_PROTOCOLS) if protocols else []
    if names and isinstance(protocols, list):
        put(builder, "federation", "federated", f"{rule}.protocols", _snippet("protocols", names))


_DISCOURSE_SETTING_RE = re.compile(r'(invite_only|must_approve_users|allow_new_registrations)\\*"\s*:\s*(true|false)')


def discourse_homepage(builder: ExtractionBuilder, text: str) -> None:
    """Registration mode from the site settings a Discourse homepage preloads."""
    if "allow_new_registrations" not in text and "invite_only" not in text and "must_approve_users" not in text:
        return
    settings = {}
    for source in (text, html.unescape(text)) if "&quot;" in text else (text,):
        for key, value in _DISCOURSE_SETTING_RE.findall(source):
            settings.setdefault(key, value == "true")
    if not settings:
        return
    if settings.get("allow_new_registrations") is False:
        mode = "closed"
    elif settings.get("invite_only"):
        mode = "invite"
    elif settings.get("must_approve_users"):
        mode = "approval"
    else:
        mode = "open"
    snippet = ", ".join(f'"{k}": {str(v).lower()}' for k, v in sorted(settings.items()))
    put(builder, "registration_mode", mode, "discourse.site_settings", snippet)


_INTERLANGUAGE_RE = re.compile(r"<a\b[^>]*\binterlanguage-link-target\b[^>]*>", re.I)
_ATTR_RE = re.compile(r"""\b(hreflang|href)\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.I)


def mediawiki_language_editions(builder: ExtractionBuilder, text: str) -> None:
    """The wiki's language editions (interlanguage links of its homepage) as practised languages."""
    if "interlanguage-link-target" not in text:
        return
    own = (urlsplit(builder.extraction.url).hostname or "").lower()
    values: list[str | None] = []
    own_language = builder.extraction.languages[:1]
    for match in _INTERLANGUAGE_RE.finditer(text):
        attrs = {
            m.group(1).lower(): m.group(2) if m.group(2) is not None else m.group(3)
            for m in _ATTR_RE.finditer(match.group(0))
        }
        href, lang = attrs.get("href"), attrs.get("hreflang")
        if not href or not lang or (urlsplit(urljoin(builder.extraction.url, href)).hostname or "").lower() == own:
            continue
        values.append(language_tag(lang, allow_code=True))
    tags = tags_in_order(own_language + values)
    if len(tags) >= 2:
        put_list(builder, "practised_languages", tags, "mediawiki.language_editions",
                 f"{len(tags) - len(own_language)} interlanguage links: {', '.join(tags[:12])}")  # fmt: skip
