"""Is a discovered candidate site a community? The decision and a reason a researcher can read.

Evidence, strongest first:

0. a member count of 0 or 1 rejects the site (``"one member or none: a personal site"``): a
   single-user Mastodon server or a one-account wiki is a person, and its statistics are that
   person's activity, personal data rather than a community's aggregate;
1. ``platform:<name>``: a platform adapter recognised the software (Discourse, phpBB, MediaWiki,
   Mastodon, ...): community software is a community. Blog software that NodeInfo may name
   (WordPress, Ghost, WriteFreely, ...) is not enough on its own;
2. ``members``: a member count of 2 or more was read (platform API, page text);
3. ``structure:forum``, ``structure:wiki``, ``structure:chat``, ``structure:community``: the page
   links to the site's own forum or board (``viewforum.php``, ``/forum``, ``/forums``, ``/board``,
   ``forum.`` sub-domain), its wiki (``/wiki/``, ``wiki.`` sub-domain), a chat room (Discord,
   Matrix, Telegram, WhatsApp, Slack, IRC invites), or its community pages (``/community``,
   ``/communaute``, ...) or says "join our community" in one of the languages of the use case.

Forum and wiki links must stay on the candidate's own registrable domain: a blog linking to
someone else's forum is not a forum. Otherwise the candidate is rejected with
``"no platform, member count or community structure"``.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit

from scrapy.http import Response

from crawler.discovery.urls import domain_id
from crawler.extraction import Extraction
from crawler.platforms.base import is_html
from crawler.platforms.html import SKIPPED_TAGS, page

NO_SIGNAL = "no platform, member count or community structure"
SINGLE_MEMBER = "one member or none: a personal site"
# Fediverse software that publishes one author's writing (NodeInfo names them): a blog is not a
# community by its software alone; it still is with a member count or a forum, wiki or chat.
BLOG_PLATFORMS = frozenset({"wordpress", "ghost", "writefreely", "plume", "micro.blog"})
# Links and text examined per page: a community's navigation sits in the first few hundred links.
MAX_ANCHORS = 5_000
MAX_TEXT_CHARS = 200_000

# Same-site addresses of forum software and forum sections (phpBB, vBulletin, SMF, MyBB, XenForo,
# Discourse, Flarum), in the languages of the use case.
_FORUM_PATH_RE = re.compile(
    r"(?:viewforum|viewtopic|forumdisplay|showthread|showtopic)\.php"
    r"|[?&;]board=\d|[?&;]topic=\d"
    r"|/(?:forums?|foros?|fórum|foren|forum\.php|board|boards|discussions?|threads?|форум)(?:/|$|\?|\.)"
)
_WIKI_PATH_RE = re.compile(r"/wiki(?:/|$)|[?&]title=[^&]")
_COMMUNITY_PATH_RE = re.compile(
    r"/(?:community|communities|communaute|communauté|comunidad|comunidade|comunita|comunità|gemeinschaft"
    r"|społeczność|сообщество)(?:/|$|\?|\.)"
)
_FORUM_HOST_PREFIXES = ("forum.", "forums.", "board.", "boards.", "discuss.", "discourse.", "foro.")
_WIKI_HOST_PREFIXES = ("wiki.",)

# Chat rooms anyone can join: invites on another host.
_CHAT_URL_RE = re.compile(
    r"^(?:https?://(?:www\.)?(?:discord\.gg/\w|discord(?:app)?\.com/invite/\w|matrix\.to/#/[#!+@]"
    r"|t\.me/\S|telegram\.me/\S|chat\.whatsapp\.com/\w|join\.slack\.com/|[\w-]+\.slack\.com/|gitter\.im/\w"
    r"|app\.element\.io/#/room/|chat\.zulip\.org|[\w-]+\.zulipchat\.com)"
    r"|ircs?://|xmpp:[^?]+\?join)",
    re.I,
)

# "Join our community" and its translations (compared casefolded).
JOIN_PHRASES: tuple[str, ...] = (
    "join our community", "join the community", "join our forum", "join our forums",
    "rejoignez notre communauté", "rejoignez la communauté", "rejoindre la communauté", "rejoindre notre communauté",
    "únete a nuestra comunidad", "únete a la comunidad", "unete a nuestra comunidad",
    "junte-se à nossa comunidade", "faça parte da nossa comunidade", "participe da nossa comunidade",
    "unisciti alla nostra comunità", "unisciti alla comunità", "entra nella nostra community",
    "tritt unserer community bei", "werde teil unserer community", "werde teil der community",
    "word lid van onze community", "dołącz do naszej społeczności", "dołącz do społeczności",
    "присоединяйтесь к нашему сообществу", "присоединяйтесь к сообществу", "приєднуйтесь до нашої спільноти",
    "aliĝu al nia komunumo", "topluluğumuza katılın", "انضم إلى مجتمعنا",
    "加入我们的社区", "加入社区", "コミュニティに参加", "커뮤니티에 참여",
)  # fmt: skip
_JOIN_RE = re.compile("|".join(re.escape(phrase) for phrase in JOIN_PHRASES))
_SPACE_RE = re.compile(r"\s+")


def _visible_text(root: Any, limit: int = MAX_TEXT_CHARS) -> str:
    """The page's text without scripts and styles, casefolded, spaces collapsed, at most ``limit`` chars."""
    pieces: list[str] = []
    size = 0
    # iter() on the whole tree, skipping the text *inside* skipped tags but keeping their tails.
    for element in root.iter():
        tag = element.tag if isinstance(element.tag, str) else ""
        if tag not in SKIPPED_TAGS and element.text:
            pieces.append(element.text)
            size += len(element.text)
        if element.tail:
            pieces.append(element.tail)
            size += len(element.tail)
        if size >= limit:
            break
    return _SPACE_RE.sub(" ", " ".join(pieces)).casefold()[:limit]


def _classify_url(url: str, own_domain: str) -> str | None:
    """``forum``, ``wiki``, ``chat`` or ``community`` for one absolute URL, or None."""
    if _CHAT_URL_RE.match(url):
        return "chat"
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        port = parts.port
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not host or domain_id(host, port) != own_domain:
        return None
    host = host.removeprefix("www.")
    address = unquote(f"{parts.path}?{parts.query}" if parts.query else parts.path).lower()
    if host.startswith(_FORUM_HOST_PREFIXES) or _FORUM_PATH_RE.search(address):
        return "forum"
    if host.startswith(_WIKI_HOST_PREFIXES) or _WIKI_PATH_RE.search(address):
        return "wiki"
    if host.startswith("community.") or _COMMUNITY_PATH_RE.search(address):
        return "community"
    return None


_ORDER = ("forum", "wiki", "chat", "community")


def community_structure(response: Response) -> str | None:
    """Return the strongest community structure an HTML page shows (``forum`` > ``wiki`` > ``chat`` > ``community``)."""
    if response is None or not is_html(response):
        return None
    try:
        parts = urlsplit(response.url)
        own_domain = domain_id(parts.hostname or "", parts.port)
    except ValueError:
        return None
    root = page(response).root
    if root is None:
        return None
    seen: set[str] = set()
    own = _classify_url(response.url, own_domain)
    if own:
        seen.add(own)
    for count, anchor in enumerate(root.iter("a")):
        if count >= MAX_ANCHORS or "forum" in seen:
            break
        href = (anchor.get("href") or "").strip()
        if not href or href.startswith("#"):
            continue
        kind = _classify_url(_absolute(response.url, href), own_domain)
        if kind:
            seen.add(kind)
    if not seen and _JOIN_RE.search(_visible_text(root)):
        seen.add("community")
    return next((kind for kind in _ORDER if kind in seen), None)


def _absolute(base: str, href: str) -> str:
    try:
        return urljoin(base, href)
    except ValueError:
        return ""


def community_signals(extraction: Extraction | None, response: Response | None) -> tuple[bool, str]:
    """Return ``(is_community, reason)`` for a discovered candidate site.

    ``extraction`` is what the adapters read from the site (merged, or the homepage's alone);
    ``response`` is the candidate's homepage. Either may be None.
    """
    platform = extraction.platform if extraction is not None else None
    members = extraction.metrics.get("members") if extraction is not None else None
    if isinstance(members, int) and members <= 1:
        # A one-account server or wiki is a person's site: its statistics are one person's activity.
        return False, SINGLE_MEMBER
    if platform and platform not in BLOG_PLATFORMS:
        return True, f"platform:{platform}"
    if isinstance(members, int):
        return True, "members"
    structure = community_structure(response) if response is not None else None
    if structure:
        return True, f"structure:{structure}"
    if platform:
        return False, f"blog platform {platform}, no member count or community structure"
    return False, NO_SIGNAL
