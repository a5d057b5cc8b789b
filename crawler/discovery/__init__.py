"""Discovery: from the communities we know to the sites they point at (pure functions, no I/O).

- :mod:`crawler.discovery.urls`: registrable domains (bundled Public Suffix List), site roots, host
  name validation and :func:`~crawler.discovery.urls.trap_reason`, why a URL must never be fetched
  (calendars, searches, session ids, member pages, binaries, actions, endless paths);
- :mod:`crawler.discovery.links`: the :class:`~crawler.discovery.links.Link` record, the outward
  links of an HTML page (partner sections and footer first, nofollow obeyed, infrastructure
  domains denied), the site's own "links"/"partners" pages, and :func:`~crawler.discovery.links.all_links`,
  which adds the platform adapters' own lists (fediverse peers, wiki language editions);
- :mod:`crawler.discovery.signals`: whether a discovered candidate is a community, with a reason a
  researcher can read.

Nothing here imports an adapter at module level: adapters import :class:`Link` from this package,
so the registry is only reached inside functions.
"""
