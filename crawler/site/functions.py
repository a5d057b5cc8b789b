"""SQL functions on every connection: prefix search by default, and the form readers.

Datasette's search runs ``escape_fts(:search)``: each word becomes an exact token, so "langue" did
not find "langues". This module replaces that function on every connection with one that makes
each word (or quoted phrase) a prefix: ``"langue"*``. The ``tremplin_*`` functions read form
values with :mod:`crawler.site.params` and return NULL for a value they cannot read, which the
canned queries turn into "no rows" while the page says why (never a silently different filter).
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Callable

from datasette import hookimpl

from crawler.site.params import ParamError, read_choice, read_count, read_flag, read_flags, read_language
from crawler.site.precompute import language_name
from crawler.site.shortlist import reason

# The same tokenisation as datasette.utils.escape_fts: words, or "quoted phrases".
_FTS_BITS = re.compile(r'\s+|(".*?")')


def prefix_fts(query: str) -> str:
    """Return an FTS5 query matching every word of ``query`` as a prefix (quoted phrases kept)."""
    if query.count('"') % 2:
        query += '"'
    bits = [bit for bit in _FTS_BITS.split(query) if bit and bit != '""']
    return " ".join((bit if bit.startswith('"') else f'"{bit}"') + "*" for bit in bits)


def _or_null(reader: Callable[..., object]) -> Callable[..., object]:
    def read(text, *extra):
        if text is None:
            return None
        try:
            return reader("value", str(text), *extra)
        except ParamError:
            return None

    return read


def filter_reason(name: str, params_json: str) -> str:
    """Return the phrase of a partner finder filter for the parameters given as JSON."""
    return reason(name, json.loads(params_json), lambda tag: language_name(tag) if tag else "")


def register_functions(conn: sqlite3.Connection) -> None:
    """Register the site's SQL functions on ``conn``."""
    conn.create_function("escape_fts", 1, prefix_fts, deterministic=True)
    conn.create_function("tremplin_count", 1, _or_null(read_count), deterministic=True)
    conn.create_function("tremplin_flag", 1, _or_null(read_flag), deterministic=True)
    conn.create_function("tremplin_language", 1, _or_null(read_language), deterministic=True)
    conn.create_function("tremplin_flags", 1, _or_null(read_flags), deterministic=True)
    conn.create_function("tremplin_reason", 2, filter_reason, deterministic=True)
    conn.create_function("tremplin_language_name", 1, language_name, deterministic=True)
    choice = _or_null(read_choice)
    conn.create_function(
        "tremplin_choice", 2, lambda text, choices: choice(text, choices.split("|")), deterministic=True
    )


@hookimpl(trylast=True)
def prepare_connection(conn: sqlite3.Connection) -> None:
    # trylast: after Datasette's own escape_fts, which this one replaces.
    register_functions(conn)
