"""The published site: Datasette plugin hooks of Tremplin's own, each in a small module.

Registered as Datasette plugins through the ``datasette`` entry points of ``pyproject.toml``, so
``tremplin serve``, ``datasette serve`` and an in-process ``Datasette`` all load the same hooks:

- :mod:`.limits`: SQLite limits and a byte budget on every connection (one request cannot take
  the server down);
- :mod:`.functions`: SQL functions (prefix search by default, the form readers of :mod:`.params`);
- :mod:`.methods`: the site is read-only, every method but GET and HEAD answers 405;
- :mod:`.refuse`: a JSON or CSV request with a parameter the site cannot read answers 400;
- :mod:`.facets`: facets answered from memory after their first run on an immutable copy;
- :mod:`.pages`: template variables of the home page, the partner finder and the charts,
  the "About the data" page, cell rendering.

Pure helpers: :mod:`.params` (reading form values), :mod:`.shortlist` (the partner finder's SQL),
:mod:`.charts` (SVG charts), :mod:`.precompute` (tables added to a published copy).
"""

from __future__ import annotations

from pathlib import Path

# The site's CSS, served by Datasette as a static mount (``--static tremplin-static:DIR``).
STATIC_DIR = Path(__file__).resolve().parent / "static"
STATIC_MOUNT = "tremplin-static"
