"""Queue mail in the caller's transaction, and the worker that sends it.

``queue_mail`` and ``queue_mail_later`` only add a row: the message exists
exactly when the action that caused it commits. ``queue_mail`` renders the
message at once; ``queue_mail_later`` stores only the ids its category's
renderer needs, so a hot path (signing) does not render two templates inside
the request. ``deliver_due`` claims due rows, renders what is not rendered
yet (stored before sending, so a retry sends the same message), sends each
over SMTP and records the outcome, one message per transaction, so a crash or
an SMTP outage loses nothing and a message the server accepted is not sent again.
"""

import logging
import secrets
import smtplib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from email.utils import make_msgid
from typing import Any

from flask import current_app, render_template
from flask_mail import BadHeaderError, Message
from sqlalchemy import insert, or_, select, update

from petition.clock import now
from petition.database import reading
from petition.extensions import db, mail
from petition.i18n import DEFAULT_LANGUAGE, in_language
from petition.models import OutboxMessage

log = logging.getLogger(__name__)

CLAIM_SECONDS = 120
LANGUAGE = "language"  # the params key holding the language a later message is written in
MAX_BACKOFF = timedelta(hours=1)


def queue_mail(
    to: str,
    template: str,
    subject: str,
    *,
    headers: dict[str, str] | None = None,
    language: str | None = None,
    **context: Any,
) -> OutboxMessage:
    """Render ``email/<template>.txt`` and ``.html`` and add them to the outbox.

    In ``language`` ("en", "es"): the reader's, stored with them (a signer's, the
    invitation's). Without one, English: mail to organizers and account holders is
    written in English, whoever's request (an admin's in Spanish) sends it.
    """
    message = OutboxMessage(
        category=template,
        to_address=to,
        headers=headers or {},
        message_id=_message_id(),
        next_attempt_at=now(),
    )
    with in_language(language or DEFAULT_LANGUAGE):
        message.subject, message.body_text, message.body_html = _rendered_parts(
            MailContent(template, subject, context)
        )
    db.session.add(message)
    db.session.flush()
    return message


@dataclass
class MailContent:
    """What a renderer decides: the template pair, the subject and the context."""

    template: str
    subject: str
    context: dict[str, Any] = field(default_factory=dict)


# category -> function(params) returning the content, or None when what the
# message was about no longer exists (then there is nothing to send).
Renderer = Callable[[dict[str, Any]], MailContent | None]
_renderers: dict[str, Renderer] = {}


def renderer(category: str) -> Callable[[Renderer], Renderer]:
    """Register the function that writes ``category`` mail queued with ``queue_mail_later``."""

    def register(function: Renderer) -> Renderer:
        _renderers[category] = function
        return function

    return register


_QUEUE_LATER = insert(OutboxMessage.__table__)


def queue_mail_later(to: str, category: str, *, language: str, **params: Any) -> None:
    """Add mail that the worker renders from ``params`` (ids only) when it sends it.

    The worker renders it in ``language``, the reader's. A single INSERT,
    without the unit of work: this is on the signing path.
    """
    if category not in _renderers:
        raise LookupError(f"no renderer for {category!r} mail")
    moment = now()
    db.session.execute(
        _QUEUE_LATER,
        {
            "category": category,
            "to_address": to,
            "params": {**params, LANGUAGE: language},
            "headers": {},
            "message_id": _message_id(),
            "created_at": moment,
            "next_attempt_at": moment,
            "attempts": 0,
        },
    )


def render(message: OutboxMessage) -> bool:
    """Render a message queued with ``queue_mail_later``; False if there is nothing to send."""
    if message.is_rendered:
        return True
    written = _write(message)
    if written is None:
        return False
    message.subject, message.body_text, message.body_html = written
    return True


def preview(message: OutboxMessage) -> OutboxMessage:
    """Return ``message`` as it will be sent, rendered if need be, without storing anything.

    For the development mailbox, which is a GET and must not write.
    """
    if message.is_rendered:
        return message
    written = _write(message) or ("(nothing to send)", "", "")
    copy = OutboxMessage(
        id=message.id,
        category=message.category,
        to_address=message.to_address,
        created_at=message.created_at,
    )
    copy.subject, copy.body_text, copy.body_html = written
    return copy


def _write(message: OutboxMessage) -> tuple[str, str, str] | None:
    params = dict(message.params or {})
    # Mail queued before languages were stored is in English, as it was then.
    with in_language(params.pop(LANGUAGE, None)):
        content = _renderers[message.category](params)
        return None if content is None else _rendered_parts(content)


def _rendered_parts(content: MailContent) -> tuple[str, str, str]:
    """Return subject, text and HTML, all or nothing: a half-rendered message is never kept."""
    context = {"subject": content.subject, **content.context}
    # Collapse whitespace: a newline in a subject would be a header injection.
    subject = " ".join(content.subject.split())[:200]
    text = render_template(f"email/{content.template}.txt", **context)
    html = render_template(f"email/{content.template}.html", **context)
    return subject, text, html


def _nothing_to_send(message: OutboxMessage) -> None:
    message.failed_at = now()
    message.claimed_until, message.claim_token = None, None
    message.last_error = "nothing to send: what the message was about no longer exists"


def _message_id() -> str:
    domain = current_app.config["MAIL_DEFAULT_SENDER"].rpartition("@")[2].strip("> ")
    return make_msgid(domain=domain or "localhost")


def backoff(attempts: int) -> timedelta:
    """Return how long to wait before the next try: 30 s, 1 min, 2 min ... 1 h."""
    exponent = min(max(attempts - 1, 0), 10)  # 30 s * 2**10 is already past the cap
    return min(timedelta(seconds=30 * 2**exponent), MAX_BACKOFF)


@dataclass
class DeliveryReport:
    sent: int = 0
    retried: int = 0
    failed: int = 0


def _claim_due(limit: int) -> tuple[list[int], str]:
    """Take ownership of up to ``limit`` due messages in one committed statement.

    Returns their ids and this claim's token. On PostgreSQL ``FOR UPDATE SKIP
    LOCKED`` lets several workers claim at once without waiting on each
    other's rows; SQLite ignores it, and its write lock already lets one claim
    run at a time. The outer WHERE repeats the conditions, so a row another
    worker claimed in between is not taken.
    """
    moment = now()
    token = secrets.token_hex(16)
    due = (
        select(OutboxMessage.id)
        .where(*_claimable(moment), OutboxMessage.next_attempt_at <= moment)
        .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    claimed = db.session.scalars(
        update(OutboxMessage)
        .where(OutboxMessage.id.in_(due.scalar_subquery()), *_claimable(moment))
        .values(claimed_until=moment + timedelta(seconds=CLAIM_SECONDS), claim_token=token)
        .returning(OutboxMessage.id)
    ).all()
    db.session.commit()
    return sorted(claimed), token


def _claimable(moment) -> tuple:
    return (
        OutboxMessage.sent_at.is_(None),
        OutboxMessage.failed_at.is_(None),
        or_(OutboxMessage.claimed_until.is_(None), OutboxMessage.claimed_until < moment),
    )


def _still_mine(message_id: int, token: str) -> bool:
    """Renew this worker's claim on one message just before sending it; False if it lapsed.

    A batch can take longer than a claim lasts (a slow mail server). Once a
    claim lapses another worker may take the message; then its token differs
    and this worker leaves it alone instead of sending it a second time.
    """
    result = db.session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.id == message_id,
            OutboxMessage.claim_token == token,
            OutboxMessage.sent_at.is_(None),
            OutboxMessage.failed_at.is_(None),
        )
        .values(claimed_until=now() + timedelta(seconds=CLAIM_SECONDS))
    )
    db.session.commit()
    return result.rowcount == 1


def _release(message_ids: list[int], token: str) -> None:
    """Give back claims this worker will not use, so the next round can take them at once."""
    if message_ids:
        db.session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id.in_(message_ids), OutboxMessage.claim_token == token)
            .values(claimed_until=None, claim_token=None)
        )
        db.session.commit()


class _UnfoldedMessage(Message):
    """A Flask-Mail message whose long headers are never RFC 2047 encoded.

    The email package folds a header past 78 characters, and one with no
    space to fold at (a ``List-Unsubscribe`` URL with its token) comes out as
    ``=?utf-8?q?...?=``, which mail clients do not read as a URL: their
    one-click unsubscribe button (RFC 8058) would never appear. RFC 5322
    allows lines up to 998 characters.
    """

    def _message(self):
        message = super()._message()
        message.policy = message.policy.clone(max_line_length=998)
        return message


def _to_mail_message(row: OutboxMessage) -> Message:
    message = _UnfoldedMessage(
        subject=row.subject,
        recipients=[row.to_address],
        body=row.body_text,
        html=row.body_html,
        sender=current_app.config["MAIL_DEFAULT_SENDER"],
        extra_headers=dict(row.headers or {}),
    )
    message.msgId = row.message_id
    return message


def _is_permanent(exc: Exception) -> bool:
    if isinstance(exc, BadHeaderError):  # a header that can never be sent as it is
        return True
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in exc.recipients.values()]
        return bool(codes) and all(500 <= code < 600 for code in codes)
    if isinstance(exc, smtplib.SMTPResponseException):
        return 500 <= exc.smtp_code < 600
    return False


def deliver_due(limit: int = 50) -> DeliveryReport:
    """Send up to ``limit`` due messages, recording each outcome in its own commit.

    No transaction stays open while SMTP is talked to: a slow mail server must
    not hold database locks that signing requests are waiting for.
    """
    report = DeliveryReport()
    if not current_app.config.get("MAIL_SERVER"):
        return report
    ids, token = _claim_due(limit)
    pending = list(ids)
    connection = None
    try:
        while pending:
            message_id = pending.pop(0)
            if not _still_mine(message_id, token):
                continue
            message = _prepared(message_id, report)
            if message is None:
                continue
            try:
                if connection is None:
                    connection = mail.connect().__enter__()
                connection.send(message)
            except Exception as exc:
                connection = _drop(connection)
                _record_failure(db.session.get(OutboxMessage, message_id), exc, report)
                db.session.commit()
                if not _is_permanent(exc):
                    # The server is down or refusing everything: stop this round
                    # rather than hammer it; the rest keep their places.
                    break
            else:
                # Recorded at once: from here on a retry would be a duplicate.
                row = db.session.get(OutboxMessage, message_id)
                row.sent_at = now()
                row.claimed_until, row.claim_token = None, None
                report.sent += 1
                db.session.commit()
    finally:
        _drop(connection)
        db.session.rollback()
        _release(pending, token)
    return report


def _prepared(message_id: int, report: DeliveryReport) -> Message | None:
    """Load one claimed message, rendering it first if need be; None when it is not to be sent.

    The rendering reads (the signature, the campaign) before SQLite's write
    lock is taken, and the rendered message is stored before the first try,
    so every retry sends the same message.
    """
    written, nothing, failure = None, False, None
    with reading():
        row = db.session.get(OutboxMessage, message_id)
        if row is None:  # pragma: no cover - deleted between claim and load
            return None
        try:
            written = None if row.is_rendered else _write(row)
            nothing = not row.is_rendered and written is None
        except Exception as exc:  # a template or data bug: retry later, loudly
            log.exception("outbox message %s could not be rendered", message_id)
            failure = exc
    row = db.session.get(OutboxMessage, message_id)
    if failure is not None:
        _record_failure(row, failure, report)
    elif nothing:
        _nothing_to_send(row)
        report.failed += 1
    elif written is not None:
        row.subject, row.body_text, row.body_html = written
    message = None if failure is not None or nothing else _to_mail_message(row)
    db.session.commit()
    return message


def _drop(connection: Any) -> None:
    if connection is not None:
        try:
            connection.__exit__(None, None, None)
        except (smtplib.SMTPException, OSError):
            pass
    return None


def _record_failure(row: OutboxMessage, exc: Exception, report: DeliveryReport) -> None:
    row.attempts += 1
    row.claimed_until, row.claim_token = None, None
    row.last_error = f"{type(exc).__name__}: {exc}"[:500]
    if _is_permanent(exc):
        row.failed_at = now()
        report.failed += 1
        log.warning("outbox message %s refused permanently (%s)", row.id, _code(exc))
    else:
        row.next_attempt_at = now() + backoff(row.attempts)
        report.retried += 1
        if not isinstance(exc, smtplib.SMTPException | OSError):
            log.error("outbox message %s failed unexpectedly (%s)", row.id, _code(exc))
        # Logs name the message and the error class only: SMTP replies often
        # echo the recipient's address, which must not reach the logs.
        log.info("outbox message %s will be retried (%s)", row.id, _code(exc))


def _code(exc: Exception) -> str:
    code = getattr(exc, "smtp_code", None)
    return f"{type(exc).__name__} {code}" if code else type(exc).__name__
