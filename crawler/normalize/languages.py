"""Language tags (BCP 47) and offline content-language detection.

Sites declare their language in many spellings: ``<html lang="en_US">``, ``hreflang="iw"``, API
fields such as ``"English"`` or ``"Français"``. :func:`normalize_tag` turns all of them into
canonical BCP 47 tags with langcodes (bundled CLDR/IANA data, no network).

Declarations are often wrong (a Polish forum served with ``<html lang="en">``), so
:func:`detect_language` reads the visible text with lingua, whose models ship inside the wheel.
The detector runs in lingua's low-accuracy (trigram) mode over a fixed set of 32 languages: the
high-accuracy mode needs ~6 s and ~500 MB to load those models, the trigram mode 0.2 s and ~50 MB,
and on the >= 40 letters we require both agree on all but near-identical pairs (da/nb), which the
confidence threshold then turns into None.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

import langcodes

# Languages the default detector chooses from: the ones communities in our seed lists write in.
# Every extra language costs memory and adds confusable pairs (hr/sr/bs), so the set stays small.
# fmt: off
DETECTION_LANGUAGES: tuple[str, ...] = (
    "en", "fr", "de", "es", "it", "pt", "nl", "pl", "ru", "uk", "cs", "sk", "hu", "ro", "sv", "da",
    "nb", "fi", "tr", "el", "he", "ar", "fa", "zh", "ja", "ko", "ca", "eo", "id", "vi", "bg", "hi",
)
# fmt: on
MIN_LETTERS = 40
# lingua's cost grows with the text (0.7 µs a character in a tight loop, twice that inside a crawl,
# where other work evicts its tables from the cache); 600 characters of prose are ~90 words, far
# more than the trigram models need to be sure.
MAX_CHARS = 600
SCAN_CHARS = 3000
SAMPLE_WINDOWS = 3
# A declaration is taken as confirmed when this many characters say so this confidently.
CONFIRM_CHARS = 200
CONFIRM_CONFIDENCE = 0.95
# lingua's trigram mode gives near 0/1 confidences on real text; below this the text is mixed or
# between two close languages and we would rather say nothing.
MIN_CONFIDENCE = 0.75
# Overruling a site's own declaration needs more evidence than filling a gap.
OVERRIDE_CONFIDENCE = 0.9
OVERRIDE_MIN_LETTERS = 80

_TAG_SHAPE = re.compile(r"^[A-Za-z]{2,8}(?:[-_][A-Za-z0-9]{1,8})*$")
# Language names are words: "en-" or "-en" is a broken tag, not a name to look up.
_NAME_SHAPE = re.compile(r"^[^\W\d_]+(?:[ '\u2019-][^\W\d_]+)*$")
# POSIX locale decorations: "fr_FR.UTF-8", "de_DE@euro".
_POSIX_SUFFIX = re.compile(r"[.@][A-Za-z0-9_-]*$")
_NOT_LANGUAGES = {"und", "mul", "zxx", "mis"}
# Macrolanguage equivalences, so a declared "no" agrees with a detected "nb".
_SAME_LANGUAGE = {"nb": "no", "nn": "no", "no": "no"}


@lru_cache(maxsize=4096)
def _normalize_tag_cached(value: str) -> str | None:
    value = _POSIX_SUFFIX.sub("", value) if "_" in value or "@" in value else value
    if _TAG_SHAPE.match(value):
        subtags = value.replace("_", "-").split("-")
        # Drop invalid trailing subtags ("es-ES-tradnl" -> "es-ES") rather than the whole tag.
        while subtags:
            candidate = "-".join(subtags)
            try:
                tag = langcodes.standardize_tag(candidate)
            except (ValueError, LookupError):
                tag = None
            if tag and langcodes.tag_is_valid(tag):
                language = tag.split("-")[0].lower()
                if language in _NOT_LANGUAGES or language == "x" or "qaa" <= language <= "qtz":
                    return None
                return tag
            subtags.pop()
    # A language name in any language ("Deutsch", "francés"); a trailing "(Brasil)" is a region
    # langcodes does not read, so try without it too.
    for name in (value, re.sub(r"\s*\(.*?\)\s*$", "", value)):
        if not _NAME_SHAPE.match(name):
            continue
        try:
            tag = langcodes.find(name).to_tag()
        except (LookupError, ValueError):
            continue
        if tag and tag.split("-")[0] not in _NOT_LANGUAGES:
            return langcodes.standardize_tag(tag)
    return None


def normalize_tag(value: str) -> str | None:
    """Canonical BCP 47 tag for a declared language tag or language name, or None.

    ``"en_US"`` -> ``"en-US"``, ``"iw"`` -> ``"he"``, ``"English"`` -> ``"en"``, ``"Français"`` ->
    ``"fr"``; ``"und"``, ``"x-default"``, private-use and unknown values -> None. Never raises.
    """
    if not isinstance(value, str):
        return None
    value = value.strip()
    if not value or len(value) > 64 or not value.isprintable():
        return None
    try:
        return _normalize_tag_cached(value)
    except Exception:  # langcodes raises its own error types on odd input; a crawl must go on.
        return None


def _primary(tag: str) -> str:
    return tag.split("-")[0].lower()


def _same_language(a: str, b: str) -> bool:
    pa, pb = _primary(a), _primary(b)
    return pa == pb or _SAME_LANGUAGE.get(pa, pa) == _SAME_LANGUAGE.get(pb, pb)


_detector_lock = threading.Lock()


def _lingua_languages(codes: Iterable[str]) -> frozenset[Any]:
    from lingua import IsoCode639_1, Language

    found = set()
    for code in codes:
        primary = _primary(code)
        names = ("NB", "NN") if primary == "no" else (primary.upper(),)
        for name in names:
            iso = getattr(IsoCode639_1, name, None)
            if iso is None:
                continue
            try:
                found.add(Language.from_iso_code_639_1(iso))
            except (ValueError, TypeError):
                continue
    return frozenset(found)


@lru_cache(maxsize=16)
def _detector(languages: frozenset[Any]) -> Any:
    from lingua import LanguageDetectorBuilder

    # lingua keeps loaded models in a process-wide cache, so detectors over subsets are cheap.
    with _detector_lock:
        return LanguageDetectorBuilder.from_languages(*languages).with_low_accuracy_mode().build()


_DEFAULT_LANGUAGES: frozenset[Any] | None = None


# A CJK character carries about as much as a short word, so it counts twice.
_WIDE_LETTER_RE = re.compile(r"(?=[\u2e80-\U0010ffff])[^\W\d_]")


def _letters(sample: str) -> int:
    return sum(map(str.isalpha, sample)) + len(_WIDE_LETTER_RE.findall(sample))


def _sample(text: str, size: int = MAX_CHARS) -> str:
    """At most ``size`` characters from across the first SCAN_CHARS: the dominant language of a
    bilingual text is the one most of its windows are written in, not the one it starts with."""
    if len(text) <= size:
        return text
    scanned = text[:SCAN_CHARS]
    width = size // SAMPLE_WINDOWS
    step = (len(scanned) - width) / (SAMPLE_WINDOWS - 1)
    return " ".join(scanned[round(i * step) : round(i * step) + width] for i in range(SAMPLE_WINDOWS))


def _detect(
    text: str, candidates: Iterable[str] | None, min_letters: int = MIN_LETTERS, size: int = MAX_CHARS
) -> tuple[str | None, float, int]:
    """(primary tag, confidence, letters considered); the tag is None below ``min_letters``."""
    global _DEFAULT_LANGUAGES
    if not isinstance(text, str):
        return None, 0.0, 0
    sample = _sample(text, size)
    letters = _letters(sample)
    if letters < min_letters:
        return None, 0.0, letters
    if candidates is None:
        if _DEFAULT_LANGUAGES is None:
            _DEFAULT_LANGUAGES = _lingua_languages(DETECTION_LANGUAGES)
        languages = _DEFAULT_LANGUAGES
    else:
        tags = [normalize_tag(c) for c in candidates if isinstance(c, str)]
        languages = _lingua_languages(t for t in tags if t)
    if not languages:
        return None, 0.0, letters
    values = _detector(languages).compute_language_confidence_values(sample)
    if not values:
        return None, 0.0, letters
    best = values[0]
    return best.language.iso_code_639_1.name.lower(), float(best.value), letters


def detect_language(text: str, candidates: Iterable[str] | None = None) -> str | None:
    """Primary BCP 47 tag of the language ``text`` is written in, or None when unsure.

    Reads 600 characters in three windows spread over the first 3000; None below 40 letters or
    when the best language has less than 0.75 confidence. ``candidates`` (tags) restricts the
    choice, e.g. to a site's hreflang alternates. Offline: lingua's bundled models, never a
    download. Never raises.
    """
    try:
        tag, confidence, _ = _detect(text, candidates)
    except Exception:  # a detector failure must not stop the crawl; unknown is a valid answer.
        return None
    if tag is None or confidence < MIN_CONFIDENCE:
        return None
    return tag


def _confirmation(text: str, declared: str) -> tuple[bool, tuple[str | None, float, int]]:
    """Whether a short sample of ``text`` is plainly in the ``declared`` language, and that detection.

    Most sites declare their language correctly; a third of the sample confirms that at a third of
    lingua's cost, and only a doubtful page is read in full (an overruling needs the full sample).
    """
    detection = _detect(text, None, OVERRIDE_MIN_LETTERS, CONFIRM_CHARS)
    detected, confidence, _ = detection
    confirmed = detected is not None and confidence >= CONFIRM_CONFIDENCE and _same_language(declared, detected)
    return confirmed, detection


def content_languages(declared: Iterable[str], text: str) -> tuple[list[str], str]:
    """The community's own languages, its own first, and where that came from.

    Declared tags are normalised and deduplicated, order kept. When the visible text is confidently
    in another language than the first declared one (a Polish forum with ``<html lang="en">``), the
    detected language goes first: the matching declared tag moved up if there is one ("pl-PL"),
    else the bare detected tag; the others follow.

    Source: ``"declared"`` when the list is the declaration as given (also when detection agreed or
    was inconclusive, and for an empty list), ``"detected"`` when nothing usable was declared,
    ``"declared+detected"`` when detection reordered or extended the declared list.
    """
    tags: list[str] = []
    for value in declared or ():
        tag = normalize_tag(value) if isinstance(value, str) else None
        if tag and tag not in tags:
            tags.append(tag)
    # With a declaration, a detection on fewer letters could not overrule it: lingua is not asked.
    min_letters = OVERRIDE_MIN_LETTERS if tags else MIN_LETTERS
    try:
        detection = None
        if tags:
            confirmed, detection = _confirmation(text, tags[0])
            if confirmed:
                return tags, "declared"
            if not (isinstance(text, str) and len(text) <= CONFIRM_CHARS):
                detection = None  # the full read samples more of the text than the confirmation did
        # A text no longer than the confirmation's sample is the same sample, read on the same
        # number of letters: lingua is not asked the same question twice.
        detected, confidence, letters = detection or _detect(text, None, min_letters)
    except Exception:  # see detect_language
        detected, confidence, letters = None, 0.0, 0
    if not tags:
        if detected and confidence >= MIN_CONFIDENCE:
            return [detected], "detected"
        return [], "declared"
    if (
        detected is None
        or confidence < OVERRIDE_CONFIDENCE
        or letters < OVERRIDE_MIN_LETTERS
        or _same_language(tags[0], detected)
    ):
        return tags, "declared"
    matching = next((t for t in tags if _same_language(t, detected)), None)
    if matching is not None:
        tags.remove(matching)
        return [matching, *tags], "declared+detected"
    return [detected, *tags], "declared+detected"
