"""Real-browser fixtures: the app over real HTTP, and Debian's Chromium through Playwright.

Registered in ``tests/conftest.py`` (``pytest_plugins``). A browser test looks like::

    import pytest
    from playwright.sync_api import expect

    from .browser import PHONE, emailed_link

    pytestmark = pytest.mark.browser


    def test_a_supporter_can_sign_on_a_phone(live_server, new_page, make_campaign):
        campaign = make_campaign()
        page = new_page(viewport=PHONE)
        page.goto(f"{live_server.url}/c/{campaign.slug}")
        page.get_by_label("Full name").fill("Maria Santos")
        ...
        link = emailed_link(live_server.app, "maria@example.org", "/confirm/")
        page.goto(link)
        page.get_by_role("button", name="Confirm my signature").click()
        expect(page.locator("[data-count]").first).to_have_text("1")

Fixtures
- ``live_server``: the ``app`` fixture's application (so it runs on SQLite, a
  file database in WAL mode, and on PostgreSQL, and ``make_campaign``,
  ``make_user`` and friends write to the database it serves) behind a threaded
  werkzeug server on ``127.0.0.1:<free port>``. ``.url`` is the base URL (no
  trailing slash), ``.app`` the Flask app; ``PETITION_BASE_URL`` is set to
  ``.url`` so emailed links point at it. Override settings with the
  ``app_config`` fixture, e.g. ``{"PETITION_COUNT_POLL_SECONDS": 1}``. An
  exception inside a request fails the test at teardown, even if the page
  looked fine.
- ``browser``: one headless Chromium per session (``/usr/bin/chromium``, never a
  downloaded build). Missing Chromium skips locally and fails when ``CI`` is set.
- ``new_page(**context_options)``: a page in a fresh browser context (own
  cookies), closed at teardown; call it twice for two independent visitors.
  Each page gets ``page.watch`` (a ``PageWatch``) recording every request URL,
  console message and page error, so a test can assert on other origins or
  CSP violations. Default timeout: 10 s, so a broken test fails fast.
- ``page``: ``new_page()`` with a desktop viewport.

Logging in: ``log_in_browser(page, live_server, user)`` gives the page's
context the session cookie of ``fixtures_accounts.log_in`` (call it before
``page.goto``); test the login form itself once, not in every test.

Mail: the app has no ``MAIL_SERVER`` here, so nothing is sent; messages stay in
the outbox table. ``emailed_link(app, to, path)`` reads the newest
``OutboxMessage`` to an address and returns the absolute link in its text
part containing ``path``.

Playwright's sync API refuses to run inside a running asyncio loop; these
fixtures never start one in the test thread (aiosmtpd runs its own loop in a
thread of its own, which is fine).
"""

import os
import re
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from flask import Flask, got_request_exception
from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server

from petition.models import OutboxMessage

from .helpers import read_outbox

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",  # we run as root in a container
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
DEFAULT_TIMEOUT_MS = 10_000
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"

_LINK = re.compile(r"https?://\S+")


class _QuietHandler(WSGIRequestHandler):
    """Keep request lines out of the output; failures are reported through errors."""

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        pass


@dataclass
class LiveServer:
    """The application served over real HTTP for one test."""

    app: Flask
    server: BaseWSGIServer
    thread: threading.Thread
    errors: list[BaseException] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_port}"

    @property
    def origin(self) -> str:
        return self.url

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=10)


@pytest.fixture
def live_server(app: Flask) -> Iterator[LiveServer]:
    """Serve ``app`` on 127.0.0.1:<free port> in a background thread."""
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=_QuietHandler)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    live = LiveServer(app=app, server=server, thread=thread)
    app.config["PETITION_BASE_URL"] = live.url

    def record(sender: Flask, exception: BaseException, **_extra: object) -> None:
        live.errors.append(exception)

    got_request_exception.connect(record, app)
    thread.start()
    try:
        yield live
    finally:
        live.stop()
        got_request_exception.disconnect(record, app)
    if live.errors:
        pytest.fail(f"the live server raised during the test: {live.errors!r}")


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """Launch Debian's Chromium once per session (headless, never downloaded)."""
    if not os.access(CHROMIUM, os.X_OK):
        message = f"{CHROMIUM} is missing: install Debian's chromium (make browser)"
        if os.environ.get("CI"):
            pytest.fail(f"{message}; CI must run the browser tests")
        pytest.skip(f"{message}; browser tests SKIPPED")
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    try:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield chromium
        finally:
            chromium.close()
    finally:
        playwright.stop()


@dataclass
class PageWatch:
    """What one page did: every request URL, console message and uncaught error."""

    requests: list[str] = field(default_factory=list)
    console: list[tuple[str, str]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def origins(self) -> set[str]:
        """Return the scheme://host:port of every http(s) request the page made."""
        found = set()
        for url in self.requests:
            parts = urlsplit(url)
            if parts.scheme in ("http", "https", "ws", "wss"):
                found.add(f"{parts.scheme}://{parts.netloc}")
        return found

    def csp_violations(self) -> list[str]:
        return [text for _, text in self.console if "Content Security Policy" in text]

    def console_errors(self) -> list[str]:
        return [text for kind, text in self.console if kind == "error"]


@pytest.fixture
def new_page(browser) -> Iterator[Callable[..., object]]:
    """Return a factory: each call opens a page in a fresh browser context."""
    contexts = []

    def open_page(**context_options: object):
        context_options.setdefault("viewport", DESKTOP)
        context = browser.new_context(**context_options)
        context.set_default_timeout(DEFAULT_TIMEOUT_MS)
        contexts.append(context)
        page = context.new_page()
        watch = PageWatch()
        page.on("request", lambda request: watch.requests.append(request.url))
        page.on("console", lambda message: watch.console.append((message.type, message.text)))
        page.on("pageerror", lambda error: watch.errors.append(str(error)))
        page.watch = watch
        return page

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    """A page in a fresh context with a desktop viewport."""
    return new_page()


def log_in_browser(page, live_server: LiveServer, user) -> None:
    """Give ``page``'s browser context a logged-in session for ``user``, without the form.

    Uses ``fixtures_accounts.log_in`` on a test client and hands its session
    cookie to the browser, so it stays in step with how the app checks sessions.
    """
    from .fixtures_accounts import log_in

    client = log_in(live_server.app.test_client(), user)
    cookie = client.get_cookie(live_server.app.config["SESSION_COOKIE_NAME"])
    assert cookie is not None, "log_in did not set a session cookie"
    page.context.add_cookies(
        [{"name": cookie.key, "value": cookie.value, "url": live_server.url, "httpOnly": True}]
    )


def emails_to(app: Flask, to: str) -> list[OutboxMessage]:
    """Return the outbox messages to ``to``, oldest first (detached, rendered)."""
    return read_outbox(app, OutboxMessage.to_address == to)


def emailed_link(app: Flask, to: str, path: str = "/confirm/") -> str:
    """Return the absolute link containing ``path`` in the newest email to ``to``."""
    messages = emails_to(app, to)
    assert messages, f"no email queued for {to}"
    links = [link for link in _LINK.findall(messages[-1].body_text) if path in link]
    assert links, f"no link containing {path!r} in the email to {to}"
    return links[0]
