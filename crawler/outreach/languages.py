"""Strict language names for practised languages: "Català", "Katalanisch", "catalan" -> ``ca``.

:func:`crawler.normalize.languages.normalize_tag` reads a name in any language with fuzzy
matching, so a city or a weekday may come back as some rare language ("Paris" -> ``pi``). A
sub-forum title or a picker option counts here only when its text *is* the language's name in one
of the languages of the use case, or its own name (autonym), or a plain language code.
"""

from __future__ import annotations

import contextlib
import re
import unicodedata
from functools import lru_cache

import langcodes

from crawler.normalize.languages import normalize_tag

# Languages whose names for other languages are accepted ("anglais", "Englisch", "inglés", ...).
DISPLAY_LANGUAGES = ("en", "fr", "de", "es", "it", "pt", "ca", "nl", "pl", "eo", "ro", "sv", "da", "ru")
# Words around a language name in titles and options: "Forum français", "Le catalan", "English (UK)".
_ARTICLES = frozenset({"le", "la", "l", "les", "el", "il", "lo", "der", "die", "das", "the", "o", "a", "de", "en"})
_DECORATION = frozenset(
    {
        "forum", "forums", "foro", "foros", "fórum", "board", "section", "corner", "café", "cafe", "club",
        "language", "langue", "sprache", "lengua", "idioma", "lingua", "język", "taal", "llengua",
        "chat", "tandem", "discussions", "discussion",
    }
)  # fmt: skip
_CODE_RE = re.compile(r"^[a-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*$")
_PAREN_RE = re.compile(r"\s*[(\[].*?[)\]]\s*")
MAX_NAME_CHARS = 40


def fold(text: str) -> str:
    """Lowercase, accents dropped, punctuation as spaces: "Français" -> "francais"."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    return " ".join(re.sub(r"[^\w]+", " ", text).split())


@lru_cache(maxsize=2048)
def _names_of(tag: str) -> frozenset[str]:
    language = langcodes.Language.get(tag)
    names = set()
    for display in DISPLAY_LANGUAGES:
        try:
            names.add(fold(language.display_name(display)))
        except (LookupError, ValueError):
            continue
    with contextlib.suppress(LookupError, ValueError):
        names.add(fold(language.autonym()))
    return frozenset(name for name in names if name)


def primary(tag: str) -> str:
    """The language subtag of a BCP 47 tag, lowercased (``pt-BR`` -> ``pt``)."""
    return tag.split("-")[0].lower()


@lru_cache(maxsize=8192)
def language_tag(text: str, allow_code: bool = False) -> str | None:
    """The primary BCP 47 tag ``text`` names, or None when it is not plainly a language name.

    ``allow_code`` accepts a bare code (``"ca"``, ``"pt-BR"``): right for option values and API
    fields, wrong for prose, where "de" or "it" are words.
    """
    text = " ".join((text or "").split())
    if not text or len(text) > MAX_NAME_CHARS:
        return None
    if allow_code and _CODE_RE.match(text):
        tag = normalize_tag(text)
        return primary(tag) if tag else None
    words = [
        w
        for w in _PAREN_RE.sub(" ", text).replace("’", "'").split()
        if fold(w) not in _ARTICLES and fold(w) not in _DECORATION
    ]
    if not words or len(words) > 3:
        return None
    words[0] = re.sub(r"^(?:l|d)'", "", words[0], flags=re.I)
    name = " ".join(words)
    tag = normalize_tag(name)
    if not tag:
        return None
    if fold(name) in _names_of(tag) or fold(name) in _names_of(primary(tag)):
        return primary(tag)
    return None


def tags_in_order(values: list[str | None], limit: int = 60) -> list[str]:
    """Distinct tags, first seen first, at most ``limit``."""
    out: list[str] = []
    for value in values:
        if value and value not in out:
            out.append(value)
            if len(out) >= limit:
                break
    return out
