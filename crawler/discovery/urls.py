"""URL facts for discovery: registrable domains, site roots, host names and spider traps.

:func:`trap_reason` is the crawl's single gate against URLs that are endless (calendars, searches,
session ids, repeated or very deep paths), personal (member lists and profiles, never fetched:
member names and profile URLs are personal data, and only aggregate counts are kept), useless for
community metrics (binaries) or that act on the site (log in, register, post, edit). Its rules
follow Heritrix, Nutch and StormCrawler (their URL filters and trap detection): StormCrawler's
``maxLength: 1024`` and ``maxPathRepetition: 3``, and a depth limit much lower than Heritrix's 20
because a discovery crawl needs few levels.

It is checked against every statistics endpoint the adapters ask for, so a rule must never match
one of them (``api.php?action=query``, ``/api/v1/instance``, ``index.php?action=stats``, ...); the
tests pin that.
"""

from __future__ import annotations

import ipaddress
import re
from collections import Counter
from functools import lru_cache
from urllib.parse import unquote, urlsplit

from publicsuffixlist import PublicSuffixList

from crawler.identity import check_url

MAX_URL_CHARS = 1024
MAX_PATH_SEGMENTS = 8
MAX_SEGMENT_REPEATS = 3

# The bundled list (publicsuffixlist ships it inside the package): never downloaded. Private
# suffixes count too, so two blogspot.com or github.io sites are two owners, not one.
_PSL = PublicSuffixList()


def _bare_host(host: str) -> str:
    """Lowercase host without port, trailing dot or IPv6 brackets."""
    host = (host or "").strip().lower()
    if host.startswith("["):
        end = host.find("]")
        return host[1:end] if end > 0 else host[1:]
    if host.count(":") == 1:
        host = host.split(":", 1)[0]
    return host.rstrip(".")


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


# A host is asked again while its site is visited and when popular sites are linked to: the recent
# 8,192 hosts answer those (about 2 MB; 65,536 held 16 MB by the end of a large crawl).
@lru_cache(maxsize=8_192)
def registrable_domain(host: str) -> str:
    """Return the registrable domain (eTLD+1) of a host: ``forum.example.co.uk`` -> ``example.co.uk``.

    Ports are stripped; IP addresses, ``localhost`` and names that are themselves a public suffix
    are returned as they are (lowercase, without port).
    """
    bare = _bare_host(host)
    if not bare or bare == "localhost" or _is_ip(bare):
        return bare
    return _PSL.privatesuffix(bare) or bare


def site_root(url: str) -> str:
    """Return ``scheme://host[:port]/`` of an http(s) URL: lowercase host, scheme kept, default port dropped.

    Raises :class:`crawler.identity.InvalidUrlError` when ``url`` is not an absolute http(s) URL.
    """
    parts = urlsplit(check_url(url))
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").rstrip(".")
    if ":" in host:
        host = f"[{host}]"
    port = parts.port
    default = 443 if scheme == "https" else 80
    suffix = f":{port}" if port and port != default else ""
    return f"{scheme}://{host}{suffix}/"


def site_id(host: str, port: int | None = None) -> str:
    """One id per site for deduplication: lowercase host without ``www.``, a non-default port kept."""
    host = _bare_host(host)
    host = host[4:] if host.startswith("www.") else host
    return f"{host}:{port}" if port and port not in (80, 443) else host


def domain_id(host: str, port: int | None = None) -> str:
    """The registrable domain of a host; for an IP address or ``localhost``, the address and port.

    No domain groups servers on addresses, and each port is another server (a loopback test web
    is one port per site).
    """
    bare = _bare_host(host)
    if bare == "localhost" or _is_ip(bare):
        return site_id(bare, port)
    return registrable_domain(bare)


_LABEL_RE = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")
_TLD_RE = re.compile(r"^(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$")
# Names that no public resolver answers although peer lists carry them (Tor, I2P, mDNS, home
# networks). The RFC 2606 test names (.test, .example) stay valid: loopback test webs use them.
_UNREACHABLE_TLDS = frozenset({"onion", "i2p", "local", "localhost", "internal", "lan", "invalid"})


def public_host_name(text: object) -> str | None:
    """Return ``text`` as a lowercase ASCII DNS host name of a public site, or None.

    Used for bare domains read from JSON (fediverse peer lists): labels of letters, digits and
    hyphens, at least two labels, an alphabetic (or punycode) top-level domain, no port, no IP
    address, no name public resolvers never answer (``.onion``, ``.i2p``, ``.local``,
    ``home.arpa``). Unicode names are returned in punycode.
    """
    if not isinstance(text, str):
        return None
    host = text.strip().lower().rstrip(".")
    if not host or len(host) > 253:
        return None
    if not host.isascii():
        try:
            host = host.encode("idna").decode("ascii")
        except UnicodeError:
            return None
    labels = host.split(".")
    if len(labels) < 2 or not all(_LABEL_RE.match(label) for label in labels):
        return None
    if not _TLD_RE.match(labels[-1]) or labels[-1] in _UNREACHABLE_TLDS or host.endswith(".home.arpa"):
        return None
    return host


def peer_address(text: object) -> str | None:
    """Return a peer-list entry as ``host[:port]`` (lowercase, punycode), or None when it is not one.

    Host names as :func:`public_host_name`, or IP literals (private ones are refused later by the
    crawl's SSRF guard, like any other URL); an optional port 1-65535. Paths, schemes, user info
    and spaces make the entry invalid.
    """
    if not isinstance(text, str):
        return None
    entry = text.strip().lower()
    port = ""
    match = re.fullmatch(r"(\[[0-9a-f:.]+\]|[^:\[\]]+)(?::(\d{1,5}))?", entry)
    if not match:
        return None
    host = match.group(1)
    if match.group(2) is not None:
        number = int(match.group(2))
        if not 0 < number < 65536:
            return None
        port = f":{number}"
    bare = host.strip("[]")
    if _is_ip(bare):
        return (f"[{bare}]" if ":" in bare else bare) + port
    name = public_host_name(host)
    return name + port if name else None


# --- traps -------------------------------------------------------------------------------------

_BINARY_EXTENSIONS = frozenset(
    {
        # images
        "jpg", "jpeg", "png", "gif", "webp", "svg", "ico", "bmp", "tif", "tiff", "avif", "heic",
        # documents and e-books
        "pdf", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "odt", "ods", "odp", "rtf", "epub", "mobi",
        # archives and installers
        "zip", "gz", "tgz", "bz2", "xz", "7z", "rar", "tar", "exe", "msi", "dmg", "apk", "iso", "deb", "rpm", "bin",
        # audio and video
        "mp3", "mp4", "m4a", "m4v", "ogg", "ogv", "oga", "opus", "wav", "flac", "webm", "mov", "avi", "mkv",
        "wmv", "flv",
        # page assets and calendars: never a page about a community
        "css", "js", "woff", "woff2", "ttf", "otf", "eot", "ics",
    }
)  # fmt: skip

# Query keys that carry a session id; vBulletin's ``s=`` does when its value is 32 hex digits. The
# privacy rule (crawler.normalize.privacy) cuts the same ones out of every stored URL.
SESSION_KEYS = frozenset(
    {
        "sid",
        "phpsessid",
        "jsessionid",
        "sessionid",
        "session_id",
        "sessid",
        "oscsid",
        "zenid",
        "s_id",
        "cfid",
        "cftoken",
    }
)
SESSION_HEX_RE = re.compile(r"^[0-9a-f]{32}$", re.I)

# Member lists and profiles of forums, wikis and fediverse software: personal data, never fetched.
_MEMBER_FILES = frozenset({"memberlist", "members", "member", "profile", "userlist", "viewprofile", "showuser"})
_MEMBER_SEGMENTS = frozenset(
    {"members", "member", "u", "user", "users", "profile", "profiles", "membres", "mitglieder"}
)
_MEMBER_ACTIONS = frozenset({"profile", "viewprofile", "mlist", "memberlist", "members"})
_MEMBER_KEYS = frozenset({"showuser", "userid", "user_id"})
_PAGE_EXTENSIONS = frozenset({"", "php", "html", "htm", "asp", "aspx", "jsp", "cgi", "pl"})
# MediaWiki user pages and user lists, in the namespaces of the wikis we meet most.
_WIKI_USER_PREFIXES = (
    "user:", "user_talk:", "special:listusers", "special:contributions", "special:activeusers",
    "utilisateur:", "benutzer:", "usuario:", "utente:", "gebruiker:", "użytkownik:", "участник:",
    "spécial:contributions", "spezial:beiträge",
)  # fmt: skip

# Acting on the site (sessions, posting, editing, shopping). Feeds are fine.
_ACTION_FILES = frozenset(
    {
        "login", "logout", "signin", "sign-in", "sign_in", "signup", "sign-up", "sign_up", "register",
        "registration", "inscription", "anmelden", "registrieren", "ucp", "posting", "newreply", "newthread",
        "editpost", "private", "wp-login", "wp-admin", "admin", "administrator", "reply", "new-topic",
        "newtopic", "compose", "edit", "lost-password", "lostpassword", "forgot-password", "password",
        "cart", "checkout", "share", "sharer",
    }
)  # fmt: skip
_ACTION_VALUES = frozenset(
    {
        # phpBB ucp.php/posting.php modes, SMF and MediaWiki actions, vBulletin "do"
        "login", "login2", "logout", "register", "register2", "reg", "signup", "post", "post2", "reply",
        "quote", "edit", "delete", "newtopic", "newthread", "newreply", "postreply", "editpost",
        "history", "raw", "submit", "purge", "protect", "watch", "unwatch", "markasread", "markread",
        "sendpm", "pm", "report",
    }
)  # fmt: skip
_ACTION_KEYS = frozenset({"replytocom", "share", "diff", "oldid", "veaction", "redirect_to", "returnto"})
_WIKI_ACTION_PREFIXES = ("special:userlogin", "special:createaccount", "special:userlogout", "spécial:connexion")

_SEARCH_FILES = frozenset({"search", "recherche", "suche", "buscar", "busca", "cerca", "ricerca", "szukaj"})
_SEARCH_KEYS = frozenset({"q", "s", "query", "search", "searchid", "search_id", "keywords", "search_query"})
_WIKI_SEARCH_PREFIXES = ("special:search", "spécial:recherche", "spezial:suche", "especial:buscar")

_CALENDAR_FILES = frozenset({"calendar", "calendrier", "kalender", "calendario", "ical"})
_EVENT_SEGMENTS = (
    frozenset({"events", "event", "evenements", "événements", "veranstaltungen", "eventos", "eventi", "agenda"})
    | _CALENDAR_FILES
)
_VIEW_SEGMENTS = frozenset({"day", "week", "month", "year", "today", "jour", "semaine", "mois"})
_CALENDAR_KEYS = frozenset(
    {"month", "date", "year", "day", "week", "cal", "calendar", "tribe-bar-date", "ical", "eventdate", "eventdisplay"}
)
_CALENDAR_VIEWS = frozenset({"day", "week", "month", "year", "agendaday", "agendaweek", "basicday", "basicweek"})
_YEAR_RE = re.compile(r"^(?:19|20)\d\d$")
_MONTH_OR_DAY_RE = re.compile(r"^\d{1,2}$")
_DATE_SEGMENT_RE = re.compile(r"^(?:19|20)\d\d-\d{1,2}(?:-\d{1,2})?$")


def _query_pairs(query: str) -> list[tuple[str, str]]:
    """Lowercase ``(key, value)`` pairs; ``&`` and ``;`` (SMF) both separate, ``amp;`` debris dropped."""
    pairs = []
    for piece in re.split(r"[&;]", query):
        if not piece:
            continue
        key, _, value = piece.partition("=")
        key = unquote(key).strip().lower()
        key = key.removeprefix("amp;")
        pairs.append((key, unquote(value).strip().lower()))
    return pairs


def _stem(segment: str) -> str:
    """A file name without its extension: ``memberlist.php`` -> ``memberlist``."""
    return segment.rsplit(".", 1)[0] if "." in segment else segment


def _extension(segment: str) -> str:
    return segment.rsplit(".", 1)[1] if "." in segment else ""


def _is_calendar_path(segments: list[str]) -> bool:
    stems = [_stem(s) for s in segments]
    if any(stem in _CALENDAR_FILES for stem in stems):
        return True
    in_events = any(stem in _EVENT_SEGMENTS for stem in stems)
    if in_events and any(s in _VIEW_SEGMENTS or _YEAR_RE.match(s) or _DATE_SEGMENT_RE.match(s) for s in segments):
        return True
    # A date archive ends at the date (/2026/05/, /2026/05/01/); a post after the date is a page.
    if segments and _DATE_SEGMENT_RE.match(segments[-1]):
        return True
    if len(segments) >= 2 and _YEAR_RE.match(segments[-2]) and _MONTH_OR_DAY_RE.match(segments[-1]):
        return True
    return (
        len(segments) >= 3
        and _YEAR_RE.match(segments[-3]) is not None
        and all(_MONTH_OR_DAY_RE.match(s) for s in segments[-2:])
    )


def trap_reason(url: str) -> str | None:
    """Return why ``url`` must not be crawled, or None when it is fine.

    Reasons, checked in this order: ``invalid`` (not a parseable URL with a host), ``scheme`` (not
    http/https), ``too_long`` (> 1024 chars), ``repeated_segments`` (one path segment 3+ times),
    ``too_deep`` (> 8 path segments), ``session_id``, ``member_page``, ``action``, ``search``,
    ``calendar``, ``binary``.
    """
    if not isinstance(url, str):
        return "invalid"
    url = url.strip()
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a malformed port
    except ValueError:
        return "invalid"
    if parts.scheme.lower() not in ("http", "https"):
        return "scheme"
    if not parts.hostname:
        return "invalid"
    if len(url) > MAX_URL_CHARS:
        return "too_long"
    raw_path = unquote(parts.path).lower()
    # Path parameters (";jsessionid=...") are session ids, not segments.
    segments = [s.split(";", 1)[0] for s in raw_path.split("/") if s.split(";", 1)[0]]
    pairs = _query_pairs(parts.query)
    keys = {key for key, _ in pairs}
    values = dict(pairs)

    if segments and Counter(segments).most_common(1)[0][1] >= MAX_SEGMENT_REPEATS:
        return "repeated_segments"
    if len(segments) > MAX_PATH_SEGMENTS:
        return "too_deep"

    if ";jsessionid=" in raw_path or ";phpsessid=" in raw_path or keys & SESSION_KEYS:
        return "session_id"
    if SESSION_HEX_RE.match(values.get("s", "")):
        return "session_id"  # vBulletin's s=<32 hex>, not WordPress's s=<search words>

    stems = [_stem(s) for s in segments]
    last = segments[-1] if segments else ""
    wiki_titles = [*segments, values.get("title", "")]
    if (
        (last and _stem(last) in _MEMBER_FILES and _extension(last) in _PAGE_EXTENSIONS)
        or any(s in _MEMBER_SEGMENTS for s in segments)
        or any(s.startswith("@") and len(s) > 1 for s in segments)
        or keys & _MEMBER_KEYS
        or values.get("action") in _MEMBER_ACTIONS
        or values.get("mode") in _MEMBER_ACTIONS
        or any(t.startswith(_WIKI_USER_PREFIXES) for t in wiki_titles)
    ):
        return "member_page"

    if (
        any(stem in _ACTION_FILES for stem in stems)
        or any(values.get(key) in _ACTION_VALUES for key in ("action", "do", "mode"))
        or keys & _ACTION_KEYS
        or any(t.startswith(_WIKI_ACTION_PREFIXES) for t in wiki_titles)
    ):
        return "action"

    if (
        any(stem in _SEARCH_FILES for stem in stems)
        or keys & _SEARCH_KEYS
        or values.get("action") in ("search", "search2")
        or values.get("do") == "search"
        or any(t.startswith(_WIKI_SEARCH_PREFIXES) for t in wiki_titles)
    ):
        return "search"

    if (
        _is_calendar_path(segments)
        or keys & _CALENDAR_KEYS
        or values.get("view") in _CALENDAR_VIEWS
        or values.get("action") == "calendar"
    ):
        return "calendar"

    if last and _extension(last) in _BINARY_EXTENSIONS:
        return "binary"
    return None
