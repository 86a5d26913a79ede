"""A taken-down pledge or demand is gone from every public page, file and API, not just its page."""

from datetime import timedelta

import pytest

from petition.clock import now
from petition.models import CampaignStatus

from .fixtures_accounts import log_in
from .fixtures_pledges import store_photo
from .helpers import post_form

REASON = "Names a private person as a suspect"


@pytest.fixture
def take_down(app, make_user):
    admin = app.test_client()
    log_in(admin, make_user("admin@example.org", admin=True))

    def post(address: str):
        response = post_form(
            admin, "/admin/take-down", "/admin/take-down", {"address": address, "reason": REASON}
        )
        assert response.status_code == 303
        return response

    return post


@pytest.fixture
def linked_pledge(make_user, make_owned_campaign, make_pledge):
    """A pledge that collects the signers of someone else's live demand."""
    demand = make_owned_campaign(make_user("demand-owner@example.org"), title="Their demand")
    pledge = make_pledge(owner=make_user("pledge-owner@example.org"), campaign=demand)
    return pledge, demand


def pledge_html_addresses(pledge) -> list[str]:
    return [pledge.url, f"{pledge.url}/record", f"{pledge.url}/poster", f"{pledge.url}/card.png"]


def test_a_pledge_taken_down_on_its_own_is_gone_everywhere_while_the_demand_stays(
    app, take_down, linked_pledge
):
    pledge, demand = linked_pledge
    store_photo(app, pledge.candidate_ids[0])
    visitor = app.test_client()
    photo = f"{pledge.url}/candidates/{pledge.candidate_ids[0]}/photo"
    files = [photo, f"{pledge.url}/count.json", f"/api/v1/pledges/{pledge.slug}"]
    everything = pledge_html_addresses(pledge) + files
    assert [visitor.get(address).status_code for address in everything] == [200] * 7
    assert pledge.slug in visitor.get("/api/v1/pledges").get_data(as_text=True)
    assert pledge.url in visitor.get("/").get_data(as_text=True)

    take_down(pledge.url)

    for address in pledge_html_addresses(pledge):
        page = visitor.get(address)
        assert page.status_code == 410, address
        assert "This pledge was taken down" in page.get_data(as_text=True), address
    for address in files:
        assert visitor.get(address).status_code == 404, address
    assert pledge.slug not in visitor.get("/api/v1/pledges").get_data(as_text=True)
    assert pledge.url not in visitor.get("/").get_data(as_text=True)
    # The demand it backed is someone else's, and stays public without the pledge.
    demand_page = visitor.get(f"/c/{demand.slug}")
    assert demand_page.status_code == 200
    assert pledge.slug not in demand_page.get_data(as_text=True)
    assert visitor.get(f"/api/v1/campaigns/{demand.slug}").status_code == 200


def test_a_taken_down_demand_is_gone_from_every_public_address(
    app, take_down, make_user, make_owned_campaign, make_pledge
):
    demand = make_owned_campaign(
        make_user("demand-owner@example.org"),
        title="A won demand",
        status=CampaignStatus.WON,
        won_at=now() - timedelta(days=1),
    )
    pledge = make_pledge(campaign=demand)
    visitor = app.test_client()
    html = [
        f"/c/{demand.slug}",
        f"/c/{demand.slug}/embed",
        f"/c/{demand.slug}/poster",
        f"/c/{demand.slug}/card.png",
        f"/c/{demand.slug}/record",
        f"/c/{demand.slug}/revisions",
    ]
    json = [
        f"/c/{demand.slug}/count.json",
        f"/api/v1/campaigns/{demand.slug}",
        f"/api/v1/campaigns/{demand.slug}/history",
    ]
    assert [visitor.get(address).status_code for address in html + json] == [200] * 9
    assert "A won demand" in visitor.get("/victories").get_data(as_text=True)
    assert "A won demand" in visitor.get("/").get_data(as_text=True)

    take_down(f"/c/{demand.slug}")

    for address in html:
        page = visitor.get(address)
        assert page.status_code == 410, address
        if not address.endswith(".png"):
            assert "This demand was taken down" in page.get_data(as_text=True), address
    for address in json:
        assert visitor.get(address).status_code == 404, address
    assert demand.slug not in visitor.get("/api/v1/campaigns").get_data(as_text=True)
    assert "A won demand" not in visitor.get("/victories").get_data(as_text=True)
    assert "A won demand" not in visitor.get("/").get_data(as_text=True)
    # A pledge that counted its signers goes with it.
    assert visitor.get(pledge.url).status_code == 410
    assert visitor.get(f"/api/v1/pledges/{pledge.slug}").status_code == 404
    assert pledge.slug not in visitor.get("/api/v1/pledges").get_data(as_text=True)


def test_the_demo_pledge_taken_down_leaves_no_public_trace(app):
    """The reviewer's reproduction: the demo, its pledge taken down, every address visited."""
    from sqlalchemy import select

    from petition.demo import DEMO_PLEDGE_SLUG, load_demo
    from petition.extensions import db
    from petition.models import Candidate, Pledge
    from petition.takedown import take_down_pledge

    with app.app_context():
        load_demo()
        pledge = db.session.scalar(select(Pledge).where(Pledge.slug == DEMO_PLEDGE_SLUG))
        candidate_id = db.session.scalar(
            select(Candidate.id).where(Candidate.pledge_id == pledge.id).limit(1)
        )
        demand_slug = pledge.campaign.slug
        take_down_pledge(pledge, REASON)
        db.session.commit()
    visitor = app.test_client()
    url = f"/p/{DEMO_PLEDGE_SLUG}"

    for address in [url, f"{url}/record", f"{url}/poster", f"{url}/card.png"]:
        page = visitor.get(address)
        assert page.status_code == 410, address
        assert REASON in page.get_data(as_text=True), address
    for address in [
        f"{url}/count.json",
        f"{url}/candidates/{candidate_id}/photo",
        f"/api/v1/pledges/{DEMO_PLEDGE_SLUG}",
    ]:
        assert visitor.get(address).status_code == 404, address
    demand = [f"/c/{demand_slug}", f"/api/v1/campaigns/{demand_slug}"]
    for address in ["/", "/api/v1/pledges", *demand]:
        page = visitor.get(address)
        assert page.status_code == 200, address
        assert DEMO_PLEDGE_SLUG not in page.get_data(as_text=True), address
