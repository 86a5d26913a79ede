"""Gunicorn settings for production: ``gunicorn -c gunicorn.conf.py wsgi:app``.

Environment:
    HOST                 address to bind (default 127.0.0.1; a container behind a
                         proxy sets 0.0.0.0)
    PORT                 port to bind (default 8000)
    WEB_CONCURRENCY      worker processes (default 2 x CPU cores + 1); more than
                         one needs a shared RATELIMIT_STORAGE_URI (Redis), or
                         the server refuses to start
    FORWARDED_ALLOW_IPS  proxies trusted for X-Forwarded-Proto (default 127.0.0.1,::1)

Supporters' IP addresses are never logged: the access log format leaves out
the client address (%(h)s), the logger class blanks it even if someone puts it
back, and confirmation tokens in paths are replaced by ``[token]``. Control,
line-breaking and bidi characters in logged values are escaped (``\x0a``), so
a request cannot forge a log line.

Workers are sync: every request is short (the live count is polled, not
streamed; see the README's architecture section), so a sync worker is never
held open by a waiting browser.

The app is preloaded in the master (``preload_app``), so ``kill -HUP`` restarts
the workers but does not load new code: to deploy, restart the master (or
``kill -USR2`` for a new master, then ``kill -QUIT`` the old one).
"""

import gc
import os
import re

from gunicorn.glogging import Logger

from petition.logs import escape_control

bind = f"{os.environ.get('HOST') or '127.0.0.1'}:{os.environ.get('PORT') or '8000'}"


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))  # the CPUs this container may use
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


workers = int(os.environ.get("WEB_CONCURRENCY") or 2 * _cores() + 1)
worker_class = "sync"
timeout = 30
# On SIGTERM, finish requests in flight for up to this long before exiting.
graceful_timeout = 20
keepalive = 2
# Recycle workers now and then so a slow leak can never take the site down;
# the jitter keeps them from all restarting at the same moment. A viral demand
# serves thousands of requests a second, so this is minutes, not seconds.
max_requests = 20000
max_requests_jitter = 2000
# Build the app once in the master and fork workers from it: a recycled worker
# starts in milliseconds instead of importing and configuring the app again,
# and the workers share its memory until they write to it.
preload_app = True
# Heartbeat files on tmpfs: a container's overlay disk can stall the workers.
if os.path.isdir("/dev/shm"):
    worker_tmp_dir = "/dev/shm"

# Gunicorn sets wsgi.url_scheme from X-Forwarded-Proto only when the request
# comes from one of these addresses. List the reverse proxy here; never "*"
# unless the app is reachable only through the proxy. The client address the
# app sees (for the rate limits and the salted IP hash) comes from
# PETITION_PROXY_COUNT (werkzeug's ProxyFix), not from this setting.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS") or "127.0.0.1,::1"

# Gunicorn 25+ opens a control socket at a fixed default path, so two
# instances on one machine would fight over it; nothing here uses gunicornc.
control_socket_disable = True

accesslog = "-"
errorlog = "-"
# No %(h)s (client address), no query string, referrer or user agent: a
# supporter's visit leaves the time, the path, the status and the timing only.
access_log_format = '%(t)s %(p)s "%(m)s %(U)s" %(s)s %(b)s %(M)sms'

# An itsdangerous token: base64url payload, timestamp and signature, dot-separated.
_TOKEN = re.compile(r"\.?[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{16,}")
_IP_FIELD = re.compile(r"\bip=\S+")
_ADDRESS_HEADERS = ("{x-forwarded-for}i", "{x-real-ip}i", "{forwarded}i", "{remote_addr}e")


class PrivateLogger(Logger):
    """Gunicorn's logger, minus client addresses and tokens."""

    def setup(self, cfg) -> None:
        super().setup(cfg)
        self.error_log.addFilter(_redact_error_record)

    def atoms(self, resp, req, environ, request_time) -> dict:
        atoms = super().atoms(resp, req, environ, request_time)
        atoms["h"] = "-"
        for key in _ADDRESS_HEADERS:
            if key in atoms:
                atoms[key] = "-"
        for key in ("r", "U"):
            if isinstance(atoms.get(key), str):
                atoms[key] = _TOKEN.sub("[token]", atoms[key])
        # The path (decoded: %0a is a newline by now), the query and any header
        # are the client's to choose: escaped, none of them can forge a line.
        for key, value in atoms.items():
            if isinstance(value, str):
                atoms[key] = escape_control(value)
        return atoms


def _redact_error_record(record) -> bool:
    # Gunicorn writes "Invalid request from ip=<address>" for malformed requests
    # and "Error handling request <uri>" when the app raises.
    message = record.getMessage()
    redacted = _TOKEN.sub("[token]", _IP_FIELD.sub("ip=[address]", message))
    redacted = escape_control(redacted)
    if redacted != message:
        record.msg, record.args = redacted, None
    return True


logger_class = PrivateLogger


def on_starting(server) -> None:
    """Refuse to start several workers that would each count the rate limits alone."""
    app = getattr(server.app, "callable", None)  # the preloaded WSGI app
    config = getattr(app, "config", None)
    if config is None or "petition.ratelimits" not in getattr(app, "extensions", {}):
        return  # not this project's app (bench/hello.py)
    from petition.ratelimits import per_process_problem

    problem = per_process_problem(config, server.cfg.workers)
    if problem:
        server.log.error(problem)
        raise SystemExit(problem)


def pre_fork(server, worker) -> None:
    """Move the preloaded app's objects out of the garbage collector's sight.

    They live as long as the process; without this every full collection in
    every worker walks all of them (SQLAlchemy's mappers, Jinja's templates),
    which shows up as latency spikes under load. Forked workers also keep
    sharing those pages instead of touching them to update GC headers.
    """
    gc.freeze()


def post_fork(server, worker) -> None:
    """Give each worker its own database connections, never the master's."""
    app = getattr(server.app, "callable", None)  # the preloaded WSGI app
    if "sqlalchemy" not in getattr(app, "extensions", {}):
        # Not this project's app: bench/hello.py runs under the same settings.
        server.log.info("post_fork: no SQLAlchemy app to give fresh connections")
        return
    from petition.extensions import db

    with app.app_context():
        # close=False: leave the master's sockets alone, only forget them here.
        db.engine.dispose(close=False)
