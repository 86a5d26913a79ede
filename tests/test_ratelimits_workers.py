"""A rate limit holds however many gunicorn workers serve the requests."""

import re
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa

from petition.models import Base
from petition.ratelimits import per_process_problem

from .helpers import HttpSession, ProcessGroup, free_port, redis_database

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
# This module's own Redis database: flushed before and after, nobody else's touched.
REDIS_URL = "redis://127.0.0.1:6379/8"


@pytest.mark.parametrize(
    ("config", "workers", "refused"),
    [
        ({"RATELIMIT_ENABLED": True, "RATELIMIT_STORAGE_URI": "memory://"}, 4, True),
        ({"RATELIMIT_ENABLED": True, "RATELIMIT_STORAGE_URI": "memory://"}, 1, False),
        ({"RATELIMIT_ENABLED": True, "RATELIMIT_STORAGE_URI": REDIS_URL}, 4, False),
        ({"RATELIMIT_ENABLED": False, "RATELIMIT_STORAGE_URI": "memory://"}, 4, False),
    ],
)
def test_several_workers_need_a_shared_store(config, workers, refused):
    assert (per_process_problem(config, workers) is not None) is refused


@pytest.fixture
def redis_db():
    with redis_database(REDIS_URL) as server:
        yield server


@pytest.fixture
def deployment(tmp_path: Path):
    """Start gunicorn with the project's settings; return (start, processes)."""
    (tmp_path / "logs").mkdir()
    group = ProcessGroup(tmp_path / "logs")
    database = tmp_path / "limits.sqlite"
    engine = sa.create_engine(f"sqlite:///{database}")
    Base.metadata.create_all(engine)
    engine.dispose()
    port = free_port()
    env = {
        "SECRET_KEY": uuid.uuid4().hex,
        "DATABASE_URL": f"sqlite:///{database}",
        "PETITION_BASE_URL": f"http://127.0.0.1:{port}",
        "SESSION_COOKIE_SECURE": "0",
        "HOST": "127.0.0.1",
        "PORT": str(port),
        "PETITION_SIGN_RATE_LIMIT": "10 per minute",
        "GUNICORN_CMD_ARGS": f"--access-logfile {tmp_path / 'access.log'}",
    }

    def start(**extra: str):
        argv = [BIN / "gunicorn", "-c", "gunicorn.conf.py", "-w", "4", "wsgi:app"]
        return group.start("gunicorn", argv, {**env, **extra}, cwd=ROOT), port

    try:
        yield start, group, tmp_path / "access.log"
    finally:
        group.stop_all()
        print(group.report())


def test_gunicorn_refuses_four_workers_with_per_process_limits(deployment):
    start, group, _ = deployment
    process, _ = start()  # RATELIMIT_STORAGE_URI unset: memory://
    assert process.wait(timeout=60) != 0
    output = group.output("gunicorn")
    assert "Refusing to start 4 workers with RATELIMIT_STORAGE_URI=memory://" in output
    assert "redis://" in output


def test_a_limit_holds_across_four_workers_with_redis(deployment, redis_db):
    start, group, access_log = deployment
    _, port = start(RATELIMIT_STORAGE_URI=REDIS_URL)
    group.wait_for_port("gunicorn", port, timeout=60)
    url = f"http://127.0.0.1:{port}"
    same_origin = {"Origin": url, "Sec-Fetch-Site": "same-origin"}
    http = HttpSession()

    # A resend's limit is counted before its view runs: an unknown demand still counts.
    statuses = [
        http.post(f"{url}/c/no-such-demand/check-email/resend", {}, same_origin).status
        for _ in range(60)
    ]

    assert statuses == [404] * 10 + [429] * 50
    group.stop("gunicorn")
    pids = set(re.findall(r"<(\d+)>", access_log.read_text()))
    assert len(pids) > 1, "the requests were served by several workers"
