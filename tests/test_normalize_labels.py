"""Exact-value tests for crawler.normalize.labels: statistics labels to harmonised metrics."""

from __future__ import annotations

import re

import pytest

from crawler.extraction import METRICS
from crawler.normalize.labels import label_pattern, metric_for_label

LABELS = [
    # members
    ("Total members", "members"),
    ("Members", "members"),
    ("Registered users", "members"),
    ("Membres", "members"),
    ("Nombre total de membres", "members"),
    ("Mitglieder", "members"),
    ("Mitglieder insgesamt", "members"),
    ("Benutzer", "members"),
    ("Registrierte Benutzer", "members"),
    ("Miembros", "members"),
    ("Usuarios registrados", "members"),
    ("Miembros totales", "members"),
    ("Membri", "members"),
    ("Utenti", "members"),
    ("Utenti totali", "members"),
    ("Membros", "members"),
    ("Usuários", "members"),
    ("Total de membros", "members"),
    ("Leden", "members"),
    ("Gebruikers", "members"),
    ("Totaal aantal leden", "members"),
    ("Użytkownicy", "members"),
    ("Członkowie", "members"),
    ("Łącznie użytkowników", "members"),
    ("Пользователи", "members"),
    ("Участники", "members"),
    ("Всего пользователей", "members"),
    ("Felhasználók száma", "members"),
    ("Celkem uživatelů", "members"),
    ("Medlemmar", "members"),
    ("Toplam üye", "members"),
    # posts
    ("Posts", "posts"),
    ("Total posts", "posts"),
    ("Messages", "posts"),
    ("Messages publiés", "posts"),
    ("Beiträge", "posts"),
    ("Beiträge insgesamt", "posts"),
    ("Mensajes", "posts"),
    ("Mensajes totales", "posts"),
    ("Messaggi", "posts"),
    ("Messaggi totali", "posts"),
    ("Mensagens", "posts"),
    ("Total de mensagens", "posts"),
    ("Berichten", "posts"),
    ("Totaal aantal berichten", "posts"),
    ("Posty", "posts"),
    ("Łącznie postów", "posts"),
    ("Сообщения", "posts"),
    ("Всего сообщений", "posts"),
    ("Hozzászólások száma", "posts"),
    ("Összes hozzászólás", "posts"),
    ("Celkem příspěvků", "posts"),
    ("Totalt antal inlägg", "posts"),
    ("Toplam mesaj", "posts"),
    # topics
    ("Threads", "topics"),
    ("Topics", "topics"),
    ("Total topics", "topics"),
    ("Discussions", "topics"),
    ("Sujets", "topics"),
    ("Themen", "topics"),
    ("Temas", "topics"),
    ("Temas totales", "topics"),
    ("Discussioni", "topics"),
    ("Argomenti", "topics"),
    ("Argomenti totali", "topics"),
    ("Tópicos", "topics"),
    ("Onderwerpen", "topics"),
    ("Tematy", "topics"),
    ("Wątki", "topics"),
    ("Łącznie tematów", "topics"),
    ("Темы", "topics"),
    ("Всего тем", "topics"),
    ("Témák száma", "topics"),
    ("Ämnen", "topics"),
    ("Konular", "topics"),
    # online
    ("Users online", "online_now"),
    ("Online", "online_now"),
    ("Online now", "online_now"),
    ("Membres en ligne", "online_now"),
    ("Benutzer online", "online_now"),
    ("Usuarios en línea", "online_now"),
    ("Utenti online", "online_now"),
    ("Сейчас на форуме", "online_now"),
    # other metrics
    ("Comments", "comments"),
    ("Kommentare", "comments"),
    ("Articles", "articles"),
    ("Content pages", "articles"),
    ("Pages", "pages"),
    ("Edits", "edits"),
    ("Communities", "communities"),
    # windowed activity only when the window is named
    ("Active users (30 days)", "active_users_30d"),
    ("Monthly active users", "active_users_30d"),
    ("Active users (last 30 days)", "active_users_30d"),
    ("Members active in the last 30 days", "active_users_30d"),
    ("Aktive Benutzer (30 Tage)", "active_users_30d"),
    ("Utilisateurs actifs mensuels", "active_users_30d"),
    ("Usuarios activos mensuales", "active_users_30d"),
    ("Active users today", "active_users_1d"),
    ("Weekly active users", "active_users_7d"),
    ("Active users (half year)", "active_users_180d"),
    ("Users active in the past 6 months", "active_users_180d"),
    ("Posts (7 days)", "posts_7d"),
    ("Posts this month", "posts_30d"),
    ("Topics in the last 30 days", "topics_30d"),
]


@pytest.mark.parametrize(("label", "metric"), LABELS)
def test_metric_for_label(label: str, metric: str) -> None:
    assert metric_for_label(label) == metric


@pytest.mark.parametrize(
    "label",
    [
        "Total Members:",
        "TOTAL MEMBERS",
        "  total   members :  ",
        "Total\u00a0members:",
        "total-members",
        "Total members\u2009:",
        "total_members",
    ],
)
def test_case_punctuation_and_whitespace_insensitive(label: str) -> None:
    assert metric_for_label(label) == "members"


@pytest.mark.parametrize(
    ("label", "metric"),
    [
        ("Beitrage", "posts"),
        ("Usuarios", "members"),
        ("Topicos", "topics"),
        ("Lacznie postow", "posts"),
        ("Hozzaszolasok szama", "posts"),
        ("MITGLIEDER", "members"),
        ("ВСЕГО СООБЩЕНИЙ", "posts"),
    ],
)
def test_accent_insensitive(label: str, metric: str) -> None:
    assert metric_for_label(label) == metric


@pytest.mark.parametrize(
    "label",
    [
        "Active members",
        "Aktive Benutzer",
        "Active users",
        "New members (30 days)",
        "Active topics (7 days)",
        "Users online (last 24 hours)",
        "Newest member",
        "Latest member",
        "Most users ever online",
        "Who is online",
        "Guests",
        "Latest post",
        "garbage",
        "",
        "   ",
        ":",
        "x" * 10_000,
    ],
)
def test_unknown_or_unwindowed_labels(label: str) -> None:
    assert metric_for_label(label) is None


def test_non_string_label() -> None:
    assert metric_for_label(None) is None  # type: ignore[arg-type]


def test_language_hint_is_optional() -> None:
    assert metric_for_label("Messages", "fr") == "posts"
    assert metric_for_label("Mitglieder", "en") == "members"
    assert metric_for_label("Temas", "pt-BR") == "topics"


def test_every_result_is_a_known_metric() -> None:
    for label, _ in LABELS:
        assert metric_for_label(label) in METRICS


def test_label_pattern_matches_labels_in_text() -> None:
    members = label_pattern("members")
    assert isinstance(members, re.Pattern)
    assert members.search("Mitglieder insgesamt 67").group(0) == "Mitglieder"
    assert members.search("Łącznie użytkowników 67").group(0) == "użytkowników"
    assert members.search("TOTAL MEMBERS: 5").group(0) == "MEMBERS"
    assert members.search("Usuarios registrados: 5").group(0) == "Usuarios registrados"
    # Word boundaries: no match inside a longer word.
    assert members.search("Remembers") is None
    assert members.search("membership") is None


def test_label_pattern_accents_and_spaces() -> None:
    posts = label_pattern("posts")
    assert posts.search("Beitrage: 5") is not None
    assert posts.search("Beiträge: 5") is not None
    active = label_pattern("active_users_30d")
    assert active.search("Monthly\u00a0 active users: 5") is not None
    online = label_pattern("online_now")
    assert online.search("Users online: 12").group(0) == "Users online"


def test_label_pattern_every_metric() -> None:
    for metric in METRICS:
        assert isinstance(label_pattern(metric), re.Pattern)
    with pytest.raises(ValueError):
        label_pattern("not_a_metric")


def test_label_pattern_finds_nothing_in_large_text() -> None:
    # How long this takes is measured by bench/bench_hostile.py, not asserted here.
    pattern = label_pattern("posts")
    assert pattern.search("lorem ipsum " * 100_000) is None
    assert metric_for_label("lorem ipsum " * 900_000) is None
