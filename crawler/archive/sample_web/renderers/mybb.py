"""MyBB 1.8 index: the boardstats block ("Our members have made a total of ...")."""

from __future__ import annotations

from crawler.archive.sample_web.model import Page, Snapshot
from crawler.archive.sample_web.pages import esc, fmt, html_page
from crawler.archive.sample_web.renderers.boards import XHTML_TRANSITIONAL, boards, online_split, session

MYBB_TEXT = {
    "en": {"stats_head": "Board Statistics",
           "posts": "Our members have made a total of {posts} posts in {threads} threads.",
           "members": "We currently have {members} members registered.",
           "newest": "Please welcome our newest member, <b>{user}</b>",
           "record": "The most users online at one time was {record} on 12-03-2025 at 08:14 PM",
           "online_head": "Who's Online", "complete": "Complete List",
           "online": "{n} users active in the past 15 minutes ({m} members, 0 of whom are invisible, and {g} guests).",
           "threads": "Threads", "posts_col": "Posts", "boards": ("General discussion", "Language logs")},
    "pl": {"stats_head": "Statystyki forum",
           "posts": "Nasi użytkownicy napisali {posts} postów w {threads} wątkach.",
           "members": "Mamy {members} zarejestrowanych użytkowników.",
           "newest": "Przywitajmy naszego najnowszego użytkownika, <b>{user}</b>",
           "record": "Najwięcej użytkowników online ({record}) było 12-03-2025, 20:14",
           "threads": "Wątków", "posts_col": "Postów",
           "boards": ("Szukam partnera do rozmów", "Język polski dla obcokrajowców")},
}  # fmt: skip


def render(snap: Snapshot) -> dict[str, Page]:
    """Return a MyBB index with its board statistics."""
    site, figs = snap.site, snap.figs
    text = MYBB_TEXT[site.lang]
    style = site.number_style
    rows = []
    for number, board, threads, posts in boards(text["boards"], figs, (0.55, 0.45), (0.6, 0.4)):
        rows.append(
            f"""<tr>
<td class="trow1"><strong><a href="forum-{number + 2}.html">{esc(board)}</a></strong></td>
<td class="trow1" align="center" style="white-space: nowrap">{fmt(threads, style)}</td>
<td class="trow1" align="center" style="white-space: nowrap">{fmt(posts, style)}</td>
</tr>"""
        )
    online = ""
    if "online_now" in figs:
        n = figs["online_now"]
        members_online, guests = online_split(n, 8)
        online = f"""<tr>
<td class="tcat"><span class="smalltext"><strong>{text["online_head"]}</strong> [<a
href="online.php">{text["complete"]}</a>]</span></td>
</tr>
<tr>
<td class="trow1"><span class="smalltext">
{text["online"].format(n=fmt(n, style), m=members_online, g=guests)}</span></td>
</tr>"""
    user = f'<a href="{snap.base}/user-{figs["members"] + 77}.html">{esc(site.newest_member)}</a>'
    record = fmt(3 * site.figures.get("online_now", 160) + 41, style)
    rows_html = "\n".join(rows)
    homepage = f"""{XHTML_TRANSITIONAL}
<html xml:lang="{site.lang}" lang="{site.lang}" xmlns="http://www.w3.org/1999/xhtml">
<head>
<title>{esc(site.name)}</title>
<link rel="alternate" type="application/rss+xml" title="Latest Threads (RSS 2.0)" href="{snap.base}/syndication.php" />
<meta http-equiv="Content-Type" content="text/html; charset=UTF-8" />
<script type="text/javascript" src="{snap.base}/jscripts/jquery.js?ver=1823"></script>
<script type="text/javascript" src="{snap.base}/jscripts/general.js?ver=1838"></script>
<link type="text/css" rel="stylesheet" href="{snap.base}/cache/themes/theme1/global.css?t=1714000000" />
<script type="text/javascript">
<!--
	var cookieDomain = ".{site.domain}";
	var cookiePath = "/";
	var cookiePrefix = "";
	var my_post_key = "{session(snap)}";
	var rootpath = "{snap.base}";
	var MyBBEditor = null;
// -->
</script>
</head>
<body>
<div id="container">
<div id="header"><div id="logo"><div class="wrapper"><a href="{snap.base}/index.php"><img
src="{snap.base}/images/logo.png" alt="{esc(site.name)}" title="{esc(site.name)}" /></a></div></div></div>
<div id="content"><div class="wrapper">
<div class="navigation"><span class="active">{esc(site.name)}</span></div>
<table border="0" cellspacing="0" cellpadding="5" class="tborder">
<thead><tr><td class="thead" colspan="3"><div><strong><a href="forum-1.html">{esc(site.name)}</a></strong><br />
<div class="smalltext">{esc(site.description)}</div></div></td></tr></thead>
<tbody>
<tr><td class="tcat"><span class="smalltext"><strong>Forum</strong></span></td>
<td class="tcat"><span class="smalltext"><strong>{text["threads"]}</strong></span></td>
<td class="tcat"><span class="smalltext"><strong>{text["posts_col"]}</strong></span></td></tr>
{rows_html}
</tbody>
</table>
<br />
<!-- start: index_boardstats -->
<table border="0" cellspacing="0" cellpadding="5" class="tborder">
<thead><tr><td class="thead"><div><strong>{text["stats_head"]}</strong></div></td></tr></thead>
<tbody id="boardstats_e">
{online}
<!-- start: index_stats -->
<tr><td class="tcat"><span class="smalltext"><strong>{text["stats_head"]}</strong></span></td></tr>
<tr>
<td class="trow1"><span class="smalltext">
{text["posts"].format(posts=fmt(figs["posts"], style), threads=fmt(figs["topics"], style))}<br />
{text["members"].format(members=fmt(figs["members"], style))}<br />
{text["newest"].format(user=user)}<br />
{text["record"].format(record=record)}
</span>
</td>
</tr>
<!-- end: index_stats -->
</tbody>
</table>
<!-- end: index_boardstats -->
</div></div>
<div id="footer"><div class="lower"><div class="wrapper"><span id="copyright">Powered By <a href="https://mybb.com"
target="_blank" rel="noopener">MyBB</a>, &copy; 2002-2026 <a href="https://mybb.com" target="_blank"
rel="noopener">MyBB Group</a>.</span></div></div></div>
</div>
</body>
</html>
"""
    return {"/": html_page(homepage)}
