"""The operator's command line, run as a new user would: the real ``tremplin`` command in a subprocess.

Each case asserts the exit status, the exact one-line message, that no traceback is printed, that the
user's files are unchanged byte for byte (SHA-256) and, for crawls, the run row. Crawls meet loopback
servers only; the "no network" crawl runs in the network jail of ``tests/faultweb.py``, where no name
resolves and nothing leaves 127.0.0.0/8.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import pty
import re
import select
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from crawler.ops.lock import RunLock, lock_path_for
from crawler.storage import open_database
from tests.faultweb import BOOT
from tests.ops_web import ROOT, SlowWeb, crawl_command, phpbb, proxy_env, summary_of
from tests.webserver import Route

TREMPLIN = [sys.executable, "-m", "crawler"]
FIVE_SITES = ["https://tatoeba.org/", "https://forum.duolingo.com/", "https://www.languagereboot.com/",
              "https://fr.wikipedia.org/", "https://mastodon.social/"]  # fmt: skip


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def tremplin(*args: str, cwd: Path = ROOT, env: dict | None = None, timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run([*TREMPLIN, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)


def one_error_line(result: subprocess.CompletedProcess) -> str:
    """The only line of standard error, checked to be a ``tremplin: error:`` line without traceback."""
    assert "Traceback" not in result.stdout + result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("tremplin: error: ")
    return lines[0].removeprefix("tremplin: error: ")


def foreign_db(path: Path) -> Path:
    """Another application's database: one table, rollback journal."""
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE app_users (id INTEGER PRIMARY KEY, login TEXT)")
    conn.execute("INSERT INTO app_users (login) VALUES ('someone')")
    conn.commit()
    conn.close()
    return path


def tremplin_db(path: Path, replay_archive: str | None = None) -> Path:
    """A Tremplin database with one finished run (of the sample web when ``replay_archive`` says so)."""
    db = open_database(path)
    db["runs"].insert({"id": "r1", "started_at": "2026-01-01T00:00:00+00:00", "status": "finished",
                       "replay_archive": replay_archive})  # fmt: skip
    db.close()
    return path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# --- a crawl with no network ---------------------------------------------------------------------


def jailed_crawl(db: Path, workdir: Path, *args: str) -> subprocess.CompletedProcess:
    """``tremplin crawl`` in the network jail, no proxy: every name fails to resolve, as offline."""
    env = {key: value for key, value in os.environ.items() if "proxy" not in key.lower()}
    env.update(
        {"TREMPLIN_TEST_HOSTS": "{}", "TREMPLIN_TEST_JAIL_LOG": str(workdir / "jail.log"), "PYTHONPATH": str(ROOT)}
    )
    command = [sys.executable, "-c", BOOT, "crawl", "--db", str(db), "--set", "RETRY_TIMES=0", *args]
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


def test_five_sites_offline_quiet_named_causes_then_nothing_due(tmp_path):
    db = tmp_path / "c.db"
    seeds = tmp_path / "seeds.txt"
    seeds.write_text("".join(f"{url}\n" for url in FIVE_SITES), encoding="utf-8")
    first = jailed_crawl(db, tmp_path, "--seeds-file", str(seeds))
    assert first.returncode == 1, first.stderr
    output = first.stdout + first.stderr
    assert "Traceback" not in output
    assert len(output.splitlines()) < 40  # was 514 lines with 10 tracebacks
    # One line per failed site, with its error kind; nothing of Scrapy's settings, middlewares or stats.
    site_lines = sorted(
        line.split("WARNING: ", 1)[1] for line in first.stderr.splitlines() if "[tremplin.sites]" in line
    )
    assert [line.split(" (")[0] for line in site_lines] == sorted(f"{url} unreachable: dns" for url in FIVE_SITES)
    assert not re.search(r"\[scrapy|Overridden settings|Dumping Scrapy stats|Enabled extensions", output)
    assert first.stdout.splitlines()[0] == "no site could be reached: 5 DNS failures — is this machine online?"
    rows = summary_of(first.stdout)
    assert rows["sites"] == "5 tried: 0 reached, 5 failed"
    assert rows["failures"] == "5 dns"
    assert rows["errors"] == "5 fetch errors recorded"
    assert rows["monitors"] == "failed"
    assert rows["pages"].startswith("0 ")
    # The summary's figures are the database's.
    conn = sqlite3.connect(db)
    run_id, status, sites, pages, errors = conn.execute("SELECT id, status, sites, pages, errors FROM runs").fetchone()
    assert rows["run"] == f"{run_id} (finished)"
    assert (status, sites, pages, errors) == ("finished", 5, 0, 5)
    assert conn.execute("SELECT error, count(*) FROM fetch_errors GROUP BY error").fetchall() == [("dns", 5)]
    assert conn.execute("SELECT status, count(*) FROM run_sites GROUP BY status").fetchall() == [("unreachable", 5)]
    jail = (tmp_path / "jail.log").read_text().splitlines()
    assert jail and all(line.startswith("dns ") for line in jail)  # no connection was even tried

    # The same command again: nothing is due, and it says so (with its own exit status).
    again = jailed_crawl(db, tmp_path, "--seeds-file", str(seeds))
    assert again.returncode == 4, again.stderr
    assert again.stderr == ""
    assert re.fullmatch(
        r"nothing to do: 5 sites crawled within the last minute; next due \d{4}-\d\d-\d\d \d\d:\d\d UTC; "
        r"use --refresh all to crawl them now\n",
        again.stdout,
    )
    # --verbose gives Scrapy's own log back.
    verbose = jailed_crawl(db, tmp_path, "--seeds-file", str(seeds), "--verbose")
    assert verbose.returncode == 4
    assert "[scrapy.core.engine] INFO: Spider opened" in verbose.stderr
    assert "Dumping Scrapy stats" in verbose.stderr


# --- crashes and storage errors: exit 1, the run row says failed ---------------------------------


def loopback_crawl(
    tmp_path: Path, *args: str, db: Path | None = None, boards: int = 1
) -> tuple[subprocess.CompletedProcess, Path]:
    db = db or tmp_path / "c.db"
    web = SlowWeb(0)
    for i in range(boards):
        web.add(f"board{i}.test", phpbb(f"Board {i}", 120 + i))
    with web:
        seeds = [f"http://board{i}.test/" for i in range(boards)]
        command = [*crawl_command(web, db, *args), "--log-level", "WARNING", *seeds]
        result = subprocess.run(command, cwd=ROOT, env=proxy_env(web), capture_output=True, text=True, timeout=120)
    return result, db


def test_a_crash_after_the_run_opened_exits_1_and_fails_the_run(tmp_path):
    # A coverage rule of the wrong shape passes the type check (a JSON object) and crashes the monitors.
    log = tmp_path / "scrapy.log"
    result, db = loopback_crawl(tmp_path, "--set", 'TREMPLIN_MONITOR_COVERAGE={"phpbb": 5}', "--log-file", str(log))
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    error = result.stderr.splitlines()[-1]
    assert error.startswith("tremplin: error: the run failed: 1 unexpected error, the first: Error caught on signal")
    assert error.endswith("AttributeError: 'int' object has no attribute 'items'")
    status, reason = sqlite3.connect(db).execute("SELECT status, finish_reason FROM runs").fetchone()
    assert status == "failed" and reason == error.removeprefix("tremplin: error: the run failed: ")
    # Scrapy's full log, traceback included, went to the log file; the terminal kept one line.
    scrapy_log = log.read_text(encoding="utf-8")
    assert "[scrapy.core.engine] INFO: Spider opened" in scrapy_log and "Traceback" in scrapy_log


def test_a_crash_before_the_run_opened_exits_1_in_one_line(tmp_path):
    result, db = loopback_crawl(tmp_path, "--set", 'DOWNLOADER_MIDDLEWARES={"no.such.Middleware": 1}')
    assert result.returncode == 1
    assert one_error_line(result) == "the crawl could not start: crash: ModuleNotFoundError: No module named 'no'"


@pytest.fixture
def small_tmpfs(tmp_path):
    """A 1 MiB file system of its own (needs root and mount); skipped with the reason where it cannot be had."""
    mount = tmp_path / "small"
    mount.mkdir()
    if os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs needs root: the disk-full case cannot run here")
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(mount)], capture_output=True, text=True
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here: {done.stderr.strip() or done.returncode}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def fill(directory: Path, leave: int) -> None:
    stat = os.statvfs(directory)
    with (directory / "filler").open("wb") as handle:
        handle.write(b"\0" * max(stat.f_bavail * stat.f_frsize - leave, 0))


def test_a_full_disk_stops_the_crawl_fails_the_run_and_a_snapshot_says_so(small_tmpfs, tmp_path):
    db = small_tmpfs / "c.db"
    open_database(db).close()
    fill(small_tmpfs, leave=100_000)  # room for the run's row, not for its items
    result, _ = loopback_crawl(tmp_path, "--set", "TREMPLIN_BATCH_SIZE=1", "--set", "CONCURRENT_REQUESTS=1",
                               db=db, boards=8)  # fmt: skip
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    assert result.stderr.splitlines()[-1] == "tremplin: error: the run failed: storage error: database or disk is full"
    # Items the database refused while it still took their error rows are recorded (store_failed); at
    # the first it refused with its error row, the crawl stopped: not a line per site of the eight.
    assert result.stderr.count("could not store http://") <= 4, result.stderr
    assert "stopping the crawl: storage error: database or disk is full" in result.stderr
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT status, finish_reason FROM runs").fetchall() == [
        ("failed", "storage error: database or disk is full")
    ]
    events = [row[0] for row in conn.execute("SELECT event FROM run_events ORDER BY seq")]
    assert events[0] == "started" and events[-1] == "failed" and set(events[1:-1]) <= {"store_failed"}
    conn.close()
    # A snapshot on the full disk: one line, exit 1, no half-written folder left.
    (small_tmpfs / "filler").unlink()
    snapshot_db = tremplin_db(tmp_path / "s.db")
    fill(small_tmpfs, leave=8_000)
    out = small_tmpfs / "snapshots"
    snapshot = tremplin("snapshot", "--db", str(snapshot_db), "--out", str(out))
    assert snapshot.returncode == 1
    assert one_error_line(snapshot) == f"cannot write the snapshot in {out}: No space left on device"
    assert sorted(p.name for p in out.iterdir()) == []


# --- one clear line for every bad input; the user's files untouched ------------------------------


def test_bad_inputs_get_one_line_and_exit_2_with_files_unchanged(tmp_path):
    random_bytes = tmp_path / "random.warc.gz"
    random_bytes.write_bytes(bytes(range(256)) * 4)
    latin1_seeds = tmp_path / "seeds.txt"
    latin1_seeds.write_bytes(b"https://example.org/\nhttps://caf\xe9.example/\n")
    other = foreign_db(tmp_path / "other-app.db")
    truncated = tmp_path / "truncated.db"
    truncated.write_bytes(tremplin_db(tmp_path / "whole.db").read_bytes()[:20_000])
    text_db = tmp_path / "notes.db"
    text_db.write_text("not a database\n")
    real = tremplin_db(tmp_path / "real.db")  # a database of real crawls: not the demo's to replace
    big = tmp_path / "big.html"
    big.write_bytes(b" " * (8 * 1024 * 1024 + 1))
    url = "https://example.org/"
    foreign = f"{other} is not a Tremplin database (its tables: app_users); it was left unchanged"
    cases = {
        ("crawl", "--set", "DOWNLOAD_DELAY=abc", url): "--set DOWNLOAD_DELAY: expected a number, got 'abc'",
        ("crawl", "--set", "ROBOTSTXT_OBEY=maybe", url): "--set ROBOTSTXT_OBEY: expected true or false, got 'maybe'",
        ("crawl", "--max-time", "9" * 400, url):
            f"argument --max-time: expected at most 31622400 seconds (a year), got '{'9' * 37}...'",
        ("crawl", "--replay", str(random_bytes), url):
            f"replay archive {random_bytes} is not a WARC archive (Unknown archive format)",
        ("crawl", "https://ex\udcffample.org/"): "URL is not valid UTF-8 text: b'https://ex\\xffample.org/'",
        ("crawl", "--seeds-file", str(latin1_seeds)):
            f"seeds file {latin1_seeds} is not UTF-8 text (byte 0xe9 at offset 32)",
        ("crawl", "--db", str(truncated), url):
            f"{truncated} cannot be read as a SQLite database (database disk image is malformed)",
        ("crawl", "--db", str(text_db), url): f"{text_db} is not a SQLite database",
        ("crawl", "--db", str(other), url): foreign,
        ("snapshot", "--db", str(other)): foreign,
        ("serve", "--db", str(other)): foreign,
        ("canary", "--db", str(other)): foreign,
        ("demo", "--db", str(other), "--no-serve"): foreign,
        ("demo", "--db", str(real), "--no-serve"):
            f"{real} is not a demo database: the demo only replaces its own; choose another --db",
        ("extract", url, str(big)): f"{big} is larger than the crawl's size limit (8,388,608 bytes, DOWNLOAD_MAXSIZE): "
                                    "a crawl would not read it either",
    }  # fmt: skip
    files = [random_bytes, latin1_seeds, other, truncated, text_db, real, big]
    before = {path: sha256(path) for path in files}
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    # Started together: each is a whole process start-up, and they are independent.
    running = {args: subprocess.Popen([*TREMPLIN, *args], cwd=tmp_path, env=env, stdout=subprocess.PIPE,
                                      stderr=subprocess.PIPE, text=True, errors="surrogateescape")
               for args in cases}  # fmt: skip
    for args, process in running.items():
        stdout, stderr = process.communicate(timeout=120)
        result = subprocess.CompletedProcess(args, process.returncode, stdout, stderr)
        assert result.returncode == 2, (args, stderr)
        assert one_error_line(result) == cases[args], args
    assert {path: sha256(path) for path in files} == before
    # Another application's file: neither migrated nor switched to WAL, no journal left beside it.
    assert not Path(f"{other}-wal").exists() and not Path(f"{other}-shm").exists()
    assert sqlite3.connect(other).execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    assert not (tmp_path / "output").exists() and not (tmp_path / "demo-snapshots").exists()


def test_the_lock_is_the_database_s_whatever_its_name(tmp_path):
    db = tremplin_db(tmp_path / "c.db")
    (tmp_path / "link.db").symlink_to(db)
    before = sha256(db)
    with RunLock(lock_path_for(db)):
        for extra in ([], ["--lock-file", str(tmp_path / "other.lock")]):
            result = tremplin("crawl", "--db", str(tmp_path / "link.db"), *extra, "http://board.test/")
            assert result.returncode == 75, result.stderr
            assert "Traceback" not in result.stderr
            assert result.stderr.startswith(f"tremplin: another run holds {db}.lock (pid {os.getpid()} on ")
            assert result.stderr.endswith("; not starting (exit 75)\n")
    assert sha256(db) == before


# --- serve, demo, snapshot, canary, extract --------------------------------------------------------


def test_serve_refuses_a_busy_port_and_stops_datasette_with_it(tmp_path):
    db = tremplin_db(tmp_path / "c.db")
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        for command in (["serve", "--db", str(db)], ["demo", "--db", str(tmp_path / "demo.db")]):
            result = tremplin(*command, "--port", str(port))
            assert result.returncode == 2
            assert one_error_line(result) == f"port {port} on 127.0.0.1 is already in use: choose another with --port"
        assert not (tmp_path / "demo.db").exists() and not (tmp_path / "published").exists()  # no work was done
    port = free_port()
    server = subprocess.Popen([*TREMPLIN, "serve", "--db", str(db), "--port", str(port)], cwd=ROOT,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert server.poll() is None and time.monotonic() < deadline, server.stderr.read()
                time.sleep(0.2)
        server.terminate()  # SIGTERM, as systemd stops it
        assert server.wait(timeout=30) == 0
    finally:
        server.kill()
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", port), timeout=1).close()  # Datasette went with it
    assert "Traceback" not in server.stdout.read() + server.stderr.read()


def test_snapshot_of_the_same_day_and_empty_canaries_say_so(tmp_path):
    db = tremplin_db(tmp_path / "c.db")
    out = tmp_path / "snapshots"
    first = tremplin("snapshot", "--db", str(db), "--out", str(out))
    assert first.returncode == 0, first.stderr
    [folder] = list(out.iterdir())
    manifest = sha256(folder / "manifest.json")
    second = tremplin("snapshot", "--db", str(db), "--out", str(out))
    assert second.returncode == 1
    assert (
        one_error_line(second)
        == f"a snapshot dated {folder.name} already exists in {folder}; use --replace to write it again"
    )
    assert sha256(folder / "manifest.json") == manifest
    assert tremplin("snapshot", "--db", str(db), "--out", str(out), "--replace").returncode == 0
    canary = tremplin("canary", "--db", str(db))
    assert (canary.returncode, canary.stderr) == (0, "")
    assert canary.stdout == f"no canary community in {db}; flag one with: tremplin canary ID --reason WHY\n"


FRAGMENTS = ["xenforo/xf1-boardstats-user-record", "vbulletin/dota2-dev-vb4-wgo-stats",
             "smf/gwtwforum-smf1-forumstats", "mybb/copybot-boardstats"]  # fmt: skip


def test_extract_reads_an_html_fragment_by_its_file_name():
    running = {}
    for case in FRAGMENTS:
        fixture = ROOT / "tests" / "fixtures" / f"{case}.html"
        assert b"<html" not in fixture.read_bytes().lower()  # a statistics fragment: no <html> tag to go by
        spec = json.loads(fixture.with_name(fixture.stem + ".expected.json").read_text(encoding="utf-8"))
        command = [*TREMPLIN, "extract", spec["url"], str(fixture)]
        running[case] = (spec, subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE))
    for case, (spec, process) in running.items():
        stdout, stderr = process.communicate(timeout=60)
        assert (process.returncode, stderr) == (0, b""), case
        data = json.loads(stdout)
        assert data["platform"] == spec["expect"]["platform"], case
        assert data["metrics"] == spec["expect"]["metrics"], case


def test_extract_into_a_closed_pipe_ends_quietly(tmp_path):
    fixture = ROOT / "tests" / "fixtures" / f"{FRAGMENTS[0]}.html"
    read, write = os.pipe()
    os.close(read)  # the reader is gone before the first byte, as `| head -c0` would
    process = subprocess.run([*TREMPLIN, "extract", "https://forum.example/", str(fixture)], cwd=ROOT, stdout=write,
                             stderr=subprocess.PIPE, text=True, timeout=60)  # fmt: skip
    os.close(write)
    assert process.stderr == ""
    assert process.returncode == 141  # 128 + SIGPIPE, the status cat gets


# --- help and the Makefile --------------------------------------------------------------------------


def test_help_shows_every_default():
    from crawler.cli import build_parser

    parser = build_parser()
    subcommands = parser._subparsers._group_actions[0].choices  # noqa: SLF001 - argparse has no public walk
    for name, sub in subcommands.items():
        text = sub.format_help()
        for action in sub._actions:  # noqa: SLF001
            if action.option_strings and not action.required and action.nargs != 0 and action.dest != "help":
                if action.default in (None, []):  # no value: the help says what happens without the option
                    assert "default" in (action.help or ""), (name, action.option_strings)
                else:
                    assert f"default: {action.default}" in " ".join(text.split()), (name, action.option_strings)
    crawl_help = tremplin("crawl", "--help")
    assert crawl_help.returncode == 0
    assert "(default: output/communities.db)" in " ".join(crawl_help.stdout.split())


def test_make_demo_takes_a_port():
    result = subprocess.run(["make", "-n", "demo", "PORT=8123"], cwd=ROOT, capture_output=True, text=True, timeout=30)
    assert result.returncode == 0, result.stderr
    assert "tremplin demo --db output/demo.db --port 8123" in result.stdout


def test_log_lines_print_above_the_live_display(tmp_path):
    web = SlowWeb(0.2)
    web.add("board.test", phpbb("Board", 120))
    web.add("down.test", {"/": Route("down", 500, {"Content-Type": "text/plain"})})
    with web:
        command = [*crawl_command(web, tmp_path / "c.db", "--progress", "live", "--log-level", "WARNING"),
                   "http://board.test/", "http://down.test/"]  # fmt: skip
        master, slave = pty.openpty()
        env = {**proxy_env(web), "COLUMNS": "100", "TERM": "xterm"}
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdin=slave, stdout=slave, stderr=slave)
        os.close(slave)
        output = b""
        while True:
            ready, _, _ = select.select([master], [], [], 0.5)
            chunk = b""
            if ready:
                with contextlib.suppress(OSError):  # EIO once the child closed the terminal
                    chunk = os.read(master, 65536)
            output += chunk
            if not chunk and process.poll() is not None:
                break
        os.close(master)
    assert process.wait(timeout=60) == 0
    text = output.decode("utf-8", "replace")
    line = "[tremplin.sites] WARNING: http://down.test/ unreachable: http_500 (HTTP 500)"
    assert text.count(line) == 1 and "Traceback" not in text
    # rich erases its display ("\x1b[2K", line by line), prints the log line, then draws the display again.
    assert re.search(r"\x1b\[2K\d{4}-\d\d-\d\d \d\d:\d\d:\d\d " + re.escape(line) + "\r\n", text), text
