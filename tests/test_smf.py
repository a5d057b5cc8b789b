"""SMF: the info-center sentence read by number order in any language, latest member never read."""

from __future__ import annotations

import pytest

from crawler.platforms import smf
from tests.conftest import make_response

PAGE = (
    '<html><head><script>var smf_scripturl = "https://smf.example/index.php";</script></head><body>'
    '<div id="upshrinkHeaderIC"><h4><a href="https://smf.example/index.php?action=stats">{head}</a></h4>'
    '<p>{sentence} <strong><a href="https://smf.example/index.php?action=profile;u=9">{member}</a></strong><br />'
    '{latest} <a href="https://smf.example/index.php?action=recent">Recent</a></p></div>{clock}</body></html>'
)


def extract(sentence: str, member: str = "Ann", latest: str = "", clock: str = "", head: str = "Forum Stats"):
    body = PAGE.format(sentence=sentence, member=member, latest=latest, clock=clock, head=head)
    return smf.extract(make_response(body, "https://smf.example/index.php"))


@pytest.mark.parametrize(
    "sentence",
    [
        "293239 Posts in 62088 Topics by 25798 Members. Latest Member:",
        "293.239 Beiträge in 62.088 Themen von 25.798 Mitgliedern. Neuestes Mitglied:",
        "293 239 Messages dans 62 088 Sujets par 25 798 Membres. Dernier membre :",
        "293239 Сообщений в 62088 Тем от 25798 Пользователей. Последний пользователь:",
    ],
)
def test_localised_sentences(sentence):
    assert extract(sentence).metrics == {"posts": 293239, "topics": 62088, "members": 25798}


def test_numeric_latest_member_is_not_read():
    result = extract("10 Posts in 2 Topics by", member="12345")
    assert result.metrics == {}


def test_posts_fewer_than_topics_is_not_the_stats_sentence():
    assert extract("5 Posts in 62 Topics by 7 Members. Latest Member:").metrics == {}


def test_today_needs_the_greeting_clock():
    latest = 'Latest Post: "Re: x" ( <strong>Today</strong> at 06:16:11 PM )<br />'
    sentence = "293239 Posts in 62088 Topics by 25798 Members. Latest Member:"
    assert extract(sentence, latest=latest).last_activity_at is None
    clock = '<div id="time">March 18, 2018, 08:41:02 PM</div>'
    assert extract(sentence, latest=latest, clock=clock).last_activity_at == "2018-03-18T18:16:11+00:00"
