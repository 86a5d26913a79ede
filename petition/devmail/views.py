"""A development mailbox, so a person trying the app locally can follow email links."""

import re

from flask import abort, current_app, render_template
from sqlalchemy import select

from petition.devmail import bp
from petition.extensions import db
from petition.models import OutboxMessage
from petition.outbox import preview

_LINK = re.compile(r"https?://\S+")


@bp.before_request
def debug_only():
    if not current_app.debug:
        abort(404)


@bp.get("/mail")
def mailbox():
    messages = db.session.scalars(
        select(OutboxMessage).order_by(OutboxMessage.id.desc()).limit(100)
    ).all()
    return render_template(
        "devmail/mailbox.html",
        messages=[
            (message, _LINK.findall(message.body_text)) for message in map(preview, messages)
        ],
    )
