"""A real browser on the real server: headless Debian Chromium against `datasette serve` on loopback.

Playwright drives /usr/bin/chromium (installed by scripts/ensure_chromium.sh; no browser download).
Every request leaving the loopback server is aborted, so the test stays offline. Screenshots and
the downloaded CSV are kept in output/test-artifacts/; with ``TREMPLIN_DOCS_IMAGES=DIR`` (``make
docs-images``) the two the README shows are written to DIR too.
"""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from crawler.publish import datasette_command, load_metadata
from tests.sample_site import sample_site
from tests.test_publish_db import build_research_db

CHROMIUM = Path(os.environ.get("TREMPLIN_CHROMIUM", "/usr/bin/chromium"))
ARTIFACTS = Path(__file__).resolve().parents[1] / "output" / "test-artifacts"
DOCS_IMAGES = os.environ.get("TREMPLIN_DOCS_IMAGES")
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


def serve(db_path: Path):
    """Start ``datasette serve`` as ``tremplin serve`` runs it; yield its base URL, then stop it."""
    port = free_port()
    log_path = db_path.parent / f"datasette-{port}.log"
    log = log_path.open("wb")
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
                pytest.fail(f"datasette did not start: {log_path.read_text()[-2000:]}")
            time.sleep(0.1)
    yield base
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
    log.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    db_path = tmp_path_factory.mktemp("browser") / "research.db"
    build_research_db(db_path)
    yield from serve(db_path)


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory):
    published = sample_site(tmp_path_factory.mktemp("sample_site"))
    yield from serve(published.parent.parent / published.name)  # the crawl database, published again


def save_screenshot(page, name: str, docs: bool = False) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=ARTIFACTS / name, full_page=True)
    if docs and DOCS_IMAGES:
        Path(DOCS_IMAGES).mkdir(parents=True, exist_ok=True)
        shutil.copyfile(ARTIFACTS / name, Path(DOCS_IMAGES) / name)


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=BROWSER_ARGS)
        yield browser
        browser.close()


def open_page(browser, base: str):
    context = browser.new_context(accept_downloads=True, viewport={"width": 1400, "height": 1000})
    # Nothing but the loopback server: the page must not need, nor reach, the internet.
    context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(base) else route.abort())
    page = context.new_page()
    page.dialogs, page.errors = [], []
    page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message), dialog.dismiss()))
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    return context, page


@pytest.fixture
def page(browser, server):
    context, page = open_page(browser, server)
    yield page
    context.close()


@pytest.fixture
def demo_page(browser, demo_server):
    context, page = open_page(browser, demo_server)
    yield page
    context.close()


def shown_ids(page) -> list[str]:
    return [row.get_attribute("data-id") for row in page.locator("table.finder-results tbody tr").all()]


def download_csv(page, link_selector: str, target: Path) -> list[dict]:
    with page.expect_download() as download_info:
        page.click(link_selector)
    download_info.value.save_as(target)
    return list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8"))))


def test_the_course_designer_answers_the_question(demo_page, demo_server):
    page = demo_page
    page.goto(f"{demo_server}/")
    save_screenshot(page, "home.png")
    assert "38 communities alive" in page.locator("p.home-summary").inner_text()
    page.click("text=Find partners")
    page.wait_for_url("**/demo/partner_shortlist")
    # As a person would: choose French, type 50,000, tick "open licence only", submit.
    page.select_option("#finder-language", label="fr — French (14)")
    page.fill("#finder-min_members", "50,000")
    page.check("#finder-open_licence_only")
    page.click("form.finder input[type=submit]")
    page.wait_for_url("**open_licence_only=1**")
    assert shown_ids(page) == [
        "polyglottes-club.example", "forum.francais-langue-etrangere.example", "wiki.tandem-montreal.example",
        "bibliotheque-dialogues.example",
    ]  # fmt: skip
    assert page.locator(".finder-found").inner_text() == "4 communities found."
    assert page.locator(".finder-left-out").inner_text() == (
        "7 communities with at least 50,000 members left out: 5 not in French, 1 not openly licensed, "
        "1 with no activity in the 30 days before capture. (each counted once, under the first filter it fails)"
    )
    marks = page.locator("table.finder-results tbody tr").nth(0).locator(".mark").all_inner_texts()
    assert marks == ["activity unknown", "licence unknown", "self-reported"]
    save_screenshot(page, "partner_finder.png", docs=True)
    table = download_csv(page, "a.finder-csv", ARTIFACTS / "partner_finder.csv")
    assert [row["id"] for row in table] == shown_ids(page)
    assert [(row["name"], row["members"], row["contact_email"], row["contact_page"]) for row in table][:3] == [
        ("Club des Polyglottes", "275000", "bonjour@polyglottes-club.example",
         "https://polyglottes-club.example/contact"),
        ("Français langue étrangère", "60270", "", "https://forum.francais-langue-etrangere.example/about"),
        ("Wiki Tandem Montréal", "59087", "", "https://wiki.tandem-montreal.example/wiki/Project:About"),
    ]  # fmt: skip
    # Ticking "measured activity only" and "declared licence only" leaves the one full answer.
    page.check("#finder-measured_activity_only")
    page.check("#finder-declared_licence_only")
    page.click("form.finder input[type=submit]")
    page.wait_for_url("**measured_activity_only=1**")
    assert shown_ids(page) == ["wiki.tandem-montreal.example"]
    page.click("a.partner-card-link")
    page.wait_for_url("**/demo/communities/wiki~2Etandem-montreal~2Eexample")
    card = page.locator("#partner-card")
    assert card.locator("dd.card-licence").inner_text() == "CC-BY-SA-4.0"
    page.locator("#partner-history svg circle.history-point").first.wait_for(timeout=15000)
    assert card.locator("#partner-high").inner_text() == (
        "59,087 members (2026-11-01); 1,450 active users (2026-11-01)"
    )
    save_screenshot(page, "partner_card.png")
    assert page.dialogs == [] and page.errors == []


def test_the_server_shows_no_server_path(demo_server):
    for path in ("/-/databases.json", "/demo/runs.json?_shape=array", "/-/metadata.json"):
        text = urllib.request.urlopen(f"{demo_server}{path}", timeout=10).read().decode("utf-8")
        assert not re.search(r"/(tmp|work|home|root|var|usr|opt|srv)/", text), path
    assert '"path": "demo.db"' in urllib.request.urlopen(f"{demo_server}/-/databases.json", timeout=10).read().decode()


def test_a_typo_in_the_form_is_shown_not_guessed(demo_page, demo_server):
    page = demo_page
    page.goto(f"{demo_server}/demo/partner_shortlist")
    page.fill("#finder-min_members", "5O,000")
    page.click("form.finder input[type=submit]")
    page.wait_for_url("**min_members=5O**")
    assert page.locator(".finder-errors").inner_text().splitlines()[0] == (
        "min_members: cannot read '5O,000' as a number of members; write it as 50000, 50,000, 50 000, 50.000 or 50k"
    )
    assert shown_ids(page) == []
    assert page.input_value("#finder-min_members") == "5O,000"  # what was typed stays, to be corrected


def test_landscape_pages_draw_their_charts(demo_page, demo_server):
    page = demo_page
    page.goto(f"{demo_server}/demo/network_totals")
    chart = page.locator("svg.line-chart").first
    assert chart.get_attribute("data-scale") == "log"
    assert page.locator("svg.line-chart g.series").count() >= 12  # all + eleven platforms
    save_screenshot(page, "network_totals.png", docs=True)
    page.goto(f"{demo_server}/demo/language_landscape")
    assert page.locator("svg.bar-chart g.bar").count() == 28  # one bar per language and role (the twins add two)
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
    page.select_option("#finder-practised_language", "ca")
    page.click("form.finder input[type=submit]")
    page.wait_for_url("**practised_language=ca**")
    assert shown_ids(page) == ["polyglot.example", "wiki.example"]
    page.select_option("#finder-practised_language", "")
    page.select_option("#finder-operator_type", "non_profit")
    page.select_option("#finder-exclude_flags", "anomalous,stale")
    page.click("form.finder input[type=submit]")
    page.wait_for_url("**operator_type=non_profit**")
    assert shown_ids(page) == ["montreal.example"]
    # Each shortlisted row links to its community's partner card.
    page.click("td.col-name a.partner-card-link")
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
    page.screenshot(path=ARTIFACTS / "partner_card_research.png", full_page=True)
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
