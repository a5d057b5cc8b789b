"""Communities known to have closed: their visits end ``gone`` with the reason, not as errors.

A closed community's domain keeps answering for years with something else: an error, a parking
page, a redirect to its buyer. The list (``crawler/seeds/closed.txt``, plus the user's
``TREMPLIN_CLOSED_FILE``) says which communities closed, when, and where that is published; the
state of a visit decides whether the address still answers as the community.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from crawler.identity import site_key

DEFAULT_CLOSED_FILE = Path(__file__).resolve().parent / "seeds" / "closed.txt"


@dataclass(frozen=True)
class ClosedCommunity:
    """One closed community: its domain, the year it closed, the public source saying so, what happened."""

    domain: str
    year: str
    source_url: str
    note: str


def read_closed(path: str | Path) -> dict[str, ClosedCommunity]:
    """Read a closed-communities file: ``DOMAIN YEAR SOURCE-URL note...`` per line, ``#`` comment lines."""
    closed: dict[str, ClosedCommunity] = {}
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        # Only whole-line comments: a source URL may hold a "#fragment".
        fields = [] if line.lstrip().startswith("#") else line.split(None, 3)
        if not fields:
            continue
        if len(fields) < 3 or not fields[1].isdigit() or not fields[2].startswith(("http://", "https://")):
            raise ValueError(f"{path}:{number}: expected DOMAIN YEAR SOURCE-URL [note], got {line.strip()!r}")
        domain = fields[0].lower().removeprefix("www.")
        closed[domain] = ClosedCommunity(domain, fields[1], fields[2], fields[3] if len(fields) > 3 else "")
    return closed


class ClosedList:
    """The closed communities a crawl knows of, looked up by site."""

    def __init__(self, closed: dict[str, ClosedCommunity]) -> None:
        self.closed = closed

    @classmethod
    def from_settings(cls, settings) -> ClosedList:
        """The shipped list plus the user's ``TREMPLIN_CLOSED_FILE``."""
        closed = read_closed(DEFAULT_CLOSED_FILE)
        extra = settings.get("TREMPLIN_CLOSED_FILE")
        if extra:
            closed.update(read_closed(extra))
        return cls(closed)

    def lookup(self, site_id: str | None) -> ClosedCommunity | None:
        """The closed community of a site (its domain or a sub-domain of it), if listed."""
        host = (site_key(site_id) if site_id and "://" in site_id else (site_id or "")).split("/", 1)[0]
        for domain, community in self.closed.items():
            if host == domain or host.endswith("." + domain):
                return community
        return None


def closed_state(community: ClosedCommunity, status: str, error_kind: str | None, alias_of: str | None) -> str | None:
    """The reason a visit of a closed community ends ``gone``, or None when it answered as the community.

    ``status``, ``error_kind`` and ``alias_of`` are the visit's own outcome: a failure, or a move to
    another site, means the address no longer answers as the community.
    """
    closed = f"closed in {community.year} ({community.source_url})"
    if community.note:
        closed = f"{community.note}; {closed}"
    if error_kind:
        return f"{closed}; its address now answers: {error_kind}"
    if status in ("moved", "alias") and alias_of:
        return f"{closed}; its address now redirects to {alias_of}"
    return None
