"""The outreach vocabulary and the setters that record a value with its evidence.

Every outreach value goes through :func:`put` or :func:`put_list`, which check it against the
vocabulary, keep the first value recorded for a field (callers try their best source first) and
attach the evidence: the response URL, a rule id and a short snippet without personal data.
"""

from __future__ import annotations

from typing import Any

from crawler.extraction import (
    MAX_SNIPPET,
    OUTREACH_LIST_FIELDS,
    OUTREACH_SCALAR_FIELDS,
    Evidence,
    ExtractionBuilder,
    clean_text,
)
from crawler.normalize.privacy import scrub

OPERATOR_TYPES = ("non_profit", "company", "university", "volunteer_group", "unknown")
REGISTRATION_MODES = ("open", "approval", "invite", "closed")
PRICE_MODELS = ("free", "freemium", "paid")
FEDERATION = ("centralised", "federated")

# Extraction / item / column names, in column order (declared once, with the value model).
SCALAR_FIELDS = OUTREACH_SCALAR_FIELDS
LIST_FIELDS = OUTREACH_LIST_FIELDS
FIELDS = (*SCALAR_FIELDS, *LIST_FIELDS)
VOCABULARY: dict[str, tuple[str, ...]] = {
    "operator_type": OPERATOR_TYPES,
    "registration_mode": REGISTRATION_MODES,
    "price_model": PRICE_MODELS,
    "federation": FEDERATION,
}
MAX_LIST = 60


def snippet_text(text: Any) -> str | None:
    """A snippet as stored: one line, bounded, without e-mail addresses or profile links."""
    cleaned = clean_text(text, MAX_SNIPPET * 2)
    return clean_text(scrub(cleaned), MAX_SNIPPET) if cleaned else None


def _evidence(builder: ExtractionBuilder, rule: str, snippet: str | None, rank: int | None) -> Evidence:
    return Evidence(
        source_url=builder.extraction.url,
        rule=rule,
        snippet=snippet_text(snippet),
        approximate=False,
        rank=builder.rank if rank is None else rank,
    )


def put(
    builder: ExtractionBuilder, field: str, value: Any, rule: str, snippet: str | None = None, rank: int | None = None
) -> bool:
    """Record one scalar outreach value unless the field already has one; False when refused."""
    if field not in SCALAR_FIELDS:
        raise ValueError(f"unknown outreach field {field!r}")
    if getattr(builder.extraction, field) is not None:
        return False
    if field == "meetups":
        if not isinstance(value, bool):
            return False
    else:
        value = clean_text(value, 500 if field.endswith("_url") else 200)
        if value is None or (field in VOCABULARY and value not in VOCABULARY[field]):
            return False
    setattr(builder.extraction, field, value)
    builder.extraction.evidence[field] = _evidence(builder, rule, snippet, rank)
    return True


def put_list(
    builder: ExtractionBuilder,
    field: str,
    values: list[str],
    rule: str,
    snippet: str | None = None,
    rank: int | None = None,
) -> bool:
    """Record a list value (distinct, in order, bounded) unless the field already has one."""
    if field not in LIST_FIELDS:
        raise ValueError(f"unknown outreach list field {field!r}")
    seen: list[str] = []
    for value in values:
        text = clean_text(value, 80)
        if text and text not in seen:
            seen.append(text)
        if len(seen) >= MAX_LIST:
            break
    if not seen or getattr(builder.extraction, field):
        return False
    setattr(builder.extraction, field, seen)
    builder.extraction.evidence[field] = _evidence(builder, rule, snippet, rank)
    return True
