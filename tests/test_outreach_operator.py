"""Operators: organisation names as published, their type, and never a person or a software vendor."""

from __future__ import annotations

import pytest

from crawler.outreach.operator import operator_type, organisation_name
from crawler.platforms import generic
from tests.conftest import make_response


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("Association Club des Polyglottes", "non_profit"),
        ("Sprachfreunde Berlin e.V.", "non_profit"),
        ("Tandem Bruxelles asbl", "non_profit"),
        ("Verein für Sprachaustausch", "non_profit"),
        ("Fundación Hablamos", "non_profit"),
        ("Stichting Taalcafé Utrecht", "non_profit"),
        ("Wikimedia Foundation", "non_profit"),
        ("Mastodon gGmbH", "non_profit"),
        ("Associazione Lingue Aperte", "non_profit"),
        ("LingoBoost GmbH", "company"),
        ("Tandem SAS", "company"),
        ("Mixopolis Ltd.", "company"),
        ("Babbel Inc", "company"),
        ("LinguaViva S.r.l.", "company"),
        ("Idiomas S.L.", "company"),
        ("Université Lumière Lyon 2", "university"),
        ("University of Eastbridge", "university"),
        ("Universitat de Girona", "university"),
        ("Collectif Langues Libres", "volunteer_group"),
        ("Firefish dev team", "volunteer_group"),
        ("Polyglot Club", None),
        ("Lingua Viva SA", "company"),
        ("Sans but lucratif", "non_profit"),
    ],
)
def test_operator_type(name, kind):
    assert operator_type(name) == kind


@pytest.mark.parametrize(
    ("raw", "name"),
    [
        ("Association Tandem Lyon – Tous droits réservés", "Association Tandem Lyon"),
        ("LingoBoost Ltd. All rights reserved.", "LingoBoost Ltd."),
        ("Sprachfreunde e.V. Alle Rechte vorbehalten", "Sprachfreunde e.V."),
        ("l’association Club des Polyglottes", "Association Club des Polyglottes"),
        ("Jean Dupont", None),  # a person
        ("M. Jean Dupont", None),
        ("phpBB Limited", None),  # the forum software's vendor, not the operator
        ("vBulletin Solutions Inc.", None),
        ("admin", None),
        ("contact@club.example Association", None),
    ],
)
def test_organisation_name(raw, name):
    assert organisation_name(raw) == name


def test_copyright_holder_that_is_the_site_itself_is_kept_with_unknown_type():
    html = """<html lang="en"><head><meta property="og:site_name" content="Mixopolis"></head>
    <body><footer>© 2026 Mixopolis. All rights reserved.</footer></body></html>"""
    result = generic.extract_page_signals(make_response(html, "https://mixopolis.example/"))
    assert (result.operator_name, result.operator_type) == ("Mixopolis", None)
    from crawler.outreach import finish

    assert finish(result).operator_type == "unknown"


def test_person_in_copyright_and_publication_director_are_not_stored():
    html = """<html lang="fr"><body><main><h1>Mentions légales</h1>
    <p>Directeur de la publication : Jean Dupont</p><p>Éditeur : Jean Dupont, 3 rue X, Paris</p></main>
    <footer>© 2026 Jean Dupont</footer></body></html>"""
    result = generic.extract_page_signals(make_response(html, "https://blog.example/mentions-legales"))
    assert result.operator_name is None and result.operator_type is None
    assert "Dupont" not in str(result.to_json())


def test_software_credit_is_not_an_operator():
    html = """<html lang="en"><body><div id="page-footer">Powered by phpBB® Forum Software © phpBB Limited
    <br>Style by Arty - © 2024 XenForo Ltd.</div></body></html>"""
    result = generic.extract_page_signals(make_response(html, "https://forum.example/"))
    assert result.operator_name is None
