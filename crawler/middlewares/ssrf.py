"""Refuse requests to private, loopback and link-local addresses (server-side request forgery).

Two layers, because either alone has a gap:

- :class:`PrivateAddressGuardMiddleware` checks every request, redirects included, before it is
  sent: only http(s), and no literal private IP or ``localhost`` name;
- :class:`PublicOnlyResolver` checks the address a host name actually resolves to, at connection
  time, so a public-looking name pointing at 127.0.0.1 or 10.0.0.1 is refused too.

``TREMPLIN_ALLOW_PRIVATE`` lifts both; ``TREMPLIN_PRIVATE_ALLOWLIST`` admits listed addresses only
(``"127.0.0.1"`` or ``"127.0.0.1:8080"``), which is how tests reach their own loopback servers.
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


def is_public_address(address: str) -> bool:
    """True when ``address`` is a globally routable IP (IPv4-mapped IPv6 unwrapped first)."""
    try:
        ip = ipaddress.ip_address(address.strip("[]"))
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


class AddressPolicy:
    """Decide whether a (host, port) may be contacted."""

    def __init__(self, allow_private: bool, allowlist: Iterable[str] = ()) -> None:
        self.allow_private = allow_private
        self.allowlist = {entry.strip() for entry in allowlist if entry and entry.strip()}

    @classmethod
    def from_settings(cls, settings) -> AddressPolicy:
        """Build the policy from ``TREMPLIN_ALLOW_PRIVATE`` and ``TREMPLIN_PRIVATE_ALLOWLIST``."""
        return cls(
            settings.getbool("TREMPLIN_ALLOW_PRIVATE"),
            settings.getlist("TREMPLIN_PRIVATE_ALLOWLIST"),
        )

    def allowed_ip(self, address: str, port: int | None = None) -> bool:
        """True when ``address`` may be contacted (on ``port``; any listed port when None)."""
        if self.allow_private or is_public_address(address):
            return True
        if address in self.allowlist:
            return True
        if port is None:
            # The resolver does not know the port: an address listed with any port is admitted,
            # the guard middleware has already checked the port of literal-IP URLs.
            return any(entry.rsplit(":", 1)[0] == address for entry in self.allowlist if ":" in entry)
        return f"{address}:{port}" in self.allowlist

    def refusal(self, url: str) -> str | None:
        """Return why ``url`` must not be fetched, or None when it may be."""
        try:
            parts = urlsplit(url)
            port = parts.port
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
            return f"address {host} is private, loopback or link-local"
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
