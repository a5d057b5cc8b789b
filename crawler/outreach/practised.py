"""Languages a community practises: the languages members learn or offer, apart from the interface.

From a page, best first (the first that gives languages wins):

1. language pickers: ``<select>`` (or checkboxes) whose name, id, label or preceding text speaks of
   speaking, learning, teaching or practising ("I speak / I learn", "je parle / j'apprends",
   "Muttersprache / Lernsprache", "native_language", "target_language"): the union of their options,
   read by name ("Català") or by code in the option value (``ca``); at least two languages;
2. sub-forums whose title is a language ("Català", "English corner", "Forum français"): forum
   links (``viewforum.php``, ``forumdisplay.php``, ``/forums/<slug>``, ``?board=``, ``/c/<slug>``)
   naming at least two languages;
3. course lists: "Learn Catalan", "Apprendre le catalan", "Cours de catalan", "Katalanisch lernen",
   "Aprender catalán", "Corso di catalano", "Curs de català", and the items of a list under a
   "Courses" / "Nos cours" / "Kurse" / "Cursos" heading.

Interface translation menus (``hreflang`` links, a "Language" / "Langue" selector without any
learning word) are not practised languages. Platform APIs (Lemmy ``discussion_languages``,
Mastodon ``languages``, MediaWiki language editions) are read in :mod:`crawler.outreach.platforms`.
Tags are primary BCP 47 subtags (:func:`crawler.outreach.languages.language_tag`).
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from crawler.extraction import ExtractionBuilder
from crawler.outreach.context import PageContext
from crawler.outreach.languages import language_tag, tags_in_order
from crawler.outreach.values import put_list
from crawler.platforms.html import string_of, text_of

MAX_SELECTS = 30
MAX_OPTIONS = 400

_PRACTISE_RE = re.compile(
    r"speak|spoken|native|mother[ _-]?tongue|teach|offer|learn|target|practi[cs]e|fluent|parl[eé]|parlons"
    r"|maternelle|apprend|appris|cible|enseign|spreche|muttersprache|lerne|lernsprache|zielsprache|hablo|habla"
    r"|nativ[oa]|aprend|quiero|parlo|madrelingua|imparo|impar|aprenc|falo|mówię|ojczyst|uczę|spreek|moedertaal"
    r"|leer|wil leren|native_lang|target_lang|lang_native|lang_learn|learning|teaching|offered|wanted",
    re.I,
)
_COURSE_RES = (
    re.compile(r"\b(?:learn|learning|study|studying|practi[cs]e|practi[cs]ing)\s+(?P<l>[A-Z][^\W\d_]{2,})\b"),
    re.compile(r"\b(?P<l>[A-Z][^\W\d_]{2,})\s+(?:courses?|lessons?|classes|for beginners)\b"),
    re.compile(
        r"\b(?:apprendre|apprenez|pratiquer|pratiquez|cours d['’]|cours de|cours en)\s*(?:le |la |l['’])?"
        r"(?P<l>[^\W\d_]{3,})",
        re.I,
    ),
    re.compile(r"\b(?P<l>[A-ZÄÖÜ][^\W\d_]{2,})\s+(?:lernen|üben|sprechen lernen)\b"),
    re.compile(r"\b(?:Kurse?|Sprachkurse?)\s+(?:für|in)\s+(?P<l>[A-ZÄÖÜ][^\W\d_]{2,})\b"),
    re.compile(
        r"\b(?:aprender|aprende|aprenda|curso de|cursos de|clases de|practicar|practica|imparare|impara|corso di"
        r"|corsi di|lezioni di|aprendre|aprèn|curs de|cursos d['’]|cursus)\s+(?:el |la |il |lo |l['’])?"
        r"(?P<l>[^\W\d_]{3,})",
        re.I,
    ),
    re.compile(r"\b(?P<l>[A-Z][^\W\d_]{2,})\s+leren\b"),
    # Elided forms: "Curs d’anglès", "Corso d'inglese", "Cours d’espagnol".
    re.compile(r"\b(?:cours|curs|cursos|corso|corsi|lezioni)\s+d['’]\s*(?P<l>[^\W\d_]{3,})", re.I),
)
_COURSE_HEADING_RE = re.compile(
    r"^(?:(?:our |all |available |free )?(?:language )?courses|languages (?:we teach|you can learn|to learn|taught)"
    r"|learn a language|what (?:do you want|would you like) to learn\??|(?:nos |tous les )?cours(?: de langues?)?"
    r"|langues (?:enseignées|proposées|à apprendre)|que voulez-vous apprendre ?\??|(?:unsere )?(?:sprach)?kurse"
    r"|sprachen lernen|(?:nuestros )?cursos(?: de idiomas)?|idiomas (?:para aprender|que enseñamos)"
    r"|(?:i nostri )?corsi(?: di lingue)?|lingue da imparare|(?:els nostres )?cursos(?: de llengües)?"
    r"|kursy(?: językowe)?|cursussen|taalcursussen)\s*:?$",
    re.I,
)
_COURSE_STEMS = (
    "learn", "study", "practi", "course", "lesson", "class", "beginner", "apprend", "pratiqu", "cours", "lernen",
    "üben", "kurs", "aprend", "curso", "clases", "practic", "impar", "corso", "corsi", "lezioni", "aprèn", "curs",
    "leren",
)  # fmt: skip
_COURSE_MARKERS = ("course", "cours", "kurs", "curso", "corsi", "cursus", "learn", "teach", "apprend", "lernen")
_FORUM_LINK_RE = re.compile(
    r"viewforum\.php|forumdisplay\.php|[?&;]board=\d|/forums?/[^/?#]+|/c/[^/?#]+|/categor(?:y|ies)/[^/?#]+"
    r"|/f/[^/?#]+|/board/[^/?#]+|/subforum",
    re.I,
)


def _select_context(ctx: PageContext, select: Any) -> str:
    parts = [select.get(attr) or "" for attr in ("name", "id", "class", "aria-label", "title", "data-label")]
    ident = select.get("id")
    if ident and '"' not in ident and "'" not in ident:
        parts.extend(text_of(label, limit=120) for label in ctx.pg.xpath(f'//label[@for="{ident}"]')[:2])
    parent = select.getparent()
    if parent is not None and parent.tag == "label":
        parts.append((parent.text or "")[:120])
    previous = select.getprevious()
    if previous is not None and previous.tag not in ("select", "option", "script"):
        parts.append(text_of(previous, limit=120))
    elif parent is not None and parent.text:
        parts.append(parent.text[:120])
    kept: list[str] = []
    for part in parts:
        part = " ".join(part.split())
        if part and part not in kept:
            kept.append(part)
    return " ".join(kept)


def _option_tag(option: Any) -> str | None:
    text = " ".join((string_of(option) or "").split())
    return language_tag(text) or language_tag((option.get("value") or "").strip(), allow_code=True)


def _pickers(ctx: PageContext) -> tuple[list[str], str] | None:
    tags: list[str | None] = []
    labels: list[str] = []
    for select in ctx.pg.xpath("//select")[:MAX_SELECTS]:
        context = _select_context(ctx, select)
        if not _PRACTISE_RE.search(context):
            continue
        found = [_option_tag(option) for option in ctx.pg.xpath(".//option", select)[:MAX_OPTIONS]]
        if sum(1 for tag in found if tag) >= 2:
            tags.extend(found)
            labels.append(" ".join(context.split())[:40])
    for box in ctx.pg.xpath("//input[@type='checkbox' or @type='radio'][@name][@value]")[:MAX_OPTIONS]:
        if _PRACTISE_RE.search(box.get("name") or ""):
            tags.append(language_tag(box.get("value").strip(), allow_code=True))
            if (box.get("name") or "")[:40] not in labels:
                labels.append((box.get("name") or "")[:40])
    ordered = tags_in_order(tags)
    if len(ordered) < 2:
        return None
    return ordered, f"language picker {' / '.join(repr(label) for label in labels[:3])}: {', '.join(ordered[:12])}"


def _course_heading_lists(ctx: PageContext) -> list[str | None]:
    tags: list[str | None] = []
    if not any(word in ctx.lowered_text for word in _COURSE_MARKERS):
        return tags
    for heading in ctx.pg.xpath("(//h1 | //h2 | //h3 | //h4 | //legend)[position() <= 200]"):
        if not _COURSE_HEADING_RE.match(" ".join((string_of(heading) or "").split())):
            continue
        sibling = heading.getnext()
        if sibling is None:
            continue
        items = ctx.pg.xpath(".//li | .//a | .//dd | .//option", sibling)[:MAX_OPTIONS] or [sibling]
        tags.extend(language_tag(" ".join((string_of(item) or "").split())) for item in items)
    return tags


def _windows(
    text: str, stems: tuple[str, ...], before: int = 30, after: int = 40, limit: int = 60
) -> list[tuple[int, str]]:
    """``(offset, stretch)`` of ``text`` around each occurrence of ``stems``, merged where they overlap."""
    lowered = text.lower()
    spans: list[tuple[int, int]] = []
    for stem in stems:
        position = lowered.find(stem)
        while position >= 0 and len(spans) < limit:
            spans.append((max(0, position - before), position + len(stem) + after))
            position = lowered.find(stem, position + 1)
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(start, text[start:end]) for start, end in merged]


def _courses(ctx: PageContext) -> tuple[list[str], str] | None:
    tags = _course_heading_lists(ctx)
    hits: list[str] = []
    # Link texts joined by a separator no pattern crosses: one search per pattern instead of thousands.
    links = " | ".join(anchor.text for anchor in ctx.anchors if anchor.own and 3 <= len(anchor.text) <= 60)
    found: list[tuple[int, str, str]] = []
    for offset, text in _windows(f"{ctx.prose} | {links}", _COURSE_STEMS):
        for pattern in _COURSE_RES:
            for match in pattern.finditer(text):
                tag = language_tag(match.group("l"))
                if tag:
                    found.append((offset + match.start(), tag, match.group(0)[:40]))
    for _, tag, hit in sorted(found):  # in the order the page names them
        tags.append(tag)
        if len(hits) < 4 and hit not in hits:
            hits.append(hit)
    ordered = tags_in_order(tags)
    if not ordered:
        return None
    return ordered, f"courses: {'; '.join(hits) or 'list under a courses heading'} ({', '.join(ordered[:12])})"


def _subforums(ctx: PageContext) -> tuple[list[str], str] | None:
    tags: list[str] = []
    titles: list[str] = []
    for anchor in ctx.anchors:
        if not anchor.own or not anchor.text or len(anchor.text) > 40 or anchor.element.get("hreflang"):
            continue
        parts = urlsplit(anchor.url)
        if not _FORUM_LINK_RE.search(f"{parts.path}?{parts.query}"):
            continue
        tag = language_tag(anchor.text)
        if tag and tag not in tags:
            tags.append(tag)
            titles.append(anchor.text)
    if len(tags) < 2:
        return None
    return tags, f"sub-forums {', '.join(repr(t) for t in titles[:8])}"


def extract_practised(builder: ExtractionBuilder, ctx: PageContext) -> None:
    """Record the languages the community practises, from pickers, course lists or sub-forums."""
    for reader, rule in (
        (_pickers, "outreach.practised.picker"),
        (_subforums, "outreach.practised.subforums"),
        (_courses, "outreach.practised.course_list"),
    ):
        found = reader(ctx)
        if found:
            put_list(builder, "practised_languages", found[0], rule, found[1])
            return
