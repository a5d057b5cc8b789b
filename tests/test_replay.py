"""WARC replay and recording: captures chosen by date, observations dated by WARC-Date."""

from __future__ import annotations

import io

import sqlite_utils
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from crawler.archive.warc import WarcArchive
from tests.test_crawl_loopback import crawl, phpbb_site


def write_warc(path, records):
    with path.open("wb") as stream:
        writer = WARCWriter(stream, gzip=True, warc_version="1.1")
        for url, date, status, body in records:
            headers = StatusAndHeaders(status, [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
            record = writer.create_warc_record(
                url, "response", payload=io.BytesIO(body), http_headers=headers, warc_headers_dict={"WARC-Date": date}
            )
            writer.write_record(record)


def test_find_picks_newest_capture_at_or_before(tmp_path):
    path = tmp_path / "a.warc.gz"
    write_warc(path, [
        ("https://a.example/?b=2&a=1", "2026-05-01T06:00:00Z", "200 OK", b"may"),
        ("https://a.example/?b=2&a=1", "2026-08-01T06:00:00Z", "200 OK", b"august"),
    ])  # fmt: skip
    archive = WarcArchive(path)
    assert archive.capture_dates() == ["2026-05-01T06:00:00+00:00", "2026-08-01T06:00:00+00:00"]
    # Parameter order does not matter.
    assert archive.read(archive.find("https://a.example/?a=1&b=2")).body == b"august"
    assert archive.read(archive.find("https://a.example/?a=1&b=2", at="2026-06-01")).body == b"may"
    assert archive.find("https://a.example/?a=1&b=2", at="2026-01-01") is None
    assert archive.find("https://other.example/") is None


def test_recorded_crawl_replays_offline_with_capture_dates(tmp_path):
    archive = tmp_path / "rec.warc.gz"
    with phpbb_site() as site:
        allow = ["--allow-address", f"127.0.0.1:{site.port}"]
        result = crawl(tmp_path / "live.db", site.url, "--record", str(archive), *allow)
        assert result.returncode == 0, result.stderr
    # The server is gone: only the archive can answer now.
    dates = WarcArchive(archive).capture_dates()
    assert dates
    result = crawl(tmp_path / "replay.db", site.url, "--replay", str(archive), *allow)
    assert result.returncode == 0, result.stderr
    live = sqlite_utils.Database(tmp_path / "live.db")
    replay = sqlite_utils.Database(tmp_path / "replay.db")
    site_id = f"127.0.0.1:{site.port}"
    assert replay["communities"].get(site_id)["members"] == live["communities"].get(site_id)["members"] == 11337
    observed = {row["observed_at"] for row in replay.query("SELECT observed_at FROM observations")}
    assert observed <= set(dates)
    assert replay.execute("SELECT replay_archive FROM runs").fetchone()[0] == str(archive)
