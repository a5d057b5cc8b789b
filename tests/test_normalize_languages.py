"""Exact-value tests for crawler.normalize.languages: tags, detection, content languages."""

from __future__ import annotations

import pytest

from crawler.normalize.languages import content_languages, detect_language, normalize_tag

POLISH = (
    "Witamy na forum miłośników kotów. Zapraszamy do dyskusji o zdrowiu, żywieniu i pielęgnacji "
    "naszych pupili. Przeczytaj regulamin forum, zanim napiszesz pierwszy post."
)
ENGLISH = (
    "Welcome to the cat lovers forum. Please discuss the health, food and grooming of your pets "
    "here, and read the board rules before you write your first post."
)
FRENCH = (
    "Bienvenue sur le forum des amoureux des chats. Ici on parle de santé, de nourriture et de "
    "toilettage, et on lit le règlement avant de publier son premier message."
)
GERMAN = (
    "Willkommen im Katzenforum! Hier findest du alles rund um Gesundheit, Ernährung und Pflege "
    "deiner Lieblinge. Bitte lies die Forenregeln, bevor du deinen ersten Beitrag schreibst."
)
SPANISH = (
    "Bienvenidos al foro de amantes de los gatos. Aquí hablamos de salud, alimentación y cuidado "
    "de nuestras mascotas; lee las normas antes de escribir tu primer mensaje."
)
RUSSIAN = (
    "Добро пожаловать на форум любителей кошек. Здесь обсуждают здоровье, питание и уход за "
    "питомцами. Прочитайте правила форума перед первым сообщением."
)
JAPANESE = "猫好きのためのフォーラムへようこそ。健康、食事、お手入れについて話し合いましょう。猫の写真も歓迎です。"
CHINESE = "欢迎来到爱猫论坛，这里讨论猫咪的健康、饮食和护理问题，欢迎分享你家猫咪的照片和故事。"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("en-gb", "en-GB"),
        ("en_US", "en-US"),
        ("EN-us", "en-US"),
        ("pt_BR", "pt-BR"),
        ("iw", "he"),
        ("in", "id"),
        ("ji", "yi"),
        ("EN", "en"),
        ("en", "en"),
        ("en-uk", "en-GB"),
        ("eng", "en"),
        ("zh-Hans-CN", "zh-Hans-CN"),
        ("zh_TW", "zh-TW"),
        ("es-419", "es-419"),
        ("es-ES_tradnl", "es-ES"),
        ("fr_FR.UTF-8", "fr-FR"),
        ("de_DE@euro", "de-DE"),
        ("  de  ", "de"),
        ("English", "en"),
        ("english", "en"),
        ("Français", "fr"),
        ("Deutsch", "de"),
        ("Español", "es"),
        ("Polski", "pl"),
        ("Nederlands", "nl"),
        ("Русский", "ru"),
        ("日本語", "ja"),
        ("Português (Brasil)", "pt"),
    ],
)
def test_normalize_tag(value: str, expected: str) -> None:
    assert normalize_tag(value) == expected


@pytest.mark.parametrize(
    "value",
    [
        "und",
        "",
        "   ",
        "garbage",
        "x-default",
        "qaa",
        "xx",
        "zz-ZZ",
        "en-",
        "-en",
        "123",
        "C",
        "hello world",
        "\x00en",
        "a" * 10_000,
        "mul",
        "zxx",
    ],
)
def test_normalize_tag_rejects(value: str) -> None:
    assert normalize_tag(value) is None


def test_normalize_tag_non_string() -> None:
    assert normalize_tag(None) is None  # type: ignore[arg-type]
    assert normalize_tag(42) is None  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (POLISH, "pl"),
        (ENGLISH, "en"),
        (FRENCH, "fr"),
        (GERMAN, "de"),
        (SPANISH, "es"),
        (RUSSIAN, "ru"),
        (JAPANESE, "ja"),
        (CHINESE, "zh"),
    ],
)
def test_detect_language(text: str, expected: str) -> None:
    assert detect_language(text) == expected


@pytest.mark.parametrize("text", ["", "Hello world", "Forum", "12345 67890 !!!", "   \n  ", "🐈" * 100])
def test_detect_language_too_short(text: str) -> None:
    assert detect_language(text) is None


def test_detect_language_non_string() -> None:
    assert detect_language(None) is None  # type: ignore[arg-type]


def test_detect_language_candidates() -> None:
    assert detect_language(POLISH, ["pl", "cs"]) == "pl"
    assert detect_language(POLISH, ["pl-PL"]) == "pl"
    # No candidate lingua knows: nothing to choose from.
    assert detect_language(POLISH, ["xx", "und"]) is None
    assert detect_language(GERMAN, ["Deutsch", "English"]) == "de"


def test_detect_language_reads_only_the_start() -> None:
    text = POLISH * 30 + ENGLISH * 300
    assert detect_language(text) == "pl"


def test_detect_language_reads_across_a_bilingual_text() -> None:
    # Two thirds of the first 3,000 characters are German: a sample of the start alone says English.
    text = (ENGLISH + " ") * 6 + (GERMAN + " ") * 14
    assert detect_language(text[:600]) == "en"
    assert detect_language(text) == "de"


def test_content_languages_confirms_or_overrules_the_declaration() -> None:
    # A text plainly in the declared language is confirmed from a short sample; one mostly in
    # another language is read in full and overrules it.
    assert content_languages(["de"], (GERMAN + " ") * 20) == (["de"], "declared")
    mostly_polish = (ENGLISH + " ") * 2 + (POLISH + " ") * 20
    assert content_languages(["en"], mostly_polish) == (["pl", "en"], "declared+detected")


def test_detect_language_answers_the_same_when_repeated() -> None:
    # The cost per call, warm, is measured by bench/bench_hostile.py, not asserted here.
    samples = [POLISH, ENGLISH, FRENCH, GERMAN, RUSSIAN, (ENGLISH + " ") * 40]
    first = [detect_language(sample) for sample in samples]
    assert first == ["pl", "en", "fr", "de", "ru", "en"]
    for _ in range(2):
        assert [detect_language(sample) for sample in samples] == first


def test_detect_language_huge_input() -> None:
    # How long this takes is measured by bench/bench_hostile.py, not asserted here.
    assert detect_language("x" * 10_000_000) is None
    assert detect_language(FRENCH + "x" * 10_000_000) == "fr"


def test_content_languages_declared_matches_text() -> None:
    assert content_languages(["fr_FR", "fr"], FRENCH) == (["fr-FR", "fr"], "declared")
    assert content_languages(["pl-PL"], POLISH) == (["pl-PL"], "declared")


def test_content_languages_wrong_declaration() -> None:
    # A Polish forum served with <html lang="en">.
    assert content_languages(["en"], POLISH) == (["pl", "en"], "declared+detected")
    # The matching declared tag moves up instead of a bare tag being added.
    assert content_languages(["en", "pl-PL"], POLISH) == (["pl-PL", "en"], "declared+detected")


def test_content_languages_nothing_declared() -> None:
    assert content_languages([], POLISH) == (["pl"], "detected")
    assert content_languages(["und", "x-default", ""], GERMAN) == (["de"], "detected")


def test_content_languages_nothing_known() -> None:
    assert content_languages([], "") == ([], "declared")
    assert content_languages([], "Forum index") == ([], "declared")


def test_content_languages_short_text_keeps_declaration() -> None:
    assert content_languages(["iw", "he"], "") == (["he"], "declared")
    assert content_languages(["en"], "Witamy na forum") == (["en"], "declared")


def test_content_languages_normalises_and_deduplicates() -> None:
    assert content_languages(["EN", "en", "en_GB", "English"], ENGLISH) == (["en", "en-GB"], "declared")


def test_no_network_during_detection(monkeypatch: pytest.MonkeyPatch) -> None:
    import socket

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("network access attempted")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    # Languages outside the default set force lingua to load models not loaded before.
    lithuanian = "Sveiki atvykę į kačių mylėtojų forumą. Čia kalbame apie sveikatą, maistą ir priežiūrą."
    assert detect_language(lithuanian, ["lt", "lv", "et"]) == "lt"
    assert detect_language(POLISH) == "pl"
    assert content_languages(["en"], POLISH) == (["pl", "en"], "declared+detected")
    assert normalize_tag("Lietuvių") == "lt"
