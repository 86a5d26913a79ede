"""Web addresses of demands and pledges: their shape, how titles become them, which are taken.

One pattern serves the URL converter (a malformed slug is a 404 before any
query), the forms and the services, for campaigns and pledges alike.
"""

import re
import unicodedata

from werkzeug.routing import BaseConverter

from petition.transactions import DomainError

MAX_LENGTH = 80
PATTERN = r"[a-z0-9](?:[a-z0-9-]{0,78}[a-z0-9])?"
_SLUG = re.compile(PATTERN)

# Words that name, or may one day name, a page of the site rather than a demand.
RESERVED = frozenset(
    {
        "about",
        "account",
        "admin",
        "api",
        "c",
        "confirm",
        "dashboard",
        "help",
        "login",
        "logout",
        "new",
        "password",
        "pledges",
        "privacy",
        "register",
        "reset",
        "revisions",
        "sign",
        "signup",
        "static",
        "terms",
        "unsubscribe",
    }
)


TAKEN = "Another demand or pledge uses that web address; choose another"


class SlugTaken(DomainError):
    """Another demand or pledge has this web address."""


class SlugConverter(BaseConverter):
    """Match only well-formed slugs, so junk in a URL is a 404 before any query."""

    regex = PATTERN


def slugify(text: str, max_length: int = MAX_LENGTH, fallback: str = "demand") -> str:
    """Return a URL-safe slug for ``text``: "Fiscalía: ¿sí o no?" -> "fiscalia-si-o-no".

    Accents are taken off letters rather than dropping the letters, so a
    Spanish title keeps its words.
    """
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:max_length].strip("-") or fallback


def problem(slug: str, max_length: int = MAX_LENGTH) -> str | None:
    """Return why ``slug`` cannot be used, in words for people, or None."""
    if len(slug) > max_length or not _SLUG.fullmatch(slug):
        return (
            f"Use only lowercase letters a to z, numbers and hyphens, up to {max_length} "
            "characters, starting and ending with a letter or number, like nola-da-2026"
        )
    if slug in RESERVED:
        return f"“{slug}” is reserved for the site; choose another web address"
    return None


def numbered(base: str, number: int, max_length: int = MAX_LENGTH) -> str:
    """Return ``base`` with "-number" on the end, still within ``max_length``."""
    suffix = f"-{number}"
    return base[: max_length - len(suffix)].rstrip("-") + suffix
