"""The deployment files are usable as shipped: every command they run parses, the schedules are set."""

from __future__ import annotations

import configparser
import shlex
from pathlib import Path

import pytest

from crawler.cli import build_parser

DEPLOY = Path(__file__).resolve().parents[1] / "deploy"


def exec_lines(unit: str) -> list[str]:
    return [line.split("=", 1)[1] for line in (DEPLOY / unit).read_text().splitlines() if line.startswith("ExecStart=")]


def tremplin_args(command: str) -> list[str]:
    words = shlex.split(command.replace("${REDIS_URL}", "redis://127.0.0.1:6379/0"))
    assert words[0].endswith("/tremplin"), command
    return words[1:]


@pytest.mark.parametrize("unit", ["tremplin-crawl.service", "tremplin-load.service", "tremplin-worker.service"])
def test_every_command_of_the_units_parses(unit):
    commands = exec_lines(unit)
    assert commands
    for command in commands:
        build_parser().parse_args(tremplin_args(command))


def test_crawl_unit_resumes_and_snapshots_only_after_a_good_crawl():
    crawl, snapshot = exec_lines("tremplin-crawl.service")
    assert "--jobdir" in crawl and " crawl " in crawl
    assert " snapshot " in snapshot
    text = (DEPLOY / "tremplin-crawl.service").read_text()
    assert "Type=oneshot" in text and "KillSignal=SIGTERM" in text


def test_timer_is_daily_and_catches_up():
    timer = configparser.ConfigParser()
    timer.read(DEPLOY / "tremplin-crawl.timer")
    assert timer["Timer"]["OnCalendar"] and timer["Timer"]["Persistent"] == "true"


def test_crontab_line_crawls_then_snapshots():
    [line] = [line for line in (DEPLOY / "crontab").read_text().splitlines() if line and not line.startswith("#")]
    fields = line.split(None, 5)
    assert len(fields) == 6
    cd, crawl, snapshot = fields[5].split(" && ")
    assert cd.startswith("cd ")
    parsed = [build_parser().parse_args(shlex.split(part.split(" >> ")[0])[1:]) for part in (crawl, snapshot)]
    assert [args.command for args in parsed] == ["crawl", "snapshot"] and parsed[0].jobdir


def test_scrapyd_is_local_password_protected_and_single_job():
    config = configparser.ConfigParser()
    config.read(DEPLOY / "scrapyd.conf")
    scrapyd = config["scrapyd"]
    assert scrapyd["bind_address"] == "127.0.0.1" and scrapyd["password"] and scrapyd["max_proc"] == "1"
    project = configparser.ConfigParser()
    project.read(DEPLOY.parent / "scrapy.cfg")
    assert project["deploy"]["url"] == "http://127.0.0.1:6800/" and project["deploy"]["project"] == "tremplin"
    assert "password" not in project["deploy"]
