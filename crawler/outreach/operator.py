"""Who runs a community: the operator's name as published, and its type.

Sources, best first: a schema.org ``Organization`` (or ``NGO``, ``EducationalOrganization``,
``CollegeOrUniversity``, ``Corporation``, ...) in JSON-LD, alone or as a ``WebSite``'s
``publisher``; an imprint label ("Herausgeber:", "Betreiber:", "Éditeur :", "Site édité par",
"Operated by", "Gestionado por"); a copyright line ("© 2026 Association X", "Copyright ©
2010–2026 LingoBoost Ltd. All rights reserved."); on an about or imprint page, the first
organisation its text names. Platform fields (NodeInfo ``metadata.maintainer``/``organization``)
go through :func:`organisation_name` too.

Only an **organisation** is ever recorded: the name must carry an organisation word or a legal form
(association, e.V., asbl, Verein, fundación, GmbH, SAS, Ltd, Inc, université, ...). A person's
name ("© 2026 Jean Dupont", a maintainer "admin") is dropped, as are the software vendors of
forum footers ("© phpBB Limited", "vBulletin Solutions Inc."). A copyright holder that is the
site's own name is kept as published, with type ``unknown``. The type comes from the same words
(:func:`operator_type`): ``university`` > ``non_profit`` > ``company`` > ``volunteer_group``;
"run by volunteers" / "géré par des bénévoles" gives ``volunteer_group`` without a name.
"""

from __future__ import annotations

import re
from typing import Any

from crawler.extraction import ExtractionBuilder
from crawler.normalize.privacy import scrub
from crawler.outreach.languages import fold
from crawler.outreach.values import put
from crawler.platforms.html import Page

MAX_NAME = 90

_UNIVERSITY_RE = re.compile(
    r"\b(?:universit(?:y|é|e|ät|at|àt|à|a|ad|ade|eit|é)|uniwersytet|hochschule|college|polytechni\w*"
    r"|institute of technology|école normale|escola superior|escuela superior)\b",
    re.I,
)
_NON_PROFIT_RE = re.compile(
    r"\b(?:associations?|asso|associazione|asociaci[oó]n|associa[cç][aã]o|associaci[oó]|vereniging|stichting"
    r"|verein|vereins|fondation|fundaci[oó]n?|funda[cç][aã]o|fondazione|foundation|stiftung|charity"
    r"|non-profit|nonprofit|not-for-profit|sans but lucratif|gemeinn[uü]tzig\w*|ONG|NGO|ONLUS|APS"
    r"|loi (?:de )?1901|asbl|a\.s\.b\.l\.|vzw|v\.z\.w\.|e\.\s?V\.|gGmbH|gUG)(?=$|[\s,;.)!?])",
    re.I,
)
# Legal forms of companies: case-sensitive (a bare "SA" or "AG" only counts in capitals).
_COMPANY_FORM_RE = re.compile(
    r"(?<![\w.])(?:GmbH|AG|SARL|SAS|SASU|SA|EURL|SCOP|Ltd\.?|LTD|Limited|LLC|L\.L\.C\.|Inc\.?|INC|Corp\.?"
    r"|S\.L\.U?\.?|SL|S\.A\.?|S\.r\.l\.?|Srl|SRL|S\.p\.A\.?|SpA|B\.V\.?|BV|N\.V\.?|NV|Oy|AB|ApS|A/S|AS|PLC|plc"
    r"|KG|UG|OHG|sp\. z o\.o\.|Sp\. z o\.o\.|Pty|Lda|Ltda\.?|S\.A\.S\.?)(?=$|[\s,;)!?]|\.(?:\s|$))"
)
_COMPANY_WORD_RE = re.compile(r"\b(?:company|corporation|entreprise|unternehmen|empresa|azienda|société)\b", re.I)
_VOLUNTEER_RE = re.compile(
    r"\b(?:collecti(?:f|ve|vo)|kollektiv|volunteers?|bénévoles?|benevoles?|ehrenamtlich\w*|voluntari[oa]s?"
    r"|volontari|vrijwilligers|wolontariusz\w*|(?:dev|community|core|admin|moderation) team|équipe de bénévoles"
    r"|groupe de bénévoles)\b",
    re.I,
)
_VOLUNTEERS_RUN_RE = re.compile(
    r"\b(?:run|maintained|moderated|operated|managed) (?:entirely |only )?by (?:a (?:team|group) of )?volunteers"
    r"|(?:géré|animé|tenu|maintenu|modéré)e?s? (?:entièrement |uniquement )?par (?:une équipe de |des |un groupe de )?"
    r"bénévoles|von (?:einem Team )?(?:Ehrenamtlichen|Freiwilligen) (?:betrieben|geführt|moderiert)"
    r"|ehrenamtlich (?:betrieben|geführt)|gestionad[oa] por voluntarios|gestit[oa] da volontari"
    r"|gestionat per voluntaris|gestionada per voluntaris|portat per voluntaris|door vrijwilligers",
    re.I,
)
# Forum and wiki software credits in footers name the vendor, not the operator.
_VENDORS = (
    "phpbb", "xenforo", "vbulletin", "jelsoft", "internet brands", "simple machines", "mybb", "invision",
    "discourse", "civilized discourse", "flarum", "nodebb", "woltlab", "wordpress", "automattic", "mediawiki",
    "mastodon", "lemmy", "vanilla forums", "higher logic", "proboards", "forumotion", "tapatalk", "bitrix",
)  # fmt: skip
_ORG_TYPES = {
    "NGO": "non_profit", "NonprofitOrganization": "non_profit", "FundingScheme": "non_profit",
    "CollegeOrUniversity": "university", "EducationalOrganization": "university",
    "Corporation": "company", "LocalBusiness": "company", "OnlineBusiness": "company", "OnlineStore": "company",
}  # fmt: skip
_ORG_SCHEMA_TYPES = frozenset({"Organization", "Organisation", *_ORG_TYPES, "Consortium", "Project", "ResearchProject"})

_COPYRIGHT_RE = re.compile(
    r"(?:©|\(c\)|\bcopyright\b|\bcopyleft\b)\s*(?:©\s*)?(?:\d{4}(?:\s*[-–—/]\s*(?:\d{4}|\d{2}|present|heute|hoy))?"
    r"\s*,?\s*)?(?:by\s+|par\s+|von\s+)?(?P<name>[^|·•©\n]{2,120})",
    re.I,
)
# Where a published name ends: a sentence end (not the dot of "e.V.", "S.A." or "Ltd."), a separator, or
# the rights statement that follows it.
_NAME_STOP_RE = re.compile(
    r"\s*(?:(?-i:(?<![A-Z])(?<!\.[a-z])(?<!Ltd)(?<!Inc)(?<!Corp)(?<!Co)(?<!Srl))\.(?:\s|$)|[|·•]|\s[-–—]\s"
    r"|\b(?:all rights|tous droits|alle rechte|todos los derechos|tutti i diritti|tots els drets"
    r"|todos os direitos|wszelkie prawa|some rights|certains droits|powered by|propulsé|licen[cs]\w*"
    r"|sous licence|unter|bajo|sotto)\b|$)",
    re.I,
)
_IMPRINT_LABEL_RE = re.compile(
    r"(?:Herausgeber(?:in)?|Betreiber(?:in)?|Anbieter(?:in)?|Diensteanbieter|Websitebetreiber|Träger"
    r"|Éditeur|Editeur|(?:Ce |Le )?site (?:est )?édité par|Édité par|Edité par|Publié par|Propriétaire du site"
    r"|Publisher|Published by|Operated by|Site operator|Operator|Run by|Maintained by|Managed by"
    r"|Gestionado por|Titular(?: del sitio)?|Editor|Gestito da|Editore|Titolare|Gerido por|Uitgever"
    r"|Beheerd door|Wydawca|Operador)\s*[:：]?\s+(?P<name>[^\n|·•]{3,120})",
    re.I,
)
# An organisation name inside prose: "l'association Club des Polyglottes", "Sprachfreunde e.V.".
_CAP = r"[A-ZÀ-ÖØ-ÝĀ-Ž][\w’'&.+-]*"
_LINK = r"(?:de|des|du|la|le|les|d’|d'|l’|l'|of|the|for|für|der|di|del|della|dei|per|para|pour|y|et|and|&|i|e|zur|zum)"
_PREFIXED_RE = re.compile(
    rf"\b(?P<name>(?:Association|Asociación|Associazione|Associação|Associació|Verein|Fondation|Fundación|Fundação"
    rf"|Fondazione|Foundation|Stiftung|Stichting|Vereniging|Université|Universidad|Università|Universitat|Universität"
    rf"|University|Universiteit|Uniwersytet|Collectif|Collective|Kollektiv)(?:\s+(?:{_LINK}\s+)*{_CAP}){{1,6}})"
)
_SUFFIXED_RE = re.compile(
    rf"(?P<name>(?:{_CAP}\s+(?:{_LINK}\s+)?){{0,4}}{_CAP}\s*,?\s+(?:e\.\s?V\.|gGmbH|GmbH|Ltd\.?|Limited|Inc\.?|LLC"
    rf"|SAS|SARL|asbl|ASBL|vzw|VZW|S\.L\.|S\.A\.|S\.r\.l\.|Srl|B\.V\.|University|Foundation|Association))(?=$|[\s,;)!?])"
)
_ARTICLE_RE = re.compile(r"^(?:l[’']|la |le |les |the |die |der |das |el |il |lo |la )", re.I)
_PERSON_TITLE_RE = re.compile(r"^(?:m\.|mme|mr\.?|mrs\.?|ms\.?|dr\.?|herr|frau|prof\.?|sr\.?|sra\.?)\s", re.I)


def operator_type(name: str | None) -> str | None:
    """The operator type its name says (``non_profit``, ``company``, ...), or None when it says none."""
    if not name:
        return None
    if _UNIVERSITY_RE.search(name):
        return "university"
    if _NON_PROFIT_RE.search(name):
        return "non_profit"
    if _COMPANY_FORM_RE.search(name) or _COMPANY_WORD_RE.search(name):
        return "company"
    if _VOLUNTEER_RE.search(name):
        return "volunteer_group"
    return None


def _trim(name: str) -> str | None:
    name = _NAME_STOP_RE.split(name, maxsplit=1)[0] if name else ""
    name = " ".join(name.split()).strip(" ,;:-–—\"'()")
    name = _ARTICLE_RE.sub("", name)
    name = name[:1].upper() + name[1:]
    if not name or len(name) > MAX_NAME or "@" in name or "://" in name or not any(c.isalpha() for c in name):
        return None
    if _PERSON_TITLE_RE.match(name):
        return None
    lowered = name.lower()
    if any(vendor in lowered for vendor in _VENDORS):
        return None
    return scrub(name)


def organisation_name(value: Any, site_name: str | None = None) -> str | None:
    """``value`` trimmed when it names an organisation (or is the site's own name), else None."""
    if not isinstance(value, str):
        return None
    name = _trim(value)
    if not name:
        return None
    if operator_type(name):
        return name
    if site_name and fold(name) == fold(site_name):
        return name
    return None


def _schema_types(item: dict) -> list[str]:
    kind = item.get("@type")
    return [k for k in (kind if isinstance(kind, list) else [kind]) if isinstance(k, str)]


def _jsonld_operator(pg: Page) -> tuple[str, str | None, str] | None:
    candidates: list[dict] = []
    for item in pg.jsonld:
        types = _schema_types(item)
        if _ORG_SCHEMA_TYPES & set(types):
            candidates.append(item)
        if "WebSite" in types or "WebPage" in types:
            for key in ("publisher", "creator", "author", "provider"):
                value = item.get(key)
                if isinstance(value, dict) and _ORG_SCHEMA_TYPES & set(_schema_types(value)):
                    candidates.append(value)
    for item in candidates:
        for key in ("legalName", "name"):
            name = item.get(key)
            if isinstance(name, str) and (trimmed := _trim(name)):
                schema_type = next((_ORG_TYPES[t] for t in _schema_types(item) if t in _ORG_TYPES), None)
                return trimmed, schema_type, f'schema.org {"/".join(_schema_types(item))[:40]} "{key}": "{trimmed}"'
    return None


def _first_organisation(text: str) -> tuple[str, str] | None:
    for pattern in (_SUFFIXED_RE, _PREFIXED_RE):
        match = pattern.search(text)
        if match:
            name = _trim(match.group("name"))
            if name and operator_type(name):
                return name, name
    return None


_IMPRINT_STEMS = (
    "herausgeber", "betreiber", "anbieter", "träger", "éditeur", "editeur", "édité", "edité", "publié",
    "propriétaire", "publisher", "published by", "operat", "run by", "maintained by", "managed by", "gestionado",
    "titular", "editor", "gestito", "titolare", "gerido", "uitgever", "beheerd", "wydawca",
)  # fmt: skip
_VOLUNTEER_STEMS = ("volunteer", "bénévol", "ehrenamt", "freiwillig", "voluntari", "volontari", "vrijwillig")


def _imprint_label(text: str, site_name: str | None) -> tuple[str, str] | None:
    lowered = text.lower()
    if not any(stem in lowered for stem in _IMPRINT_STEMS):
        return None
    for match in _IMPRINT_LABEL_RE.finditer(text):
        raw = re.split(r"[,;]", match.group("name"), maxsplit=1)[0]
        found = organisation_name(raw, site_name) or (_first_organisation(raw) or (None,))[0]
        if found:
            label = match.group(0)[: match.start("name") - match.start()].strip()
            return found, f"{label} {found}"
    return None


def _copyright(text: str, site_name: str | None) -> tuple[str, str] | None:
    lowered = text.lower()
    if "©" not in text and "(c)" not in lowered and "copyright" not in lowered and "copyleft" not in lowered:
        return None
    for match in _COPYRIGHT_RE.finditer(text):
        around = text[max(0, match.start() - 30) : match.end()].lower()
        if "powered by" in around or "software" in around or "propulsé" in around:
            continue
        name = organisation_name(match.group("name"), site_name)
        if name:
            return name, f"{match.group(0)[: match.start('name') - match.start()].strip()} {name}"
    return None


def extract_operator(builder: ExtractionBuilder, pg: Page, footer_text: str, main_text: str, kind: str | None) -> None:
    """Record the operator's name and type from JSON-LD, an imprint label, a copyright line or page text."""
    site_name = builder.extraction.name
    found = _jsonld_operator(pg)
    if found:
        name, schema_type, snippet = found
        if put(builder, "operator_name", name, "outreach.operator.jsonld", snippet) and schema_type:
            put(builder, "operator_type", schema_type, "outreach.operator_type.jsonld_type", snippet)
    # An imprint or about page names its operator in its text; elsewhere the footer does.
    sources = [main_text, footer_text] if kind else [footer_text]
    for text in sources:
        if builder.extraction.operator_name:
            break
        for finder, rule in (
            (_imprint_label, "outreach.operator.imprint_label"),
            (_copyright, "outreach.operator.copyright"),
        ):
            hit = finder(text, site_name)
            if hit and put(builder, "operator_name", hit[0], rule, hit[1]):
                break
    if not builder.extraction.operator_name and kind in ("about", "imprint"):
        hit = _first_organisation(main_text)
        if hit:
            put(builder, "operator_name", hit[0], f"outreach.operator.{kind}_text", hit[1])
    name = builder.extraction.operator_name
    evidence = builder.extraction.evidence.get("operator_name")
    kind_of = operator_type(name)
    if kind_of and evidence is not None:
        put(builder, "operator_type", kind_of, "outreach.operator_type.from_name", name)
    if builder.extraction.operator_type is None:
        for text in (main_text, footer_text):
            lowered = text.lower()
            match = _VOLUNTEERS_RUN_RE.search(text) if any(s in lowered for s in _VOLUNTEER_STEMS) else None
            if match:
                rule = "outreach.operator_type.volunteers_text"
                put(builder, "operator_type", "volunteer_group", rule, match.group(0))
                break
