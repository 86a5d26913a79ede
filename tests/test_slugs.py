"""One rule for web addresses: demands and pledges make the same slug from the same title."""

import pytest
from sqlalchemy import select

from petition import slugs
from petition.extensions import db
from petition.models import Campaign, Pledge

from .fixtures_accounts import log_in
from .helpers import post_form
from .test_organizers_editor import campaign_form
from .test_pledges_manage import VALID_PLEDGE

ACCENTED = "Fiscalía: ¿sí o no?"


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        (ACCENTED, "fiscalia-si-o-no"),
        ("¡Justicia para Peña! — 100% now", "justicia-para-pena-100-now"),
        ("Ça suffit, Señor Fiscal", "ca-suffit-senor-fiscal"),
        ("   ", "demand"),
        ("Ωμέγα only", "only"),
    ],
)
def test_titles_become_slugs_with_their_accents_taken_off(title, slug):
    assert slugs.slugify(title) == slug


def test_a_demand_and_a_pledge_with_the_same_accented_title_get_the_same_slug(
    app, client, make_user
):
    log_in(client, make_user())

    post_form(
        client,
        "/dashboard/campaigns/new",
        "/dashboard/campaigns/new",
        campaign_form(title=ACCENTED, slug=""),
    )
    post_form(
        client,
        "/dashboard/pledges/new",
        "/dashboard/pledges/new",
        {**VALID_PLEDGE, "title": ACCENTED, "slug": ""},
    )

    with app.app_context():
        demand = db.session.scalar(select(Campaign.slug).where(Campaign.title == ACCENTED))
        pledge = db.session.scalar(select(Pledge.slug))
    assert demand == pledge == "fiscalia-si-o-no"


def test_every_slug_the_rules_accept_has_a_url(client, make_campaign):
    longest = "a" * slugs.MAX_LENGTH
    campaign = make_campaign(slug=longest)
    assert slugs.problem(longest) is None
    assert client.get(f"/c/{campaign.slug}").status_code == 200
    too_long = "a" * (slugs.MAX_LENGTH + 1)
    assert slugs.problem(too_long) is not None
    assert client.get(f"/c/{too_long}").status_code == 404


def test_a_pledge_slug_leaves_room_for_its_demand(app, client, make_user):
    from petition.pledges.forms import SLUG_MAX
    from petition.pledges.services import backing_campaign_slug

    assert slugs.problem(backing_campaign_slug("a" * SLUG_MAX)) is None
    log_in(client, make_user())
    response = post_form(
        client,
        "/dashboard/pledges/new",
        "/dashboard/pledges/new",
        {**VALID_PLEDGE, "slug": "a" * (SLUG_MAX + 1)},
    )
    assert response.status_code == 422
    assert f"up to {SLUG_MAX} characters" in response.get_data(as_text=True)
