"""phpBB 3.3 (prosilver): .stat-block.statistics, localised labels, raw integers."""

from __future__ import annotations

from datetime import datetime, timedelta

from crawler.archive.sample_web.model import Page, Snapshot
from crawler.archive.sample_web.pages import en_date, esc, html_page
from crawler.archive.sample_web.renderers.boards import boards, online_split, session

PHPBB_TEXT = {
    "en": {
        "index": "Index page", "now": "It is currently {date}", "forum": "Forum", "topics": "Topics",
        "posts": "Posts", "last": "Last post", "by": "by", "online_head": "Who is online",
        "online": "In total there are <strong>{n}</strong> users online :: {reg} registered, 0 hidden and "
        "{guests} guests (based on users active over the past 5 minutes)<br />Most users ever online was "
        "<strong>{record}</strong> on 14 Jan 2025, 21:07",
        "stats": "Statistics", "total_posts": "Total posts", "total_topics": "Total topics",
        "total_members": "Total members", "newest": "Our newest member", "tz": "All times are",
        "board": "Board index", "powered": "Powered by",
        "boards": ("Introduce yourself", "Find a pen pal or a tandem partner"),
    },
    "fr": {
        "index": "Page d’index", "now": "Nous sommes le {date}", "forum": "Forum", "topics": "Sujets",
        "posts": "Messages", "last": "Dernier message", "by": "par", "online_head": "Qui est en ligne ?",
        "online": "Au total, il y a <strong>{n}</strong> utilisateurs en ligne :: {reg} inscrits, 0 invisible "
        "et {guests} invités (selon le nombre d’utilisateurs actifs pendant les 5 dernières minutes)<br />"
        "Le nombre maximum d’utilisateurs en ligne simultanément a été de <strong>{record}</strong> le "
        "14/01/2025 21:07",
        "stats": "Statistiques", "total_posts": "Messages au total", "total_topics": "Sujets au total",
        "total_members": "Membres au total", "newest": "Notre membre le plus récent", "tz": "Heures au format",
        "board": "Index du forum", "powered": "Développé par",
        "boards": ("Présentez-vous", "Tandems et correspondants"),
    },
    "de": {
        "index": "Foren-Übersicht", "now": "Aktuelle Zeit: {date}", "forum": "Forum", "topics": "Themen",
        "posts": "Beiträge", "last": "Letzter Beitrag", "by": "von", "online_head": "Wer ist online?",
        "online": "Insgesamt sind <strong>{n}</strong> Besucher online :: {reg} sichtbare Mitglieder, "
        "0 unsichtbare Mitglieder und {guests} Gäste (basierend auf den aktiven Besuchern der letzten 5 "
        "Minuten)<br />Der Besucherrekord liegt bei <strong>{record}</strong> Besuchern, die am 14.01.2025, "
        "21:07 gleichzeitig online waren.",
        "stats": "Statistik", "total_posts": "Beiträge insgesamt", "total_topics": "Themen insgesamt",
        "total_members": "Mitglieder insgesamt", "newest": "Unser neuestes Mitglied", "tz": "Alle Zeiten sind",
        "board": "Foren-Übersicht", "powered": "Powered by",
        "boards": ("Stellt euch vor", "Tandempartner gesucht"),
    },
    "it": {
        "index": "Pagina principale", "now": "Oggi è {date}", "forum": "Forum", "topics": "Argomenti",
        "posts": "Messaggi", "last": "Ultimo messaggio", "by": "da", "online_head": "Chi c’è in linea",
        "online": "In totale ci sono <strong>{n}</strong> utenti connessi :: {reg} iscritti, 0 nascosti e "
        "{guests} ospiti (basato sugli utenti attivi negli ultimi 5 minuti)<br />Record di utenti connessi: "
        "<strong>{record}</strong> registrato il 14/01/2025, 21:07",
        "stats": "Statistiche", "total_posts": "Messaggi totali", "total_topics": "Argomenti totali",
        "total_members": "Iscritti totali", "newest": "Ultimo iscritto", "tz": "Tutti gli orari sono",
        "board": "Indice", "powered": "Creato con",
        "boards": ("Presentazioni", "Traduzioni dall’inglese"),
    },
}  # fmt: skip


def _date(moment: datetime, lang: str) -> str:
    # Board admins pick the date format; the English board spells the month, the others are numeric.
    if lang == "en":
        return f"{en_date(moment)}, {moment:%H:%M}"
    return moment.strftime("%d.%m.%Y, %H:%M" if lang == "de" else "%d/%m/%Y %H:%M")


def render(snap: Snapshot) -> dict[str, Page]:
    """Return a phpBB board index."""
    site, figs = snap.site, snap.figs
    text = PHPBB_TEXT[site.lang]
    sid = session(snap)
    rows = []
    for number, board, topics, posts in boards(text["boards"], figs, (0.35, 0.65), (0.3, 0.7)):
        moment = snap.last_post if number else snap.last_post - timedelta(hours=9)
        rows.append(
            f"""<li class="row"><dl class="row-item forum_read">
<dt title="No unread posts"><div class="list-inner"><a href="./viewforum.php?f={number + 2}&amp;sid={sid}"
class="forumtitle">{esc(board)}</a></div></dt>
<dd class="topics">{topics} <dfn>{text["topics"]}</dfn></dd>
<dd class="posts">{posts} <dfn>{text["posts"]}</dfn></dd>
<dd class="lastpost"><span><dfn>{text["last"]}</dfn> <a
href="./viewtopic.php?p={posts + 17}&amp;sid={sid}#p{posts + 17}" class="lastsubject">Re: …</a>
<br />{_date(moment, site.lang)}</span></dd>
</dl></li>"""
        )
    rows_html = "\n".join(rows)
    online = ""
    if "online_now" in figs:
        n = figs["online_now"]
        reg, guests = online_split(n, 12)
        record = 4 * snap.site.figures["online_now"] + 37
        online = f"""<div class="stat-block online-list">
<h3>{text["online_head"]}</h3>
<p>{text["online"].format(n=n, reg=reg, guests=guests, record=record)}</p>
</div>"""
    newest = ""
    if site.newest_member:
        user_id = figs["members"] + 1201
        newest = (
            f' &bull; {text["newest"]} <strong><a href="./memberlist.php?mode=viewprofile&amp;u={user_id}'
            f'&amp;sid={sid}" class="username">{esc(site.newest_member)}</a></strong>'
        )
    homepage = f"""<!DOCTYPE html>
<html dir="ltr" lang="{site.lang}">
<head>
<meta charset="utf-8" />
<meta http-equiv="X-UA-Compatible" content="IE=edge">
<meta name="viewport" content="width=device-width, initial-scale=1" />
<title>{esc(site.name)} - {text["index"]}</title>
<link rel="alternate" type="application/atom+xml" title="Feed - {esc(site.name)}" href="/app.php/feed?sid={sid}">
<!--
	phpBB style name: prosilver
	Based on style:   prosilver (this is the default phpBB3 style)
	Original author:  Tom Beddard ( http://www.subBlue.com/ )
-->
<link href="./styles/prosilver/theme/stylesheet.css?assets_version=12" rel="stylesheet">
<link href="./styles/prosilver/theme/{site.lang}/stylesheet.css?assets_version=12" rel="stylesheet">
</head>
<body id="phpbb" class="nojs notouch section-index ltr ">
<div id="wrap" class="wrap">
<div id="site-description">
<h1>{esc(site.name)}</h1>
<p>{esc(site.description)}</p>
</div>
<div id="page-body" class="page-body" role="main">
<p class="right responsive-center time">{text["now"].format(date=_date(snap.at, site.lang))}</p>
<div class="forabg"><div class="inner">
<ul class="topiclist"><li class="header"><dl class="row-item">
<dt><div class="list-inner">{text["forum"]}</div></dt><dd class="topics">{text["topics"]}</dd>
<dd class="posts">{text["posts"]}</dd><dd class="lastpost"><span>{text["last"]}</span></dd>
</dl></li></ul>
<ul class="topiclist forums">
{rows_html}
</ul>
</div></div>
{online}
<div class="stat-block statistics">
<h3>{text["stats"]}</h3>
<p>
{text["total_posts"]} <strong>{figs["posts"]}</strong> &bull; {text["total_topics"]} <strong>{figs["topics"]}</strong>
&bull; {text["total_members"]} <strong>{figs["members"]}</strong>{newest}
</p>
</div>
</div>
<div id="page-footer" class="page-footer" role="contentinfo">
<div class="navbar"><ul id="nav-footer" class="nav-footer linklist">
<li class="breadcrumbs"><span class="crumb"><a href="./index.php?sid={sid}">{text["board"]}</a></span></li>
<li class="rightside">{text["tz"]} <span title="UTC">UTC</span></li>
</ul></div>
<div class="copyright">{text["powered"]} <a
href="https://www.phpbb.com/">phpBB</a>&reg; Forum Software &copy; phpBB Limited</div>
</div>
</div>
<script src="./assets/javascript/core.js?assets_version=12"></script>
</body>
</html>
"""
    return {"/": html_page(homepage)}
