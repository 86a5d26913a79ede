"""One commit per request, made by the app, never by a view.

Services add and flush and never commit (STYLE.md). A request that can write
is committed once, after its view returns a response under 400; a view that
answers with an error page (a form error, a 404, a 409) or raises commits
nothing, and the session is rolled back when the request ends. So a view says
what happened; whether it is kept follows from that. This is indico's "one
commit at the end of the request handler".

A service refuses by raising a ``DomainError``. A view that catches one to
show it (a form error, or a redirect with a message, which is a success
status) calls ``abandon()`` first, or ``refused()`` which does: the session
is rolled back (a refusal that came from a failed flush leaves it unusable
otherwise) and nothing from the request is committed. The one opposite case,
an error page whose request must still keep what it did (a failed login that
mails a fresh confirmation link), says so with ``keep_changes()``.
"""

from flask import Flask, Response, flash, g, redirect, request, session

from petition.database import READ_METHODS
from petition.extensions import db


class DomainError(Exception):
    """A workflow refused: the message is for people, and nothing was changed."""


def abandon() -> None:
    """Undo what this request changed, after a service refused: none of it is committed."""
    db.session.rollback()
    g.refused = True


def refused(message: str, to: str) -> Response:
    """Abandon this request's changes and show ``message`` on the page at ``to``."""
    abandon()
    flash(message, "error")
    return redirect(to, code=303)


def keep_changes() -> None:
    """Commit this request's changes even though it answers with an error status."""
    g.keep_changes = True


def init_app(app: Flask) -> None:
    @app.after_request
    def _commit_successful_writes(response: Response) -> Response:
        failed = response.status_code >= 400 and not g.get("keep_changes", False)
        if request.method in READ_METHODS or failed or g.get("refused", False):
            return response
        try:
            db.session.commit()
        except Exception:
            # The page must not claim a success ("Saved.") that did not happen.
            session.pop("_flashes", None)
            db.session.rollback()
            raise
        return response
