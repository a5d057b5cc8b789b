"""Reading what a person types into the site's forms: counts, yes/no boxes, languages, choices.

One reader per parameter type, shared by the SQL functions (crawler/site/functions.py), the page
messages and the JSON/CSV refusal (crawler/site/refuse.py), so a value the page cannot read is
never silently read as something else. Each reader returns the value, or raises ``ParamError`` with
the one line the page shows.
"""

from __future__ import annotations

from typing import Any

from crawler.normalize.languages import normalize_tag
from crawler.normalize.numbers import parse_count

TRUE_WORDS = frozenset({"1", "yes", "y", "on", "true", "oui", "ja", "si", "sí"})
FALSE_WORDS = frozenset({"0", "no", "n", "off", "false", "non", "nein"})
TRUST_FLAGS = ("self_reported", "stale", "anomalous")


class ParamError(ValueError):
    """A form value the site cannot read; the message is shown to the person as is."""


def read_count(name: str, text: str) -> int:
    """Read a whole count: ``50000``, ``50,000``, ``50 000``, ``50.000``, ``50k``, ``1.5M``."""
    found = parse_count(text.strip())
    if found is None or found.raw != text.strip():
        raise ParamError(
            f"{name}: cannot read {text.strip()!r} as a number of members; "
            "write it as 50000, 50,000, 50 000, 50.000 or 50k"
        )
    return found.value


def read_flag(name: str, text: str) -> int:
    """Read a yes/no box: 1/0, yes/no, on/off, true/false (a ticked checkbox sends ``1``)."""
    word = text.strip().lower()
    if word in TRUE_WORDS:
        return 1
    if word in FALSE_WORDS:
        return 0
    raise ParamError(f"{name}: cannot read {text.strip()!r} as yes or no; write 1 or 0")


def read_language(name: str, text: str) -> str:
    """Read a language as a BCP 47 tag: ``fr``, ``fr-CA``, or a name such as ``French``/``français``."""
    tag = normalize_tag(text.strip())
    if tag is None:
        raise ParamError(
            f"{name}: no language called {text.strip()!r}; use a tag such as fr or pt-BR, or a name such as French"
        )
    return tag


def read_choice(name: str, text: str, choices: list[str]) -> str:
    """Read one of ``choices`` (case and spaces ignored; ``centralized`` is ``centralised``)."""
    word = text.strip().lower().replace(" ", "_").replace("centralized", "centralised")
    if word not in choices:
        raise ParamError(f"{name}: {text.strip()!r} is not one of {', '.join(choices)}")
    return word


def read_flags(name: str, text: str) -> str:
    """Read a comma-separated list of trust flags; return it normalised (sorted, no spaces)."""
    flags = sorted({part.strip().lower() for part in text.split(",") if part.strip()})
    unknown = [flag for flag in flags if flag not in TRUST_FLAGS]
    if unknown:
        raise ParamError(f"{name}: {unknown[0]!r} is not a trust flag; use {', '.join(TRUST_FLAGS)}")
    return ",".join(flags)


def read_param(name: str, text: str, spec: dict[str, Any]) -> Any:
    """Read ``text`` for parameter ``name`` declared by ``spec`` (``type``, ``default``, ``choices``)."""
    if not text.strip():
        return spec["default"]
    kind = spec.get("type", "text")
    if kind == "count":
        return read_count(name, text)
    if kind == "flag":
        return read_flag(name, text)
    if kind == "language":
        return read_language(name, text)
    if kind == "choice":
        return read_choice(name, text, spec["choices"])
    if kind == "flags":
        return read_flags(name, text)
    return text.strip()


def param_errors(specs: dict[str, dict[str, Any]], args: dict[str, str]) -> list[str]:
    """Return one message per parameter of ``args`` that ``specs`` cannot read (empty when all are fine)."""
    errors = []
    for name, spec in specs.items():
        try:
            read_param(name, args.get(name, "") or "", spec)
        except ParamError as exc:
            errors.append(str(exc))
    return errors
