"""The one way from a sign form to a signature, for demand pages and pledge pages alike."""

from petition.database import reading
from petition.models import Campaign
from petition.netaddr import client_address, hash_address
from petition.signing.forms import SignForm
from petition.signing.rules import tripped_rule
from petition.signing.services import CampaignToSign, ensure_open, sign


def sign_from_form(campaign: Campaign | CampaignToSign) -> SignForm:
    """Sign ``campaign`` with the posted form; return the form, carrying its errors if any.

    Raises ``CampaignNotOpen`` when the campaign takes no signatures now,
    before the form is looked at. The checks run before SQLite's write lock
    is taken (``database.reading``), so the lock is held only to write.
    """
    with reading():
        ensure_open(campaign)
        form = SignForm(zip_required=campaign.zip_required)
        if not form.validate():
            return form
        ip_hash = hash_address(client_address())
        held_by = tripped_rule(campaign.id, form.homepage.data, form.started.data, ip_hash)
        details = form.details(held_by)
    sign(campaign, details, ip_hash=ip_hash)
    return form
