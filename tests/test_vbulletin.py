"""vBulletin: dt/dd pairs by label, vBadvanced order, names and unwindowed figures never read."""

from __future__ import annotations

from crawler.platforms import vbulletin
from tests.conftest import fixture_response, make_response


def test_vbadvanced_order_differs_and_top_poster_is_skipped():
    result = vbulletin.extract(
        fixture_response("vbulletin/seqanswers-vb3-vbadvanced-stats.html", "http://seqanswers.com/")
    )
    assert result.metrics == {"members": 77767, "topics": 39427, "posts": 171077}
    assert all("6,659" not in (ev.snippet or "") for ev in result.evidence.values())


def test_active_members_are_the_last_30_days():
    # vBulletin's activememberdays defaults to 30: "Active Members" is active_users_30d (issue 17).
    result = vbulletin.extract(fixture_response("vbulletin/dota2-dev-vb4-wgo-stats.html", "https://dota2.example/"))
    assert result.metrics["active_users_30d"] == 12583
    assert result.evidence["active_users_30d"].rule == "vbulletin.wgo_stats"


def test_a_known_label_is_never_renamed_by_position():
    # A style that prints posts first: the vB4 order would have stored the posts as topics.
    body = (
        '<html lang="es" id="vbulletin_html"><body><div id="wgo_stats"><dl><dt>Mensajes</dt><dd>474.796</dd>'
        "<dt>Temas</dt><dd>71.199</dd><dt>Miembros</dt><dd>57.471</dd><dt>Miembros activos</dt><dd>1.502</dd>"
        "</dl></div></body></html>"
    )
    result = vbulletin.extract(make_response(body, "https://vb.example/forum.php"))
    assert result.metrics == {"posts": 474796, "topics": 71199, "members": 57471, "active_users_30d": 1502}


def test_online_split_of_a_russian_board_goes_into_the_evidence():
    body = (
        '<html lang="ru" id="vbulletin_html"><body><div><a href="online.php">Сейчас на форуме</a>: 76 '
        "(2 участников и 74 гостей)</div></body></html>"
    )
    result = vbulletin.extract(make_response(body, "https://vb.example/forum.php"))
    assert result.metrics == {"online_now": 76}
    assert "members 2, guests 74" in result.evidence["online_now"].snippet


def test_a_custom_skin_without_credit_is_recognised_by_its_scripts_and_token():
    body = (
        '<html><head><script src="clientscript/vbulletin_global.js?v=387"></script></head><body>'
        '<form><input type="hidden" name="securitytoken" value="guest"></form></body></html>'
    )
    assert vbulletin.detect(make_response(body, "https://custom.example/"))


def test_unknown_labels_fall_back_to_the_vb4_order():
    body = (
        '<html lang="xx" id="vbulletin_html"><body><div id="wgo_stats"><dl><dt>Aaa</dt><dd>71,199</dd>'
        "<dt>Bbb</dt><dd>474,796</dd><dt>Ccc</dt><dd>57,471</dd></dl></div></body></html>"
    )
    result = vbulletin.extract(make_response(body, "https://vb.example/forum.php"))
    assert result.metrics == {"topics": 71199, "posts": 474796, "members": 57471}


def test_blog_statistics_are_not_forum_statistics():
    result = vbulletin.extract(
        fixture_response("vbulletin/quiltingboard-vb4-forumhome.html", "https://www.quiltingboard.com/forum.php")
    )
    assert result.metrics == {"topics": 259950, "posts": 7448181, "members": 120387}


def test_versions():
    page = '<html id="vbulletin_html"><head><script>var SIMPLEVERSION = "{v}";</script></head></html>'
    assert vbulletin.extract(make_response(page.format(v="425"), "https://vb.example/")).platform_version == "4.2.5"
    generator = '<html><head><meta name="generator" content="vBulletin 3.8.11" /></head><body id="x"></body></html>'
    response = make_response(generator, "https://vb.example/")
    assert vbulletin.detect(response)
    assert vbulletin.extract(response).platform_version == "3.8.11"


def test_showthread_name_comes_from_the_logo():
    result = vbulletin.extract(
        fixture_response(
            "vbulletin/pocketpc-vb4-de-showthread.html",
            "https://www.pocketpc.ch/windows-phone-7-allgemein/122760-x-34.html",
            {"Content-Type": "text/html"},
        )
    )
    assert result.name == "PocketPC.ch"
    assert result.metrics == {}


def test_number_before_label_in_a_vb3_statistics_block():
    # Issue 17: "<number> Mensajes / Respuestas" was not read.
    body = (
        '<html lang="es"><body><div id="collapseobj_forumhome_stats"><div>Temas: 12.910, '
        "654.221 Mensajes / Respuestas, 1.682 Miembros</div></div>"
        '<script src="clientscript/vbulletin_global.js"></script></body></html>'
    )
    result = vbulletin.extract(make_response(body, "https://vb.example/index.php"))
    assert result.metrics == {"topics": 12910, "posts": 654221, "members": 1682}
    assert result.evidence["posts"].snippet == "654.221 Mensajes"


VB3_RU = (
    '<html dir="ltr" lang="ru"><head><meta name="generator" content="vBulletin 3.8.7" /></head><body><table>'
    '<tbody><tr><td class="thead" colspan="2"><a href="online.php">Пользователи онлайн</a>: 1 076 '
    "(52 пользователей и 1 024 гостей)</td></tr></tbody>"
    '<tbody id="collapseobj_forumhome_stats"><tr><td class="alt1"><div class="smallfont">'
    "<div>Тем: 51 234, Сообщений: 1 212 345, Пользователей: 67 890</div>"
    '<div>Добро пожаловать новому пользователю, <a href="member.php?u=2">имя</a></div></div></td></tr></tbody>'
    "</table></body></html>"
)
VB4_ES = (
    '<html dir="ltr" lang="es" id="vbulletin_html"><head></head><body>'
    '<div id="wgo_onlineusers" class="wgo_subblock section"><h3 class="blocksubhead"><a href="online.php">'
    "Usuarios en línea</a>: 313 (12 miembros y 301 visitantes)</h3></div>"
    '<div id="wgo_stats" class="wgo_subblock section"><h3 class="blocksubhead">Estadísticas de Foro</h3><div><dl>'
    "<dt>Temas</dt><dd>71.199</dd><dt>Mensajes</dt><dd>474.796</dd><dt>Miembros</dt><dd>57.471</dd>"
    "<dt>Miembros activos</dt><dd>1.502</dd></dl></div></div></body></html>"
)


def test_russian_vb3_forumhome_with_space_grouped_numbers():
    result = vbulletin.extract(make_response(VB3_RU, "https://vb.example/index.php"))
    assert result.metrics == {"topics": 51234, "posts": 1212345, "members": 67890, "online_now": 1076}
    assert result.evidence["online_now"].snippet.endswith("[members 52, guests 1024]")
    assert "имя" not in str(result.to_json())


def test_spanish_vb4_home():
    result = vbulletin.extract(make_response(VB4_ES, "https://vb.example/forum.php"))
    assert result.metrics == {
        "topics": 71199, "posts": 474796, "members": 57471, "active_users_30d": 1502, "online_now": 313,
    }  # fmt: skip
    assert result.evidence["online_now"].snippet.endswith("[members 12, guests 301]")
