"""Stack Exchange sites (Stack Overflow, Super User, *.stackexchange.com, ...).

Platform
    A site of the Stack Exchange network. Recognised in API bodies by the ``/2.x/info?site=…``
    wrapper (``{"items": [{"total_users": …, "total_questions": …}], "quota_max": …}``); on HTML
    pages by the ``StackExchange.init(``/``StackExchange.ready(`` scripts (``cdn.sstatic.net``
    images alone are not enough: other sites hotlink them).

Endpoints
    None: the crawl asks ``https://api.stackexchange.com/2.3/info?site=NAME`` itself.
    ``items[0]``: ``total_users`` -> members, ``total_questions`` -> topics, ``total_questions +
    total_answers`` -> posts (every question and answer is a post, like a forum's first post and
    replies), ``total_comments`` -> comments. With a filter that includes ``site``,
    ``items[0].site.name`` gives the name.

Caveats
    ``new_active_users`` (recent sign-ups that were active), the per-minute rates, votes, badges,
    ``total_accepted``/``total_unanswered`` are not metrics. The API is throttled per IP
    (``quota_remaining``, ``backoff``); an ``error_id`` body has no ``items`` and gives nothing.
    Language is not in the wrapper (ru.stackoverflow.com, es.stackoverflow.com, ... are separate
    sites): the homepage ``lang`` read by the generic extractor covers it.
"""

from __future__ import annotations

import re

from scrapy.http import Response

from crawler.extraction import RANK_API, RANK_HTML, Extraction, ExtractionBuilder, coerce_count
from crawler.platforms.base import Endpoint, dig, is_html, json_object
from crawler.platforms.fediverse import body_has, html_head, put_counts, put_text, snippet

NAME = "stackexchange"

INFO = (
    ("members", ("total_users",)),
    ("topics", ("total_questions",)),
    ("comments", ("total_comments",)),
)

_HTML_MARKERS = re.compile(r"StackExchange\.(?:init|ready)\(")


def _info(data: dict) -> dict | None:
    item = dig(data, "items", 0)
    if isinstance(item, dict) and "total_users" in item and "total_questions" in item:
        return item
    return None


def detect(response: Response) -> bool:
    """A Stack Exchange /info API answer or a Stack Exchange HTML page."""
    if is_html(response):
        return bool(_HTML_MARKERS.search(html_head(response)))
    if not body_has(response, b'"total_users"', b'"total_questions"'):
        return False
    data = json_object(response)
    return data is not None and _info(data) is not None


def extract(response: Response) -> Extraction:
    """Read the site totals of an /info answer; an HTML page only yields the platform."""
    if is_html(response):
        return ExtractionBuilder(response.url, NAME if detect(response) else None, RANK_HTML).build()
    data = json_object(response)
    info = _info(data) if data is not None else None
    if info is None:
        return ExtractionBuilder(response.url, None, RANK_API).build()
    builder = ExtractionBuilder(response.url, NAME, RANK_API)
    put_counts(builder, info, INFO, "stackexchange.info")
    questions, answers = coerce_count(info.get("total_questions")), coerce_count(info.get("total_answers"))
    if questions is not None and answers is not None:
        text = f"{snippet('total_questions', questions)}, {snippet('total_answers', answers)}"
        builder.metric("posts", questions + answers, "stackexchange.info.total_questions+total_answers", text)
    put_text(builder, "name", info.get("site"), "name", "stackexchange.info.site")
    return builder.build()


def endpoints(response: Response) -> list[Endpoint]:
    """Nothing further."""
    return []
