"""What the classic forum renderers (phpBB, XenForo, SMF, MyBB, vBulletin) have in common.

Their index pages list a few boards with per-board counts, print a session token in links or
scripts, and (phpBB, MyBB) count who is online as registered members plus guests.
"""

from __future__ import annotations

from crawler.archive.sample_web.model import Snapshot
from crawler.archive.sample_web.pages import token

XHTML_TRANSITIONAL = (
    '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" '
    '"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">'
)


def share(total: int, *weights: float) -> list[int]:
    """Split a forum total over its boards (the index lists per-board counts)."""
    return [round(total * weight) for weight in weights]


def boards(
    names: tuple[str, ...], figs: dict[str, int], topic_weights: tuple[float, ...], post_weights: tuple[float, ...]
) -> list[tuple[int, str, int, int]]:
    """Return ``(number, name, topics, posts)`` for each board, the site's totals shared by weight."""
    topics, posts = share(figs["topics"], *topic_weights), share(figs["posts"], *post_weights)
    return [(number, *row) for number, row in enumerate(zip(names, topics, posts, strict=True))]


def session(snap: Snapshot) -> str:
    """Return the session id (or CSRF / post key) a board prints for an anonymous visitor at one capture."""
    return token(snap.site.domain, snap.index)


def online_split(total: int, one_in: int) -> tuple[int, int]:
    """Split ``total`` visitors online into registered members (one in ``one_in``, at least one) and guests."""
    members = max(1, total // one_in)
    return members, total - members
