"""The hostile web, fast variant: a real crawl through every fault class, mixed with healthy sites.

One fault-free crawl of the healthy sites, then one crawl of the same sites among faulty ones
(``tests/faultweb.py``), both on loopback inside the network jail; then what must hold is checked
on the two databases, the proxy log, the private-address canary, Datasette and a CSV snapshot.
The longer variant is ``make soak`` (``bench/soak.py``).
"""

from __future__ import annotations

import asyncio
import csv
import hashlib
import json
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import urlencode

import pytest
from scrapy import Request
from scrapy.exceptions import DownloadCancelledError, IgnoreRequest
from scrapy.http import Response
from twisted.internet.error import DNSLookupError
from twisted.python.failure import Failure

from crawler.middlewares.ssrf import (
    AddressPolicy,
    PrivateAddressGuardMiddleware,
    PublicOnlyResolver,
    SchemeRefused,
    is_public_address,
)
from crawler.visit import classify_failure
from tests.faultweb import (
    Canary,
    build_hostile_web,
    content_problems,
    fault_problems,
    figures,
    gzip_bomb_parts,
    healthy_differences,
    is_clear_kind,
    planted_problems,
    private_problems,
    robots_problems,
    run_crawl,
    schedule_problems,
    trap_problems,
)

BUDGET_SECONDS = 60
# Politeness stays on, scaled down for loopback; limits lowered so faults trip them quickly.
FAST = [
    "--log-level", "WARNING", "--max-depth", "1", "--max-time", str(BUDGET_SECONDS),
    "--set", "DOWNLOAD_DELAY=0.05", "--set", "AUTOTHROTTLE_START_DELAY=0.05", "--set", "RETRY_TIMES=1",
    "--set", "DOWNLOAD_TIMEOUT=2", "--set", f"DOWNLOAD_MAXSIZE={4 * 1024 * 1024}",
    "--set", f"DOWNLOAD_WARNSIZE={2 * 1024 * 1024}",
]  # fmt: skip
# The monitors judge a crawl where most sites fail "degraded" (exit 3): exactly right here.
FINISHED = (0, 3)
CRASH_MARKERS = (
    "Spider error processing", "Error processing", "extraction failed", "Error caught on signal handler",
    "Unhandled error", "Unhandled Error",
)  # fmt: skip


@pytest.fixture(scope="module")
def crawls(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("hostile")
    with Canary() as canary:
        web, plan = build_hostile_web(canary.port)
        with web:
            allow = ["--allow-address", f"127.0.0.1:{web.port}"]
            clean = run_crawl(web, tmp / "clean.db", tmp / "clean", [*FAST, *allow, *plan.healthy])
            clean_log = list(web.log)
            hostile = run_crawl(
                web, tmp / "hostile.db", tmp / "hostile", [*FAST, *allow, *plan.seeds],
                hosts=plan.hosts, direct=plan.direct,
            )  # fmt: skip
            hostile_log = web.log[len(clean_log) :]
        hits = list(canary.hits)
    assert clean.returncode in FINISHED, clean.stderr[-3000:]
    assert hostile.returncode in FINISHED, hostile.stderr[-3000:]
    return SimpleNamespace(
        plan=plan, clean=clean, hostile=hostile, clean_db=tmp / "clean.db", db=tmp / "hostile.db",
        clean_log=clean_log, log=hostile_log, canary=SimpleNamespace(hits=hits), tmp=tmp,
    )  # fmt: skip


def test_the_web_is_hostile_enough(crawls):
    plan = crawls.plan
    assert len(plan.healthy) >= 10
    assert len(plan.fault_classes()) >= 40
    # The gzip bomb is small on the wire and gigabytes inflated.
    _, _, wire = gzip_bomb_parts(2048)
    assert wire < 3 * 1024 * 1024


def test_crawl_finishes_within_its_budget(crawls):
    import sqlite3

    for run, db in ((crawls.clean, crawls.clean_db), (crawls.hostile, crawls.db)):
        # Within the budget means not closed by --max-time; the wall time itself is bench/soak.py's.
        reason = sqlite3.connect(db).execute("SELECT finish_reason FROM runs").fetchall()
        assert reason == [("finished",)]
        # Scrapy logs a refused robots.txt lookup with its traceback; a crash of ours reads like these.
        crashes = [line for line in run.stderr.splitlines() if any(marker in line for marker in CRASH_MARKERS)]
        assert crashes == []


def test_healthy_sites_stored_exactly_as_in_a_fault_free_run(crawls):
    assert healthy_differences(crawls.clean_db, crawls.db, crawls.plan) == []


def test_every_faulty_url_leaves_one_clear_error(crawls):
    assert fault_problems(crawls.db, crawls.plan) == []


def test_hostile_content_is_stored_safely(crawls):
    assert content_problems(crawls.db, crawls.plan) == []


def test_no_private_or_outside_address_is_ever_contacted(crawls):
    assert private_problems(crawls.clean_log + crawls.log, crawls.canary, crawls.clean.jail + crawls.hostile.jail) == []


def test_no_personal_data_stored_in_any_text_column_of_any_table(crawls):
    # Person addresses dressed as role addresses, a mailto text naming a person, a description
    # with a name, an address and a phone, a thread as first page (post text, authors, signature,
    # session ids): scanned in every table, evidence and snippets, FTS, runs and errors included.
    assert len(crawls.plan.planted) >= 20
    assert planted_problems(crawls.db, crawls.plan) == []


def test_retry_after_at_the_end_of_the_calendar_is_clamped_and_loses_nothing(crawls):
    import sqlite3

    assert schedule_problems(crawls.db, crawls.plan) == []
    conn = sqlite3.connect(crawls.db)
    (retry_after,) = conn.execute("SELECT retry_after FROM fetch_errors WHERE site_id = 'retry-9999.test'").fetchone()
    run = conn.execute("SELECT status, monitor_status FROM runs").fetchone()
    failed = conn.execute("SELECT count(*) FROM fetch_errors WHERE error = 'store_failed'").fetchone()[0]
    assert retry_after == 60 * 86400
    assert run == ("finished", "degraded") and failed == 0  # degraded: most sites of this web fail


def test_nothing_fetched_that_robots_forbids(crawls):
    assert robots_problems(crawls.log, crawls.plan) == []
    assert crawls.plan.robots_disallowed  # the check above had something to check


def test_spider_traps_stay_bounded(crawls):
    assert trap_problems(crawls.log, crawls.plan) == []
    trap_hosts = {entry.host for entry in crawls.log if "months" in entry.host or "deeper-sites" in entry.host}
    assert trap_hosts  # the traps were entered, and left


def test_memory_stays_bounded(crawls):
    # 50 MB pages, a 2 GiB gzip bomb and endless streams cost no more than a margin over a fault-free crawl.
    assert crawls.clean.peak_rss_kb > 0 and crawls.hostile.peak_rss_kb > 0
    assert crawls.hostile.peak_rss_kb < crawls.clean.peak_rss_kb + 100 * 1024
    numbers = figures(crawls.db, crawls.plan, crawls.log, crawls.hostile)
    print(json.dumps({**numbers, "fault_free_peak_rss_mb": round(crawls.clean.peak_rss_kb / 1024)}))


def _datasette(db: Path, *paths: str, method: str = "GET"):
    from crawler.publish import make_datasette

    async def scenario():
        ds = make_datasette(db)
        return [await ds.client.request(method, path) for path in paths]

    return asyncio.run(scenario())


def test_datasette_shows_hostile_text_escaped_and_never_writes(crawls):
    from crawler.publish import publish_copy

    served = publish_copy(crawls.db)
    before = hashlib.sha256(served.read_bytes()).hexdigest()
    name = served.stem
    script_row, formula_row = _datasette(
        served, f"/{name}/communities/script-name~2Etest", f"/{name}/communities/formula~2Etest"
    )
    assert script_row.status_code == 200 and formula_row.status_code == 200
    assert "&lt;script&gt;alert(" in script_row.text
    assert "<script>alert(" not in script_row.text
    assert "onerror=alert" not in formula_row.text.replace("&lt;img src=x onerror=alert", "")
    assert 'href="javascript:' not in formula_row.text.lower()
    writes = [f"/{name}.json?" + urlencode({"sql": sql}) for sql in (
        "UPDATE communities SET name = 'pwned'", "DELETE FROM fetch_errors", "ATTACH DATABASE 'x.db' AS x",
    )]  # fmt: skip
    assert all(response.status_code >= 400 for response in _datasette(served, *writes))
    posts = _datasette(served, f"/{name}/communities", f"/{name}/-/query", method="POST")
    assert all(response.status_code >= 400 for response in posts)
    (databases,) = _datasette(served, "/-/databases.json")
    assert databases.json()[0]["is_mutable"] is False
    assert hashlib.sha256(served.read_bytes()).hexdigest() == before


def test_csv_snapshot_neutralises_formula_cells(crawls):
    from crawler.snapshot import write_snapshot

    folder = write_snapshot(crawls.db, crawls.tmp / "snapshots", date="2026-01-01", force=True)
    with (folder / "communities.csv").open(encoding="utf-8", newline="") as file:
        rows = {row["id"]: row for row in csv.DictReader(file)}
    assert rows["formula.test"]["name"] == "'" + crawls.plan.content["formula.test"].values["name"]
    assert rows["formula.test"]["description"].startswith("'@SUM(")
    for table in folder.glob("*.csv"):
        with table.open(encoding="utf-8", newline="") as file:
            for row in csv.reader(file):
                for cell in row:
                    assert not cell.startswith(("=", "+", "@", "\t", "\r")), (table.name, cell)
                    assert not cell.startswith("-") or cell.lstrip("-").replace(".", "").isdigit(), (table.name, cell)


# --- the crawler fixes, one by one (no crawl) ----------------------------------------------------


def _failure(exc: Exception, url: str = "http://a.test/", **meta) -> Failure:
    failure = Failure(exc)
    failure.request = Request(url, meta=meta)
    return failure


@pytest.mark.parametrize(
    ("exc", "meta", "kind"),
    [
        (DownloadCancelledError(), {}, "too_large"),
        (IgnoreRequest("Ignored response because its body exceeded DOWNLOAD_MAXSIZE (8 B)"), {}, "too_large"),
        (IgnoreRequest("max redirections reached"), {"redirect_urls": ["http://a.test/", "http://a.test/b"]},
         "redirect_loop"),
        (IgnoreRequest("max redirections reached"), {"redirect_urls": ["http://a.test/1", "http://a.test/2"]},
         "too_many_redirects"),
        (SchemeRefused("refused: redirect to scheme 'file'"), {}, "refused_scheme"),
        (IgnoreRequest("Forbidden by robots.txt"), {}, "robots"),
    ],
)  # fmt: skip
def test_failures_get_clear_kinds(exc, meta, kind):
    assert classify_failure(_failure(exc, **meta))[0] == kind
    assert is_clear_kind(kind)


@pytest.mark.parametrize("host", ["127.1", "2130706433", "0x7f000001", "0177.0.0.1", "127.0.0.2", "[::1]"])
def test_numeric_spellings_of_loopback_are_refused(host):
    policy = AddressPolicy(False, ["127.0.0.1:8000"])
    assert policy.refusal(f"http://{host}:9000/") is not None
    assert policy.refusal("http://club.test/") is None


@pytest.mark.parametrize(
    ("url", "allowed"),
    [
        ("http://127.0.0.1:18099/", True),
        ("http://127.0.0.1/", False),  # port 80, not the one listed
        ("https://127.0.0.1/", False),  # port 443
        ("http://127.0.0.1:80/", False),
        ("http://127.1/admin", False),
        ("http://2130706433/", False),
    ],
)
def test_an_allowed_address_and_port_does_not_allow_the_default_port(url, allowed):
    # The red team's case: a URL without a port goes to its scheme's default port (issue 15, 1).
    assert (AddressPolicy(False, ["127.0.0.1:18099"]).refusal(url) is None) is allowed
    assert AddressPolicy(False, ["127.0.0.1"]).refusal(url) is None  # a port-less entry: every port


@pytest.mark.parametrize(
    "address",
    [
        "::127.0.0.1",  # IPv4-compatible
        "::ffff:127.0.0.1", "::ffff:10.0.0.1",  # IPv4-mapped
        "::ffff:0:7f00:1", "::ffff:0:a00:1",  # IPv4-translated (RFC 2765)
        "64:ff9b::a00:1", "64:ff9b::7f00:1", "64:ff9b::c0a8:101",  # NAT64 well-known prefix to private IPv4
        "64:ff9b:1::808:808",  # NAT64 local-use prefix: the operator's own gateway
        "2002:7f00:1::", "2002:a00:1::1", "2002:c0a8:101::",  # 6to4 of loopback, 10/8, 192.168/16
        "2001:0:4136:e378:8000:63bf:3fff:fdd2",  # Teredo
        "::", "::1", "fe80::1", "fc00::1", "ff02::1",
    ],
)  # fmt: skip
def test_ipv6_forms_embedding_a_private_ipv4_are_private(address):
    # The guard's decision only: nothing is connected to (issue 15, 8).
    policy = AddressPolicy(False)
    assert not is_public_address(address)
    assert policy.refusal(f"http://[{address}]/") is not None
    assert policy.refusal(f"http://[{address}]:8080/") is not None


@pytest.mark.parametrize("address", ["::ffff:8.8.8.8", "64:ff9b::808:808", "2002:808:808::1", "2606:4700::1111"])
def test_ipv6_forms_embedding_a_public_ipv4_stay_public(address):
    assert is_public_address(address)
    assert AddressPolicy(False).refusal(f"http://[{address}]/") is None


def test_a_resolved_ipv6_form_of_a_private_address_is_refused():
    resolver = PublicOnlyResolver.__new__(PublicOnlyResolver)
    resolver.policy = AddressPolicy(False, ["127.0.0.1"])
    for address in ("64:ff9b::a00:1", "::ffff:0:7f00:1", "2002:a00:1::"):
        with pytest.raises(DNSLookupError):
            resolver._check(address, "rebound.test")


@pytest.mark.parametrize("target", ["file:///etc/passwd", "ftp://127.0.0.1/", "data:text/html,hi", "javascript:x"])
def test_redirect_to_a_non_web_scheme_is_refused(target):
    guard = PrivateAddressGuardMiddleware(AddressPolicy(False), SimpleNamespace(inc_value=lambda *a, **k: None))
    request = Request("http://a.test/")
    response = Response("http://a.test/", status=302, headers={"Location": target}, request=request)
    with pytest.raises(SchemeRefused):
        guard.process_response(request, response)
    fine = Response("http://a.test/", status=302, headers={"Location": "/elsewhere"}, request=request)
    assert guard.process_response(request, fine) is fine


def test_a_name_resolving_to_a_listed_address_needs_a_port_less_entry():
    resolver = PublicOnlyResolver.__new__(PublicOnlyResolver)  # only its policy is used
    resolver.policy = AddressPolicy(False, ["127.0.0.1:8000"])
    assert resolver._check("127.0.0.1", "127.0.0.1") == "127.0.0.1"  # a literal: the guard checked its port
    with pytest.raises(DNSLookupError):
        resolver._check("127.0.0.1", "rebound.test")  # a name could point at any port
    resolver.policy = AddressPolicy(False, ["127.0.0.1"])
    assert resolver._check("127.0.0.1", "rebound.test") == "127.0.0.1"
