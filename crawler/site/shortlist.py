"""The partner finder's SQL: one set of filters, read three times (shortlist, what it left out, feed).

Every filter is declared once below with the reason it gives when it leaves a community out. The
shortlist keeps the alive communities with at least ``min_members`` members that no filter leaves
out; ``partner_exclusions`` counts, for the same parameters, the communities each filter left out
(each counted once, under the first filter it fails, in the order of the form). Unknown is not no:
a community that publishes no activity figure is kept by "active recently" and marked ``activity =
'unknown'`` unless ``measured_activity_only`` is set; a community that declares no licence is kept by
"open licence only" and marked ``licence_status = 'unknown'`` unless ``declared_licence_only`` is set.

The queries read ``site_finder``, one row per alive community computed when the database is
published (crawler/site/precompute.py: :data:`FINDER_SQL` here), so a request compares plain
columns instead of reading JSON arrays and flags for 100,000 communities. The ``params`` CTE comes
from ``crawler.publish.with_defaults`` (typed parameters, see crawler/site/params.py).
"""

from __future__ import annotations

from collections.abc import Callable

OPERATOR_TYPES = ["non_profit", "company", "university", "volunteer_group", "unknown"]
FEDERATIONS = ["centralised", "federated"]
REGISTRATION_MODES = ["open", "approval", "invite", "closed"]
PRICE_MODELS = ["free", "freemium", "paid"]
SORTS = ["members", "active_users", "growth", "name"]
# Activity windows, in days (0: no filter); each has its precomputed column activity_<days>.
ACTIVITY_WINDOWS = ["0", "1", "7", "30", "90", "180", "365"]
TRUST_FLAGS = ("self_reported", "stale", "anomalous")

# Parameters of the finder's queries, in the order of the form (metadata.yml documents them).
PARAMS: dict[str, dict] = {
    "min_members": {"type": "count", "default": 50000},
    "language": {"type": "language", "default": ""},
    "practised_language": {"type": "language", "default": ""},
    "open_licence_only": {"type": "flag", "default": 0},
    "declared_licence_only": {"type": "flag", "default": 0},
    "active_days": {"type": "choice", "choices": ACTIVITY_WINDOWS, "default": "30"},
    "measured_activity_only": {"type": "flag", "default": 0},
    "operator_type": {"type": "choice", "choices": OPERATOR_TYPES, "default": ""},
    "federation": {"type": "choice", "choices": FEDERATIONS, "default": ""},
    "registration_mode": {"type": "choice", "choices": REGISTRATION_MODES, "default": ""},
    "price_model": {"type": "choice", "choices": PRICE_MODELS, "default": ""},
    "exclude_flags": {"type": "flags", "default": ""},
    "sort": {"type": "choice", "choices": SORTS, "default": "members"},
    # Rows returned: a page shows 100 (a shortlist to read); its CSV link asks for 1,000.
    "max_rows": {"type": "choice", "choices": ["100", "1000"], "default": "100"},
}

# --- site_finder, computed when publishing (c = communities, one row per alive community) ----------
_OPEN = "exists (select 1 from open_licences o where c.licence glob o.pattern)"


def _active(days: int) -> str:
    """Activity within ``days`` before the capture: the newest activity that recent, or a count over a
    window that short above 0."""
    return f"""(c.last_activity_at >= strftime('%Y-%m-%dT%H:%M:%S', c.last_observed_at, '-{days} days')
      or ({days} >= 1 and (c.active_users_1d > 0 or c.online_now > 0))
      or ({days} >= 7 and (c.active_users_7d > 0 or c.posts_7d > 0 or c.topics_7d > 0))
      or ({days} >= 30 and (c.active_users_30d > 0 or c.posts_30d > 0 or c.topics_30d > 0))
      or ({days} >= 180 and c.active_users_180d > 0))"""


def _inactive(days: int) -> str:
    """Inactivity is measured too: an older newest activity, or a zero count over a window as long or longer."""
    return f"""(c.last_activity_at is not null
      or ({days} <= 1 and c.active_users_1d = 0)
      or ({days} <= 7 and (c.active_users_7d = 0 or c.posts_7d = 0))
      or ({days} <= 30 and (c.active_users_30d = 0 or c.posts_30d = 0))
      or ({days} <= 180 and c.active_users_180d = 0))"""


def _key(column: str) -> str:
    # ",fr,fr-ca," : a language matches by equality or as a prefix before "-", with LIKE.
    return f"',' || coalesce((select group_concat(lower(l.value), ',') from json_each(c.{column}) l), '') || ','"


_ACTIVITY_COLUMNS = ",\n  ".join(
    f"case when {_active(int(days))} then 'active' when {_inactive(int(days))} then 'inactive' "
    f"else 'unknown' end as activity_{days}"
    for days in ACTIVITY_WINDOWS[1:]
)
FINDER_SQL = f"""CREATE TABLE site_finder AS
SELECT c.id, c.members, c.active_users_30d, lower(coalesce(c.name, c.id)) AS name_key,
  CASE WHEN c.licence IS NULL THEN 'unknown' WHEN {_OPEN} THEN 'open' ELSE 'not open' END AS licence_status,
  {_ACTIVITY_COLUMNS},
  {_key("languages")} AS languages_key,
  {_key("practised_languages")} AS practised_key,
  c.operator_type, c.federation, c.registration_mode, c.price_model,
  ',' || coalesce((SELECT group_concat(DISTINCT f.flag) FROM count_flags f WHERE f.community_id = c.id
    AND f.metric IN ('members', 'active_users_1d', 'active_users_7d', 'active_users_30d', 'active_users_180d')),
    '') || ',' AS flags_key,
  round(100.0 * (c.members - s.members_90d_before) / nullif(s.members_90d_before, 0), 1) AS growth_90d_percent,
  s.first_run_seq, s.members_previous_run
FROM communities c LEFT JOIN site_community_stats s ON s.community_id = c.id
WHERE c.status = 'alive'
-- Stored largest first: the finder reads a range of the members index, and so reads pages in order.
ORDER BY c.members DESC NULLS LAST, c.id;
CREATE UNIQUE INDEX site_finder_id ON site_finder (id);
CREATE INDEX site_finder_members ON site_finder (members);
"""


# --- The filters (c = site_finder joined with its activity for the window asked, p = params) ------
def _in_languages(key: str, param: str) -> str:
    return f"(p.{param} = '' or c.{key} like p.{param}_equal or c.{key} like p.{param}_prefix)"


def _choice(column: str) -> list[tuple[str, str]]:
    return [
        (f"{column}_unknown", f"p.{column} <> '' and c.{column} is null"),
        (column, f"p.{column} <> '' and c.{column} <> p.{column}"),
    ]


_FLAGGED = " or ".join(f"(p.exclude_{flag} and c.flags_key like '%,{flag},%')" for flag in TRUST_FLAGS)
# What the filters compare, worked out once from the parameters instead of once per community.
_PATTERNS = ", ".join(
    [
        *(
            f"'%,' || lower({param}) || ',%' as {param}_equal, '%,' || lower({param}) || '-%' as {param}_prefix"
            for param in ("language", "practised_language")
        ),
        *(f"',' || exclude_flags || ',' like '%,{flag},%' as exclude_{flag}" for flag in TRUST_FLAGS),
    ]
)

# (filter, condition that leaves a community out), in the order of the form.
FILTERS: list[tuple[str, str]] = [
    ("language", f"not {_in_languages('languages_key', 'language')}"),
    ("practised_language", f"not {_in_languages('practised_key', 'practised_language')}"),
    ("licence", "p.open_licence_only and c.licence_status = 'not open'"),
    ("licence_unknown", "p.declared_licence_only and c.licence_status = 'unknown'"),
    ("activity", "c.activity = 'inactive'"),
    ("activity_unknown", "p.measured_activity_only and c.activity = 'unknown'"),
    *_choice("operator_type"),
    *_choice("federation"),
    *_choice("registration_mode"),
    *_choice("price_model"),
    ("trust_flags", f"({_FLAGGED})"),
]

# Why a filter left communities out, as the page says it after their count ("4 not in French").
REASONS = {
    "min_members": "fewer than {min_members:,} members",
    "members_unknown": "no member count published",
    "language": "not in {language_name}",
    "practised_language": "where {practised_name} is not practised",
    "licence": "not openly licensed",
    "licence_unknown": "with no licence declared",
    "activity": "with no activity in the {active_days} days before capture",
    "activity_unknown": "with no activity figure published",
    "operator_type_unknown": "with the operator type unknown",
    "operator_type": "whose operator is not {operator_type}",
    "federation_unknown": "not known to be centralised or federated",
    "federation": "not {federation}",
    "registration_mode_unknown": "with the registration mode unknown",
    "registration_mode": "with registration not {registration_mode}",
    "price_model_unknown": "with the price model unknown",
    "price_model": "with a price model other than {price_model}",
    "trust_flags": "with members or active users flagged {exclude_flags}",
}

_PARAM_OBJECT = ", ".join(f"'{name}', p.{name}" for name in PARAMS)
_ACTIVITY = " ".join(f"when '{days}' then f.activity_{days}" for days in ACTIVITY_WINDOWS[1:])


def _base(only: str = "") -> str:
    """Return the CTEs ``base`` (communities with enough members) and ``judged`` (``left_out_by``)."""
    return f"""with asked as materialized (
  select *, {_PATTERNS} from params
), base as (
  select f.*, case p.active_days when '0' then 'not filtered' {_ACTIVITY} end as activity
  from asked p cross join site_finder f
  where p.params_ok and f.members >= p.min_members{only}
), judged as (
  select c.*, case
{chr(10).join(f"      when {condition} then '{name}'" for name, condition in FILTERS)}
    end as left_out_by
  from asked p cross join base c
)"""


_BASE = _base()

# The filters read the narrow site_finder; the columns shown come from communities, for the
# first ``max_rows`` rows only (``partner_exclusions`` says how many were kept in all).
_ORDER = """
  case when p.sort = 'name' then {t}.name_key end,
  case when p.sort = 'active_users' then {t}.active_users_30d end desc nulls last,
  case when p.sort = 'growth' then {t}.growth_90d_percent end desc nulls last,
  {t}.members desc, {t}.active_users_30d desc nulls last, {t}.id"""
SHORTLIST_SQL = f"""{_BASE}, top as (
  select j.id, j.name_key, j.members, j.active_users_30d, j.activity, j.licence_status, j.growth_90d_percent
  from params p cross join judged j
  where j.left_out_by is null
  order by {_ORDER.format(t="j")}
  limit (select cast(max_rows as integer) from params)
)
select c.name, c.members, c.active_users_30d, c.languages, c.practised_languages, c.licence,
  c.registration_mode, c.price_model, c.contact_email,
  coalesce(c.contact_url, c.about_url, c.imprint_url) as contact_page, c.platform, t.activity,
  t.licence_status, t.growth_90d_percent, c.id, c.url, c.kind, c.operator_name, c.operator_type,
  c.federation, c.meetup_cities, c.posts_30d, c.last_activity_at, c.last_observed_at,
  t.licence_status = 'open' as open_licence,
  (select g.group_id from community_groups g where g.community_id = c.id) as group_id,
  (select json_group_array(flag) from (select distinct f.flag from count_flags f
    where f.community_id = c.id and f.metric = 'members' order by f.flag)) as members_flags
from params p cross join top t join communities c on c.id = t.id
order by {_ORDER.format(t="t")}"""

_FILTER_ORDER = ", ".join(f"'{name}'" for name in ("kept", "min_members", "members_unknown", *dict(FILTERS)))
EXCLUSIONS_SQL = f"""{_BASE}, counted as (
  select coalesce(left_out_by, 'kept') as filter, count(*) as communities from judged group by 1
  union all
  select 'min_members', count(*) from params p, site_finder f where p.params_ok and f.members < p.min_members
  union all
  select 'members_unknown', count(*) from params p, site_finder f where p.params_ok and f.members is null
), ordered as (
  select o.key as position, o.value as filter, coalesce(c.communities, 0) as communities
  from json_each(json_array({_FILTER_ORDER})) o left join counted c on c.filter = o.value
)
select filter, communities, tremplin_reason(filter, (select json_object({_PARAM_OBJECT}) from params p)) as reason
from ordered where communities > 0 or filter = 'kept'
order by position"""


def reason(name: str, params: dict, language_name: Callable[[str], str]) -> str:
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
    "active_days": {**PARAMS["active_days"], "default": "0"},
}

# New since the last run: communities the latest run reached first, or whose members crossed
# ``min_members`` since the run before, that the finder's filters keep. The last entry is the run
# itself (a feed always has one entry, and subscribers see each run even when nothing is new).
# Only the communities that can make an entry are judged (the others are most of the table).
_FEED_ONLY = """
    and (f.first_run_seq = (select max(seq) from site_runs) or f.members_previous_run < p.min_members)"""
FEED_SQL = f"""{_base(_FEED_ONLY)}, latest as (
  select * from site_runs order by seq desc limit 1
), changed as (
  select c.id, c.name, c.url, c.platform, c.languages, c.licence, j.members, j.activity,
    j.first_run_seq = latest.seq as is_new, j.members_previous_run as members_before,
    latest.run_id, latest.captured_at
  from params p cross join latest cross join judged j join communities c on c.id = j.id
  where j.left_out_by is null
    and (j.first_run_seq = latest.seq or j.members_previous_run < p.min_members)
)
select * from (
select 'tag:tremplin,' || substr(captured_at, 1, 10) || ':' || id as atom_id,
  case when is_new then 'New: ' else 'Now matching: ' end || coalesce(name, id) || ' (' ||
    printf('%,d', members) || ' members)' as atom_title,
  captured_at as atom_updated, url as atom_link,
  coalesce(name, id) || ' — ' || coalesce(platform, 'platform not recognised') || '; languages ' ||
    coalesce(languages, '[]') || '; licence ' || coalesce(licence, 'not declared') || '; activity ' || activity ||
    case when is_new then '; first reached in the run of ' || substr(captured_at, 1, 10)
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
