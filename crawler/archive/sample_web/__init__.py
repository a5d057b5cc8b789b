"""The bundled offline "sample web": fictional communities that ``make demo`` and the end-to-end tests crawl.

Every site here is invented and lives on a reserved domain (``*.example`` or ``*.test``). The pages
imitate the real samples of ``tests/fixtures/`` (listed in its ``SOURCES.md``: same markers, same
statistics blocks, same JSON shapes) so that platform adapters written from those samples read them unchanged.

The package is data plus small renderers:

- :mod:`.model` holds the capture dates and the :class:`Site`, :class:`Page` and :class:`Snapshot` records;
- :mod:`.sites` lists each community as a :class:`Site` (platform, languages, licence, figures at the
  first capture, growth between captures, fault to simulate);
- :mod:`.renderers` has one module per platform whose ``render`` turns a site at one capture into the
  :class:`Page` objects its URLs answer, on top of the shared helpers in :mod:`.pages`;
- :mod:`.faults` serves robots.txt, fault pages and redirects;
- :func:`responses` (:mod:`.captures`) yields every ``(capture date, URL, Page)`` that goes into the WARC,
  and :func:`expected_site` (:mod:`.truth`) gives the ground truth the crawl must reproduce.

``python -m crawler.archive.sample_web.build`` writes the archive, the seed list and the ground truth.
"""

from __future__ import annotations

from crawler.archive.sample_web.captures import figures_at, request_url, responses, site_responses
from crawler.archive.sample_web.model import (
    ACTIVITY_METRICS,
    CAPTURES,
    FAULTS,
    PUBLISHABLE,
    Page,
    Site,
    Snapshot,
    capture_time,
)
from crawler.archive.sample_web.sites import SITES
from crawler.archive.sample_web.truth import expected_document, expected_site

__all__ = [
    "ACTIVITY_METRICS",
    "CAPTURES",
    "FAULTS",
    "PUBLISHABLE",
    "SITES",
    "Page",
    "Site",
    "Snapshot",
    "capture_time",
    "expected_document",
    "expected_site",
    "figures_at",
    "request_url",
    "responses",
    "site_responses",
]
