"""In-process Datasette: metadata for every column, read-only and bounded, escaped, charts, robots."""

from __future__ import annotations

import json
import sqlite3
from urllib.parse import urlencode

import pytest
from datasette_dashboards import replace_opts_in_query

from crawler.publish import (
    DATASETTE_SETTINGS,
    READ_ONLY_PLUGINS,
    build_metadata,
    datasette_command,
    publish_copy,
)
from tests.served import request
from tests.test_publish_db import build_research_db

HOSTILE = "<script>alert(1)</script>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"


@pytest.fixture(scope="module")
def db_path(tmp_path_factory):
    path = tmp_path_factory.mktemp("served") / "c.db"
    build_research_db(path)
    return publish_copy(path)


def get_all(db_path, *paths, method="GET"):
    """Request each path from one in-process Datasette; return the responses."""

    return request(db_path, *paths, method=method)


def test_every_table_and_column_is_described_and_licensed(db_path):
    metadata = build_metadata(db_path)
    assert metadata["title"] and metadata["description_html"] and metadata["source"] and metadata["license"]
    tables = metadata["databases"]["c"]["tables"]
    conn = sqlite3.connect(db_path)
    published = [
        name
        for (name,) in conn.execute("SELECT name FROM pragma_table_list WHERE type = 'table' AND schema = 'main'")
        if not name.startswith(("sqlite_", "_", "communities_fts"))
    ]
    for table in published:
        assert tables[table]["description"], table
        assert tables[table]["license"] == "CC-BY-4.0", table
        columns = [row[1] for row in conn.execute(f"PRAGMA table_info('{table}')")]
        assert sorted(tables[table]["columns"]) == sorted(columns), table
    assert tables["communities"]["facets"] == [
        {"cached_column": "platform"}, {"cached_column": "kind"}, {"cached_column": "licence"},
        {"cached_array": "languages"}, {"cached_column": "status"},
    ]  # fmt: skip
    assert "signed in" in tables["communities"]["columns"]["active_users_30d"]


def test_served_read_only_bounded_and_robots_blocked(db_path):
    settings, plugins, robots, databases = get_all(
        db_path, "/-/settings.json", "/-/plugins.json", "/robots.txt", "/-/databases.json"
    )
    assert settings.json()["sql_time_limit_ms"] == DATASETTE_SETTINGS["sql_time_limit_ms"]
    assert settings.json()["max_returned_rows"] == 1000
    assert {plugin["name"] for plugin in plugins.json()} <= READ_ONLY_PLUGINS
    assert robots.text.splitlines() == ["User-agent: *", "Disallow: /"]
    assert databases.json()[0]["is_mutable"] is False
    writes = [
        "/c.json?" + urlencode({"sql": sql})
        for sql in ("DELETE FROM communities", "UPDATE communities SET members = 0", "DROP TABLE runs")
    ]
    assert [response.status_code for response in get_all(db_path, *writes)] == [400, 400, 400]
    # No canned query writes: a POST is refused, and the data is unchanged.
    (post,) = get_all(db_path, "/c/partner_shortlist", method="POST")
    assert post.status_code >= 400
    (after,) = get_all(db_path, "/c/communities/polyglot~2Eexample.json?_shape=array")
    assert after.json()[0]["members"] == 120000


@pytest.mark.parametrize(
    "path",
    [
        "/c/communities",
        "/c/communities/evil~2Eexample",
        "/c/communities?_search=club",
        "/c/partner_shortlist",
        "/c/community_evidence?community_id=evil.example",
        "/c/evidence?community_id=evil.example",
    ],
)
def test_crawled_text_is_escaped(db_path, path):
    (page,) = get_all(db_path, path)
    assert page.status_code == 200
    assert HOSTILE not in page.text
    assert ESCAPED in page.text


def test_query_form_shows_the_defaults(db_path):
    (page, growth) = get_all(db_path, "/c/partner_shortlist", "/c/fastest_growing")
    # The partner finder's own form shows the default it uses.
    assert 'name="min_members" id="finder-min_members" inputmode="numeric"\n    value="50,000"' in page.text
    assert "<title>Find partners: c</title>" in page.text  # no SQL in the title
    # Other canned queries: Datasette's form, empty fields filled with the defaults by query.html.
    assert '"min_start": 100' in growth.text and 'name="window_days"' in growth.text


def test_dashboards_render_and_their_charts_answer(db_path):
    metadata = build_metadata(db_path)
    dashboards = metadata["plugins"]["datasette-dashboards"]
    pages = get_all(db_path, "/-/dashboards", *(f"/-/dashboards/{slug}" for slug in dashboards))
    assert [page.status_code for page in pages] == [200] * (1 + len(dashboards))
    assert "vega-lite.min.js" in pages[1].text

    def chart(slug, name, **options):
        sql = replace_opts_in_query(dashboards[slug]["charts"][name]["query"], options)
        (response,) = get_all(db_path, "/c.json?" + urlencode({"sql": sql, "_shape": "array", **options}))
        assert response.status_code == 200, response.text
        return response.json()

    platforms = [(row["platform"], row["communities"]) for row in chart("landscape", "by-platform")]
    assert platforms == [
        (name, 1) for name in ("discourse", "flarum", "mediawiki", "not recognised", "phpbb", "xenforo")
    ]
    languages = {row["language"]: row["communities"] for row in chart("landscape", "by-language")}
    assert languages == {"fr": 4, "en": 2, "es": 1, "de": 1, "fr-CA": 1}
    one = chart("growth", "members-over-time", community="montreal.example")
    assert [(row["community"], row["members"]) for row in one] == [
        ("montreal.example", v) for v in (60000, 70000, 80000)
    ]
    assert len({row["community"] for row in chart("growth", "members-over-time")}) == 6


def test_serve_command_publishes_an_immutable_copy_with_limits(db_path, tmp_path):
    source = tmp_path / "c.db"
    source.write_bytes(db_path.read_bytes())
    command = datasette_command(source, port=8123)
    served = tmp_path / "published" / "c.db"
    assert command[command.index("crawler.site.serve") + 1] == str(served.parent)  # run from the copy's folder
    assert command[command.index("--immutable") + 1] == "c.db"  # a file name: no server path shown
    inspect = json.loads((tmp_path / "published" / "c.inspect.json").read_text(encoding="utf-8"))
    assert inspect["c"]["file"] == "c.db" and inspect["c"]["tables"]["communities"]["count"] == 10
    assert command[command.index("sql_time_limit_ms") + 1] == "3000"
    assert command[command.index("suggest_facets") + 1] == "false"
    assert "--template-dir" in command
    metadata = json.loads((tmp_path / "published" / "c.metadata.json").read_text(encoding="utf-8"))
    assert "partner_shortlist" in metadata["databases"]["c"]["queries"]
    with sqlite3.connect(served) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
        assert conn.execute(
            "SELECT count(*) FROM communities_fts WHERE communities_fts MATCH 'montreal'"
        ).fetchone() == (1,)
