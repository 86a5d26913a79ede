"""The public record stays with the person it is about: editing a demand or a race cannot move it.

Evidence entries point to a target row, a result and evidence to a candidate
row. Reusing a row for someone else, or deleting it, would attribute what one
real official did to another, or erase it. So a target or candidate on the
record keeps its row and its name; the database refuses to delete one too.
"""

from datetime import date

import pytest
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from petition.extensions import db
from petition.models import (
    ElectionResult,
    EvidenceEntry,
    PendingCampaignEdit,
    Target,
    TargetAnswer,
)

from .fixtures_accounts import log_in
from .helpers import post_form

REFUSED = "has a public record; this target cannot be removed or renamed"


def target(name: str, position: int) -> Target:
    return Target(
        name=name, office="District Attorney", jurisdiction="Testville, LA", position=position
    )


@pytest.fixture
def demand(app, client, make_user, make_owned_campaign, frozen_clock):
    """A live demand aimed at two fictional prosecutors, each with one evidence entry."""
    owner = make_user()
    log_in(client, owner)
    campaign = make_owned_campaign(
        owner, targets=[target("Avery Able (test)", 0), target("Blair Baker (test)", 1)]
    )
    with app.app_context():
        for target_id in db.session.scalars(
            select(Target.id).where(Target.campaign_id == campaign.id).order_by(Target.position)
        ):
            db.session.add(
                EvidenceEntry(
                    target_id=target_id,
                    happened_on=date(2026, 3, 1),
                    summary=f"Conduct of target {target_id}.",
                    source_url="https://example.org/news",
                    rating="kept",
                )
            )
        db.session.commit()
    return campaign


def edit(client, campaign, *names: str):
    data = {
        "title": campaign.title,
        "demand": campaign.demand,
        "signature_goal": str(campaign.signature_goal),
        "time_zone": "America/Chicago",
        "save": "Save",
    }
    for index, name in enumerate(names):
        data |= {
            f"targets-{index}-name": name,
            f"targets-{index}-office": "District Attorney",
            f"targets-{index}-jurisdiction": "Testville, LA",
        }
    page = f"/dashboard/campaigns/{campaign.id}/edit"
    return post_form(client, page, page, data)


def whose_entries(app, campaign) -> dict[str, str]:
    """Each entry's summary, by the name of the target it is now attached to."""
    with app.app_context():
        rows = db.session.execute(
            select(Target.name, EvidenceEntry.summary)
            .join(EvidenceEntry, EvidenceEntry.target_id == Target.id)
            .where(Target.campaign_id == campaign.id)
        ).all()
        return {summary: name for name, summary in rows}


def listed(app, campaign) -> list[str]:
    with app.app_context():
        return list(
            db.session.scalars(
                select(Target.name)
                .where(Target.campaign_id == campaign.id)
                .order_by(Target.position)
            )
        )


def test_renaming_a_target_on_the_record_is_refused_and_the_record_stays_theirs(
    app, client, demand
):
    before = whose_entries(app, demand)

    response = edit(client, demand, "Casey Cole (test)", "Blair Baker (test)")

    assert response.status_code == 422
    assert REFUSED in response.get_data(as_text=True)
    assert whose_entries(app, demand) == before
    assert listed(app, demand) == ["Avery Able (test)", "Blair Baker (test)"]


def test_removing_a_target_on_the_record_is_refused_and_deletes_nothing(app, client, demand):
    before = whose_entries(app, demand)

    response = edit(client, demand, "Avery Able (test)")

    assert response.status_code == 422
    assert REFUSED in response.get_data(as_text=True)
    assert whose_entries(app, demand) == before


def test_reordering_targets_keeps_each_entry_with_its_person(app, client, demand):
    before = whose_entries(app, demand)

    response = edit(client, demand, "Blair Baker (test)", "Avery Able (test)")

    assert response.status_code == 303
    assert listed(app, demand) == ["Blair Baker (test)", "Avery Able (test)"]
    assert whose_entries(app, demand) == before


def test_a_new_person_is_a_new_target_and_one_without_a_record_can_still_be_renamed(
    app, client, demand
):
    assert edit(client, demand, *listed(app, demand), "Dana Doe (test)").status_code == 303

    response = edit(client, demand, "Avery Able (test)", "Blair Baker (test)", "Dana Dee (test)")

    assert response.status_code == 303
    assert listed(app, demand)[2] == "Dana Dee (test)"
    assert len(set(whose_entries(app, demand).values())) == 2


def test_the_first_target_stays_first_once_the_demand_has_their_answer(
    app, client, make_user, make_owned_campaign, frozen_clock
):
    owner = make_user()
    log_in(client, owner)
    campaign = make_owned_campaign(
        owner, targets=[target("Avery Able (test)", 0), target("Blair Baker (test)", 1)]
    )
    with app.app_context():
        db.session.add(
            TargetAnswer(
                campaign_id=campaign.id,
                kind="statement",
                summary="Said no.",
                source_url="https://example.org/said",
                answered_on=date(2026, 3, 1),
            )
        )
        db.session.commit()

    response = edit(client, campaign, "Blair Baker (test)", "Avery Able (test)")

    assert response.status_code == 422
    assert "must stay the first target" in response.get_data(as_text=True)
    assert listed(app, campaign) == ["Avery Able (test)", "Blair Baker (test)"]


def test_the_database_refuses_to_delete_a_target_with_evidence(app, demand):
    with app.app_context():
        with pytest.raises(IntegrityError):
            db.session.execute(delete(Target).where(Target.campaign_id == demand.id))
            db.session.flush()
        db.session.rollback()


# -- a race's candidates ---------------------------------------------------


def test_a_candidate_with_a_recorded_result_cannot_be_renamed(
    app, client, make_pledge, frozen_clock
):
    pledge = make_pledge(candidates=("Winner W (test)", "Runner R (test)"))
    winner_id = pledge.candidates["Winner W (test)"]
    with app.app_context():
        db.session.add(
            ElectionResult(
                pledge_id=pledge.id, winner_id=winner_id, source_url="https://example.org/r"
            )
        )
        db.session.commit()
    log_in(client, pledge.owner)
    page = f"/dashboard/pledges/{pledge.id}/candidates/{winner_id}/edit"

    response = post_form(
        client, page, page, {"name": "Someone Else (test)", "party": "nonpartisan"}
    )

    assert response.status_code == 422
    assert "has a public record; the name cannot be changed" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(ElectionResult, 1).winner.name == "Winner W (test)"

    fixed = post_form(client, page, page, {"name": "Winner W (test)", "party": "Green"})
    assert fixed.status_code == 303


def test_under_moderation_the_rename_is_refused_when_proposed_not_when_approved(
    app, client, demand
):
    app.config["PETITION_MODERATION"] = True
    before = whose_entries(app, demand)

    response = edit(client, demand, "Casey Cole (test)", "Blair Baker (test)")

    assert response.status_code == 422
    assert REFUSED in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(PendingCampaignEdit.id)) is None
    assert whose_entries(app, demand) == before
