"""The partner finder's SQL: one set of filters, read twice (the shortlist, and what it left out).

Every filter is declared once below with the reason it gives when it leaves a community out. The
shortlist keeps the alive communities with at least ``min_members`` members that no filter leaves
out; ``partner_exclusions`` counts, for the same parameters, the communities each filter left out
(each counted once, under the first filter it fails, in the order of the form). Unknown is not no:
a community that publishes no activity figure is kept by "active recently" and marked ``activity =
'unknown'`` unless ``measured_activity_only`` is set; a community that declares no licence is kept by
"open licence only" and marked ``licence_status = 'unknown'`` unless ``declared_licence_only`` is set.
The ``params`` CTE comes from ``crawler.publish.with_defaults`` (typed parameters, see metadata.yml).
"""

from __future__ import annotations

OPERATOR_TYPES = ["non_profit", "company", "university", "volunteer_group", "unknown"]
FEDERATIONS = ["centralised", "federated"]
REGISTRATION_MODES = ["open", "approval", "invite", "closed"]
PRICE_MODELS = ["free", "freemium", "paid"]
SORTS = ["members", "active_users", "growth", "name"]

# Parameters of both queries, in the order of the form (metadata.yml repeats titles and help).
PARAMS: dict[str, dict] = {
    "min_members": {"type": "count", "default": 50000},
    "language": {"type": "language", "default": ""},
    "practised_language": {"type": "language", "default": ""},
    "open_licence_only": {"type": "flag", "default": 0},
    "declared_licence_only": {"type": "flag", "default": 0},
    "active_days": {"type": "count", "default": 30},
    "measured_activity_only": {"type": "flag", "default": 0},
    "operator_type": {"type": "choice", "choices": OPERATOR_TYPES, "default": ""},
    "federation": {"type": "choice", "choices": FEDERATIONS, "default": ""},
    "registration_mode": {"type": "choice", "choices": REGISTRATION_MODES, "default": ""},
    "price_model": {"type": "choice", "choices": PRICE_MODELS, "default": ""},
    "exclude_flags": {"type": "flags", "default": ""},
    "sort": {"type": "choice", "choices": SORTS, "default": "members"},
}


def _in_languages(column: str, param: str) -> str:
    return (
        f"(p.{param} = '' or exists (select 1 from json_each(c.{column}) l "
        f"where lower(l.value) = lower(p.{param}) or lower(l.value) like lower(p.{param}) || '-%'))"
    )


_OPEN = "exists (select 1 from open_licences o where c.licence glob o.pattern)"
# Activity within the window: the newest activity that recent, or a count over a window that short.
_ACTIVE = """(c.last_activity_at >= strftime('%Y-%m-%dT%H:%M:%S', c.last_observed_at, -p.active_days || ' days')
      or (p.active_days >= 1 and (c.active_users_1d > 0 or c.online_now > 0))
      or (p.active_days >= 7 and (c.active_users_7d > 0 or c.posts_7d > 0 or c.topics_7d > 0))
      or (p.active_days >= 30 and (c.active_users_30d > 0 or c.posts_30d > 0 or c.topics_30d > 0))
      or (p.active_days >= 180 and c.active_users_180d > 0))"""
# Inactivity is measured too: an older newest activity, or a zero count over a window as long or longer.
_INACTIVE = """(c.last_activity_at is not null
      or (p.active_days <= 1 and c.active_users_1d = 0)
      or (p.active_days <= 7 and (c.active_users_7d = 0 or c.posts_7d = 0))
      or (p.active_days <= 30 and (c.active_users_30d = 0 or c.posts_30d = 0))
      or (p.active_days <= 180 and c.active_users_180d = 0))"""
_FLAGGED = """exists (select 1 from count_flags f where f.community_id = c.id and p.exclude_flags <> ''
      and f.metric in ('members', 'active_users_1d', 'active_users_7d', 'active_users_30d', 'active_users_180d')
      and ',' || p.exclude_flags || ',' like '%,' || f.flag || ',%')"""


def _choice(column: str) -> list[tuple[str, str]]:
    return [
        (f"{column}_unknown", f"p.{column} <> '' and c.{column} is null"),
        (column, f"p.{column} <> '' and c.{column} <> p.{column}"),
    ]


# (filter, condition that leaves a community out), in the order of the form.
FILTERS: list[tuple[str, str]] = [
    ("language", f"not {_in_languages('languages', 'language')}"),
    ("practised_language", f"not {_in_languages('practised_languages', 'practised_language')}"),
    ("licence", "p.open_licence_only and licence_status = 'not open'"),
    ("licence_unknown", "p.declared_licence_only and licence_status = 'unknown'"),
    ("activity", "activity = 'inactive'"),
    ("activity_unknown", "p.measured_activity_only and activity = 'unknown'"),
    *_choice("operator_type"),
    *_choice("federation"),
    *_choice("registration_mode"),
    *_choice("price_model"),
    ("trust_flags", _FLAGGED),
]

# Why a filter left a community out, as the page says it (:lang and :practised are language names).
REASONS = {
    "min_members": "fewer than {min_members:,} members",
    "members_unknown": "no member count published",
    "language": "not in {language_name}",
    "practised_language": "{practised_name} not practised",
    "licence": "not openly licensed",
    "licence_unknown": "no licence declared",
    "activity": "no activity in the {active_days} days before their capture",
    "activity_unknown": "no activity figure published",
    "operator_type_unknown": "operator type unknown",
    "operator_type": "operator not {operator_type}",
    "federation_unknown": "centralised or federated unknown",
    "federation": "not {federation}",
    "registration_mode_unknown": "registration mode unknown",
    "registration_mode": "registration not {registration_mode}",
    "price_model_unknown": "price model unknown",
    "price_model": "price model not {price_model}",
    "trust_flags": "members or active users flagged {exclude_flags}",
}

_PARAM_OBJECT = ", ".join(f"'{name}', p.{name}" for name in PARAMS)
_FILTER_NAMES = ", ".join(f"'{name}'" for name, _ in FILTERS)

_BASE = f"""with base as (
  select c.*,
    case when c.licence is null then 'unknown' when {_OPEN} then 'open' else 'not open' end as licence_status,
    case when p.active_days <= 0 then 'not filtered' when {_ACTIVE} then 'active'
      when {_INACTIVE} then 'inactive' else 'unknown' end as activity
  from params p cross join communities c
  where p.params_ok and c.status = 'alive' and c.members >= p.min_members
), judged as (
  select c.*, case
{chr(10).join(f"      when {condition} then '{name}'" for name, condition in FILTERS)}
    end as left_out_by
  from params p cross join base c
)"""

SHORTLIST_SQL = f"""{_BASE}
select j.name, j.members, j.active_users_30d, j.languages, j.practised_languages, j.licence,
  j.registration_mode, j.price_model, j.contact_email,
  coalesce(j.contact_url, j.about_url, j.imprint_url) as contact_page, j.platform,
  j.activity, j.licence_status,
  round(100.0 * (j.members - s.members_90d_before) / nullif(s.members_90d_before, 0), 1) as growth_90d_percent,
  j.id, j.url, j.kind, j.operator_name, j.operator_type, j.federation, j.meetup_cities, j.posts_30d,
  j.last_activity_at, j.last_observed_at, j.licence_status = 'open' as open_licence,
  (select g.group_id from community_groups g where g.community_id = j.id) as group_id,
  (select json_group_array(flag) from (select distinct f.flag from count_flags f
    where f.community_id = j.id and f.metric = 'members' order by f.flag)) as members_flags
from params p cross join judged j left join site_community_stats s on s.community_id = j.id
where j.left_out_by is null
order by
  case when p.sort = 'name' then lower(coalesce(j.name, j.id)) end,
  case when p.sort = 'active_users' then j.active_users_30d end desc nulls last,
  case when p.sort = 'growth' then growth_90d_percent end desc nulls last,
  j.members desc, j.active_users_30d desc nulls last, j.id"""

EXCLUSIONS_SQL = f"""{_BASE}, counted as (
  select 0 as position, 'kept' as filter, count(*) as communities from judged where left_out_by is null
  union all
  select 1, 'min_members', count(*) from params p, communities c
    where p.params_ok and c.status = 'alive' and c.members < p.min_members
  union all
  select 2, 'members_unknown', count(*) from params p, communities c
    where p.params_ok and c.status = 'alive' and c.members is null
  union all
  select 3 + f.key, f.value, (select count(*) from judged j where j.left_out_by = f.value)
  from json_each(json_array({_FILTER_NAMES})) f
)
select filter, communities, tremplin_reason(filter, (select json_object({_PARAM_OBJECT}) from params p)) as reason
from counted where communities > 0 or filter = 'kept'
order by position"""


def reason(name: str, params: dict, language_name) -> str:
    """Return the phrase of filter ``name`` for ``params`` ("not in French", "fewer than 50,000 members")."""
    if name == "kept":
        return "kept"
    values = dict(params)
    values["language_name"] = language_name(params.get("language") or "")
    values["practised_name"] = language_name(params.get("practised_language") or "")
    values["operator_type"] = str(values.get("operator_type") or "").replace("_", " ")
    values["exclude_flags"] = " or ".join(str(values.get("exclude_flags") or "").split(","))
    return REASONS[name].format(**values)


# The Atom feed's parameters: the finder's, with no member or activity threshold by default (a
# subscriber with no parameters hears of every community new in the latest run).
FEED_PARAMS: dict[str, dict] = {
    **PARAMS,
    "min_members": {"type": "count", "default": 0},
    "active_days": {"type": "count", "default": 0},
}

# New since the last run: communities the latest run met first, or whose members crossed
# ``min_members`` since the run before, that the finder's filters keep. The last entry is the run
# itself (a feed always has one entry, and subscribers see each run even when nothing is new).
FEED_SQL = f"""{_BASE}, latest as (
  select * from site_runs order by seq desc limit 1
), previous as (
  select r.* from site_runs r, latest where r.seq = latest.seq - 1
), entries as (
  select j.id, j.name, j.members, j.url, j.languages, j.licence, j.platform, j.activity, j.licence_status,
    s.first_run_seq = latest.seq as is_new,
    (select o.value from observations o, previous
      where o.community_id = j.id and o.run_id = previous.run_id and o.metric = 'members') as members_before,
    latest.run_id, latest.captured_at
  from latest cross join judged j join site_community_stats s on s.community_id = j.id
  where j.left_out_by is null
), changed as (
  select * from entries, params p where is_new or (members_before is not null and members_before < p.min_members)
)
select * from (
select 'tag:tremplin,' || substr(captured_at, 1, 10) || ':' || id as atom_id,
  case when is_new then 'New: ' else 'Now matching: ' end || coalesce(name, id) || ' (' ||
    printf('%,d', members) || ' members)' as atom_title,
  captured_at as atom_updated, url as atom_link,
  coalesce(name, id) || ' — ' || coalesce(platform, 'platform not recognised') || '; languages ' ||
    coalesce(languages, '[]') || '; licence ' || coalesce(licence, 'not declared') || '; activity ' || activity ||
    case when is_new then '; first seen in the run of ' || substr(captured_at, 1, 10)
      else '; members ' || printf('%,d', members_before) || ' at the run before' end as atom_content,
  id, name, members, members_before, is_new, run_id, captured_at
from changed
union all
select 'tag:tremplin,' || substr(latest.captured_at, 1, 10) || ':run:' || latest.run_id,
  'Run of ' || substr(latest.captured_at, 1, 10) || ': ' || (select count(*) from changed) ||
    ' communities new or newly matching',
  latest.captured_at, 'coverage_report?run_id=' || latest.run_id,
  latest.sites_reached || ' of ' || latest.sites_visited || ' sites reached',
  null, null, null, null, null, latest.run_id, latest.captured_at
from latest
)
order by is_new is null, is_new desc, members desc"""
