"""In-process Datasette: the tables are served with the project's metadata, read-only, escaped."""

from __future__ import annotations

import asyncio

from datasette.app import Datasette

from crawler.publish import build_metadata, datasette_command
from tests.test_snapshot import build_db


def serve(db_path):
    return Datasette(immutables=[str(db_path)], metadata=build_metadata(db_path))


def test_tables_served_read_only_and_escaped(tmp_path):
    db_path = tmp_path / "c.db"
    build_db(db_path)

    async def scenario():
        ds = serve(db_path)
        assert ds.databases["c"].is_mutable is False
        rows = (await ds.client.get("/c/communities.json?_shape=array")).json()
        assert [row["id"] for row in rows] == ["evil.example"]
        assert rows[0]["members"] == 5
        page = await ds.client.get("/c/communities")
        assert page.status_code == 200
        assert "<script>alert(1)</script>" not in page.text
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text
        # Column descriptions come from crawler/metadata.yml.
        meta = (await ds.client.get("/-/metadata.json")).json()
        assert "members" in meta["databases"]["c"]["tables"]["communities"]["columns"]
        for sql in ("DELETE FROM communities", "UPDATE communities SET members = 0", "DROP TABLE runs"):
            response = await ds.client.get("/c.json", params={"sql": sql})
            assert response.status_code == 400
        rows = (await ds.client.get("/c/communities.json?_shape=array")).json()
        assert rows[0]["members"] == 5

    asyncio.run(scenario())


def test_serve_command_is_immutable_with_limits(tmp_path):
    db_path = tmp_path / "c.db"
    build_db(db_path)
    command = datasette_command(db_path, port=8123)
    assert command[command.index("--immutable") + 1] == str(db_path)
    assert "sql_time_limit_ms" in command
    assert (tmp_path / "c.metadata.json").is_file()
