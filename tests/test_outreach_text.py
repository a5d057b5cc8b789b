"""What a community says of itself in several languages: registration, price, meet-ups, languages practised."""

from __future__ import annotations

import pytest

from crawler.outreach.access import price_from_text, registration_from_text
from crawler.outreach.languages import language_tag
from crawler.outreach.meetups import cities_in
from crawler.platforms import generic
from tests.conftest import make_response


@pytest.mark.parametrize(
    ("text", "mode"),
    [
        ("Registration is by invitation only.", "invite"),
        ("Inscription uniquement sur invitation d’un membre.", "invite"),
        ("Die Anmeldung ist nur auf Einladung möglich.", "invite"),
        ("Registrations require approval by a moderator.", "approval"),
        ("Les inscriptions sont soumises à validation.", "approval"),
        ("Neue Konten müssen vom Team freigeschaltet werden.", "approval"),
        ("Los registros requieren aprobación.", "approval"),
        ("Registrations are currently closed.", "closed"),
        ("Les inscriptions sont fermées jusqu’en septembre.", "closed"),
        ("Die Registrierung ist derzeit geschlossen.", "closed"),
        ("Le registrazioni sono chiuse.", "closed"),
        ("Rejestracja jest zamknięta.", "closed"),
        ("Welcome to our forum!", None),
    ],
)
def test_registration_statements(text, mode):
    found = registration_from_text(text)
    assert (found[0] if found else None) == mode


@pytest.mark.parametrize(
    ("text", "model"),
    [
        ("Membership is free of charge.", "free"),
        ("L’adhésion est entièrement gratuite.", "free"),
        ("Die Teilnahme ist kostenlos.", "free"),
        ("Basic membership is free. Go Premium for $9.99 per month.", "freemium"),
        ("Inscription gratuite, compte Premium à 4,90 € par mois.", "freemium"),
        ("Plans from €12.99 per month.", "paid"),
        ("Abbonamento mensile a 9,99 € al mese.", "paid"),
        ("Feel free to ask questions about free software.", None),
        ("Cloud providers charge premium prices for memory.", None),
        ("Subscribe to our newsletter.", None),
    ],
)
def test_price_models(text, model):
    found = price_from_text(text)
    assert (found[0] if found else None) == model


@pytest.mark.parametrize(
    ("text", "cities"),
    [
        ("We meet every Thursday in Lyon.", ["Lyon"]),
        ("Our meet-ups in Paris, Lyon and Marseille are free.", ["Paris", "Lyon", "Marseille"]),
        ("Rencontres chaque semaine à Paris et à Lyon.", ["Paris", "Lyon"]),
        ("Wir treffen uns jeden Donnerstag in Frankfurt am Main im Café.", ["Frankfurt am Main"]),
        ("Nos reunimos cada viernes en Madrid y Sevilla.", ["Madrid", "Sevilla"]),
        ("Ci incontriamo ogni giovedì a Roma.", ["Roma"]),
        ("Ens trobem cada dijous a Girona.", ["Girona"]),
        ("Elke donderdag in Utrecht.", ["Utrecht"]),
        ("Meet-ups à Saint-Étienne et Aix-en-Provence.", ["Saint-Étienne", "Aix-en-Provence"]),
        ("Events in English every week.", None),  # a language is not a city
        ("Rencontres en France et en Belgique.", None),  # countries are not cities
        ("Online events on Zoom every week.", None),
    ],
)
def test_meetup_cities(text, cities):
    found = cities_in(text)
    assert (found[0] if found else None) == cities


@pytest.mark.parametrize(
    ("text", "tag"),
    [
        ("Català", "ca"), ("Katalanisch", "ca"), ("catalan", "ca"), ("Le catalan", "ca"), ("Forum français", "fr"),
        ("English corner", "en"), ("Angielski", "en"), ("Inglés", "en"), ("中文", "zh"), ("Русский", "ru"),
        ("Paris", None), ("Thursday", None), ("Lyon", None), ("Grammar", None), ("Presentaciones", None),
        ("de", None),
    ],
)  # fmt: skip
def test_strict_language_names(text, tag):
    assert language_tag(text) == tag


def test_language_codes_only_where_a_code_is_expected():
    assert language_tag("ca", allow_code=True) == "ca"
    assert language_tag("pt-BR", allow_code=True) == "pt"
    assert language_tag("ca") is None


def test_interface_language_menu_is_not_practised():
    html = """<html lang="en"><body><form><label for="ui">Language</label>
    <select id="ui" name="language" onchange="this.form.submit()"><option>English</option><option>Français</option>
    <option>Deutsch</option></select></form>
    <a hreflang="fr" href="/fr/">Français</a> <a hreflang="de" href="/de/">Deutsch</a></body></html>"""
    result = generic.extract_page_signals(make_response(html, "https://club.example/"))
    assert result.practised_languages == []


def test_statements_in_posts_of_a_thread_are_not_the_sites():
    html = """<html lang="en"><body><div class="post">Registrations are closed on my other forum. My app is
    free for a month, then premium! We meet every Thursday in Leeds.</div></body></html>"""
    result = generic.extract_page_signals(make_response(html, "https://forum.example/viewtopic.php?t=42"))
    assert (result.registration_mode, result.price_model, result.meetups) == (None, None, None)
