"""Remove personal data that slipped into crawled text: e-mail addresses and profile-style URLs."""

from __future__ import annotations

import re

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# Profile pages of the platforms Tremplin reads (member pages, user handles in URLs).
_PROFILE_URL = re.compile(
    r"\S*(?:memberlist\.php\?mode=viewprofile|/members?/[^\s/]+|/users?/[^\s/]+|/u/[^\s/]+|"
    r"member\.php\?|profile\.php\?|action=profile|/@[\w.-]+)\S*",
    re.IGNORECASE,
)


def scrub(text: str | None) -> str | None:
    """Replace e-mail addresses and member profile URLs in ``text``."""
    if not text:
        return text
    text = _EMAIL.sub("[e-mail removed]", text)
    return _PROFILE_URL.sub("[profile link removed]", text)
