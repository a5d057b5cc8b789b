"""MediaWiki: homepage (generator, EditURI, rel=license) and the siteinfo API in formatversion=2."""

from __future__ import annotations

from typing import Any

from crawler.archive.sample_web.model import Page, Snapshot
from crawler.archive.sample_web.pages import esc, html_page, iso_z, json_page, to_json

MEDIAWIKI_API = "/w/api.php?action=query&meta=siteinfo&siprop=general|statistics|rightsinfo&format=json&formatversion=2"

MW_TEXT = {
    "pt": ("Página principal", "Bem-vindo à {name}, a enciclopédia livre que todos podem editar.",
           "O texto está disponível sob a licença {licence}; pode estar sujeito a condições adicionais.",
           "Sobre"),
    "ca": ("Portada", "Benvinguts al {name}, el diccionari lliure de la llengua catalana.",
           "El contingut està disponible sota la llicència {licence} llevat que s'indiqui el contrari.",
           "Quant a"),
    "nl": ("Hoofdpagina", "Welkom op de {name}: tips, woordenlijsten en gespreksonderwerpen voor taalmaatjes.",
           "De inhoud is beschikbaar onder de {licence}, tenzij anders vermeld.",
           "Over"),
    "de": ("Hauptseite", "Willkommen im {name}: Themen, Spiele und Vokabeln für Sprachcafés.",
           "", "Über"),
    "fr": ("Accueil", "Bienvenue sur {name}, le wiki libre des échanges linguistiques.",
           "Le contenu est disponible sous licence {licence} sauf mention contraire.",
           "À propos de"),
    "es": ("Portada", "Bienvenidos a {name}: guías, vocabulario y temas de conversación para tándems.",
           "El contenido está disponible bajo la licencia {licence}, salvo que se indique lo contrario.",
           "Acerca de"),
}  # fmt: skip


def _general(snap: Snapshot, mainpage: str) -> dict[str, Any]:
    # A subset of siteinfo's ~60 "general" keys: the ones readers use plus a few for realism.
    site = snap.site
    # One wiki publishes a protocol-relative server, a gotcha seen in the real samples.
    server = f"//{site.domain}" if site.domain.startswith("viquilexic") else snap.base
    return {
        "mainpage": mainpage,
        "base": f"{snap.base}/wiki/{mainpage.replace(' ', '_')}",
        "sitename": site.name,
        "mainpageisdomainroot": True,
        "logo": f"{snap.base}/w/resources/assets/logo.png",
        "generator": f"MediaWiki {site.version}",
        "phpversion": "8.1.2-1ubuntu2.18",
        "phpsapi": "fpm-fcgi",
        "dbtype": "mysql",
        "dbversion": "10.6.16-MariaDB",
        "case": "first-letter",
        "lang": site.lang,
        "fallback": [],
        "rtl": False,
        "readonly": False,
        "writeapi": True,
        "timezone": "UTC",
        "timeoffset": 0,
        "articlepath": "/wiki/$1",
        "scriptpath": "/w",
        "script": "/w/index.php",
        "server": server,
        "servername": site.domain,
        "wikiid": site.domain.split(".")[0].replace("-", "") + "wiki",
        "time": iso_z(snap.at),
        "uploadsenabled": True,
        "favicon": f"{snap.base}/favicon.ico",
    }


def render(snap: Snapshot) -> dict[str, Page]:
    """Return a wiki's main page and its siteinfo API answer."""
    site, figs = snap.site, snap.figs
    mainpage, welcome, copyright_fmt, about = MW_TEXT[site.lang]
    statistics = {
        "pages": figs["pages"],
        "articles": figs["articles"],
        "edits": figs["edits"],
        "images": figs["articles"] // 9,
        "users": figs["members"],
        "activeusers": figs["active_users_30d"],
        "admins": 4 + figs["members"] // 20000,
        "jobs": 0,
    }
    api = {
        "batchcomplete": True,
        "query": {
            "general": _general(snap, mainpage),
            "statistics": statistics,
            "rightsinfo": {"url": site.licence_url or "", "text": site.licence_text or ""},
        },
    }
    head_licence = f'<link rel="license" href="{esc(site.licence_url)}">\n' if site.licence_url else ""
    if site.licence_url:
        licence_html = f'<a class="external" rel="nofollow" href="{esc(site.licence_url)}">{esc(site.licence_text)}</a>'
    else:
        licence_html = esc(site.licence_text or "")
    copyright_li = (
        f'<li id="footer-info-copyright">{copyright_fmt.format(licence=licence_html)}</li>' if site.licence_text else ""
    )
    page_id = mainpage.replace(" ", "_")
    links = "".join(f'<li><a href="https://{domain}/">{esc(domain)}</a></li>' for domain in site.links_to)
    rlconf = to_json(
        {
            "wgServer": f"//{site.domain}",
            "wgSiteName": site.name,
            "wgPageName": page_id,
            "wgIsMainPage": True,
            "wgPageContentLanguage": site.lang,
            "wgContentLanguage": site.lang,
        }
    ).decode()
    homepage = f"""<!DOCTYPE html>
<html class="client-nojs" lang="{site.lang}" dir="ltr">
<head>
<meta charset="UTF-8">
<title>{esc(mainpage)} – {esc(site.name)}</title>
<script>document.documentElement.className="client-js";RLCONF={rlconf};</script>
<link rel="stylesheet"
href="/w/load.php?lang={site.lang}&amp;modules=skins.vector.styles&amp;only=styles&amp;skin=vector-2022">
<meta name="generator" content="MediaWiki {site.version}">
<meta name="referrer" content="origin">
<link rel="icon" href="/favicon.ico">
<link rel="search" type="application/opensearchdescription+xml" href="/w/rest.php/v1/search"
title="{esc(site.name)} ({site.lang})">
<link rel="EditURI" type="application/rsd+xml" href="//{site.domain}/w/api.php?action=rsd">
{head_licence}<link rel="canonical" href="{snap.base}/">
</head>
<body class="skin-vector skin-vector-search-vue mediawiki ltr sitedir-ltr mw-hide-empty-elt ns-0 ns-subject
page-{esc(page_id)} rootpage-{esc(page_id)} skin-vector-2022 action-view">
<div class="mw-page-container">
<main id="content" class="mw-body">
<h1 id="firstHeading" class="firstHeading mw-first-heading"><span class="mw-page-title-main">{esc(mainpage)}</span></h1>
<div id="bodyContent" class="vector-body"><div id="mw-content-text" class="mw-body-content">
<div class="mw-content-ltr mw-parser-output" lang="{site.lang}" dir="ltr">
<p>{esc(welcome.format(name=site.name))}</p></div>
</div></div>
</main>
<footer id="footer" class="mw-footer" role="contentinfo">
<ul id="footer-info">{copyright_li}</ul>
<ul id="footer-places"><li id="footer-places-about"><a href="/wiki/Project:About">{esc(about)} {esc(site.name)}</a>
</li>{links}</ul>
<ul id="footer-icons"><li id="footer-poweredbyico"><a href="https://www.mediawiki.org/"><img
src="/w/resources/assets/poweredby_mediawiki.svg" alt="Powered by MediaWiki" width="88" height="31"></a></li></ul>
</footer>
</div>
</body>
</html>
"""
    return {"/": html_page(homepage), MEDIAWIKI_API: json_page(api)}
