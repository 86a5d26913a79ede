"""A client cannot write a line of its own into the logs: control characters are escaped."""

import logging
import socket
from pathlib import Path

import pytest

from petition.logs import escape_control

from .helpers import ProcessGroup, free_port, wait_until

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
FORGED = '[29/Nov/2026:23:59:59 +0000] <12345> "GET /admin" 200'


@pytest.mark.parametrize(
    ("raw", "logged"),
    [
        ("/c/x\n" + FORGED, "/c/x\\x0a" + FORGED),
        ("/c/x\r\n", "/c/x\\x0d\\x0a"),
        ("/c/\x00nul", "/c/\\x00nul"),
        ("/c/\x1b[31mred", "/c/\\x1b[31mred"),
        ("/c/\x85next-line", "/c/\\x85next-line"),
        ("/c/\u2028sep", "/c/\\u2028sep"),
        ("/c/\u202eevil\u2066x\u2069", "/c/\\u202eevil\\u2066x\\u2069"),
        ("/c/a\\x0ab", "/c/a\\\\x0ab"),  # a typed escape cannot pass for ours
        ("/c/peña-josé-😀", "/c/peña-josé-😀"),  # ordinary text is kept
    ],
)
def test_control_line_break_and_bidi_characters_are_escaped(raw, logged):
    assert escape_control(raw) == logged


def test_the_apps_own_log_lines_are_escaped(app, caplog):
    with caplog.at_level(logging.INFO):
        app.logger.error("Exception on %s [%s]", "/c/x\n" + FORGED, "GET")
        logging.getLogger("werkzeug").info('"GET %s HTTP/1.1" 404 -', "/c/\x00\n")

    messages = [record.getMessage() for record in caplog.records]
    assert messages == [
        "Exception on /c/x\\x0a" + FORGED + " [GET]",
        '"GET /c/\\x00\\x0a HTTP/1.1" 404 -',
    ]
    assert all("\n" not in message and "\x00" not in message for message in messages)


@pytest.fixture
def gunicorn(tmp_path: Path):
    """Gunicorn with the project's settings, serving the hello-world app, logging to a file."""
    (tmp_path / "logs").mkdir()
    group = ProcessGroup(tmp_path / "logs")
    port = free_port()
    access_log = tmp_path / "access.log"
    env = {
        "HOST": "127.0.0.1",
        "PORT": str(port),
        "WEB_CONCURRENCY": "1",
        "GUNICORN_CMD_ARGS": f"--access-logfile {access_log}",
    }
    argv = [BIN / "gunicorn", "-c", "gunicorn.conf.py", "bench.hello:app"]
    group.start("gunicorn", argv, env, cwd=ROOT)
    try:
        group.wait_for_port("gunicorn", port, timeout=30)
        yield port, access_log, group
    finally:
        group.stop_all()
        print(group.report())


def raw_request(port: int, target: bytes) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=10) as connection:
        connection.sendall(b"GET " + target + b" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        answer = b""
        while chunk := connection.recv(65536):
            answer += chunk
        return answer


@pytest.mark.e2e
def test_gunicorn_access_log_keeps_one_line_per_request(gunicorn):
    port, access_log, group = gunicorn
    forged = '[29/Nov/2026:23:59:59 +0000] <1> "GET /" 200 13 1ms'
    target = b"/c/x%0a" + forged.replace(" ", "%20").encode() + b"%00%0d%e2%80%ae"
    assert raw_request(port, target).startswith(b"HTTP/1.1 404")
    assert raw_request(port, b"/").startswith(b"HTTP/1.1 200")

    lines = wait_until(
        lambda: (lines := access_log.read_bytes().splitlines()) and len(lines) >= 2 and lines,
        timeout=10,
        what="two access log lines",
    )
    assert len(lines) == 2, lines
    assert b"\x00" not in access_log.read_bytes()
    assert b"\\x0a[29/Nov/2026" in lines[0]
    assert b'"GET /"' in lines[1]
