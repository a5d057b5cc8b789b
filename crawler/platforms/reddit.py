"""Reddit subreddits.

Platform
    A subreddit on reddit.com. Recognised in API bodies by ``/r/NAME/about.json`` (``{"kind":
    "t5", "data": {…}}``) and by listings of subreddits (``{"kind": "Listing", "data": {"children":
    [{"kind": "t5", …}]}}`` from ``/api/info?sr_name=…`` or ``/subreddits/…``); on HTML pages by
    ``<shreddit-app`` (new Reddit) or ``redditstatic.com`` assets, only on a reddit.com host (other
    sites embed Reddit widgets).

Endpoints
    None: the crawl asks ``/r/NAME/about.json`` itself. ``subscribers`` -> members,
    ``active_user_count`` (else ``accounts_active``) -> online_now, ``lang`` -> languages,
    ``display_name_prefixed`` (else ``r/`` + ``display_name``) -> name; ``public_description``
    -> description, else the ``title`` (a subreddit's title is often a slogan, not its name).

Caveats
    ``active_user_count`` can be null and always is in listings: then online_now is absent.
    When ``accounts_active_is_fuzzed`` is true the figure is marked approximate. A listing with
    several subreddits is not one community: the extraction describes the **first** child of
    kind ``t5`` (the order Reddit returned), the others are ignored. ``subreddit_type``
    (public/restricted/archived) is about posting, not sign-up, so registrations_open is not set;
    ``created_utc`` is a creation date, not activity. Unauthenticated ``.json`` requests are
    throttled (429/403); moderators and user flair are never read.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from scrapy.http import Response

from crawler.extraction import RANK_API, RANK_HTML, Extraction, ExtractionBuilder
from crawler.platforms.base import Endpoint, dig, is_html, json_object
from crawler.platforms.fediverse import body_has, html_head, put_counts, put_languages, put_text, snippet

NAME = "reddit"
_DISPLAY_NAME_RE = re.compile(r"^[A-Za-z0-9_.]{1,50}$")

_HTML_MARKERS = re.compile(r"<shreddit-app\b|www\.redditstatic\.com/", re.I)


def _subreddit(data: dict) -> tuple[dict, str] | None:
    """The subreddit object of an about.json body, or of the first t5 child of a listing."""
    if data.get("kind") == "t5" and isinstance(data.get("data"), dict):
        return data["data"], "reddit.about_json"
    if data.get("kind") == "Listing":
        for child in dig(data, "data", "children") or []:
            if isinstance(child, dict) and child.get("kind") == "t5" and isinstance(child.get("data"), dict):
                return child["data"], "reddit.listing.first_t5"
    return None


def detect(response: Response) -> bool:
    """A subreddit about.json or a listing of subreddits (or a Reddit HTML page)."""
    if is_html(response):
        host = (urlsplit(response.url).hostname or "").lower()
        on_reddit = host == "reddit.com" or host.endswith(".reddit.com")
        return on_reddit and bool(_HTML_MARKERS.search(html_head(response)))
    if not body_has(response, b'"t5"'):
        return False
    data = json_object(response)
    return data is not None and _subreddit(data) is not None


def extract(response: Response) -> Extraction:
    """Read members, online users, language and title of one subreddit."""
    if is_html(response):
        return ExtractionBuilder(response.url, NAME if detect(response) else None, RANK_HTML).build()
    data = json_object(response)
    found = _subreddit(data) if data is not None else None
    if found is None:
        return ExtractionBuilder(response.url, None, RANK_API).build()
    sub, rule = found
    builder = ExtractionBuilder(response.url, NAME, RANK_API)
    _name(builder, sub, rule)
    put_counts(builder, sub, (("members", ("subscribers",)),), rule)
    fuzzed = sub.get("accounts_active_is_fuzzed") is True
    for key in ("active_user_count", "accounts_active"):
        value = sub.get(key)
        if builder.metric("online_now", value, f"{rule}.{key}", snippet(key, value), approximate=fuzzed):
            break
    if isinstance(sub.get("lang"), str):
        put_languages(builder, sub["lang"], None, rule, "lang")
    return builder.build()


def _name(builder: ExtractionBuilder, sub: dict, rule: str) -> None:
    """``r/<display_name>`` is the community's name; its ``title`` (often a slogan) describes it."""
    if not put_text(builder, "name", sub, "display_name_prefixed", rule):
        display = sub.get("display_name")
        if isinstance(display, str) and _DISPLAY_NAME_RE.match(display.strip()):
            builder.text("name", f"r/{display.strip()}", f"{rule}.display_name", snippet("display_name", display))
    builder.text("description", sub.get("public_description"), f"{rule}.public_description")
    builder.text("description", sub.get("title"), f"{rule}.title", snippet("title", sub.get("title")))


def endpoints(response: Response) -> list[Endpoint]:
    """Nothing further: about.json already holds everything public."""
    return []
