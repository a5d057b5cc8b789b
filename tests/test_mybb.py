"""MyBB: boardstats lines by structure, the record line never online_now, relative dates need a clock."""

from __future__ import annotations

import pytest

from crawler.normalize import packs
from crawler.platforms import mybb
from tests.conftest import fixture_response, make_response


def test_record_line_is_not_online_now():
    result = mybb.extract(fixture_response("mybb/copybot-boardstats.html", "http://copybot.pro/"))
    assert result.metrics == {"posts": 419919, "topics": 78550, "members": 59694}


def test_whos_online_total_is_the_first_number():
    result = mybb.extract(fixture_response("mybb/cs-joke-pl-index.html", "http://cs-joke.pl/"))
    assert result.metrics["online_now"] == 120
    assert result.platform_version == "1.8.10"


def test_relative_last_post_without_current_time_gives_no_date():
    result = mybb.extract(fixture_response("mybb/cs-joke-pl-index.html", "http://cs-joke.pl/"))
    assert result.last_activity_at is None


def test_windows_1251_page_is_decoded_from_its_meta_charset():
    response = fixture_response(
        "mybb/handmade-ru-windows-1251-index.html", "http://rybaki.example.ru/", {"Content-Type": "text/html"}
    )
    result = mybb.extract(response)
    assert result.metrics["members"] == 3210
    assert result.last_activity_at == "2018-03-20T10:15:00+00:00"


def test_stats_lines_need_the_two_then_one_structure():
    body = (
        '<html><head><script>var my_post_key = "x";</script></head><body><table><tr><td class="trow1">'
        '<span class="smalltext">Top 10 posters this week: 5 posts, 3 threads</span></td></tr></table></body></html>'
    )
    assert mybb.extract(make_response(body, "https://mybb.example/")).metrics == {}


def _pack_page(language: str) -> str:
    """A MyBB board index written with one pack's own statistics and who-is-online phrases."""
    phrases = {key: values[-1] for key, values in packs.pack("mybb")["packs"][language]["phrases"].items()}

    def fill(key: str, *values: object) -> str:
        text = phrases[key]
        for index, value in enumerate(values, 1):
            text = text.replace(f"{{{index}}}", str(value))
        return text

    online = fill("online_note", 120, phrases["online_online_plural"], 15, 3, phrases["online_member_plural"], 0,
                  phrases["online_anon_plural"], 117, phrases["online_guest_plural"])  # fmt: skip
    return (
        f'<html lang="{language}"><head><script>var my_post_key = "x";</script></head><body><table>'
        '<tr><td class="tcat"><strong>?</strong> [<a href="online.php">…</a>]</td></tr>'
        f'<tr><td class="trow1"><span class="smalltext">{online}<br /><a href="member.php?uid=1">n</a></span></td></tr>'
        '<tr><td class="tcat"><strong>?</strong></td></tr><tr><td class="trow1"><span class="smalltext">'
        f"{fill('stats_posts_threads', '145,397', '24,720')}<br />{fill('stats_numusers', '100,715')}<br />"
        '<a href="member.php?uid=2">n</a></span></td></tr></table></body></html>'
    )


@pytest.mark.parametrize("language", sorted(packs.pack("mybb")["packs"]))
def test_every_pack_board_index_is_read(language):
    # MyBB prints "145,397" with its own default separators on Spanish, French, Polish, Russian boards.
    result = mybb.extract(make_response(_pack_page(language), "https://board.example/index.php"))
    assert result.metrics == {"posts": 145397, "topics": 24720, "members": 100715, "online_now": 120}
    assert result.evidence["online_now"].snippet.endswith("[members 3, guests 117, hidden 0]")
