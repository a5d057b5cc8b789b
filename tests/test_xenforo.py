"""XenForo: class names over localised labels, records and poster counts never read as metrics."""

from __future__ import annotations

from crawler.platforms import xenforo
from tests.conftest import fixture_response, make_response

XF2 = '<html id="XF" lang="{lang}" data-app="public" data-cookie-prefix="xf_"><body>{body}</body></html>'


def extract(body: str, lang: str = "en-US", url: str = "https://xf.example/"):
    return xenforo.extract(make_response(XF2.format(lang=lang, body=body), url))


def test_user_record_is_not_online_now():
    result = xenforo.extract(fixture_response("xenforo/xf1-boardstats-user-record.html", "https://xf1.example/"))
    assert result.metrics == {"topics": 12617, "posts": 197750, "members": 21185}


def test_poster_message_counts_on_thread_pages_are_not_metrics():
    postbit = '<dl class="pairs pairs--justified"><dt>Beiträge</dt><dd>2.206</dd></dl>'
    assert extract(postbit * 3, lang="de-DE").metrics == {}


def test_german_numbers_in_count_classes():
    stats = (
        '<dl class="pairs pairs--justified count--threads"><dt>Themen</dt><dd>38.086</dd></dl>'
        '<dl class="pairs pairs--justified count--messages"><dt>Beiträge</dt><dd>1.240.772</dd></dl>'
        '<dl class="pairs pairs--justified count--users"><dt>Mitglieder</dt><dd>407.546</dd></dl>'
    )
    assert extract(stats, lang="de-DE").metrics == {"topics": 38086, "posts": 1240772, "members": 407546}


def test_online_statistics_widget_total_visitors():
    widget = (
        '<div class="block" data-widget-key="online_list_online_statistics" data-widget-definition="online_statistics">'
        "<dl><dt>Members online</dt><dd>12</dd></dl><dl><dt>Guests online</dt><dd>301</dd></dl>"
        "<dl><dt>Total visitors</dt><dd>313</dd></dl></div>"
    )
    assert extract(widget).metrics == {"online_now": 313}


def test_xf1_members_online_footnote():
    block = (
        '<div class="section membersOnline userList"><h3><a href="online/">Members Online Now</a></h3>'
        '<div class="footnote">Total: 1,234 (members: 56, guests: 1,100, robots: 78)</div></div>'
    )
    body = f'<html id="XenForo" lang="en-US"><body>{block}</body></html>'
    assert xenforo.extract(make_response(body, "https://xf1.example/")).metrics == {"online_now": 1234}


def test_unix_data_time_gives_last_activity():
    body = '<abbr class="DateTime" data-time="1521344747">Mar 17, 2018</abbr><span data-time="123">x</span>'
    assert extract(body).last_activity_at == "2018-03-18T03:45:47+00:00"


def test_every_row_of_a_widget_whose_rows_lost_their_class():
    # Issue 17: a XenForo 1 statistics widget read for one row of three (Spanish labels, no class).
    body = (
        '<html lang="es" id="XenForo"><body><div class="section"><div class="secondaryContent widget '
        'WidgetFramework_WidgetRenderer_Stats"><h3>Estadísticas del foro</h3><div class="pairsJustified">'
        '<dl class="discussionCount"><dt>Temas:</dt><dd>1.150</dd></dl>'
        "<dl><dt>Mensajes:</dt><dd>19.068</dd></dl>"
        "<dl><dt>Miembros:</dt><dd>3.488</dd></dl>"
        '<dl><dt>Último miembro:</dt><dd><a href="members/x.1/">x</a></dd></dl>'
        '</div></div></div><script src="js/xenforo/xenforo.js"></script></body></html>'
    )
    result = xenforo.extract(make_response(body, "https://xf.example/"))
    assert result.metrics == {"topics": 1150, "posts": 19068, "members": 3488}
    assert result.evidence["posts"].rule == "xenforo.stats_label"


def test_russian_xf1_board_stats_and_online_footnote():
    body = (
        '<html id="XenForo" lang="ru-RU"><body><div class="section"><div class="secondaryContent statsList" '
        'id="boardStats"><div class="pairsJustified"><dl class="discussionCount"><dt>Темы:</dt><dd>12 345</dd></dl>'
        '<dl class="messageCount"><dt>Сообщения:</dt><dd>678 901</dd></dl><dl class="memberCount">'
        "<dt>Пользователи:</dt><dd>23 456</dd></dl></div></div></div>"
        '<div class="section membersOnline userList"><div class="secondaryContent"><ol class="listInline"><li>'
        '<a href="members/y.2/">имя</a></li></ol><div class="footnote">Всего: 313 (пользователей: 12, гостей: 301)'
        "</div></div></div></body></html>"
    )
    result = xenforo.extract(make_response(body, "https://xf.example/"))
    assert result.metrics == {"topics": 12345, "posts": 678901, "members": 23456, "online_now": 313}
