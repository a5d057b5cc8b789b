"""The sample web's vocabulary: capture dates, metric sets, and the Site / Page / Snapshot records.

Everything else in the package builds on these: :mod:`.sites` fills :class:`Site` records, the
renderers turn a :class:`Snapshot` into :class:`Page` objects, and :mod:`.truth` reads both.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field
from datetime import datetime, timedelta

# The three dates every URL is captured at (WARC-Date); the demo shows change between them.
CAPTURES: tuple[str, ...] = ("2026-05-01T06:00:00Z", "2026-08-01T06:00:00Z", "2026-11-01T06:00:00Z")

# Faults the crawl must record as errors instead of communities.
FAULTS = ("http_503", "http_410", "robots", "not_archived", "redirect")

# Figures that describe recent activity: they move with a site's activity curve instead of growing.
ACTIVITY_METRICS = frozenset(
    ("active_users_1d", "active_users_7d", "active_users_30d", "active_users_180d", "online_now",
     "posts_7d", "posts_30d", "topics_7d", "topics_30d", "contributions_1d")
)  # fmt: skip

# Metrics each platform's pages publish (docs/data-model.md names); a site may publish a subset.
_ACTIVE = ("active_users_1d", "active_users_7d", "active_users_30d")
PUBLISHABLE: dict[str | None, frozenset[str]] = {
    "discourse": frozenset(("members", "topics", "posts", *_ACTIVE, "posts_7d", "posts_30d", "topics_7d",
                            "topics_30d")),
    "mediawiki": frozenset(("members", "active_users_30d", "edits", "articles", "pages")),
    # posts_7d and active_users_7d: statuses and logins of the last complete week of /activity.
    "mastodon": frozenset(("members", "posts", "active_users_30d", "active_users_180d", "posts_7d", "active_users_7d")),
    "lemmy": frozenset(("members", "posts", "comments", "communities", *_ACTIVE, "active_users_180d")),
    "peertube": frozenset(("members", "posts", "comments", "active_users_30d", "active_users_180d")),
    "phpbb": frozenset(("posts", "topics", "members", "online_now")),
    "xenforo": frozenset(("topics", "posts", "members")),
    "smf": frozenset(("posts", "topics", "members")),
    "mybb": frozenset(("posts", "topics", "members", "online_now")),
    "vbulletin": frozenset(("topics", "posts", "members")),
    # Twins of the use case's communities: Tatoeba's software, a Wikimedia-style portal, Drupal sites.
    "tatoeba": frozenset(("sentences", "corpus_languages", "contributions_1d")),
    "wikimedia_portal": frozenset(("communities",)),
    "drupal": frozenset(("members", "online_now")),
    None: frozenset(("members",)),
}  # fmt: skip

HTML_UTF8 = "text/html; charset=utf-8"
JSON_UTF8 = "application/json; charset=utf-8"
TEXT_UTF8 = "text/plain; charset=utf-8"


def capture_time(index: int) -> datetime:
    """Return capture ``index`` as an aware datetime."""
    return datetime.fromisoformat(CAPTURES[index].replace("Z", "+00:00"))


@dataclass(frozen=True)
class Site:
    """One fictional community and everything needed to render it at each capture."""

    domain: str
    platform: str | None  # expected platform id; None for a custom site
    name: str  # the community's own name, exactly as its pages print it
    kind: str  # the use-case article's category (informative)
    languages: tuple[str, ...]  # BCP 47, own language first
    figures: dict[str, int] = field(default_factory=dict)  # values at the first capture
    series: dict[str, tuple[int, ...]] = field(default_factory=dict)  # explicit values per capture
    growth: float = 0.03  # per capture, for cumulative counts
    activity: tuple[float, ...] = (1.0, 1.06, 1.1)  # multiplier per capture, for activity figures
    approximate: tuple[str, ...] = ()  # metrics published as "over N" / "plus de N"
    number_style: str = "plain"  # how the pages group digits, see pages.fmt()
    html_lang: str | None = None  # <html lang> when it differs from languages[0] (UI locale)
    markup_languages: tuple[str, ...] | None = None  # codes as printed (legacy "iw"), if different
    licence: str | None = None  # SPDX id of the content licence
    licence_url: str | None = None
    licence_text: str | None = None  # MediaWiki rightsinfo text
    version: str | None = None
    description: str = ""  # may hold {members}
    newest_member: str | None = None  # fictional user name printed by forum statistics blocks
    fault: str | None = None
    first_capture: int = 0
    scheme: str = "https"
    crawl_delay: int | None = None
    old_keys: bool = False  # Discourse: pre-3.x about.json key spelling
    broken_paths: tuple[str, ...] = ()  # paths whose JSON body is cut short
    redirect_to: str | None = None  # fault "redirect": the new site's domain
    links_to: tuple[str, ...] = ()  # domains its homepage footer links to (sites of the same community)

    @property
    def root(self) -> str:
        """Return the site's root URL (the seed)."""
        return f"{self.scheme}://{self.domain}/"

    @property
    def lang(self) -> str:
        """Return the language tag the pages declare."""
        return self.html_lang or self.languages[0]


@dataclass(frozen=True)
class Page:
    """One HTTP response: status, body and the headers that matter."""

    body: bytes
    content_type: str = HTML_UTF8
    status: int = 200
    extra_headers: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Snapshot:
    """A site as it stands at one capture: the figures its pages print then."""

    site: Site
    index: int
    figs: dict[str, int]

    @property
    def at(self) -> datetime:
        """Return the capture time."""
        return capture_time(self.index)

    @property
    def base(self) -> str:
        """Return the site's origin, without a trailing slash."""
        return f"{self.site.scheme}://{self.site.domain}"

    def ago(self, minutes: int) -> datetime:
        """Return the capture time minus a site-specific number of minutes."""
        return self.at - timedelta(minutes=minutes)

    @property
    def last_post(self) -> datetime:
        """Return when the latest post was written (a few minutes to hours before the capture)."""
        return self.ago(5 + zlib.crc32(self.site.domain.encode()) % 170)


@dataclass(frozen=True)
class Custom:
    """The prose of a custom site: title, intro paragraph ({members} placeholder) and extras."""

    title: str
    intro: str
    extra: str = ""  # further body HTML (figures with credits, sentence counts, ...)
