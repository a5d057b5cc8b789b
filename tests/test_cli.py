"""The ``tremplin`` command line: clear one-line errors, JSON from ``extract``."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from crawler.cli import main


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "crawler", *args], capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["crawl", "not a url"], "not an absolute http(s) URL"),
        (["crawl", "ftp://example.org/"], "not an absolute http(s) URL"),
        (["crawl", "--max-sites", "0", "https://example.org/"], "expected a positive integer"),
        (["crawl", "--max-sites", "many"], "expected a positive integer"),
        (["crawl", "--seeds-file", "/nonexistent/seeds.txt"], "seeds file not found"),
        (["crawl", "--replay", "/nonexistent.warc.gz", "https://example.org/"], "replay archive not found"),
        (["crawl", "--replay-at", "yesterday", "https://example.org/"], "not an ISO 8601 date"),
        (["extract", "https://example.org/", "/nonexistent/body.html"], "cannot read"),
        (["extract", "example.org", "/etc/hostname"], "not an absolute http(s) URL"),
        (["serve", "--db", "/nonexistent.db"], "database not found"),
        (["serve", "--port", "99999"], "not a TCP port"),
        (["frobnicate"], "invalid choice"),
        (["crawl", "--set", "NOVALUE", "https://example.org/"], "--set expects NAME=VALUE"),
    ],
)
def test_argument_errors_are_one_line(args, message, capsys):
    with pytest.raises(SystemExit) as exit_info:
        exit_code = main(args)
        raise SystemExit(exit_code)
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("tremplin: error:")
    assert message in err
    assert len(err.strip().splitlines()) == 1
    assert "Traceback" not in err


def test_extract_prints_json_for_a_saved_body(tmp_path):
    body = tmp_path / "about.json"
    body.write_text(
        json.dumps(
            {
                "about": {
                    "title": "Club",
                    "locale": "fr",
                    "version": "3.2.1",
                    "stats": {"users_count": 1234, "topics_count": 56},
                }
            }
        )
    )
    result = run("extract", "https://forum.club.example/about.json", str(body))
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["platform"] == "discourse"
    assert data["metrics"]["members"] == 1234
    assert data["evidence"]["members"]["source_url"] == "https://forum.club.example/about.json"


def test_extract_unrecognised_body_still_exits_zero(tmp_path):
    body = tmp_path / "page.bin"
    body.write_bytes(b"\xff\xfe\x00garbage\x00")
    result = run("extract", "https://x.example/", str(body))
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["platform"] is None


def test_canary_flags_and_lists(tmp_path, capsys):
    from tests.test_snapshot import build_db

    db = tmp_path / "c.db"
    build_db(db)
    assert main(["canary", "--db", str(db), "evil.example", "--reason", "test"]) == 0
    assert capsys.readouterr().out.strip() == "evil.example\ttest"
    assert main(["canary", "--db", str(db), "nope.example"]) == 2
    assert "no community with id" in capsys.readouterr().err
    assert main(["canary", "--db", str(db), "--remove", "evil.example"]) == 0
    assert capsys.readouterr().out == ""
