"""Command-line tools: ``flask --app wsgi demo`` and ``flask --app wsgi outbox work``."""

import signal
import socket
import time

import click
from flask import Flask
from flask.cli import AppGroup

from petition.extensions import db

outbox_cli = AppGroup("outbox", help="Send queued email.")


@outbox_cli.command("work")
@click.option("--once", is_flag=True, help="Send what is due, then exit.")
@click.option("--interval", default=2.0, show_default=True, help="Seconds between polls.")
@click.option("--batch", default=50, show_default=True, help="Messages per round.")
def outbox_work(once: bool, interval: float, batch: int) -> None:
    """Send queued mail through SMTP, retrying failures with backoff."""
    from flask import current_app

    from petition.outbox import deliver_due

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
        report = deliver_due(limit=batch)
        db.session.remove()
        if report.sent or report.retried or report.failed:
            click.echo(f"sent {report.sent}, retrying {report.retried}, failed {report.failed}")
        if once or stopping:
            return
        if report.sent < batch:  # caught up: wait before polling again
            time.sleep(interval)


@click.command("demo")
def demo() -> None:
    """Load the demo campaigns (safe to run again)."""
    from petition.demo import load_demo

    created = load_demo()
    db.session.commit()
    click.echo(f"Demo data ready ({created} new campaigns).")


def init_app(app: Flask) -> None:
    app.cli.add_command(outbox_cli)
    app.cli.add_command(demo)
