"""The one way from a sign form to a signature, for demand pages and pledge pages alike."""

from flask import Response, redirect, request

from petition import ratelimits
from petition.database import reading
from petition.models import Campaign
from petition.netaddr import client_address, hash_address
from petition.signing import just_signed, rules
from petition.signing.forms import SignForm
from petition.signing.services import CampaignToSign, ensure_open, sign

LIMIT = "PETITION_SIGN_RATE_LIMIT"


def sign_from_form(
    campaign: Campaign | CampaignToSign, check_email: str
) -> tuple[SignForm, Response | None]:
    """Sign ``campaign`` with the posted form; return the form and the answer to send.

    The answer is the redirect to ``check_email`` (the page that tells the
    signer what to do next), or None when the form has errors: the caller
    shows it again. Raises ``CampaignNotOpen`` when the campaign takes no
    signatures now, before the form is looked at. Every form sent counts
    against the visitor's limit (``PETITION_SIGN_RATE_LIMIT``, per page and
    address; past it, a 429 page and nothing stored); a valid one also counts
    against the abuse rules' windows, in the same round trip to Redis.

    Everything but the write comes first, the answer included: on SQLite the
    write lock is held from the write to the commit, which the app makes
    before any other work on the response (``petition.transactions``).
    """
    with reading():
        ensure_open(campaign)
        form = SignForm(zip_required=campaign.zip_required)
        ip_hash = hash_address(client_address())
        limit = ratelimits.Try(LIMIT, request.endpoint or "sign", (ip_hash,))
        if not form.validate():
            if not ratelimits.hit_all([limit])[0]:
                ratelimits.refuse(LIMIT)
            return form, None
        windows = rules.windows(campaign.id, ip_hash)
        allowed, *within = ratelimits.hit_all([limit, *(each for _, each in windows)])
        if not allowed:
            ratelimits.refuse(LIMIT)
        counted = [(rule, ok) for (rule, _), ok in zip(windows, within, strict=True)]
        held_by = rules.tripped_rule(form.homepage.data, form.started.data, counted)
        details = form.details(held_by)
        # Its own fragment, or the browser would carry the form's #error-summary through.
        answer = just_signed.remember(redirect(f"{check_email}#main", code=303), form, check_email)
    sign(campaign, details, ip_hash=ip_hash)
    return form, answer
