"""Statistics labels of forums and sites mapped to the harmonised metric names.

Forum software prints its statistics with a label in the board's language ("Total members",
"Mitglieder insgesamt", "Łącznie użytkowników", "Всего сообщений"). :func:`metric_for_label` maps such
a label to a name of ``crawler.extraction.METRICS``; :func:`label_pattern` gives adapters a regex for
all known labels of one metric.

Matching ignores case, accents, punctuation, whitespace and a trailing colon, and strips the
"total"/"number of"/"insgesamt"/"száma" affixes that boards add around the bare noun, so the table
only lists nouns (plural, and the genitive forms Slavic boards print after "total").

Labels this hand table lacks are looked up in the phrases of the engines' own language packs
(:mod:`crawler.normalize.packs`): what phpBB, SMF, MyBB, NodeBB and Flarum print before or after a
number in each language they publish.

Activity labels only map to a windowed metric when they name the window: "Active users (30 days)" or
"Monthly active users" is ``active_users_30d``; vBulletin's bare "Active Members" (active within a
board-configured number of days) is None, as is any label this table does not know.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from crawler.extraction import METRICS
from crawler.normalize.packs import pack_role

# metric -> language -> labels (natural spelling; keys are normalised at import).
_LABELS: dict[str, dict[str, tuple[str, ...]]] = {
    "members": {
        "en": ("members", "users", "registered users", "registered members", "accounts", "user accounts"),
        "fr": ("membres", "utilisateurs", "utilisateurs inscrits", "membres inscrits", "inscrits"),
        "de": ("mitglieder", "benutzer", "registrierte benutzer", "registrierte mitglieder", "nutzer"),
        "es": ("miembros", "usuarios", "usuarios registrados", "miembros registrados"),
        "it": ("membri", "utenti", "utenti registrati", "iscritti", "membri registrati"),
        "pt": ("membros", "usuários", "utilizadores", "usuários registrados", "membros registrados"),
        "nl": ("leden", "gebruikers", "geregistreerde gebruikers", "geregistreerde leden"),
        "pl": ("użytkownicy", "użytkowników", "członkowie", "członków", "zarejestrowani użytkownicy"),
        "ru": ("пользователи", "пользователей", "участники", "участников", "зарегистрированные пользователи"),
        "uk": ("користувачі", "користувачів", "учасники", "учасників"),
        "hu": ("felhasználók", "felhasználó", "tagok", "regisztrált felhasználók"),
        "cs": ("uživatelé", "uživatelů", "členové", "členů"),
        "sv": ("medlemmar", "användare", "registrerade användare"),
        "tr": ("üyeler", "üye", "kullanıcılar", "kullanıcı", "kayıtlı üyeler"),
    },
    "online_now": {
        "en": (
            "online",
            "users online",
            "online users",
            "members online",
            "online now",
            "currently online",
            "users currently online",
            "online members",
        ),
        "fr": ("en ligne", "utilisateurs en ligne", "membres en ligne", "connectés", "actuellement en ligne"),
        "de": (
            "benutzer online",
            "mitglieder online",
            "online benutzer",
            "online mitglieder",
            "derzeit online",
            "jetzt online",
        ),
        "es": (
            "en línea",
            "usuarios en línea",
            "usuarios conectados",
            "conectados",
            "miembros en línea",
            "usuarios online",
        ),
        "it": ("utenti online", "utenti connessi", "connessi", "membri online", "utenti in linea"),
        "pt": ("usuários online", "utilizadores online", "online agora", "membros online", "conectados agora"),
        "nl": ("gebruikers online", "nu online", "leden online"),
        "pl": ("użytkownicy online", "użytkowników online", "obecnie online", "teraz online"),
        "ru": ("онлайн", "сейчас на форуме", "пользователи онлайн", "сейчас онлайн", "сейчас на сайте"),
        "uk": ("зараз онлайн", "користувачі онлайн"),
        "hu": ("jelenleg online", "online felhasználók", "elérhető felhasználók"),
        "cs": ("uživatelé online", "právě online"),
        "sv": ("användare online", "online just nu"),
        "tr": ("çevrimiçi", "çevrimiçi üyeler", "çevrimiçi kullanıcılar"),
    },
    "posts": {
        "en": ("posts", "messages", "total posts", "posts made"),
        "fr": ("messages", "messages publiés", "publications"),
        "de": ("beiträge", "nachrichten", "posts", "beitrag"),
        "es": ("mensajes", "publicaciones", "posts", "aportes"),
        "it": ("messaggi", "interventi"),
        "pt": ("mensagens", "postagens", "posts", "publicações"),
        "nl": ("berichten", "posts"),
        "pl": ("posty", "postów", "wiadomości", "wpisy", "wpisów"),
        "ru": ("сообщения", "сообщений", "посты", "постов"),
        "uk": ("повідомлення", "повідомлень", "дописи", "дописів"),
        "hu": ("hozzászólások", "hozzászólás", "üzenetek", "bejegyzések"),
        "cs": ("příspěvky", "příspěvků", "zprávy"),
        "sv": ("inlägg",),
        "tr": ("mesajlar", "mesaj", "gönderiler", "gönderi"),
    },
    "topics": {
        "en": ("topics", "threads", "discussions", "conversations"),
        "fr": ("sujets", "discussions", "fils de discussion"),
        "de": ("themen", "threads", "diskussionen"),
        "es": ("temas", "hilos", "discusiones"),
        "it": ("discussioni", "argomenti"),
        "pt": ("tópicos", "temas", "discussões"),
        "nl": ("onderwerpen", "discussies", "topics"),
        "pl": ("tematy", "tematów", "wątki", "wątków"),
        "ru": ("темы", "тем", "топики", "топиков"),
        "uk": ("теми", "тем"),
        "hu": ("témák", "téma", "témakörök"),
        "cs": ("témata", "témat", "vlákna", "vláken"),
        "sv": ("ämnen", "trådar"),
        "tr": ("konular", "konu", "başlıklar", "başlık"),
    },
    "comments": {
        "en": ("comments",),
        "fr": ("commentaires",),
        "de": ("kommentare",),
        "es": ("comentarios",),
        "it": ("commenti",),
        "pt": ("comentários",),
        "nl": ("reacties",),
        "pl": ("komentarze", "komentarzy"),
        "ru": ("комментарии", "комментариев"),
        "uk": ("коментарі", "коментарів"),
        "hu": ("hozzászólások a cikkekhez", "kommentek"),
        "cs": ("komentáře", "komentářů"),
        "sv": ("kommentarer",),
        "tr": ("yorumlar", "yorum"),
    },
    "articles": {
        "en": ("articles", "content pages"),
        "fr": ("articles", "pages de contenu"),
        "de": ("artikel", "inhaltsseiten"),
        "es": ("artículos", "páginas de contenido"),
        "it": ("articoli", "voci"),
        "pt": ("artigos",),
        "nl": ("artikelen",),
        "pl": ("artykuły", "artykułów", "hasła", "haseł"),
        "ru": ("статьи", "статей"),
        "uk": ("статті", "статей"),
        "hu": ("szócikkek", "cikkek"),
        "cs": ("články", "článků"),
        "sv": ("artiklar",),
        "tr": ("maddeler", "makaleler"),
    },
    "pages": {
        "en": ("pages",),
        "fr": ("pages",),
        "de": ("seiten",),
        "es": ("páginas",),
        "it": ("pagine",),
        "pt": ("páginas",),
        "nl": ("pagina's", "paginas"),
        "pl": ("strony", "stron"),
        "ru": ("страницы", "страниц"),
        "hu": ("lapok", "oldalak"),
        "cs": ("stránky", "stránek"),
        "sv": ("sidor",),
        "tr": ("sayfalar",),
    },
    "edits": {
        "en": ("edits", "page edits"),
        "fr": ("modifications",),
        "de": ("bearbeitungen",),
        "es": ("ediciones",),
        "it": ("modifiche",),
        "pt": ("edições",),
        "nl": ("bewerkingen",),
        "pl": ("edycje", "edycji"),
        "ru": ("правки", "правок"),
        "hu": ("szerkesztések",),
        "cs": ("editace", "úpravy"),
        "sv": ("redigeringar",),
        "tr": ("değişiklikler",),
    },
    "communities": {
        "en": ("communities",),
        "fr": ("communautés",),
        "de": ("communities", "gemeinschaften"),
        "es": ("comunidades",),
        "it": ("comunità",),
        "pt": ("comunidades",),
        "nl": ("gemeenschappen",),
        "pl": ("społeczności",),
        "ru": ("сообщества", "сообществ"),
        "hu": ("közösségek",),
        "cs": ("komunity",),
        "sv": ("gemenskaper",),
        "tr": ("topluluklar",),
    },
}

# Phrases for windowed activity metrics, listed so label_pattern can find them in running text.
_WINDOWED: dict[str, tuple[str, ...]] = {
    "active_users_1d": ("daily active users", "active users today", "users active today", "active today"),
    "active_users_7d": (
        "weekly active users",
        "active users this week",
        "active this week",
        "active users (7 days)",
        "active in the last 7 days",
    ),
    "active_users_30d": (
        "monthly active users",
        "active users this month",
        "active this month",
        "active users (30 days)",
        "active in the last 30 days",
        "active users (last 30 days)",
        "aktive benutzer (30 tage)",
        "utilisateurs actifs mensuels",
        "usuarios activos mensuales",
        "utenti attivi mensili",
        "usuários ativos mensais",
        "maandelijks actieve gebruikers",
        "активные пользователи за месяц",
    ),
    "active_users_180d": (
        "active users (half year)",
        "active users (6 months)",
        "active in the last 6 months",
        "active users (180 days)",
    ),
    "posts_7d": ("posts this week", "posts (7 days)", "posts in the last 7 days"),
    "posts_30d": ("posts this month", "posts (30 days)", "posts in the last 30 days"),
    "topics_7d": ("topics this week", "topics (7 days)", "new topics (7 days)"),
    "topics_30d": ("topics this month", "topics (30 days)", "new topics (30 days)"),
}

# Words boards put around the noun; removed before lookup. Normalised form (no accents).
# fmt: off
_PREFIXES = (
    "total number of", "total no of", "number of", "total", "totaal aantal", "aantal", "totaal",
    "nombre total de", "nombre total d", "nombre de", "nombre d", "total de", "total des", "total d",
    "numero total de", "numero de", "numero di", "numero totale di", "totale", "anzahl der", "anzahl",
    "gesamtzahl der", "gesamt", "lacznie", "liczba", "ogolem", "всего", "количество", "общее количество",
    "усього", "всього", "кількість", "celkem", "pocet", "celkovy pocet", "totalt antal", "antal",
    "totalt", "toplam", "osszes", "our", "registered",
)
# fmt: on
# fmt: off
_SUFFIXES = (
    "insgesamt", "gesamt", "totales", "totals", "totali", "totale", "total", "totaux", "totaal",
    "szama", "osszesen", "celkem", "in total", "overall", "lacznie", "ogolem", "всего", "sayisi",
    "totalt", "publies", "publicados", "publicadas",
)
# fmt: on

_ACTIVE_RE = re.compile(
    r"\b(?:active|activity|aktiv\w*|actif\w*|activ[oa]s?|attiv[io]|ativ[oa]s?|actie\w*|aktywn\w*|"
    r"активн\w*|aktiv|aktivn\w*|aktif)\b"
)
_WINDOW_RULES: tuple[tuple[re.Pattern[str], int], ...] = (
    (
        re.compile(
            r"\b(?:daily|today|tagl\w*|heute|quotidien\w*|aujourd ?hui|diari[oa]s?|hoy|oggi|"
            r"giornalier\w*|hoje|vandaag|dagelijks\w*|dzisiaj|dzienn\w*|сегодня|ежедневн\w*|"
            r"24 ?h\w*|1 (?:day|tag|jour|dia|giorno|dag|dzien|день))\b"
        ),
        1,
    ),
    (
        re.compile(
            r"\b(?:weekly|(?:this|last|past) week|woche\w*|wochentlich\w*|semaine|hebdomadaire\w*|"
            r"semana\w*|semanal\w*|settimana\w*|settimanal\w*|week|wekelijks\w*|tydzien\w*|"
            r"tygodni\w*|недел\w*|7 \w+)\b"
        ),
        7,
    ),
    (
        re.compile(
            r"\b(?:monthly|(?:this|last|past) month|monat\w*|mois|mensuel\w*|mes|mensual\w*|mese|"
            r"mensil\w*|mensa(?:l|is)|maand\w*|miesiac\w*|miesiecz\w*|месяц\w*|ежемесячн\w*|"
            r"(?:28|30|31) \w+|1 month)\b"
        ),
        30,
    ),
    (
        re.compile(
            r"\b(?:half ?year|half year\w*|halbjahr\w*|6 \w+|180 \w+|182 \w+|183 \w+|"
            r"semestre|полгода)\b"
        ),
        180,
    ),
)
_NEW_RE = re.compile(
    r"\b(?:new|neue?n?|nouveaux?|nouvelles?|nuev[oa]s|nuov[ie]|nov[oa]s|nieuwe|nowe|"
    r"новы\w*|newest|latest|most|record|max\w*)\b"
)

_STRIP_PUNCT = re.compile(r"[\W_]+")
_TRANSLITERATE = str.maketrans({"ł": "l", "ø": "o", "đ": "d", "ı": "i", "æ": "ae", "œ": "oe"})


def _fold(text: str) -> str:
    """Case-, accent- and punctuation-insensitive form of a label."""
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).translate(_TRANSLITERATE)
    text = text.replace("'", "").replace("\u2019", "")
    return " ".join(_STRIP_PUNCT.sub(" ", text).split())


def _build_index() -> tuple[dict[str, str], dict[str, dict[str, str]]]:
    combined: dict[str, str] = {}
    by_language: dict[str, dict[str, str]] = {}
    for metric, languages in _LABELS.items():
        for language, labels in languages.items():
            for label in labels:
                key = _fold(label)
                by_language.setdefault(language, {}).setdefault(key, metric)
                combined.setdefault(key, metric)
    for metric, labels in _WINDOWED.items():
        for label in labels:
            combined.setdefault(_fold(label), metric)
    return combined, by_language


_INDEX, _INDEX_BY_LANGUAGE = _build_index()
_PREFIX_KEYS = tuple(sorted({_fold(p) for p in _PREFIXES}, key=len, reverse=True))
_SUFFIX_KEYS = tuple(sorted({_fold(s) for s in _SUFFIXES}, key=len, reverse=True))


def _strip_affixes(key: str) -> str:
    changed = True
    while changed and key:
        changed = False
        for prefix in _PREFIX_KEYS:
            if key.startswith(prefix + " "):
                key = key[len(prefix) + 1 :]
                changed = True
                break
        for suffix in _SUFFIX_KEYS:
            if key.endswith(" " + suffix):
                key = key[: -len(suffix) - 1]
                changed = True
                break
    return key


def _lookup(key: str, language: str | None) -> str | None:
    if language:
        found = _INDEX_BY_LANGUAGE.get(language.split("-")[0].split("_")[0].lower(), {}).get(key)
        if found:
            return found
    return _INDEX.get(key)


def _windowed(key: str, language: str | None) -> str | None:
    """Map "active users (30 days)", "posts this week" and the like to their windowed metric."""
    days = None
    rest = key
    for pattern, window in _WINDOW_RULES:
        match = pattern.search(key)
        if match:
            days = window
            rest = (key[: match.start()] + " " + key[match.end() :]).strip()
            break
    if days is None or _NEW_RE.search(key) and not _ACTIVE_RE.search(key):
        # "New members (30 days)" counts sign-ups, which is no harmonised metric.
        return None
    rest = " ".join(
        re.sub(
            r"\b(?:in the|in|the|last|past|der|des|les|los|gli|di|de|du|w|за|v|i|en|im|"
            r"letzten|derniers|ultimos|ultimi|ultimos|laatste|ostatnie|последние)\b",
            " ",
            rest,
        ).split()
    )
    active = bool(_ACTIVE_RE.search(rest))
    rest = _strip_affixes(" ".join(_ACTIVE_RE.sub(" ", rest).split()))
    base = _lookup(rest, language) if rest else None
    if active:
        # "Active topics (7 days)" counts topics with replies, not new topics: no metric.
        return f"active_users_{days}d" if not rest or base == "members" else None
    if base in ("posts", "topics") and days in (7, 30):
        return f"{base}_{days}d"
    return None


def metric_for_label(label: str, language: str | None = None) -> str | None:
    """Return the metric a statistics label stands for, or None when unknown or ambiguous.

    ``language`` (BCP 47, optional) is looked up first, so a page's own language wins when a word
    means different things in two languages; the other languages are still tried.
    """
    if not isinstance(label, str) or not label.strip() or len(label) > 200:
        return None
    if language is not None and not isinstance(language, str):
        language = None
    return _metric_for_label(label, language)


# Pages of one platform and language print the same few labels: each is read once.
@lru_cache(maxsize=8192)
def _metric_for_label(label: str, language: str | None) -> str | None:
    key = _fold(label)
    if not key:
        return None
    found = _lookup(key, language)
    if found:
        return found
    windowed = _windowed(key, language)
    if windowed:
        return windowed
    if _ACTIVE_RE.search(key) or _NEW_RE.search(key):
        # "Active members" without a window, "Newest member", "Most users ever online": no metric.
        return None
    stripped = _strip_affixes(key)
    if stripped != key:
        found = _lookup(stripped, language)
        if found:
            return found
    # The words the engines' own language packs print around their numbers (label_packs/*.json).
    role = pack_role(label, language)
    return role if role in METRICS else None


def active_members_label(label: str, language: str | None = None) -> bool:
    """True for a windowless "Active Members" label ("Miembros activos", "Активные пользователи").

    Engines that print it (vBulletin) define the window themselves; :func:`metric_for_label` leaves
    it unmapped and the adapter decides.
    """
    if not isinstance(label, str) or len(label) > 200:
        return False
    key = _fold(label)
    if not _ACTIVE_RE.search(key) or _windowed(key, language) or _NEW_RE.search(key):
        return False
    rest = _strip_affixes(" ".join(_ACTIVE_RE.sub(" ", key).split()))
    return bool(rest) and _lookup(rest, language) == "members"


def _label_regex(label: str) -> str:
    words = []
    for word in label.split():
        escaped = re.escape(word).replace("'", "['\u2019]?")
        words.append(escaped)
    return r"[\s\u00a0]+".join(words)


@lru_cache(maxsize=64)
def label_pattern(metric: str) -> re.Pattern[str]:
    """A case-insensitive regex matching any known label of ``metric`` as whole words.

    Accented labels also match without their accents ("Beitrage", "usuarios"). Raises ValueError
    for a name that is not in ``crawler.extraction.METRICS``.
    """
    if metric not in METRICS:
        raise ValueError(f"unknown metric {metric!r}")
    labels: set[str] = set()
    for language_labels in _LABELS.get(metric, {}).values():
        labels.update(language_labels)
    labels.update(_WINDOWED.get(metric, ()))
    variants: set[str] = set()
    for label in labels:
        variants.add(label)
        plain = unicodedata.normalize("NFKD", label)
        plain = "".join(ch for ch in plain if not unicodedata.combining(ch))
        variants.add(plain)
    if not variants:
        return re.compile(r"(?!)")
    alternatives = "|".join(_label_regex(v) for v in sorted(variants, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)
