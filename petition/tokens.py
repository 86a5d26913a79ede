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


def signature_confirm_token(signature_id: int, nonce: str | None = None) -> str:
    """Sign a confirmation link for one signing: the signature and its nonce.

    A signature gets a new nonce each time it is signed afresh (after a
    withdrawal), so a link confirms only the signing it was mailed for.
    """
    return dump(SIGNATURE_CONFIRM, _signing(signature_id, nonce))


def load_signature_confirm_token(token: str) -> tuple[int, str | None]:
    """Return the signature id and nonce carried by a confirmation token."""
    payload = load(SIGNATURE_CONFIRM, token, current_app.config["PETITION_CONFIRM_MAX_AGE"])
    return _signing_payload(payload)


def _signing(signature_id: int, nonce: str | None) -> dict[str, Any]:
    return {"s": signature_id, "n": nonce} if nonce else {"s": signature_id}


def _signing_payload(payload: Any) -> tuple[int, str | None]:
    if not isinstance(payload, dict) or type(payload.get("s")) is not int:
        raise BadToken()
    nonce = payload.get("n")
    if nonce is not None and not isinstance(nonce, str):
        raise BadToken()
    return payload["s"], nonce


SIGNATURE_WITHDRAW = "signature-withdraw"
# People change their minds long after signing; the link must outlive the campaign.
SIGNATURE_WITHDRAW_MAX_AGE = 3 * 365 * 24 * 3600


def signature_withdraw_token(signature_id: int, nonce: str | None = None) -> str:
    """Sign a withdrawal link for one signing, like the confirmation link."""
    return dump(SIGNATURE_WITHDRAW, _signing(signature_id, nonce))


def load_signature_withdraw_token(token: str) -> tuple[int, str | None]:
    """Return the signature id and nonce carried by a withdrawal token."""
    return _signing_payload(load(SIGNATURE_WITHDRAW, token, SIGNATURE_WITHDRAW_MAX_AGE))


PLEDGE_RESPONSE = "pledge-response"


def pledge_response_token(candidate_id: int, token_version: int, nonce: str | None) -> str:
    """Sign a candidate's private response link, bound to their current link version.

    The candidate's nonce makes it theirs alone, even if a deleted
    candidate's id is reused.
    """
    payload: dict[str, Any] = {"c": candidate_id, "v": token_version}
    if nonce:
        payload["n"] = nonce
    return dump(PLEDGE_RESPONSE, payload)


def load_pledge_response_token(token: str) -> tuple[int, int, str | None]:
    """Return the (candidate id, link version, nonce) carried by a response token.

    The caller must compare the version with the candidate's ``token_version``
    (a revoked link is authentic but stale) and the nonce with its ``token_nonce``.
    """
    payload = load(PLEDGE_RESPONSE, token, current_app.config["PETITION_PLEDGE_LINK_MAX_AGE"])
    if (
        not isinstance(payload, dict)
        or type(payload.get("c")) is not int
        or type(payload.get("v")) is not int
    ):
        raise BadToken()
    return payload["c"], payload["v"], _nonce(payload)


ACCOUNT_CONFIRM = "account-confirm"
PASSWORD_RESET = "password-reset"
# A reset link is a key to the account: short-lived, and single use because it
# carries the password fingerprint, which changes when the password does.


def _load_account_payload(salt: str, token: str, max_age: int) -> tuple[int, str]:
    payload = load(salt, token, max_age)
    if (
        not isinstance(payload, dict)
        or type(payload.get("u")) is not int
        or type(payload.get("f")) is not str
    ):
        raise BadToken()
    return payload["u"], payload["f"]


def account_confirm_token(user_id: int, fingerprint: str) -> str:
    return dump(ACCOUNT_CONFIRM, {"u": user_id, "f": fingerprint})


def load_account_confirm_token(token: str) -> tuple[int, str]:
    """Return the user id and password fingerprint carried by a confirmation token."""
    return _load_account_payload(
        ACCOUNT_CONFIRM, token, current_app.config["PETITION_CONFIRM_MAX_AGE"]
    )


def password_reset_token(user_id: int, fingerprint: str) -> str:
    return dump(PASSWORD_RESET, {"u": user_id, "f": fingerprint})


def load_password_reset_token(token: str) -> tuple[int, str]:
    """Return the user id and password fingerprint carried by a reset token."""
    return _load_account_payload(
        PASSWORD_RESET, token, current_app.config["PETITION_RESET_MAX_AGE"]
    )


SIGNATURE_UNSUBSCRIBE = "signature-unsubscribe"
ORGANIZER_INVITE = "organizer-invite"


def unsubscribe_token(signature_id: int, nonce: str | None = None) -> str:
    """Sign the one-click unsubscribe link put in every update to a signer, for one signing."""
    return dump(SIGNATURE_UNSUBSCRIBE, _signing(signature_id, nonce))


def load_unsubscribe_token(token: str) -> tuple[int, str | None]:
    """Return the signature id and nonce carried by an unsubscribe token."""
    max_age = current_app.config["PETITION_UNSUBSCRIBE_MAX_AGE"]
    return _signing_payload(load(SIGNATURE_UNSUBSCRIBE, token, max_age))


def organizer_invite_token(co_organizer_id: int, nonce: str | None) -> str:
    """Sign a co-organizer invitation link: the row and its random nonce.

    An id alone can recur (SQLite reuses the ids of deleted rows), so an old
    link could open someone else's invitation; the nonce cannot recur.
    """
    return dump(
        ORGANIZER_INVITE, {"i": co_organizer_id, "n": nonce} if nonce else {"i": co_organizer_id}
    )


def load_organizer_invite_token(token: str) -> tuple[int, str | None]:
    """Return the co-organizer row's id and nonce carried by an invite token."""
    payload = load(ORGANIZER_INVITE, token, current_app.config["PETITION_INVITE_MAX_AGE"])
    if not isinstance(payload, dict) or type(payload.get("i")) is not int:
        raise BadToken()
    return payload["i"], _nonce(payload)


def _nonce(payload: dict[str, Any]) -> str | None:
    nonce = payload.get("n")
    if nonce is not None and not isinstance(nonce, str):
        raise BadToken()
    return nonce


JUST_SIGNED = "just-signed"
# An hour: time to find the email and fix a typo; not long on a shared phone.
JUST_SIGNED_MAX_AGE = 3600


def just_signed_token(fields: dict[str, Any]) -> str:
    """Sign what a supporter just typed into a sign form, for their own "check your email"."""
    return dump(JUST_SIGNED, fields)


def load_just_signed_token(token: str) -> dict[str, Any]:
    """Return the fields carried by ``just_signed_token``."""
    payload = load(JUST_SIGNED, token, JUST_SIGNED_MAX_AGE)
    if not isinstance(payload, dict) or not isinstance(payload.get("email"), str):
        raise BadToken()
    return payload


SIGN_FORM_STARTED = "sign-form-started"
# A sign form left open this long is still honest: a person came back to it.
_SIGN_FORM_MAX_AGE = 7 * 24 * 3600


# The last token made, with the key and the whole second it signs.
_last_started: tuple[tuple[str, int], str] | None = None


def sign_form_started_token() -> str:
    """Sign the moment a sign form was served (petition.signing.rules: minimum fill time)."""
    global _last_started
    # The token signs the whole second it was made in, so every form served in
    # that second carries the same bytes: made once a second, not per page view.
    key = (current_app.config["SECRET_KEY"], int(clock.now().timestamp()))
    if _last_started is None or _last_started[0] != key:
        _last_started = (key, dump(SIGN_FORM_STARTED, "started"))
    return _last_started[1]


def sign_form_age(token: str) -> float | None:
    """Return how many seconds ago the form carrying ``token`` was served; None if forged.

    A form older than a week counts as old, not as forged.
    """
    serializer = _serializer(SIGN_FORM_STARTED)
    try:
        _payload, started = serializer.loads(
            token, max_age=_SIGN_FORM_MAX_AGE, return_timestamp=True
        )
    except SignatureExpired:
        return float(_SIGN_FORM_MAX_AGE)
    except (BadSignature, UnicodeError, ValueError):
        return None
    return (clock.now() - started).total_seconds()
