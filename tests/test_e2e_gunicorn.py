"""End to end over real sockets: gunicorn (2 workers), the outbox worker and an SMTP server.

The database is built by ``flask db upgrade`` (so this also proves the
migrations), on SQLite and on PostgreSQL. Every subprocess is killed at
teardown, and its output is printed so that a failure shows what it said.
"""

import json
import re
import socket
import threading
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from petition import create_app
from petition.extensions import db
from petition.models import Campaign, CampaignStatus, OutboxMessage, Signature, Target

from .conftest import POSTGRES_URL, app_test_config, postgres_admin_engine
from .helpers import HttpSession, ProcessGroup, Smtp, body_text, free_port, wait_until

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
SLUG = "end-money-bail-e2e"
_CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
_CONFIRM_LINK = re.compile(r"https?://\S+/confirm/\S+")


@pytest.fixture
def migrated_database_url(database, tmp_path: Path) -> Iterator[str]:
    """Return the URL of an empty database of the ``database`` backend (not yet migrated)."""
    if database.backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'e2e.sqlite'}"
        return
    admin = postgres_admin_engine()
    name = f"petition_e2e_{uuid.uuid4().hex[:10]}"
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        yield sa.make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def processes(tmp_path: Path) -> Iterator[ProcessGroup]:
    (tmp_path / "logs").mkdir()
    group = ProcessGroup(tmp_path / "logs")
    try:
        yield group
    finally:
        group.stop_all()
        # Shown by pytest under "Captured stdout teardown" when the test fails.
        print(group.report())


class Site:
    """The running deployment: base URL, database URL and the processes behind it."""

    def __init__(self, url: str, database_url: str, processes: ProcessGroup) -> None:
        self.url = url
        self.database_url = database_url
        self.processes = processes
        self.app = create_app(app_test_config(database_url))

    def query(self, work: Callable[[], object]) -> object:
        with self.app.app_context():
            try:
                return work()
            finally:
                db.session.remove()

    def close(self) -> None:
        with self.app.app_context():
            db.engine.dispose()


@pytest.fixture
def site(migrated_database_url, processes: ProcessGroup, smtp: Smtp) -> Iterator[Site]:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = {
        "SECRET_KEY": "e2e-" + uuid.uuid4().hex,
        "DATABASE_URL": migrated_database_url,
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": str(smtp.port),
        "MAIL_DEFAULT_SENDER": "Petition <petition@petition.test>",
        "PETITION_BASE_URL": url,
        "SESSION_COOKIE_SECURE": "0",
        "HOST": "127.0.0.1",
        "PORT": str(port),
        "WEB_CONCURRENCY": "2",
        # Two workers need a shared rate-limit store (gunicorn.conf.py refuses memory://).
        "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379/8",
        # These requests post the sign form the moment they fetch it.
        "PETITION_SIGN_MIN_SECONDS": "0",
        # The access log on its own, to check what it records (the config sends it to stdout).
        "GUNICORN_CMD_ARGS": f"--access-logfile {processes.directory / 'access.log'}",
    }
    processes.run("db upgrade", [BIN / "flask", "--app", "wsgi", "db", "upgrade"], env, cwd=ROOT)
    site = Site(url, migrated_database_url, processes)
    site.query(_add_campaign)
    processes.start(
        "gunicorn", [BIN / "gunicorn", "-c", "gunicorn.conf.py", "wsgi:app"], env, cwd=ROOT
    )
    processes.start(
        "outbox",
        [BIN / "flask", "--app", "wsgi", "outbox", "work", "--interval", "0.2"],
        env,
        cwd=ROOT,
    )
    processes.wait_for_port("gunicorn", port, timeout=30)
    yield site
    site.close()


def _add_campaign() -> None:
    campaign = Campaign(
        slug=SLUG,
        title="End money bail in Dallas County",
        demand="Return the bail industry's money and end money bail.",
        status=CampaignStatus.LIVE,
        signature_goal=500,
        targets=[Target(name="Test Prosecutor", office="District Attorney", jurisdiction="Test")],
    )
    db.session.add(campaign)
    db.session.commit()


def from_the_site(site: Site) -> dict[str, str]:
    """The headers a browser adds to a form posted from one of the site's pages."""
    return {"Origin": site.url, "Sec-Fetch-Site": "same-origin"}


def sign(http: HttpSession, site: Site, email: str, name: str = "Maria Santos"):
    page = http.get(f"{site.url}/c/{SLUG}")
    assert page.status == 200, page.text
    form = {"name": name, "email": email, "zip_code": "75201"}
    return http.post(f"{site.url}/c/{SLUG}/sign", form, from_the_site(site))


def signatures(site: Site, email: str) -> list[tuple[str, bool]]:
    def read() -> list[tuple[str, bool]]:
        rows = db.session.scalars(sa.select(Signature).where(Signature.email_normalized == email))
        return [(row.email_normalized, row.confirmed_at is not None) for row in rows]

    return site.query(read)


def test_sign_and_confirm_through_gunicorn_the_outbox_worker_and_smtp(site, smtp, processes):
    http = HttpSession()
    page = http.get(f"{site.url}/c/{SLUG}")
    assert page.headers["Set-Cookie"] is None, "a supporter's visit sets no cookie"
    assert "public" in page.headers["Cache-Control"]

    forged = http.post(
        f"{site.url}/c/{SLUG}/sign",
        {"name": "Forged", "email": "forged@example.org", "zip_code": "75201"},
        {"Origin": "https://evil.example", "Sec-Fetch-Site": "cross-site"},
    )
    assert forged.status == 403
    response = sign(http, site, "maria@example.org")
    assert response.status == 303, response.text
    assert response.headers["Location"].endswith(f"/c/{SLUG}/check-email#main")

    [message] = wait_until(lambda: smtp.received or None, timeout=20, what="the email")
    assert message["X-Envelope-To"] == "maria@example.org"
    [link] = _CONFIRM_LINK.findall(body_text(message))
    assert link.startswith(f"{site.url}/confirm/")

    opened = http.get(link)
    assert opened.status == 200
    assert "Confirm my signature" in opened.text
    assert signatures(site, "maria@example.org") == [("maria@example.org", False)]
    confirmed = http.post(link, {}, from_the_site(site))
    assert confirmed.status == 303, confirmed.text
    assert confirmed.headers["Location"].endswith(f"/c/{SLUG}/thanks")

    count = http.get(f"{site.url}/c/{SLUG}/count.json")
    assert count.status == 200
    assert json.loads(count.text)["signatures"] == 1
    etag = count.headers["ETag"]
    assert http.get(f"{site.url}/c/{SLUG}/count.json", {"If-None-Match": etag}).status == 304
    assert signatures(site, "maria@example.org") == [("maria@example.org", True)]
    assert signatures(site, "forged@example.org") == []
    assert len(smtp.received) == 1, "exactly one confirmation email"
    # No session: the one cookie is "check your email"'s own, for that page's path only.
    assert [(c.name, c.path) for c in http.cookies] == [("just_signed", f"/c/{SLUG}/check-email")]

    assert send_malformed_request(site) == 400
    processes.stop("gunicorn")
    error_log = processes.output("gunicorn")
    assert "Invalid request from ip=[address]" in error_log
    access_log = (processes.directory / "access.log").read_text()
    assert f"/c/{SLUG}/sign" in access_log, "the access log is on"
    assert "127.0.0.1" not in access_log
    assert "maria" not in access_log
    assert "/confirm/[token]" in access_log
    assert link.rpartition("/")[2] not in access_log, "tokens never reach the logs"


def send_malformed_request(site: Site) -> int:
    """Send a request line gunicorn rejects, and return the status it answers."""
    port = int(site.url.rpartition(":")[2])
    with socket.create_connection(("127.0.0.1", port), timeout=10) as connection:
        connection.sendall(b"NOT A REQUEST\r\n\r\n")
        status_line = connection.makefile("rb").readline().decode()
    return int(status_line.split()[1])


def test_the_same_address_signing_twice_at_once_makes_one_signature(site, smtp):
    sessions = [HttpSession(), HttpSession()]
    pages = [http.get(f"{site.url}/c/{SLUG}") for http in sessions]
    barrier = threading.Barrier(len(sessions))
    statuses: list[int] = []

    def sign_at_once(http: HttpSession, page) -> None:
        assert page.status == 200
        form = {"name": "Twice Quickly", "email": "twice@example.org", "zip_code": "75201"}
        barrier.wait(timeout=10)
        statuses.append(http.post(f"{site.url}/c/{SLUG}/sign", form, from_the_site(site)).status)

    pairs = zip(sessions, pages, strict=True)
    threads = [threading.Thread(target=sign_at_once, args=pair) for pair in pairs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert statuses == [303, 303]
    assert signatures(site, "twice@example.org") == [("twice@example.org", False)]
    # The first request queues the link; the second finds it mailed moments ago.
    assert site.query(lambda: _queued_to("twice@example.org")) == 1
    wait_until(lambda: smtp.received or None, timeout=20, what="the email")


def _queued_to(address: str) -> int:
    query = sa.select(sa.func.count()).where(OutboxMessage.to_address == address)
    return db.session.scalar(query)
