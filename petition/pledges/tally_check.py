"""Pledge tallies checked against the responses: the public scoreboard, recounted in SQL.

A pledge's page groups its candidates by their standing answer
(``scoreboard.build``: the latest response by answered_at, then id). This
recounts the same from the ``pledge_responses`` rows with a window function,
independently of that code, so ``flask counts verify`` can say that what the
public reads is what the records hold.
"""

from dataclasses import dataclass

from sqlalchemy import and_, func, select
from sqlalchemy.orm import selectinload

from petition.extensions import db
from petition.models import Answer, Candidate, Pledge, PledgeResponse
from petition.pledges import scoreboard


@dataclass(frozen=True)
class Tally:
    pledged: int = 0
    declined: int = 0
    silent: int = 0

    def __str__(self) -> str:
        return f"{self.pledged:,} pledged, {self.declined:,} declined, {self.silent:,} silent"


@dataclass(frozen=True)
class TallyDifference:
    pledge_id: int
    slug: str
    shown: Tally
    recounted: Tally


def shown() -> dict[int, tuple[str, Tally]]:
    """Return each pledge's slug and the tally its public page shows."""
    pledges = db.session.scalars(
        select(Pledge).options(selectinload(Pledge.candidates).selectinload(Candidate.responses))
    )
    tallies = {}
    for pledge in pledges:
        board = scoreboard.build(pledge)
        tally = Tally(len(board.pledged), len(board.declined), len(board.silent))
        tallies[pledge.id] = (pledge.slug, tally)
    return tallies


def recounted() -> dict[int, Tally]:
    """Recount every pledge's tally from the latest response of each candidate."""
    ranked = select(
        PledgeResponse.candidate_id,
        PledgeResponse.answer,
        func.row_number()
        .over(
            partition_by=PledgeResponse.candidate_id,
            order_by=(PledgeResponse.answered_at.desc(), PledgeResponse.id.desc()),
        )
        .label("rank"),
    ).subquery()
    rows = db.session.execute(
        select(Candidate.pledge_id, ranked.c.answer, func.count())
        .select_from(Candidate)
        .outerjoin(ranked, and_(ranked.c.candidate_id == Candidate.id, ranked.c.rank == 1))
        .group_by(Candidate.pledge_id, ranked.c.answer)
    )
    counted: dict[int, dict[str, int]] = {}
    for pledge_id, answer, number in rows:
        counted.setdefault(pledge_id, {})[answer or "silent"] = number
    return {
        pledge_id: Tally(
            by_answer.get(Answer.PLEDGED, 0),
            by_answer.get(Answer.DECLINED, 0),
            by_answer.get("silent", 0),
        )
        for pledge_id, by_answer in counted.items()
    }


def differences() -> list[TallyDifference]:
    """Return the pledges whose public tally differs from the recount of their responses."""
    recount = recounted()
    return [
        TallyDifference(pledge_id, slug, tally, recount.get(pledge_id, Tally()))
        for pledge_id, (slug, tally) in sorted(shown().items())
        if tally != recount.get(pledge_id, Tally())
    ]
