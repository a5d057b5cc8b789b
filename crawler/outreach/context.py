"""One HTML page as the outreach readers see it, each part computed once and shared.

``anchors`` are the page's links outside user content (posts, comments, signatures, quotes), with
their absolute URL and visible text; ``main_text`` is the page's own writing (no navigation,
forms or footer), ``footer_text`` its footer, ``kind`` whether the page itself is an about,
imprint or contact page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from typing import Any
from urllib.parse import urljoin, urlsplit

from crawler.platforms import html as html_helpers
from crawler.platforms.html import Page, string_of, text_of

MAX_ANCHORS = 3_000
MAX_MAIN_TEXT = 8_000
MAX_FOOTER_TEXT = 3_000

# User content: posts, comments, signatures and quotes speak for their authors, not for the site.
USER_CONTENT_TAGS = frozenset({"article", "blockquote"})
USER_CONTENT_CLASS_WORDS = ("post", "comment", "message", "signature")
FOOTER_WORDS = ("footer", "copyright", "impressum", "colophon")
FOOTER_DEPTH = 3
MAX_CHILDREN = 500


def _is_footer(element: Any) -> bool:
    if element.tag in ("footer", "address") or element.get("role") == "contentinfo":
        return True
    marks = f"{element.get('id') or ''} {element.get('class') or ''}".lower()
    return any(word in marks for word in FOOTER_WORDS)


@dataclass(frozen=True)
class Anchor:
    """One link of the page."""

    element: Any
    href: str
    url: str  # absolute, without fragment
    own: bool  # on the page's own host (www. ignored)
    text: str


def _is_user_content(element: Any) -> bool:
    tag = element.tag
    if tag in USER_CONTENT_TAGS:
        return True
    marks = element.get("class")
    return bool(marks) and tag not in ("body", "html") and any(word in marks for word in USER_CONTENT_CLASS_WORDS)


def _is_link(element: Any) -> bool:
    return element.tag == "a" and element.get("href") is not None


def search_at_keywords(pattern: re.Pattern[str], text: str, keywords: tuple[str, ...]) -> re.Match[str] | None:
    """The first match of ``pattern`` starting where one of ``keywords`` (lowercase) occurs in ``text``.

    Long alternations scanned from every position of a page are slow in Python's ``re``; finding
    the keywords with ``str.find`` first and matching only there gives the same answers much faster
    (the pattern must start with one of the keywords, case-insensitively).
    """
    lowered = text.lower()
    starts: set[int] = set()
    for keyword in keywords:
        position = lowered.find(keyword)
        while position >= 0 and len(starts) < 500:
            starts.add(position)
            position = lowered.find(keyword, position + 1)
    for start in sorted(starts):
        match = pattern.match(text, start)
        if match:
            return match
    return None


def is_front_page(url: str) -> bool:
    """A site's (or forum folder's) front page, where the site speaks for itself."""
    from crawler.platforms.generic import is_home_url  # the generic adapter imports this package

    return is_home_url(url)


# Where forum, Q&A and fediverse software put one discussion (a thread, a topic, a post, a status).
_DISCUSSION_URL_RE = re.compile(
    r"viewtopic\.php|showthread\.php|showtopic\.php|showpost\.php|viewthread|/threads?/[^/]+|/topics?/[^/]+"
    r"|/t/[^/]+/\d+|/d/\d+|/posts?/\d+|/comments/\w+|/discussions?/\d+|/questions/\d+|/statuses/\d+"
    r"|/@[^/]+/\d+|[?&;](?:t|topic|showtopic|thread|threadid|p|postid)=\d+|-t\d+\.html|/\d{3,}-[^/]+\.html$",
    re.I,
)
# schema.org types of one piece of user content (a thread's first post, an article, a question).
_DISCUSSION_TYPES = frozenset(
    {"DiscussionForumPosting", "SocialMediaPosting", "Comment", "Question", "QAPage", "Answer", "Article",
     "NewsArticle", "BlogPosting", "Review"}
)  # fmt: skip


def is_discussion_page(pg: Page) -> bool:
    """True for a page showing one discussion (thread, topic, post, article), whose texts are its authors'.

    Read from the URL shapes of the forum, Q&A and fediverse software Tremplin knows, from
    ``og:type=article`` and from a schema.org posting in the page's JSON-LD.
    """
    parts = urlsplit(pg.url)
    if _DISCUSSION_URL_RE.search(parts.path + ("?" + parts.query if parts.query else "")):
        return True
    if (pg.meta("og:type") or "").strip().lower() == "article":
        return True
    for item in pg.jsonld:
        kind = item.get("@type")
        kinds = kind if isinstance(kind, list) else [kind]
        if _DISCUSSION_TYPES & {k for k in kinds if isinstance(k, str)}:
            return True
    return False


def host_of(url: str) -> str:
    """Lowercase host without ``www.``."""
    host = (urlsplit(url).hostname or "").lower()
    return host[4:] if host.startswith("www.") else host


class PageContext:
    """Lazily computed parts of one page, shared by the outreach readers."""

    def __init__(self, pg: Page, kind: str | None, front: bool = True) -> None:
        self.pg = pg
        self.kind = kind
        self.front = front or kind is not None

    @cached_property
    def lowered_text(self) -> str:
        """The page's source text (its first 400,000 characters), lowercased once for word tests."""
        return self.pg.text[:400_000].lower()

    @cached_property
    def prose(self) -> str:
        """Meta description and own writing of a front, about, imprint or contact page; "" elsewhere.

        What a thread or article page says (a post praising a "free app", a meet-up in a signature)
        describes its author, not the community: statements are read where the site speaks.
        """
        if not self.front:
            return ""
        return " \n".join(filter(None, (self.pg.meta("description"), self.main_text)))

    @cached_property
    def _origin(self) -> str:
        parts = urlsplit(self.pg.url)
        return f"{parts.scheme}://{parts.netloc}"

    @cached_property
    def _directory(self) -> str:
        parts = urlsplit(self.pg.url)
        return f"{parts.scheme}://{parts.netloc}{parts.path.rsplit('/', 1)[0]}/"

    def _absolute(self, href: str) -> str:
        # urljoin is slow on thousands of links: the common shapes are joined by hand.
        if href.startswith(("http://", "https://")):
            return href
        if "/." in href or href.startswith(("..", "//")) or ":" in href.split("/", 1)[0]:
            return urljoin(self.pg.url, href)
        if href.startswith("/"):
            return self._origin + href
        if href.startswith("?"):
            return self.pg.url.split("?", 1)[0].split("#", 1)[0] + href
        return self._directory + href.removeprefix("./")

    @cached_property
    def anchors(self) -> list[Anchor]:
        """Links outside user content, in document order, at most :data:`MAX_ANCHORS`."""
        own = host_of(self.pg.url)
        out = []
        # One walk from the top that steps over every post, comment and quote, instead of testing
        # each link's ancestors: a thread page is mostly posts, so most of it is never visited.
        for element in html_helpers.elements_outside(self.pg.root, _is_link, _is_user_content, MAX_ANCHORS):
            href = (element.get("href") or "").strip()
            if not href or href.startswith(("#", "javascript:", "tel:", "data:")):
                continue
            if href[:7].lower() == "mailto:":
                absolute, is_own = href, False
            else:
                absolute = self._absolute(href).split("#")[0]
                # A relative link (no scheme, no //host) stays on the page's host: no URL parsing needed.
                relative = not href.startswith("//") and ":" not in href.split("/", 1)[0]
                is_own = relative or host_of(absolute) == own
            text = element.text if len(element) == 0 else string_of(element)
            text = " ".join((text or "").split())
            if not text:
                text = " ".join((element.get("title") or element.get("aria-label") or "").split())
            out.append(Anchor(element, href, absolute, is_own, text))
        return out

    @cached_property
    def main_text(self) -> str:
        """The page's own writing (no navigation, forms, footer), one line per block, bounded.

        Lines matter: a city at the end of one block ("Quedadas en Madrid") must not run into the
        next one ("Contacto").
        """
        return "\n".join(html_helpers.content_lines(self.pg))[:MAX_MAIN_TEXT]

    @cached_property
    def footer_text(self) -> str:
        """The text of the page's footers (a few levels under ``<body>``, or any ``<footer>``), bounded."""
        bodies = self.pg.xpath("//body")
        found: list[Any] = []
        frontier = bodies[:1]
        # Footers sit near the top of the tree (body > wrapper > footer): a walk three levels deep finds
        # them without testing every element of a huge page.
        for _ in range(FOOTER_DEPTH):
            below = []
            for node in frontier:
                for index, child in enumerate(node.iterchildren()):
                    if index >= MAX_CHILDREN or len(found) >= 10:
                        break
                    if isinstance(child.tag, str):
                        (found if _is_footer(child) else below).append(child)
            frontier = below
        for node in self.pg.xpath("//footer[not(ancestor::article)]")[:5]:
            if node not in found:
                found.append(node)
        parts: list[str] = []
        size = 0
        for node in found[:10]:
            text = text_of(node, limit=MAX_FOOTER_TEXT)
            if text and text not in parts:
                parts.append(text)
                size += len(text)
            if size >= MAX_FOOTER_TEXT:
                break
        return " \n".join(parts)[:MAX_FOOTER_TEXT]
