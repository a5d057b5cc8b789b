"""How one joins: registration mode (open, approval, invite, closed) and price model (free, freemium, paid).

Registration, from a page: a statement wins over a link. "Invitation only" / "sur invitation" /
"nur auf Einladung" -> ``invite``; "registrations require approval" / "inscription soumise à
validation" / "muss freigeschaltet werden" -> ``approval``; "registrations are closed" /
"inscriptions fermées" / "Registrierung geschlossen" -> ``closed``; otherwise a sign-up link
("Sign up", "S'inscrire", "Registrieren", ``ucp.php?mode=register``, ``/signup``) -> ``open``.
Platform APIs (Mastodon, Lemmy, NodeInfo, Discourse site settings) are read by
:mod:`crawler.outreach.platforms` and outrank any page.

Price, from the page's own text and JSON-LD offers, never its footer ("free software"): a free
tier ("free", "gratuit", "kostenlos", "gratis", "gratuito", "bezpłatnie") together with a paid
one ("premium", "subscription", "abonnement", "Abo", a price per month) -> ``freemium``; a paid
tier alone -> ``paid``; free alone -> ``free``.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urljoin, urlsplit

from crawler.extraction import ExtractionBuilder
from crawler.outreach.context import PageContext
from crawler.outreach.values import put
from crawler.platforms.html import Page

_INVITE_RE = re.compile(
    r"\b(?:(?:by |upon )?invitation only|invite[- ]only|only (?:by|with|on) invitation|registration is by invitation"
    r"|(?:uniquement |seulement )?sur invitation|nur (?:auf|mit|per) Einladung|ausschließlich auf Einladung"
    r"|s[oó]lo (?:por|con) invitaci[oó]n|solo (?:su|per|tramite) invito|alleen op uitnodiging"
    r"|tylko (?:z|na) zaproszenie\w*|apenas (?:por|com) convite|nom[eé]s amb invitaci[oó])\b",
    re.I,
)
_APPROVAL_RE = re.compile(
    r"\b(?:registrations? (?:require|requires|need|needs) (?:manual |admin |moderator )?approval"
    r"|(?:accounts?|registrations?|sign-?ups?) (?:must|will) be (?:manually )?approved|approval required"
    r"|apply to join|application required|(?:inscriptions?|comptes?) (?:sont |est )?(?:soumises? |soumis )?à validation"
    r"|validée?s? par (?:un|une|les) (?:modérat\w+|administrat\w+)|sur validation"
    r"|(?:muss|müssen|wird|werden) (?:vom Team |von einem Administrator |manuell )?freigeschaltet"
    r"|Freischaltung durch|requiere[n]? (?:la )?aprobaci[oó]n|previa approvazione|richiede (?:l')?approvazione"
    r"|moet worden goedgekeurd|wymaga akceptacji|requer aprova[cç][aã]o)",
    re.I,
)
_CLOSED_RE = re.compile(
    r"\b(?:registrations? (?:is |are )?(?:currently |now |temporarily )?(?:closed|disabled)"
    r"|(?:not|no longer) accepting new (?:members|registrations|users|sign-?ups)|sign-?ups? (?:are |is )?closed"
    r"|inscriptions? (?:sont |est )?(?:actuellement |temporairement )?(?:fermées?|closes?|suspendues?)"
    r"|Registrierung(?:en)? (?:ist |sind )?(?:derzeit |zur Zeit |aktuell )?(?:geschlossen|deaktiviert)"
    r"|registros? (?:est[aá]n? )?cerrados?|registro cerrado|registrazioni? (?:sono )?chius[ae]"
    r"|registratie (?:is )?gesloten|rejestracja (?:jest )?(?:zamknięta|wyłączona)|registos? fechados?)\b",
    re.I,
)
_SIGNUP_HREF_RE = re.compile(
    r"(?:^|/)(?:sign[-_]?up|register|registration|join|inscription|s-inscrire|inscrivez-vous|registrieren"
    r"|registrierung|registro|registrate|registrati|iscriviti|rejestracja|cadastro)(?:[/?.#]|$)"
    r"|mode=register|action=register|do=register|/register\.php|/signup\.php",
    re.I,
)
_SIGNUP_TEXT_RE = re.compile(
    r"^(?:sign up|sign up (?:for )?free|signup|register|register now|join|join now|join (?:us|the club|the community)"
    r"|join for free|create (?:an |your )?account|get started|s['’]inscrire|inscription|inscrivez-vous"
    r"|créer (?:un|mon) compte|rejoindre|rejoignez-nous|devenir membre|adhérer|registrieren|jetzt registrieren"
    r"|konto erstellen|mitglied werden|regístrate|registrarse|únete|crear cuenta|iscriviti|registrati"
    r"|crea un account|zarejestruj się|załóż konto|cadastre-se|registre-se|inscreva-se|registreer"
    r"|word lid|registra't|uneix-te|inscriu-te)!?$",
    re.I,
)

_FREE_RE = re.compile(
    r"\b(?:free of charge|(?:is|are|it['’]s|100\s?%|completely|totally|always|entirely|forever|basic) free"
    r"|free (?:membership|account|accounts|sign-?up|registration|to join|to use|forever|plan|tier|version)"
    r"|(?:join|register|sign up|learn|use it|try it|start|practi[cs]e)(?: \w+)? (?:for )?free|for free(?![\s-]+\w)"
    r"|gratuit(?:e|s|es|ement)?|sans frais|kostenlos\w*|kostenfrei|gebührenfrei"
    r"|gratis|gratuit[oa]s?|gratuïta?|grátis|sin coste|senza costi|bezpłatn\w+|darmow\w+|za darmo)\b",
    re.I,
)
# A paid tier, not a newsletter or thread subscription ("Subscribe", "Abos" of a forum).
_PAID_RE = re.compile(
    r"\b(?:premium[- ](?:accounts?|membership|members?|plans?|subscriptions?|versions?|features?|tiers?|access"
    r"|compte|abonnement|mitglied\w*|konto|cuenta|conta|account)|(?:go|get|become|passer|devenir|werde|hazte"
    r"|diventa) premium|(?:compte|cuenta|conta|account|abonnement|offre|oferta|Mitgliedschaft) premium"
    r"|paid (?:plans?|membership|tiers?|subscriptions?)|(?:monthly|annual|yearly) subscription"
    r"|subscription (?:plans?|fees?|prices?|options)|pro plan|plus plan|abonnement (?:mensuel|annuel|payant)"
    r"|formule d['’]abonnement|Premium-Abo|Monatsabo|Jahresabo|Abo-Modell|suscripci[oó]n (?:mensual|anual)"
    r"|abbonamento (?:mensile|annuale)|assinatura (?:mensal|anual)|membership fee|cotisation|Mitgliedsbeitrag"
    r"|cuota (?:de socio|anual)|quota associativa|składk\w+)\b",
    re.I,
)
_PRICE_RE = re.compile(
    r"(?:[€$£]\s?\d{1,4}(?:[.,]\d{2})?|\b\d{1,4}(?:[.,]\d{2})?\s?(?:€|EUR|USD|GBP|CHF|£|zł|PLN|R\$))"
    r"\s*(?:/|per|par|pro|al|por|a|each|every|le|la)\s*(?:month|mois|Monat|mes|mese|miesiąc|year|an|année|Jahr|año"
    r"|anno|rok|mo|yr|week|semaine|Woche|lesson|leçon|cours|Stunde|hour|heure)\b",
    re.I,
)


def _span(text: str, start: int, end: int, around: int = 40) -> str:
    """``text[start:end]`` and the words around it, within its sentences (the next may name a person)."""
    lo, hi = max(0, start - around), min(len(text), end + around)
    cut = max(text.rfind(". ", lo, start), text.rfind("\n", lo, start))
    lo = cut + 1 if cut >= 0 else lo
    stops = [i for i in (text.find(". ", end, hi), text.find("\n", end, hi)) if i >= 0]
    hi = min(stops) + 1 if stops else hi
    return text[lo:hi].strip()


def _window(text: str, match: re.Match[str], around: int = 40) -> str:
    return _span(text, match.start(), match.end(), around)


# Words each statement contains: without one of them the (slow) pattern is not run.
_INVITE_STEMS = ("invit", "einladung", "zaproszen", "convite", "uitnodiging")
_APPROVAL_STEMS = (
    "approv", "apply to join", "application required", "validation", "validé", "freigeschalt", "freischalt",
    "aprob", "goedgekeurd", "akceptac", "aprova",
)  # fmt: skip
_CLOSED_STEMS = (
    "closed", "disabled", "accepting new", "fermé", "close", "suspendu", "geschlossen", "deaktiviert", "cerrad",
    "chius", "gesloten", "zamknię", "wyłączon", "fechad",
)  # fmt: skip
_FREE_STEMS = (
    "free", "gratu", "kosten", "gratis", "frais", "gebühr", "coste", "costi", "bezpłat", "darmo", "grát",
)  # fmt: skip
_PAID_STEMS = (
    "premium", "subscri", "paid", "pro plan", "plus plan", "abonn", "abo", "suscrip", "abbonam", "assinat", "fee",
    "cotisation", "beitrag", "cuota", "quota", "składk",
)  # fmt: skip
_PRICE_STEMS = ("€", "$", "£", "eur", "usd", "gbp", "chf", "zł", "pln")


def _has(lowered: str, stems: tuple[str, ...]) -> bool:
    return any(stem in lowered for stem in stems)


def registration_from_text(text: str) -> tuple[str, str, str] | None:
    """``(mode, rule, snippet)`` from a statement in ``text``: invite, approval or closed."""
    lowered = text.lower()
    for mode, pattern, stems in (
        ("invite", _INVITE_RE, _INVITE_STEMS),
        ("approval", _APPROVAL_RE, _APPROVAL_STEMS),
        ("closed", _CLOSED_RE, _CLOSED_STEMS),
    ):
        match = pattern.search(text) if _has(lowered, stems) else None
        if match:
            return mode, f"outreach.registration.{mode}_text", _window(text, match)
    return None


def _signup_link(ctx: PageContext) -> str | None:
    for anchor in ctx.anchors:
        if not anchor.own:
            continue
        parts = urlsplit(anchor.url)
        if (len(anchor.text) <= 40 and _SIGNUP_TEXT_RE.match(anchor.text)) or _SIGNUP_HREF_RE.search(
            f"{parts.path}?{parts.query}"
        ):
            return f'<a href="{anchor.href[:100]}">{anchor.text[:40]}</a>'
    for form in ctx.pg.xpath("//form[@action]")[:20]:
        action = (form.get("action") or "").strip()
        parts = urlsplit(urljoin(ctx.pg.url, action))
        if _SIGNUP_HREF_RE.search(f"{parts.path}?{parts.query}"):
            return f'<form action="{action[:100]}">'
    return None


def extract_registration(builder: ExtractionBuilder, ctx: PageContext) -> None:
    """Record the registration mode a page states, else ``open`` when it links to a sign-up page."""
    found = registration_from_text(ctx.prose) or registration_from_text(ctx.footer_text)
    if found:
        put(builder, "registration_mode", found[0], found[1], found[2])
        return
    link = _signup_link(ctx)
    if link:
        put(builder, "registration_mode", "open", "outreach.registration.signup_link", link)


def _offers(pg: Page) -> list[Any]:
    out = []
    for item in pg.jsonld:
        offers = item.get("offers")
        out.extend(offers if isinstance(offers, list) else [offers])
        if item.get("isAccessibleForFree") in (True, "true", "True"):
            out.append({"price": 0, "_accessible": True})
    return [offer for offer in out if isinstance(offer, dict)]


def price_from_text(text: str) -> tuple[str, str, str] | None:
    """``(model, rule, snippet)`` from the words of a page: free, freemium or paid."""
    lowered = text.lower()
    free = _FREE_RE.search(text) if _has(lowered, _FREE_STEMS) else None
    paid = (_PAID_RE.search(text) if _has(lowered, _PAID_STEMS) else None) or (
        _PRICE_RE.search(text) if _has(lowered, _PRICE_STEMS) else None
    )
    if free and paid:
        first, second = sorted((free, paid), key=lambda m: m.start())
        if second.start() - first.end() <= 80:
            snippet = _span(text, first.start(), second.end(), 30)
        else:
            snippet = _window(text, first, 30) + " … " + _window(text, second, 30)
        return "freemium", "outreach.price.free_and_paid_text", snippet
    if paid:
        return "paid", "outreach.price.paid_text", _window(text, paid)
    if free:
        return "free", "outreach.price.free_text", _window(text, free)
    return None


def extract_price(builder: ExtractionBuilder, ctx: PageContext) -> None:
    """Record the price model from JSON-LD offers, else from the page's words."""
    prices = []
    for offer in _offers(ctx.pg):
        try:
            prices.append(float(str(offer.get("price", "")).replace(",", ".")))
        except ValueError:
            continue
    if prices:
        model = "free" if max(prices) == 0 else ("freemium" if min(prices) == 0 else "paid")
        snippet = f'"offers": prices {", ".join(f"{p:g}" for p in sorted(set(prices))[:5])}'
        put(builder, "price_model", model, "outreach.price.jsonld_offers", snippet)
        return
    found = price_from_text(ctx.prose)
    if found:
        put(builder, "price_model", found[0], found[1], found[2])
