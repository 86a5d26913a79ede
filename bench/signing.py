"""Benchmark signing through gunicorn: sign, confirm and poll the count over loopback HTTP.

Usage (``make bench`` runs the first line)::

    .venv/bin/python bench/signing.py
    .venv/bin/python bench/signing.py --supporters 500 --clients 16 --workers 2
    .venv/bin/python bench/signing.py --database-url postgresql+psycopg://postgres@127.0.0.1/bench

It builds the database with ``flask db upgrade`` (a temporary SQLite file unless
``--database-url`` names another; that database gets a fresh campaign and is
otherwise left alone), starts gunicorn with ``gunicorn.conf.py`` on a free
127.0.0.1 port, then:

1. ``--clients`` threads share ``--supporters`` distinct supporters. Each one
   opens the campaign page, POSTs the sign form, reads its confirmation link
   from the outbox table (no SMTP: the app has no MAIL_SERVER), opens it and
   POSTs "Confirm my signature", each with its own cookies and CSRF token.
2. The same threads poll ``count.json`` with ``If-None-Match`` for
   ``--poll-seconds``, as open campaign pages do.

It prints confirmed signatures per second, p50/p95/p99 latency of the sign
POSTs, count.json requests per second (and how many were 304), whether the final
count equals the number of supporters, and the peak RSS (VmHWM) of gunicorn's
processes. Everything is bounded: at most 64 clients, ``--max-seconds`` overall,
and only loopback traffic. The sign rate limit is raised for the run, since
every client shares one address.
"""

import argparse
import json
import re
import shutil
import statistics
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import sqlalchemy as sa  # noqa: E402

from petition import create_app  # noqa: E402
from petition.extensions import db  # noqa: E402
from petition.models import Campaign, CampaignStatus, OutboxMessage, Target  # noqa: E402
from tests.helpers import HttpSession, ProcessGroup, free_port  # noqa: E402

BIN = ROOT / ".venv" / "bin"
MAX_CLIENTS = 64
_CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
_CONFIRM_LINK = re.compile(r"https?://\S+/confirm/\S+")


@dataclass
class Results:
    sign_latencies: list[float] = field(default_factory=list)
    confirmed: int = 0
    poll_requests: int = 0
    poll_not_modified: int = 0
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def error(self, message: str) -> None:
        with self.lock:
            if len(self.errors) < 20:
                self.errors.append(message)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--supporters", type=int, default=300, help="distinct signers (M)")
    parser.add_argument("--clients", type=int, default=8, help="concurrent client threads (N)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--poll-seconds", type=float, default=5.0, help="count.json phase")
    parser.add_argument("--max-seconds", type=float, default=180.0, help="overall time limit")
    parser.add_argument("--database-url", help="default: a temporary SQLite file")
    args = parser.parse_args()
    if not 1 <= args.clients <= MAX_CLIENTS:
        parser.error(f"--clients must be between 1 and {MAX_CLIENTS}")
    if args.supporters < 1 or args.workers < 1:
        parser.error("--supporters and --workers must be positive")
    return args


def add_campaign(app) -> str:
    slug = f"bench-{uuid.uuid4().hex[:8]}"
    with app.app_context():
        db.session.add(
            Campaign(
                slug=slug,
                title="Benchmark demand",
                demand="A demand used only to measure signing.",
                status=CampaignStatus.LIVE,
                signature_goal=100_000,
                zip_required=True,
                targets=[Target(name="Bench Target", office="Bench Office", jurisdiction="Bench")],
            )
        )
        db.session.commit()
        db.session.remove()
    return slug


def confirm_link(app, email: str, deadline: float) -> str | None:
    """Read the supporter's confirmation link from the outbox (standing in for their inbox)."""
    with app.app_context():
        try:
            while time.monotonic() < deadline:
                body = db.session.scalar(
                    sa.select(OutboxMessage.body_text)
                    .where(OutboxMessage.to_address == email)
                    .order_by(OutboxMessage.id.desc())
                    .limit(1)
                )
                if body:
                    found = _CONFIRM_LINK.search(body)
                    return found.group(0) if found else None
                db.session.rollback()
                time.sleep(0.01)  # committed before the 303, so this is rare
            return None
        finally:
            db.session.remove()


def csrf(html: str) -> str | None:
    found = _CSRF.search(html)
    return found.group(1) if found else None


def sign_and_confirm(base: str, slug: str, app, number: int, results: Results, deadline: float):
    http = HttpSession()
    email = f"supporter{number}@bench.example.org"
    page = http.get(f"{base}/c/{slug}")
    token = csrf(page.text)
    if page.status != 200 or token is None:
        return results.error(f"campaign page: {page.status}")
    form = {"csrf_token": token, "name": f"Supporter {number}", "email": email, "zip_code": "70112"}
    started = time.perf_counter()
    signed = http.post(f"{base}/c/{slug}/sign", form)
    elapsed = time.perf_counter() - started
    with results.lock:
        results.sign_latencies.append(elapsed)
    if signed.status != 303:
        return results.error(f"sign: {signed.status}")
    link = confirm_link(app, email, deadline)
    if link is None:
        return results.error(f"no confirmation link for supporter {number}")
    opened = http.get(link)
    token = csrf(opened.text)
    if opened.status != 200 or token is None:
        return results.error(f"confirm page: {opened.status}")
    confirmed = http.post(link, {"csrf_token": token})
    if confirmed.status != 303:
        return results.error(f"confirm: {confirmed.status}")
    with results.lock:
        results.confirmed += 1


def run_signers(base, slug, app, args, results: Results, deadline: float) -> float:
    numbers = iter(range(args.supporters))
    take = threading.Lock()

    def client() -> None:
        while time.monotonic() < deadline:
            with take:
                number = next(numbers, None)
            if number is None:
                return
            try:
                sign_and_confirm(base, slug, app, number, results, deadline)
            except OSError as exc:
                results.error(f"supporter {number}: {type(exc).__name__}: {exc}")

    started = time.perf_counter()
    threads = [threading.Thread(target=client) for _ in range(args.clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - started


def run_pollers(base: str, slug: str, args, results: Results, deadline: float) -> float:
    url = f"{base}/c/{slug}/count.json"
    stop_at = min(deadline, time.monotonic() + args.poll_seconds)

    def client() -> None:
        http = HttpSession()
        etag = http.get(url).headers.get("ETag", "")
        requests = not_modified = 0
        while time.monotonic() < stop_at:
            response = http.get(url, {"If-None-Match": etag})
            requests += 1
            if response.status == 304:
                not_modified += 1
            elif response.status == 200:
                etag = response.headers.get("ETag", "")
            else:
                results.error(f"count.json: {response.status}")
        with results.lock:
            results.poll_requests += requests
            results.poll_not_modified += not_modified

    started = time.perf_counter()
    threads = [threading.Thread(target=client) for _ in range(args.clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - started


def gunicorn_peak_rss(master_pid: int) -> dict[int, int]:
    """Return {pid: peak resident set in KiB} for gunicorn's master and its workers."""
    pids = [master_pid]
    for task in Path(f"/proc/{master_pid}/task").iterdir():
        children = (task / "children").read_text().split()
        pids += [int(pid) for pid in children]
    peaks = {}
    for pid in pids:
        status = Path(f"/proc/{pid}/status").read_text()
        found = re.search(r"^VmHWM:\s+(\d+) kB", status, re.MULTILINE)
        if found:
            peaks[pid] = int(found.group(1))
    return peaks


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def main() -> int:
    args = parse_args()
    deadline = time.monotonic() + args.max_seconds
    workdir = Path(tempfile.mkdtemp(prefix="petition-bench-"))
    database_url = args.database_url or f"sqlite:///{workdir / 'bench.sqlite'}"
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {
        "SECRET_KEY": uuid.uuid4().hex,
        "DATABASE_URL": database_url,
        "PETITION_BASE_URL": base,
        "SESSION_COOKIE_SECURE": "0",
        "PETITION_SIGN_RATE_LIMIT": "1000000 per minute",  # every client is 127.0.0.1
        "HOST": "127.0.0.1",
        "PORT": str(port),
        "WEB_CONCURRENCY": str(args.workers),
        "GUNICORN_CMD_ARGS": f"--access-logfile {workdir / 'access.log'}",
    }
    processes = ProcessGroup(workdir)
    try:
        processes.run("db upgrade", [BIN / "flask", "--app", "wsgi", "db", "upgrade"], env, ROOT)
        app = create_app(
            {"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": env["SECRET_KEY"]}
            | {"MAIL_SERVER": None, "PETITION_BASE_URL": base}
        )
        slug = add_campaign(app)
        gunicorn = processes.start(
            "gunicorn", [BIN / "gunicorn", "-c", "gunicorn.conf.py", "wsgi:app"], env, ROOT
        )
        processes.wait_for_port("gunicorn", port, timeout=30)

        results = Results()
        sign_seconds = run_signers(base, slug, app, args, results, deadline)
        poll_seconds = run_pollers(base, slug, args, results, deadline)
        final = json.loads(HttpSession().get(f"{base}/c/{slug}/count.json").text)["signatures"]
        peaks = gunicorn_peak_rss(gunicorn.pid)
        with app.app_context():
            db.engine.dispose()
    except BaseException:
        processes.stop_all()
        print(processes.report(), file=sys.stderr)
        print(f"logs and database kept in {workdir}", file=sys.stderr)
        raise
    processes.stop_all()
    shutil.rmtree(workdir)

    latencies = results.sign_latencies
    backend = sa.make_url(database_url).get_backend_name()
    print(f"backend {backend}, gunicorn {args.workers} sync workers, {args.clients} clients")
    print(f"supporters signed and confirmed: {results.confirmed} of {args.supporters}")
    print(f"confirmed signatures per second: {results.confirmed / sign_seconds:.1f}")
    if latencies:
        print(
            "sign POST latency ms: "
            f"p50 {percentile(latencies, 0.50) * 1000:.1f}, "
            f"p95 {percentile(latencies, 0.95) * 1000:.1f}, "
            f"p99 {percentile(latencies, 0.99) * 1000:.1f} "
            f"(mean {statistics.fmean(latencies) * 1000:.1f}, n={len(latencies)})"
        )
    print(
        f"count.json with If-None-Match: {results.poll_requests / poll_seconds:.0f} requests/s, "
        f"{results.poll_not_modified} of {results.poll_requests} were 304"
    )
    intact = final == args.supporters == results.confirmed
    print(
        f"final count {final} == {args.supporters} supporters: {'yes' if intact else 'NO'}"
        " (nothing lost or double counted)"
    )
    worker_peaks = [kib for pid, kib in peaks.items() if pid != gunicorn.pid]
    print(
        "gunicorn peak RSS MiB: master "
        f"{peaks.get(gunicorn.pid, 0) / 1024:.1f}, workers "
        + ", ".join(f"{kib / 1024:.1f}" for kib in worker_peaks)
    )
    for message in results.errors:
        print(f"error: {message}")
    return 0 if intact and not results.errors else 1


if __name__ == "__main__":
    sys.exit(main())
