"""Exchange sites built with Drupal: the front page of Drupal 7 (Bartik) or of Drupal 10 (Olivero).

The Drupal 7 markup follows ``tests/fixtures/drupal/`` (built from Drupal 7 core's templates): the
Generator meta, the ``Drupal.settings`` script, the user module's "Who's online" block in the
sidebar, the node body in the content region. Drupal 10 prints ``drupal-settings-json`` and the
"Who's online" view block. The member count is only the site's own sentence in its content; the
online block's list of names is never rendered (a twin prints no user name), and the "Powered by
Drupal" footer is plain text: its link would send the demo to drupal.org, outside the sample web.
"""

from __future__ import annotations

from crawler.archive.sample_web.model import Page, Snapshot
from crawler.archive.sample_web.pages import esc, fmt, html_page

ONLINE = {
    "fr": ("Qui est en ligne ?", "Il y a actuellement {n} utilisateurs en ligne."),
    "en": ("Who's online", "There are currently {n} users online."),
}


def _drupal7(snap: Snapshot, body: str, online: str) -> str:
    site = snap.site
    heading, _ = ONLINE[site.lang]
    return f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML+RDFa 1.0//EN"
  "http://www.w3.org/MarkUp/DTD/xhtml-rdfa-1.dtd">
<html xmlns="http://www.w3.org/1999/xhtml" xml:lang="{site.lang}" version="XHTML+RDFa 1.0" dir="ltr">
<head profile="http://www.w3.org/1999/xhtml/vocab">
  <meta http-equiv="Content-Type" content="text/html; charset=utf-8" />
<meta name="Generator" content="Drupal {site.version} (http://drupal.org)" />
  <title>{esc(site.name)}</title>
<script type="text/javascript" src="{snap.base}/misc/drupal.js"></script>
<script type="text/javascript">
<!--//--><![CDATA[//><!--
jQuery.extend(Drupal.settings, {{"basePath":"\\/","pathPrefix":"","ajaxPageState":{{"theme":"bartik"}}}});
//--><!]]>
</script>
</head>
<body class="html front not-logged-in one-sidebar sidebar-first page-node">
<div id="page-wrapper"><div id="page">
  <div id="header"><div id="site-name"><strong><a href="/" rel="home"><span>{esc(site.name)}</span></a></strong></div></div>
  <div id="main-wrapper" class="clearfix"><div id="main" class="clearfix">
    <div id="sidebar-first" class="column sidebar"><div class="region region-sidebar-first">
  <div id="block-user-online" class="block block-user">
    <h2>{heading}</h2>
  <div class="content"><p>{online}</p></div>
</div>
    </div></div>
    <div id="content" class="column"><div class="section">
      <div class="region region-content">
  <div id="block-system-main" class="block block-system"><div class="content">
    <div id="node-1" class="node node-page clearfix"><div class="content">
    <div class="field field-name-body"><p>{body}</p></div>
  </div></div></div></div>
      </div>
    </div></div>
  </div></div>
  <div id="footer"><div class="region region-footer"><span>Propulsé par Drupal</span></div></div>
</div></div>
</body>
</html>
"""  # noqa: E501


def _drupal10(snap: Snapshot, body: str, online: str) -> str:
    site = snap.site
    heading, _ = ONLINE[site.lang]
    return f"""<!DOCTYPE html>
<html lang="{site.lang}" dir="ltr">
<head>
<meta charset="utf-8" />
<meta name="Generator" content="Drupal {site.version} (https://www.drupal.org)" />
<meta name="MobileOptimized" content="width" />
<title>{esc(site.name)}</title>
</head>
<body class="path-frontpage">
<div class="dialog-off-canvas-main-canvas" data-off-canvas-main-canvas>
<header class="site-header"><a href="/" rel="home" class="site-branding__name">{esc(site.name)}</a></header>
<main role="main">
<div class="region region--content">
<article class="node node--type-page"><div class="text-content"><p>{body}</p></div></article>
</div>
</main>
<aside class="region region--sidebar">
<div class="views-element-container block block-views block-views-blockwho-s-online-who-s-online-block" id="block-whosonline">
<h2 class="block__title">{heading}</h2>
<div class="block__content"><div class="view view-who-s-online"><div class="view-header"><p>{online}</p></div></div></div>
</div>
</aside>
</div>
<script type="application/json" data-drupal-selector="drupal-settings-json">{{"path":{{"baseUrl":"\\/","currentLanguage":"{site.lang}","isFront":true}}}}</script>
</body>
</html>
"""  # noqa: E501


def render(snap: Snapshot) -> dict[str, Page]:
    """Return the front page: the site's own sentence with its member count, and the online block."""
    site, figs = snap.site, snap.figs
    body = site.description.format(members=fmt(figs["members"], site.number_style))
    online = ONLINE[site.lang][1].format(n=figs["online_now"])
    page = _drupal7 if site.version == "7" else _drupal10
    return {"/": html_page(page(snap, esc(body), online))}
