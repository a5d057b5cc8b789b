"""About, contact and imprint pages of a site, and the generic address it publishes to be contacted.

Pages: a same-site link whose last path segment (``/a-propos``, ``/impressum``, ``/kontakt``,
``/wiki/Project:About``, phpBB ``memberlist.php?mode=contactadmin``) or whose whole text ("À
propos", "Über uns", "Mentions légales", "Contact us") names it, first in document order;
MediaWiki's ``#footer-places-about`` is an about link whatever its text. Links inside posts and
comments are user content and are skipped.

Address: ``mailto:`` links, then addresses written in the text of the footer, of ``<address>``
and contact/imprint blocks (or of the whole page when it is itself an about, contact or imprint
page), plain or obfuscated (``contact [at] example [dot] org``), and JSON-LD ``email``. Only a
**role** address counts (:func:`crawler.normalize.privacy.role_address`): exactly a role word
(contact, info, hello, team, bonjour, kontakt, ...) at the registrable domain of the site or of its
operator (the ``url`` of its JSON-LD organisation), never a person (``marie.dupont@``,
``kontakt+jonas.becker@``, ``admin-mueller@``), never at a personal webmail (gmail.com, gmx.de,
free.fr, ...). The text of a ``mailto:`` link is never recorded: it is often a person's name.
"""

from __future__ import annotations

import re
from urllib.parse import unquote, urlsplit

from crawler.extraction import ExtractionBuilder
from crawler.normalize.privacy import role_address
from crawler.outreach.context import Anchor, PageContext, host_of
from crawler.outreach.values import put
from crawler.platforms.html import Page

MAX_TEXT = 20_000
MAX_LINK_TEXT = 45


# --- page links -------------------------------------------------------------------------------

_ABOUT_SLUGS = frozenset(
    {
        "about", "about-us", "aboutus", "about_us", "a-propos", "apropos", "a_propos", "qui-sommes-nous",
        "quisommesnous", "notre-association", "l-association", "association", "le-club", "ueber-uns",
        "uber-uns", "ueberuns", "about-the-club", "chi-siamo", "quienes-somos", "sobre-nosotros", "acerca-de",
        "nosotros", "sobre", "sobre-nos", "quem-somos", "qui-som", "over-ons", "o-nas", "verein", "der-verein",
        "mission", "our-mission", "notre-mission", "project:about", "about-this-site",
    }
)  # fmt: skip
_IMPRINT_SLUGS = frozenset(
    {
        "impressum", "imprint", "mentions-legales", "mentionslegales", "mentions_legales", "legal-notice",
        "legal-notices", "legal", "aviso-legal", "avis-legal", "note-legali", "colofon", "colophon",
        "informacion-legal", "nota-legal", "informacoes-legais",
    }
)  # fmt: skip
_CONTACT_SLUGS = frozenset(
    {
        "contact", "contact-us", "contactus", "contact_us", "contactez-nous", "nous-contacter", "kontakt",
        "contacto", "contactanos", "contactenos", "contatti", "contattaci", "contacte", "contato", "fale-conosco",
        "contact.php", "kontaktformular", "get-in-touch", "write-to-us", "ecrivez-nous",
    }
)  # fmt: skip
_CONTACT_QUERY_RE = re.compile(r"mode=contactadmin|do=contactus|action=contact(?:&|$)|sendmessage\.php", re.I)
_ABOUT_TEXT_RE = re.compile(
    r"^(?:about|about us|about the (?:club|community|project|association)|à propos|a propos|qui sommes-nous ?\??"
    r"|notre association|l'association|über uns|ueber uns|der verein|chi siamo|quiénes somos|quienes somos"
    r"|sobre nosotros|acerca de nosotros|nosotros|quem somos|sobre nós|qui som|over ons|o nas"
    r"|(?:about|à propos de|a propos de|über|acerca de|informazioni su|sobre|over|o) \S.{0,30})$",
    re.I,
)
_IMPRINT_TEXT_RE = re.compile(
    r"^(?:impressum|imprint|mentions légales|mentions legales|legal notice|legal notices|aviso legal"
    r"|avís legal|note legali|colofon|colophon|informação legal)$",
    re.I,
)
_CONTACT_TEXT_RE = re.compile(
    r"^(?:contact|contact us|contactez-nous|nous contacter|kontakt|kontaktiere uns|kontaktieren sie uns"
    r"|contacto|contáctanos|contactanos|contatti|contattaci|contacte|contacta'ns|contato|fale conosco"
    r"|get in touch|write to us|écrivez-nous|ecrivez-nous|schreib uns|schreiben sie uns)$",
    re.I,
)


def _slug(url: str) -> str:
    path = unquote(urlsplit(url).path).lower().rstrip("/")
    last = path.rsplit("/", 1)[-1]
    if ":" in last:  # MediaWiki namespaces: Project:About, Wikipedia:À_propos
        last = "project:" + last.split(":", 1)[1]
    last = re.sub(r"\.(?:php|html?|aspx?|jsp)$", "", last) if last != "contact.php" else last
    return last.replace("_", "-").replace(" ", "-").replace("à", "a").replace("é", "e").replace("ü", "ue")


def page_kind(url: str) -> str | None:
    """``about``, ``imprint`` or ``contact`` when ``url`` itself is such a page, else None."""
    slug = _slug(url)
    if slug in _IMPRINT_SLUGS:
        return "imprint"
    if slug in _CONTACT_SLUGS or _CONTACT_QUERY_RE.search(urlsplit(url).query or ""):
        return "contact"
    if slug in _ABOUT_SLUGS or slug.replace("project:", "") in _ABOUT_SLUGS:
        return "about"
    return None


def _link_kind(anchor: Anchor) -> str | None:
    kind = page_kind(anchor.url)
    if kind:
        return kind
    text = anchor.text
    if len(text) > MAX_LINK_TEXT:
        return None
    if _IMPRINT_TEXT_RE.match(text):
        return "imprint"
    if _CONTACT_TEXT_RE.match(text):
        return "contact"
    parent = anchor.element.getparent()
    if _ABOUT_TEXT_RE.match(text) or (parent is not None and parent.get("id") == "footer-places-about"):
        return "about"
    return None


def page_links(ctx: PageContext) -> dict[str, tuple[str, str]]:
    """``{kind: (absolute URL, snippet)}`` of the site's own about, imprint and contact pages."""
    here = ctx.pg.url.split("#")[0].rstrip("/")
    found: dict[str, tuple[str, str]] = {}
    for anchor in ctx.anchors:
        if not anchor.own or urlsplit(anchor.url).scheme not in ("http", "https"):
            continue
        kind = _link_kind(anchor)
        if kind and kind not in found and anchor.url.rstrip("/") != here:
            found[kind] = (anchor.url, f'<a href="{anchor.href[:120]}">{anchor.text[:60]}</a>')
            if len(found) == 3:
                break
    return found


# --- addresses --------------------------------------------------------------------------------

_AT = (
    r"\s*(?:@|\[\s*at\s*\]|\(\s*at\s*\)|\{\s*at\s*\}|\[\s*ät\s*\]|\(\s*ät\s*\)|\(\s*arobase\s*\)"
    r"|\[\s*arobase\s*\])\s*"
)
_DOT = r"(?:\.|\s*\[\s*(?:dot|punkt|point)\s*\]\s*|\s*\(\s*(?:dot|punkt|point)\s*\)\s*)"
_EMAIL_RE = re.compile(rf"(?<![\w.+-])([a-z0-9][a-z0-9._+-]{{0,63}}){_AT}([a-z0-9-]+(?:{_DOT}[a-z0-9-]+)+)", re.I)
_DOT_WORD_RE = re.compile(_DOT, re.I)


def addresses_in_text(text: str) -> list[tuple[str, str]]:
    """``(address, matched text)`` for every plain or obfuscated address in ``text``."""
    out = []
    for match in _EMAIL_RE.finditer(text or ""):
        domain = _DOT_WORD_RE.sub(".", match.group(2)).replace(" ", "")
        out.append((f"{match.group(1)}@{domain}".lower(), match.group(0)))
    return out


def _mailto_candidates(ctx: PageContext, own: list[str]) -> list[tuple[str, str, str]]:
    out = []
    for anchor in ctx.anchors:
        if not anchor.href.lower().startswith("mailto:"):
            continue
        role = role_address(unquote(anchor.href[7:].split("?", 1)[0]).strip(), own)
        if role:
            # The link's text is not quoted: "Marie Dupont (Präsidentin)" names a person.
            snippet = f"mailto link to the role address {role.split('@')[0]!r}"
            out.append((role, "outreach.contact_email.mailto", snippet))
            if len(out) >= 10:
                break
    return out


def _text_candidates(ctx: PageContext, own: list[str]) -> list[tuple[str, str, str]]:
    """Addresses written in the footer (and ``<address>``), or anywhere on an about/contact/imprint page."""
    sources = [("footer", ctx.footer_text)]
    if ctx.kind:
        sources.append(("page", ctx.main_text))
    out = []
    for where, text in sources:
        for address, raw in addresses_in_text(text[:MAX_TEXT]):
            role = role_address(address, own)
            if role:
                local = role.split("@")[0]
                rule = "outreach.contact_email.text" if "@" in raw else "outreach.contact_email.obfuscated_text"
                out.append((role, rule, f"role address {local!r} written in the {where}"))
    return out


def _organisations(pg: Page) -> list[dict]:
    items = list(pg.jsonld)
    for item in pg.jsonld:  # a WebSite's publisher is the organisation behind it
        items.extend(item[key] for key in ("publisher", "provider", "creator") if isinstance(item.get(key), dict))
    return items


def own_domains(pg: Page) -> list[str]:
    """Hosts a role address of this page's site may be at: the site's own and its operator's (JSON-LD ``url``)."""
    hosts = [host_of(pg.url)]
    for item in _organisations(pg):
        url = item.get("url")
        if isinstance(url, str) and url.startswith(("http://", "https://")):
            hosts.append(host_of(url))
    return [host for host in hosts if host]


def _jsonld_candidates(pg: Page, own: list[str]) -> list[tuple[str, str, str]]:
    out = []
    for item in _organisations(pg):
        points = item.get("contactPoint")
        points = points if isinstance(points, list) else [points]
        for source in [item, *[p for p in points if isinstance(p, dict)]]:
            email = source.get("email")
            if isinstance(email, str):
                role = role_address(email.removeprefix("mailto:"), own)
                if role:
                    out.append((role, "outreach.contact_email.jsonld", f'"email": role address {role.split("@")[0]!r}'))
    return out


def extract_contact(builder: ExtractionBuilder, ctx: PageContext) -> None:
    """Record about/imprint/contact page URLs and the site's generic contact address."""
    pg, kind = ctx.pg, ctx.kind
    links = page_links(ctx)
    for field, key, rule in (
        ("about_url", "about", "outreach.link.about"),
        ("imprint_url", "imprint", "outreach.link.imprint"),
        ("contact_url", "contact", "outreach.link.contact"),
    ):
        if key in links:
            put(builder, field, links[key][0], rule, links[key][1])
    if kind:
        field = {"about": "about_url", "imprint": "imprint_url", "contact": "contact_url"}[kind]
        put(builder, field, pg.url, f"outreach.page.{kind}", f"this page is the site's {kind} page")
    own = own_domains(pg)
    candidates = _jsonld_candidates(pg, own) + _mailto_candidates(ctx, own) + _text_candidates(ctx, own)
    if candidates:
        put(builder, "contact_email", *candidates[0])
