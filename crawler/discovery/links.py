"""Links from one community to other sites: the :class:`Link` record and the HTML link extractors.

- :func:`outward_links`: the other sites an HTML page links to, one per target site, partner and
  "links" sections first, then the footer, then the rest of the page;
- :func:`links_pages`: the site's own pages that list other sites ("Liens utiles", "Partners",
  ``/links/``), to fetch next;
- :func:`all_links`: the registry glue: the platform adapter's own list (fediverse peers, Lemmy
  federated instances, wiki language editions) plus the outward links of an HTML page.

What is never a link: ``nofollow`` (per link: ``rel=nofollow|sponsored|ugc``; per page: robots
meta or ``X-Robots-Tag``: the site asks crawlers not to follow), non-web schemes, trap URLs (member
profiles included: personal data), forum signatures (personal sites of members), and :data:`INFRASTRUCTURE_DOMAINS`:
sites every page links to that are never a community we could read.

This module imports nothing from :mod:`crawler.platforms` at module level: the adapters import
:class:`Link` from here, so the registry and the shared HTML parser are reached inside functions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urljoin, urlsplit

from crawler.discovery.urls import domain_id, peer_address, registrable_domain, site_id, site_root, trap_reason
from crawler.extraction import clean_text
from crawler.identity import InvalidUrlError

if TYPE_CHECKING:
    from scrapy.http import Response


@dataclass(frozen=True)
class Link:
    """One link from a community to another site.

    ``url`` is the target *site root* (``https://host/``) for links between sites; ``rule`` says
    where the link was read (``html.partners_section``, ``mastodon.peers``, ...); ``text`` is the
    anchor text, a language name, ... when there is one.
    """

    url: str
    rule: str
    text: str | None = None


RULE_PARTNERS = "html.partners_section"
RULE_FOOTER = "html.footer"
RULE_LINKS_PAGE = "html.links_page"
RULE_BODY = "html.body"

OUTWARD_LIMIT = 30
# Sub-domains of one registrable domain (fr./de./forum. of a hosting service) kept per page: enough
# for a few wikis of one host, not enough for a webring of one domain to take the budget.
MAX_SITES_PER_DOMAIN = 3
# Work bounds for hostile pages (link farms, 100,000 links to distinct hosts or to traps): distinct
# hosts looked up per page (a public-suffix and deny-list lookup each), and trap checks per page.
# Nutch keeps 100 outlinks per page; same-site and already-seen links cost almost nothing.
MAX_NEW_HOSTS = 2_000
MAX_CANDIDATES = 5_000
# A "section" holding more links than this is a page wrapper (``<body class="community">``).
MAX_SECTION_ANCHORS = 300
MAX_TEXT_CHARS = 200
# The robots meta name that addresses this crawler specifically (settings.ROBOTSTXT_USER_AGENT).
BOT_TOKEN = "tremplinbot"

# Sites every page links to that are never a community we could read (share buttons, CDNs,
# analytics, licences, software vendors' "Powered by" links, chat invite hosts whose root is not a
# community). A domain covers its sub-domains. Chat invites still count for the linking site: see
# crawler.discovery.signals.
INFRASTRUCTURE_DOMAINS: frozenset[str] = frozenset(
    {
        # social networks: share buttons and profile pages, not readable communities
        "facebook.com", "fb.com", "fb.me", "messenger.com", "instagram.com", "x.com", "twitter.com", "t.co",
        "linkedin.com", "lnkd.in", "tiktok.com", "pinterest.com", "snapchat.com", "tumblr.com", "vk.com",
        "threads.net", "bsky.app", "weibo.com", "whatsapp.com", "wa.me", "flickr.com", "quora.com",
        # chat invite hosts: the invite is a signal of the linking site, the host root is no community
        "discord.gg", "discord.com", "discordapp.com", "t.me", "telegram.me", "telegram.org", "matrix.to",
        "element.io", "slack.com", "gitter.im",
        # search engines, video and app stores
        "youtube.com", "youtu.be", "bing.com", "duckduckgo.com", "apple.com", "microsoft.com", "vimeo.com",
        "dailymotion.com", "twitch.tv", "spotify.com",
        # CDNs, hosting and fonts
        "googleapis.com", "gstatic.com", "googleusercontent.com", "cloudflare.com", "cloudflareinsights.com",
        "jsdelivr.net", "unpkg.com", "cdnjs.com", "bootstrapcdn.com", "fontawesome.com", "typekit.net",
        "akamaihd.net", "akamaized.net", "amazonaws.com", "cloudfront.net", "fastly.net", "gravatar.com",
        "wp.com", "imgur.com",
        # analytics, trackers and advertising
        "googletagmanager.com", "google-analytics.com", "googlesyndication.com", "googleadservices.com",
        "doubleclick.net", "hotjar.com", "statcounter.com", "histats.com", "quantserve.com",
        "scorecardresearch.com", "criteo.com", "taboola.com", "outbrain.com", "adnxs.com", "addthis.com",
        "sharethis.com", "addtoany.com", "matomo.org", "clarity.ms", "mailchimp.com", "list-manage.com",
        # standards, licences, software and code hosting
        "creativecommons.org", "w3.org", "schema.org", "ogp.me", "gnu.org", "fsf.org", "opensource.org",
        "wordpress.org", "wordpress.com", "github.com", "gitlab.com", "bitbucket.org", "sourceforge.net",
        "mozilla.org", "php.net", "jquery.com",
        # forum, wiki and fediverse software vendors ("Powered by ..." in every footer)
        "phpbb.com", "vbulletin.com", "xenforo.com", "invisioncommunity.com", "invisionpower.com",
        "mybb.com", "simplemachines.org", "flarum.org", "nodebb.org", "discourse.org", "mediawiki.org",
        "joinmastodon.org", "join-lemmy.org", "disqus.com", "proboards.com", "forumotion.com",
        # payments, donations and shops
        "paypal.me", "patreon.com", "ko-fi.com", "buymeacoffee.com", "liberapay.com", "opencollective.com",
        "stripe.com", "tipeee.com", "ebay.com",
        # link shorteners and archives: no site of their own
        "bit.ly", "goo.gl", "tinyurl.com", "ow.ly", "buff.ly", "archive.org", "archive.ph", "feedburner.com",
    }
)  # fmt: skip
# Brands with one domain per country (google.fr, amazon.co.uk): matched on the registrable domain's
# first label.
INFRASTRUCTURE_BRANDS: frozenset[str] = frozenset(
    {"google", "blogger", "amazon", "paypal", "yahoo", "yandex", "baidu", "pinterest", "facebook", "ebay"}
)

# Words naming a page or a section that lists other sites, in the languages of the use case. Plurals
# only: "Link" or "Lien" alone labels a permalink, not a list.
LINKS_WORDS: tuple[str, ...] = (
    "links", "useful links", "liens", "liens utiles", "partenaires", "partenaire", "partners",
    "partner", "resources", "ressources", "enlaces", "recursos", "linkliste", "linksammlung", "weblinks",
    "collegamenti", "risorse", "linki", "ссылки", "полезные ссылки", "партнёры", "партнеры", "parceiros",
    "partnerzy", "links úteis", "blogroll", "webring", "sites amis", "länkar", "lenker", "linkek", "odkazy",
    "bağlantılar", "روابط", "友情链接", "链接", "リンク", "リンク集", "링크",
)  # fmt: skip
# A section (heading or class) may also be about communities or friends without being a links page.
SECTION_WORDS: tuple[str, ...] = LINKS_WORDS + (
    "community", "communities", "communauté", "communautés", "comunidad", "comunidades", "comunità",
    "comunidade", "gemeinschaft", "friends", "amis", "sites amis", "amigos", "amigas", "webs amigas", "amici",
    "siti amici", "freunde", "befreundete seiten", "sister sites",
)  # fmt: skip
# Single words of a links page's address (``/liens-utiles``, ``partners.html``, ``?page=links``).
LINKS_PATH_WORDS: frozenset[str] = frozenset(
    {
        "links", "liens", "partenaires", "partners", "partner", "resources", "ressources", "enlaces",
        "recursos", "linkliste", "linksammlung", "weblinks", "collegamenti", "risorse", "linki", "ссылки",
        "parceiros", "partnerzy", "blogroll", "webring", "linkek", "odkazy", "lenker",
    }
)  # fmt: skip
# Class/id names of partner and community blocks (ASCII: class names are), matched at a word start.
_SECTION_CLASS_RE = re.compile(
    r"(?:^|[^a-z])(?:partner|partenaire|friends|amis|amigo|amici|freunde|blogroll|webring|links|liens|enlaces"
    r"|linkliste|resources|ressources|recursos|communit|sister)"
)
_FOOTER_CLASS_RE = re.compile(r"(?:^|[^a-z])footer")
_SIGNATURE_CLASS_RE = re.compile(r"(?:^|[^a-z])(?:signature|postsig)")
_HEADING_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_WRAPPER_TAGS = frozenset({"html", "body", "main"})
# A heading introduces the few blocks after it, never the page's next landmark.
_LANDMARK_TAGS = frozenset({"footer", "header", "nav", "section", "article", "aside", "main", "form"})
SIBLINGS_AFTER_HEADING = 6


def _words_re(words: tuple[str, ...]) -> re.Pattern[str]:
    alternatives = "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)


_LINKS_TEXT_RE = _words_re(LINKS_WORDS)
_SECTION_TEXT_RE = _words_re(SECTION_WORDS)
_PATH_PREFILTER_RE = re.compile("|".join(sorted(LINKS_PATH_WORDS, key=len, reverse=True)))
_PATH_SPLIT_RE = re.compile(r"[-_.+\s]+")
_EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_SKIPPED_RELS = frozenset({"nofollow", "sponsored", "ugc"})
MAX_LABEL_CHARS = 60


# --- deny list ---------------------------------------------------------------------------------


# Bounded for the same reason as registrable_domain's cache: recent and popular link targets repeat.
@lru_cache(maxsize=8_192)
def is_infrastructure(host: str) -> bool:
    """True when ``host`` belongs to :data:`INFRASTRUCTURE_DOMAINS` or :data:`INFRASTRUCTURE_BRANDS`."""
    host = (host or "").lower().rstrip(".")
    labels = host.split(".")
    for start in range(len(labels) - 1):
        if ".".join(labels[start:]) in INFRASTRUCTURE_DOMAINS:
            return True
    return registrable_domain(host).split(".", 1)[0] in INFRASTRUCTURE_BRANDS


def link_to_site(url: str, rule: str, text: str | None = None) -> Link | None:
    """Return a :class:`Link` to the site root of an absolute http(s) URL, or None (invalid or denied)."""
    try:
        root = site_root(url)
    except InvalidUrlError:
        return None
    host = urlsplit(root).hostname or ""
    if not host or is_infrastructure(host):
        return None
    return Link(root, rule, clean_text(text, MAX_TEXT_CHARS) if text else None)


def link_to_host(name: object, rule: str, text: str | None = None, scheme: str = "https") -> Link | None:
    """Return a :class:`Link` to ``<scheme>://<name>/`` for a peer-list entry (``host[:port]``), or None.

    Adapters pass the scheme their list was fetched with: https on the real fediverse (it requires
    TLS), plain http on a loopback test web.
    """
    address = peer_address(name)
    if address is None or scheme not in ("http", "https"):
        return None
    if is_infrastructure(urlsplit(f"//{address}").hostname or ""):
        return None
    return Link(f"{scheme}://{address}/", rule, clean_text(text, MAX_TEXT_CHARS) if text else None)


def same_site(url: str, other: str) -> bool:
    """True when two URLs are on one site: same host (``www.`` ignored) and same non-default port."""
    first, second = _split_host(url), _split_host(other)
    return first is not None and second is not None and site_id(*first) == site_id(*second)


# --- HTML helpers ------------------------------------------------------------------------------


def _html_root(response: Response) -> Any:
    """The page's lxml root, parsed once and shared with the adapters; None for a non-HTML body."""
    from crawler.platforms.base import is_html  # inside: see the module docstring
    from crawler.platforms.html import page

    if not is_html(response):
        return None
    return page(response).root


def _header_values(response: Response, name: bytes) -> list[str]:
    return [value.decode("latin-1") for value in response.headers.getlist(name)]


# Robots directives that carry a value and so look like "name: value" without being a user agent.
_VALUED_DIRECTIVES = frozenset({"unavailable_after", "max-snippet", "max-image-preview", "max-video-preview"})


def _directives_forbid_following(text: str) -> bool:
    return bool({d.strip().lower() for d in text.split(",")} & {"nofollow", "none"})


def page_nofollow(response: Response, root: Any = None) -> bool:
    """True when the page asks robots not to follow any of its links (meta robots or X-Robots-Tag).

    ``X-Robots-Tag: otherbot: nofollow`` addresses another crawler and is ignored; a header or meta
    naming ``TremplinBot`` counts like a general one.
    """
    for value in _header_values(response, b"X-Robots-Tag"):
        match = re.match(r"\s*([A-Za-z][\w-]*)\s*:\s*(.*)$", value)
        if match and match.group(1).lower() not in _VALUED_DIRECTIVES:
            if match.group(1).lower() != BOT_TOKEN:
                continue
            value = match.group(2)
        if _directives_forbid_following(value):
            return True
    root = _html_root(response) if root is None else root
    if root is None:
        return False
    for meta in root.iter("meta"):
        name = (meta.get("name") or "").strip().lower()
        if name in ("robots", BOT_TOKEN) and _directives_forbid_following(meta.get("content") or ""):
            return True
    return False


def _base_url(response: Response, root: Any) -> str:
    for base in root.iter("base"):
        href = (base.get("href") or "").strip()
        if href:
            return urljoin(response.url, href)
        break
    return response.url


def _anchor_text(anchor: Any) -> str | None:
    """The visible label of a link (text, else ``title``, else an image's ``alt``), e-mails removed."""
    text = anchor.text if len(anchor) == 0 else "".join(anchor.itertext())
    text = clean_text(text, MAX_TEXT_CHARS * 2)
    if not text:
        text = clean_text(anchor.get("title"), MAX_TEXT_CHARS)
    if not text:
        for image in anchor.iter("img"):
            text = clean_text(image.get("alt"), MAX_TEXT_CHARS)
            break
    if not text:
        return None
    return clean_text(_EMAIL_RE.sub("", text), MAX_TEXT_CHARS)


def _rel_skipped(anchor: Any) -> bool:
    rel = anchor.get("rel")
    return bool(rel) and bool(_SKIPPED_RELS & set(rel.lower().split()))


def _split_host(url: str) -> tuple[str, int | None] | None:
    try:
        parts = urlsplit(url)
        return (parts.hostname or "").rstrip("."), parts.port
    except ValueError:
        return None


def _is_links_page(url: str, root: Any) -> bool:
    """True when the page itself lists other sites: its address, ``<title>`` or ``<h1>`` says so."""
    if _path_names_links(url):
        return True
    for tag in ("title", "h1"):
        for element in root.iter(tag):
            text = clean_text("".join(element.itertext()), 200) or ""
            if _LINKS_TEXT_RE.search(text):
                return True
            break
    return False


def _path_names_links(href: str) -> bool:
    """``/liens-utiles``, ``/partners.html``, ``/links/``, ``?page=liens``: an address naming a links page."""
    lowered = unquote(href).lower()
    if not _PATH_PREFILTER_RE.search(lowered):
        return False
    try:
        parts = urlsplit(lowered)
    except ValueError:
        return False
    segments = [s for s in parts.path.split("/") if s]
    words: set[str] = set()
    if segments:
        words.update(w for w in _PATH_SPLIT_RE.split(segments[-1]) if w)
    for piece in re.split(r"[&;]", parts.query):
        words.update(w for w in _PATH_SPLIT_RE.split(piece.partition("=")[2]) if w)
    return bool(words & LINKS_PATH_WORDS)


def _section_groups(root: Any) -> tuple[list[Any], list[Any], set[Any]]:
    """Anchors of partner/links/community sections, anchors of the footer, and signature anchors.

    One pass over the tree with cheap attribute reads: an XPath ``translate()``/``contains()`` per
    class name costs seconds on a page of 100,000 elements.
    """
    partner_blocks: list[Any] = []
    footer_blocks: list[Any] = []
    signature_blocks: list[Any] = []
    for element in root.iter():
        tag = element.tag
        if not isinstance(tag, str):
            continue  # comments and processing instructions
        if tag in _HEADING_TAGS:
            text = clean_text("".join(element.itertext()), 200) or ""
            if len(text) <= MAX_LABEL_CHARS and _SECTION_TEXT_RE.search(text):
                partner_blocks.extend(_siblings_after(element))
            continue
        names = element.get("class") or ""
        ident = element.get("id")
        if ident:
            names = f"{names} {ident}"
        if tag == "footer" or element.get("role") == "contentinfo":
            footer_blocks.append(element)
        if not names or tag in _WRAPPER_TAGS:
            continue
        names = names.lower()
        if _SECTION_CLASS_RE.search(names):
            partner_blocks.append(element)
        elif _FOOTER_CLASS_RE.search(names):
            footer_blocks.append(element)
        if _SIGNATURE_CLASS_RE.search(names):
            signature_blocks.append(element)
    partners = _anchors_of(partner_blocks)
    footer = _anchors_of(footer_blocks)
    signatures: set[Any] = set()
    for block in signature_blocks:
        signatures.update(block.iter("a"))
    return partners, footer, signatures


def _anchors_of(blocks: list[Any]) -> list[Any]:
    """The links of each block in turn; a block with hundreds of links is a page wrapper, not a section."""
    anchors: list[Any] = []
    for block in blocks:
        found = list(block.iter("a"))
        if len(found) <= MAX_SECTION_ANCHORS:
            anchors.extend(found)
    return anchors


def _siblings_after(heading: Any) -> list[Any]:
    """The blocks a heading introduces: its next siblings up to another heading or a landmark."""
    siblings = []
    for sibling in heading.itersiblings():
        tag = sibling.tag
        if not isinstance(tag, str):
            continue
        if tag in _HEADING_TAGS or tag in _LANDMARK_TAGS:
            break
        siblings.append(sibling)
        if len(siblings) >= SIBLINGS_AFTER_HEADING:
            break
    return siblings


# --- outward links -----------------------------------------------------------------------------


def outward_links(response: Response, limit: int = OUTWARD_LIMIT) -> list[Link]:
    """Return the other sites an HTML page links to: one :class:`Link` per target site, best first.

    Order: links in partner/"links"/community sections (``html.partners_section``), then in the
    footer (``html.footer``), then the rest in document order (``html.links_page`` when the page
    itself is a links page, ``html.body`` otherwise). Only hosts of another registrable domain,
    at most :data:`MAX_SITES_PER_DOMAIN` per registrable domain. [] for a non-HTML body or a page
    that forbids following its links. The page is the adapters' shared parse
    (:func:`crawler.platforms.html.page`): beyond 2 million characters, its head and tail only.
    """
    if limit <= 0:
        return []
    root = _html_root(response)
    if root is None or page_nofollow(response, root):
        return []
    own = _split_host(response.url)
    base = _base_url(response, root)
    base_host = _split_host(base)
    if own is None or base_host is None:
        return []
    own_domain = domain_id(*own)
    base_scheme = urlsplit(base).scheme or "https"
    base_is_own = domain_id(*base_host) == own_domain

    partners, footer, signatures = _section_groups(root)
    body_rule = RULE_LINKS_PAGE if _is_links_page(response.url, root) else RULE_BODY

    found: list[Link] = []
    taken: set[str] = set()
    per_domain: dict[str, int] = {}
    host_keys: dict[tuple[str, int | None], tuple[str, str] | None] = {}
    candidates = 0

    def consider(anchor: Any, rule: str) -> None:
        nonlocal candidates
        href = anchor.get("href")
        if not href:
            return
        href = href.strip()
        head = href[:8].lower()
        if head.startswith(("http://", "https://")):
            url = href
        elif href.startswith("//"):
            url = f"{base_scheme}:{href}"
        elif base_is_own:
            return  # relative, fragment, javascript:, mailto:, data: ... on our own site
        else:
            url = urljoin(base, href)
        address = _split_host(url)
        if address is None:
            return
        if address not in host_keys:
            if len(host_keys) >= MAX_NEW_HOSTS:
                return
            host, port = address
            domain = domain_id(host, port) if host else ""
            ok = host and domain != own_domain and not is_infrastructure(host)
            host_keys[address] = (site_id(host, port), domain) if ok else None
        entry = host_keys[address]
        if entry is None or entry[0] in taken or per_domain.get(entry[1], 0) >= MAX_SITES_PER_DOMAIN:
            return
        if anchor in signatures or _rel_skipped(anchor) or candidates >= MAX_CANDIDATES:
            return
        candidates += 1
        if trap_reason(url):
            return
        link = link_to_site(url, rule, _anchor_text(anchor))
        if link is None:
            return
        taken.add(entry[0])
        per_domain[entry[1]] = per_domain.get(entry[1], 0) + 1
        found.append(link)

    for anchors, rule in ((partners, RULE_PARTNERS), (footer, RULE_FOOTER), (root.iter("a"), body_rule)):
        for anchor in anchors:
            consider(anchor, rule)
            if len(found) >= limit:
                return found
    return found


def links_pages(response: Response, limit: int = 3) -> list[str]:
    """Return up to ``limit`` same-site URLs of pages listing other sites, in document order.

    A page qualifies by its anchor text ("Liens utiles", "Partners", "Enlaces", "Ссылки") or its
    address (``/links/``, ``partners.html``, ``/liens-utiles``); never a trap, never a ``nofollow``
    link, never the page itself. "Same site" is the same host and port, ``www.`` ignored.
    """
    if limit <= 0:
        return []
    root = _html_root(response)
    if root is None or page_nofollow(response, root):
        return []
    base = _base_url(response, root)
    address = _split_host(response.url)
    if address is None:
        return []
    own = site_id(*address)
    here = response.url.split("#", 1)[0].rstrip("/")
    found: list[str] = []
    for anchor in root.iter("a"):
        href = (anchor.get("href") or "").strip()
        if not href or href.startswith("#"):
            continue
        if not _path_names_links(href):
            text = anchor.text if len(anchor) == 0 else "".join(anchor.itertext())
            if not text or len(text) > MAX_LABEL_CHARS * 3:
                continue
            label = clean_text(text, MAX_LABEL_CHARS + 1) or ""
            if len(label) > MAX_LABEL_CHARS or not _LINKS_TEXT_RE.search(label):
                continue
        if _rel_skipped(anchor):
            continue
        url = urljoin(base, href).split("#", 1)[0]
        address = _split_host(url)
        if address is None or site_id(*address) != own:
            continue
        if url.rstrip("/") == here or url in found or trap_reason(url):
            continue
        if urlsplit(url).path in ("", "/") and not urlsplit(url).query:
            continue  # the homepage is already read
        found.append(url)
        if len(found) >= limit:
            break
    return found


# --- registry glue -----------------------------------------------------------------------------


def all_links(response: Response) -> list[Link]:
    """Return every link of one response: the platform adapter's own list, then the page's outward links.

    The adapter is the one that recognises the response; a discovery body without platform markers
    (a Mastodon peers list, a MediaWiki interwiki map, a Lemmy ``federated_instances`` body) is
    offered to each adapter defining ``links(response)`` until one reads it.
    """
    from crawler import platforms  # inside: adapters import this module (see docstring)
    from crawler.platforms.base import is_html

    html = is_html(response)
    detected = platforms.detect(response)
    found: list[Link] = []
    reader = getattr(detected, "links", None)
    if callable(reader):
        found.extend(reader(response))
    if not found and not html:
        for adapter in platforms.adapters():
            reader = getattr(adapter, "links", None)
            if adapter is detected or not callable(reader):
                continue
            found.extend(reader(response))
            if found:
                break
    if html:
        found.extend(outward_links(response))
    unique: dict[str, Link] = {}
    for link in found:
        unique.setdefault(link.url, link)
    return list(unique.values())
