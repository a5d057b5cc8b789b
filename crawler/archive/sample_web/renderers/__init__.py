"""One renderer per platform: ``render(snapshot)`` returns the pages a site answers at one capture.

Each maps URL paths (``/``, ``/about.json``, ...) to :class:`~crawler.archive.sample_web.model.Page`
objects; :data:`RENDERERS` picks the one for a site's platform (``None`` for custom sites).
"""

from __future__ import annotations

from collections.abc import Callable

from crawler.archive.sample_web.model import Page, Snapshot
from crawler.archive.sample_web.renderers import (
    discourse,
    drupal,
    generic,
    lemmy,
    mastodon,
    mediawiki,
    mybb,
    peertube,
    phpbb,
    smf,
    tatoeba,
    vbulletin,
    wikimedia_portal,
    xenforo,
)

RENDERERS: dict[str | None, Callable[[Snapshot], dict[str, Page]]] = {
    "discourse": discourse.render,
    "mediawiki": mediawiki.render,
    "mastodon": mastodon.render,
    "lemmy": lemmy.render,
    "peertube": peertube.render,
    "phpbb": phpbb.render,
    "xenforo": xenforo.render,
    "smf": smf.render,
    "mybb": mybb.render,
    "vbulletin": vbulletin.render,
    "tatoeba": tatoeba.render,
    "wikimedia_portal": wikimedia_portal.render,
    "drupal": drupal.render,
    None: generic.render,
}
