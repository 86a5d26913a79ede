"""Account fixtures: organizers and admins, and logging a test client in."""

from collections.abc import Callable

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.security import generate_password_hash

from petition.auth.services import password_fingerprint
from petition.auth.sessions import SESSION_VERSION
from petition.auth.views import SESSION_FINGERPRINT
from petition.clock import now
from petition.emails import normalize_email
from petition.extensions import db
from petition.models import OutboxMessage, Role, User

from .helpers import csrf_token, links, post_form

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
        session[SESSION_VERSION] = user.session_version
    return client


# Helpers for tests that go through the account pages like a person would.


def register(client, email="dana@example.org", password=PASSWORD, name="Dana Whitfield"):
    """Submit the registration form."""
    return post_form(
        client, "/register", "/register", {"name": name, "email": email, "password": password}
    )


def log_in_with_form(client, email, password=PASSWORD, next_path=None):
    """Submit the login form (``next_path`` goes in the query string, already quoted)."""
    action = "/login" if next_path is None else f"/login?next={next_path}"
    return post_form(client, "/login", action, {"email": email, "password": password})


def link_in(message: OutboxMessage, fragment: str) -> str:
    """Return the one link in ``message`` whose URL contains ``fragment``."""
    [link] = [url for url in links(message.body_text) if fragment in url]
    return link


def post_link(client, path, data=None):
    """Press the button on the page at ``path`` (an emailed link's form)."""
    return client.post(path, data={"csrf_token": csrf_token(client, path), **(data or {})})


def users(app) -> list[User]:
    """Return every account, oldest first (detached)."""
    with app.app_context():
        found = list(db.session.scalars(sa.select(User).order_by(User.id)))
        db.session.expunge_all()
        return found


def is_logged_in(client) -> bool:
    return "Log out" in client.get("/").get_data(as_text=True)
