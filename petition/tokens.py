"""Signed, timed tokens for links in email: one salt and one lifetime per purpose.

Views call ``load_*`` and turn ``BadToken`` into a friendly 400 page.
"""

from typing import Any

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, TimestampSigner, URLSafeTimedSerializer

from petition import clock

SIGNATURE_CONFIRM = "signature-confirm"


class BadToken(Exception):
    """A token that is tampered with, expired, or meant for something else."""

    def __init__(self, expired: bool = False, payload: Any = None) -> None:
        super().__init__("expired token" if expired else "bad token")
        self.expired = expired
        # For an expired token the signature was verified, so the payload is
        # authentic and can say which campaign to offer a fresh link for.
        self.payload = payload


class _ClockSigner(TimestampSigner):
    """Read time from petition.clock, so tests move time instead of sleeping."""

    def get_timestamp(self) -> int:
        return int(clock.now().timestamp())


def _serializer(salt: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=salt, signer=_ClockSigner)


def dump(salt: str, payload: Any) -> str:
    """Sign ``payload`` for ``salt``'s purpose."""
    return _serializer(salt).dumps(payload)


def load(salt: str, token: str, max_age: int) -> Any:
    """Return the payload of ``token``, or raise ``BadToken``."""
    serializer = _serializer(salt)
    try:
        return serializer.loads(token, max_age=max_age)
    except SignatureExpired as exc:
        payload = serializer.load_payload(exc.payload) if exc.payload is not None else None
        raise BadToken(expired=True, payload=payload) from exc
    except (BadSignature, UnicodeError, ValueError) as exc:
        raise BadToken() from exc


def signature_confirm_token(signature_id: int) -> str:
    return dump(SIGNATURE_CONFIRM, {"s": signature_id})


def load_signature_confirm_token(token: str) -> int:
    """Return the signature id carried by a confirmation token."""
    payload = load(SIGNATURE_CONFIRM, token, current_app.config["PETITION_CONFIRM_MAX_AGE"])
    if not isinstance(payload, dict) or not isinstance(payload.get("s"), int):
        raise BadToken()
    return payload["s"]
