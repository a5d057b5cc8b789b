"""Progress: the wording of log lines, the live display and the summary; a crawl under cron shows them."""

from __future__ import annotations

from collections import Counter

from rich.console import Console

from crawler.ops.progress import Progress, duration, from_stats, live_renderable, plain_line
from crawler.ops.summary import RunSummary, headline, plain_summary, rich_summary, summary_rows
from tests.ops_web import build_web, run_crawl, summary_of

SNAPSHOT = Progress(elapsed=120, sites_scheduled=40, sites_done=10, pages=300, items=9, errors=2)


def test_rates_and_eta():
    assert SNAPSHOT.queued == 30
    assert SNAPSHOT.pages_per_second == 2.5
    assert SNAPSHOT.sites_per_minute == 5
    assert SNAPSHOT.eta == 360  # 30 sites at 10 sites per 2 minutes
    assert Progress(1, 3, 0, 0, 0, 0).eta is None
    assert [duration(s) for s in (None, 45, 200, 3725)] == ["?", "45s", "3m20s", "1h02m"]


def test_counts_come_from_crawl_stats():
    stats = {"tremplin/sites/scheduled": 7, "tremplin/resume/revisited": 3, "response_received_count": 20,
             "tremplin/errors/timeout": 2, "tremplin/errors/http_500": 1}  # fmt: skip
    snapshot = from_stats(stats, 10.0, sites_done=4, items=3)
    assert (snapshot.sites_scheduled, snapshot.pages, snapshot.errors) == (10, 20, 3)


def test_plain_line_has_every_figure():
    line = plain_line(SNAPSHOT)
    assert line == ("progress: 10/40 sites done, 30 queued, 300 pages, 9 items, 2 errors, 2.5 pages/s, "
                    "5.0 sites/min, ETA 6m00s")  # fmt: skip


RUN = RunSummary("run-1", "finished", "finished", pages=300, errors=4, outcomes={"alive": 8, "unreachable": 2},
                 failed_kinds=Counter({"timeout": 2}), monitor_status="degraded",
                 monitor_reasons=["error_rate: too many"])  # fmt: skip


def test_live_display_and_summary_render():
    console = Console(record=True, width=100, force_terminal=True)
    console.print(live_renderable(SNAPSHOT))
    console.print(rich_summary(summary_rows(RUN, 120)))
    text = console.export_text()
    for expected in ("10/40", "2.5 p/s", "6m00s", "run-1", "degraded", "error_rate: too many"):
        assert expected in text
    assert plain_summary(summary_rows(RUN, 120)).splitlines() == [
        "run       run-1 (finished)",
        "duration  2m00s",
        "sites     10 tried: 8 reached, 2 failed",
        "failures  2 timeout",
        "pages     300 (2.5 pages/s)",
        "errors    4 fetch errors recorded",
        "monitors  degraded",
        "reason    error_rate: too many",
    ]


def test_headline_names_the_one_cause_when_no_site_was_reached():
    def failing(**kinds: int) -> RunSummary:
        return RunSummary("r", "finished", "finished", 0, sum(kinds.values()), {"unreachable": sum(kinds.values())},
                          Counter(kinds))  # fmt: skip

    assert headline(RUN) is None  # some sites were reached
    assert headline(failing(dns=5)) == "no site could be reached: 5 DNS failures — is this machine online?"
    assert headline(failing(dns=1)) == "no site could be reached: 1 DNS failure — is this machine online?"
    assert headline(failing(connection_refused=2)) == "no site could be reached: 2 connections refused"
    assert headline(failing(http_503=3)) == "no site could be reached: 3 HTTP 503 answers"
    assert headline(failing(timeout=3, dns=2)) == "no site could be reached: 3 timeouts, 2 DNS failures"


def test_crawl_without_a_terminal_logs_progress_lines_and_prints_a_summary(tmp_path):
    web, seeds, hosts = build_web(hubs=2, leaves_per_hub=3, delay=0.1)
    with web:
        result = run_crawl(web, tmp_path / "c.db", "--set", "TREMPLIN_PROGRESS_INTERVAL=0.2", *seeds)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "[tremplin.progress] INFO: progress: " in result.stderr
    assert "\x1b[" not in result.stdout  # no terminal codes for cron's mail
    rows = summary_of(result.stdout)
    assert rows["sites"] == f"{len(hosts)} tried: {len(hosts)} reached, 0 failed"
    assert rows["candidates"] == f"{len(hosts) - len(seeds)} found by links: {len(hosts) - len(seeds)} accepted"
    assert rows["monitors"] == "ok"
