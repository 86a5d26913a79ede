"""Profile the hot paths in-process: time per request, SQL statements, and where time goes.

Usage::

    .venv/bin/python bench/inprocess.py                 # every path, a summary line each
    .venv/bin/python bench/inprocess.py --cprofile page # cProfile's top functions for one path
    .venv/bin/python bench/inprocess.py --postgres postgresql+psycopg://postgres@127.0.0.1/test

It needs no server: requests go through Flask's test client against a
temporary SQLite file, or a temporary database created (and dropped) on the
PostgreSQL server that ``--postgres`` names. In-process time leaves out
gunicorn and the network, so it answers "what does this view cost", which is
where optimizing starts;
bench/surge.py answers "how fast is it served".
"""

import argparse
import cProfile
import os
import pstats
import shutil
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import event  # noqa: E402

from bench.surge import seed, temporary_database  # noqa: E402
from petition import create_app  # noqa: E402
from petition.extensions import db  # noqa: E402


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--cprofile", choices=["count", "page", "sign", "confirm"])
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--paths", default="count,page,sign,confirm", type=lambda s: s.split(","))
    parser.add_argument("--rounds", type=int, default=1, help="print the fastest of these")
    parser.add_argument(
        "--page-cache-seconds",
        type=float,
        default=1,
        help="PETITION_PAGE_CACHE_SECONDS; 0 renders every page view (the cost of a miss)",
    )
    parser.add_argument("--postgres", help="a PostgreSQL server URL, instead of SQLite")
    parser.add_argument(
        "--ratelimit-storage",
        default=os.environ.get("RATELIMIT_STORAGE_URI", "redis://127.0.0.1:6379/9"),
        help="the limits' store, Redis as bench/surge.py and production use (or memory://)",
    )
    return parser.parse_args()


def main() -> int:
    args = parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="petition-profile-"))
    backend = "postgresql" if args.postgres else "sqlite"
    with temporary_database(backend, workdir, args.postgres) as url:
        profile(args, url)
    shutil.rmtree(workdir)
    return 0


def profile(args: argparse.Namespace, url: str) -> None:
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "SECRET_KEY": uuid.uuid4().hex,
            "PETITION_BASE_URL": "http://127.0.0.1",
            "MAIL_SERVER": None,
            # As bench/surge.py serves it: every limit and abuse rule is checked
            # against the shared store, with limits no benchmark reaches, and the
            # sign form is posted without being fetched first.
            "RATELIMIT_ENABLED": True,
            "RATELIMIT_STORAGE_URI": args.ratelimit_storage,
            "PETITION_SIGN_RATE_LIMIT": "100000000 per minute",
            "PETITION_SIGN_BURST_LIMIT": "100000000 per minute",
            "PETITION_SIGN_SUSTAINED_LIMIT": "100000000 per minute",
            "PETITION_SIGN_MIN_SECONDS": 0,
            "PETITION_PAGE_CACHE_SECONDS": args.page_cache_seconds,
        }
    )
    with app.app_context():
        db.create_all()
        engine = db.engine
    statements = 0

    @event.listens_for(engine, "before_cursor_execute")
    def _count(*_args: object) -> None:
        nonlocal statements
        statements += 1

    slug, confirm_paths = seed(app, args.requests * args.rounds + 100)
    client = app.test_client()
    origin = {"Origin": "http://localhost"}
    emails = (f"profile{n}@bench.example.org" for n in range(10**9))
    links = iter(confirm_paths)
    paths = {
        "count": lambda: client.get(f"/c/{slug}/count.json"),
        "page": lambda: client.get(f"/c/{slug}"),
        "sign": lambda: client.post(
            f"/c/{slug}/sign",
            data={"name": "Profile Signer", "email": next(emails), "zip_code": "70112"},
            headers=origin,
        ),
        "confirm": lambda: client.post(next(links), headers=origin),
    }
    expected = {"count": 200, "page": 200, "sign": 303, "confirm": 303}
    chosen = [args.cprofile] if args.cprofile else args.paths
    for name in chosen:
        call = paths[name]
        for _ in range(20):  # warm caches and compiled templates
            call()
        rounds = []
        for _ in range(1 if args.cprofile else args.rounds):
            statements = 0
            profiler = cProfile.Profile() if args.cprofile else None
            started = time.perf_counter()
            cpu_started = time.process_time()
            if profiler:
                profiler.enable()
            for _ in range(args.requests):
                response = call()
                if response.status_code != expected[name]:
                    raise SystemExit(f"{name}: {response.status_code}\n{response.get_data(True)}")
            if profiler:
                profiler.disable()
            # This process's CPU time moves less than the wall clock on a shared
            # machine (it leaves out the database server's and Redis's share).
            rounds.append((time.perf_counter() - started, time.process_time() - cpu_started))
        # The fastest round is the one the other tenants of the machine disturbed least.
        elapsed, cpu = min(rounds)
        print(
            f"{name:8} {elapsed / args.requests * 1000:.3f} ms per request in-process "
            f"({cpu / args.requests * 1000:.3f} ms CPU), "
            f"{statements / args.requests:.1f} SQL statements per request"
        )
        if profiler:
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(args.top)
            if os.environ.get("BENCH_PROFILE_DUMP"):
                profiler.dump_stats(os.environ["BENCH_PROFILE_DUMP"])
    with app.app_context():
        db.engine.dispose()


if __name__ == "__main__":
    sys.exit(main())
