"""A JSON, CSV or Atom request with a parameter the site cannot read answers 400 with the reason.

The HTML page of a canned query shows the same message above its form (crawler/site/pages.py);
a program asking for ``?min_members=5O,000`` in JSON gets ``{"ok": false, "error": ...}`` instead
of an empty result it could mistake for "no such community".
"""

from __future__ import annotations

import json
from urllib.parse import parse_qs

from datasette import hookimpl

from crawler.site.params import param_errors

DATA_EXTENSIONS = ("json", "csv", "atom")


def _specs(datasette, path: str) -> dict | None:
    parts = path.strip("/").split("/")
    if len(parts) != 2 or "." not in parts[1]:
        return None
    database, (query, extension) = parts[0], parts[1].rsplit(".", 1)
    if extension not in DATA_EXTENSIONS or database not in datasette.databases:
        return None
    canned = (datasette.metadata("queries", database=database, fallback=False) or {}).get(query)
    if not canned:
        return None
    return {name: spec for name, spec in (canned.get("defaults") or {}).items() if isinstance(spec, dict)}


def refuse_unreadable(app, datasette):
    """Wrap an ASGI app: a data request to a canned query with an unreadable parameter answers 400."""

    async def wrapped(scope, receive, send):
        if scope["type"] == "http":
            specs = _specs(datasette, scope["path"])
            if specs:
                query = parse_qs(scope.get("query_string", b"").decode("utf-8", "replace"), keep_blank_values=True)
                errors = param_errors(specs, {name: values[0] for name, values in query.items()})
                if errors:
                    body = json.dumps({"ok": False, "status": 400, "error": "; ".join(errors)}).encode()
                    await send(
                        {
                            "type": "http.response.start",
                            "status": 400,
                            "headers": [(b"content-type", b"application/json; charset=utf-8")],
                        }
                    )
                    await send({"type": "http.response.body", "body": body})
                    return
        await app(scope, receive, send)

    return wrapped


@hookimpl
def asgi_wrapper(datasette):
    return lambda app: refuse_unreadable(app, datasette)
