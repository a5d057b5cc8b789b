"""NodeInfo pieces shared by Mastodon, Lemmy and PeerTube: the well-known link and the usage figures.

Each server builds the rest of its NodeInfo document itself: their key order and extra fields differ,
and the archive keeps them as the real servers write them.
"""

from __future__ import annotations

from typing import Any

from crawler.archive.sample_web.model import Page, Snapshot
from crawler.archive.sample_web.pages import json_page

NODEINFO_SCHEMA = "http://nodeinfo.diaspora.software/ns/schema/{version}"


def nodeinfo_links(snap: Snapshot, version: str, href_path: str) -> Page:
    """Return /.well-known/nodeinfo: one link to the NodeInfo document of ``version`` at ``href_path``."""
    link = {"rel": NODEINFO_SCHEMA.format(version=version), "href": f"{snap.base}{href_path}"}
    return json_page({"links": [link]})


def nodeinfo_usage(figs: dict[str, int]) -> dict[str, Any]:
    """Return the NodeInfo ``usage`` object; ``localComments`` only where the software counts comments."""
    usage: dict[str, Any] = {
        "users": {
            "total": figs["members"],
            "activeMonth": figs["active_users_30d"],
            "activeHalfyear": figs["active_users_180d"],
        },
        "localPosts": figs["posts"],
    }
    if "comments" in figs:
        usage["localComments"] = figs["comments"]
    return usage
