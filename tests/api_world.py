"""Demo-ish data for the API tests: every kind of campaign and pledge the API must handle.

Fictional names only (test data), as everywhere in the project.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from flask import Flask

from petition.clock import now
from petition.extensions import db
from petition.models import (
    Answer,
    Campaign,
    CampaignRevision,
    Candidate,
    ElectionResult,
    EvidenceEntry,
    Target,
    TargetAnswer,
    User,
)
from petition.pledges.services import (
    hide_statement,
    record_candidate_answer,
    record_organizer_answer,
)

# A signer who asked to be shown on the page, and one who did not: the API
# must show neither's details (the page shows the first as "Quinn V., ZIP 701xx").
PUBLIC_SIGNER = {
    "name": "Quinn Vasquez-Test",
    "email": "quinn.public@example.net",
    "zip_code": "70119",
    "comment": "My cousin waited eleven months for trial",
}
PRIVATE_SIGNER = {
    "name": "Rory Hollowell-Test",
    "email": "rory.private@example.net",
    "zip_code": "70458",
    "comment": "Please keep this between us",
}


@dataclass
class World:
    live: Campaign
    won: Campaign
    other_place: Campaign
    hidden: list[Campaign]  # draft, pending: never in the API
    pledge_slug: str
    pledge_campaign_slug: str
    hidden_pledge_slug: str


def build_world(app: Flask, make_campaign, add_signature, make_pledge, make_user) -> World:
    live = make_campaign(
        slug="end-cash-bail",
        title="End cash bail in Testville",
        demand="Stop asking for **cash bail**.\n\n- for misdemeanors\n- for traffic stops",
        published_at=now() - timedelta(days=3),
    )
    add_signature(live, show_publicly=True, **PUBLIC_SIGNER)
    add_signature(live, show_publicly=False, wants_updates=True, **PRIVATE_SIGNER)
    add_signature(live, confirmed=False)
    won = make_campaign(
        slug="free-the-testville-two",
        won_at=now() - timedelta(days=1),
        victory_story="The charges were **dropped**.",
        delivered_at=now() - timedelta(days=2),
        delivered_to="Test County courthouse",
        delivery_note="Handed over with 2 boxes.",
        edited_at=now() - timedelta(days=4),
        closed_at=now() - timedelta(days=1),
    )
    add_signature(won)
    other_place = make_campaign(
        slug="audit-elsewhere",
        status="closed",
        targets=[Target(name="Other Prosecutor (test)", office="DA", jurisdiction="Elsewhere, TX")],
    )
    hidden = [
        make_campaign(slug="draft-demand"),
        make_campaign(slug="pending-demand"),
    ]
    for campaign in hidden:
        add_signature(campaign)
    with app.app_context():
        # Signed while live; then what became of them.
        for campaign, status in ((won, "won"), (hidden[0], "draft"), (hidden[1], "pending")):
            db.session.get(Campaign, campaign.id).status = status
        db.session.add(
            CampaignRevision(
                campaign_id=won.id,
                demand="Free *both* of them.",
                targets=[
                    {
                        "name": "Old Prosecutor (test)",
                        "office": "DA",
                        "jurisdiction": "Testville, LA",
                        "email": "old.da@example.gov",
                    }
                ],
                created_at=now() - timedelta(days=4),
            )
        )
        db.session.commit()

    owner = make_user()
    made = make_pledge(owner=owner, candidates=("Alex Doe (test)", "Blair Roe (test)", "Cam Poe"))
    with app.test_request_context(method="POST"):
        user = db.session.get(User, owner.id)
        alex = db.session.get(Candidate, made.candidates["Alex Doe (test)"])
        record_candidate_answer(alex, Answer.PLEDGED, "I will.")
        record_candidate_answer(alex, Answer.DECLINED, "Something unprintable.")
        hide_statement(alex.responses[-1], "A slur against a group", user)
        blair = db.session.get(Candidate, made.candidates["Blair Roe (test)"])
        record_organizer_answer(
            blair,
            answer=Answer.DECLINED,
            statement="No comment.",
            source_description="Candidate forum, Oct 1",
            source_url="https://example.org/forum",
            answered_on=date(2026, 10, 1),
            recorded_by=user,
        )
        db.session.commit()
    hidden_pledge = make_pledge(owner=owner, candidates=("Dana Test",))
    with app.app_context():
        db.session.get(Campaign, hidden_pledge.campaign_id).status = "pending"
        db.session.commit()
    add_signature(_campaign(app, made.campaign_id), show_publicly=True)
    _after_the_vote(app, made.id, made.candidates["Blair Roe (test)"], won.id)
    return World(live, won, other_place, hidden, made.slug, made.campaign_slug, hidden_pledge.slug)


def _campaign(app: Flask, campaign_id: int) -> Campaign:
    with app.app_context():
        campaign = db.session.get(Campaign, campaign_id)
        db.session.expunge(campaign)
        return campaign


def _after_the_vote(app: Flask, pledge_id: int, winner_id: int, campaign_id: int) -> None:
    """A recorded winner with a corrected record; an answer and a record for a target."""
    with app.app_context():
        db.session.add(
            ElectionResult(
                pledge_id=pledge_id, winner_id=winner_id, source_url="https://example.org/results"
            )
        )
        target_id = db.session.get(Campaign, campaign_id).targets[0].id
        for official in ({"candidate_id": winner_id}, {"target_id": target_id}):
            first = EvidenceEntry(
                **official,
                happened_on=date(2026, 1, 5),
                summary="Announced a review (test).",
                source_url="https://example.org/review",
                rating="kept",
            )
            db.session.add(first)
            db.session.flush()
            db.session.add(
                EvidenceEntry(
                    **official,
                    happened_on=date(2026, 1, 5),
                    summary="Only announced it (test).",
                    source_url="https://example.org/review",
                    rating="in_the_works",
                    corrects_id=first.id,
                )
            )
        for kind, source in (("no_response", None), ("meeting", "https://example.org/meeting")):
            db.session.add(
                TargetAnswer(
                    campaign_id=campaign_id,
                    kind=kind,
                    summary="What the target did (test).",
                    source_url=source,
                    answered_on=date(2026, 1, 10),
                )
            )
        db.session.commit()
