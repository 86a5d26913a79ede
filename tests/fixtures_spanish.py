"""A movement written in Spanish: what organizers, candidates and signers typed, in Spanish.

``english_words`` (tests/spanish.py) finds English a Spanish reader meets. Content
people typed is never translated, so tests that look for English give every
title, demand, name and answer Spanish text: then an English word on a page can
only be the site's own.
"""

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime

import pytest
from flask import Flask
from markupsafe import Markup
from sqlalchemy import select

from petition.extensions import db
from petition.models import (
    AnswerKind,
    Campaign,
    CampaignStatus,
    ContactMethod,
    Rating,
    Signature,
    Target,
    User,
)
from petition.organizers.answers import AnswerDetails, record_target_answer
from petition.organizers.updates import post_update
from petition.pledges.records import EvidenceDetails, add_evidence
from petition.pledges.services import (
    CandidateDetails,
    PledgeDetails,
    add_candidate,
    create_pledge,
    record_contact,
)
from petition.tokens import signature_confirm_token

from .fixtures_pledges import answer, link_for
from .helpers import SAME_ORIGIN
from .spanish import SPANISH

DEMAND = (
    "Pedimos a la fiscal de distrito que deje de pedir **fianza en efectivo** "
    "para delitos menores.\n\nNadie debe quedarse en la cárcel por ser pobre."
)
PLEDGE_TITLE = "Compromiso: ninguna fianza en efectivo"
PLEDGE_TEXT = "Como fiscal, no pediré fianza en efectivo para ningún delito menor."
UPDATE_SUBJECT = "La fiscalía aceptó reunirse"
ANSWER = "Asumo este compromiso y lo cumpliré desde el primer día."


@dataclass
class SpanishMovement:
    """A live demand with a target, a pledge race it backs with one answer, and a victory."""

    campaign: Campaign
    victory: Campaign
    pledge_slug: str
    pledge_id: int
    answered_id: int
    silent_id: int
    owner: User
    silent_email: str
    subscriber_email: str
    signature_id: int
    respond_path: str
    own_pledge_path: str
    own_demand_path: str

    @property
    def campaign_path(self) -> str:
        return f"/c/{self.campaign.slug}"

    @property
    def pledge_path(self) -> str:
        return f"/p/{self.pledge_slug}"


@pytest.fixture
def spanish_movement(app: Flask, client, make_campaign, make_user) -> SpanishMovement:
    """Return a movement whose organizer, candidate and signer content is all Spanish."""
    owner = make_user("organizadora@example.org")
    campaign = make_campaign(
        slug="fianza-orleans",
        title="Fin de la fianza en efectivo en Orleans",
        demand=DEMAND,
        owner_id=owner.id,
        delivered_at=datetime(2026, 2, 20, 15, tzinfo=UTC),
        delivered_to="Oficina de la fiscal de distrito",
        targets=[
            Target(
                name="Rosa Castillo",
                office="Fiscal de distrito",
                jurisdiction="Nueva Orleans, Luisiana",
            )
        ],
    )
    victory = make_campaign(
        slug="fondo-devuelto",
        title="Devolvieron el fondo de fianzas",
        demand="Que la fiscalía devuelva el dinero del fondo de fianzas.",
        status=CampaignStatus.WON,
        won_at=datetime(2026, 2, 1, tzinfo=UTC),
        victory_story_html=Markup("<p>Llenamos la sala y la fiscalía nos escuchó.</p>"),
        targets=[Target(name="Rosa Castillo", office="Fiscal de distrito", jurisdiction="Orleans")],
    )
    # A signer who signed in Spanish, shown publicly and subscribed to updates: signed
    # through the site, so whatever it stores about a signer's language is Spanish.
    subscriber = "lectora@example.org"
    signature_id = sign_in_spanish(
        app,
        f"/c/{campaign.slug}",
        {
            "name": "Carmen Rivera",
            "email": subscriber,
            "zip_code": "70112",
            "comment": "Por mi hermano, que pasó tres meses preso sin juicio.",
            "show_publicly": "y",
            "wants_updates": "y",
        },
    )
    silent_email = "luis.ramirez@example.org"
    # The organizer works in Spanish: what the site writes for them is in Spanish too.
    with app.test_request_context(method="POST", headers=SPANISH):
        user = db.session.get(User, owner.id)
        pledge = create_pledge(
            user,
            PledgeDetails(
                slug="compromiso-fianza",
                title=PLEDGE_TITLE,
                text=PLEDGE_TEXT,
                office="Fiscal de distrito",
                jurisdiction="Parroquia de Orleans, Luisiana",
                election_date=date(2027, 11, 2),
                zip_codes=["70112", "70113"],
            ),
            db.session.get(Campaign, campaign.id),
        )
        answered = add_candidate(
            pledge,
            CandidateDetails(
                name="Ana Gutiérrez",
                party="Demócrata",
                email="ana.gutierrez@example.org",
                website=None,
                photo_url=None,
            ),
        )
        silent = add_candidate(
            pledge,
            CandidateDetails(
                name="Luis Ramírez",
                party="Independiente",
                email=silent_email,
                website=None,
                photo_url=None,
            ),
        )
        # The demand's public record: the target's answer, evidence about her, a phone call.
        demand = db.session.get(Campaign, campaign.id)
        record_target_answer(
            demand,
            AnswerDetails(
                kind=AnswerKind.STATEMENT,
                summary="La fiscal dijo que estudiará la petición.",
                source_url="https://noticias.example/fiscal",
                answered_on=date(2026, 2, 25),
            ),
            user,
        )
        add_evidence(
            demand.targets[0],
            EvidenceDetails(
                happened_on=date(2026, 2, 26),
                summary="La fiscalía anunció un plan piloto sin fianza en efectivo.",
                source_url="https://noticias.example/plan",
                rating=Rating.IN_THE_WORKS,
            ),
            user,
        )
        record_contact(silent, ContactMethod.PHONE, date(2026, 2, 27), user)
        # A race whose pledge has no demand of its own yet: the pledge makes one.
        own = create_pledge(
            user,
            PledgeDetails(
                slug="compromiso-juvenil",
                title="Compromiso: ningún menor juzgado como adulto",
                text="No acusaré a ningún menor de edad como si fuera adulto.",
                office="Fiscal estatal",
                jurisdiction="Condado de Cook, Illinois",
                election_date=date(2028, 3, 21),
                zip_codes=["60608"],
            ),
            None,
        )
        add_candidate(
            own,
            CandidateDetails(name="Marta Soto", party="", email=None, website=None, photo_url=None),
        )
        post_update(
            db.session.get(Campaign, campaign.id),
            UPDATE_SUBJECT,
            "El jueves entregamos las firmas. **Gracias** por firmar.",
            user,
            held=False,
        )
        db.session.commit()
        ids = pledge.id, pledge.slug, answered.id, silent.id
        own_paths = f"/p/{own.slug}", f"/c/{own.campaign.slug}"
    respond_path = link_for(app, ids[2])
    answer(client, respond_path, "pledged", ANSWER)
    return SpanishMovement(
        campaign=campaign,
        victory=victory,
        pledge_slug=ids[1],
        pledge_id=ids[0],
        answered_id=ids[2],
        silent_id=ids[3],
        owner=owner,
        silent_email=silent_email,
        subscriber_email=subscriber,
        signature_id=signature_id,
        respond_path=link_for(app, ids[3]),
        own_pledge_path=own_paths[0],
        own_demand_path=own_paths[1],
    )


def sign_in_spanish(app: Flask, page: str, fields: dict[str, str]) -> int:
    """Sign from a Spanish browser and confirm from the link; return the signature's id."""
    browser = app.test_client()
    spanish_form = {**SPANISH, **SAME_ORIGIN}
    assert browser.post(f"{page}/sign", data=fields, headers=spanish_form).status_code == 303
    with app.app_context():
        signature = db.session.scalar(
            select(Signature)
            .where(Signature.email == fields["email"])
            .order_by(Signature.id.desc())
        )
        signature_id, token = (
            signature.id,
            signature_confirm_token(signature.id, signature.token_nonce),
        )
    assert browser.post(f"/confirm/{token}", headers=spanish_form).status_code == 303
    return signature_id


_LANG = re.compile(r'<html[^>]*\blang="([^"]+)"')


def page_language(html: str) -> str | None:
    """The language a page or an HTML mail says it is in (``<html lang>``)."""
    match = _LANG.search(html)
    return match.group(1) if match else None


_LINK = re.compile(r"(?:https?|mailto|sms):[^\s\"'<>]+")


def without_links(text: str) -> str:
    """Drop web addresses from a mail or a message before reading it for English words.

    A link's path is the site's route ("/confirm/...", "/withdraw/..."), and its
    token is random letters that can spell "on" or "to": neither is prose a reader reads.
    """
    return _LINK.sub(" ", text)
