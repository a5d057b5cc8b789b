"""Personal data is never stored: the one rule, and the functions that apply it to every kept text.

Tremplin publishes public, **aggregate** data about communities, never about their members. The rule:

- an e-mail address is kept only as a community's ``contact_email`` and only when it is a **role
  address** (:func:`role_address`): exactly a known role word (``contact``, ``info``, ``kontakt``,
  ...) at the registrable domain of the site or of its operator. ``kontakt+jonas.becker@``,
  ``contact.dupont@``, ``admin-mueller@`` (a second token), ``info@gmail.co.uk`` (a personal
  webmail) and any address at another domain are people's addresses, never kept. In every other
  text an address becomes ``[e-mail removed]``;
- phone numbers become ``[phone removed]`` (international ``+33 6 12 34 56 78``, national
  ``06 12 34 56 78``, or any number after "tel", "phone", "call", "Telefon", "appelez"...);
- person names become ``[name removed]``: after the words that introduce a person ("run by",
  "contact:", "Präsidentin", "géré par", honorifics such as "Mme", "Herr", "Dr.") unless the words
  that follow name an organisation ("run by the Lyon Tandem Association"). The text of a
  ``mailto:`` link, often a person's name, is never recorded at all (:mod:`crawler.outreach.contact`);
- member profile links become ``[profile link removed]``; session ids are cut out of every URL
  (:func:`without_session_ids`: ``sid=``, ``PHPSESSID=``, vBulletin's ``s=<32 hex>``,
  ``;jsessionid=``), in URL fields and inside snippets.

Readers keep user content (posts, signatures, thread pages) out of descriptions at the source
(:mod:`crawler.outreach.context`); :func:`redact_item` is the last gate, applied by the normalise
pipeline to every text of every item before it is stored (names, descriptions, evidence values and
snippets, outreach fields, URLs, links, error messages).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from crawler.discovery.urls import SESSION_HEX_RE, SESSION_KEYS, registrable_domain

EMAIL_REMOVED = "[e-mail removed]"
PHONE_REMOVED = "[phone removed]"
NAME_REMOVED = "[name removed]"
PROFILE_REMOVED = "[profile link removed]"

# --- role addresses ------------------------------------------------------------------------------

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
        "bol.com.br", "terra.com.br", "btinternet.com", "comcast.net", "gmail", "googlemail",
    }
)  # fmt: skip
# Webmail brands under any country domain: gmail.co.uk, yahoo.fr, hotmail.de, outlook.es, live.co.uk...
_WEBMAIL_BRANDS = frozenset(
    {"gmail", "googlemail", "yahoo", "ymail", "hotmail", "outlook", "live", "msn", "aol", "icloud", "gmx",
     "yandex", "windowslive", "protonmail", "proton", "tutanota", "mail", "inbox", "zoho", "fastmail"}
)  # fmt: skip
_LABEL_RE = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")


def is_webmail(domain: str) -> bool:
    """True for a personal webmail domain (``gmail.com``, ``gmail.co.uk``, ``gmx.de``, ``free.fr``...)."""
    domain = domain.lower().rstrip(".")
    if domain in WEBMAIL_DOMAINS:
        return True
    brand = registrable_domain(domain).split(".", 1)[0]
    return brand in _WEBMAIL_BRANDS


def role_address(address: Any, own_domains: Iterable[str] | None = None) -> str | None:
    """``address`` lowercased when it is a role address of the site or its operator, else None.

    A role address is exactly a word of :data:`ROLE_LOCALPARTS` (no ``+tag``, no second token such
    as ``contact.dupont`` or ``admin-mueller``), never at a personal webmail, and, when
    ``own_domains`` is given, at one of those registrable domains (the site's, its operator's).
    """
    if not isinstance(address, str) or address.count("@") != 1:
        return None
    local, domain = address.strip().lower().split("@")
    domain = domain.rstrip(".")
    if local not in ROLE_LOCALPARTS or "." not in domain or len(domain) > 253:
        return None
    labels = domain.split(".")
    if not all(_LABEL_RE.match(label) for label in labels) or not labels[-1].isalpha() or is_webmail(domain):
        return None
    if own_domains is not None:
        owners = {registrable_domain(d) for d in own_domains if d}
        if registrable_domain(domain) not in owners:
            return None
    return f"{local}@{domain}"


# --- free text -----------------------------------------------------------------------------------

_EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# Profile pages of the platforms Tremplin reads (member pages, user handles in URLs).
_PROFILE_URL_RE = re.compile(
    r"\S*(?:memberlist\.php\?mode=viewprofile|/members?/[^\s/]+|/users?/[^\s/]+|/u/[^\s/]+|"
    r"member\.php\?|profile\.php\?|action=profile|/@[\w.-]+)\S*",
    re.IGNORECASE,
)
_PATH_SESSION_RE = re.compile(r";(?:jsessionid|phpsessid|sessionid|sid)=[^/?#&;\s\"'<>]*", re.I)
# A session parameter inside a text (a snippet quoting a link): followed by another parameter, or last.
_SESSION_PARAM = (
    r"(?:sid|phpsessid|jsessionid|sessionid|session_id|sessid|oscsid|zenid|s_id|cfid|cftoken|aspsessionid\w*"
    r"|s(?==[0-9a-fA-F]{32}(?![\w])))=[^&#\s\"'<>;]*"
)
_SESSION_PARAM_THEN_MORE_RE = re.compile(rf"(?<=[?&;])(?:amp;)?{_SESSION_PARAM}(?:&amp;|&|;)", re.I)
_SESSION_PARAM_LAST_RE = re.compile(rf"[?&;](?:amp;)?{_SESSION_PARAM}(?=[#\s\"'<>]|$)", re.I)

# Phone numbers: an international number, a French/Belgian/Swiss-style national one in pairs, or
# any digit run after a word that announces a phone. Counts ("12 345 members") match none of these.
_PHONE_WORDS = (
    r"tel|tél|téléphone|telephone|telefon|telefono|teléfono|telefone|phone|call(?: us)?|fon|handy|mobil|mobile"
    r"|portable|móvil|movil|cell|whatsapp|signal|fax|appelez(?:-nous)?|ruf(?:en sie)?(?: uns)? an|llámanos|chiamaci"
)
_PHONE_RE = re.compile(
    r"(?<![\w+])\+\d{1,3}[\s./-]?(?:\(0\)\s?)?\(?\d{1,4}\)?(?:[\s./-]?\d{1,4}){1,5}(?!\w)"
    r"|(?<![\w.,])0[1-9](?:[\s.-]\d{2}){4}(?![\w.,]\d)"
)
_PHONE_CUE_RE = re.compile(
    rf"\b(?:{_PHONE_WORDS})\b\.?\s*[:.]?\s*(?P<number>\(?\+?\d[\d\s()./-]{{5,22}}\d)(?!\w)", re.I
)
_DIGITS_RE = re.compile(r"\d")

# Person names after the words that introduce a person, and after honorifics.
_CAP = r"[A-ZÀ-ÖØ-ÞĀ-Ž][a-zà-öø-ÿā-ž'’]+(?:-[A-ZÀ-ÖØ-ÞĀ-Ž]?[a-zà-öø-ÿā-ž'’]+)*\.?"
_PARTICLE = r"(?:de|du|des|van|von|der|den|da|di|del|della|dos|le|la|ter|zu|y|e|bin|ibn)"
_NAME = rf"{_CAP}(?:\s+(?:{_PARTICLE}\s+)?{_CAP}){{1,3}}"
_HONORIFIC = r"(?:(?:Mr|Mrs|Ms|Mx|Dr|Prof|Mme|Mlle|Sr|Sra|Srta|Sig|Dott)\.?|M\.|Miss|Herr|Frau|Sig\.ra)"
# Words after which a person's name follows at once ("run by Jane Roe", "géré par Jean Martin").
_PERSON_CUES = (
    r"run by|managed by|maintained by|moderated by|founded by|created by|hosted by|organi[sz]ed by|led by"
    r"|administered by|owned by|edited by|written by|posted by|started by|coordinated by"
    r"|geleitet von|betrieben von|gegründet von|moderiert von|organisiert von|betreut von"
    r"|organisée? par|gérée? par|animée? par|fondée? par|créée? par|tenue? par|coordonnée? par"
    r"|dirigido por|organizado por|fundado por|gestionado por|a cargo de|gestito da|fondato da|organizzato da"
    r"|curato da|beheerd door|opgericht door|prowadzony przez|założony przez|write to|écrire à|schreiben an"
)
# Roles, which name a person only as a label ("Präsidentin: Marie Dupont", "Contact - Jean Martin"):
# without the colon or dash, "Contact Us Today" or "Admin Panel" are no one.
_ROLE_LABELS = (
    r"contact person|contact|kontakt|ansprechpartner(?:in)?|verantwortlich(?: für den inhalt)?(?: nach [^:]{0,30})?"
    r"|kontaktperson|inhaber(?:in)?|vorsitzende[rn]?|präsident(?:in)?|president|présidente?|presidente?"
    r"|secrétaire|secretary|trésorière?|treasurer|chair(?:wo)?man|chair|webmaster|admin(?:istrator)?|responsable"
)
_PERSONS = rf"(?P<cued>{_NAME}(?:\s*(?:,|&|\b(?:and|und|et|y|e|en|i|oraz)\b)\s*{_NAME})*)"
_PERSON_RE = re.compile(
    rf"(?:(?i:\b(?:{_PERSON_CUES})\b)\s*[:：,-]?|(?i:\b(?:{_ROLE_LABELS})\b)\s*[:：–-])\s*(?:{_HONORIFIC}\s+)?{_PERSONS}"
    rf"|\b{_HONORIFIC}\s+(?P<titled>{_CAP}(?:\s+(?:{_PARTICLE}\s+)?{_CAP}){{0,3}})"
)
# Words that make what follows a cue an organisation (or the site itself), not a person.
_ORGANISATION_WORD_RE = re.compile(
    r"\b(?:association|asso|verein|club|team|équipe|equipe|e\.\s?v|gmbh|ggmbh|ltd|limited|inc|llc|sarl|sas"
    r"|university|universit\w*|universität|hochschule|college|school|école|ecole|schule|institut\w*"
    r"|foundation|fondation|fundación|stiftung|stichting|society|société|gesellschaft|group|groupe|gruppe"
    r"|collective|collectif|kollektiv|community|communauté|gemeinschaft|forum|forums|project|projet|projekt"
    r"|network|réseau|netzwerk|council|conseil|ministry|ministère|city|ville|stadt|library|bibliothèque"
    r"|museum|musée|centre|center|zentrum|federation|fédération|union|league|ligue|academy|académie|akademie"
    r"|press|media|wiki|wikimedia|board|committee|comité|komitee|staff|moderators|volunteers|bénévoles)\b",
    re.I,
)


def _phone(match: re.Match[str]) -> str:
    digits = len(_DIGITS_RE.findall(match.group(0)))
    return PHONE_REMOVED if 7 <= digits <= 16 else match.group(0)


def _cued_phone(match: re.Match[str]) -> str:
    number = match.group("number")
    if not 6 <= len(_DIGITS_RE.findall(number)) <= 16:
        return match.group(0)
    return match.group(0)[: match.start("number") - match.start()] + PHONE_REMOVED


def _person(match: re.Match[str]) -> str:
    name = match.group("cued") or match.group("titled")
    if _ORGANISATION_WORD_RE.search(name):
        return match.group(0)
    # After a cue the cue stays ("Run by [name removed]"); an honorific goes with its name.
    start = match.start("cued") if match.group("cued") else match.start()
    return match.group(0)[: start - match.start()] + NAME_REMOVED


def without_session_ids(url: str | None) -> str | None:
    """``url`` without session ids (query keys, vBulletin's ``s=<hex>``, ``;jsessionid=`` path parameters)."""
    if not url or not isinstance(url, str):
        return url
    lowered = url.lower()
    if "sess" not in lowered and "sid" not in lowered and "s=" not in lowered and "cf" not in lowered:
        return url
    try:
        parts = urlsplit(url)
    except ValueError:
        return scrub(url)
    path = _PATH_SESSION_RE.sub("", parts.path)
    kept = []
    for piece in re.split(r"([&;])", parts.query) if parts.query else []:
        if piece in ("&", ";"):
            kept.append(piece)
            continue
        key, _, value = piece.partition("=")
        bare = key.lower().removeprefix("amp;")
        if bare in SESSION_KEYS or bare.startswith("aspsessionid") or (bare == "s" and SESSION_HEX_RE.match(value)):
            continue
        kept.append(piece)
    query = re.sub(r"^[&;]+|[&;]+$", "", re.sub(r"([&;])[&;]+", r"\1", "".join(kept)))
    return urlunsplit((parts.scheme, parts.netloc, path, query, parts.fragment))


def scrub(text: str | None) -> str | None:
    """``text`` without e-mail addresses, phone numbers, person names, profile links or session ids."""
    if not text or not isinstance(text, str):
        return text
    if "@" in text:
        text = _EMAIL_RE.sub(EMAIL_REMOVED, text)
    text = _PROFILE_URL_RE.sub(PROFILE_REMOVED, text)
    lowered = text.lower()
    if "s=" in lowered or "sid" in lowered or "sess" in lowered or "cfid" in lowered:
        text = _SESSION_PARAM_LAST_RE.sub("", _SESSION_PARAM_THEN_MORE_RE.sub("", _PATH_SESSION_RE.sub("", text)))
    if _DIGITS_RE.search(text):
        text = _PHONE_CUE_RE.sub(_cued_phone, _PHONE_RE.sub(_phone, text))
    text = _PERSON_RE.sub(_person, text)
    return text


# --- items -----------------------------------------------------------------------------------------

# Item fields holding a URL: session ids out. The outreach pages are never a member's profile.
URL_FIELDS = ("url", "seed_url", "canonical_url", "licence_url", "moved_from")
OUTREACH_URL_FIELDS = ("about_url", "contact_url", "imprint_url")
# Free-text fields: scrubbed.
TEXT_FIELDS = ("name", "description", "operator_name", "platform_version", "licence")


def clean_url(url: Any, drop_profiles: bool = False) -> Any:
    """A URL as stored: without session ids; with ``drop_profiles``, None for a member profile URL."""
    if not isinstance(url, str):
        return url
    url = without_session_ids(url)
    return None if drop_profiles and url and _PROFILE_URL_RE.fullmatch(url) else url


def redact_item(item: Any) -> None:
    """Apply the rule to every text of a community item (in place): fields, evidence, links."""
    for key in TEXT_FIELDS:
        if isinstance(getattr(item, key, None), str):
            setattr(item, key, scrub(getattr(item, key)))
    for key in (*URL_FIELDS, *OUTREACH_URL_FIELDS):
        if hasattr(item, key):
            setattr(item, key, clean_url(getattr(item, key), drop_profiles=key in OUTREACH_URL_FIELDS))
    if getattr(item, "contact_email", None):
        # The reader checked the domain (the site's or its operator's, which only the page knows);
        # the gate checks the role shape again.
        item.contact_email = role_address(item.contact_email)
    for key in ("meetup_cities", "practised_languages"):
        values = getattr(item, key, None)
        if values:
            setattr(item, key, [scrub(value) for value in values])
    for key, evidence in list((getattr(item, "evidence", None) or {}).items()):
        if (key == "contact_email" and not item.contact_email) or (
            key in OUTREACH_URL_FIELDS and getattr(item, key, None) is None
        ):
            del item.evidence[key]
            continue
        evidence["snippet"] = scrub(evidence.get("snippet"))
        evidence["source_url"] = clean_url(evidence.get("source_url"))
    for link in getattr(item, "links", None) or []:
        link["to_url"] = clean_url(link.get("to_url")) or ""


def redact_error(item: Any) -> None:
    """Apply the rule to a fetch error or candidate: URLs without session ids, messages scrubbed."""
    if isinstance(getattr(item, "url", None), str):
        item.url = without_session_ids(item.url)
    for key in ("message", "reason"):
        if isinstance(getattr(item, key, None), str):
            setattr(item, key, scrub(getattr(item, key)))
