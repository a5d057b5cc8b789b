"""Drupal sites (the CMS of The Mixxer and Miriadi, and of many exchange clubs).

Platform
    Drupal, recognised by its ``Generator`` meta ("Drupal 7 (http://drupal.org)", "Drupal 10
    (https://www.drupal.org)"), its ``X-Generator`` header, or its settings script
    (``jQuery.extend(Drupal.settings`` in Drupal 7, ``data-drupal-selector`` /
    ``drupal-settings-json`` from Drupal 8 on). platform_version: the major version of the
    generator ("7", "10").

    Drupal core publishes no member total. What it does print, read by structure so any
    translation reads the same: the "Who's online" block of the user module (``#block-user-online``
    in Drupal 7, ``.block-user-online-block`` / ``#block-*-whosonline`` from Drupal 8 on), whose
    first sentence holds one count, ``online_now`` ("There are currently 12 users online.",
    "Il y a actuellement 12 utilisateurs en ligne."). The list of names below it is never read.
    ``members``: a count the site writes in its content region ("plus de 2 500 membres"), with the
    shared label table; a number in the site's prose, so the trust analysis flags it
    ``self_reported``.

Endpoints
    None: Drupal has no public statistics endpoint.

Caveats
    The online count includes only signed-in members active in the last 15 minutes (the block's
    default), and a cached page may show an older count. Sites with the block disabled give
    nothing but the page signals.
"""

from __future__ import annotations

import re

from scrapy.http import Response

from crawler.extraction import Extraction, ExtractionBuilder
from crawler.normalize.numbers import parse_count
from crawler.platforms.base import Endpoint, is_html
from crawler.platforms.html import Page, board, has_marker, labelled_counts, primary, scrub, text_of

NAME = "drupal"

_MARKERS = (b"jquery.extend(drupal.settings", b"data-drupal-selector", b"drupal-settings-json")
_GENERATOR_RE = re.compile(r"^\s*Drupal\s+(\d+)(?:\.\d+)*\b", re.I)
_ONLINE_BLOCKS = (
    "//*[@id='block-user-online']"
    " | //*[contains(concat(' ', normalize-space(@class), ' '), ' block-user-online-block ')]"
    " | //*[contains(@id, 'whosonline')][contains(@class, 'block')]"
)


def detect(response: Response) -> bool:
    """Drupal's Generator meta or header, or its settings script."""
    if not is_html(response):
        return False
    header = response.headers.get(b"X-Generator", b"").decode("latin-1")
    if _GENERATOR_RE.match(header):
        return True
    if has_marker(response, b'content="drupal ') and has_marker(response, b'name="generator"'):
        return True
    return has_marker(response, *_MARKERS)


def endpoints(response: Response) -> list[Endpoint]:
    """None: Drupal has no public statistics endpoint."""
    return []


def extract(response: Response) -> Extraction:
    """Major version and the "Who's online" count."""
    builder, pg, locale = board(response, NAME)
    if pg is None:
        return builder.build()
    _version(builder, pg, response)
    _online(builder, pg, locale)
    _stated_members(builder, pg, locale)
    return builder.build()


def _version(builder: ExtractionBuilder, pg: Page, response: Response) -> None:
    candidates = [("drupal.generator_meta", pg.meta("generator"))]
    candidates.append(("drupal.generator_header", response.headers.get(b"X-Generator", b"").decode("latin-1")))
    for rule, value in candidates:
        match = _GENERATOR_RE.match(value or "")
        if match:
            builder.version(match.group(1), rule, value.strip())
            return


# The page's own content: Drupal 7's content region, the <main> of later themes; never the sidebars,
# whose "Who's online" sentence ("12 utilisateurs en ligne") would read as a member count.
_CONTENT = "//*[contains(concat(' ', normalize-space(@class), ' '), ' region-content ')] | //main"


def _stated_members(builder: ExtractionBuilder, pg: Page, locale: str | None) -> None:
    """A member count the site writes in its content ("plus de 2 500 membres"), rule ``drupal.prose``."""
    for region in pg.xpath(_CONTENT)[:2]:
        text = text_of(region, limit=8_000)
        for item in labelled_counts(text, primary(locale) or locale):
            if item.metric == "members":
                words = " ".join(text[max(0, item.start - 40) : item.start].split(" ")[-4:])
                snippet = scrub(f"{words} {item.count.raw} {item.after}".strip())
                builder.metric("members", item.count.value, "drupal.prose", snippet, item.count.approximate)
                return


def _online(builder: ExtractionBuilder, pg: Page, locale: str | None) -> None:
    for block in pg.xpath(_ONLINE_BLOCKS)[:3]:
        # The block's first paragraph is the count sentence; the names follow in a list.
        for paragraph in block.iter("p"):
            sentence = text_of(paragraph, limit=200)
            parsed = parse_count(sentence, locale)
            if parsed is not None and not parsed.approximate:
                builder.metric("online_now", parsed.value, "drupal.whos_online", sentence)
                return
            break
