"""PeerTube, seen only through NodeInfo: its homepage is a bare single-page-app shell."""

from __future__ import annotations

from crawler.archive.sample_web.model import Page, Snapshot
from crawler.archive.sample_web.pages import esc, html_page, json_page, token
from crawler.archive.sample_web.renderers.nodeinfo import nodeinfo_links, nodeinfo_usage


def render(snap: Snapshot) -> dict[str, Page]:
    """Return a PeerTube instance's app shell and its NodeInfo 2.0 document."""
    site = snap.site
    nodeinfo = {
        "version": "2.0",
        "software": {"name": "peertube", "version": site.version},
        "protocols": ["activitypub"],
        "services": {"inbound": [], "outbound": ["atom1.0", "rss2.0"]},
        "openRegistrations": True,
        "usage": nodeinfo_usage(snap.figs),
        "metadata": {
            "taxonomy": {"postsName": "Videos"},
            "nodeName": site.name,
            "nodeDescription": site.description,
            "nodeConfig": {"search": {"remoteUri": {"users": True, "anonymous": False}}, "live": {"enabled": True}},
        },
    }
    homepage = f"""<!doctype html>
<html lang="{site.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{esc(site.name)}</title>
<meta name="description" content="{esc(site.description)}">
<link rel="icon" type="image/png" href="/client/assets/images/favicon.png">
<link rel="stylesheet" href="/client/styles.{token(site.domain, length=16)}.css">
</head>
<body>
<noscript>Veuillez activer JavaScript pour utiliser ce site.</noscript>
<my-app></my-app>
<script src="/client/main.{token(site.domain, "js", length=16)}.js" type="module"></script>
</body>
</html>
"""
    # PeerTube publishes its document at /nodeinfo/2.0.json (with the extension).
    return {
        "/": html_page(homepage),
        "/.well-known/nodeinfo": nodeinfo_links(snap, "2.0", "/nodeinfo/2.0.json"),
        "/nodeinfo/2.0.json": json_page(nodeinfo),
    }
