"""Template variables, cell rendering, CSS and the "About the data" page of the site.

Everything the templates in crawler/templates/ need that Datasette does not give them: the home
page's summary (``site_summary``), the partner finder's options, messages and exclusion counts,
the charts of the landscape and growth pages, and the communities table's column order. Reads
only; every value shown is escaped by Jinja or built with ``markupsafe``.
"""

from __future__ import annotations

import json
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from datasette import hookimpl
from datasette.utils import tilde_encode
from datasette.utils.asgi import Response
from markupsafe import Markup, escape

from crawler.site import STATIC_MOUNT, charts
from crawler.site.params import ParamError, read_param
from crawler.site.precompute import language_name
from crawler.site.shortlist import PARAMS

ABOUT_PATH = "/-/about-the-data"
# The communities table in the order a course designer reads it; other columns follow, as stored.
COMMUNITY_COLUMNS = (
    "name", "members", "active_users_30d", "languages", "practised_languages", "licence",
    "registration_mode", "price_model", "contact_email", "contact_url", "platform",
)  # fmt: skip
LIST_COLUMNS = frozenset({"languages", "practised_languages", "meetup_cities"})


def fmt(value) -> str:
    """Return a count with thousands separators, or an empty string."""
    if value is None or value == "":
        return ""
    if isinstance(value, float):
        return f"{value:,.1f}"
    return f"{value:,}" if isinstance(value, int) else str(value)


def listing(value) -> str:
    """Return a JSON array of texts as "a, b, c" (anything else as it is)."""
    if not value:
        return ""
    try:
        items = json.loads(value)
    except (TypeError, ValueError):
        return str(value)
    return ", ".join(str(item) for item in items) if isinstance(items, list) else str(value)


def language_label(tag: str) -> str:
    """Return "fr — French" for a tag."""
    name = language_name(tag)
    return f"{tag} — {name}" if name != tag else tag


def with_args(url: str, **updates: str) -> str:
    """Return ``url`` with the query parameters ``updates`` set (replacing any of the same name)."""
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k not in updates]
    return urlunsplit(parts._replace(query=urlencode([*query, *updates.items()])))


def ordered(display_columns: list, display_rows: list) -> tuple[list, list]:
    """Return the communities table's columns and cells in COMMUNITY_COLUMNS order, the rest after."""
    names = [column["name"] for column in display_columns]
    first = [names.index(name) for name in COMMUNITY_COLUMNS if name in names]
    order = first + [i for i in range(len(names)) if i not in first]
    rows = []
    for row in display_rows:
        cells = list(row)  # Datasette's display rows iterate over their cells, in column order
        rows.append([cells[i] for i in order] if len(cells) == len(names) else cells)
    return [display_columns[i] for i in order], rows


async def _rows(datasette, database: str, sql: str, params: dict | None = None) -> list[dict]:
    result = await datasette.get_database(database).execute(sql, params or {})
    return [dict(row) for row in result.rows]


async def _summaries(datasette) -> list[tuple[str, dict]]:
    found = []
    for name, db in datasette.databases.items():
        if name.startswith("_") or "site_summary" not in await db.table_names():
            continue
        rows = await _rows(datasette, name, "select * from site_summary")
        found.append((name, rows[0] if rows else {}))
    return found


async def _finder(datasette, database: str, request) -> dict:
    """Return what the partner finder page shows besides its rows: options, messages, exclusions."""
    args = {name: request.args.get(name, "") for name in PARAMS}
    values, errors = {}, []
    for name, spec in PARAMS.items():
        try:
            values[name] = read_param(name, args[name], spec)
        except ParamError as exc:
            errors.append(str(exc))
            values[name] = None
    languages = await _rows(
        datasette,
        database,
        "select role, language, communities from site_language_landscape order by role, communities desc, language",
    )
    options = {
        role: [(row["language"], f"{language_label(row['language'])} ({row['communities']:,})")
               for row in languages if row["role"] == role]
        for role in ("interface", "practised")
    }  # fmt: skip
    exclusions, kept = [], None
    if not errors:
        canned = await datasette.get_canned_query(database, "partner_exclusions", None)
        sql_params = {name: args[name] for name in canned["params"]}
        for row in await _rows(datasette, database, canned["sql"], sql_params):
            if row["filter"] == "kept":
                kept = row["communities"]
            else:
                exclusions.append(row)
    base = [row for row in exclusions if row["filter"] not in ("min_members", "members_unknown")]
    below = [row for row in exclusions if row["filter"] in ("min_members", "members_unknown")]
    return {
        "args": args,
        "values": values,
        "errors": errors,
        "options": options,
        "kept": kept,
        "left_out": base,
        "left_out_total": sum(row["communities"] for row in base),
        "below": below,
    }


def chart_for(query: str, rows: list) -> Markup:
    """Return the SVG chart of a canned query's rows (empty for queries without one)."""
    rows = [dict(row) for row in rows]
    if query == "network_totals":
        series: dict[str, list] = {}
        for row in rows:
            series.setdefault(row["platform"], []).append((row["captured_at"], row["members"]))
        communities: dict[str, list] = {}
        for row in rows:
            communities.setdefault(row["platform"], []).append((row["captured_at"], row["communities"]))
        return charts.line_chart(series, "Members summed per platform at each run", "members") + charts.line_chart(
            communities, "Alive communities per platform at each run", "communities"
        )
    if query == "language_landscape":
        return charts.bar_chart(
            [(f"{row['language']} — {row['language_name']} ({row['role']})", row["members"]) for row in rows[:40]],
            "Members summed per language",
            "members",
        )
    if query == "platform_versions":
        return charts.bar_chart(
            [(f"{row['platform']} {row['version']}", row["communities"]) for row in rows[:60]],
            "Communities per platform version",
            "communities",
        )
    if query == "community_growth":
        panels = Markup("")
        metrics = [c for c in (rows[0] if rows else {}) if c not in ("observed_at", "run_id", "community_id")]
        for metric in metrics:
            if metric.endswith("_change"):
                continue
            points = [(row["observed_at"], row[metric]) for row in rows if row[metric] is not None]
            if points:
                panels += charts.line_chart({metric: points}, f"{metric} at each run", metric)
        return panels
    if query == "fastest_growing":
        return charts.bar_chart(
            [(str(row["name"] or row["id"]), row["growth"]) for row in rows[:30]], "Growth", "growth"
        )
    return Markup("")


@hookimpl
def extra_template_vars(template, database, table, view_name, request, datasette):
    async def inner():
        def card_url(db: str, community: str) -> str:
            return datasette.urls.row(db, "communities", tilde_encode(community))

        found = {
            "fmt": fmt,
            "listing": listing,
            "language_label": language_label,
            "about_url": ABOUT_PATH,
            "ordered": ordered,
            "chart_for": chart_for,
            "card_url": card_url,
            "with_args": with_args,
        }
        if template == "index.html":
            found["summaries"] = await _summaries(datasette)
        query = (request.url_vars or {}).get("table") if request else None
        if template == "query.html" and database and query == "partner_shortlist":
            found["finder"] = await _finder(datasette, database, request)
        return {"tremplin": found}

    return inner


@hookimpl
def render_cell(row, value, column, table, database, datasette):
    # On the communities table, the name links to the community's partner card (its row page).
    if table == "communities" and column == "name" and value and "id" in row.keys():  # noqa: SIM118 (sqlite3.Row: `in` tests values)
        href = datasette.urls.row(database, table, tilde_encode(row["id"]))
        return Markup(f'<a class="partner-card-link" href="{escape(href)}">{escape(value)}</a>')
    if table == "communities" and column in LIST_COLUMNS and isinstance(value, str) and value.startswith("["):
        return listing(value)
    return None


@hookimpl
def extra_css_urls(datasette):
    return [datasette.urls.path(f"/{STATIC_MOUNT}/tremplin.css")]


def _about_context(datasette) -> dict:
    databases = [name for name in datasette.databases if not name.startswith("_")]
    database = databases[0] if databases else None
    tables = (datasette.metadata("tables", database=database, fallback=False) or {}) if database else {}
    return {"database": database, "tables": tables}


async def about_the_data(request, datasette):
    context = _about_context(datasette)
    if request.url_vars.get("format") == "json":
        return Response.json(context)
    return Response.html(await datasette.render_template("about_data.html", context, request=request))


@hookimpl
def register_routes():
    return [(r"^/-/about-the-data(\.(?P<format>json))?$", about_the_data)]
