"""The site under load: several worker processes over one immutable copy, pages computed once, cacheable.

- ``copy_state``: what is computed once per published copy (Datasette's inspect data, the ETag).
- ``cache``: the ASGI middleware giving every page validators a proxy can use and a page cache.
- ``plugin``: the ``asgi_wrapper`` hook putting that middleware around Datasette.
- ``runner``: ``tremplin serve --workers N`` (Gunicorn with Uvicorn workers).
"""
