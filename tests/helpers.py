"""Test helpers: CSRF-aware form posts, link extraction, a controllable SMTP server."""

import http.cookiejar
import os
import re
import signal
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import Message
from pathlib import Path

from aiosmtpd.controller import Controller
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

_CSRF = re.compile(
    r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"'
)
_LINK = re.compile(r"https?://\S+")


def csrf_token(client: FlaskClient, path: str) -> str:
    """GET ``path`` and return the CSRF token from its form."""
    response = client.get(path)
    match = _CSRF.search(response.get_data(as_text=True))
    assert match, f"no CSRF token on {path} ({response.status_code})"
    return match.group(1) or match.group(2)


# What a browser sends with a form posted from one of the site's own pages.
SAME_ORIGIN = {"Origin": "http://localhost", "Sec-Fetch-Site": "same-origin"}


def post_form(client: FlaskClient, page: str, action: str, data: dict[str, object]) -> TestResponse:
    """Submit a form the way a browser does: open ``page``, post its form to ``action``.

    The session's CSRF token goes along when the page's form has one
    (organizer and account forms); supporter forms have none and rely on the
    browser's same-origin headers, which are sent either way.
    """
    page_html = client.get(page).get_data(as_text=True)
    match = _CSRF.search(page_html)
    token = {"csrf_token": match.group(1) or match.group(2)} if match else {}
    return client.post(action, data={**token, **data}, headers=SAME_ORIGIN)


def read_outbox(app, *where) -> list:
    """Return outbox messages (detached, oldest first), rendered as the worker would.

    Signing mail is queued unrendered (petition.outbox.queue_mail_later); the
    worker renders it before sending, and so does this.
    """
    import sqlalchemy as sa

    from petition.extensions import db
    from petition.models import OutboxMessage
    from petition.outbox import render

    with app.app_context():
        for message in db.session.scalars(
            sa.select(OutboxMessage).where(OutboxMessage.body_text.is_(None))
        ):
            assert render(message), f"nothing to send for {message.category}"
        db.session.commit()
        rows = list(
            db.session.scalars(sa.select(OutboxMessage).where(*where).order_by(OutboxMessage.id))
        )
        db.session.expunge_all()
        db.session.remove()
        return rows


@contextmanager
def count_queries(app):
    """Collect the SQL statements ``app`` runs inside the block (N+1 checks)."""
    import sqlalchemy as sa

    from petition.extensions import db

    statements: list[str] = []

    def record(conn, cursor, statement, *args):
        statements.append(statement)

    with app.app_context():
        engine = db.engine
    sa.event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        sa.event.remove(engine, "before_cursor_execute", record)


def links(text: str) -> list[str]:
    return _LINK.findall(text)


def path_of(url: str) -> str:
    """Return the path of an absolute link from an email, for the test client."""
    return re.sub(r"^https?://[^/]+", "", url)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class _Handler:
    received: list[Message] = field(default_factory=list)
    refuse: bool = False

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd API
        if self.refuse:
            return "451 4.3.0 Try again later"
        message = message_from_bytes(envelope.original_content or envelope.content)
        message["X-Envelope-To"] = ", ".join(envelope.rcpt_tos)
        self.received.append(message)
        return "250 OK"


class Smtp:
    """A real SMTP server that tests can make refuse mail, stop and start again."""

    def __init__(self) -> None:
        self.port = free_port()
        self.handler = _Handler()
        self.controller: Controller | None = None

    @property
    def received(self) -> list[Message]:
        return self.handler.received

    @property
    def config(self) -> dict[str, object]:
        # Flask-Mail suppresses sending when TESTING unless told otherwise.
        return {"MAIL_SERVER": "127.0.0.1", "MAIL_PORT": self.port, "MAIL_SUPPRESS_SEND": False}

    def start(self) -> None:
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


def body_text(message: Message) -> str:
    """Return the text/plain part of a received email."""
    for part in message.walk():
        if part.get_content_type() == "text/plain":
            return part.get_payload(decode=True).decode(part.get_content_charset() or "utf-8")
    raise AssertionError("no text/plain part")


def has_html_part(message: Message) -> bool:
    return any(part.get_content_type() == "text/html" for part in message.walk())


# Real HTTP and real processes, for the end-to-end test and the benchmark.


def wait_until(condition, timeout: float, what: str, interval: float = 0.05):
    """Poll ``condition`` until it returns something truthy; fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        result = condition()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(interval)


@dataclass
class HttpResponse:
    status: int
    headers: Message
    text: str


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # hand the 3xx back to the caller


class HttpSession:
    """A stdlib HTTP client with its own cookies that never follows redirects."""

    def __init__(self, timeout: float = 15) -> None:
        self.timeout = timeout
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), _NoRedirect()
        )

    def request(
        self, url: str, data: dict[str, str] | None = None, headers: dict[str, str] | None = None
    ) -> HttpResponse:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(url, data=body, headers=headers or {})
        try:
            with self.opener.open(request, timeout=self.timeout) as response:
                return HttpResponse(response.status, response.headers, _text(response.read()))
        except urllib.error.HTTPError as error:  # 3xx (not followed), 4xx, 5xx
            with error:
                return HttpResponse(error.code, error.headers, _text(error.read()))

    def get(self, url: str, headers: dict[str, str] | None = None) -> HttpResponse:
        return self.request(url, headers=headers)

    def post(
        self, url: str, data: dict[str, str], headers: dict[str, str] | None = None
    ) -> HttpResponse:
        return self.request(url, data=data, headers=headers)


def _text(raw: bytes) -> str:
    return raw.decode("utf-8", errors="replace")


class ProcessGroup:
    """Subprocesses with their output in files; all of them killed at the end, whatever happens."""

    def __init__(self, directory: Path | None = None) -> None:
        self.directory = directory or Path(tempfile.mkdtemp(prefix="petition-processes-"))
        self.processes: dict[str, subprocess.Popen] = {}
        self.logs: dict[str, Path] = {}

    def _environment(self, env: dict[str, str]) -> dict[str, str]:
        base = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("FLASK_", "PETITION_", "MAIL_", "GUNICORN_"))
            and key not in ("DATABASE_URL", "SECRET_KEY", "WEB_CONCURRENCY", "PORT", "HOST")
        }
        return {**base, "PYTHONUNBUFFERED": "1", **env}

    def start(self, name: str, argv: list, env: dict[str, str], cwd: Path) -> subprocess.Popen:
        log = self.directory / f"{name.replace(' ', '-')}.log"
        self.logs[name] = log
        with open(log, "wb") as output:
            process = subprocess.Popen(
                [str(arg) for arg in argv],
                cwd=cwd,
                env=self._environment(env),
                stdin=subprocess.DEVNULL,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group: workers die with it
            )
        self.processes[name] = process
        return process

    def run(self, name: str, argv: list, env: dict[str, str], cwd: Path, timeout: float = 120):
        """Run a command to completion; fail with its output if it fails."""
        process = self.start(name, argv, env, cwd)
        try:
            code = process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.stop(name)
            raise AssertionError(f"{name} took over {timeout} s:\n{self.output(name)}") from None
        assert code == 0, f"{name} exited with {code}:\n{self.output(name)}"

    def wait_for_port(self, name: str, port: int, timeout: float) -> None:
        """Wait until something accepts connections on ``port``, failing if ``name`` dies."""

        def ready() -> bool:
            process = self.processes[name]
            if process.poll() is not None:
                raise AssertionError(
                    f"{name} exited with {process.returncode}:\n{self.output(name)}"
                )
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                    return True
            except OSError:
                return False

        wait_until(ready, timeout, f"{name} to listen on port {port}")

    def stop(self, name: str, grace: float = 10) -> None:
        process = self.processes[name]
        if process.poll() is None:
            process.terminate()  # the leader only: gunicorn's master stops its workers
            try:
                process.wait(timeout=grace)
            except subprocess.TimeoutExpired:
                _signal_group(process, signal.SIGKILL)
                process.wait(timeout=grace)
        # Stray children (gunicorn workers) go down with the group.
        _signal_group(process, signal.SIGKILL)

    def stop_all(self) -> None:
        for name in reversed(list(self.processes)):
            self.stop(name)

    def output(self, name: str) -> str:
        return self.logs[name].read_text(errors="replace")

    def report(self) -> str:
        """Return every process's output, and any other log written to the directory."""
        parts = [
            f"----- {name} (exit {self.processes[name].returncode}) -----\n{self.output(name)}"
            for name in self.processes
        ]
        others = sorted(set(self.directory.glob("*.log")) - set(self.logs.values()))
        parts += [f"----- {path.name} -----\n{path.read_text(errors='replace')}" for path in others]
        return "\n".join(parts)


def _signal_group(process: subprocess.Popen, signum: int) -> None:
    try:
        os.killpg(process.pid, signum)
    except ProcessLookupError:
        pass


def comparable(response, email: str) -> str:
    """Return a page with the typed address and the CSRF token masked.

    The token is signed with a timestamp, so it differs between two requests a
    second apart; everything else must be identical.
    """
    html = response.get_data(as_text=True).replace(email, "EMAIL")
    return re.sub(r'name="csrf_token" type="hidden" value="[^"]+"', "CSRF", html)


@contextmanager
def redis_database(url: str):
    """Yield a client of the Redis database ``url`` names, empty before and after.

    Each test module that needs Redis names its own database number, so none
    flushes another's. Without a server the test is skipped, except on CI.
    """
    import pytest
    import redis

    server = redis.Redis.from_url(url)
    try:
        server.ping()
    except redis.exceptions.ConnectionError:
        server.close()
        if os.environ.get("CI"):
            raise
        pytest.skip("Redis is not reachable at 127.0.0.1:6379")
    server.flushdb()
    try:
        yield server
    finally:
        server.flushdb()
        server.close()
