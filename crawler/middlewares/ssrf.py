"""Refuse requests to private, loopback and link-local addresses (server-side request forgery).

Two layers, because either alone has a gap:

- :class:`PrivateAddressGuardMiddleware` checks every request, redirects included, before it is
  sent: only http(s), and no literal private IP or ``localhost`` name;
- :class:`PublicOnlyResolver` checks the address a host name actually resolves to, at connection
  time, so a public-looking name pointing at 127.0.0.1 or 10.0.0.1 is refused too.

``TREMPLIN_ALLOW_PRIVATE`` lifts both; ``TREMPLIN_PRIVATE_ALLOWLIST`` admits listed addresses only
(``"127.0.0.1"``: every port; ``"127.0.0.1:8080"``: that port only, and a URL without a port means
its scheme's default, 80 or 443), which is how tests reach their own loopback servers. An IPv6
address is judged by the IPv4 address it embeds, if any (mapped, translated, compatible, NAT64,
6to4, Teredo), since that is where its packets end up.
"""

from __future__ import annotations

import ipaddress
import re
import socket
from collections.abc import Iterable
from urllib.parse import urljoin, urlsplit

from scrapy import Request
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response
from scrapy.resolver import CachingThreadedResolver
from twisted.internet import defer
from twisted.internet.error import DNSLookupError

ALLOWED_SCHEMES = {"http", "https"}
_LOCAL_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback"}
# The numbers-and-dots forms inet_aton accepts: 1 to 4 parts, each decimal, octal or 0x-hex.
_INET_ATON_RE = re.compile(r"(?:0x[0-9a-f]*|\d+)(?:\.(?:0x[0-9a-f]*|\d+)){0,3}", re.IGNORECASE)


class PrivateAddressRefused(IgnoreRequest):
    """The request targets a private, loopback or link-local address, or a non-web scheme."""


class SchemeRefused(PrivateAddressRefused):
    """A redirect points to a non-web scheme (``file:``, ``ftp:``, ``data:``, ...)."""


def numeric_address(host: str) -> str | None:
    """Return the IP address a numeric host spells, or None when ``host`` is a name.

    Besides dotted quads and IPv6, the system resolver reads ``127.1``, ``2130706433``,
    ``0x7f.0.0.1`` and ``0177.0.0.1`` as IPv4 addresses without any DNS query, so they must be
    checked as the address they are, not waved through as names.
    """
    try:
        return str(ipaddress.ip_address(host))
    except ValueError:
        pass
    if not _INET_ATON_RE.fullmatch(host):
        return None
    try:
        return socket.inet_ntoa(socket.inet_aton(host))
    except OSError:
        return None


# Host names the resolver refused, with the address they resolved to. Twisted reports a failed
# lookup as a plain "no results", so the spider looks the reason up here to name the error.
REFUSED_HOSTS: dict[str, str] = {}


def refused_host_reason(host: str | None) -> str | None:
    """Return why the resolver refused ``host`` in this process, or None."""
    address = REFUSED_HOSTS.get((host or "").lower())
    return f"refused: {host} resolves to private address {address}" if address else None


# IPv6 prefixes that carry an IPv4 address in their last 32 bits: IPv4-translated (RFC 2765) and
# the NAT64 well-known prefix (RFC 6052: ``64:ff9b::a00:1`` reaches 10.0.0.1 through a NAT64 gateway).
_EMBEDDING_PREFIXES = (ipaddress.IPv6Network("::ffff:0:0:0/96"), ipaddress.IPv6Network("64:ff9b::/96"))
# IPv4-compatible addresses (``::a.b.c.d``, deprecated by RFC 4291 but still routed by some stacks).
_COMPATIBLE = ipaddress.IPv6Network("::/96")
# NAT64 local-use prefix (RFC 8215): translated by the operator's own gateway to addresses of its
# choosing, so never a public destination.
_LOCAL_NAT64 = ipaddress.IPv6Network("64:ff9b:1::/48")
DEFAULT_PORTS = {"http": 80, "https": 443}


def embedded_ipv4(ip: ipaddress.IPv6Address) -> list[ipaddress.IPv4Address]:
    """The IPv4 addresses an IPv6 address leads to (mapped, translated, compatible, NAT64, 6to4, Teredo)."""
    found = []
    if ip.ipv4_mapped is not None:
        found.append(ip.ipv4_mapped)
    low32 = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    if any(ip in prefix for prefix in _EMBEDDING_PREFIXES) or (ip in _COMPATIBLE and int(ip) > 1):
        found.append(low32)
    if ip.sixtofour is not None:
        found.append(ip.sixtofour)
    if ip.teredo is not None:
        found.extend(ip.teredo)  # the relay server and the (de-obfuscated) client
    return found


def is_public_address(address: str) -> bool:
    """True when ``address`` is a globally routable IP, judged by any IPv4 address it embeds too."""
    try:
        ip = ipaddress.ip_address(address.strip("[]"))
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address):
        if ip in _LOCAL_NAT64:
            return False
        embedded = embedded_ipv4(ip)
        if embedded:
            # ::ffff:8.8.8.8 or 2002:808:808:: is as public as 8.8.8.8; ::127.0.0.1 is loopback.
            return all(v4.is_global and not v4.is_multicast for v4 in embedded)
    return ip.is_global and not ip.is_multicast


def _allow_entry(entry: str) -> tuple[str, int | None] | None:
    """``(address, port or None)`` of an allow-list entry: ``127.0.0.1``, ``127.0.0.1:80``, ``::1``, ``[::1]:80``."""
    entry = entry.strip()
    host, port = entry, None
    if entry.startswith("["):
        host, _, rest = entry[1:].partition("]")
        port = rest[1:] if rest.startswith(":") else None
    elif entry.count(":") == 1:
        host, port = entry.split(":")
    try:
        return str(ipaddress.ip_address(host)), int(port) if port else None
    except ValueError:
        return None


class AddressPolicy:
    """Decide whether a (host, port) may be contacted."""

    def __init__(self, allow_private: bool, allowlist: Iterable[str] = ()) -> None:
        self.allow_private = allow_private
        entries = [_allow_entry(entry) for entry in allowlist if entry and entry.strip()]
        # Address -> the ports listed for it; None in the set means every port (an entry without one).
        self.allowlist: dict[str, set[int | None]] = {}
        for entry in entries:
            if entry is not None:
                self.allowlist.setdefault(entry[0], set()).add(entry[1])

    @classmethod
    def from_settings(cls, settings) -> AddressPolicy:
        """Build the policy from ``TREMPLIN_ALLOW_PRIVATE`` and ``TREMPLIN_PRIVATE_ALLOWLIST``."""
        return cls(
            settings.getbool("TREMPLIN_ALLOW_PRIVATE"),
            settings.getlist("TREMPLIN_PRIVATE_ALLOWLIST"),
        )

    def allowed_ip(self, address: str, port: int | None = None) -> bool:
        """True when ``address`` may be contacted on ``port``.

        ``port=None`` (the resolver checking a literal address, whose port the guard middleware has
        already checked) admits an address listed with any port; ``port=0`` (a host name, which
        could be pointed at any port) only an entry without a port.
        """
        if self.allow_private or is_public_address(address):
            return True
        try:
            address = str(ipaddress.ip_address(address.strip("[]")))
        except ValueError:
            return False
        ports = self.allowlist.get(address)
        if not ports:
            return False
        return None in ports or port is None or port in ports

    def refusal(self, url: str) -> str | None:
        """Return why ``url`` must not be fetched, or None when it may be."""
        try:
            parts = urlsplit(url)
            # A URL without a port goes to its scheme's default port: http://127.0.0.1/ is port 80.
            port = parts.port or DEFAULT_PORTS.get(parts.scheme)
        except ValueError:
            return f"malformed URL {url[:200]!r}"
        if parts.scheme not in ALLOWED_SCHEMES:
            return f"scheme {parts.scheme or '(none)'!r} is not http(s)"
        host = (parts.hostname or "").lower().rstrip(".")
        if not host:
            return "URL has no host"
        if self.allow_private:
            return None
        if host in _LOCAL_NAMES or host.endswith(".localhost"):
            return f"host {host!r} is local"
        address = numeric_address(host)
        if address is None:
            return None  # a name: the resolver checks the address it resolves to
        if not self.allowed_ip(address, port):
            return f"address {host} port {port} is private, loopback or link-local"
        return None


class PrivateAddressGuardMiddleware:
    """Downloader middleware refusing non-web schemes and private literal addresses on every hop."""

    def __init__(self, policy: AddressPolicy, stats) -> None:
        self.policy = policy
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler) -> PrivateAddressGuardMiddleware:
        """Build the middleware from the crawler settings."""
        return cls(AddressPolicy.from_settings(crawler.settings), crawler.stats)

    def process_request(self, request: Request) -> None:
        """Raise :class:`PrivateAddressRefused` for a request that must not leave the machine."""
        reason = self.policy.refusal(request.url)
        if reason:
            self.stats.inc_value("tremplin/refused_private")
            raise PrivateAddressRefused(f"refused: {reason}")

    def process_response(self, request: Request, response: Response) -> Response:
        """Refuse a redirect to a non-web scheme, with its own reason.

        Scrapy's RedirectMiddleware does not follow a ``Location: file:///...`` (or ``ftp:``,
        ``data:``) but passes the 3xx on, where it would read as a mere HTTP error; an http(s)
        redirect never gets here, it is a new request checked by :meth:`process_request`.
        """
        location = response.headers.get(b"Location")
        if location and 300 <= response.status < 400:
            scheme = urlsplit(urljoin(request.url, location.decode("latin-1").strip())).scheme.lower()
            if scheme not in ALLOWED_SCHEMES:
                self.stats.inc_value("tremplin/refused_scheme")
                raise SchemeRefused(f"refused: redirect to scheme {scheme or '(none)'!r} from {request.url}")
        return response


class PublicOnlyResolver(CachingThreadedResolver):
    """DNS resolver that fails a lookup resolving to a non-public address (unless allowed)."""

    policy = AddressPolicy(False)

    @classmethod
    def from_crawler(cls, crawler, reactor):
        """Build the resolver and its address policy from the crawler settings."""
        resolver = super().from_crawler(crawler, reactor)
        resolver.policy = AddressPolicy.from_settings(crawler.settings)
        return resolver

    def getHostByName(self, name: str, timeout=()) -> defer.Deferred:  # noqa: N802 - Twisted API
        """Resolve ``name`` and refuse it when the address is private."""
        deferred = super().getHostByName(name, timeout)
        deferred.addCallback(self._check, name)
        return deferred

    def _check(self, address: str, name: str) -> str:
        # The resolver does not know the port. A numeric host had its port checked by the guard; a
        # name could point at any port of a listed address, so only a port-less entry admits it.
        port = None if numeric_address(name) is not None else 0
        if not self.policy.allowed_ip(address, port):
            REFUSED_HOSTS[name.lower()] = address
            raise DNSLookupError(f"refused: {name} resolves to private address {address}")
        return address
