"""Demo data for promise records: a fictional winner's result and three evidence entries.

Everything is marked as demo data, sources are at example.org, and the
winner is a placeholder candidate: no real person's conduct is described.
"""

from datetime import timedelta

from petition.clock import now
from petition.extensions import db
from petition.models import Candidate, ElectionResult, EvidenceEntry, Pledge, Rating, User


def add_demo_record(pledge: Pledge, winner: Candidate, owner: User) -> None:
    """Record ``winner`` as the race's winner and add three entries, the last a correction."""
    moment = now()
    db.session.add(
        ElectionResult(
            pledge_id=pledge.id,
            winner_id=winner.id,
            source_url="https://example.org/demo/election-results",
            recorded_at=moment - timedelta(days=135),
            recorded_by_id=owner.id,
        )
    )

    def entry(days_ago: int, rating: Rating, summary: str, slug: str, corrects=None):
        row = EvidenceEntry(
            candidate_id=winner.id,
            happened_on=(moment - timedelta(days=days_ago)).date(),
            summary=f"(Demo data) {summary}",
            source_url=f"https://example.org/demo/{slug}",
            rating=rating.value,
            corrects_id=corrects.id if corrects is not None else None,
            recorded_at=moment - timedelta(days=days_ago - 1),
            recorded_by_id=owner.id,
        )
        db.session.add(row)
        db.session.flush()
        return row

    entry(
        110,
        Rating.IN_THE_WORKS,
        "The new District Attorney announced a review of every pending pregnancy-related case.",
        "case-review",
    )
    policy = entry(
        60,
        Rating.KEPT,
        "The office published a written policy: no charges for the outcome of a pregnancy.",
        "written-policy",
    )
    entry(
        60,
        Rating.COMPROMISE,
        "Correction: the written policy covers miscarriage and stillbirth, but still allows "
        "charges based on a positive drug test during pregnancy.",
        "written-policy-text",
        corrects=policy,
    )
