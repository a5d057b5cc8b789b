"""The course designer's view of the sample web: about, contact and legal pages, operators, prices,
meet-ups, language pickers and course lists, and what the crawl must read from them.

Each :class:`SiteOutreach` holds the extra markup a site's pages print (homepage additions, footer
links, whole extra pages) and ``expect``: the outreach values the crawl must store for it (see
``truth.py``; a field absent from ``expect`` is not asserted). ``personal`` lists the people's names
and addresses these pages print, which must never be stored. Everything is fictional.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class SiteOutreach:
    """Outreach markup of one sample site and the values the crawl must read from it."""

    homepage_extra: str = ""  # body HTML added to a custom site's homepage
    header_extra: str = ""  # links added to a custom site's header (sign-up)
    footer_extra: str = ""  # links and text added to the homepage footer
    pages: dict[str, tuple[str, str]] = field(default_factory=dict)  # path -> (title, body HTML)
    discourse_settings: dict[str, bool] = field(default_factory=dict)  # preloaded site settings
    expect: dict[str, Any] = field(default_factory=dict)
    personal: tuple[str, ...] = ()
    members_flags: tuple[str, ...] | None = None  # count_flags expected on members (None: derived)


# Discourse site settings every sample forum preloads (the reader maps them to a registration mode).
DISCOURSE_DEFAULT_SETTINGS = {"allow_new_registrations": True, "invite_only": False, "must_approve_users": False}

OUTREACH: dict[str, SiteOutreach] = {
    "polyglottes-club.example": SiteOutreach(
        header_extra=' <a class="signup" href="/inscription">S’inscrire</a>',
        homepage_extra=(
            '<section class="tandem-search"><h2>Trouver un partenaire</h2><form action="/recherche" method="get">'
            '<label for="parle">Je parle</label> <select id="parle" name="langue_parlee">'
            '<option value="fr">français</option><option value="en">anglais</option>'
            '<option value="es">espagnol</option><option value="de">allemand</option>'
            '<option value="it">italien</option><option value="pt">portugais</option>'
            '<option value="he">hébreu</option></select> '
            '<label for="apprends">J’apprends</label> <select id="apprends" name="langue_apprise">'
            '<option value="eo">espéranto</option><option value="pl">polonais</option>'
            '<option value="fr">français</option><option value="en">anglais</option></select> '
            '<button type="submit">Chercher</button></form></section>'
            "<p>L’inscription est gratuite ; le compte Premium à 4,90 € par mois ajoute les corrections "
            "illimitées.</p>"
        ),
        footer_extra=' · <a href="/mentions-legales">Mentions légales</a>',
        pages={
            "/mentions-legales": (
                "Mentions légales – Club des Polyglottes",
                "<h1>Mentions légales</h1><p>Éditeur : Association Club des Polyglottes, association loi 1901, "
                "10 rue des Langues, 75011 Paris.</p><p>Directrice de la publication : Camille Rousseau.</p>"
                "<p>Contact : bonjour@polyglottes-club.example</p><p>Hébergement : Nuage Associatif, Lyon.</p>",
            ),
            "/contact": (
                "Contact – Club des Polyglottes",
                '<h1>Contact</h1><p>Une question, un partenariat ? <a href="mailto:bonjour@polyglottes-club.example">'
                "Écrivez-nous</a>.</p><p>Presse : Camille Rousseau "
                '(<a href="mailto:camille.rousseau@polyglottes-club.example">camille.rousseau@polyglottes-club.example'
                "</a>).</p>",
            ),
        },
        expect={
            "about_url": "https://polyglottes-club.example/about",
            "contact_url": "https://polyglottes-club.example/contact",
            "imprint_url": "https://polyglottes-club.example/mentions-legales",
            "contact_email": "bonjour@polyglottes-club.example",
            "operator_name": "Association Club des Polyglottes",
            "operator_type": "non_profit",
            "registration_mode": "open",
            "price_model": "freemium",
            "meetups": True,
            "meetup_cities": ["Paris", "Lyon"],
            "practised_languages": ["fr", "en", "es", "de", "it", "pt", "he", "eo", "pl"],
        },
        personal=("Camille Rousseau", "camille.rousseau@polyglottes-club.example"),
    ),
    "mixopolis.example": SiteOutreach(
        header_extra=' <a class="signup" href="/signup">Sign up</a>',
        homepage_extra=(
            '<form class="partner-finder" action="/partners" method="get">'
            '<label for="native">I speak</label> <select id="native" name="native_language">'
            "<option>English</option><option>Spanish</option><option>Japanese</option></select> "
            '<label for="target">I want to learn</label> <select id="target" name="target_language">'
            "<option>German</option><option>French</option><option>Portuguese</option><option>English</option>"
            "</select></form>"
            "<p>Basic membership is free. Go Premium for unlimited video calls: $9.99 per month.</p>"
            "<p>Online meetups every Sunday: practise with five partners in one hour.</p>"
        ),
        footer_extra=" · © 2026 Mixopolis Ltd. All rights reserved.",
        pages={
            "/contact": (
                "Contact Mixopolis",
                '<h1>Contact us</h1><p>Partnerships and press: <a href="mailto:hello@mixopolis.example">'
                "hello@mixopolis.example</a>. Our founder, Daniel Okafor, answers at daniel@mixopolis.example.</p>",
            ),
        },
        expect={
            "about_url": "https://mixopolis.example/about",
            "contact_url": "https://mixopolis.example/contact",
            "contact_email": "hello@mixopolis.example",
            "operator_name": "Mixopolis Ltd.",
            "operator_type": "company",
            "registration_mode": "open",
            "price_model": "freemium",
            "meetups": True,
            "meetup_cities": [],
            "practised_languages": ["en", "es", "ja", "de", "fr", "pt"],
        },
        personal=("Daniel Okafor", "daniel@mixopolis.example"),
    ),
    "lingoboost.example": SiteOutreach(
        header_extra=' <a class="signup" href="/signup">Start your trial</a>',
        homepage_extra=(
            '<h2>Our courses</h2><ul class="courses"><li><a href="/courses/spanish">Spanish</a></li>'
            '<li><a href="/courses/french">French</a></li><li><a href="/courses/german">German</a></li>'
            '<li><a href="/courses/italian">Italian</a></li><li><a href="/courses/japanese">Japanese</a></li></ul>'
            "<p>Plans from €12.99 per month. Cancel anytime.</p>"
        ),
        footer_extra=(
            ' · <a href="/imprint">Imprint</a> · <a href="mailto:info@lingoboost.example">info@lingoboost.example</a>'
        ),
        pages={
            "/imprint": (
                "Imprint – LingoBoost",
                "<h1>Imprint</h1><p>Operated by LingoBoost GmbH, Musterstraße 5, 10115 Berlin, Germany.</p>"
                "<p>Managing director: Petra Schulz.</p><p>Register court: Amtsgericht Charlottenburg.</p>",
            ),
        },
        expect={
            "about_url": "https://lingoboost.example/about",
            "contact_url": "https://lingoboost.example/contact",
            "imprint_url": "https://lingoboost.example/imprint",
            "contact_email": "info@lingoboost.example",
            "operator_name": "LingoBoost GmbH",
            "operator_type": "company",
            "registration_mode": "open",
            "price_model": "paid",
            "practised_languages": ["es", "fr", "de", "it", "ja"],
        },
        personal=("Petra Schulz",),
    ),
    "brieffreunde-tandem.example": SiteOutreach(
        header_extra=' <a class="signup" href="/registrieren">Jetzt registrieren</a>',
        homepage_extra="<p>Deutsch lernen und Französisch lernen per E-Mail: Die Mitgliedschaft ist kostenlos.</p>",
        footer_extra=' · <a href="/impressum">Impressum</a>',
        pages={
            "/impressum": (
                "Impressum – Brieffreunde-Tandem",
                "<h1>Impressum</h1><p>Angaben gemäß § 5 TMG</p><p>Herausgeber: Brieffreunde-Tandem e.V., "
                "Lindenstraße 12, 79098 Freiburg im Breisgau</p><p>Vertreten durch den Vorstand: Jonas Becker</p>"
                "<p>Kontakt: kontakt@brieffreunde-tandem.example, jonas.becker@brieffreunde-tandem.example</p>"
                "<p>Registergericht: Amtsgericht Freiburg, VR 700123</p>",
            ),
        },
        expect={
            "about_url": "https://brieffreunde-tandem.example/about",
            "contact_url": "https://brieffreunde-tandem.example/contact",
            "imprint_url": "https://brieffreunde-tandem.example/impressum",
            "contact_email": "kontakt@brieffreunde-tandem.example",
            "operator_name": "Brieffreunde-Tandem e.V.",
            "operator_type": "non_profit",
            "registration_mode": "open",
            "price_model": "free",
            "practised_languages": ["de", "fr"],
        },
        personal=("Jonas Becker", "jonas.becker@brieffreunde-tandem.example"),
    ),
    "xerrades-girona.test": SiteOutreach(
        homepage_extra="<p>El club està gestionat per voluntaris i l’entrada és gratuïta.</p>",
        expect={
            "operator_name": None,
            "operator_type": "volunteer_group",
            "price_model": "free",
            "meetups": True,
            "meetup_cities": ["Girona"],
        },
    ),
    "intercomprehension-romane.example": SiteOutreach(
        homepage_extra=(
            '<h2>Nos cours</h2><ul class="cours"><li>Français</li><li>Español</li><li>Italiano</li>'
            "<li>Português</li><li>Català</li><li>Română</li></ul>"
            "<p>Rencontres chaque mercredi en ligne, par petits groupes.</p>"
        ),
        pages={
            "/about": (
                "À propos – Intercompréhension romane",
                "<h1>À propos</h1><p>Intercompréhension romane est un projet du laboratoire de linguistique de "
                "l’Université de Valmont, ouvert à toutes et à tous.</p>",
            ),
        },
        expect={
            "about_url": "https://intercomprehension-romane.example/about",
            "operator_name": "Université de Valmont",
            "operator_type": "university",
            "meetups": True,
            "meetup_cities": [],
            "practised_languages": ["fr", "es", "it", "pt", "ca", "ro"],
        },
    ),
    # The languages members declare on the corpus's "Languages of members" page, largest first.
    "frasoteko.example": SiteOutreach(expect={"practised_languages": ["en", "eo", "fr", "es", "de"]}),
    "comunidad.hablamos.example": SiteOutreach(
        discourse_settings={"must_approve_users": True},
        expect={"registration_mode": "approval"},
    ),
    "discuss.parlamondo.example": SiteOutreach(expect={"registration_mode": "open"}),
    "lemmy.lenguas.example": SiteOutreach(
        expect={"registration_mode": "open", "practised_languages": ["es", "ca", "gl", "eu", "en"]}
    ),
    "babel-social.example": SiteOutreach(
        expect={
            "about_url": "https://babel-social.example/about",
            "registration_mode": "open",
            "practised_languages": ["fr", "en"],
        }
    ),
    "tube.apprenons.example": SiteOutreach(expect={"registration_mode": "open"}),
    # Sign-ups jumped fourfold between the last two captures while posts grew 3 %: spam accounts.
    "forum.wymiana-jezykowa.example": SiteOutreach(members_flags=("anomalous", "measured")),
}


def outreach_of(domain: str) -> SiteOutreach:
    """The outreach markup and expectations of a sample site (empty for most sites)."""
    return OUTREACH.get(domain, SiteOutreach())
