"""phpBB: structure-first statistics, online count, newest member never read, board zone for dates."""

from __future__ import annotations

import re

import pytest

from crawler import platforms
from crawler.normalize import packs
from crawler.platforms import phpbb
from tests.conftest import fixture_response, make_response

HEAD = '<html lang="{lang}"><head><title>Board - Index page</title></head><body id="phpbb">'


def board(stats: str, online: str = "", extra: str = "", lang: str = "en-gb") -> str:
    return (
        HEAD.format(lang=lang)
        + extra
        + f'<div class="stat-block online-list"><h3>Who is online</h3><p>{online}</p></div>'
        + f'<div class="stat-block statistics"><h3>Statistics</h3><p>{stats}</p></div></body></html>'
    )


def extract(body: str, url: str = "https://board.example/index.php"):
    return phpbb.extract(make_response(body, url))


def test_structure_gives_posts_topics_members_when_labels_are_unknown():
    stats = "Xyz <strong>300</strong> &bull; Abc <strong>20</strong> &bull; Qrs <strong>10</strong>"
    assert extract(board(stats)).metrics == {"posts": 300, "topics": 20, "members": 10}


def test_recognised_labels_win_over_a_reordered_style():
    stats = (
        "Total members <strong>10</strong> &bull; Total posts <strong>300</strong> &bull; "
        "Total topics <strong>20</strong>"
    )
    assert extract(board(stats)).metrics == {"members": 10, "posts": 300, "topics": 20}


def test_newest_member_is_never_read_even_when_numeric():
    stats = (
        "Total posts <strong>300</strong> &bull; Total topics <strong>20</strong> &bull; Our newest member "
        '<strong><a href="./memberlist.php?mode=viewprofile&amp;u=7">2024</a></strong>'
    )
    result = extract(board(stats))
    assert result.metrics == {"posts": 300, "topics": 20}
    assert all("2024" not in (ev.snippet or "") for ev in result.evidence.values())


def test_record_and_topic_page_lines_are_not_online_now():
    record = "Most users ever online was <strong>1770</strong> on 12 Nov 2017, 19:55<br />"
    assert "online_now" not in extract(board("", online=record)).metrics
    browsing = "Users browsing this forum: 0 registered users and 2 guests"
    assert "online_now" not in extract(board("", online=browsing)).metrics
    total = "In total there are <strong>453</strong> users online :: 18 registered<br />" + record
    assert extract(board("", online=total)).metrics == {"online_now": 453}


def test_dates_are_shifted_by_the_board_zone():
    result = phpbb.extract(fixture_response("phpbb/fight-bb-index.html", "https://fight-bb.com/index.php"))
    # "20 Mar 2018, 09:24" with "All times are UTC+05:30".
    assert result.last_activity_at == "2018-03-20T03:54:00+00:00"


def test_relative_date_without_a_clock_gives_no_last_activity():
    rows = '<dl><dd class="lastpost"><span>by <a href="#">x</a><br />Today, 09:24</span></dd></dl>'
    rows += '<dl><dd class="lastpost"><span>by <a href="#">y</a><br />19 Mar 2018, 10:00</span></dd></dl>'
    assert extract(board("", extra=rows)).last_activity_at is None
    clock = '<p class="right responsive-center time">It is currently 20 Mar 2018, 09:29</p>'
    assert extract(board("", extra=clock + rows)).last_activity_at == "2018-03-20T09:24:00+00:00"


def test_a_feed_title_is_never_the_name_the_title_is():
    # Issue 17: a board was named after its first feed ("Feed - Neuigkeiten") instead of its title.
    body = (
        '<html lang="de"><head><title>Mein Board - Foren-Übersicht</title>'
        '<link rel="alternate" type="application/atom+xml" title="Feed - Neuigkeiten">'
        '</head><body id="phpbb"></body></html>'
    )
    result = platforms.extract(make_response(body, "https://board.example/index.php"))
    assert result.name == "Mein Board"
    assert result.evidence["name"].rule == "generic.title"


def test_og_site_name_outranks_the_board_heading():
    body = (
        '<html><head><meta property="og:site_name" content="Sprachforum"><title>Index</title></head>'
        '<body id="phpbb"><div id="site-description"><h1>Willkommen</h1></div></body></html>'
    )
    result = platforms.extract(make_response(body, "https://board.example/"))
    assert (result.name, result.evidence["name"].rule) == ("Sprachforum", "generic.og_site_name")


def test_detection():
    assert phpbb.detect(make_response(board(""), "https://board.example/"))
    assert not phpbb.detect(
        make_response("<html><body>A blog post about phpBB hosting.</body></html>", "https://b.example/")
    )
    cookie = make_response("<html></html>", "https://b.example/", {"Set-Cookie": "phpbb3_abc_sid=1; path=/"})
    assert phpbb.detect(cookie)


def test_subsilver2_statistics_line_confirmed_by_labels():
    line = (
        '<p class="genmed">Total posts <b>43722</b> | Total topics <b>9303</b> | Total members <b>11337</b> | '
        'Our newest member <b><a href="./memberlist.php?mode=viewprofile&amp;u=3">Bob</a></b></p>'
    )
    body = f'<html lang="en"><body id="phpbb"><table><tr><td class="row1">{line}</td></tr></table></body></html>'
    assert extract(body).metrics == {"posts": 43722, "topics": 9303, "members": 11337}
    other = '<p class="genmed">Size <b>12</b> | Colour <b>3</b> | Weight <b>4</b></p>'
    assert extract(f'<html><body id="phpbb">{other}</body></html>').metrics == {}


def _pack_page(language: str, style: str) -> str:
    """A board index written with one phpBB pack's own phrases (3.0 or 3.1+), in one of two styles."""
    phrases = packs.pack("phpbb")["packs"][language]["phrases"]

    def phrase(key: str, number: int) -> str:
        return re.sub(r"%(\d+\$)?d", str(number), (phrases.get(key) or [""])[-1], count=1)

    old = "TOTAL_POSTS_COUNT" not in phrases
    keys = ("TOTAL_POSTS_OTHER", "TOTAL_TOPICS_OTHER", "TOTAL_USERS_OTHER") if old else (
        "TOTAL_POSTS_COUNT", "TOTAL_TOPICS", "TOTAL_USERS")  # fmt: skip
    stats = " &bull; ".join(phrase(key, n) for key, n in zip(keys, (43722, 9303, 11337), strict=True))
    parts = (phrase("REG_USERS_TOTAL", 12), phrase("HIDDEN_USERS_TOTAL", 1), phrase("GUEST_USERS_TOTAL", 440))
    if old:
        online = phrase("ONLINE_USERS_TOTAL", 453) + "".join(parts)
    else:
        online = phrase("ONLINE_USERS_TOTAL", 453).replace("%2$s", f"{parts[0]}, {parts[1]}").replace("%3$s", parts[2])
    lang = packs.base_language(language)
    if style == "subsilver2":
        return (
            f'<html lang="{lang}"><body><table><tr><td class="row1"><span class="genmed">{online}<br />x</span>'
            "</td></tr>"
            f'<tr><td class="row1"><p class="genmed">{stats}</p></td></tr></table>'
            '<p class="copyright">Powered by <a href="https://www.phpbb.com/">phpBB</a></p></body></html>'
        )
    return (
        f'<html lang="{lang}"><body id="phpbb"><div class="stat-block online-list"><p>{online}<br />'
        f'Most <strong>1</strong></p></div><div class="stat-block statistics"><p>{stats}</p></div></body></html>'
    )


@pytest.mark.parametrize("style", ["prosilver", "subsilver2"])
@pytest.mark.parametrize("language", sorted(packs.pack("phpbb")["packs"]))
def test_every_pack_board_index_is_read(language, style):
    # Each of the 30 phpBB packs, its own statistics and who-is-online phrases, in both layouts.
    result = platforms.extract(make_response(_pack_page(language, style), "https://board.example/index.php"))
    assert result.metrics == {"posts": 43722, "topics": 9303, "members": 11337, "online_now": 453}
