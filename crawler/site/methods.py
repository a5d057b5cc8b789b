"""The site is read-only: every HTTP method but GET and HEAD answers 405 Method Not Allowed.

Datasette answered a POST to a canned query with a 500 (CSRF failure on a query that does not
write). No page of Tremplin's site takes a body, so the refusal comes before Datasette sees it.
"""

from __future__ import annotations

from datasette import hookimpl

ALLOWED = ("GET", "HEAD")
BODY = b"405 Method Not Allowed: this site is read-only; use GET.\n"


def read_only(app):
    """Wrap an ASGI app so that any method outside ``ALLOWED`` answers 405."""

    async def wrapped(scope, receive, send):
        if scope["type"] == "http" and scope["method"] not in ALLOWED:
            await send(
                {
                    "type": "http.response.start",
                    "status": 405,
                    "headers": [
                        (b"allow", ", ".join(ALLOWED).encode()),
                        (b"content-type", b"text/plain; charset=utf-8"),
                        (b"content-length", str(len(BODY)).encode()),
                    ],
                }
            )
            await send({"type": "http.response.body", "body": BODY})
            return
        await app(scope, receive, send)

    return wrapped


@hookimpl
def asgi_wrapper():
    return read_only
