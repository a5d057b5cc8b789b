"""vBulletin 4 forumhome: #wgo_stats dt/dd pairs; this board is Brazilian and serves ISO-8859-1."""

from __future__ import annotations

from crawler.archive.sample_web.model import Page, Snapshot
from crawler.archive.sample_web.pages import esc, fmt
from crawler.archive.sample_web.renderers.boards import XHTML_TRANSITIONAL, session


def render(snap: Snapshot) -> dict[str, Page]:
    """Return a vBulletin 4 forum home, encoded as ISO-8859-1."""
    site, figs = snap.site, snap.figs
    style = site.number_style
    sid = session(snap)
    homepage = f"""{XHTML_TRANSITIONAL}
<!-- BEGIN TEMPLATE: FORUMHOME -->
<html xmlns="http://www.w3.org/1999/xhtml" dir="ltr" lang="{site.lang}" id="vbulletin_html">
<head>
<link rel="canonical" href="{snap.base}/forum.php" />
<!-- BEGIN TEMPLATE: headinclude -->
<meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-1" />
<meta id="e_vb_meta_bburl" name="vb_meta_bburl" content="{snap.base}" />
<meta name="description" content="{esc(site.description)}" />
<script type="text/javascript">
<!--
	var SESSIONURL = "s={sid}&";
	var SECURITYTOKEN = "guest";
	var SIMPLEVERSION = "425";
	var BBURL = "{snap.base}";
	var LOGGEDIN = 0 > 0 ? true : false;
	var THIS_SCRIPT = "index";
// -->
</script>
<script type="text/javascript" src="{snap.base}/clientscript/vbulletin-core.js?v=425"></script>
<!-- END TEMPLATE: headinclude -->
<title>{esc(site.name)}</title>
</head>
<body>
<!-- BEGIN TEMPLATE: header -->
<div id="header" class="floatcontainer doc_header">
<div><a name="top" href="{snap.base}/forum.php" class="logo-image"><img src="{snap.base}/images/misc/logo.png"
alt="{esc(site.name)} - Powered by vBulletin" /></a></div>
</div>
<!-- END TEMPLATE: header -->
<div id="wgo" class="collapse wgo_block block">
<h2 class="blockhead">O que está acontecendo?</h2>
<div class="blockbody formcontrols floatcontainer">
<div id="wgo_stats" class="wgo_subblock section">
<h3 class="blocksubhead"><img src="{snap.base}/images/misc/forum_stats.png" alt="Estatísticas do {esc(site.name)}"
/>Estatísticas do {esc(site.name)}</h3>
<div>
<dl>
<dt>Tópicos</dt>
<dd>{fmt(figs["topics"], style)}</dd>
<dt>Mensagens</dt>
<dd>{fmt(figs["posts"], style)}</dd>
<dt>Membros</dt>
<dd>{fmt(figs["members"], style)}</dd>
</dl>
<p>Bem-vindo ao nosso mais novo membro, <a
href="{snap.base}/member.php?u={figs["members"] + 2040}&amp;s={sid}">{esc(site.newest_member)}</a></p>
</div>
</div>
</div>
</div>
<div id="footer_copyright" class="shade footer_copyright">Powered by <a href="https://www.vbulletin.com"
id="vbulletinlink">vBulletin&reg;</a> Versão 4.2.5</div>
</body>
</html>
<!-- END TEMPLATE: FORUMHOME -->
"""
    # Real vB4 boards still serve Latin-1; the encode also proves the text fits that charset.
    return {"/": Page(homepage.encode("iso-8859-1"), "text/html; charset=ISO-8859-1")}
