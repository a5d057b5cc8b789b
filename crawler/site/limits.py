"""SQLite limits and a result budget on every connection Datasette opens.

``select randomblob(500000000)`` made Datasette build a 500 MB value, then its base64 JSON: the
SQL time limit does not cover that, and every other request waited. SQLite's own length limit
refuses such a value at once; the row factory refuses a result whose values add up to more than
``RESULT_BUDGET_BYTES`` (a thousand rows of large values), so memory per request stays bounded.
"""

from __future__ import annotations

import sqlite3
import weakref

from datasette import hookimpl

# Largest string or blob SQLite may build (the longest value Tremplin stores is a few KB).
MAX_VALUE_BYTES = 1_000_000
# Longest SQL text accepted (canned queries are under 10 KB).
MAX_SQL_BYTES = 100_000
# Largest result one query may hand to Datasette, values summed (numbers count 8 bytes).
RESULT_BUDGET_BYTES = 20_000_000


class ResultTooLargeError(sqlite3.DataError):
    """A query's result went over the byte budget; Datasette shows the message as a query error."""


def limit_connection(conn: sqlite3.Connection) -> None:
    """Set the length limits and the result budget on ``conn``."""
    conn.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, MAX_VALUE_BYTES)
    conn.setlimit(sqlite3.SQLITE_LIMIT_SQL_LENGTH, MAX_SQL_BYTES)
    make_row = conn.row_factory or (lambda cursor, values: values)
    spent: weakref.WeakKeyDictionary[sqlite3.Cursor, int] = weakref.WeakKeyDictionary()

    def bounded_row(cursor: sqlite3.Cursor, values: tuple) -> object:
        size = spent.get(cursor, 0)
        for value in values:
            size += len(value) if isinstance(value, str | bytes) else 8
        if size > RESULT_BUDGET_BYTES:
            raise ResultTooLargeError(
                f"result too large: over {RESULT_BUDGET_BYTES // 1_000_000} MB; ask for fewer rows or columns"
            )
        spent[cursor] = size
        return make_row(cursor, values)

    conn.row_factory = bounded_row


@hookimpl(trylast=True)
def prepare_connection(conn: sqlite3.Connection) -> None:
    # trylast: after Datasette has set its own row factory (sqlite3.Row), which bounded_row wraps.
    limit_connection(conn)
