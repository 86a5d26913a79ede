"""Queue mail in the caller's transaction, and the worker that sends it.

``queue_mail`` only adds a row: the message exists exactly when the action that
caused it commits. ``deliver_due`` claims due rows, sends each over SMTP and
records the outcome, one message per transaction, so a crash or an SMTP outage
loses nothing and a message the server accepted is not sent again.
"""

import logging
import smtplib
from dataclasses import dataclass
from datetime import timedelta
from email.utils import make_msgid
from typing import Any

from flask import current_app, render_template
from flask_mail import BadHeaderError, Message
from sqlalchemy import or_, select, update

from petition.clock import now
from petition.extensions import db, mail
from petition.models import OutboxMessage

log = logging.getLogger(__name__)

CLAIM_SECONDS = 120
MAX_BACKOFF = timedelta(hours=1)


def queue_mail(
    to: str,
    template: str,
    subject: str,
    *,
    headers: dict[str, str] | None = None,
    **context: Any,
) -> OutboxMessage:
    """Render ``email/<template>.txt`` and ``.html`` and add them to the outbox."""
    domain = current_app.config["MAIL_DEFAULT_SENDER"].rpartition("@")[2].strip("> ")
    message = OutboxMessage(
        category=template,
        to_address=to,
        # Collapse whitespace: a newline in a subject would be a header injection.
        subject=" ".join(subject.split()),
        body_text=render_template(f"email/{template}.txt", subject=subject, **context),
        body_html=render_template(f"email/{template}.html", subject=subject, **context),
        headers=headers or {},
        message_id=make_msgid(domain=domain or "localhost"),
        next_attempt_at=now(),
    )
    db.session.add(message)
    db.session.flush()
    return message


def backoff(attempts: int) -> timedelta:
    """Return how long to wait before the next try: 30 s, 1 min, 2 min ... 1 h."""
    exponent = min(max(attempts - 1, 0), 10)  # 30 s * 2**10 is already past the cap
    return min(timedelta(seconds=30 * 2**exponent), MAX_BACKOFF)


@dataclass
class DeliveryReport:
    sent: int = 0
    retried: int = 0
    failed: int = 0


def _due_ids(limit: int) -> list[int]:
    moment = now()
    return list(
        db.session.scalars(
            select(OutboxMessage.id)
            .where(
                OutboxMessage.sent_at.is_(None),
                OutboxMessage.failed_at.is_(None),
                OutboxMessage.next_attempt_at <= moment,
                or_(OutboxMessage.claimed_until.is_(None), OutboxMessage.claimed_until < moment),
            )
            .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
            .limit(limit)
        )
    )


def _claim(message_id: int) -> bool:
    """Take ownership of one message; False if another worker got it first."""
    moment = now()
    result = db.session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.id == message_id,
            OutboxMessage.sent_at.is_(None),
            OutboxMessage.failed_at.is_(None),
            or_(OutboxMessage.claimed_until.is_(None), OutboxMessage.claimed_until < moment),
        )
        .values(claimed_until=moment + timedelta(seconds=CLAIM_SECONDS))
    )
    db.session.commit()
    return result.rowcount == 1


def _to_mail_message(row: OutboxMessage) -> Message:
    message = Message(
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
    ids = _due_ids(limit)
    db.session.rollback()
    connection = None
    try:
        for message_id in ids:
            if not _claim(message_id):
                continue
            row = db.session.get(OutboxMessage, message_id)
            if row is None:  # pragma: no cover - deleted between claim and load
                continue
            message = _to_mail_message(row)
            db.session.commit()
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
                row.claimed_until = None
                report.sent += 1
                db.session.commit()
    finally:
        _drop(connection)
    return report


def _drop(connection: Any) -> None:
    if connection is not None:
        try:
            connection.__exit__(None, None, None)
        except (smtplib.SMTPException, OSError):
            pass
    return None


def _record_failure(row: OutboxMessage, exc: Exception, report: DeliveryReport) -> None:
    row.attempts += 1
    row.claimed_until = None
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
