"""A viral demand: the hot paths under wrk, as ratios to hello-world Flask in the same run.

Usage (``make bench`` runs it)::

    .venv/bin/python bench/surge.py
    .venv/bin/python bench/surge.py --backends sqlite --seconds 5
    .venv/bin/python bench/surge.py --paths count,page

For each backend (a temporary SQLite file, and a fresh PostgreSQL database on
``--postgres``), it applies the migrations, creates one live campaign with
public signers and comments, and starts two gunicorn servers with the
project's ``gunicorn.conf.py`` and the same worker count: the app, and
``bench/hello.py``. Then, for each path, it runs wrk (``-t2 -c32`` by default)
against hello-world and against the path in turn, hello-world again at the
end, and divides each path's requests per second by the mean of the
hello-world runs on either side of it. The machine is shared and noisy: only
ratios measured side by side mean anything.

Paths:
  count   GET /c/<slug>/count.json, as polled by open pages
  page    GET /c/<slug>, as a visitor without cookies sees it
  sign    POST /c/<slug>/sign, a new address every time
  confirm POST /confirm/<token>, every confirmation on the one campaign

After the run it checks the counts: every 303 from the sign run is one stored
signature, and the live count equals the confirmed rows, the per-shard sum
and the number of distinct links confirmed. It exits non-zero if a count is
off, a request failed, or a target is missed.
"""

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import sqlalchemy as sa  # noqa: E402

from bench import cpu, spy  # noqa: E402
from tests.helpers import HttpSession, ProcessGroup, free_port  # noqa: E402

BIN = ROOT / ".venv" / "bin"
WRK_DIR = ROOT / "bench" / "wrk"
PATHS = ("count", "page", "sign", "confirm")
# Ratios to hello-world that the issue asks for on this 2-core machine; on
# PostgreSQL, which shares the cores with the app, writes may be slower.
TARGETS = {
    "sqlite": {"count": 0.85, "page": 0.15, "sign": 0.12, "confirm": 0.12},
    "postgresql": {"count": 0.85, "page": 0.15, "sign": 0.08, "confirm": 0.08},
}
P99_TARGET_MS = 100.0
PUBLIC_SIGNERS = 60


@dataclass
class Run:
    name: str
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    requests: int
    errors: int


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--paths", default=",".join(PATHS))
    parser.add_argument("--seconds", type=int, default=8, help="each wrk run")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers, both servers")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument(
        "--durable-commits",
        choices=["0", "1"],
        help="PETITION_DURABLE_COMMITS for the app (default: unset, each database's default)",
    )
    parser.add_argument("--connections", type=int, default=32, help="wrk connections")
    parser.add_argument(
        "--cpu",
        action="store_true",
        help="print each run's CPU per request: app workers, Redis, PostgreSQL, wrk, the rest",
    )
    parser.add_argument(
        "--profile",
        type=Path,
        metavar="DIR",
        help="sample the app's workers with py-spy in each path's run, save the samples "
        "in DIR and print the lines they spent most time on (bench/spy.py); the "
        "sampler takes CPU too, so compare no figures of a profiled run",
    )
    parser.add_argument(
        "--postgres",
        default=os.environ.get(
            "PETITION_TEST_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
        ),
        help="a server URL; the benchmark creates and drops its own database there",
    )
    args = parser.parse_args()
    args.backends = [b for b in args.backends.split(",") if b]
    args.paths = [p for p in args.paths.split(",") if p]
    unknown = set(args.paths) - set(PATHS) or set(args.backends) - set(TARGETS)
    if unknown:
        parser.error(f"unknown: {', '.join(sorted(unknown))}")
    if shutil.which("wrk") is None:
        parser.error("wrk is not installed (make bench installs Debian's wrk)")
    if args.profile and not (BIN / "py-spy").exists():
        parser.error("--profile needs py-spy: .venv/bin/pip install -e '.[bench]'")
    return args


def wrk(args, url: str, script: str, *script_args: str) -> Run:
    command = [
        "wrk",
        f"-t{args.threads}",
        f"-c{args.connections}",
        f"-d{int(args.seconds)}s",
        "--timeout",
        "10s",
        "-s",
        str(WRK_DIR / script),
        url,
    ]
    if script_args:
        command += ["--", *script_args]
    env = {**os.environ, "BENCH_WRK_DIR": str(WRK_DIR)}
    output = subprocess.run(command, capture_output=True, text=True, env=env, check=True).stdout
    found = re.search(r"^BENCH (\{.*\})$", output, re.MULTILINE)
    if found is None:
        raise RuntimeError(f"wrk printed no summary:\n{output}")
    data = json.loads(found.group(1))
    errors = sum(data[key] for key in ("connect", "read", "write", "status", "timeout"))
    return Run(
        name=script,
        requests_per_second=data["requests"] / (data["duration_us"] / 1e6),
        p50_ms=data["p50_us"] / 1000,
        p99_ms=data["p99_us"] / 1000,
        requests=data["requests"],
        errors=errors,
    )


@contextmanager
def temporary_database(backend: str, workdir: Path, postgres: str) -> Iterator[str]:
    """Yield the URL of an empty database: a SQLite file, or a new PostgreSQL database."""
    if backend == "sqlite":
        yield f"sqlite:///{workdir / 'bench.sqlite'}"
        return
    name = f"petition_bench_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(postgres, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
        yield sa.make_url(postgres).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


class Backend:
    """One database with the app and hello-world served in front of it."""

    def __init__(self, name: str, url: str, args, workdir: Path) -> None:
        self.name = name
        self.args = args
        self.workdir = workdir
        self.processes = ProcessGroup(self.workdir)
        self.url = url
        self.app_port, self.hello_port = free_port(), free_port()
        self.base = f"http://127.0.0.1:{self.app_port}"
        self.env = {
            "SECRET_KEY": uuid.uuid4().hex,
            "DATABASE_URL": self.url,
            "PETITION_BASE_URL": self.base,
            "SESSION_COOKIE_SECURE": "0",
            # Every wrk connection comes from 127.0.0.1: the per-address limit
            # and the abuse rules would measure their own refusals and holds,
            # not the app. They are still checked on every sign POST, as in
            # production, against limits no benchmark reaches.
            "PETITION_SIGN_RATE_LIMIT": "100000000 per minute",
            "PETITION_SIGN_BURST_LIMIT": "100000000 per minute",
            "PETITION_SIGN_SUSTAINED_LIMIT": "100000000 per minute",
            # Several workers need a shared limit store (gunicorn.conf.py
            # refuses memory://): Redis, as in production (the deployment path).
            "RATELIMIT_STORAGE_URI": os.environ.get(
                "RATELIMIT_STORAGE_URI", "redis://127.0.0.1:6379/9"
            ),
            # wrk posts the sign form without fetching it first.
            "PETITION_SIGN_MIN_SECONDS": "0",
            "HOST": "127.0.0.1",
            "WEB_CONCURRENCY": str(args.workers),
        }
        if args.durable_commits is not None:
            self.env["PETITION_DURABLE_COMMITS"] = args.durable_commits

    def start(self) -> None:
        self.processes.run(
            "db upgrade", [BIN / "flask", "--app", "wsgi", "db", "upgrade"], self.env, ROOT
        )
        for name, port, module in (
            ("app", self.app_port, "wsgi:app"),
            ("hello", self.hello_port, "bench.hello:app"),
        ):
            log = self.workdir / f"{name}-access.log"
            env = {**self.env, "PORT": str(port), "GUNICORN_CMD_ARGS": f"--access-logfile {log}"}
            self.processes.start(
                name, [BIN / "gunicorn", "-c", "gunicorn.conf.py", module], env, ROOT
            )
        for name, port in (("app", self.app_port), ("hello", self.hello_port)):
            self.processes.wait_for_port(name, port, timeout=30)

    def stop(self) -> None:
        self.processes.stop_all()


def app_for(backend: Backend):
    from petition import create_app

    return create_app(
        {
            "SQLALCHEMY_DATABASE_URI": backend.url,
            "SECRET_KEY": backend.env["SECRET_KEY"],
            "PETITION_BASE_URL": backend.base,
            "MAIL_SERVER": None,
        }
    )


def seed(app, pending: int) -> tuple[str, list[str]]:
    """Create the campaign, its public signers, and ``pending`` signatures to confirm.

    Return the slug and the confirmation paths of the pending signatures.
    """
    from petition.emails import normalize_email
    from petition.extensions import db
    from petition.models import Campaign, CampaignStatus, Signature, Target
    from petition.signing.services import confirm_signature, new_nonce
    from petition.tokens import signature_confirm_token

    slug = f"surge-{uuid.uuid4().hex[:8]}"
    with app.app_context():
        campaign = Campaign(
            slug=slug,
            title="Dallas County DA: end money bail (benchmark)",
            demand=(
                "Every night in Dallas County, people who have not been convicted of anything "
                "sit in jail because they cannot afford bail.\n\n"
                "We call on the District Attorney to:\n\n"
                "- **Return** campaign contributions from the bail industry;\n"
                "- **Stop requesting** money bail in misdemeanor cases;\n"
                "- **Report** publicly, every quarter, how many people are held pretrial.\n"
            ),
            status=CampaignStatus.LIVE,
            signature_goal=100_000,
            targets=[Target(name="Bench Target", office="District Attorney", jurisdiction="TX")],
        )
        db.session.add(campaign)
        db.session.flush()
        for number in range(PUBLIC_SIGNERS):
            email = f"public{number}@bench.example.org"
            signature = Signature(
                campaign=campaign,
                name=f"Public Signer{number}",
                email=email,
                email_normalized=normalize_email(email),
                zip_code="75201",
                comment="Freedom should not depend on the size of a bank account." * (number % 2),
                show_publicly=True,
            )
            db.session.add(signature)
            db.session.flush()
            confirm_signature(signature)
        db.session.commit()
        campaign_id = campaign.id
        # The signatures to confirm, inserted in bulk: they are rows a sign POST would make.
        emails = [f"pending{number}@bench.example.org" for number in range(pending)]
        db.session.execute(
            sa.insert(Signature),
            [
                {
                    "campaign_id": campaign_id,
                    "name": "Pending Signer",
                    "email": email,
                    "email_normalized": normalize_email(email),
                    "zip_code": "75201",
                    "token_nonce": new_nonce(),
                }
                for email in emails
            ],
        ) if emails else None
        db.session.commit()
        rows = db.session.execute(
            sa.select(Signature.id, Signature.token_nonce)
            .where(Signature.campaign_id == campaign_id, Signature.confirmed_at.is_(None))
            .order_by(Signature.id)
        ).all()
        paths = [f"/confirm/{signature_confirm_token(*row)}" for row in rows]
        db.session.remove()
        db.engine.dispose()
    return slug, paths


def counts(app, slug: str) -> dict[str, int]:
    from petition.extensions import db
    from petition.models import Campaign, Signature

    with app.app_context():
        campaign = db.session.scalar(sa.select(Campaign).where(Campaign.slug == slug))
        confirmed = db.session.scalar(
            sa.select(sa.func.count())
            .select_from(Signature)
            .where(
                Signature.campaign_id == campaign.id,
                Signature.confirmed_at.is_not(None),
                Signature.withdrawn_at.is_(None),
            )
        )
        stored = db.session.scalar(
            sa.select(sa.func.count())
            .select_from(Signature)
            .where(Signature.campaign_id == campaign.id)
        )
        result = {"counter": campaign.signature_count, "confirmed_rows": confirmed, "rows": stored}
        db.session.remove()
        db.engine.dispose()
    return result


def measure(backend: Backend, args) -> tuple[list[tuple[str, Run, float]], list[Run], list[str]]:
    app = app_for(backend)
    # Enough links that no confirmation thread runs out at several thousand a second.
    pending = int(args.seconds * 4000) + 2000
    slug, paths = seed(app, pending if "confirm" in args.paths else 0)
    links = backend.workdir / "confirm-paths.txt"
    links.write_text("\n".join(paths) + "\n")
    hello_url = f"http://127.0.0.1:{backend.hello_port}/"
    base = backend.base
    urls = {
        "count": (f"{base}/c/{slug}/count.json", "get.lua", ()),
        "page": (f"{base}/c/{slug}", "get.lua", ()),
        "sign": (f"{base}/c/{slug}/sign", "sign.lua", (uuid.uuid4().hex[:6], base)),
        "confirm": (base, "confirm.lua", (str(links), str(args.threads), base)),
    }
    problems: list[str] = []
    # Warm both servers: imports, template compilation and connection pools.
    warm = argparse.Namespace(**{**vars(args), "seconds": 2})
    wrk(warm, hello_url, "get.lua")
    wrk(warm, urls["count"][0], "get.lua")
    wrk(warm, urls["page"][0], "get.lua")

    def timed(name: str, url: str, script: str, *script_args: str) -> Run:
        sampling = None
        if args.profile and name != "hello":
            args.profile.mkdir(parents=True, exist_ok=True)
            samples = args.profile / f"{backend.name}-{name}.txt"
            app_pid = backend.processes.processes["app"].pid
            sampling = spy.start(BIN / "py-spy", app_pid, samples, args.seconds)
        before = cpu.snapshot() if args.cpu else {}
        run = wrk(args, url, script, *script_args)
        if sampling is not None:
            spy.finish(sampling, samples)
            total, lines = spy.hottest(samples, top=12)
            print(f"  {backend.name} {name}: {total:,} worker samples in {samples}; most on:")
            for share, line in lines:
                print(f"    {share:6.1%}  {line}")
        if not args.cpu:
            return run
        sessions = {group: backend.processes.processes[group].pid for group in ("app", "hello")}
        used = cpu.split(before, cpu.snapshot(), sessions)
        per_request = ", ".join(
            f"{group} {seconds * 1000 / run.requests:.2f}" for group, seconds in used.most_common()
        )
        total = sum(used.values()) * 1000 / run.requests
        print(
            f"  {backend.name} {name}: CPU ms per request: {per_request} (total {total:.2f})",
            flush=True,
        )
        return run

    before = counts(app, slug)
    hellos = [timed("hello", hello_url, "get.lua")]
    results = []
    for path in args.paths:
        url, script, script_args = urls[path]
        run = timed(path, url, script, *script_args)
        run.name = path
        hellos.append(timed("hello", hello_url, "get.lua"))
        baseline = (hellos[-2].requests_per_second + hellos[-1].requests_per_second) / 2
        results.append((path, run, run.requests_per_second / baseline))
        if run.errors:
            problems.append(f"{backend.name} {path}: {run.errors} failed requests")
        if path == "confirm" and run.requests > len(paths):
            problems.append(
                f"{backend.name} confirm: {run.requests} requests for {len(paths)} links; "
                "some re-posted a confirmed link (raise the pending count)"
            )

    after = counts(app, slug)
    live = json.loads(HttpSession().get(f"{base}/c/{slug}/count.json").text)["signatures"]
    signed = next((run.requests for name, run, _ in results if name == "sign"), 0)
    confirmed = next((run.requests for name, run, _ in results if name == "confirm"), 0)
    expected_rows = before["rows"] + signed
    # wrk counts a request when its response has arrived, so every counted
    # request was answered; responses to requests still in flight at the end
    # may have landed too, hence ">=" for the rows and an exact check below.
    if after["rows"] < expected_rows:
        problems.append(f"{backend.name}: {expected_rows} signatures expected, {after['rows']}")
    expected_confirmed = before["confirmed_rows"] + confirmed
    if not (after["counter"] == after["confirmed_rows"] == live):
        problems.append(
            f"{backend.name}: counter {after['counter']}, live {live}, "
            f"confirmed rows {after['confirmed_rows']} differ"
        )
    if after["confirmed_rows"] < expected_confirmed:
        problems.append(
            f"{backend.name}: {expected_confirmed} confirmations expected, "
            f"{after['confirmed_rows']} counted"
        )
    print(
        f"  {backend.name} counts: {after['rows']} signatures stored "
        f"({signed} sign POSTs answered), {after['confirmed_rows']} confirmed rows "
        f"({confirmed} confirm POSTs answered), counter {after['counter']}, live {live}",
        flush=True,
    )
    return results, hellos, problems


def main() -> int:
    args = parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="petition-surge-"))
    print(
        f"{os.cpu_count()} cores; gunicorn -w {args.workers} (gunicorn.conf.py) for the app "
        f"and hello-world; wrk -t{args.threads} -c{args.connections} -d{args.seconds}s",
        flush=True,
    )
    table: list[tuple[str, str, Run, float, float]] = []
    problems: list[str] = []
    hello_figures: dict[str, list[float]] = {}
    for name in args.backends:
        (workdir / name).mkdir()
        with temporary_database(name, workdir / name, args.postgres) as url:
            backend = Backend(name, url, args, workdir / name)
            try:
                backend.start()
                results, hellos, found = measure(backend, args)
            except BaseException:
                backend.processes.stop_all()
                print(backend.processes.report(), file=sys.stderr)
                print(f"logs kept in {workdir}", file=sys.stderr)
                raise
            finally:
                backend.stop()
        problems += found
        hello_figures[name] = [run.requests_per_second for run in hellos]
        for path, run, ratio in results:
            table.append((name, path, run, ratio, TARGETS[name][path]))

    print()
    print("| backend | path | req/s | ratio to hello | target | p50 ms | p99 ms | met |")
    print("|---|---|---|---|---|---|---|---|")
    for name, path, run, ratio, target in table:
        met = ratio >= target and run.p99_ms < P99_TARGET_MS
        if not met:
            problems.append(
                f"{name} {path}: ratio {ratio:.2f} (target {target}), p99 {run.p99_ms:.1f}"
            )
        print(
            f"| {name} | {path} | {run.requests_per_second:,.0f} | {ratio:.2f} | >= {target} "
            f"| {run.p50_ms:.1f} | {run.p99_ms:.1f} | {'yes' if met else 'NO'} |"
        )
    for name, figures in hello_figures.items():
        print(f"hello-world on {name} runs: " + ", ".join(f"{f:,.0f}" for f in figures) + " req/s")
    print(f"p99 target: under {P99_TARGET_MS:.0f} ms on every path")
    for problem in problems:
        print(f"PROBLEM: {problem}")
    shutil.rmtree(workdir, ignore_errors=True)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
