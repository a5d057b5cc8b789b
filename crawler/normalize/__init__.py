"""Shared normalisers used by every platform adapter: counts, labels, languages, licences, dates."""

from crawler.normalize.dates import to_utc_iso
from crawler.normalize.labels import label_pattern, metric_for_label
from crawler.normalize.languages import content_languages, detect_language, normalize_tag
from crawler.normalize.licences import Licence, licence_from_text, licence_from_url
from crawler.normalize.numbers import ParsedCount, find_counts, parse_count

__all__ = [
    "Licence",
    "ParsedCount",
    "content_languages",
    "detect_language",
    "find_counts",
    "label_pattern",
    "licence_from_text",
    "licence_from_url",
    "metric_for_label",
    "normalize_tag",
    "parse_count",
    "to_utc_iso",
]
