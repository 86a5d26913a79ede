"""Every public pledge's scoreboard in one statement: pledged, declined and silent per race.

The front page lists them all, so the standing answer of every candidate is
found by the database (the latest response per candidate, by a window
function), not by loading each pledge's candidates and their histories.
"""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Integer, case, func, literal, select

from petition.extensions import db
from petition.localtime import default_zone_name, local_today
from petition.models import Answer, Campaign, Candidate, Pledge, PledgeResponse
from petition.pledges.public import PUBLIC_PLEDGE


@dataclass(frozen=True)
class PledgeTally:
    """One race's scoreboard, as counts."""

    slug: str
    title: str
    office: str
    jurisdiction: str
    election_date: date
    candidates: int
    pledged: int
    declined: int

    @property
    def silent(self) -> int:
        return self.candidates - self.pledged - self.declined


def _standing_answers():
    """Each candidate's standing answer: the latest response, as ``Candidate.current_response``."""
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
    return (
        select(ranked.c.candidate_id, ranked.c.answer)
        .where(ranked.c.rank == 1)
        .subquery("standing")
    )


def _count_of(column, answer: Answer):
    return func.coalesce(func.sum(case((column == answer.value, 1), else_=0)), 0).cast(Integer)


def _today_where_the_race_is():
    """Today in each race's own zone, as SQL: a CASE over the few zones in use.

    Election day passes at midnight where the race is, not in UTC.
    """
    zones = db.session.scalars(select(Pledge.time_zone).distinct()).all()
    if not zones:
        return literal(local_today(default_zone_name()))
    return case(
        {zone: local_today(zone) for zone in zones},
        value=Pledge.time_zone,
        else_=local_today(default_zone_name()),
    )


def public_tallies(limit: int = 30) -> list[PledgeTally]:
    """Return the public pledges' tallies: coming elections first, soonest first, then past ones."""
    standing = _standing_answers()
    past = Pledge.election_date < _today_where_the_race_is()
    rows = db.session.execute(
        select(
            Pledge.slug,
            Pledge.title,
            Pledge.office,
            Pledge.jurisdiction,
            Pledge.election_date,
            func.count(Candidate.id),
            _count_of(standing.c.answer, Answer.PLEDGED),
            _count_of(standing.c.answer, Answer.DECLINED),
        )
        .join(Campaign, Campaign.id == Pledge.campaign_id)
        .outerjoin(Candidate, Candidate.pledge_id == Pledge.id)
        .outerjoin(standing, standing.c.candidate_id == Candidate.id)
        .where(PUBLIC_PLEDGE)
        .group_by(Pledge.id)
        .order_by(
            case((past, 1), else_=0),
            case((past, None), else_=Pledge.election_date),
            Pledge.election_date.desc(),
            Pledge.id,
        )
        .limit(limit)
    ).all()
    return [PledgeTally(*row) for row in rows]
