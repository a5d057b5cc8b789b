"""About, contact and imprint pages of a site, and the generic address it publishes to be contacted.

Pages: a same-site link whose last path segment (``/a-propos``, ``/impressum``, ``/kontakt``,
``/wiki/Project:About``, phpBB ``memberlist.php?mode=contactadmin``) or whose whole text ("À
propos", "Über uns", "Mentions légales", "Contact us") names it, first in document order;
MediaWiki's ``#footer-places-about`` is an about link whatever its text. Links inside posts and
comments are user content and are skipped.

Address: ``mailto:`` links, then addresses written in the text of the footer, of ``<address>``
and contact/imprint blocks (or of the whole page when it is itself an about, contact or imprint
page), plain or obfuscated (``contact [at] example [dot] org``), and JSON-LD ``email``. Only a
**role** address counts (:func:`role_address`): its local part is a function (contact, info,
hello, team, bonjour, kontakt, ...), never a person (``marie.dupont@``), and never at a personal
webmail (gmail.com, gmx.de, free.fr, ...). An address on the site's own registrable domain wins.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import unquote, urlsplit

from crawler.discovery.urls import registrable_domain
from crawler.extraction import ExtractionBuilder
from crawler.outreach.context import Anchor, PageContext, host_of
from crawler.outreach.values import put
from crawler.platforms.html import Page

MAX_TEXT = 20_000
MAX_LINK_TEXT = 45

ROLE_LOCALPARTS = frozenset(
    {
        "contact", "contacts", "contactus", "contacto", "contato", "contatto", "contatti", "contacte", "kontakt",
        "kontakty", "info", "infos", "information", "informations", "informacion", "hello", "hi", "hallo", "hola",
        "ola", "ciao", "bonjour", "salut", "hej", "team", "equipe", "staff", "office", "bureau", "secretariat",
        "sekretariat", "secretaria", "segreteria", "association", "asso", "verein", "club", "community",
        "communaute", "comunidad", "press", "presse", "prensa", "partners", "partner", "partenaires",
        "partenariat", "partnerships", "support", "help", "aide", "hilfe", "ayuda", "aiuto", "mail", "post",
        "postmaster", "webmaster", "admin", "administration", "moderation", "moderators", "mods", "feedback",
        "questions", "inquiries", "enquiries", "membership", "members", "adhesion", "mitglieder", "benevoles",
        "volunteers", "events", "evenements", "tandem", "courses", "cours", "school", "ecole", "org", "redaktion",
        "redaction", "editors", "board", "vorstand", "kontaktformular", "general", "main", "welcome", "bienvenue",
    }
)  # fmt: skip
WEBMAIL_DOMAINS = frozenset(
    {
        "gmail.com", "googlemail.com", "yahoo.com", "ymail.com", "hotmail.com", "outlook.com", "live.com",
        "msn.com", "aol.com", "icloud.com", "me.com", "mac.com", "gmx.de", "gmx.net", "gmx.at", "gmx.ch",
        "gmx.fr", "gmx.com", "web.de", "t-online.de", "freenet.de", "posteo.de", "mailbox.org", "free.fr",
        "orange.fr", "wanadoo.fr", "laposte.net", "sfr.fr", "neuf.fr", "bbox.fr", "aliceadsl.fr", "club-internet.fr",
        "libero.it", "tiscali.it", "virgilio.it", "alice.it", "tin.it", "terra.es", "telefonica.net",
        "protonmail.com", "protonmail.ch", "proton.me", "pm.me", "tutanota.com", "tutanota.de", "tuta.io",
        "yandex.ru", "yandex.com", "mail.ru", "inbox.ru", "bk.ru", "list.ru", "rambler.ru", "seznam.cz",
        "wp.pl", "o2.pl", "onet.pl", "interia.pl", "op.pl", "naver.com", "daum.net", "qq.com", "163.com",
        "126.com", "sina.com", "hushmail.com", "fastmail.com", "fastmail.fm", "zoho.com", "gmx.us", "uol.com.br",
        "bol.com.br", "terra.com.br", "hotmail.fr", "hotmail.de", "hotmail.es", "hotmail.it", "hotmail.co.uk",
        "yahoo.fr", "yahoo.de", "yahoo.es", "yahoo.it", "yahoo.co.uk", "yahoo.co.jp", "outlook.fr",
        "outlook.de", "outlook.es", "live.fr", "live.de", "live.co.uk", "btinternet.com", "comcast.net",
    }
)  # fmt: skip
_WEBMAIL_PREFIXES = ("yahoo.", "hotmail.", "outlook.", "live.", "gmx.", "yandex.", "aol.", "windowslive.")

_LABEL_RE = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")
_LOCAL_RE = re.compile(r"^[a-z0-9][a-z0-9._+-]{0,63}$")


def role_address(address: Any) -> str | None:
    """``address`` lowercased when it is a generic role address of an organisation, else None.

    ``contact@``, ``info.lyon@``, ``hello+tandem@`` are roles; ``marie.dupont@``, ``m.dupont@``,
    ``jdupont@`` and any address at a personal webmail are people, dropped.
    """
    if not isinstance(address, str) or address.count("@") != 1:
        return None
    local, domain = address.strip().lower().split("@")
    domain = domain.rstrip(".")
    if not _LOCAL_RE.match(local) or "." not in domain or len(domain) > 253:
        return None
    if not all(_LABEL_RE.match(label) for label in domain.split(".")) or not domain.split(".")[-1].isalpha():
        return None
    if domain in WEBMAIL_DOMAINS or domain.startswith(_WEBMAIL_PREFIXES):
        return None
    tokens = [t for t in re.split(r"[._-]", local.split("+", 1)[0]) if t]
    if not tokens or tokens[0] not in ROLE_LOCALPARTS or len(tokens) > 2:
        return None
    if len(tokens) == 2 and not (tokens[1] in ROLE_LOCALPARTS or (tokens[1].isalpha() and len(tokens[1]) <= 12)):
        return None
    return f"{local}@{domain}"


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


def _best(candidates: list[tuple[str, str, str]], site_url: str) -> tuple[str, str, str] | None:
    """The first candidate on the site's own registrable domain, else the first one."""
    own = registrable_domain(host_of(site_url))
    for candidate in candidates:
        if registrable_domain(candidate[0].split("@", 1)[1]) == own:
            return candidate
    return candidates[0] if candidates else None


def _mailto_candidates(ctx: PageContext) -> list[tuple[str, str, str]]:
    out = []
    for anchor in ctx.anchors:
        if not anchor.href.lower().startswith("mailto:"):
            continue
        role = role_address(unquote(anchor.href[7:].split("?", 1)[0]).strip())
        if role:
            local = role.split("@")[0]
            text = "" if "@" in anchor.text else f' "{anchor.text[:40]}"'
            out.append((role, "outreach.contact_email.mailto", f"mailto link to the role address {local!r}{text}"))
            if len(out) >= 10:
                break
    return out


def _text_candidates(ctx: PageContext) -> list[tuple[str, str, str]]:
    """Addresses written in the footer (and ``<address>``), or anywhere on an about/contact/imprint page."""
    sources = [("footer", ctx.footer_text)]
    if ctx.kind:
        sources.append(("page", ctx.main_text))
    out = []
    for where, text in sources:
        for address, raw in addresses_in_text(text[:MAX_TEXT]):
            role = role_address(address)
            if role:
                local = role.split("@")[0]
                rule = "outreach.contact_email.text" if "@" in raw else "outreach.contact_email.obfuscated_text"
                out.append((role, rule, f"role address {local!r} written in the {where}"))
    return out


def _jsonld_candidates(pg: Page) -> list[tuple[str, str, str]]:
    out = []
    items = list(pg.jsonld)
    for item in pg.jsonld:  # a WebSite's publisher is the organisation behind it
        items.extend(item[key] for key in ("publisher", "provider", "creator") if isinstance(item.get(key), dict))
    for item in items:
        points = item.get("contactPoint")
        points = points if isinstance(points, list) else [points]
        for source in [item, *[p for p in points if isinstance(p, dict)]]:
            email = source.get("email")
            if isinstance(email, str):
                role = role_address(email.removeprefix("mailto:"))
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
    candidates = _jsonld_candidates(pg) + _mailto_candidates(ctx) + _text_candidates(ctx)
    best = _best(candidates, pg.url)
    if best:
        put(builder, "contact_email", best[0], best[1], best[2])
