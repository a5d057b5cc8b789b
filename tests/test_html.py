"""Shared HTML helpers, and a privacy sweep over every forum and generic fixture."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from crawler import platforms
from crawler.outreach.contact import role_address
from crawler.platforms.html import (
    clean_label,
    is_link,
    labelled_counts,
    newest_local_date,
    page,
    page_clock,
    text_following,
    text_lines,
    text_of,
    utc_offset,
)
from tests.conftest import FIXTURES, load_case, make_response

HTML_FOLDERS = ("generic", "phpbb", "xenforo", "vbulletin", "smf", "mybb", "invision", "flarum", "nodebb")

# Newest-member, top-poster and online-list names printed by the fixtures: personal data that must not
# appear in any value or evidence snippet.
MEMBER_NAMES = (
    "Suzaku", "thechainhut", "ProphetEyes", "AstralScythes", "filmerguy", "mark cardiel", "Bumblebear",
    "W.Hammer", "Heatherschic", "blacksterr", "Paigewilson", "GenoMax", "saun", "NobodyYouKnow", "Prime_531",
    "Zoé_42", "Corydoras56", "Marie-Hélène", "Dampflok_Fan", "Spur_N_Jürgen", "Montañero_88", "Pedal_Duro",
    "ola_z_mazur", "karpiarz77", "Carro_Tigre", "Ala_Rossa", "Fietsfanaat", "Spoorzoeker", "cevada_maltada",
    "lupulado", "Карась_2018", "Лещ_Иваныч", "Rocker", "ckwnicee", "Pepemaus", "Predator",
)  # fmt: skip


def test_text_skips_scripts_styles_and_comments():
    response = make_response(
        "<html><body><p>Hello <script>var x = 'members 12';</script><style>.a{}</style>"
        "<!-- 99 members -->world</p></body></html>",
        "https://forum.example/",
    )
    assert text_of(page(response).xpath("//p")[0]) == "Hello world"


def test_lines_break_at_br_and_stop_before_the_first_link():
    response = make_response(
        "<p>Our members have made 10 posts.<br/>We have 5 members.<br/>Welcome <b><a href='/u/1'>Ann</a></b>"
        "<br/>Record: 9</p>",
        "https://forum.example/",
    )
    paragraph = page(response).xpath("//p")[0]
    assert text_lines(paragraph, stop=is_link) == ["Our members have made 10 posts.", "We have 5 members.", "Welcome"]
    assert text_lines(paragraph)[-1] == "Record: 9"


def test_text_following_walks_up_and_stops_at_a_link():
    response = make_response(
        "<div><h4><a id='s' href='?action=stats'>Stats</a> header</h4><p>1 Posts in 2 Topics by 3 Members. "
        "Latest Member: <a href='?action=profile;u=1'>Bob</a></p></div>",
        "https://forum.example/",
    )
    link = page(response).xpath("//a[@id='s']")[0]
    assert text_following(link, stop=is_link) == "header 1 Posts in 2 Topics by 3 Members. Latest Member:"


def test_deep_nesting_does_not_recurse():
    body = "<html><body>" + "<div>" * 100_000 + "deep" + "</div>" * 100_000 + "</body></html>"
    pg = page(make_response(body, "https://deep.example/"))
    assert isinstance(text_of(pg.root), str)


def test_labelled_counts_reads_labels_before_and_after():
    items = labelled_counts("Members: 77,767 • Threads: 39,427 • Top Poster", "en")
    assert [(i.metric, i.count.value, i.label) for i in items] == [
        ("members", 77767, "Members"),
        ("topics", 39427, "Threads"),
    ]
    after = labelled_counts("a total of 145,397 posts in 24,720 threads.", "en")
    assert [i.metric for i in after] == ["posts", "topics"]


def test_clean_label_trims_separators():
    assert clean_label(" 43722 &bull; Total posts ") == "Total posts"
    assert clean_label("\n • Total posts : ") == "Total posts"


@pytest.mark.parametrize(
    ("text", "offset"),
    [
        ("All times are UTC+05:30", timedelta(hours=5, minutes=30)),
        ("Alle Zeiten sind UTC-3 Stunden", timedelta(hours=-3)),
        ("Tutti gli orari sono GMT +1.", timedelta(hours=1)),
        ("All times are UTC", timedelta(0)),
        ("All times are local", None),
    ],
)
def test_utc_offset(text, offset):
    assert utc_offset(text) == offset


def test_page_clock_skips_the_label():
    assert page_clock("It is currently 20 Mar 2018, 09:29", ["en"]) == datetime(2018, 3, 20, 9, 29)
    assert page_clock("Aktuelle Zeit: Di 20. Mär 2018, 09:29", ["de"]) == datetime(2018, 3, 20, 9, 29)
    assert page_clock("no clock here", ["en"]) is None


def test_newest_local_date_refuses_when_one_date_is_unreadable():
    values = ["20 Mar 2018, 09:24", "Today, 10:00"]
    assert newest_local_date(values, languages=["en"]) is None
    base = datetime(2018, 3, 20, 11, 0)
    assert newest_local_date(values, base=base, offset=timedelta(hours=1), languages=["en"]) == (
        "2018-03-20T09:00:00+00:00",
        "Today, 10:00",
    )


CASES = sorted(p for folder in HTML_FOLDERS for p in (FIXTURES / folder).glob("*.expected.json"))


@pytest.mark.parametrize("expected_path", CASES, ids=lambda p: f"{p.parent.name}/{p.name[:-14]}")
def test_no_personal_data_in_values_or_evidence(expected_path: Path):
    response, _ = load_case(expected_path)
    result = platforms.extract(response).to_json()
    # A site's generic contact address (info@, contact@) is published for this purpose; never a person's.
    email = result.pop("contact_email")
    assert email is None or role_address(email) == email
    blob = json.dumps(result, ensure_ascii=False)
    for name in MEMBER_NAMES:
        assert name not in blob, name
    for marker in ("memberlist.php", "member.php", "action=profile", "/members/", "/user-", "@"):
        assert marker not in blob, marker
