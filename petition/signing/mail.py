"""Mail to signers about their own signature, rendered by the outbox worker.

Signing is the hottest write path, so the request only queues a row naming
the signature; the worker renders the message from the signature as it is
when the mail goes out.
"""

from datetime import timedelta

from flask import current_app
from flask_babel import gettext as _

from petition.clock import now
from petition.extensions import db
from petition.models import Signature
from petition.outbox import MailContent, queue_mail_later, renderer
from petition.tokens import signature_confirm_token, signature_withdraw_token
from petition.urls import absolute_url

CONFIRM = "confirm_signature"
ALREADY_SIGNED = "already_signed"


def queue_confirmation(signature_id: int, email: str, language: str) -> None:
    """Queue the confirmation link, written in the signer's ``language``."""
    queue_mail_later(email, CONFIRM, language=language, signature=signature_id)


def queue_already_signed(signature_id: int, email: str, language: str) -> None:
    """Queue "you have already signed", written in the signer's ``language``."""
    queue_mail_later(email, ALREADY_SIGNED, language=language, signature=signature_id)


@renderer(CONFIRM)
def _confirmation(params: dict) -> MailContent | None:
    signature = db.session.get(Signature, params.get("signature", 0))
    if signature is None:
        return None
    token = signature_confirm_token(signature.id, signature.token_nonce)
    confirm_url = absolute_url("signing.confirm", token=token)
    return MailContent(
        CONFIRM,
        _("Confirm your signature: %(title)s", title=signature.campaign.title),
        _context(signature)
        | {
            "confirm_url": confirm_url,
            "link_expires_at": now()
            + timedelta(seconds=current_app.config["PETITION_CONFIRM_MAX_AGE"]),
        },
    )


@renderer(ALREADY_SIGNED)
def _already_signed(params: dict) -> MailContent | None:
    signature = db.session.get(Signature, params.get("signature", 0))
    if signature is None:
        return None
    return MailContent(ALREADY_SIGNED, _("You have already signed: thank you"), _context(signature))


def _context(signature: Signature) -> dict[str, object]:
    campaign = signature.campaign
    return {
        "signature": signature,
        "campaign": campaign,
        "time_zone": campaign.time_zone,
        "campaign_url": absolute_url("campaigns.show", slug=campaign.slug),
        "withdraw_url": absolute_url(
            "signing.withdraw", token=signature_withdraw_token(signature.id, signature.token_nonce)
        ),
    }
