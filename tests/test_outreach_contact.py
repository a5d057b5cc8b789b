"""Contact pages and addresses: role addresses only, never a person's; about/contact/imprint links."""

from __future__ import annotations

import json

import pytest

from crawler.normalize.privacy import role_address
from crawler.outreach.contact import addresses_in_text, page_kind
from crawler.platforms import generic
from tests.conftest import make_response


@pytest.mark.parametrize(
    "address",
    [
        "contact@club.example", "Info@Club.Example", "hello@club.example", "team@club.example",
        "bonjour@club.example", "kontakt@verein.example", "hola@club.example",
        "secretariat@asso.example", "partenariat@asso.example",
    ],
)  # fmt: skip
def test_role_addresses_are_kept(address):
    assert role_address(address) == address.lower()
    assert role_address(address, ["www." + address.split("@")[1]]) == address.lower()


def test_a_role_address_must_be_at_the_sites_or_operators_domain():
    assert role_address("contact@club.example", ["forum.club.example"]) == "contact@club.example"
    assert role_address("contact@hosting.example", ["forum.club.example"]) is None
    assert role_address("contact@asso.example", ["forum.club.example", "asso.example"]) == "contact@asso.example"


@pytest.mark.parametrize(
    "address",
    [
        "marie.dupont@club.example",  # firstname.lastname
        "m.dupont@club.example",
        "jdupont@club.example",
        "daniel@club.example",  # a first name is a person
        "contact@gmail.com",  # a personal webmail, whatever the local part
        "info@gmx.de",
        "hello@outlook.fr",
        "bonjour@free.fr",
        "contact.marie.dupont@club.example",  # role word, then a person
        # The red team's addresses (issue 15): a +tag or a second token names a person.
        "kontakt+jonas.becker@club.example",
        "contact.dupont@club.example",
        "hello.marie@club.example",
        "admin-mueller@club.example",
        "team.annaschmidt@club.example",
        "info.lyon@club.example",
        "contact+tandem@club.example",
        "info@gmail.co.uk",
        "contact@yahoo.com.br",
        "hello@hotmail.de",  # webmail brands under any suffix
        "not-an-address",
        "contact@localhost",
        "contact@club.example@evil.example",
    ],
)
def test_personal_or_broken_addresses_are_dropped(address):
    assert role_address(address) is None


def test_obfuscated_addresses_are_read():
    text = "E-Mail: info [at] sprachbruecke [punkt] example · contact(at)club(dot)example · hola @ club.example"
    assert [address for address, _ in addresses_in_text(text)] == [
        "info@sprachbruecke.example", "contact@club.example", "hola@club.example",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("url", "kind"),
    [
        ("https://x.example/a-propos", "about"),
        ("https://x.example/qui-sommes-nous/", "about"),
        ("https://x.example/ueber-uns", "about"),
        ("https://x.example/wiki/Project:About", "about"),
        ("https://x.example/wiki/Wikipedia:About", "about"),
        ("https://x.example/impressum", "imprint"),
        ("https://x.example/mentions-legales.html", "imprint"),
        ("https://x.example/aviso-legal", "imprint"),
        ("https://x.example/kontakt", "contact"),
        ("https://x.example/contatti", "contact"),
        ("https://x.example/memberlist.php?mode=contactadmin", "contact"),
        ("https://x.example/", None),
        ("https://x.example/viewtopic.php?t=12", None),
    ],
)
def test_page_kind(url, kind):
    assert page_kind(url) == kind


def test_links_inside_posts_and_to_other_sites_are_not_the_sites_pages():
    html = """<html lang="en"><body>
    <div class="post"><a href="/contact">Contact</a> <a href="mailto:info@club.example">me</a></div>
    <footer><a href="https://other.example/about">About</a> <a href="/about-us">About us</a>
    <a href="mailto:someone@gmail.com">Mail</a></footer></body></html>"""
    result = generic.extract_page_signals(make_response(html, "https://club.example/"))
    assert result.about_url == "https://club.example/about-us"
    assert result.contact_url is None and result.contact_email is None


def test_an_address_on_the_sites_own_domain_wins():
    html = """<html lang="en"><body><footer><a href="mailto:info@hosting.example">Host</a>
    <a href="mailto:contact@club.example">Write to us</a></footer></body></html>"""
    result = generic.extract_page_signals(make_response(html, "https://www.club.example/"))
    assert result.contact_email == "contact@club.example"
    # The link's text is never kept: it is often a person's name.
    assert result.evidence["contact_email"].snippet == "mailto link to the role address 'contact'"


def test_mailto_link_text_and_addresses_of_people_are_never_kept():
    html = """<html lang="de"><body><footer>
    <a href="mailto:kontakt+jonas.becker@verein.example">Schreib uns</a>
    <a href="mailto:info@verein.example">Marie Dupont (Präsidentin)</a>
    Tel. +49 30 1234 5678</footer></body></html>"""
    result = generic.extract_page_signals(make_response(html, "https://verein.example/"))
    assert result.contact_email == "info@verein.example"
    blob = json.dumps(result.to_json(), ensure_ascii=False)
    for personal in ("Marie", "Dupont", "Präsidentin", "jonas", "becker", "1234 5678"):
        assert personal not in blob, personal


def test_an_address_only_at_another_domain_is_not_the_sites():
    html = """<html lang="en"><body><footer><a href="mailto:info@hosting.example">Host</a></footer></body></html>"""
    assert generic.extract_page_signals(make_response(html, "https://club.example/")).contact_email is None
