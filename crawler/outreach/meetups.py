"""Meet-ups and events: whether a community meets (in person or online), and in which cities.

Sources: schema.org ``Event`` in JSON-LD (its ``location.address.addressLocality``; a
``VirtualLocation`` is an online event, no city); sentences of the page's own text and meta
description that tie a gathering word or a recurrence to a place: "meet-ups in Paris, Lyon and
Marseille", "every Thursday in Lyon", "rencontres chaque semaine à Paris", "jeden Donnerstag in
Berlin", "cada dijous a Girona", "ogni giovedì a Roma", "encuentros en Madrid"; otherwise a
gathering sentence without a place ("weekly online meet-ups", "ens trobem cada dijous") or a link
to the site's own events page (``/events``, ``/rencontres``, ``/veranstaltungen``, ``/agenda``).

A city is one to three capitalised words; languages ("in English"), weekdays, months, countries and
video-call services are not cities. Cities are kept as published, in order, at most 10.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import unquote, urlsplit

from crawler.extraction import ExtractionBuilder
from crawler.outreach.context import PageContext, search_at_keywords
from crawler.outreach.languages import fold, language_tag
from crawler.outreach.values import put, put_list

MAX_CITIES = 10

# Capitalised words even inside case-insensitive patterns: "Frankfurt am Main", "Saint-Étienne".
_CITY = (
    r"(?-i:[A-ZÀ-ÖØ-Þ][\w’'-]+(?:[ -](?:(?:am|an der|de|del|la|le|sur|en|upon|on|di|do|da)[ -])?"
    r"[A-ZÀ-ÖØ-Þ][\w’'-]+){0,2})"
)
_AND = r"(?:\s*[,;/&]\s*|\s+(?:et|and|und|y|e|i|ou|or|oder|o|of|oraz|en)\s+)(?:(?:à|a|au|in|en|im|em|w)\s+)?"
_CITIES = rf"(?P<cities>{_CITY}(?:{_AND}{_CITY}){{0,6}})"
_WEEKDAYS = (
    r"(?:mondays?|tuesdays?|wednesdays?|thursdays?|fridays?|saturdays?|sundays?|lundis?|mardis?|mercredis?|jeudis?"
    r"|vendredis?|samedis?|dimanches?|montags?|dienstags?|mittwochs?|donnerstags?|freitags?|samstags?|sonntags?"
    r"|lunes|martes|miércoles|jueves|viernes|sábados?|domingos?|lunedì|martedì|mercoledì|giovedì|venerdì|sabato"
    r"|domenica|dilluns|dimarts|dimecres|dijous|divendres|dissabtes?|diumenges?|segundas?|terças?|quartas?"
    r"|quintas?|sextas?|maandag|dinsdag|woensdag|donderdag|vrijdag|zaterdag|zondag|week|weeks|month|months"
    r"|weekend|semaine|mois|week-end|Woche|Monat|Wochenende|semana|mes|settimana|mese|setmana|maand)"
)
_GATHERING = (
    r"(?:meet-?ups?|meetings?|gatherings?|language (?:caf[eé]s?|exchange evenings?|exchanges? nights?)|socials?"
    r"|events?|we meet|rencontres?|soirées?|réunions?|apéros?|cafés? (?:linguistiques?|des langues)"
    r"|événements?|evenements?|on se retrouve|nous nous retrouvons|rendez-vous|Treffen|Stammtisch\w*|Sprachcaf[eé]s?"
    r"|Sprachtreff\w*|Veranstaltungen|wir treffen uns|encuentros?|quedadas?|nos reunimos|nos encontramos"
    r"|intercambios presenciales|eventos?|incontri|ci incontriamo|ci vediamo|aperitivi linguistici|eventi"
    r"|trobades|ens trobem|quedades|xerrades|encontros?|spotkania|spotykamy się|bijeenkomsten|we ontmoeten elkaar"
    r"|taalcaf[eé]s?)"
)
_IN = r"(?:in|at|à|au|aux|en|im|a|em|no|na|w|we|ad)"
_PLACE_RES = (
    ("outreach.meetups.recurring_text", re.compile(
        rf"\b(?:every|each|chaque|tous les|toutes les|jeden|jede|jedes|cada|todos los|todas las|ogni|tutti i"
        rf"|toda|todo|co|elke|iedere)\s+(?:\w+\s+)?{_WEEKDAYS}\b[^.!?\n]{{0,40}}?\b{_IN}\s+{_CITIES}", re.I)),
    ("outreach.meetups.gathering_text", re.compile(
        rf"\b{_GATHERING}\b[^.!?\n:]{{0,60}}?\b{_IN}\s+{_CITIES}", re.I)),
)  # fmt: skip
_GATHERING_RE = re.compile(
    rf"\b(?:(?:weekly|monthly|regular|online|local|in-person|hebdomadaires?|mensuelles?|régulières?|en ligne"
    rf"|wöchentliche|monatliche|regelmäßige|semanales|mensuales|settimanali|mensili|setmanals)\s+{_GATHERING}"
    rf"|{_GATHERING}\s+(?:every|each|chaque|tous les|jeden|cada|ogni|toda)\s+(?:\w+\s+)?{_WEEKDAYS}"
    rf"|(?:every|each|chaque|tous les|jeden|cada|ogni|toda)\s+(?:\w+\s+)?{_WEEKDAYS}\b[^.!?\n]{{0,30}}?{_GATHERING}"
    rf"|ens trobem cada \w+|nous nous retrouvons|on se retrouve chaque|wir treffen uns|nos reunimos cada"
    rf"|ci incontriamo ogni)\b",
    re.I,
)
_EVENT_SLUGS = frozenset(
    {
        "events", "event", "meetups", "meetup", "meet-ups", "evenements", "rencontres", "agenda", "calendrier",
        "veranstaltungen", "treffen", "termine", "stammtisch", "eventos", "encuentros", "quedadas", "eventi",
        "incontri", "trobades", "agenda-d-activitats", "spotkania", "bijeenkomsten", "evenementen", "encontros",
    }
)  # fmt: skip
_EVENT_TEXT_RE = re.compile(
    r"^(?:events|meet-?ups|our meet-?ups|événements|evenements|rencontres|nos rencontres|agenda|veranstaltungen"
    r"|treffen|termine|stammtisch|eventos|encuentros|quedadas|eventi|incontri|trobades|spotkania|bijeenkomsten"
    r"|evenementen|encontros)$",
    re.I,
)
_NOT_CITIES = frozenset(
    fold(word)
    for word in (
        "Zoom", "Skype", "Discord", "Jitsi", "Teams", "Google", "Meet", "Internet", "Web", "Online", "Telegram",
        "WhatsApp", "Facebook", "Instagram", "Twitch", "YouTube", "Europe", "Europa", "France", "Frankreich",
        "Francia", "Deutschland", "Germany", "Allemagne", "Alemania", "Germania", "España", "Spain", "Espagne",
        "Spanien", "Spagna", "Italia", "Italy", "Italie", "Italien", "Belgique", "Belgium", "Belgien", "Schweiz",
        "Suisse", "Switzerland", "Svizzera", "Österreich", "Austria", "Autriche", "Portugal", "Brasil", "Brazil",
        "Brésil", "Canada", "Kanada", "Polska", "Poland", "Pologne", "Nederland", "Netherlands", "Pays-Bas",
        "UK", "USA", "Catalunya", "Catalonia", "Catalogne", "Mexico", "México", "Argentina", "Japan", "Japon",
        "Africa", "Afrique", "Asia", "Asie", "America", "Amérique", "Person", "Persona", "Personne", "January",
        "February", "March", "April", "May", "June", "July", "August", "September", "October", "November",
        "December", "Janvier", "Février", "Mars", "Avril", "Mai", "Juin", "Juillet", "Août", "Septembre",
        "Octobre", "Novembre", "Décembre", "The", "Our", "Your", "La", "Le", "Les", "Der", "Die", "Das", "El",
    )
)  # fmt: skip
_SPLIT_RE = re.compile(_AND, re.I)
_RECURRENCE_KEYS = (
    "every", "each", "chaque", "tous les", "toutes les", "jeden", "jede", "cada", "todos los", "todas las", "ogni",
    "tutti i", "toda", "todo", "co ", "elke", "iedere",
)  # fmt: skip
_GATHERING_KEYS = (
    "meet", "gathering", "language caf", "social", "event", "rencontre", "soirée", "réunion", "apéro", "café",
    "événement", "evenement", "on se retrouve", "nous nous retrouvons", "rendez-vous", "treffen", "stammtisch",
    "sprachcaf", "sprachtreff", "veranstaltung", "wir treffen", "encuentro", "quedada", "nos reunimos",
    "nos encontramos", "intercambios presenciales", "evento", "incontri", "ci incontriamo", "ci vediamo",
    "aperitivi", "eventi", "trobades", "ens trobem", "quedades", "xerrades", "encontro", "spotkania", "spotykamy",
    "bijeenkomst", "we ontmoeten", "taalcaf",
)  # fmt: skip
_RHYTHM_KEYS = (
    "weekly", "monthly", "regular", "online", "local", "in-person", "hebdo", "mensuel", "régulièr", "en ligne",
    "wöchentlich", "monatlich", "regelmäßig", "semanal", "mensual", "settimanal", "mensil", "setmanal",
)  # fmt: skip
_KEYS = {
    "outreach.meetups.recurring_text": _RECURRENCE_KEYS,
    "outreach.meetups.gathering_text": _GATHERING_KEYS,
}


def _is_city(name: str) -> bool:
    words = name.split()
    if not words or len(name) > 40 or fold(words[0]) in _NOT_CITIES or fold(name) in _NOT_CITIES:
        return False
    if re.fullmatch(_WEEKDAYS, name, re.I):
        return False
    return language_tag(name) is None


def cities_in(text: str) -> tuple[list[str], str, str] | None:
    """``(cities, rule, snippet)`` from the first sentence tying a gathering to places, else None."""
    for rule, pattern in _PLACE_RES:
        position = 0
        while True:
            match = search_at_keywords(pattern, text[position:], _KEYS[rule])
            if match is None:
                break
            cities = [c.strip(" ,.;") for c in _SPLIT_RE.split(match.group("cities"))]
            cities = [c for c in cities if c and _is_city(c)]
            if cities:
                return cities[:MAX_CITIES], rule, match.group(0)[:160]
            position += match.end()
    return None


def _event_location(location: Any) -> tuple[str | None, bool]:
    """``(city, online)`` of a JSON-LD event location."""
    for place in location if isinstance(location, list) else [location]:
        if not isinstance(place, dict):
            continue
        if place.get("@type") == "VirtualLocation":
            return None, True
        address = place.get("address")
        if isinstance(address, dict) and isinstance(address.get("addressLocality"), str):
            return address["addressLocality"].strip() or None, False
    return None, False


def _jsonld_events(ctx: PageContext) -> tuple[list[str], str] | None:
    cities: list[str] = []
    names: list[str] = []
    for item in ctx.pg.jsonld:
        kind = item.get("@type")
        kinds = kind if isinstance(kind, list) else [kind]
        if not any(isinstance(k, str) and k.endswith("Event") for k in kinds):
            continue
        city, _ = _event_location(item.get("location"))
        names.append(str(item.get("name") or "Event")[:60])
        if city and city not in cities and _is_city(city):
            cities.append(city)
    if not names:
        return None
    return cities, f'schema.org Event ({len(names)}), "addressLocality": {", ".join(cities) or "none"}'


def _events_link(ctx: PageContext) -> str | None:
    for anchor in ctx.anchors:
        if not anchor.own:
            continue
        last = unquote(urlsplit(anchor.url).path).lower().rstrip("/").rsplit("/", 1)[-1]
        if re.sub(r"\.(?:php|html?)$", "", last) in _EVENT_SLUGS or (
            len(anchor.text) <= 30 and _EVENT_TEXT_RE.match(anchor.text)
        ):
            return f'<a href="{anchor.href[:100]}">{anchor.text[:40]}</a>'
    return None


def extract_meetups(builder: ExtractionBuilder, ctx: PageContext) -> None:
    """Record meet-up activity and the cities where the community meets, with evidence."""
    events = _jsonld_events(ctx)
    if events:
        put(builder, "meetups", True, "outreach.meetups.jsonld_event", events[1])
        if events[0]:
            put_list(builder, "meetup_cities", events[0], "outreach.meetups.jsonld_event", events[1])
            return
    text = ctx.prose
    found = cities_in(text)
    if found:
        put(builder, "meetups", True, found[1], found[2])
        put_list(builder, "meetup_cities", found[0], found[1], found[2])
        return
    match = search_at_keywords(_GATHERING_RE, text, _RHYTHM_KEYS + _GATHERING_KEYS + _RECURRENCE_KEYS)
    if match:
        snippet = text[max(0, match.start() - 30) : match.end() + 30]
        put(builder, "meetups", True, "outreach.meetups.gathering_text", snippet)
        return
    link = _events_link(ctx)
    if link:
        put(builder, "meetups", True, "outreach.meetups.events_link", link)
