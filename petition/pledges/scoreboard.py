"""The public record of a pledge: who pledged, who declined, who stayed silent."""

from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import lazy_gettext as _l

from petition.clock import now
from petition.models import Answer, Candidate, Pledge, PledgeResponse

# How a change of answer reads in the history, keyed by (before, after).
_CHANGE = {
    (None, Answer.PLEDGED): _l("Took the pledge"),
    (None, Answer.DECLINED): _l("Declined"),
    (Answer.PLEDGED, Answer.DECLINED): _l("Withdrew the pledge"),
    (Answer.DECLINED, Answer.PLEDGED): _l("Took the pledge"),
    (Answer.PLEDGED, Answer.PLEDGED): _l("Restated the pledge"),
    (Answer.DECLINED, Answer.DECLINED): _l("Declined again"),
}


@dataclass
class HistoryItem:
    response: PledgeResponse
    label: str


@dataclass
class Entry:
    candidate: Candidate
    current: PledgeResponse | None
    history: list[HistoryItem] = field(default_factory=list)

    @property
    def changed_mind(self) -> bool:
        return len({item.response.answer for item in self.history}) > 1

    @property
    def days_since_asked(self) -> int | None:
        first = self.candidate.first_invited_at
        return days_between(first, now()) if first else None


@dataclass
class Scoreboard:
    pledged: list[Entry]
    declined: list[Entry]
    silent: list[Entry]

    @property
    def total(self) -> int:
        return len(self.pledged) + len(self.declined) + len(self.silent)


def days_between(start: datetime, end: datetime) -> int:
    return max(0, (end - start).days)


def history(candidate: Candidate) -> list[HistoryItem]:
    """Return the candidate's answers, oldest first, each labelled by what changed."""
    items = []
    before = None
    for response in candidate.responses:
        answer = Answer(response.answer)
        items.append(HistoryItem(response, _CHANGE[(before, answer)]))
        before = answer
    return items


def build(pledge: Pledge) -> Scoreboard:
    """Group the candidates by their standing answer, each group by name."""
    board = Scoreboard(pledged=[], declined=[], silent=[])
    for candidate in sorted(pledge.candidates, key=lambda c: (c.name.casefold(), c.id)):
        entry = Entry(candidate, candidate.current_response, history(candidate))
        if entry.current is None:
            board.silent.append(entry)
        elif entry.current.answer == Answer.PLEDGED:
            board.pledged.append(entry)
        else:
            board.declined.append(entry)
    return board
