"""A real browser on the real server: headless Debian Chromium against `datasette serve` on loopback.

Playwright drives /usr/bin/chromium (installed by scripts/ensure_chromium.sh; no browser download).
Every request leaving the loopback server is aborted, so the test stays offline. Screenshots and
the downloaded CSV are kept in output/test-artifacts/.
"""

from __future__ import annotations

import csv
import io
import os
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from crawler.publish import datasette_command, load_metadata
from tests.test_publish_db import build_research_db

CHROMIUM = Path(os.environ.get("TREMPLIN_CHROMIUM", "/usr/bin/chromium"))
ARTIFACTS = Path(__file__).resolve().parents[1] / "output" / "test-artifacts"
BROWSER_ARGS = [
    "--no-sandbox",  # tests may run as root in a container, where Chromium's sandbox cannot start
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-default-apps",
    "--disable-sync",
    "--no-first-run",
    "--metrics-recording-only",
]

if not CHROMIUM.is_file():
    pytest.skip(
        f"browser test skipped: {CHROMIUM} not found (run scripts/ensure_chromium.sh as root, "
        "or apt-get install chromium)",
        allow_module_level=True,
    )
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright not installed: pip install -e '.[dev]'")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    db_path = tmp_path_factory.mktemp("browser") / "research.db"
    build_research_db(db_path)
    port = free_port()
    log = (db_path.parent / "datasette.log").open("wb")
    process = subprocess.Popen(datasette_command(db_path, port=port), stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(f"{base}/-/versions.json", timeout=1).close()
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.fail(f"datasette did not start: {(db_path.parent / 'datasette.log').read_text()[-2000:]}")
            time.sleep(0.1)
    yield base
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
    log.close()


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=BROWSER_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, server):
    context = browser.new_context(accept_downloads=True, viewport={"width": 1400, "height": 1000})
    # Nothing but the loopback server: the page must not need, nor reach, the internet.
    context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(server) else route.abort())
    page = context.new_page()
    page.dialogs, page.errors = [], []
    page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message), dialog.dismiss()))
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    yield page
    context.close()


def shown_ids(page) -> list[str]:
    return page.locator("table.rows-and-columns tbody td.col-id").all_inner_texts()


def test_partner_shortlist_in_the_browser(page, server):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.goto(f"{server}/research/partner_shortlist")
    assert page.input_value("input[name=min_members]") == "50000"  # default shown in the form
    assert shown_ids(page) == ["polyglot.example", "wiki.example", "montreal.example", "evil.example"]
    names = page.locator("table.rows-and-columns tbody td.col-name").all_inner_texts()
    assert "<script>alert(1)</script> Club" in names  # shown as text, never run
    page.fill("input[name=language]", "fr")
    page.click("form.sql input[type=submit]")
    page.wait_for_url("**language=fr**")
    assert "min_members=50000" in page.url
    assert shown_ids(page) == ["polyglot.example", "wiki.example", "montreal.example"]
    page.screenshot(path=ARTIFACTS / "partner_shortlist.png", full_page=True)

    href = page.locator("p.export-links a", has_text="CSV").get_attribute("href")
    with page.expect_download() as download_info:
        page.evaluate(
            """href => { const a = document.createElement('a'); a.href = href + '&_dl=1';
                         a.download = ''; document.body.appendChild(a); a.click(); }""",
            href,
        )
    target = ARTIFACTS / "partner_shortlist.csv"
    download_info.value.save_as(target)
    table = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8"))))
    assert [row["id"] for row in table] == ["polyglot.example", "wiki.example", "montreal.example"]
    assert table[2]["open_licence"] == "1" and table[2]["members"] == "80000"
    assert page.dialogs == [] and page.errors == []


def test_dashboards_draw_their_charts(page, server):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    dashboards = load_metadata()["plugins"]["datasette-dashboards"]
    for slug, dashboard in dashboards.items():
        page.goto(f"{server}/-/dashboards/{slug}")
        for chart in dashboard["charts"]:
            # Vega draws into a `.marks` canvas once the chart's query has answered.
            page.locator(f"#chart-{chart} .marks").first.wait_for(timeout=15000)
        page.screenshot(path=ARTIFACTS / f"dashboard_{slug}.png", full_page=True)
    assert page.dialogs == [] and page.errors == []


def test_shortlist_filters_and_partner_card_in_the_browser(page, server):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.goto(f"{server}/research/partner_shortlist")
    page.fill("input[name=practised_language]", "ca")
    page.click("form.sql input[type=submit]")
    page.wait_for_url("**practised_language=ca**")
    assert shown_ids(page) == ["polyglot.example", "wiki.example"]
    page.fill("input[name=practised_language]", "")
    page.fill("input[name=operator_type]", "non_profit")
    page.fill("input[name=exclude_flags]", "anomalous,stale")
    page.click("form.sql input[type=submit]")
    page.wait_for_url("**operator_type=non_profit**")
    assert shown_ids(page) == ["montreal.example"]
    # Each shortlisted row links to its community's partner card.
    page.click("td.col-id a.partner-card-link")
    page.wait_for_url("**/research/communities/montreal~2Eexample")
    card = page.locator("#partner-card")
    assert card.locator("h2").inner_text() == "Partner card: Club d'échange linguistique de Montréal"
    assert card.locator("dd.card-operator_type").inner_text() == "non_profit"
    assert card.locator("dd.card-practised_languages").inner_text() == "fr, en"
    assert card.locator("dd.card-registration_mode").inner_text() == "approval"
    assert card.locator("dd.card-contact_email").inner_text() == "bonjour@montreal.example"
    # History chart: one point per run, members 60,000 → 80,000.
    points = card.locator("#partner-history svg circle.history-point")
    points.first.wait_for(timeout=15000)
    assert points.count() == 3
    assert card.locator("#partner-history table.history-table tr").all_inner_texts()[1:] == [
        "2026-03-01\t60000", "2026-06-01\t70000", "2026-09-01\t80000",
    ]  # fmt: skip
    # Trust flags, the other site of the same community, and evidence with links to its sources.
    card.locator("#partner-flags li.flag").first.wait_for(timeout=15000)
    assert "members: measured" in card.locator("#partner-flags").inner_text()
    group_link = card.locator("#partner-group a")
    assert group_link.inner_text() == "Petit café québécois"
    assert group_link.get_attribute("href") == "/research/communities/small~2Eexample"
    assert "same operator Association Tandem Montréal" in card.locator(".group-reasons").inner_text()
    email_row = card.locator("#partner-evidence tr.evidence-contact_email")
    assert email_row.locator("td").nth(2).inner_text() == "outreach.contact_email"
    assert email_row.locator("td a").get_attribute("href") == "https://montreal.example/about"
    page.screenshot(path=ARTIFACTS / "partner_card.png", full_page=True)
    group_link.click()
    page.wait_for_url("**/research/communities/small~2Eexample")
    assert page.locator("#partner-card dd.card-federation").inner_text() == "federated"
    assert page.dialogs == [] and page.errors == []


def test_partner_card_shows_hostile_names_as_text(page, server):
    page.goto(f"{server}/research/communities/evil~2Eexample")
    page.locator("#partner-flags li.flag").first.wait_for(timeout=15000)
    assert page.locator("#partner-card h2").inner_text() == "Partner card: <script>alert(1)</script> Club"
    assert "members: anomalous" in page.locator("#partner-flags").inner_text()
    assert page.dialogs == [] and page.errors == []
