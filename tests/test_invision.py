"""Invision Community: widgets found by data-blockID, rows cross-checked by label, records skipped."""

from __future__ import annotations

from crawler.platforms import invision
from tests.conftest import make_response


def row(label: str, number: str) -> str:
    return (
        f"<li class='ipsDataItem'><div class='ipsDataItem_main'><strong>{label}</strong></div>"
        f"<div class='ipsDataItem_stats'><span class='ipsDataItem_stats_number'>{number}</span></div></li>"
    )


def extract(forum_rows: str, member_rows: str, lang: str = "en-US"):
    body = (
        f'<html lang="{lang}"><body><script>var ipsSettings = {{cookie_prefix: "ips4_"}};</script>'
        f"<li data-blockID='app_forums_forumStatistics_x1'><ul>{forum_rows}</ul></li>"
        f"<li data-blockID='app_core_stats_y2'><ul>{member_rows}</ul></li></body></html>"
    )
    return invision.extract(make_response(body, "https://ips.example/"))


def test_localised_rows_by_structure():
    result = extract(
        row("Sujets", "171 424") + row("Messages", "1 091 044"),
        row("Membres", "51 073") + row("Record de connectés", "1 297"),
        lang="fr-FR",
    )
    assert result.metrics == {"topics": 171424, "posts": 1091044, "members": 51073}


def test_reordered_rows_follow_their_labels():
    result = extract(row("Total Posts", "1,091,044") + row("Total Topics", "171,424"), row("Total Members", "51,073"))
    assert result.metrics == {"topics": 171424, "posts": 1091044, "members": 51073}


def test_most_online_is_never_online_now():
    result = extract("", row("Total Members", "51,073") + row("Online", "1,297"))
    assert result.metrics == {"members": 51073}
