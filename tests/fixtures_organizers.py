"""Organizer fixtures: owned campaigns, co-organizers and signatures in any state."""

from collections.abc import Callable
from datetime import datetime

import pytest
from flask import Flask

from petition.clock import now
from petition.emails import normalize_email
from petition.extensions import db
from petition.models import Campaign, CampaignOrganizer, Signature, User
from petition.signing.services import confirm_signature, withdraw_signature


@pytest.fixture
def make_owned_campaign(make_campaign) -> Callable[..., Campaign]:
    """Return a factory for campaigns owned by a given organizer."""

    def make(owner: User, **overrides: object) -> Campaign:
        return make_campaign(owner_id=owner.id, **overrides)

    return make


@pytest.fixture
def add_co_organizer(app: Flask) -> Callable[[Campaign, User], None]:
    """Return a function making ``user`` an accepted co-organizer of ``campaign``."""

    def add(campaign: Campaign, user: User) -> None:
        with app.app_context():
            db.session.add(
                CampaignOrganizer(
                    campaign_id=campaign.id,
                    email=user.email,
                    email_normalized=user.email_normalized,
                    user_id=user.id,
                    accepted_at=now(),
                )
            )
            db.session.commit()

    return add


@pytest.fixture
def add_signature(app: Flask) -> Callable[..., int]:
    """Return a factory for signatures, confirmed and withdrawn by the services; returns ids."""
    counter = iter(range(1, 1_000_000))

    def add(
        campaign: Campaign,
        *,
        name: str | None = None,
        email: str | None = None,
        zip_code: str | None = "70112",
        comment: str | None = None,
        confirmed: bool = True,
        confirmed_at: datetime | None = None,
        withdrawn: bool = False,
        wants_updates: bool = False,
        show_publicly: bool = False,
        unsubscribed: bool = False,
    ) -> int:
        number = next(counter)
        email = email or f"signer{number}@example.net"
        with app.app_context():
            signature = Signature(
                campaign_id=campaign.id,
                name=name or f"Signer Number{number}",
                email=email,
                email_normalized=normalize_email(email),
                zip_code=zip_code,
                comment=comment,
                wants_updates=wants_updates,
                show_publicly=show_publicly,
                created_at=now(),
                unsubscribed_at=now() if unsubscribed else None,
            )
            db.session.add(signature)
            db.session.flush()
            if confirmed:
                assert confirm_signature(signature)
                if confirmed_at is not None:
                    signature.confirmed_at = confirmed_at
            if withdrawn:
                assert withdraw_signature(signature)
            db.session.commit()
            return signature.id

    return add
