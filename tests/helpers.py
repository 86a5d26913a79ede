"""Test helpers: CSRF-aware form posts, link extraction, a controllable SMTP server."""

import re
import socket
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import Message

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


def post_form(client: FlaskClient, page: str, action: str, data: dict[str, object]) -> TestResponse:
    """Submit a form the way a browser does: read the token from ``page``, post to ``action``."""
    return client.post(action, data={"csrf_token": csrf_token(client, page), **data})


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
