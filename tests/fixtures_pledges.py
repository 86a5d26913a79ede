"""Pledge fixtures and helpers: pledges with candidates, made through the services."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from petition.extensions import db
from petition.models import (
    Campaign,
    Candidate,
    CandidatePhoto,
    ElectionResult,
    EvidenceEntry,
    OutboxMessage,
    Pledge,
    PledgeResponse,
    User,
)
from petition.pledges.services import (
    CandidateDetails,
    PledgeDetails,
    add_candidate,
    create_pledge,
    response_url,
)

from .helpers import path_of, post_form


@dataclass
class MadePledge:
    id: int
    slug: str
    owner: User
    candidate_ids: list[int]
    campaign_id: int
    campaign_slug: str
    candidates: dict[str, int] = field(default_factory=dict)

    @property
    def url(self) -> str:
        return f"/p/{self.slug}"

    @property
    def manage_url(self) -> str:
        return f"/dashboard/pledges/{self.id}"


def pledge_factory(app: Flask, make_user) -> Callable[..., MadePledge]:
    """Return a factory for pledges with candidates, made through the services."""
    counter = iter(range(1, 10_000))

    def make(
        owner: User | None = None,
        candidates: tuple[str, ...] = ("Candidate A (test)", "Candidate B (test)"),
        zips: tuple[str, ...] = (),
        campaign: Campaign | None = None,
        emails: bool = True,
    ) -> MadePledge:
        number = next(counter)
        owner = owner or make_user()
        with app.app_context():
            user = db.session.get(User, owner.id)
            linked = db.session.get(Campaign, campaign.id) if campaign else None
            pledge = create_pledge(
                user,
                PledgeDetails(
                    slug=f"test-pledge-{number}",
                    title=f"Test pledge {number}",
                    text="I will **not** prosecute anyone for the outcome of a pregnancy.",
                    office="Test Parish District Attorney",
                    jurisdiction="Testville, LA",
                    election_date=date(2026, 11, 3),
                    zip_codes=list(zips),
                ),
                linked,
            )
            made = {}
            for index, name in enumerate(candidates):
                candidate = add_candidate(
                    pledge,
                    CandidateDetails(
                        name=name,
                        party="nonpartisan",
                        email=f"candidate{number}-{index}@example.org" if emails else None,
                        website=None,
                        photo_url=None,
                    ),
                )
                made[name] = candidate.id
            db.session.commit()
            return MadePledge(
                id=pledge.id,
                slug=pledge.slug,
                owner=owner,
                candidate_ids=list(made.values()),
                campaign_id=pledge.campaign_id,
                campaign_slug=pledge.campaign.slug,
                candidates=made,
            )

    return make


@pytest.fixture
def make_pledge(app: Flask, make_user) -> Callable[..., MadePledge]:
    return pledge_factory(app, make_user)


def link_for(app: Flask, candidate_id: int) -> str:
    """Return the path of a candidate's current response link."""
    with app.app_context():
        return path_of(response_url(db.session.get(Candidate, candidate_id)))


def answer(client: FlaskClient, link: str, choice: str, statement: str = ""):
    return post_form(client, link, link, {"answer": choice, "statement": statement})


def responses_of(app: Flask, candidate_id: int) -> list[PledgeResponse]:
    with app.app_context():
        rows = list(
            db.session.scalars(
                select(PledgeResponse)
                .where(PledgeResponse.candidate_id == candidate_id)
                .order_by(PledgeResponse.id)
            )
        )
        db.session.expunge_all()
        return rows


def snapshot(app: Flask) -> tuple:
    """Everything an organizer route could change, to prove a refused request changed nothing."""
    with app.app_context():
        pledges = db.session.execute(
            select(Pledge.id, Pledge.title, Pledge.office, Pledge.jurisdiction_zips).order_by(
                Pledge.id
            )
        ).all()
        candidates = db.session.execute(
            select(
                Candidate.id,
                Candidate.name,
                Candidate.email,
                Candidate.token_version,
                Candidate.contact_count,
            ).order_by(Candidate.id)
        ).all()
        responses = db.session.execute(
            select(PledgeResponse.id, PledgeResponse.statement, PledgeResponse.hidden_at).order_by(
                PledgeResponse.id
            )
        ).all()
        mail = db.session.scalar(select(func.count()).select_from(OutboxMessage))
        evidence = db.session.scalar(select(func.count()).select_from(EvidenceEntry))
        photos = db.session.execute(
            select(CandidatePhoto.candidate_id, CandidatePhoto.etag).order_by(
                CandidatePhoto.candidate_id
            )
        ).all()
        return (tuple(pledges), tuple(candidates), tuple(responses), mail, evidence, tuple(photos))


def record_winner_with_entry(app: Flask, pledge_id: int, winner_id: int) -> int:
    """Store a result and one evidence entry for the pledge directly; return the entry's id."""
    with app.app_context():
        db.session.add(
            ElectionResult(pledge_id=pledge_id, winner_id=winner_id, source_url="https://e.org/r")
        )
        entry = EvidenceEntry(
            candidate_id=winner_id,
            happened_on=date(2026, 1, 2),
            summary="A first step.",
            source_url="https://e.org/n",
            rating="in_the_works",
        )
        db.session.add(entry)
        db.session.commit()
        return entry.id


def store_photo(app: Flask, candidate_id: int) -> None:
    """Give a candidate a photo (a tiny PNG), through the service."""
    from io import BytesIO

    from PIL import Image

    from petition.pledges.photos import reencode, set_photo

    out = BytesIO()
    Image.new("RGB", (8, 8), "teal").save(out, "PNG")
    with app.app_context():
        set_photo(db.session.get(Candidate, candidate_id), reencode(out.getvalue()))
        db.session.commit()
