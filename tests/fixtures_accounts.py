"""Account fixtures: organizers and admins, and logging a test client in."""

from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.security import generate_password_hash

from petition.auth.services import password_fingerprint
from petition.auth.views import SESSION_FINGERPRINT
from petition.clock import now
from petition.emails import normalize_email
from petition.extensions import db
from petition.models import Role, User

PASSWORD = "correct horse battery"
# Hashing with the default scrypt cost is slow; fixtures use a cheap pbkdf2
# hash so hundreds of tests stay fast. The login tests use the real default.
_FIXTURE_HASH = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")


@pytest.fixture
def make_user(app: Flask) -> Callable[..., User]:
    """Return a factory for confirmed accounts; the result is detached, columns loaded."""
    counter = iter(range(1, 10_000))

    def make(
        email: str | None = None,
        *,
        admin: bool = False,
        confirmed: bool = True,
        password: str | None = None,
    ) -> User:
        """``password`` gets a real (slow) hash; without it, ``PASSWORD`` works."""
        email = email or f"organizer{next(counter)}@example.org"
        with app.app_context():
            user = User(
                email=email,
                email_normalized=normalize_email(email),
                name=email.split("@")[0].title(),
                password_hash=generate_password_hash(password) if password else _FIXTURE_HASH,
                role=Role.ADMIN if admin else Role.ORGANIZER,
                confirmed_at=now() if confirmed else None,
            )
            db.session.add(user)
            db.session.commit()
            db.session.refresh(user)
            db.session.expunge(user)
            return user

    return make


def log_in(client: FlaskClient, user: User) -> FlaskClient:
    """Log ``client`` in as ``user`` without the form (the auth tests use the form)."""
    with client.application.app_context():
        fingerprint = password_fingerprint(user)
    with client.session_transaction() as session:
        session["_user_id"] = str(user.id)
        session["_fresh"] = True
        # A session remembers the password it was opened with (see auth.views).
        session[SESSION_FINGERPRINT] = fingerprint
    return client
