"""The privacy rule (crawler.normalize.privacy): what it removes, what it leaves, and where it is applied."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from crawler import platforms
from crawler.items import CandidateItem, CommunityItem, FetchErrorItem
from crawler.normalize.privacy import scrub, without_session_ids
from crawler.schedule import MAX_RETRY_AFTER, next_due, parse_retry_after
from pipelines.normalize import NormalizeCommunityPipeline
from tests.conftest import FIXTURES, load_case

SID = "22c09551c71c1a6b64e4364ca45cbf28"


@pytest.mark.parametrize(
    ("text", "scrubbed"),
    [
        ("Run by Jane Roe, write to jane.roe@club.example or call +33 6 12 34 56 78",
         "Run by [name removed], write to [e-mail removed] or call [phone removed]"),
        ("Appelez le 06 12 34 56 78 !", "Appelez le [phone removed] !"),
        ("Tel.: 030 1234567", "Tel.: [phone removed]"),
        ("Präsidentin: Marie Dupont", "Präsidentin: [name removed]"),
        ("Geleitet von Jonas Becker und Anna Schmidt, seit 2004", "Geleitet von [name removed], seit 2004"),
        ("Contact Mme Dupont", "Contact [name removed]"),
        ("organisé par Jean-Pierre Martin", "organisé par [name removed]"),
        (f'<a href="https://forum.example/register.php?s={SID}">Registrieren</a>',
         '<a href="https://forum.example/register.php">Registrieren</a>'),
        (f'<a href="./ucp.php?mode=register&sid={SID}">R</a>', '<a href="./ucp.php?mode=register">R</a>'),
        (f'<a href="./ucp.php?sid={SID}&mode=register">R</a>', '<a href="./ucp.php?mode=register">R</a>'),
        ("see https://forum.example/memberlist.php?mode=viewprofile&u=2", "see [profile link removed]"),
    ],
)  # fmt: skip
def test_personal_data_is_scrubbed(text, scrubbed):
    assert scrub(text) == scrubbed


@pytest.mark.parametrize(
    "text",
    [
        "Total members 12 345 678, posts 1 234 567",  # counts are not phones
        "Join 1,234 members since 2004 · 3.000 Mitglieder",
        "Run by the Lyon Tandem Association",  # an organisation, not a person
        "Geleitet vom Sprachclub Berlin e.V.",
        "Any questions? Contact us.",
        "© 2026 Association Polyglotte",
        "Herr der Ringe Forum",
        "Maintained by volunteers",
        "Contact Us Today for Language Exchange",  # a role word without a colon labels no one
        "Admin Panel Settings",
        "Pan European Forum",
        "https://www.example.org/?s=search+words",  # WordPress search words are not a session id
    ],
)
def test_public_text_is_left_alone(text):
    assert scrub(text) == text


@pytest.mark.parametrize(
    ("url", "clean"),
    [
        (f"https://www.pocketpc.ch/thread-34.html?s={SID}", "https://www.pocketpc.ch/thread-34.html"),
        ("http://x.test/;jsessionid=AB12?x=1&PHPSESSID=ff&y=2", "http://x.test/?x=1&y=2"),
        ("http://x.test/index.php?sid=abc&topic=5", "http://x.test/index.php?topic=5"),
        ("http://x.test/?s=search+words", "http://x.test/?s=search+words"),
    ],
)
def test_session_ids_are_cut_out_of_urls(url, clean):
    assert without_session_ids(url) == clean


def test_every_stored_text_of_an_item_goes_through_the_rule():
    item = CommunityItem(
        id="club.example", url=f"http://club.example/?sid={SID}", seed_url="http://club.example/",
        name="Club", description="Run by Jane Roe, call +33 6 12 34 56 78",
        canonical_url=f"http://club.example/index.php?s={SID}", contact_email="contact.dupont@club.example",
        operator_name="Verein Jane Roe", status="alive",
        evidence={
            "description": {"source_url": f"http://club.example/?sid={SID}", "rule": "r",
                            "snippet": "Kontakt: Marie Dupont, Tel. 030 1234567"},
            "contact_email": {"source_url": "http://club.example/", "rule": "r", "snippet": "x"},
        },
        links=[{"to_url": f"http://other.example/;jsessionid={SID}", "rule": "r"}],
    )  # fmt: skip
    NormalizeCommunityPipeline().process_item(item)
    assert item.url == "http://club.example/"
    assert item.canonical_url == "http://club.example/index.php"
    assert item.description == "Run by [name removed], call [phone removed]"
    assert item.contact_email is None and "contact_email" not in item.evidence
    assert item.evidence["description"] == {
        "source_url": "http://club.example/", "rule": "r", "snippet": "Kontakt: [name removed], Tel. [phone removed]",
    }  # fmt: skip
    assert item.links == [{"to_url": "http://other.example/", "rule": "r"}]
    error = FetchErrorItem(url=f"http://club.example/x?PHPSESSID={SID}", error="timeout",
                           message=f"GET http://club.example/x?PHPSESSID={SID} timed out")  # fmt: skip
    NormalizeCommunityPipeline().process_item(error)
    assert (error.url, error.message) == ("http://club.example/x", "GET http://club.example/x timed out")
    candidate = CandidateItem(site_id="a.example", url=f"http://a.example/?sid={SID}", status="rejected", reason="x")
    NormalizeCommunityPipeline().process_item(candidate)
    assert candidate.url == "http://a.example/"


@pytest.mark.parametrize(
    ("header", "seconds"),
    [
        ("120", 120),
        ("Fri, 31 Dec 9999 23:59:59 GMT", MAX_RETRY_AFTER.total_seconds()),  # the red team's date
        ("99999999999999999999999", MAX_RETRY_AFTER.total_seconds()),
        ("Thu, 01 Jan 1970 00:00:00 GMT", 0),
        ("soon", None),
        ("-5", None),
        (None, None),
    ],
)
def test_retry_after_is_clamped_where_it_is_parsed(header, seconds):
    assert parse_retry_after(header) == seconds


def test_next_due_never_overflows():
    now = datetime(2026, 12, 1, tzinfo=UTC)
    assert next_due("unreachable", 10**6, now, 10**15) - now <= MAX_RETRY_AFTER * 1.1
    assert next_due("alive", 0, now, 10**15) == now + MAX_RETRY_AFTER
    end = datetime.max.replace(tzinfo=UTC) - timedelta(seconds=5)
    assert next_due("alive", 0, end, 100) == end  # at the calendar's end: due at once, still stored


def test_the_gate_keeps_a_role_address_at_the_operators_domain_and_drops_profile_pages():
    # The reader checked the domain against the page's organisation; the gate checks the shape.
    item = CommunityItem(
        id="forum.club.example", url="https://forum.club.example/", contact_email="contact@verein.example",
        contact_url="https://forum.club.example/members/anna.42/", status="alive",
        evidence={"contact_url": {"source_url": "https://forum.club.example/", "rule": "r", "snippet": None}},
    )  # fmt: skip
    NormalizeCommunityPipeline().process_item(item)
    assert item.contact_email == "contact@verein.example"
    assert item.contact_url is None and "contact_url" not in item.evidence


def test_a_real_vbulletin_thread_page_yields_no_session_id_and_no_post_text():
    # pocketpc.ch's thread page (a real sample): its canonical and links carry ?s=<session id>.
    response, _ = load_case(FIXTURES / "vbulletin" / "pocketpc-vb4-de-showthread.expected.json")
    result = platforms.extract(response).to_json()
    assert SID not in json.dumps(result)
    assert result["description"] is None and result["price_model"] is None
    assert result["canonical_url"] == "https://www.pocketpc.ch/"
