"""Distributed mode: crawler workers on several hosts share one frontier through Redis (scrapy-redis).

Roles (see ``deploy/README.md`` for running them on N machines):

``tremplin load`` (one, on the database host)
    the coordinator and single writer: starts or resumes a crawl in Redis, pushes its seeds and the
    communities due for a refresh, loads every item the workers send into SQLite in batches, decides
    when the crawl is over, judges it with the monitors and exits with their verdict;
``tremplin worker`` (any number, any host)
    a Scrapy crawler whose scheduler is scrapy-redis's, with two changes: a site's homepage goes to
    the shared frontier only if no worker claimed the site before (``SiteClaims``, the shared
    duplicate filter, keyed by site), and the rest of a site's visit stays on the worker that
    fetched its homepage, so one host talks to one site, one request at a time, as in a single
    process. Workers never open the database: their items go to a Redis list.

Everything stored in Redis is JSON decoded against an allowlist (``codec``), never pickle: a
process that can write to Redis can make workers fetch URLs (still behind the private-address
guard) and feed the loader bogus items, but cannot run code. Keep Redis on loopback or a private
network with a password (``requirepass``/ACL) and TLS between hosts.
"""
