"""Fixtures for the organizer API: keys made through the service, headers that carry them."""

from collections.abc import Callable

import pytest
from flask import Flask

from petition.apikeys.keys import create_key
from petition.extensions import db
from petition.models import User


@pytest.fixture
def make_api_key(app: Flask) -> Callable[[User], str]:
    """Return a factory: an active key for ``user``, as the token the organizer copied."""

    def make(user: User, name: str = "Test script") -> str:
        with app.app_context():
            token = create_key(db.session.get(User, user.id), name).token
            db.session.commit()
            return token

    return make


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}
