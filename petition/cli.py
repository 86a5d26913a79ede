"""Command-line tools: ``demo``, ``outbox work``, ``organizers create``, ``counts verify``
and ``retention run``."""

import signal
import socket
import sys
import time

import click
from flask import Flask
from flask.cli import AppGroup, with_appcontext

from petition.extensions import db

outbox_cli = AppGroup("outbox", help="Send queued email.")


@outbox_cli.command("work")
@click.option("--once", is_flag=True, help="Send what is due, then exit.")
@click.option("--interval", default=2.0, show_default=True, help="Seconds between polls.")
@click.option("--batch", default=50, show_default=True, help="Messages per round.")
def outbox_work(once: bool, interval: float, batch: int) -> None:
    """Send queued mail through SMTP, retrying failures with backoff."""
    from flask import current_app
    from sqlalchemy.exc import OperationalError

    from petition.organizers.updates import queue_pending_updates
    from petition.outbox import DeliveryReport, deliver_due
    from petition.webhooks.delivery import WebhookReport, deliver_webhooks

    if not current_app.config.get("MAIL_SERVER"):
        click.echo("MAIL_SERVER is not set: mail stays queued (see /dev/mail in debug).")
    # smtplib waits forever by default; a hung server must not hang the worker.
    socket.setdefaulttimeout(30)
    stopping = False

    def _stop(*_args: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, _stop)
    while True:
        try:
            # Updates to long lists of signers are queued here, a batch at a time.
            fanned_out = queue_pending_updates()
            db.session.remove()
            report = deliver_due(limit=batch)
            db.session.remove()
            # Webhooks go through the same worker, from their own table.
            hooks = deliver_webhooks(limit=batch)
        except OperationalError as exc:
            # The database restarted or failed over: nothing was lost (every
            # outcome is committed as it happens); try again next round.
            click.echo(f"database unavailable ({type(exc.orig).__name__}); retrying", err=True)
            fanned_out, report, hooks = False, DeliveryReport(), WebhookReport()
        finally:
            db.session.remove()
        if report.sent or report.retried or report.failed:
            click.echo(f"sent {report.sent}, retrying {report.retried}, failed {report.failed}")
        if hooks.delivered or hooks.retried or hooks.failed:
            click.echo(
                f"webhooks: delivered {hooks.delivered}, retrying {hooks.retried},"
                f" failed {hooks.failed}"
            )
        if once or stopping:
            return
        caught_up = report.sent < batch and hooks.delivered < batch and not fanned_out
        if caught_up:  # wait before polling again
            time.sleep(interval)


@click.command("demo")
@with_appcontext
def demo() -> None:
    """Load the demo campaigns (safe to run again)."""
    from petition.demo import load_demo

    created = load_demo()
    db.session.commit()
    click.echo(f"Demo data ready ({created} new demands).")


organizers_cli = AppGroup("organizers", help="Manage organizer accounts.")


def _stdin_is_terminal() -> bool:
    return sys.stdin.isatty()


def _read_password() -> str:
    if not _stdin_is_terminal():
        # Deployment scripts pipe the password in: the first line, as typed.
        return sys.stdin.readline().rstrip("\r\n")
    return click.prompt("Password", hide_input=True, confirmation_prompt=True)


@organizers_cli.command("create")
@click.argument("email")
@click.option("--admin", is_flag=True, help="Allow moderation as well as organizing.")
@click.option("--name", default="", help="The name shown to other organizers.")
def organizers_create(email: str, admin: bool, name: str) -> None:
    """Create a confirmed account; the password comes from stdin or a prompt."""
    from petition.auth.services import PASSWORD_MAX, PASSWORD_MIN, AccountExists, create_account
    from petition.emails import InvalidEmail, check_email

    try:
        email = check_email(email)
    except InvalidEmail as exc:
        raise click.ClickException(f"{email!r} is not a valid email address: {exc}") from exc
    name = name.strip()
    if len(name) > 100:
        raise click.ClickException("The name must be 100 characters or fewer.")
    password = _read_password()
    if not PASSWORD_MIN <= len(password) <= PASSWORD_MAX:
        raise click.ClickException(
            f"The password must be {PASSWORD_MIN} to {PASSWORD_MAX} characters long."
        )
    try:
        user = create_account(email, password, name=name, admin=admin, confirmed=True)
    except AccountExists as exc:
        raise click.ClickException(f"An account for {email} already exists.") from exc
    db.session.commit()
    click.echo(f"Created {user.role} account {user.email}.")


counts_cli = AppGroup("counts", help="Check the public counts against the records.")


@counts_cli.command("verify")
@click.option("--repair", is_flag=True, help="Set every wrong count to its recount.")
def counts_verify(repair: bool) -> None:
    """Recount every campaign from its confirmed signatures, and every pledge tally from
    its responses, and report any difference.

    Exits with status 1 when a count was wrong (and, with --repair, is now right).
    Reading takes no lock; --repair locks one wrong campaign's count at a time.
    A pledge tally is computed from the responses each time, so a difference
    there is a bug to report, not a figure to repair.
    """
    from petition import counts
    from petition.pledges import tally_check

    differences = counts.differences()
    if repair:
        for difference in differences:
            counts.repair(difference.campaign_id)
            db.session.commit()
    if not differences:
        click.echo("Every count matches its confirmed signatures.")
    for difference in differences:
        click.echo(
            f"{difference.slug}: shows {difference.counted:,}, "
            f"{difference.confirmed:,} confirmed signatures, "
            f"{difference.in_history:,} in its hourly history" + (" (repaired)" if repair else "")
        )
    if differences and not repair:
        click.echo("Run again with --repair to set the counts from the signatures.")
    pledges = tally_check.differences()
    if not pledges:
        click.echo("Every pledge tally matches its responses.")
    for pledge in pledges:
        click.echo(f"pledge {pledge.slug}: shows {pledge.shown}; responses say {pledge.recounted}")
    if differences or pledges:
        sys.exit(1)


retention_cli = AppGroup("retention", help="Erase supporters' personal data when it is due.")


@retention_cli.command("run")
def retention_run() -> None:
    """Anonymize the signers of demands closed over PETITION_RETENTION_DAYS ago.

    Idempotent and safe from cron: what is done is committed demand by
    demand, and a second run finds nothing left to do.
    """
    from flask import current_app

    from petition import retention

    done = retention.run()
    days = current_app.config["PETITION_RETENTION_DAYS"]
    if not done:
        click.echo(f"Nothing to anonymize: no demand closed over {days} days ago has signers left.")
    for item in done:
        click.echo(
            f"{item.slug} (closed {item.closed:%Y-%m-%d}): anonymized {item.signatures:,} "
            f"signature{'' if item.signatures == 1 else 's'}, deleted {item.messages:,} sent email"
            f"{'' if item.messages == 1 else 's'}."
        )


def init_app(app: Flask) -> None:
    app.cli.add_command(outbox_cli)
    app.cli.add_command(demo)
    app.cli.add_command(organizers_cli)
    app.cli.add_command(counts_cli)
    app.cli.add_command(retention_cli)
