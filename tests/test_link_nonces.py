"""Links that name a row carry its random nonce: a reused id never opens another row (finding 8)."""

import re

import sqlalchemy as sa

from petition.extensions import db
from petition.models import CampaignOrganizer, Candidate

from .fixtures_accounts import log_in
from .fixtures_pledges import link_for
from .helpers import path_of, post_form


def test_an_invitation_link_for_a_deleted_row_does_not_open_the_row_that_reuses_its_id(
    app, client, make_user, make_owned_campaign, outbox
):
    owner = make_user("owner@example.org")
    log_in(client, owner)
    first = make_owned_campaign(owner, title="First demand")
    page = f"/dashboard/campaigns/{first.id}/organizers"
    post_form(client, page, page, {"email": "friend@example.org"})
    link = path_of(re.search(r"https?://\S+/invitations/\S+", outbox()[0].body_text).group(0))
    second = make_owned_campaign(make_user(), title="Someone else's demand")
    with app.app_context():
        # The invitation is withdrawn, and (as SQLite does) its id is given again.
        row = db.session.scalar(sa.select(CampaignOrganizer))
        reused_id = row.id
        db.session.delete(row)
        db.session.flush()
        db.session.add(
            CampaignOrganizer(
                id=reused_id,
                campaign_id=second.id,
                email="friend@example.org",
                email_normalized="friend@example.org",
            )
        )
        db.session.commit()
    friend = app.test_client()
    log_in(friend, make_user("friend@example.org"))

    page = friend.get(link)
    accepted = post_form(friend, "/dashboard", link, {})

    assert page.status_code == 400
    assert "Someone else" not in page.get_data(as_text=True)
    assert accepted.status_code == 400
    assert friend.get(f"/dashboard/campaigns/{second.id}").status_code == 404


def test_a_candidates_link_does_not_open_another_candidate_with_its_id(app, make_pledge):
    pledge = make_pledge()
    candidate_id = pledge.candidate_ids[0]
    link = link_for(app, candidate_id)
    with app.app_context():
        candidate = db.session.get(Candidate, candidate_id)
        candidate.token_nonce = "0123456789abcdef"  # as a new row with this id would have
        db.session.commit()

    response = app.test_client().get(link)

    assert response.status_code == 400


def test_an_unsubscribe_link_acts_only_on_the_signing_it_was_mailed_for(
    app, client, make_campaign, add_signature
):
    from petition.models import Signature
    from petition.tokens import unsubscribe_token

    campaign = make_campaign()
    signature_id = add_signature(campaign, wants_updates=True)
    with app.app_context():
        signature = db.session.get(Signature, signature_id)
        signature.token_nonce = "aaaaaaaaaaaaaaaa"  # the signing the update was mailed for
        db.session.commit()
        path = f"/unsubscribe/{unsubscribe_token(signature_id, 'aaaaaaaaaaaaaaaa')}"
        stale = f"/unsubscribe/{unsubscribe_token(signature_id, 'bbbbbbbbbbbbbbbb')}"

    assert client.get(stale).status_code == 400
    assert client.get(path).status_code == 200
