"""Benchmark the signature CSV export: time and peak Python memory for a large campaign.

Usage::

    .venv/bin/python bench/export.py
    .venv/bin/python bench/export.py --signatures 250000
    .venv/bin/python bench/export.py --database-url postgresql+psycopg://postgres@127.0.0.1/bench

It builds a temporary SQLite database (unless ``--database-url`` names another,
whose tables must not exist yet: it creates and drops them), inserts one
campaign with ``--signatures`` confirmed signatures, then streams both exports
through the real Flask route exactly as a browser download would, with
``tracemalloc`` tracing allocations. It prints rows, bytes, seconds and the
peak traced memory, and, for contrast, the peak of loading every row at once.
The streamed peak should stay flat (a few MiB) whatever the row count; that is
the point of ``yield_per``. This is a benchmark, not a unit test: timings
depend on the machine.
"""

import argparse
import sys
import tempfile
import time
import tracemalloc
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import sqlalchemy as sa  # noqa: E402

from petition import (
    counts,  # noqa: E402
    create_app,  # noqa: E402
)
from petition.extensions import db  # noqa: E402
from petition.models import Campaign, CampaignStatus, Signature, Target, User  # noqa: E402
from tests.fixtures_accounts import log_in  # noqa: E402

BATCH = 10_000


def build(app, signatures: int) -> tuple[int, int]:
    """Create the schema, one organizer and one campaign with ``signatures`` rows."""
    with app.app_context():
        db.create_all()
        owner = User(
            email="bench@example.org",
            email_normalized="bench@example.org",
            password_hash="x",
            confirmed_at=datetime.now(UTC),
        )
        campaign = Campaign(
            slug="bench",
            title="Benchmark campaign",
            demand="Export me.",
            status=CampaignStatus.LIVE,
        )
        campaign.targets = [Target(name="A Prosecutor", office="DA", jurisdiction="Benchville")]
        db.session.add_all([owner, campaign])
        db.session.flush()
        campaign.owner_id = owner.id
        start = datetime(2026, 1, 1, tzinfo=UTC)
        table = Signature.__table__
        for first in range(0, signatures, BATCH):
            rows = [
                {
                    "campaign_id": campaign.id,
                    "name": f"Signer {n}",
                    "email": f"signer{n}@example.net",
                    "email_normalized": f"signer{n}@example.net",
                    "zip_code": f"{70000 + n % 1000:05d}",
                    "comment": "=1+1 formula bait" if n % 97 == 0 else f"Comment {n}, with a comma",
                    "wants_updates": n % 3 == 0,
                    "show_publicly": False,
                    "created_at": start + timedelta(seconds=n),
                    "confirmed_at": start + timedelta(seconds=n, minutes=5),
                }
                for n in range(first, min(first + BATCH, signatures))
            ]
            db.session.execute(sa.insert(table), rows)
        counts.repair(campaign.id)  # the rows went in confirmed, in bulk: count them in
        db.session.commit()
        return owner.id, campaign.id


def stream(app, owner_id: int, path: str) -> tuple[int, int, float, int]:
    """Download ``path`` as the owner; return rows, bytes, seconds, peak traced bytes."""
    client = app.test_client()
    with app.app_context():
        owner = db.session.get(User, owner_id)
        db.session.expunge(owner)
    log_in(client, owner)  # the login form itself is not what is measured
    tracemalloc.start()
    started = time.perf_counter()
    response = client.get(path, buffered=False)
    assert response.status_code == 200, response.status_code
    size = lines = 0
    for chunk in response.response:
        size += len(chunk)
        lines += chunk.count(b"\n") if isinstance(chunk, bytes) else chunk.count("\n")
    response.close()
    elapsed = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return lines - 1, size, elapsed, peak


def load_everything(app, campaign_id: int) -> int:
    """Peak traced bytes of the naive way: every row in a list at once."""
    with app.app_context():
        tracemalloc.start()
        rows = db.session.execute(
            sa.select(Signature.name, Signature.zip_code, Signature.comment, Signature.email).where(
                Signature.campaign_id == campaign_id
            )
        ).all()
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        del rows
        return peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--signatures", type=int, default=100_000)
    parser.add_argument("--database-url")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        url = args.database_url or f"sqlite:///{Path(tmp) / 'bench.sqlite'}"
        app = create_app(
            {
                "TESTING": True,
                "SECRET_KEY": "bench",
                "SQLALCHEMY_DATABASE_URI": url,
                "PETITION_BASE_URL": "http://bench.test",
                "RATELIMIT_ENABLED": False,
                "SESSION_COOKIE_SECURE": False,
            }
        )
        print(f"building {args.signatures:,} signatures in {url.split('://')[0]} ...")
        owner_id, campaign_id = build(app, args.signatures)
        try:
            for name, path in [
                ("export.csv", f"/dashboard/campaigns/{campaign_id}/export.csv"),
                ("export-delivery.csv", f"/dashboard/campaigns/{campaign_id}/export-delivery.csv"),
            ]:
                rows, size, seconds, peak = stream(app, owner_id, path)
                print(
                    f"{name:22} {rows:>9,} rows {size / 2**20:8.1f} MiB "
                    f"{seconds:6.2f} s  {rows / seconds:>9,.0f} rows/s  "
                    f"peak traced memory {peak / 2**20:6.1f} MiB"
                )
            naive = load_everything(app, campaign_id)
            print(f"{'(all rows in a list)':22} peak traced memory {naive / 2**20:6.1f} MiB")
        finally:
            with app.app_context():
                db.drop_all()
                db.engine.dispose()


if __name__ == "__main__":
    main()
