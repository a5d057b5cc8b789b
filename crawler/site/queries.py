"""Canned queries whose SQL is generated: ``sql_from`` in metadata.yml names one of ``GENERATED``.

The partner finder's three queries share their filters (crawler/site/shortlist.py); the growth of
one community pivots every metric of the vocabulary, so a new metric appears without editing SQL.
"""

from __future__ import annotations

from crawler.extraction import METRICS
from crawler.site.shortlist import EXCLUSIONS_SQL, FEED_PARAMS, FEED_SQL, PARAMS, SHORTLIST_SQL

_PIVOT = ",\n    ".join(f"max(case when o.metric = '{metric}' then o.value end) as {metric}" for metric in METRICS)
_CHANGES = ", ".join(
    f"{metric} - lag({metric}) over (order by observed_at, run_id) as {metric}_change"
    for metric in ("members", "posts", "edits")
)

GROWTH_SQL = f"""with target as (
  select coalesce(nullif(params.community_id, ''),
    (select id from communities where status = 'alive' order by members desc, id limit 1)) as id
  from params
), per_run as (
  select min(o.observed_at) as observed_at, o.run_id, o.community_id,
    {_PIVOT}
  from target, observations o
  where o.community_id = target.id
  group by o.run_id
)
select observed_at, run_id, community_id, {", ".join(METRICS)}, {_CHANGES}
from per_run
order by observed_at, run_id"""

GENERATED: dict[str, tuple[str, dict]] = {
    "shortlist": (SHORTLIST_SQL, PARAMS),
    "exclusions": (EXCLUSIONS_SQL, PARAMS),
    "feed": (FEED_SQL, FEED_PARAMS),
    "growth": (GROWTH_SQL, {"community_id": ""}),
}
