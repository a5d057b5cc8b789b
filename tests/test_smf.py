"""SMF: the info-center sentence read by number order in any language, latest member never read."""

from __future__ import annotations

import pytest

from crawler.normalize import packs
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


INFO_CENTRE_KEYS = ("posts_made", "in", "topics", "by", "members", "guests", "users")
PACKS_WITH_INFO_CENTRE = sorted(
    name for name, entry in packs.pack("smf")["packs"].items() if set(INFO_CENTRE_KEYS) <= set(entry["phrases"])
)


@pytest.mark.parametrize("language", PACKS_WITH_INFO_CENTRE)
def test_every_pack_info_centre_is_read(language):
    # The info centre and the who-is-online line written with one SMF pack's own words.
    words = {key: values[-1] for key, values in packs.pack("smf")["packs"][language]["phrases"].items()}
    line = f"1.234.567 {words['posts_made']} {words['in']} 45.678 {words['topics']} {words['by']} "
    line += f"9.012 {words['members']}."
    body = (
        f'<html lang="{packs.base_language(language)}"><head><script>var smf_theme_url = "x";</script></head><body>'
        f'<h4><a href="index.php?action=stats">?</a></h4><p>{line} <a href="index.php?action=profile;u=1">n</a></p>'
        f'<h4>?</h4><p><a href="index.php?action=who">74 {words["guests"]}, 6 {words["users"]}</a></p></body></html>'
    )
    result = smf.extract(make_response(body, "https://board.example/index.php"))
    assert result.metrics == {"posts": 1234567, "topics": 45678, "members": 9012, "online_now": 80}
    assert len(PACKS_WITH_INFO_CENTRE) >= 3
