"""A crawl of the default seeds (the use case's communities) replayed from a web of saved bodies.

Every request is answered from a WARC archive built here from the fixtures, each body under its
community's own URL (``crawler/archive/warc.py`` keys captures by URL, so a request for
``https://tatoeba.org/`` gets Tatoeba's body and nothing leaves the process: no socket is opened).
The seeds are https URLs, which the loopback proxy of ``tests/virtual_web.py`` cannot tunnel; the
archive is how this test serves them under their own names.

What each community serves here (docs/use-case-communities.md says the same):

- a saved body (real, real excerpt, or built from the software's templates: see their rows in
  tests/fixtures/SOURCES.md) for Polyglot Club, Tatoeba, the Wikipedia portal and French Wikipedia,
  Tatoeba and French Wikipedia behind the permanent redirects their roots answer (``/`` to
  ``/en/``, and to the main page);
- Livemocha has no capture at all: a URL the archive lacks answers 404, as a dead domain would;
- the others have no saved body anywhere in the repository: their capture is a 503, the answer
  of a site that is down, so the crawl records them as unreachable instead of inventing pages.
"""

from __future__ import annotations

import io
import sqlite3
import subprocess
import sys

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from crawler.cli import DEFAULT_SEEDS
from crawler.publish import canned_query
from crawler.visit import read_seeds
from tests.conftest import FIXTURES

CAPTURED = "2025-02-15T08:00:00Z"
FR_MAIN = "https://fr.wikipedia.org/wiki/Wikip%C3%A9dia:Accueil_principal"
EN_MAIN = "https://en.wikipedia.org/wiki/Main_Page"
# Both roots answer a permanent redirect on their own host: Tatoeba's LanguageSelectorMiddleware
# sends "/" to "/en/" with a 301 (tatoeba2, src/Middleware/LanguageSelectorMiddleware.php);
# Wikipedia sends "/" to the main page.
REDIRECTS = {
    "https://tatoeba.org/": "https://tatoeba.org/en/", "https://fr.wikipedia.org/": FR_MAIN,
    "https://en.wikipedia.org/": EN_MAIN,
}  # fmt: skip
HTML = "text/html; charset=utf-8"
SAVED = {
    "https://www.polyglotclub.com/": "generic/polyglotclub-home-head.html",
    "https://tatoeba.org/en/": "tatoeba/homepage-guest-from-template.html",
    "https://tatoeba.org/en/stats/sentences_by_language": "tatoeba/stats-sentences-by-language-from-template.html",
    "https://tatoeba.org/en/stats/users_languages": "tatoeba/stats-users-languages-from-template.html",
    "https://tatoeba.org/en/terms_of_use": "tatoeba/terms-of-use-from-template.html",
    "https://www.wikipedia.org/": "wikimedia_portal/www.wikipedia.org-portal-2024-12-excerpt.html",
    FR_MAIN: "discovery/wikipedia-fr-accueil-excerpt.html",
    EN_MAIN: "mediawiki/en.wikipedia.org-main-page-mobile-2023-01-excerpt.html",
}
DOWN = [
    "http://www.mailfriends.us/", "https://www.mezzoguild.com/", "https://www.mylanguageexchange.com/",
    "https://www.language-exchanges.org/", "https://www.miriadi.net/", "https://www.busuu.com/",
    "https://www.rosettastone.com/", "https://forum.wordreference.com/",
]  # fmt: skip
LIVEMOCHA_REASON = (
    "Livemocha, language-learning community acquired by Rosetta Stone on 1 April 2013, closed in 2016; "
    "closed in 2016 (https://en.wikipedia.org/wiki/Livemocha); its address now answers: http_404"
)


def _record(writer: WARCWriter, url: str, status: str, body: bytes, headers: list[tuple[str, str]]) -> None:
    http = StatusAndHeaders(status, headers, protocol="HTTP/1.1")
    record = writer.create_warc_record(
        url, "response", payload=io.BytesIO(body), http_headers=http, warc_headers_dict={"WARC-Date": CAPTURED}
    )
    writer.write_record(record)


def build_archive(path) -> None:
    with path.open("wb") as stream:
        writer = WARCWriter(stream, gzip=True, warc_version="1.1")
        for url, fixture in SAVED.items():
            _record(writer, url, "200 OK", (FIXTURES / fixture).read_bytes(), [("Content-Type", HTML)])
        for url, target in REDIRECTS.items():
            _record(writer, url, "301 Moved Permanently", b"", [("Location", target)])
        for url in DOWN:
            _record(writer, url, "503 Service Unavailable", b"down", [("Content-Type", "text/plain")])


@pytest.fixture(scope="module")
def seeds_crawl(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("use_case")
    archive, db = tmp / "use_case.warc.gz", tmp / "use_case.db"
    build_archive(archive)
    # No URL and no seeds file: `tremplin crawl` crawls crawler/seeds/use_case.txt.
    result = subprocess.run(
        [sys.executable, "-m", "crawler", "crawl", "--db", str(db), "--replay", str(archive), "--max-depth", "0",
         "--log-level", "WARNING", "--set", "DOWNLOAD_DELAY=0", "--set", "AUTOTHROTTLE_ENABLED=False",
         "--set", "RETRY_TIMES=0"],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    # Eight sites down of fourteen: the run's monitors judge it degraded (exit 3), and say why.
    assert result.returncode == 3, result.stderr[-3000:]
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    run = conn.execute("SELECT status, monitor_status, monitor_reasons FROM runs").fetchone()
    assert tuple(run) == ("finished", "degraded", '["error_rate: 8 of 14 sites unreachable (57%, limit 25%)"]')
    yield conn
    conn.close()


def community(conn, site_id: str) -> sqlite3.Row:
    return conn.execute("SELECT * FROM communities WHERE id = ?", [site_id]).fetchone()


def test_every_named_community_is_a_seed():
    urls = [url for url, _ in read_seeds(DEFAULT_SEEDS)]
    homepages = [url for url in SAVED if url.count("/") == 3] + list(REDIRECTS)
    assert sorted(urls) == sorted([*homepages, "https://www.livemocha.com/", *DOWN])


TATOEBA = "tatoeba.org/en"
FRENCH = "fr.wikipedia.org/wiki/Wikip%C3%A9dia:Accueil_principal"
ENGLISH = "en.wikipedia.org/wiki/Main_Page"


def test_a_root_redirect_on_the_same_host_is_recorded_as_a_move(seeds_crawl):
    # Today's spider keys a site by host and path, so "/" -> "/en/" reads as a move to another site
    # (noted in docs/use-case-communities.md); the figures live under the address reached.
    moved = {
        row["id"]: (row["status"], row["alias_of"])
        for row in seeds_crawl.execute("SELECT * FROM communities WHERE status = 'moved' ORDER BY id")
    }
    assert moved == {
        "en.wikipedia.org": ("moved", ENGLISH),
        "fr.wikipedia.org": ("moved", FRENCH),
        "tatoeba.org": ("moved", TATOEBA),
    }


def test_tatoeba_figures_languages_and_licence(seeds_crawl):
    row = community(seeds_crawl, TATOEBA)
    assert (row["status"], row["platform"], row["kind"], row["name"]) == ("alive", "tatoeba", "open_corpus", "Tatoeba")
    assert (row["sentences"], row["corpus_languages"], row["contributions_1d"], row["members"]) == (
        12556682,
        421,
        1718,
        None,
    )
    assert row["languages"] == '["en", "ru", "it", "eo", "tr", "de", "kab", "fr"]'
    assert row["practised_languages"] == '["en", "fr", "es", "de", "ja"]'
    assert (row["licence"], row["licence_url"]) == ("CC-BY-2.0", "https://creativecommons.org/licenses/by/2.0/fr/")
    evidence = dict(seeds_crawl.execute(
        "SELECT metric, source_url FROM observations WHERE community_id = 'tatoeba.org/en'"
    ).fetchall())  # fmt: skip
    assert evidence == {
        "sentences": "https://tatoeba.org/en/stats/sentences_by_language",
        "corpus_languages": "https://tatoeba.org/en/",
        "contributions_1d": "https://tatoeba.org/en/",
    }


def test_wikipedia_portal_and_french_edition(seeds_crawl):
    portal = community(seeds_crawl, "wikipedia.org")
    assert (portal["status"], portal["platform"], portal["kind"], portal["communities"], portal["licence"]) == (
        "alive",
        "wikimedia_portal",
        "wiki",
        73,
        "CC-BY-SA-4.0",
    )
    assert portal["languages"] == '["en", "ru", "ja", "de", "fr", "es", "it", "zh", "fa", "pt"]'
    french = community(seeds_crawl, FRENCH)
    assert (french["status"], french["platform"], french["kind"], french["name"]) == (
        "alive",
        "mediawiki",
        "wiki",
        "Wikipédia",
    )
    assert (french["languages"], french["platform_version"], french["licence"]) == (
        '["fr"]',
        "1.46.0-wmf.3",
        "CC-BY-SA-4.0",
    )


def test_polyglot_club_head_gives_name_and_language_only(seeds_crawl):
    row = community(seeds_crawl, "polyglotclub.com")
    assert (row["status"], row["name"], row["kind"], row["languages"], row["members"]) == (
        "alive",
        "Polyglot Club",
        "language_exchange",
        '["en"]',
        None,
    )


def test_livemocha_is_gone_with_the_reason(seeds_crawl):
    row = community(seeds_crawl, "livemocha.com")
    assert (row["status"], row["error_kind"], row["kind"]) == ("gone", "closed", "company_platform")
    assert row["state_reason"] == LIVEMOCHA_REASON


def test_sites_without_a_saved_body_are_unreachable_with_their_declared_kind(seeds_crawl):
    kinds = {
        row["id"]: (row["status"], row["error_kind"], row["kind"])
        for row in seeds_crawl.execute("SELECT * FROM communities WHERE status = 'unreachable'")
    }
    assert kinds == {
        "mailfriends.us": ("unreachable", "http_503", "language_exchange"),
        "mezzoguild.com": ("unreachable", "http_503", "language_exchange"),
        "mylanguageexchange.com": ("unreachable", "http_503", "language_exchange"),
        "language-exchanges.org": ("unreachable", "http_503", "language_exchange"),
        "miriadi.net": ("unreachable", "http_503", "language_exchange"),
        "busuu.com": ("unreachable", "http_503", "company_platform"),
        "rosettastone.com": ("unreachable", "http_503", "company_platform"),
        "forum.wordreference.com": ("unreachable", "http_503", "forum"),
    }


def test_seeds_report_lists_every_named_community(seeds_crawl):
    report = [dict(row) for row in seeds_crawl.execute(canned_query("seeds_report")["sql"], {"run_id": ""})]
    by_id = {row["id"]: row for row in report}
    # One row per seed, a redirected seed showing the site it reached.
    assert [row["seed_url"] for row in report] == sorted(url for url, _ in read_seeds(DEFAULT_SEEDS))
    assert {row["id"]: row["state"] for row in report} == {
        "polyglotclub.com": "alive", "mezzoguild.com": "unreachable", "mylanguageexchange.com": "unreachable",
        "language-exchanges.org": "unreachable", "miriadi.net": "unreachable", "busuu.com": "unreachable",
        "rosettastone.com": "unreachable", "livemocha.com": "gone", "wikipedia.org": "alive",
        ENGLISH: "alive", FRENCH: "alive", "forum.wordreference.com": "unreachable",
        TATOEBA: "alive", "mailfriends.us": "unreachable",
    }  # fmt: skip
    assert (by_id[TATOEBA]["seed_url"], by_id[TATOEBA]["url"]) == ("https://tatoeba.org/", "https://tatoeba.org/en/")
    tatoeba = by_id[TATOEBA]
    assert tatoeba["read_figures"] == '{"contributions_1d":1718,"corpus_languages":421,"sentences":12556682}'
    assert (tatoeba["missing"], tatoeba["why"]) == ("members", "the pages read publish no member count")
    assert by_id["livemocha.com"]["why"] == f"{LIVEMOCHA_REASON} (http_404 https://www.livemocha.com/)"
    assert by_id["busuu.com"]["why"] == "visit failed: http_503 (http_503 https://www.busuu.com/)"
    assert by_id["polyglotclub.com"]["missing"] == "members activity licence"
    assert by_id["polyglotclub.com"]["why"] == "the pages read publish no figures"
    assert by_id[FRENCH]["why"].startswith("not answered: http_404 https://fr.wikipedia.org/w/api.php?")
