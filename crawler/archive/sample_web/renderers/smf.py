"""SMF 2.0 board index: the info-centre sentence "N Posts in N Topics by N Members"."""

from __future__ import annotations

from crawler.archive.sample_web.model import Page, Snapshot
from crawler.archive.sample_web.pages import EN_MONTHS, esc, html_page
from crawler.archive.sample_web.renderers.boards import XHTML_TRANSITIONAL, boards

SMF_TEXT = {
    "en": {"index": "Index", "welcome": "Welcome, <em>Guest</em>", "stats": "Forum Stats", "info": "Info Center",
           "sentence": "{posts} Posts in {topics} Topics by {members} Members. Latest Member: ",
           "latest_post": "Latest Post", "when": "( <strong>Today</strong> at {time} )",
           "recent": "View the most recent posts on the forum.", "boards": ("Letters wanted", "Language corner"),
           "board_stats": "{posts} Posts <br />\n{topics} Topics"},
    "es": {"index": "Índice", "welcome": "Bienvenido(a), <em>Visitante</em>", "stats": "Estadísticas del Foro",
           "info": "Centro de información",
           "sentence": "{posts} Mensajes en {topics} Temas por {members} Miembros. Último usuario: ",
           "latest_post": "Último mensaje", "when": "( <strong>Hoy</strong> a las {time} )",
           "recent": "Ver los mensajes más recientes del foro.", "boards": ("Preséntate", "Busco intercambio"),
           "board_stats": "{posts} Mensajes <br />\n{topics} Temas"},
}  # fmt: skip


def render(snap: Snapshot) -> dict[str, Page]:
    """Return an SMF board index with its info centre."""
    site, figs = snap.site, snap.figs
    text = SMF_TEXT[site.lang]
    script = f"{snap.base}/index.php"
    moment = snap.last_post
    clock = moment.strftime("%I:%M:%S %p") if site.lang == "en" else moment.strftime("%H:%M:%S")
    now = (
        f"{EN_MONTHS[snap.at.month - 1]} {snap.at:%d, %Y, %I:%M:%S %p}"
        if site.lang == "en"
        else snap.at.strftime("%d/%m/%Y, %H:%M:%S")
    )
    board_rows = []
    for number, board, topics, posts in boards(text["boards"], figs, (0.4, 0.6), (0.45, 0.55)):
        board_rows.append(
            f"""<tr>
<td class="windowbg2 info"><h4><a href="{script}?board={number + 1}.0" name="b{number + 1}">{esc(board)}</a></h4></td>
<td class="windowbg stats smalltext">{text["board_stats"].format(posts=posts, topics=topics)}</td>
</tr>"""
        )
    boards_html = "\n".join(board_rows)
    homepage = f"""{XHTML_TRANSITIONAL}
<html xmlns="http://www.w3.org/1999/xhtml" lang="{site.lang}">
<head>
<link rel="stylesheet" type="text/css" href="{snap.base}/Themes/default/css/index.css?fin20" />
<script type="text/javascript" src="{snap.base}/Themes/default/scripts/script.js?fin20"></script>
<script type="text/javascript"><!-- // --><![CDATA[
	var smf_theme_url = "{snap.base}/Themes/default";
	var smf_default_theme_url = "{snap.base}/Themes/default";
	var smf_images_url = "{snap.base}/Themes/default/images";
	var smf_scripturl = "{script}";
	var smf_charset = "UTF-8";
// ]]></script>
<meta http-equiv="Content-Type" content="text/html; charset=UTF-8" />
<meta name="description" content="{esc(site.name)} - {text["index"]}" />
<meta property="og:site_name" content="{esc(site.name)}" />
<title>{esc(site.name)} - {text["index"]}</title>
<link rel="canonical" href="{script}" />
<link rel="alternate" type="application/rss+xml" title="{esc(site.name)} - RSS" href="{script}?type=rss;action=.xml" />
</head>
<body>
<div id="header"><div class="frame">
<h1 class="forumtitle"><a href="{script}">{esc(site.name)}</a></h1>
<div class="user"><span id="time">{now}</span> <span id="name">{text["welcome"]}</span></div>
<div id="siteslogan">{esc(site.description)}</div>
</div></div>
<div id="content_section"><div class="frame"><div id="main_content_section">
<div id="boardindex_table"><table class="table_list">
{boards_html}
</table></div>
<span class="clear upperframe"><span></span></span>
<div class="roundframe"><div class="innerframe">
<div class="cat_bar"><h3 class="catbg">{esc(site.name)} - {text["info"]}</h3></div>
<div id="upshrinkHeaderIC">
<div class="title_barIC"><h4 class="titlebg"><span class="ie6_header floatleft">
<a href="{script}?action=stats"><img class="icon" src="{snap.base}/Themes/default/images/icons/info.gif"
alt="{text["stats"]}" /></a>{text["stats"]}</span></h4></div>
<p>
{text["sentence"].format(posts=figs["posts"], topics=figs["topics"], members=figs["members"])}<strong> <a
href="{script}?action=profile;u={figs["members"] + 311}">{esc(site.newest_member)}</a></strong><br />
{text["latest_post"]}: <strong>&quot;<a
href="{script}?topic={figs["topics"] + 88}.msg{figs["posts"] + 412}#new">Re: …</a>&quot;</strong>
{text["when"].format(time=clock)}<br />
<a href="{script}?action=recent">{text["recent"]}</a>
</p>
</div>
</div></div>
</div></div></div>
<div id="footer_section"><div class="frame"><ul class="reset">
<li class="copyright"><span class="smalltext"
style="display: inline; visibility: visible; font-family: Verdana, Arial, sans-serif;"><a
href="{script}?action=credits" title="Simple Machines Forum" target="_blank" class="new_win">SMF 2.0.19</a> |
<a href="https://www.simplemachines.org/about/smf/license.php" title="License" target="_blank"
class="new_win">SMF &copy; 2021</a>, <a href="https://www.simplemachines.org" title="Simple Machines"
target="_blank" class="new_win">Simple Machines</a></span></li>
</ul></div></div>
</body>
</html>
"""
    return {"/": html_page(homepage)}
