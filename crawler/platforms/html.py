"""Helpers shared by the HTML adapters (forums and the generic fallback); not an adapter itself.

- :func:`page`: the response parsed once (lxml through parsel), cached for every adapter that reads it;
- :func:`has_marker`: a cheap, case-insensitive byte test for ``detect()``;
- :func:`text_of`, :func:`text_lines`, :func:`text_following`: the visible text of a node, its
  ``<br>``-separated lines, and the text that follows a node in document order; all three can stop
  at the first link so that a newest-member name is never read;
- :func:`dl_pairs`: ``<dt>label</dt><dd>value</dd>`` pairs (XenForo, vBulletin 4);
- :func:`labelled_counts`: every count of a text with the label printed before and after it,
  mapped to a metric by :func:`crawler.normalize.labels.metric_for_label`;
- :func:`newest_date`: the newest of several dates, through :func:`crawler.normalize.dates.to_utc_iso`;
  :func:`newest_local_date` for board-local text dates with :func:`page_clock` ("It is currently …")
  and :func:`utc_offset` ("All times are UTC+05:30");
- :func:`content_lines` / :func:`content_text`: the page's own writing (no navigation, forms, footers),
  walked once per page; :func:`language_sample` puts its prose lines first for language detection.

Pages larger than :data:`MAX_PARSE_CHARS` are parsed as their head plus their tail (statistics
blocks sit in the footer), so a hostile 10 MB page still answers in well under a second. Every
walk over the tree is iterative: 100,000 nested tags cannot overflow the stack.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import Any
from urllib.parse import urljoin, urlsplit

from cssselect import HTMLTranslator
from lxml import etree
from scrapy.http import Response

from crawler.extraction import RANK_HTML, ExtractionBuilder
from crawler.normalize import privacy
from crawler.normalize.dates import to_utc_iso
from crawler.normalize.labels import metric_for_label
from crawler.normalize.numbers import ParsedCount, find_counts
from crawler.normalize.packs import (
    SPLIT_ROLES,
    keys_with_roles,
    number_locale,
    online_sum_roles,
    pack_roles,
    phrase_counts,
)
from crawler.platforms.base import is_html, once_per_response, response_text

MAX_PARSE_CHARS = 2_000_000
HEAD_CHARS = 1_200_000
TAIL_CHARS = 800_000
MAX_MARKER_BYTES = 2_000_000
MAX_JSONLD_CHARS = 200_000

SKIPPED_TAGS = frozenset({"script", "style", "noscript", "template", "svg", "head", "title", "select", "option"})
BLOCK_TAGS = frozenset(
    {
        "p", "div", "li", "ul", "ol", "dl", "dt", "dd", "tr", "td", "th", "table", "tbody", "thead",
        "h1", "h2", "h3", "h4", "h5", "h6", "section", "article", "header", "footer", "nav", "aside",
        "blockquote", "pre", "form", "fieldset", "main", "figure", "figcaption", "hr",
    }
)  # fmt: skip
_SPACE_RE = re.compile(r"\s+")
_LABEL_EDGE_RE = re.compile(r"^[\s:•·|,;/\-–—()\[\]*.]+|[\s:•·|,;/\-–—()\[\]*]+$")
_LABEL_SPLIT_RE = re.compile(r"[•·|;\n]|,\s|\.\s")

_translator = HTMLTranslator()


class Page:
    """One HTML response parsed once: the decoded text, the lxml tree and lazily read head facts."""

    def __init__(self, response: Response) -> None:
        self.url = response.url
        self.text = response_text(response)
        source = self.text
        if len(source) > MAX_PARSE_CHARS:
            source = source[:HEAD_CHARS] + "\n" + source[-TAIL_CHARS:]
        self.root = _parse_html(source)
        self._metas: dict[str, list[str]] | None = None
        self._jsonld: list[dict[str, Any]] | None = None
        self._content_lines: list[str] | None = None

    def xpath(self, query: str, node: Any = None) -> list[Any]:
        """Run an XPath query on the page (or on ``node``); [] on a broken tree."""
        target = self.root if node is None else node
        if target is None:
            return []
        try:
            return _xpath(query)(target)
        except (etree.XPathError, ValueError, TypeError):
            return []

    def css(self, query: str, node: Any = None) -> list[Any]:
        """Run a CSS selector on the page (or on ``node``)."""
        return self.xpath(_css_to_xpath(query), node)

    def first(self, query: str, node: Any = None) -> Any:
        """Return the first match of a CSS selector, or None."""
        found = self.css(query, node)
        return found[0] if found else None

    @property
    def html_lang(self) -> str | None:
        """The ``<html lang>`` (or ``xml:lang``) value as published, or None."""
        root = self.root
        if root is None:
            return None
        html = root if getattr(root, "tag", None) == "html" else None
        if html is None:
            found = self.xpath("//html")
            html = found[0] if found else None
        if html is None:
            return None
        value = html.get("lang") or html.get("{http://www.w3.org/XML/1998/namespace}lang") or html.get("xml:lang")
        value = (value or "").strip()
        return value or None

    @property
    def metas(self) -> dict[str, list[str]]:
        """``<meta>`` contents by lowercased ``name``/``property``/``itemprop``/``http-equiv``."""
        if self._metas is None:
            metas: dict[str, list[str]] = {}
            for meta in self.xpath("//meta[@content]"):
                content = meta.get("content")
                for attr in ("name", "property", "itemprop", "http-equiv"):
                    key = (meta.get(attr) or "").strip().lower()
                    if key and content is not None:
                        metas.setdefault(key, []).append(content)
            self._metas = metas
        return self._metas

    def meta(self, *keys: str) -> str | None:
        """The first non-empty ``<meta>`` content among ``keys`` (tried in order)."""
        for key in keys:
            for value in self.metas.get(key.lower(), ()):
                if value and value.strip():
                    return value
        return None

    @property
    def jsonld(self) -> list[dict[str, Any]]:
        """Every JSON-LD object of the page (``@graph`` members flattened); broken blocks skipped."""
        if self._jsonld is None:
            objects: list[dict[str, Any]] = []
            for script in self.xpath("//script[contains(translate(@type,'JSONLD','jsonld'),'ld+json')]"):
                raw = (script.text or "").strip()
                if not raw or len(raw) > MAX_JSONLD_CHARS:
                    continue
                try:
                    data = json.loads(raw, strict=False)
                except (ValueError, RecursionError):
                    continue
                queue = data if isinstance(data, list) else [data]
                for item in queue[:50]:
                    if isinstance(item, dict):
                        objects.append(item)
                        graph = item.get("@graph")
                        if isinstance(graph, list):
                            objects.extend(g for g in graph[:50] if isinstance(g, dict))
            self._jsonld = objects
        return self._jsonld


def page_language(pg: Page) -> str | None:
    """The declared page language (``<html lang>``, else ``og:locale``) used to read numbers."""
    return pg.html_lang or pg.meta("og:locale", "content-language", "language")


def board(response: Response, platform: str) -> tuple[ExtractionBuilder, Page | None, str | None]:
    """Start a forum adapter's extraction: its builder, and the parsed page with its language (HTML only)."""
    builder = ExtractionBuilder(response.url, platform, RANK_HTML)
    if not is_html(response):
        return builder, None, None
    pg = page(response)
    return builder, pg, page_language(pg)


@once_per_response
def page(response: Response) -> Page:
    """Return the parsed page of ``response`` (parsed on first use, then shared by all adapters)."""
    return Page(response)


@once_per_response
def lower_body(response: Response) -> bytes:
    """The raw body (head and tail of a huge one), lowercased, for marker tests (once per response)."""
    body = response.body or b""
    if len(body) > MAX_MARKER_BYTES:
        # Markers sit in the head, the footer or the statistics blocks near the end.
        body = body[:HEAD_CHARS] + b"\n" + body[-TAIL_CHARS:]
    return body.lower()


def has_marker(response: Response, *markers: bytes) -> bool:
    """True when the body contains any of ``markers`` (lowercase bytes), case-insensitively."""
    body = lower_body(response)
    return any(marker in body for marker in markers)


def cookie_names(response: Response) -> list[str]:
    """The names of the cookies a response sets."""
    names = []
    for value in response.headers.getlist(b"Set-Cookie") or []:
        name = value.split(b"=", 1)[0].strip().decode("latin-1", "replace")
        if name:
            names.append(name)
    return names


def _parse_html(source: str) -> Any:
    """The lxml tree of ``source``, parsed as parsel does (recovering, huge trees allowed).

    A plain ``etree.HTMLParser`` rather than ``lxml.html``'s: the latter asks a Python class lookup
    for every element object the adapters touch, a tenth of the extraction time, for methods we do
    not use (:func:`string_of` replaces ``text_content()``).
    """
    body = source.strip().replace("\x00", "").encode("utf-8") or b"<html/>"
    parser = etree.HTMLParser(recover=True, encoding="utf-8", huge_tree=True)
    try:
        root = etree.fromstring(body, parser=parser)
    except etree.XMLSyntaxError:
        root = None
    if root is None:
        root = etree.fromstring(b"<html/>", parser=parser)
    return root


# An element's whole text content, scripts included (what lxml.html's ``text_content()`` returns).
string_of = etree.XPath("string()", smart_strings=False)


@lru_cache(maxsize=512)
def _xpath(query: str) -> etree.XPath:
    return etree.XPath(descendant_form(query))


# A predicate that may be a number selects by position, which "//x" and "/descendant::x" count
# differently (among siblings, or in the whole document): such queries are left as written. So
# are queries with arithmetic anywhere, whose predicates could be numbers.
_POSITIONAL_RE = re.compile(
    r"position\s*\(|last\s*\(|\$|\[\s*[\d(+\-]|\[\s*\.\d|\[\s*(?:count|number|sum|string-length|floor|ceiling|round)\s*\("
    r"|[\w)\]]\s*[*+]|\s-\s|\s(?:div|mod)\s"
)
_CLASS_TOKEN_RE = re.compile(r"contains\(concat\(' ', normalize-space\(@class\), ' '\), ' (?P<token>[^' ]+) '\)")
# "(union)[position() <= N]": a position counted over the whole node-set, in document order.
_FILTERED_RE = re.compile(r"^\((?P<inner>[^()\[\]]*(?:\[[^\[\]]*\][^()\[\]]*)*)\)(?P<filter>\[[^\[\]]*\])$")
# "//" before a name test or "*" (not an axis, a node type test such as text(), nor an attribute).
_ABBREVIATED_RE = re.compile(r"//(?=(?:\*|[A-Za-z_][\w.\-]*)(?![\w.\-]*\s*(?:\(|::)))")


def descendant_form(query: str) -> str:
    """``query`` with ``//name`` written ``/descendant::name``: the same nodes, in the same order.

    ``//name`` is ``/descendant-or-self::node()/child::name``: libxml2 builds the node-set of every
    node first, then their children, where ``descendant::`` is one walk. Without a positional
    predicate the two select the same elements; string literals are left untouched. A class token
    test gets the plain substring test it implies in front of it.
    """
    filtered = _FILTERED_RE.match(query)
    if filtered:
        return f"({descendant_form(filtered['inner'])}){filtered['filter']}"
    pieces = re.split(r"('[^']*'|\"[^\"]*\")", query)
    if not any(_POSITIONAL_RE.search(piece) for piece in pieces[::2]):
        for index in range(0, len(pieces), 2):
            pieces[index] = _ABBREVIATED_RE.sub("/descendant::", pieces[index])
    return _class_tests("".join(pieces))


def _class_tests(query: str) -> str:
    # A class token test ("' stat-block '" among the normalised class words) allocates two strings
    # per element: the plain substring test, which it implies, first.
    return _CLASS_TOKEN_RE.sub(lambda m: f"(contains(@class, '{m['token']}') and {m[0]})", query)


@lru_cache(maxsize=512)
def _css_to_xpath(query: str) -> str:
    return _translator.css_to_xpath(query)


def _is_element(node: Any) -> bool:
    return isinstance(getattr(node, "tag", None), str)


def _collect(
    nodes: Iterable[Any],
    stop: Callable[[Any], bool] | None,
    limit: int,
    tails: bool = False,
    skipped: frozenset[str] = SKIPPED_TAGS,
) -> tuple[list[str | None], bool]:
    """The text pieces of ``nodes`` in document order (None marks a line break), and whether cut short.

    Skips scripts, styles and comments; stops before the first element for which ``stop`` is true
    (its text is not read) or once ``limit`` characters are read. lxml's ``iterwalk`` walks the tree
    in C and iteratively, so 100,000 nested tags cannot overflow the stack; comment and processing
    instruction events are asked for because their tails are page text.
    """
    pieces: list[str | None] = []
    append = pieces.append
    size = 0
    for node in nodes:
        if not _is_element(node):
            continue
        walker = etree.iterwalk(node, events=("start", "end", "comment", "pi"))
        for event, element in walker:
            if event == "start":
                tag = element.tag
                if stop is not None and element is not node and stop(element):
                    return pieces, True
                if tag in skipped:
                    walker.skip_subtree()
                    text = element.tail if element is not node else None
                else:
                    if tag == "br" or tag in BLOCK_TAGS:
                        append(None)
                        size += 1
                        if size >= limit:
                            return pieces, True
                    text = element.text
            elif event == "end":
                tag = element.tag
                if tag in skipped:
                    continue
                if tag in BLOCK_TAGS:
                    append(None)
                    size += 1
                    if size >= limit:
                        return pieces, True
                text = element.tail if element is not node else None
            else:
                text = element.tail
            if text:
                append(text)
                size += len(text)
                if size >= limit:
                    return pieces, True
        if tails and node.tail:
            append(node.tail)
            size += len(node.tail)
    return pieces, False


def _join(pieces: Iterable[str | None]) -> list[str]:
    lines: list[str] = []
    current: list[str] = []
    for piece in pieces:
        if piece is None:
            if current:
                lines.append(" ".join(current))
                current = []
            continue
        current.append(piece)
    if current:
        lines.append(" ".join(current))
    out = []
    for line in lines:
        # str.split() and the pattern \s+ agree on what whitespace is; split is the faster.
        clean = " ".join(line.split())
        if clean:
            out.append(clean)
    return out


def elements_outside(
    root: Any, keep: Callable[[Any], bool], skip: Callable[[Any], bool], limit: int = 10_000
) -> list[Any]:
    """Elements for which ``keep`` is true, in document order, outside subtrees ``skip`` marks.

    An element that ``skip`` marks is itself still tested; what is under it is not visited at all,
    so a thread page whose posts are skipped costs a fraction of a whole-tree XPath test. At most
    ``limit`` elements are returned.
    """
    found: list[Any] = []
    if root is None:
        return found
    walker = etree.iterwalk(root, events=("start",))
    for _, element in walker:
        if keep(element):
            found.append(element)
            if len(found) >= limit:
                break
        if skip(element):
            walker.skip_subtree()
    return found


def text_lines(node: Any, stop: Callable[[Any], bool] | None = None, limit: int = 20_000) -> list[str]:
    """The visible text of ``node`` split into lines at ``<br>`` and block elements."""
    if node is None:
        return []
    pieces, _ = _collect([node], stop, limit)
    return _join(pieces)


def text_of(node: Any, stop: Callable[[Any], bool] | None = None, limit: int = 20_000) -> str:
    """The visible text of ``node`` as one whitespace-normalised string."""
    return " ".join(text_lines(node, stop, limit))


CHROME_TAGS = SKIPPED_TAGS | {"nav", "header", "footer", "form", "button", "label", "textarea", "menu"}
CONTENT_WALK_CHARS = 8_000


def content_lines(page_: Page) -> list[str]:
    """The page's own writing, one line per block: body text without navigation, forms and footers.

    Read once per page (at most :data:`CONTENT_WALK_CHARS` characters of the tree's text) and
    shared by language detection, homepage member counts and the outreach readers.
    """
    if page_._content_lines is None:
        bodies = page_.xpath("//body")
        node = bodies[0] if bodies else page_.root
        lines: list[str] = []
        if node is not None:
            pieces, _ = _collect([node], None, CONTENT_WALK_CHARS, skipped=CHROME_TAGS)
            lines = _join(pieces)
        page_._content_lines = lines
    return page_._content_lines


PROSE_LINE_CHARS = 40


def language_sample(page_: Page, limit: int = 4_000) -> str:
    """The page's own writing with its sentences first: lines of prose, then menus and labels.

    Language detection reads the start of this text; a list of translations ("Čeština Deutsch …")
    at the top of a page would otherwise be what it reads.
    """
    lines = content_lines(page_)
    prose = [line for line in lines if len(line) >= PROSE_LINE_CHARS]
    rest = [line for line in lines if len(line) < PROSE_LINE_CHARS]
    return " ".join(prose + rest)[:limit]


def content_text(page_: Page, limit: int = 4_000) -> str:
    """The page's own writing as one string of at most ``limit`` (<= 8,000) characters."""
    return " ".join(content_lines(page_))[:limit]


def text_following(node: Any, stop: Callable[[Any], bool] | None = None, limit: int = 2_000) -> str:
    """The visible text after ``node`` in document order, up to ``stop`` or ``limit`` characters."""
    if not _is_element(node):
        return ""
    pieces: list[str | None] = []
    current = node
    budget = limit
    while current is not None and budget > 0:
        if current.tail:
            pieces.append(current.tail)
            budget -= len(current.tail)
        chunk, stopped = _collect(current.itersiblings(), stop, budget, tails=True)
        pieces.extend(chunk)
        if stopped:
            break
        budget -= sum(len(p) if p else 1 for p in chunk)
        current = current.getparent()
    return " ".join(_join(pieces))[:limit]


def is_link(element: Any) -> bool:
    """Stop predicate: any ``<a>`` element (member names are links in every forum stats block)."""
    return element.tag == "a"


def scrub(text: str | None) -> str:
    """A snippet without e-mail addresses or profile links (:mod:`crawler.normalize.privacy`), one line."""
    return _SPACE_RE.sub(" ", privacy.scrub(text) or "").strip()


def dl_pairs(page_: Page, node: Any) -> list[tuple[str, Any]]:
    """``(dt text, dd element)`` pairs of a ``<dl>`` (or of every ``<dl>`` under ``node``), in order."""
    pairs: list[tuple[str, Any]] = []
    lists = [node] if getattr(node, "tag", None) == "dl" else page_.xpath(".//dl", node)
    for dl in lists:
        label = None
        for child in dl:
            tag = child.tag if isinstance(child.tag, str) else None
            if tag == "dt":
                label = text_of(child)
            elif tag == "dd" and label is not None:
                pairs.append((label, child))
                label = None
    return pairs


@dataclass(frozen=True)
class LabelledCount:
    """One count of a text, the label printed before it, the words after it, and their metric."""

    count: ParsedCount
    label: str
    after: str
    metric: str | None
    start: int
    end: int


def clean_label(text: str) -> str:
    """Trim a label to the words right next to its number: ``"• Total posts"`` -> ``"Total posts"``."""
    parts = _LABEL_SPLIT_RE.split(text)
    label = parts[-1] if parts else text
    label = _LABEL_EDGE_RE.sub("", _SPACE_RE.sub(" ", label)).strip()
    return label[-60:]


def labelled_counts(
    text: str,
    locale: str | None = None,
    keep: Callable[[ParsedCount], bool] | None = None,
    engine: str | None = None,
) -> list[LabelledCount]:
    """Every count of ``text`` with its label (``"Members: 77,767"``, ``"Total posts 43722"``).

    The metric comes from the label before the number, else from the one or two words after it
    (``"145,397 posts"``), through the shared multilingual label table. ``keep`` selects the
    counts worth labelling (the others still bound their neighbours' labels). With ``engine`` the
    numbers are read in that engine's number format (:func:`crawler.normalize.packs.number_locale`).
    """
    if not text:
        return []
    counts = find_counts(text, number_locale(engine, locale) if engine else locale)
    located: list[tuple[ParsedCount, int, int]] = []
    position = 0
    for count in counts:
        start = text.find(count.raw, position)
        if start < 0:
            continue
        located.append((count, start, start + len(count.raw)))
        position = start + len(count.raw)
    out = []
    for index, (count, start, end) in enumerate(located):
        if keep is not None and not keep(count):
            continue
        previous_end = located[index - 1][2] if index else 0
        next_start = located[index + 1][1] if index + 1 < len(located) else len(text)
        label = clean_label(text[previous_end:start])
        after_words = _SPACE_RE.sub(" ", _LABEL_SPLIT_RE.split(text[end:next_start])[0]).strip()
        after = _LABEL_EDGE_RE.sub("", " ".join(after_words.split(" ")[:2]))
        metric = metric_for_label(label, locale) if label else None
        if metric is None and after:
            metric = metric_for_label(after, locale) or metric_for_label(after.split(" ")[0], locale)
        out.append(LabelledCount(count, label, after, metric, start, end))
    return out


ONLINE_ROLES = frozenset({"online_now"}) | SPLIT_ROLES


@dataclass(frozen=True)
class OnlineCount:
    """The people online in a who-is-online line: the total and its member/guest split."""

    total: int
    members: int | None
    guests: int | None
    hidden: int | None
    snippet: str
    summed: bool


def online_count(engine: str, text: str, locale: str | None = None, labels: bool = True) -> OnlineCount | None:
    """Read a who-is-online line through ``engine``'s pack phrases, in any of its languages.

    "Сейчас посетителей на конференции: 17, из них зарегистрированных: 3, скрытых: 0 и гостей: 14"
    gives 17 with 3 members and 14 guests; a line that prints only the split ("3 registered and
    14 guests") gives their sum (``summed``). The record ("Most users ever online") is no phrase
    of the packs' online roles and is never read. Pack phrases first, then the pack labels next to
    each number (a board that rewords one phrase still prints the pack's words), unless ``labels``
    is False (a text not known to be the online block must match a whole phrase).
    """
    found: dict[str, tuple[int, str]] = {}
    for item in phrase_counts(engine, text, locale, keys_with_roles(engine, ONLINE_ROLES)):
        if item.role in ONLINE_ROLES and item.role not in found:
            found[item.role] = (item.count.value, item.snippet)
    if not found and labels:
        found = _online_by_labels(engine, text, locale)
    if found and "online_now" not in found:
        found.update(_total_before_split(text, number_locale(engine, locale), found))
    parts = {role: found[role][0] for role in SPLIT_ROLES if role in found}
    if "online_now" in found:
        total, summed = found["online_now"][0], False
    elif "online_members" in parts and "online_guests" in parts:
        total, summed = sum(value for role, value in parts.items() if role in online_sum_roles(engine)), True
    else:
        return None
    pieces = sorted(dict.fromkeys(value[1] for value in found.values()), key=lambda piece: text.find(piece))
    snippet = "; ".join(pieces)
    return OnlineCount(
        total, parts.get("online_members"), parts.get("online_guests"), parts.get("online_hidden"), snippet, summed
    )


def _total_before_split(text: str, locale: str | None, found: dict[str, tuple[int, str]]) -> dict[str, tuple[int, str]]:
    """The line's first number when it comes before every part of the split: the total.

    A board that rewords the total's phrase ("Сейчас посетителей на форуме: 63, из них
    зарегистрированных: 4, гостей: 58") still prints the pack's split; the number before it, no
    smaller than the parts, is the total (a hidden member may be in it and in no part).
    """
    firsts = [text.find(snippet) for _, snippet in found.values() if snippet and text.find(snippet) >= 0]
    if not firsts:
        return {}
    head = text[: min(firsts)]
    counts = [c for c in find_counts(head, locale) if not c.approximate]
    parts = [value for value, _ in found.values()]
    if counts and counts[0].value >= sum(parts):
        return {"online_now": (counts[0].value, " ".join(head.split())[-80:])}
    return {}


def _online_by_labels(engine: str, text: str, locale: str | None) -> dict[str, tuple[int, str]]:
    """The online roles of a reworded line, from the pack words next to each number.

    "45 пользователей активны за последние 15 минут (5 пользователей, из них 1 скрытых, и 40
    гостей)": a split in parentheses after the first number makes that number the total (a
    "users"/"members" word before the parenthesis is no member count, and the minutes are no count).
    """
    found: dict[str, tuple[int, str]] = {}
    items = [item for item in labelled_counts(text, locale, engine=engine) if not item.count.approximate]
    opening = text.find("(")
    inside = [item for item in items if opening >= 0 and item.start > opening]
    if opening >= 0 and len(inside) >= 2 and items and items[0].end <= opening:
        head = items[0]
        found["online_now"] = (head.count.value, text[:opening].strip())
        items = inside
    for item in items:
        # In the online block a word that is also a statistics label ("Usuarios": members and
        # members online in SMF's Spanish pack) is read in its online role.
        role = _online_role(item.label, locale, engine)
        if role is None and item.after:
            first = item.after.split(" ")[0]
            role = _online_role(item.after, locale, engine) or _online_role(first, locale, engine)
        if role in ONLINE_ROLES and role not in found:
            found[role] = (item.count.value, f"{item.label} {item.count.raw} {item.after}".strip())
    return found


def _online_role(label: str, locale: str | None, engine: str) -> str | None:
    roles = pack_roles(label, locale, engine) & ONLINE_ROLES if label else frozenset()
    return next(iter(roles)) if len(roles) == 1 else None


def put_online(
    builder: ExtractionBuilder, engine: str, text: str, locale: str | None, rule: str, labels: bool = True
) -> bool:
    """Record ``online_now`` from a who-is-online line; the member/guest split goes into the evidence."""
    online = online_count(engine, text, locale, labels)
    if online is None:
        return False
    split = []
    if online.members is not None:
        split.append(f"members {online.members}")
    if online.guests is not None:
        split.append(f"guests {online.guests}")
    if online.hidden is not None:
        split.append(f"hidden {online.hidden}")
    snippet = scrub(online.snippet) + (f" [{', '.join(split)}]" if split else "")
    return builder.metric("online_now", online.total, rule + (".sum_of_split" if online.summed else ""), snippet)


def newest_date(
    values: Iterable[Any], *, base: Any = None, languages: list[str] | None = None, limit: int = 2_000
) -> tuple[str, str] | None:
    """The newest date among ``values`` as ``(utc_iso, source text)``; None when none parses."""
    best: tuple[str, str] | None = None
    for index, value in enumerate(values):
        if index >= limit:
            break
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        try:
            iso = to_utc_iso(value, base=base, languages=languages)
        except (ValueError, TypeError, OverflowError):
            iso = None
        if iso and (best is None or iso > best[0]):
            best = (iso, str(value).strip())
    return best


def primary(tag: str | None) -> str | None:
    """``"de-DE"`` -> ``"de"``: the language subtag of a tag, lowercased."""
    if not tag:
        return None
    head = re.split(r"[-_]", tag.strip(), maxsplit=1)[0].lower()
    return head if head.isalpha() and 2 <= len(head) <= 3 else None


def is_site_root(url: str, base: str) -> bool:
    """True when ``url`` (relative to ``base``) is the homepage of ``base``'s site."""
    absolute = urljoin(base, url or "")
    parts = urlsplit(absolute)
    if parts.netloc and parts.netloc.lower() != urlsplit(base).netloc.lower():
        return False
    path = parts.path.rstrip("/").lower()
    return path in ("", "/index.php", "/forum.php", "/index.html", "/forum", "/forums", "/board")


_OFFSET_RE = re.compile(r"\b(?:UTC|GMT)\s*([+\-\u2212\u2013])\s*(\d{1,2})(?:[:.h]?(\d{2}))?", re.I)


def utc_offset(text: str | None) -> timedelta | None:
    """The zone a board prints its times in, from ``"All times are UTC+05:30"`` style text."""
    match = _OFFSET_RE.search(text or "")
    if not match:
        if text and re.search(r"\b(?:UTC|GMT)\b(?!\s*[+\-\u2212\u2013]\s*\d)", text):
            return timedelta(0)
        return None
    hours, minutes = int(match.group(2)), int(match.group(3) or 0)
    if hours > 14 or minutes >= 60:
        return None
    sign = -1 if match.group(1) != "+" else 1
    return sign * timedelta(hours=hours, minutes=minutes)


def page_clock(text: str | None, languages: list[str] | None = None) -> datetime | None:
    """The board's own "now" (``"It is currently 20 Mar 2018, 09:29"``) as a naive local datetime."""
    text = " ".join((text or "").split())[:120]
    words = text.split(" ")
    first = next((i for i, word in enumerate(words) if any(ch.isdigit() for ch in word)), None)
    if first is None:
        return None
    # From the first word with a digit, then with the word before it (a weekday: "Di 20. Mär 2018").
    for start in (first, first - 1):
        if start < 0:
            continue
        iso = to_utc_iso(" ".join(words[start:]), languages=languages)
        if iso:
            return datetime.fromisoformat(iso).replace(tzinfo=None)
    return None


def newest_local_date(
    values: list[str | tuple[str, ...]],
    *,
    base: datetime | None = None,
    offset: timedelta | None = None,
    languages: list[str] | None = None,
) -> tuple[str, str] | None:
    """The newest of board-local text dates as ``(utc_iso, text)``, shifted by the board's UTC offset.

    A value may be a tuple of alternative readings ("on Today at 01:43 PM", "Today at 01:43 PM"):
    the first that parses counts. None as soon as one value does not parse ("Today, 09:24"
    without a page clock): the newest date could be the one that failed, and no value is better
    than a wrong one.
    """
    best: tuple[datetime, str] | None = None
    parsed: dict[tuple[str, ...], tuple[str | None, str]] = {}
    for value in values[:200]:
        alternatives = value if isinstance(value, tuple) else (value,)
        if alternatives not in parsed:
            iso, text = None, ""
            for text in alternatives:
                iso = to_utc_iso(text, base=base, languages=languages)
                if iso:
                    break
            parsed[alternatives] = (iso, text)
        iso, text = parsed[alternatives]
        if not iso:
            return None
        moment = datetime.fromisoformat(iso)
        if offset:
            moment -= offset
        if best is None or moment > best[0]:
            best = (moment, text)
    if best is None:
        return None
    return best[0].astimezone(UTC).isoformat(), best[1]


def date_readings(line: str) -> tuple[str, ...]:
    """A text date line and the same line without its leading word ("on Today at 01:43 PM")."""
    words = " ".join(line.split()).split(" ")
    return tuple(
        " ".join(words[i:]) for i in range(min(3, len(words))) if any(c.isdigit() for c in " ".join(words[i:]))
    )
