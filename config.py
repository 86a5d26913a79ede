"""Configuration from the environment.

Every setting is documented in the README's configuration table. Values are
read when ``Config`` is imported; ``create_app`` then applies overrides and
fails fast when a production deployment is missing a secret.
"""

import os


def _bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return default if value in (None, "") else int(value)


def _maybe_bool(name: str) -> bool | None:
    """A yes/no setting that may be left unset, meaning "the default for this case"."""
    return None if os.environ.get(name) in (None, "") else _bool(name)


def _float(name: str, default: float) -> float:
    value = os.environ.get(name)
    return default if value in (None, "") else float(value)


def database_url(url: str | None) -> str | None:
    """Point bare ``postgres://`` and ``postgresql://`` URLs at psycopg 3."""
    if not url:
        return None
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


class Config:
    SECRET_KEY = os.environ.get("SECRET_KEY") or None
    # None means "a SQLite file in the instance folder", filled in by create_app.
    SQLALCHEMY_DATABASE_URI = database_url(os.environ.get("DATABASE_URL"))
    # No pool_pre_ping: petition.database.ping_when_idle checks only connections
    # that sat idle, instead of spending a round trip on every request.
    SQLALCHEMY_ENGINE_OPTIONS: dict[str, object] = {}

    # Whether every commit waits for the disk. Unset: PostgreSQL, the production
    # database, waits (synchronous_commit=on); SQLite, the embedded default,
    # does not (synchronous=NORMAL). 1 makes SQLite wait too (FULL); 0 lets
    # PostgreSQL return early (synchronous_commit=off). README, "Durability".
    PETITION_DURABLE_COMMITS = _maybe_bool("PETITION_DURABLE_COMMITS")

    MAIL_SERVER = os.environ.get("MAIL_SERVER") or None
    MAIL_PORT = _int("MAIL_PORT", 25)
    MAIL_USE_TLS = _bool("MAIL_USE_TLS")
    MAIL_USE_SSL = _bool("MAIL_USE_SSL")
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME") or None
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD") or None
    MAIL_DEFAULT_SENDER = os.environ.get("MAIL_DEFAULT_SENDER") or "petition@localhost"

    # Required outside debug: every absolute link is built from it (petition/urls.py).
    PETITION_BASE_URL = os.environ.get("PETITION_BASE_URL") or None
    PETITION_CONFIRM_MAX_AGE = _int("PETITION_CONFIRM_MAX_AGE", 7 * 24 * 3600)
    PETITION_RESEND_INTERVAL = _int("PETITION_RESEND_INTERVAL", 10 * 60)
    PETITION_SIGN_RATE_LIMIT = os.environ.get("PETITION_SIGN_RATE_LIMIT") or "30 per minute"
    PETITION_LOGIN_RATE_LIMIT = os.environ.get("PETITION_LOGIN_RATE_LIMIT") or "10 per minute"
    # Signing rules (petition/signing/rules.py): a signing that trips one is
    # kept and held for review, not counted. Per address and demand, like the
    # UK Parliament petitions site; an empty value turns a limit off.
    PETITION_SIGN_BURST_LIMIT = os.environ.get("PETITION_SIGN_BURST_LIMIT", "1 per 60 seconds")
    PETITION_SIGN_SUSTAINED_LIMIT = os.environ.get(
        "PETITION_SIGN_SUSTAINED_LIMIT", "5 per 300 seconds"
    )
    # Fewer seconds than this between serving a sign form and its return: held. 0: off.
    PETITION_SIGN_MIN_SECONDS = _float("PETITION_SIGN_MIN_SECONDS", 2)
    PETITION_PROXY_COUNT = _int("PETITION_PROXY_COUNT", 0)
    PETITION_COUNT_POLL_SECONDS = _int("PETITION_COUNT_POLL_SECONDS", 3)
    # Each worker answers count.json polls from memory for this long (see
    # petition/campaigns/live.py for why it fits the 5-second promise).
    PETITION_COUNT_CACHE_SECONDS = _float("PETITION_COUNT_CACHE_SECONDS", 0.5)
    # Anonymous copies of the home, campaign and pledge pages: fresh this long
    # in a shared cache, then served stale while it fetches a new one.
    PETITION_PAGE_MAX_AGE = _int("PETITION_PAGE_MAX_AGE", 10)
    PETITION_PAGE_STALE_SECONDS = _int("PETITION_PAGE_STALE_SECONDS", 60)
    PETITION_PAGE_CACHE_SECONDS = _float("PETITION_PAGE_CACHE_SECONDS", 1)
    # The site's name in page titles, the header and link-preview cards.
    PETITION_SITE_NAME = os.environ.get("PETITION_SITE_NAME") or "Petition"
    # 1: publishing puts a campaign in the admins' review queue instead of live.
    PETITION_MODERATION = _bool("PETITION_MODERATION")
    # Unsubscribe links in updates keep working for a long time: mail is read late.
    PETITION_UNSUBSCRIBE_MAX_AGE = _int("PETITION_UNSUBSCRIBE_MAX_AGE", 365 * 24 * 3600)
    PETITION_INVITE_MAX_AGE = _int("PETITION_INVITE_MAX_AGE", 14 * 24 * 3600)
    # Password reset links: short, and single use whatever their age.
    PETITION_RESET_MAX_AGE = _int("PETITION_RESET_MAX_AGE", 3600)
    # The least time between two reminders to one candidate.
    PETITION_REMINDER_INTERVAL = _int("PETITION_REMINDER_INTERVAL", 72 * 3600)
    # Candidates' private pledge response links; a reminder carries a fresh one.
    PETITION_PLEDGE_LINK_MAX_AGE = _int("PETITION_PLEDGE_LINK_MAX_AGE", 60 * 24 * 3600)
    # Failed API key attempts per client address before it is refused (429).
    PETITION_API_AUTH_RATE_LIMIT = (
        os.environ.get("PETITION_API_AUTH_RATE_LIMIT") or "20 per minute; 200 per day"
    )
    # Webhooks: tries per delivery before giving up, seconds a receiver has to
    # answer, and whether private, loopback and link-local targets are allowed (tests).
    PETITION_WEBHOOK_MAX_ATTEMPTS = _int("PETITION_WEBHOOK_MAX_ATTEMPTS", 8)
    PETITION_WEBHOOK_TIMEOUT = _float("PETITION_WEBHOOK_TIMEOUT", 10.0)
    PETITION_WEBHOOK_ALLOW_PRIVATE = _bool("PETITION_WEBHOOK_ALLOW_PRIVATE")

    # The IANA time zone new demands and races start in; each one can change it.
    PETITION_DEFAULT_TIME_ZONE = os.environ.get("PETITION_DEFAULT_TIME_ZONE") or "America/Chicago"

    # The largest candidate photo upload, in bytes (that route only; 413 above it).
    PETITION_PHOTO_MAX_BYTES = _int("PETITION_PHOTO_MAX_BYTES", 2 * 1024 * 1024)

    # Supporters' personal data is anonymized this many days after a demand
    # closes (`flask retention run`); the counts and the public record stay.
    PETITION_RETENTION_DAYS = _int("PETITION_RETENTION_DAYS", 183)

    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI") or "memory://"
    RATELIMIT_ENABLED = _bool("RATELIMIT_ENABLED", True)

    # Requests larger than this are refused with 413 before any form parsing.
    MAX_CONTENT_LENGTH = 64 * 1024
    WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the session
    # Flask-WTF would read WTForms' own catalog from disk on every request with a form
    # (a tenth of the campaign page's time); petition.forms.SiteForm reads it once per
    # language and process instead.
    WTF_I18N_ENABLED = False

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", True)
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", True)
