"""Classify a community's kind from rules a researcher can read (each rule id is stored as evidence)."""

from __future__ import annotations

import re

KIND_BY_PLATFORM = {
    "discourse": "forum",
    "phpbb": "forum",
    "xenforo": "forum",
    "vbulletin": "forum",
    "smf": "forum",
    "mybb": "forum",
    "invision": "forum",
    "flarum": "forum",
    "nodebb": "forum",
    "mediawiki": "wiki",
    "reddit": "forum",
    "stackexchange": "qa",
    "tatoeba": "open_corpus",
    "wikimedia_portal": "wiki",
}
# Servers of federated networks, whatever the NodeInfo software name.
FEDIVERSE = {
    "mastodon", "pleroma", "akkoma", "misskey", "firefish", "sharkey", "calckey", "catodon", "meisskey",
    "lemmy", "peertube", "pixelfed", "friendica", "diaspora", "hubzilla", "gotosocial", "kbin", "mbin",
    "piefed", "writefreely", "funkwhale", "bookwyrm", "activity-relay",
}  # fmt: skip

# Words a site uses to say what it is, in the project's languages.
_TEXT_RULES: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "language_exchange",
        re.compile(
            r"language[- ]exchange|tandem|language partners?|échange linguistique|échanges? de langues|"
            r"sprachaustausch|sprachpartner|intercambio (?:de )?idiomas|intercambio lingü|scambio linguistico|"
            r"taaluitwisseling|wymiana językowa|языков(?:ой|ого) обмен|polyglot|intercompréhension|intercomprehension",
            re.IGNORECASE,
        ),
    ),
    (
        "open_corpus",
        re.compile(
            r"sentence corpus|corpus de phrases|open corpus|collection of sentences|dictionary|dictionnaire|"
            r"wörterbuch|diccionario",
            re.IGNORECASE,
        ),
    ),
    ("social_network", re.compile(r"social network|réseau social|soziales netzwerk|red social", re.IGNORECASE)),
    (
        "company_platform",
        re.compile(
            r"lessons?\b|courses?\b|premium|subscription|learn (?:a language|with us)|leçons|cours de langue|"
            r"abonnement|Lektionen|Sprachkurs|lecciones|cursos? de idiomas|lezioni",
            re.IGNORECASE,
        ),
    ),
)


def classify(
    platform: str | None,
    name: str | None,
    description: str | None,
    operator_type: str | None = None,
    price_model: str | None = None,
) -> tuple[str, str]:
    """Return (kind, rule id) for a community.

    What a site says it is for (language exchange, corpus, social network) comes first; then what
    its software makes it (forum, wiki, fediverse server); a site with neither that a company runs
    and sells (``operator_type`` company, ``price_model`` paid or freemium, as crawler.outreach reads
    them), or that sells lessons or subscriptions, is a company platform.
    """
    if platform in FEDIVERSE:
        return "fediverse_server", f"kind.platform.{platform}"
    text = " ".join(filter(None, [name, description]))
    for kind, pattern in _TEXT_RULES:
        if kind != "company_platform" and pattern.search(text):
            return kind, f"kind.text.{kind}"
    if platform in KIND_BY_PLATFORM:
        return KIND_BY_PLATFORM[platform], f"kind.platform.{platform}"
    if operator_type == "company" and price_model in ("paid", "freemium"):
        return "company_platform", f"kind.operator.company_{price_model}"
    if _COMPANY.search(text):
        return "company_platform", "kind.text.company_platform"
    return "unknown", "kind.none"


_COMPANY = dict(_TEXT_RULES)["company_platform"]
