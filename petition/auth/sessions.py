"""Sessions that can be ended: a version on the account, carried by each session.

Sessions live in a signed cookie, so the server cannot delete one; a copied
cookie would work until it expired. Instead each session carries the account's
``session_version`` from the moment it logged in, and Flask-Login's user loader
(petition.extensions) accepts it only while the account still has that
version. Logging out, changing the password and "log out everywhere" bump
the version, which ends every session opened before, copies included.
"""

from flask import session

from petition.extensions import db
from petition.models import User

SESSION_VERSION = "_sv"


def remember_session_version(user: User) -> None:
    """Tie the session that just logged in to the account's current version."""
    session[SESSION_VERSION] = user.session_version


def session_is_current(user: User) -> bool:
    return session.get(SESSION_VERSION) == user.session_version


def end_every_session(user: User) -> None:
    """Bump the account's session version: every session opened before stops working."""
    user.session_version = User.session_version + 1  # atomic, whatever else runs
    db.session.flush()
