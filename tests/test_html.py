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
    content_lines,
    elements_outside,
    is_link,
    labelled_counts,
    language_sample,
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


def test_text_keeps_the_tail_of_comments_and_processing_instructions():
    pg = page(make_response("<html><body><div>a<!-- c -->b<?php x ?>c</div></body></html>", "https://f.example/"))
    assert text_of(pg.xpath("//div")[0]) == "a b c"


def test_elements_outside_skips_marked_subtrees_but_tests_their_root():
    pg = page(
        make_response(
            "<html><body><a href='/1'>one</a><article><a href='/2'>two</a></article>"
            "<div class='post'><a href='/3'>three</a></div><a class='post' href='/4'>four</a>"
            "<p><a href='/5'>five</a><a name='x'>no href</a></p></body></html>",
            "https://forum.example/",
        )
    )

    def is_link(element):
        return element.tag == "a" and element.get("href") is not None

    def is_post(element):
        return element.tag == "article" or "post" in (element.get("class") or "")

    found = elements_outside(pg.root, is_link, is_post)
    assert [element.get("href") for element in found] == ["/1", "/4", "/5"]
    assert [element.get("href") for element in elements_outside(pg.root, is_link, is_post, limit=2)] == ["/1", "/4"]


def test_content_lines_leave_out_navigation_forms_and_footers():
    pg = page(
        make_response(
            "<html><body><nav>Home Forums</nav><h1>Club</h1><p>We meet <b>every</b> week.</p>"
            "<form><label>Search</label></form><footer>Imprint</footer></body></html>",
            "https://club.example/",
        )
    )
    assert content_lines(pg) == ["Club", "We meet every week."]


def test_language_sample_puts_prose_before_menus():
    menu = "".join(f"<li>{name}</li>" for name in ("Čeština", "Deutsch", "English", "Español", "Français"))
    prose = "Bienvenue sur le forum des amateurs de langues, où l'on discute de grammaire."
    pg = page(make_response(f"<html><body><ul>{menu}</ul><p>{prose}</p></body></html>", "https://f.example/"))
    assert language_sample(pg).startswith(prose)
    assert language_sample(pg).endswith("Français")


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
