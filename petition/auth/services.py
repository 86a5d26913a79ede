"""Account workflows: register, confirm, authenticate, reset. They add and flush; callers commit.

None of them tells its caller whether an address has an account in a way a
view could pass on: the views show every outcome the same way.
"""

import enum
import hashlib
import hmac
from datetime import timedelta
from functools import cache

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from werkzeug.security import check_password_hash, generate_password_hash

from petition.auth.sessions import end_every_session
from petition.clock import now
from petition.emails import normalize_email
from petition.extensions import db
from petition.models import OutboxMessage, Role, User
from petition.outbox import queue_mail
from petition.tokens import account_confirm_token, password_reset_token
from petition.urls import absolute_url

PASSWORD_MIN = 10
PASSWORD_MAX = 200
# Account mail to one address per PETITION_RESEND_INTERVAL: enough for someone
# who mistyped or lost a message, too few to flood a stranger's mailbox.
MAILS_PER_INTERVAL = 3
ACCOUNT_MAIL = (
    "account_confirm",
    "account_exists",
    "account_pending",
    "account_reset",
    "account_password_changed",
)


class AccountExists(Exception):
    """Raised only where revealing it is fine: the command line."""


class RegisterOutcome(enum.Enum):
    NEW = "new"
    PENDING = "pending"  # unconfirmed: unchanged; the owner got a set-password link
    EXISTS = "exists"  # confirmed: the owner got a note instead
    THROTTLED = "throttled"  # mailed this address too recently to mail again


def hash_password(password: str) -> str:
    return generate_password_hash(password)  # werkzeug's default: scrypt


@cache
def _dummy_hash() -> str:
    return generate_password_hash("not a password anybody has")


def password_fingerprint(user: User) -> str:
    """Return a short keyed digest of the password hash.

    Links and sessions carry it, so changing the password (which always makes
    a new salted hash) ends every older reset link, confirmation link and
    session. Keyed, so the value says nothing about the hash itself.
    """
    key = hashlib.sha256(b"petition.password:" + current_app.config["SECRET_KEY"].encode())
    digest = hmac.new(key.digest(), user.password_hash.encode(), hashlib.sha256)
    return digest.hexdigest()[:20]


def fingerprint_matches(user: User, fingerprint: str) -> bool:
    return hmac.compare_digest(password_fingerprint(user), fingerprint)


def confirm_fingerprint(user: User) -> str:
    """Return what a confirmation link carries: the password and the session version.

    A second registration of a pending address bumps the version, so every
    confirmation link mailed before stops working: after that, only a
    password chosen through the owner's own link can confirm the account.
    """
    return f"{password_fingerprint(user)}.{user.session_version}"


def confirm_fingerprint_matches(user: User, fingerprint: str) -> bool:
    return hmac.compare_digest(confirm_fingerprint(user), fingerprint)


def find_user(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email_normalized == normalize_email(email)))


def create_account(
    email: str, password: str, *, name: str = "", admin: bool = False, confirmed: bool = False
) -> User:
    """Add an account; raise ``AccountExists`` if the mailbox already has one."""
    return _insert(email, hash_password(password), name=name, admin=admin, confirmed=confirmed)


def _insert(email: str, password_hash: str, *, name: str, admin: bool, confirmed: bool) -> User:
    user = User(
        email=email,
        email_normalized=normalize_email(email),
        name=name,
        password_hash=password_hash,
        role=Role.ADMIN if admin else Role.ORGANIZER,
        confirmed_at=now() if confirmed else None,
        password_changed_at=now(),
        created_at=now(),
    )
    try:
        with db.session.begin_nested():
            db.session.add(user)
    except IntegrityError as exc:
        raise AccountExists(email) from exc
    return user


def register(email: str, password: str, name: str) -> RegisterOutcome:
    """Open an account, or recognise the address, and queue the right email."""
    # Hash first on every path, so each outcome costs the same time.
    password_hash = hash_password(password)
    user = find_user(email)
    if user is None:
        try:
            user = _insert(email, password_hash, name=name, admin=False, confirmed=False)
        except AccountExists:
            # Lost a race with a concurrent registration of the same address.
            user = find_user(email)
            assert user is not None
        else:
            _mail_confirmation(user)
            return RegisterOutcome.NEW
    if _mailed_recently(user.email):
        return RegisterOutcome.THROTTLED
    if user.confirmed_at is not None:
        queue_mail(
            user.email,
            "account_exists",
            "You already have an account",
            user=user,
            login_url=absolute_url("auth.login"),
            forgot_url=absolute_url("auth.forgot_password"),
        )
        return RegisterOutcome.EXISTS
    # Unconfirmed: a second registration never changes the credentials, or
    # someone could replace the owner's password with one they know just
    # before the owner confirms (a pre-hijack). The mailbox gets a link to
    # choose a password instead; until it is used, the first password stays.
    # Earlier confirmation links die (they would confirm a password whose
    # chooser is unknown), and so do sessions, though none can exist yet.
    end_every_session(user)
    queue_mail(
        user.email,
        "account_pending",
        "Finish setting up your account",
        set_password_url=absolute_url(
            "auth.reset_password", token=password_reset_token(user.id, password_fingerprint(user))
        ),
        forgot_url=absolute_url("auth.forgot_password"),
    )
    return RegisterOutcome.PENDING


def _mailed_recently(address: str) -> bool:
    """Whether ``address`` had its share of account mail in the resend interval.

    The outbox is the record: it keeps one person from filling another's
    mailbox by submitting their address over and over.
    """
    since = now() - timedelta(seconds=current_app.config["PETITION_RESEND_INTERVAL"])
    recent = db.session.scalar(
        select(func.count(OutboxMessage.id)).where(
            OutboxMessage.to_address == address,
            OutboxMessage.category.in_(ACCOUNT_MAIL),
            OutboxMessage.created_at > since,
        )
    )
    return (recent or 0) >= MAILS_PER_INTERVAL


def _mail_confirmation(user: User) -> None:
    token = account_confirm_token(user.id, confirm_fingerprint(user))
    queue_mail(
        user.email,
        "account_confirm",
        "Confirm your email address",
        user=user,
        confirm_url=absolute_url("auth.confirm", token=token),
    )


def password_matches(user: User, password: str) -> bool:
    """Whether ``password`` is the account's password (one hash check, like a login)."""
    return len(password) <= PASSWORD_MAX and check_password_hash(user.password_hash, password)


def confirm_account(user: User) -> bool:
    """Mark the address confirmed; return False if it already was."""
    if user.confirmed_at is not None:
        return False
    user.confirmed_at = now()
    db.session.flush()
    return True


def authenticate(email: str, password: str) -> User | None:
    """Return the confirmed account with this email and password, or None.

    Exactly one password check runs whatever the outcome, against a dummy hash
    when there is no account, so the time taken does not tell them apart.
    """
    user = find_user(email) if len(email) <= 254 else None
    if user is None:
        check_password_hash(_dummy_hash(), password)
        return None
    if not check_password_hash(user.password_hash, password):
        return None
    if user.confirmed_at is None:
        # The right password for an unconfirmed account. Saying "confirm your
        # email first" would leak: anyone can register someone else's address
        # with a password of their choosing, then log in with it and learn from
        # the answer whether the real owner already had a confirmed account.
        # So the caller shows the generic failure (which mentions confirming),
        # and the owner's mailbox gets a fresh link.
        if not _mailed_recently(user.email):
            _mail_confirmation(user)
        return None
    return user


def record_login(user: User) -> None:
    user.last_login_at = now()
    db.session.flush()


def request_password_reset(email: str) -> None:
    """Mail a reset link if the address has an account; do nothing otherwise."""
    user = find_user(email) if len(email) <= 254 else None
    if user is None or _mailed_recently(user.email):
        return
    token = password_reset_token(user.id, password_fingerprint(user))
    queue_mail(
        user.email,
        "account_reset",
        "Reset your password",
        user=user,
        reset_url=absolute_url("auth.reset_password", token=token),
        forgot_url=absolute_url("auth.forgot_password"),
    )


def set_password(user: User, password: str) -> None:
    """Change the password; older reset links and sessions stop working.

    A reset link reached the mailbox, which is what confirming proves, so an
    unconfirmed account becomes confirmed too.
    """
    user.password_hash = hash_password(password)
    user.password_changed_at = now()
    end_every_session(user)
    if user.confirmed_at is None:
        user.confirmed_at = now()
    queue_mail(
        user.email,
        "account_password_changed",
        "Your password was changed",
        user=user,
        forgot_url=absolute_url("auth.forgot_password"),
    )
    db.session.flush()
