"""Generic fallback for any HTML page, and the page signals merged into every recognised forum page.

Platform
    None: ``detect()`` is always true and the adapter is last in the registry. ``extract()`` returns
    the page signals plus member counts from a homepage's own words, approximate marketing figures
    ("over 5 million members", "plus de 250 000 membres", "über 2 Millionen Mitglieder") or plain
    ones ("Som 37 membres"), and a live online counter
    (``<span id="onlineCounter">(5555)</span>``), both at ``RANK_GENERIC``.
    :func:`extract_page_signals` (platform None, ``RANK_META``) reads:

    - name: ``og:site_name``, then ``application-name``, then the JSON-LD ``WebSite`` name, then the
      ``<title>`` without its generic segments (" - Index page", " | Home", "Seite 2", and the index
      page titles of the engines' language packs, :func:`crawler.normalize.packs.page_suffixes`,
      "Foren-Übersicht", "Список форумов"); of several
      segments the one that matches the host wins, else the first on a homepage and the last
      elsewhere ("Thread - Forum"); a discussion page's bare title names the thread, not the site,
      and gives no name;
    - description: ``<meta name="description">``, then ``og:description``, of the site's own front
      page or about page only, never of a discussion (a thread, a post, an article: its meta
      description is the start of a post, :func:`crawler.outreach.is_discussion_page`);
    - languages: :func:`crawler.normalize.languages.content_languages` over ``<html lang>``,
      ``og:locale``, ``<meta http-equiv="content-language">``, JSON-LD ``inLanguage`` and the page's
      own text (a Polish forum behind ``<html lang="en">`` gives ``["pl", "en"]``), as primary
      subtags (the region of ``en-GB`` is a UI locale). ``hreflang`` alternates list UI
      translations and are not content languages; only the one pointing back at the page itself
      backs a missing declaration;
    - licence, ranked (the rule names the candidate that fired): ``<link rel="license">``
      (``generic.licence.head_link``) > ``rel="license"`` in the site footer
      (``generic.licence.footer_rel``) > a Creative Commons URL or a licence name in the footer text
      (``generic.licence.footer_text``) > JSON-LD ``license`` (``generic.licence.jsonld``) >
      ``rel="license"`` elsewhere in the page (``generic.licence.body_rel``) > a Creative Commons
      badge or plain link anywhere outside what members wrote (posts, comments, quotes,
      signatures), its region in the rule and snippet: ``generic.licence.sidebar_badge``,
      ``meta_badge``, ``header_badge``, ``nav_badge``, ``body_badge``; a ported badge keeps its
      jurisdiction (``by-sa/3.0/de/`` -> ``CC-BY-SA-3.0-DE``). Anything inside
      ``figure``/``figcaption``/``.wp-caption`` describes an image and is ignored;
    - canonical_url: ``<link rel="canonical">``, then ``og:url``; on a page that is not the site's
      front page only the site root it names (a thread's own address is not the site's);
    - last_activity_at: the newest ``<time datetime>`` of the page.

Endpoints
    None.

Caveats
    A page title is a weak name: on inner pages without ``og:site_name`` it may be the page's own
    title. Approximate counts keep ``approximate: true`` and lose against any exact figure.
    Only ``<time datetime>`` attributes are read as dates; text dates need the platform adapters.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any
from urllib.parse import urljoin, urlsplit

from scrapy.http import Response

from crawler import outreach
from crawler.discovery.urls import site_root
from crawler.extraction import RANK_GENERIC, RANK_META, Extraction, ExtractionBuilder
from crawler.normalize.labels import label_pattern
from crawler.normalize.languages import content_languages
from crawler.normalize.licences import Licence, licence_from_text, licence_from_url
from crawler.normalize.numbers import parse_count
from crawler.normalize.packs import fold, page_suffixes
from crawler.normalize.privacy import without_session_ids
from crawler.platforms.base import Endpoint, is_html
from crawler.platforms.html import (
    Page,
    content_text,
    elements_outside,
    has_marker,
    labelled_counts,
    language_sample,
    newest_date,
    page,
    page_language,
    primary,
    scrub,
    text_of,
)

NAME = "generic"

_EDGE_SEPARATORS = re.compile(r"^(?:[-|–—·•»›:]|&middot;|\s)+|(?:\s|[-|–—·•»›:]|&middot;)+$")
_TITLE_SEPARATORS = re.compile(r"\s+(?:[-|–—·•»›]|::)\s+|\s*&middot;\s*")
_GENERIC_SEGMENTS = frozenset(
    {
        "index", "index page", "home", "homepage", "home page", "main page", "start", "startseite",
        "forum index", "board index", "forums index", "forum home", "forum", "forums", "community",
        "accueil", "page d accueil", "index du forum", "foren ubersicht", "forenubersicht", "ubersicht",
        "inicio", "pagina de inicio", "pagina principal", "portada", "indice", "indice del foro",
        "pagina iniziale", "indice del forum", "home page del forum", "inicio do forum", "pagina inicial",
        "indice do forum", "startpagina", "forumoverzicht", "hoofdpagina", "strona glowna",
        "spis tresci", "forum glowne", "главная", "главная страница", "список форумов", "форум",
    }
)  # fmt: skip
# A feed's title is never a site name, nor a segment of one.
_FEED_SEGMENTS = frozenset({"feed", "rss", "rss feed", "atom", "atom feed", "news feed"})
_PAGE_NUMBER_RE = re.compile(
    r"^(?:page|seite|pagina|página|strona|страница|pag\.?|p\.)\s*\d+(?:\s*(?:of|von|de|di|z|из)\s*\d+)?$", re.I
)
_COMMUNITY_WORDS = re.compile(
    r"\b(?:community|communauté|communaute|comunidad|comunità|comunita|comunidade|gemeinschaft|"
    r"gemeenschap|społeczność|spolecznosc|сообщество|сообщества)\b[^.\n]{0,20}$",
    re.I,
)
_ONLINE_COUNTER_XPATH = (
    "//*[contains(translate(@id,'ONLINECUTR-_','onlinecutr'),'onlinecount')"
    " or contains(translate(@class,'ONLINECUTR-_','onlinecutr'),'onlinecount')]"
)
_ONLINE_VALUE_RE = re.compile(r"^\(?\s*[\d.,\s\u00a0\u202f]+\s*\)?$")
# Class tests skip <body>/<html>: WordPress puts words like "wp-featherlight-captions" on <body>.
_FIGURE_XPATH = (
    "ancestor::figure or ancestor::figcaption"
    " or ancestor::*[not(self::body) and not(self::html) and contains(@class,'caption')]"
)
_FOOTER_WORDS = ("footer", "Footer", "copyright", "Copyright")
# Words a licence statement contains: without one of them the licence search is skipped.
_LICENCE_MARKERS = (
    b"licen", b"lizenz", b"creativecommons", b"creative commons", b"cc by", b"cc-by", b"cc0",
    b"public domain", b"domaine public", b"gemeinfrei", b"dominio p", "ицензи".encode(),
)  # fmt: skip
_REL_LICENSE = (
    "contains(concat(' ', translate(normalize-space(@rel),'LICENS','licens'), ' '), ' license ')"
    " or contains(concat(' ', translate(normalize-space(@rel),'LICENS','licens'), ' '), ' cc:license ')"
)
_CC_HREF = "contains(@href,'creativecommons.org/licenses') or contains(@href,'creativecommons.org/publicdomain')"


def detect(response: Response) -> bool:
    """Always true: the generic adapter is the registry's fallback."""
    return True


def endpoints(response: Response) -> list[Endpoint]:
    """No further endpoint: the generic adapter reads only the page it is given."""
    return []


def extract(response: Response) -> Extraction:
    """Page signals plus member counts from a homepage's own words and a live online counter."""
    if not is_html(response):
        return Extraction(url=response.url)
    extraction = extract_page_signals(response)
    builder = ExtractionBuilder(response.url, None, RANK_GENERIC)
    builder.extraction = extraction
    pg = page(response)
    _member_counts(builder, pg)
    _online_counter(builder, pg, response)
    return builder.build()


def extract_page_signals(response: Response) -> Extraction:
    """Name, description, languages, licence, canonical URL and newest date of an HTML page."""
    builder = ExtractionBuilder(response.url, None, RANK_META)
    if not is_html(response):
        return builder.build()
    pg = page(response)
    _name(builder, pg)
    front = is_home_url(pg.url) and not outreach.is_discussion_page(pg)
    if front or (outreach.page_kind(pg.url) == "about" and not outreach.is_discussion_page(pg)):
        # Only where the site describes itself: elsewhere the meta description is the page's own
        # text, often the start of a post.
        description = pg.meta("description", "og:description", "twitter:description")
        builder.text("description", description, "generic.meta_description", "<meta name=description>")
    _languages(builder, pg)
    _licence(builder, pg, response)
    _canonical(builder, pg, front)
    newest = newest_date(pg.xpath("//time/@datetime"))
    if newest:
        builder.date("last_activity_at", newest[0], "generic.time_datetime", f'<time datetime="{newest[1]}">')
    outreach.extract_page(builder, pg, response)  # contact, operator, access, meet-ups, practised languages
    return builder.build()


# --- name -------------------------------------------------------------------------------------


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    return " ".join(re.sub(r"[^\w]+", " ", text).split())


def _host_key(url: str) -> str | None:
    labels = [label for label in (urlsplit(url).hostname or "").lower().split(".") if label]
    if len(labels) < 2:
        return None
    core = labels[-2]
    if core in ("co", "com", "org", "net", "ac", "gov", "edu") and len(labels) >= 3:
        core = labels[-3]
    core = re.sub(r"[^a-z0-9]", "", core)
    return core if len(core) >= 3 else None


_INDEX_FILES = frozenset({"index.php", "index.html", "index.htm", "forum.php", "portal.php", "home", "default.aspx"})


def is_home_url(url: str) -> bool:
    """True for a site's (or a forum folder's) front page: ``/``, ``/index.php``, ``/forum/``."""
    segments = [s for s in urlsplit(url).path.lower().split("/") if s]
    if not segments:
        return True
    if len(segments) > 2:
        return False
    last = segments[-1]
    if last in _INDEX_FILES:
        return len(segments) == 1 or "." not in segments[0]
    return len(segments) == 1 and "." not in last and not any(ch.isdigit() for ch in last)


def title_name(title: str, url: str) -> str | None:
    """The site name inside a page title ("Topic - Site", "Site - Index page", "Site | Home")."""
    title = " ".join((title or "").split())
    if not title:
        return None
    # A board without a name prints " • Page d’index": the separator opens the title.
    title = _EDGE_SEPARATORS.sub("", title)
    segments = [s.strip() for s in _TITLE_SEPARATORS.split(title) if s and s.strip()]
    kept = [s for s in segments if not _generic_segment(s) and not _PAGE_NUMBER_RE.match(s)]
    if not kept:
        return None  # the title only names the page ("Index", "Page d’index"): no site name
    if len(kept) == 1:
        return kept[0]
    host = _host_key(url)
    if host:
        for segment in kept:
            key = re.sub(r"[^a-z0-9]", "", _fold(segment))
            if key and (key.startswith(host) or (len(key) >= 4 and host.startswith(key))):
                return segment
    return kept[0] if is_home_url(url) else kept[-1]


def _generic_segment(segment: str) -> bool:
    """A title segment that names the page, not the site: "Index page", the packs' "Foren-Übersicht"."""
    key = _fold(segment)
    return key in _GENERIC_SEGMENTS or key in _FEED_SEGMENTS or fold(segment) in page_suffixes()


def _website_name(pg: Page) -> str | None:
    for item in pg.jsonld:
        kind = item.get("@type")
        kinds = kind if isinstance(kind, list) else [kind]
        if "WebSite" in kinds and isinstance(item.get("name"), str) and item["name"].strip():
            return item["name"]
    return None


def _name(builder: ExtractionBuilder, pg: Page) -> None:
    for key, rule in (("og:site_name", "generic.og_site_name"), ("application-name", "generic.application_name")):
        value = pg.meta(key)
        if value and builder.text("name", value, rule, f'<meta {key}="{value}">'):
            return
    website = _website_name(pg)
    if website and builder.text("name", website, "generic.jsonld_website_name", f'"name": "{website}"'):
        return
    titles = pg.xpath("//title")
    if titles:
        title = " ".join("".join(titles[0].itertext()).split())
        name = title_name(title, pg.url)
        if name == title and outreach.is_discussion_page(pg):
            return  # a discussion's bare title names the thread, not the site (the crawl reads the root)
        builder.text("name", name, "generic.title", f"<title>{title}</title>")


# --- languages --------------------------------------------------------------------------------


def _jsonld_languages(pg: Page) -> list[str]:
    out: list[str] = []
    for item in pg.jsonld:
        value = item.get("inLanguage")
        values = value if isinstance(value, list) else [value]
        for entry in values[:10]:
            if isinstance(entry, str):
                out.append(entry)
            elif isinstance(entry, dict):
                for key in ("alternateName", "name"):
                    if isinstance(entry.get(key), str):
                        out.append(entry[key])
                        break
    return out


def declared_languages(pg: Page) -> list[str]:
    """Languages the page declares for itself, in order of trust (not its hreflang alternates)."""
    declared = []
    if pg.html_lang:
        declared.append(pg.html_lang)
    for key in ("og:locale", "content-language", "language", "dc.language"):
        value = pg.meta(key)
        if value:
            declared.extend(part.strip() for part in value.split(",")[:3])
    declared.extend(_jsonld_languages(pg))
    if not declared:
        declared.extend(_self_hreflang(pg))
    return declared


def _self_hreflang(pg: Page) -> list[str]:
    """The hreflang of the alternate that points back at this page: it backs the page's own language.

    The other alternates are translations of the interface (Polyglot Club lists 45), not languages
    the community writes in.
    """
    here = {pg.url.rstrip("/")}
    canonical = pg.xpath("//link[translate(@rel,'CANONIL','canonil')='canonical']/@href")
    if canonical:
        here.add(urljoin(pg.url, canonical[0].strip()).rstrip("/"))
    out = []
    for link in pg.xpath("//link[@hreflang][@href]")[:200]:
        code = (link.get("hreflang") or "").strip()
        if code and code.lower() != "x-default" and urljoin(pg.url, link.get("href").strip()).rstrip("/") in here:
            out.append(code)
    return out[:1]


def _languages(builder: ExtractionBuilder, pg: Page) -> None:
    declared = declared_languages(pg)
    text = language_sample(pg)
    tags, source = content_languages(declared, text)
    if not tags:
        return
    rule = {"declared": "generic.lang_declared", "detected": "generic.lang_detected"}.get(
        source, "generic.lang_declared+detected"
    )
    # A detected language cites no page text: the start of a page may name a member.
    snippet = f"declared {', '.join(declared[:3])}" if declared else f"text of {len(text)} characters"
    builder.languages(community_tags(tags), rule, snippet)


def community_tags(tags: list[str]) -> list[str]:
    """Community languages as primary subtags: the region of ``en-GB`` or ``pt-br`` is a UI locale."""
    out: list[str] = []
    for tag in tags:
        head = tag.split("-")[0].lower()
        if head and head not in out:
            out.append(head)
    return out


# --- licence ----------------------------------------------------------------------------------


def _record_licence(builder: ExtractionBuilder, licence: Licence | None, rule: str, snippet: str) -> bool:
    if licence is None or not (licence.spdx or licence.url):
        return False
    return builder.licence(licence.spdx, licence.url, rule, snippet)


def _anchor_snippet(anchor: Any) -> str:
    rel = f'rel="{anchor.get("rel")}" ' if anchor.get("rel") else ""
    return f'<a {rel}href="{anchor.get("href", "")}">{text_of(anchor)[:60]}</a>'


def _from_anchors(builder: ExtractionBuilder, anchors: list[Any], base: str, rule: str) -> bool:
    for anchor in anchors:
        href = urljoin(base, (anchor.get("href") or "").strip())
        if _record_licence(builder, licence_from_url(href), rule, _anchor_snippet(anchor)):
            return True
    for anchor in anchors:
        words = " ".join(filter(None, (text_of(anchor), anchor.get("title"))))
        if words and _record_licence(builder, licence_from_text(words), rule, _anchor_snippet(anchor)):
            return True
    return False


def _jsonld_licence(pg: Page) -> tuple[Licence | None, str]:
    for item in pg.jsonld:
        value = item.get("license")
        if isinstance(value, dict):
            value = value.get("url") or value.get("@id") or value.get("name")
        if isinstance(value, list) and value:
            value = value[0]
        if isinstance(value, str) and value.strip():
            licence = licence_from_url(value) or licence_from_text(value)
            if licence:
                return licence, f'"license": "{value[:120]}"'
    return None, ""


def _is_footer(element: Any) -> bool:
    if element.tag == "footer" or element.get("role") == "contentinfo":
        return True
    ident = element.get("id")
    if ident and (ident == "colophon" or any(word in ident for word in _FOOTER_WORDS)):
        return True
    marks = element.get("class")
    return bool(marks) and any(word in marks for word in _FOOTER_WORDS)


def _is_post(element: Any) -> bool:
    tag = element.tag
    if tag == "article":
        return True
    marks = element.get("class")
    return bool(marks) and "comment" in marks and tag not in ("body", "html")


def _licence(builder: ExtractionBuilder, pg: Page, response: Response) -> None:
    if not has_marker(response, *_LICENCE_MARKERS):
        return
    base = pg.url
    for link in pg.xpath(f"//link[{_REL_LICENSE}]"):
        href = urljoin(base, (link.get("href") or "").strip())
        if _record_licence(
            builder,
            licence_from_url(href),
            "generic.licence.head_link",
            f'<link rel="license" href="{link.get("href")}">',
        ):
            return
    # A footer inside an article or a comment closes a post, not the site.
    footers = elements_outside(pg.root, _is_footer, _is_post)
    seen: set[int] = set()
    footer_anchors = []
    for footer in footers:
        for anchor in pg.xpath(f".//a[({_REL_LICENSE}) and not({_FIGURE_XPATH})]", footer):
            if id(anchor) not in seen:
                seen.add(id(anchor))
                footer_anchors.append(anchor)
    if _from_anchors(builder, footer_anchors, base, "generic.licence.footer_rel"):
        return
    for footer in footers:
        anchors = pg.xpath(f".//a[({_CC_HREF}) and not({_FIGURE_XPATH})]", footer)
        if _from_anchors(builder, anchors, base, "generic.licence.footer_text"):
            return
    for footer in footers:
        text = text_of(footer, limit=3000)
        licence = licence_from_text(text) if text else None
        if _record_licence(builder, licence, "generic.licence.footer_text", scrub(text[:160])):
            return
    licence, snippet = _jsonld_licence(pg)
    if _record_licence(builder, licence, "generic.licence.jsonld", snippet):
        return
    anchors = pg.xpath(f"//a[({_REL_LICENSE}) and not({_FIGURE_XPATH})]")
    if _from_anchors(builder, anchors, base, "generic.licence.body_rel"):
        return
    if has_marker(response, b"creativecommons.org/", b"licensebuttons.net/", b"creative commons"):
        _badges(builder, pg)


# Creative Commons badges and plain links: their hosts, and the words of a badge's alt text.
_CC_BADGE_HOSTS = ("creativecommons.org/", "licensebuttons.net/")
_USER_CONTENT_WORDS = (
    "post", "comment", "message", "entry-content", "bbwrapper", "quote", "signature", "sig", "reply",
)  # fmt: skip
_SIDEBAR_WORDS = ("sidebar", "widget", "secondary", "aside", "rail")
_META_WORDS = ("meta", "site-info", "siteinfo", "colophon", "legal", "credits", "about")


def _is_user_content(element: Any) -> bool:
    """Posts, comments, quotes, signatures and image captions: what members wrote, not the site."""
    if not isinstance(element.tag, str):
        return False
    if element.tag in ("article", "blockquote", "figure", "figcaption"):
        return True
    marks = f"{element.get('class') or ''} {element.get('id') or ''}".lower()
    words = re.split(r"[\s_]+", marks)
    return any(word.startswith(_USER_CONTENT_WORDS) for word in words if word) or "wp-caption" in marks


def _is_badge(element: Any) -> bool:
    tag = element.tag
    if tag == "a":
        href = (element.get("href") or "").lower()
        return any(host in href for host in _CC_BADGE_HOSTS) and ("/licenses/" in href or "/publicdomain/" in href)
    if tag == "img":
        src = (element.get("src") or "").lower()
        alt = f"{element.get('alt') or ''} {element.get('title') or ''}".lower()
        return any(host in src for host in _CC_BADGE_HOSTS) or "creative commons" in alt
    return False


def _region(element: Any) -> str:
    """Where on the page a badge sits: sidebar, meta (site info), header, nav or body."""
    node = element.getparent()
    while node is not None and isinstance(node.tag, str) and node.tag not in ("body", "html"):
        marks = f"{node.get('class') or ''} {node.get('id') or ''}".lower()
        if node.tag == "aside" or any(word in marks for word in _SIDEBAR_WORDS):
            return "sidebar"
        if any(word in marks for word in _META_WORDS):
            return "meta"
        if node.tag in ("header", "nav"):
            return node.tag
        node = node.getparent()
    return "body"


def _badges(builder: ExtractionBuilder, pg: Page) -> None:
    """A Creative Commons badge or link anywhere outside what members wrote (sidebars, meta blocks).

    A ported badge ("by-sa/3.0/de/") keeps its jurisdiction (``CC-BY-SA-3.0-DE``); the region it
    was found in names the rule (``generic.licence.sidebar_badge``) and opens the snippet.
    """
    for element in elements_outside(pg.root, _is_badge, _is_user_content, limit=20):
        if element.tag == "a":
            licence = licence_from_url(urljoin(pg.url, (element.get("href") or "").strip()))
            words = " ".join(filter(None, [text_of(element)] + [img.get("alt") for img in element.iter("img")]))
            snippet = f'<a href="{element.get("href", "")}">{words[:60]}</a>'
        else:
            licence = licence_from_url(urljoin(pg.url, (element.get("src") or "").strip()))
            alt = " ".join(filter(None, (element.get("alt"), element.get("title"))))
            licence = licence or (licence_from_text(alt) if alt else None)
            snippet = f'<img src="{element.get("src", "")}" alt="{alt[:60]}">'
        region = _region(element)
        if _record_licence(builder, licence, f"generic.licence.{region}_badge", f"in {region}: {snippet}"):
            return


# --- canonical URL ----------------------------------------------------------------------------


def _canonical_value(pg: Page, href: str, front: bool) -> str | None:
    absolute = urljoin(pg.url, href.strip())
    if urlsplit(absolute).scheme not in ("http", "https"):
        return None
    # Off the front page the canonical is that page's own address (a thread's title, a session id):
    # only the site it names is the site's.
    return without_session_ids(absolute) if front else site_root(absolute)


def _canonical(builder: ExtractionBuilder, pg: Page, front: bool = True) -> None:
    for href in pg.xpath("//link[translate(@rel,'CANONIL','canonil')='canonical']/@href"):
        if href.strip():
            value = _canonical_value(pg, href, front)
            if value:
                builder.text(
                    "canonical_url",
                    value,
                    "generic.link_canonical",
                    f'<link rel="canonical" href="{without_session_ids(href)}">',
                )
                return
    og_url = pg.meta("og:url")
    if og_url:
        value = _canonical_value(pg, og_url, front)
        if value:
            builder.text(
                "canonical_url",
                value,
                "generic.og_url",
                f'<meta property="og:url" content="{without_session_ids(og_url)}">',
            )


# --- approximate figures ----------------------------------------------------------------------


def _member_counts(builder: ExtractionBuilder, pg: Page) -> None:
    """Members from a homepage's own words: "over 5 million members", "Som 37 membres".

    A count counts when the shared label table reads "members" in the words around it, or, for an
    approximate figure, when it follows "community of" ("a community of over 5 million friends").
    """
    if not is_home_url(pg.url):
        return
    locale = page_language(pg)
    sources = [
        ("generic.meta_description", pg.meta("description")),
        ("generic.og_description", pg.meta("og:description")),
        ("generic.text", content_text(pg, 8_000)),
    ]
    members_word = label_pattern("members")
    for rule, text in sources:
        if not text:
            continue
        text = " ".join(text.split())
        # Labelling every number of a long page is costly: without a "members" word in it, only
        # approximate figures after "community of" can count.
        keep = None if members_word.search(text) else (lambda count: count.approximate)
        for item in labelled_counts(text, primary(locale) or locale, keep=keep):
            before = text[max(0, item.start - 60) : item.start]
            approximate = item.count.approximate
            if item.metric == "members" or (approximate and _COMMUNITY_WORDS.search(before)):
                words = " ".join(before.split(" ")[-4:]) if approximate else item.label
                snippet = scrub(f"{words} {item.count.raw} {item.after}")
                kind = "approximate_members" if approximate else "members"
                builder.metric("members", item.count.value, f"{rule}.{kind}", snippet, approximate=approximate)
                return


def _online_counter(builder: ExtractionBuilder, pg: Page, response: Response) -> None:
    if not has_marker(response, b"onlinecount", b"online-count", b"online_count"):
        return
    for node in pg.xpath(_ONLINE_COUNTER_XPATH)[:5]:
        text = text_of(node, limit=60)
        parsed = parse_count(text, page_language(pg)) if text and _ONLINE_VALUE_RE.match(text) else None
        if parsed and not parsed.approximate:
            builder.metric("online_now", parsed.value, "generic.online_counter", f"{node.tag} {text}")
            return
