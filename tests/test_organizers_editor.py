"""The campaign editor: slugs, targets, Markdown that cannot run script, preview."""

from html.parser import HTMLParser

import pytest
import sqlalchemy as sa

from petition.extensions import db
from petition.models import Campaign, CampaignStatus

from .fixtures_accounts import log_in
from .helpers import post_form

NEW = "/dashboard/campaigns/new"


def campaign_form(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "title": "Stop Prosecuting Poverty",
        "slug": "",
        "demand": "Drop charges for **unpaid fines**.",
        "targets-0-name": "Jane Doe",
        "targets-0-office": "District Attorney",
        "targets-0-jurisdiction": "Orleans Parish, LA",
        "targets-0-email": "",
        "targets-0-website": "",
        "signature_goal": "5000",
        "closes_on": "",
        "zip_required": "y",
        "save": "Save",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def only_campaign(app) -> Campaign:
    with app.app_context():
        campaign = db.session.scalar(sa.select(Campaign))
        assert campaign is not None
        campaign.targets  # noqa: B018 - load before detaching
        db.session.expunge_all()
        return campaign


@pytest.fixture
def organizer(client, make_user):
    user = make_user("organizer@example.org")
    log_in(client, user)
    return user


def test_creating_a_campaign_saves_a_draft_owned_by_the_organizer(app, client, organizer):
    response = post_form(client, NEW, NEW, campaign_form())

    assert response.status_code == 303
    campaign = only_campaign(app)
    assert response.headers["Location"] == f"/dashboard/campaigns/{campaign.id}"
    assert campaign.status == CampaignStatus.DRAFT
    assert campaign.owner_id == organizer.id
    assert campaign.slug == "stop-prosecuting-poverty"
    assert campaign.signature_goal == 5000
    assert campaign.zip_required is True
    assert [(t.name, t.office, t.jurisdiction) for t in campaign.targets] == [
        ("Jane Doe", "District Attorney", "Orleans Parish, LA")
    ]


def test_a_draft_is_not_public(app, client, organizer):
    post_form(client, NEW, NEW, campaign_form())
    assert client.get("/c/stop-prosecuting-poverty").status_code == 404


def test_a_generated_slug_that_collides_gets_a_number(app, client, organizer, make_campaign):
    make_campaign(slug="stop-prosecuting-poverty")
    post_form(client, NEW, NEW, campaign_form())
    with app.app_context():
        slugs = set(db.session.scalars(sa.select(Campaign.slug)))
    assert "stop-prosecuting-poverty-2" in slugs


def test_a_title_with_accents_and_symbols_makes_a_url_safe_slug(app, client, organizer):
    post_form(client, NEW, NEW, campaign_form(title="¡Justicia para Peña! — 100% now"))
    assert only_campaign(app).slug == "justicia-para-pena-100-now"


@pytest.mark.parametrize(
    ("slug", "message"),
    [
        ("dashboard", "reserved"),
        ("admin", "reserved"),
        ("login", "reserved"),
        ("api", "reserved"),
        ("static", "reserved"),
        ("Has Spaces", "Use only lowercase letters"),
        ("ends-with-hyphen-", "Use only lowercase letters"),
        ("-starts", "Use only lowercase letters"),
        ("a" * 81, "Use only lowercase letters"),
        ("caf%C3%A9", "Use only lowercase letters"),
        ("slash/inside", "Use only lowercase letters"),
    ],
)
def test_bad_slugs_get_a_clear_form_error(app, client, organizer, slug, message):
    response = post_form(client, NEW, NEW, campaign_form(slug=slug))

    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Campaign)) == 0


def test_a_slug_in_use_gets_a_clear_form_error(client, organizer, make_campaign):
    make_campaign(slug="taken")
    response = post_form(client, NEW, NEW, campaign_form(slug="taken"))
    assert response.status_code == 422
    assert "Another demand or pledge uses that web address" in response.get_data(as_text=True)


def test_uppercase_in_a_typed_slug_is_lowered(app, client, organizer):
    post_form(client, NEW, NEW, campaign_form(slug="End-Cash-Bail"))
    assert only_campaign(app).slug == "end-cash-bail"


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"title": ""}, "Enter a title"),
        ({"demand": "   "}, "Write the demand"),
        (
            {"targets-0-name": "", "targets-0-office": "", "targets-0-jurisdiction": ""},
            "Add at least one target",
        ),
        ({"targets-0-office": ""}, "Enter the target’s office"),
        ({"targets-0-email": "not an email"}, "Enter an email address in the correct format"),
        (
            {"targets-0-website": "javascript:alert(1)"},
            "Enter a web address starting with https://",
        ),
        ({"targets-0-website": "https://["}, "Enter a web address starting with https://"),
        ({"targets-0-website": "https://"}, "Enter a web address starting with https://"),
        ({"signature_goal": ""}, "Enter a signature goal"),
        ({"signature_goal": "-5"}, "Enter a goal between 1 and 10,000,000"),
        ({"signature_goal": "lots"}, "Enter a whole number, like 1000"),
        ({"closes_on": "2020-01-01"}, "Enter a closing date today or later"),
        ({"closes_on": "next week"}, "Not a valid date"),
        ({"title": "Bad\x00title"}, "contains characters we cannot accept"),
    ],
)
def test_bad_input_gets_a_form_error_not_a_crash(client, organizer, overrides, message):
    response = post_form(client, NEW, NEW, campaign_form(**overrides))
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)


def test_several_targets_are_kept_in_order_and_blank_rows_are_dropped(app, client, organizer):
    post_form(
        client,
        NEW,
        NEW,
        campaign_form(
            **{
                "targets-1-name": "",
                "targets-1-office": "",
                "targets-1-jurisdiction": "",
                "targets-2-name": "Sam Roe",
                "targets-2-office": "Candidate for District Attorney",
                "targets-2-jurisdiction": "Orleans Parish, LA",
                "targets-2-website": "https://roe.example.org",
            }
        ),
    )
    campaign = only_campaign(app)
    assert [t.name for t in campaign.targets] == ["Jane Doe", "Sam Roe"]
    assert campaign.targets[1].website == "https://roe.example.org"


def test_add_another_target_posts_back_a_new_empty_row_without_saving(app, client, organizer):
    response = post_form(client, NEW, NEW, campaign_form(save=None, add_target="Add"))

    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'name="targets-1-name"' in page
    assert 'value="Jane Doe"' in page  # what was typed is kept
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Campaign)) == 0


def test_preview_renders_the_demand_without_saving(app, client, organizer):
    response = post_form(client, NEW, NEW, campaign_form(save=None, preview="Preview"))

    page = response.get_data(as_text=True)
    assert "Preview of the demand" in page
    assert "<strong>unpaid fines</strong>" in page
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Campaign)) == 0


HOSTILE_MARKDOWN = """Hello <script>alert('x')</script>

[click me](javascript:alert(1))

<img src=x onerror=alert(1)>

<iframe src="https://evil.example"></iframe>

<a href="https://ok.example" onclick="alert(1)">raw link</a>
"""


class _Tags(HTMLParser):
    """Collect the real elements and attributes of an HTML fragment (text is ignored)."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def assert_harmless(fragment: str) -> None:
    parser = _Tags()
    parser.feed(fragment)
    for tag, attrs in parser.tags:
        assert tag not in {"script", "iframe", "img", "object", "embed", "style"}, tag
        for name, value in attrs.items():
            assert not name.startswith("on"), (tag, name)
            assert not (value or "").strip().lower().startswith(("javascript:", "data:")), value


def test_hostile_markdown_renders_harmless_on_the_public_page(app, client, organizer):
    post_form(client, NEW, NEW, campaign_form(demand=HOSTILE_MARKDOWN))
    campaign = only_campaign(app)
    with app.app_context():
        db.session.get(Campaign, campaign.id).status = CampaignStatus.LIVE
        db.session.commit()

    page = client.get(f"/c/{campaign.slug}").get_data(as_text=True)
    demand = page.split('id="demand-heading"', 1)[1].split("</section>", 1)[0]

    assert_harmless(demand)
    assert "Hello" in demand  # the harmless text survives


def test_the_harmlessness_check_can_fail():
    with pytest.raises(AssertionError):
        assert_harmless('<a href="javascript:alert(1)">x</a>')
    with pytest.raises(AssertionError):
        assert_harmless('<p onclick="x">y</p>')


def test_hostile_markdown_renders_harmless_in_the_preview(client, organizer):
    response = post_form(
        client, NEW, NEW, campaign_form(demand=HOSTILE_MARKDOWN, save=None, preview="Preview")
    )
    preview = response.get_data(as_text=True).split('id="preview-heading"', 1)[1]
    assert_harmless(preview.split("</section>", 1)[0])


def test_editing_a_draft_changes_it_in_place(app, client, organizer, make_owned_campaign):
    campaign = make_owned_campaign(organizer, status=CampaignStatus.DRAFT, slug="old-slug")
    edit = f"/dashboard/campaigns/{campaign.id}/edit"

    response = post_form(client, edit, edit, campaign_form(title="New title", slug="new-slug"))

    assert response.status_code == 303
    campaign = only_campaign(app)
    assert (campaign.title, campaign.slug) == ("New title", "new-slug")


def test_the_slug_of_a_published_campaign_does_not_change(
    app, client, organizer, make_owned_campaign, frozen_clock
):
    from petition.clock import now

    campaign = make_owned_campaign(organizer, slug="shared-link", published_at=now())
    edit = f"/dashboard/campaigns/{campaign.id}/edit"

    post_form(client, edit, edit, campaign_form(slug="another"))

    assert only_campaign(app).slug == "shared-link"


def test_a_closing_date_stops_signing_after_that_day(
    app, client, organizer, make_owned_campaign, frozen_clock
):
    from datetime import timedelta

    campaign = make_owned_campaign(organizer)
    edit = f"/dashboard/campaigns/{campaign.id}/edit"
    post_form(client, edit, edit, campaign_form(closes_on="2026-03-04"))

    with app.app_context():
        assert db.session.get(Campaign, campaign.id).is_open
    frozen_clock.advance(timedelta(days=2))
    with app.app_context():
        assert not db.session.get(Campaign, campaign.id).is_open
