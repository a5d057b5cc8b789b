"""MyBB: boardstats lines by structure, the record line never online_now, relative dates need a clock."""

from __future__ import annotations

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
