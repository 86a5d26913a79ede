"""Organizer API keys: made, revoked and checked. They add and flush; callers commit.

A token reads ``ptn_<prefix>_<secret>``. Only the SHA-256 of the whole token
is stored; the prefix is stored in clear so a presented token finds its row
in one indexed lookup, and the hashes are compared in constant time. The
secret carries 256 bits, so a fast hash is enough: nobody can guess it, and
nothing is gained by a slow one except load on every API call.
"""

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass

from sqlalchemy import select, update

from petition.clock import now
from petition.extensions import db
from petition.models import ApiKey, User

TOKEN_PATTERN = re.compile(r"ptn_([0-9a-f]{12})_[A-Za-z0-9_-]{43}")
MAX_ACTIVE_KEYS = 20


class TooManyKeys(Exception):
    """The organizer already has the most active keys one account may hold."""


@dataclass(frozen=True)
class NewKey:
    key: ApiKey
    token: str  # shown to the organizer once, never stored


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def active_keys(user: User) -> list[ApiKey]:
    return list(
        db.session.scalars(
            select(ApiKey)
            .where(ApiKey.user_id == user.id, ApiKey.revoked_at.is_(None))
            .order_by(ApiKey.created_at, ApiKey.id)
        )
    )


def create_key(user: User, name: str) -> NewKey:
    """Make a key for ``user``; the token in the result is the only copy there will be."""
    if len(active_keys(user)) >= MAX_ACTIVE_KEYS:
        raise TooManyKeys()
    prefix = secrets.token_hex(6)
    token = f"ptn_{prefix}_{secrets.token_urlsafe(32)}"
    key = ApiKey(user_id=user.id, name=name, prefix=prefix, key_hash=_digest(token))
    db.session.add(key)
    db.session.flush()
    return NewKey(key, token)


def revoke_key(user: User, key_id: int) -> bool:
    """Revoke one of ``user``'s keys; False if it is not theirs or already revoked."""
    result = db.session.execute(
        update(ApiKey)
        .where(ApiKey.id == key_id, ApiKey.user_id == user.id, ApiKey.revoked_at.is_(None))
        .values(revoked_at=now())
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def holder_of(token: str) -> User | None:
    """Return the organizer an active ``token`` belongs to, or None."""
    match = TOKEN_PATTERN.fullmatch(token)
    if match is None:
        return None
    row = db.session.execute(
        select(ApiKey.key_hash, User)
        .join(User, User.id == ApiKey.user_id)
        .where(ApiKey.prefix == match.group(1), ApiKey.revoked_at.is_(None))
    ).first()
    if row is None or not hmac.compare_digest(row.key_hash, _digest(token)):
        return None
    user = row.User
    return user if user.is_active else None
