"""XenForo 2 forum_list: html#XF and the forum_statistics widget (dl.count--threads/messages/users)."""

from __future__ import annotations

from crawler.archive.sample_web.model import Page, Snapshot
from crawler.archive.sample_web.pages import en_date, esc, fmt, html_page, slug
from crawler.archive.sample_web.renderers.boards import boards, session

XF_TEXT = {
    "en": {"threads": "Threads", "messages": "Messages", "members": "Members", "latest": "Latest member",
           "stats": "Forum statistics", "today": "Today at {time}", "footer": "Community platform by XenForo®",
           "boards": ("Word meanings and usage", "Translation requests")},
    "de": {"threads": "Themen", "messages": "Beiträge", "members": "Mitglieder", "latest": "Neuestes Mitglied",
           "stats": "Forenstatistik", "today": "Heute um {time}", "footer": "Forensoftware von XenForo®",
           "boards": ("Deutsch als Fremdsprache", "Tandem-Börse")},
}  # fmt: skip


def render(snap: Snapshot) -> dict[str, Page]:
    """Return a XenForo forum list with its statistics widget."""
    site, figs = snap.site, snap.figs
    text = XF_TEXT[site.languages[0]]
    style = site.number_style
    moment = snap.last_post
    if site.languages[0] == "en":
        date_string, time_string = en_date(moment, long=True), moment.strftime("%I:%M %p").lstrip("0")
    else:
        date_string, time_string = moment.strftime("%d.%m.%Y"), moment.strftime("%H:%M")
    nodes = []
    for number, board, threads, messages in boards(text["boards"], figs, (0.62, 0.38), (0.7, 0.3)):
        node_id = 3 + number * 4
        node_time = ""
        if number == 0:
            node_time = (
                f'<div class="node-extra-row"><ul class="listInline listInline--bullet"><li>'
                f'<time class="node-extra-date u-dt" dir="auto" datetime="{moment:%Y-%m-%dT%H:%M:%S+0000}" '
                f'data-time="{int(moment.timestamp())}" data-date-string="{date_string}" '
                f'data-time-string="{time_string}">{text["today"].format(time=time_string)}</time>'
                f"</li></ul></div>"
            )
        nodes.append(
            f"""<div class="node node--id{node_id} node--depth2 node--forum node--read">
<div class="node-body">
<div class="node-main js-nodeMain"><h3 class="node-title"><a
href="/forums/{slug(board)}.{node_id}/">{esc(board)}</a></h3></div>
<div class="node-stats">
<dl class="pairs pairs--rows"><dt>{text["threads"]}</dt><dd>{fmt(threads, style)}</dd></dl>
<dl class="pairs pairs--rows"><dt>{text["messages"]}</dt><dd>{fmt(messages, style)}</dd></dl>
</div>
<div class="node-extra">{node_time}</div>
</div>
</div>"""
        )
    nodes_html = "\n".join(nodes)
    csrf = f"{int(snap.at.timestamp())},{session(snap)}"
    homepage = f"""<!DOCTYPE html>
<html id="XF" lang="{site.lang}" dir="LTR" data-app="public" data-template="forum_list" data-container-key=""
data-content-key="" data-logged-in="false" data-cookie-prefix="xf_" data-csrf="{csrf}"
class="has-no-js template-forum_list">
<head>
<meta charset="utf-8" />
<meta http-equiv="X-UA-Compatible" content="IE=Edge" />
<meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover">
<title>{esc(site.name)}</title>
<meta name="description" content="{esc(site.description)}" />
<meta property="og:description" content="{esc(site.description)}" />
<link rel="canonical" href="{snap.base}/" />
<link rel="alternate" type="application/rss+xml" title="RSS feed for {esc(site.name)}" href="/forums/-/index.rss" />
<meta property="og:site_name" content="{esc(site.name)}" />
<meta property="og:type" content="website" />
<meta property="og:title" content="{esc(site.name)}" />
<meta property="og:url" content="{snap.base}/" />
<link rel="stylesheet"
href="/css.php?css=public%3Anormalize.css%2Cpublic%3Acore.less%2Cpublic%3Aapp.less&amp;s=1&amp;l=1&amp;d=1714000000" />
<script src="/js/xf/preamble.min.js?_v=2f5a1c3e"></script>
</head>
<body data-template="forum_list">
<div class="p-pageWrapper" id="top">
<div class="p-body"><div class="p-body-inner">
<div class="p-body-header"><div class="p-title "><h1 class="p-title-value">{esc(site.name)}</h1></div></div>
<div class="p-body-main p-body-main--withSidebar ">
<div class="p-body-content"><div class="p-body-pageContent">
<div class="block block--category block--category1"><div class="block-container"><div class="block-body">
{nodes_html}
</div></div></div>
</div></div>
<div class="p-body-sidebar">
<div class="block" data-widget-id="9" data-widget-key="forum_overview_forum_statistics"
data-widget-definition="forum_statistics">
<div class="block-container">
<h3 class="block-minorHeader">{text["stats"]}</h3>
<div class="block-body block-row">
<dl class="pairs pairs--justified count--threads"><dt>{text["threads"]}</dt><dd>{fmt(figs["topics"], style)}</dd></dl>
<dl class="pairs pairs--justified count--messages"><dt>{text["messages"]}</dt><dd>{fmt(figs["posts"], style)}</dd></dl>
<dl class="pairs pairs--justified count--users"><dt>{text["members"]}</dt><dd>{fmt(figs["members"], style)}</dd></dl>
<dl class="pairs pairs--justified"><dt>{text["latest"]}</dt><dd><a
href="/members/{slug(site.newest_member or "x")}.{figs["members"] + 9}/" class="username " dir="auto"
data-user-id="{figs["members"] + 9}">{esc(site.newest_member)}</a></dd></dl>
</div>
</div>
</div>
</div>
</div>
</div></div>
<footer class="p-footer" id="footer"><div class="p-footer-inner"><div class="p-footer-copyright"><a
href="https://xenforo.com" class="u-concealed" dir="ltr" target="_blank" rel="sponsored noopener">{text["footer"]}
<span class="copyright">&copy; 2010-2024 XenForo Ltd.</span></a></div></div></footer>
</div>
</body>
</html>
"""
    return {"/": html_page(homepage)}
