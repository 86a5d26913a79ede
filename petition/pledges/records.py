"""After the election: record the winner, keep their promise record, tell supporters.

Services add and flush; the request commits once. The record is append-only:
there is no service to edit or delete an entry, and a correction is a new
entry pointing to the one it corrects (``corrects``), so both stay public
and a permalink a reporter cited never changes meaning.
"""

from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select, true
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from petition.clock import now
from petition.extensions import db
from petition.localtime import local_today
from petition.models import (
    Campaign,
    CampaignUpdate,
    Candidate,
    ElectionResult,
    EvidenceEntry,
    Pledge,
    Rating,
    Target,
    User,
)
from petition.organizers.updates import post_update
from petition.templating import format_date
from petition.transactions import DomainError
from petition.urls import absolute_url


class RecordRefused(DomainError):
    """The record cannot take this entry; the message says why."""


@dataclass
class EvidenceDetails:
    happened_on: date
    summary: str
    source_url: str
    rating: Rating


# -- the election result ---------------------------------------------------


def election_held(pledge: Pledge) -> bool:
    """Whether the race's election day has come where the race is, so a winner may be recorded."""
    return local_today(pledge.time_zone) >= pledge.election_date


def result_for(pledge: Pledge) -> ElectionResult | None:
    """Return the recorded result, with its winner, or None."""
    return db.session.scalar(
        select(ElectionResult)
        .where(ElectionResult.pledge_id == pledge.id)
        .options(joinedload(ElectionResult.winner))
    )


def record_result(
    pledge: Pledge, winner: Candidate, source_url: str, recorded_by: User
) -> ElectionResult:
    """Record who won the race; refuse before election day, twice, or for a stranger."""
    if not election_held(pledge):
        raise RecordRefused(
            f"The election is on {format_date(pledge.election_date)}: "
            "record the winner from that day on."
        )
    if winner.pledge_id != pledge.id:
        raise RecordRefused("Choose one of this pledge's candidates.")
    if result_for(pledge) is not None:
        raise RecordRefused("The winner is already recorded. The record cannot be changed.")
    result = ElectionResult(
        pledge_id=pledge.id,
        winner_id=winner.id,
        source_url=source_url,
        recorded_at=now(),
        recorded_by_id=recorded_by.id,
    )
    db.session.add(result)
    try:
        db.session.flush()
    except IntegrityError:  # a second organizer recorded it at the same moment
        raise RecordRefused("The winner is already recorded.") from None
    return result


# -- evidence --------------------------------------------------------------


def _of(official: Candidate | Target):
    if isinstance(official, Candidate):
        return EvidenceEntry.candidate_id == official.id
    return EvidenceEntry.target_id == official.id


def _zone_of(official: Candidate | Target) -> str:
    """The time zone of the official's race or demand: "today" is today there."""
    if isinstance(official, Candidate):
        return official.pledge.time_zone
    return official.campaign.time_zone


def evidence_for(
    official: Candidate | Target, *, include_held: bool = False
) -> list[EvidenceEntry]:
    """Return the entries about ``official`` in the order things happened.

    Entries held for a moderator are left out unless ``include_held`` (the organizers' view).
    """
    return list(
        db.session.scalars(
            select(EvidenceEntry)
            .where(_of(official), _shown(include_held))
            .order_by(EvidenceEntry.happened_on, EvidenceEntry.id)
        )
    )


def _shown(include_held: bool):
    return true() if include_held else EvidenceEntry.held_at.is_(None)


def entry_of(official: Candidate | Target, entry_id: int) -> EvidenceEntry | None:
    """Return entry ``entry_id`` if it is about ``official`` and public (a correction's subject)."""
    return db.session.scalar(
        select(EvidenceEntry).where(EvidenceEntry.id == entry_id, _of(official), _shown(False))
    )


def add_evidence(
    official: Candidate | Target,
    details: EvidenceDetails,
    recorded_by: User,
    corrects: EvidenceEntry | None = None,
) -> EvidenceEntry:
    """Append an entry to ``official``'s record; a correction names the entry it corrects."""
    if corrects is not None and entry_of(official, corrects.id) is None:
        raise RecordRefused("That entry is about someone else.")
    if details.happened_on > local_today(_zone_of(official)):
        raise RecordRefused("The date cannot be in the future.")
    entry = EvidenceEntry(
        candidate_id=official.id if isinstance(official, Candidate) else None,
        target_id=official.id if isinstance(official, Target) else None,
        happened_on=details.happened_on,
        summary=details.summary,
        source_url=details.source_url,
        rating=details.rating.value,
        corrects_id=corrects.id if corrects is not None else None,
        recorded_at=now(),
        recorded_by_id=recorded_by.id,
    )
    db.session.add(entry)
    db.session.flush()
    return entry


# -- reading the record ----------------------------------------------------


@dataclass
class RatingChange:
    """A point in the record where the rating moved, and the entry that moved it."""

    entry: EvidenceEntry
    before: Rating
    after: Rating


@dataclass
class PromiseRecord:
    entries: list[EvidenceEntry]
    # entry id -> the later entries that correct it
    corrected_by: dict[int, list[EvidenceEntry]] = field(default_factory=dict)
    changes: list[RatingChange] = field(default_factory=list)
    rating: Rating = Rating.NOT_YET_RATED

    @property
    def standing(self) -> list[EvidenceEntry]:
        """The entries not corrected by a later one: what the rating is read from."""
        return [entry for entry in self.entries if entry.id not in self.corrected_by]

    def by_id(self, entry_id: int) -> EvidenceEntry | None:
        return next((entry for entry in self.entries if entry.id == entry_id), None)


def build_record(entries: list[EvidenceEntry]) -> PromiseRecord:
    """Read the rating and its history from entries in the order things happened.

    The rating is the latest standing entry's. A corrected entry no longer
    counts, its correction does; both are kept for the reader.
    """
    record = PromiseRecord(entries=entries)
    for entry in entries:
        if entry.corrects_id is not None:
            record.corrected_by.setdefault(entry.corrects_id, []).append(entry)
    rating = Rating.NOT_YET_RATED
    for entry in record.standing:
        after = Rating(entry.rating)
        if after != rating:
            record.changes.append(RatingChange(entry, rating, after))
        rating = after
    record.rating = rating
    return record


def entry_url(pledge: Pledge, entry: EvidenceEntry) -> str:
    """Return the permalink of an entry, for citing and for mail."""
    return f"{absolute_url('pledges.record', slug=pledge.slug)}#entry-{entry.id}"


# -- telling supporters ----------------------------------------------------


def headline(name: str, before: Rating, after: Rating) -> str:
    """Return the update's subject: the rating change, in words (the organizer's language)."""
    if before == after:
        return _("New on %(name)s's record: still rated %(rating)s", name=name, rating=after.label)
    return _(
        "%(name)s's promise: %(before)s → %(after)s",
        name=name,
        before=before.label,
        after=after.label,
    )


def announce_evidence(
    campaign: Campaign,
    official: Candidate | Target,
    entry: EvidenceEntry,
    before: Rating,
    permalink: str,
    author: User,
) -> CampaignUpdate:
    """Post an update to the campaign's opted-in signers, the rating change as its headline.

    The update is written once, like one the organizer types: in the language
    of the organizer's page.
    """
    after = build_record(evidence_for(official, include_held=True)).rating
    subject = headline(official.name, before, after)
    body = "\n\n".join(
        [
            f"**{subject}**",
            _("On %(day)s: %(summary)s", day=format_date(entry.happened_on), summary=entry.summary),
            _("Source: <%(link)s>", link=entry.source_url),
            _("The whole record, every entry dated and sourced: <%(link)s>", link=permalink),
        ]
    )
    return post_update(campaign, subject[:200], body, author)


def winners_record(
    result: ElectionResult | None, *, include_held: bool = False
) -> PromiseRecord | None:
    """Return the winner's promise record, or None before a result is recorded."""
    if result is None:
        return None
    return build_record(evidence_for(result.winner, include_held=include_held))


def targets_records(
    targets: list[Target], *, include_held: bool = False
) -> dict[int, PromiseRecord]:
    """Return each target's record by target id, read in one query."""
    by_target: dict[int, list[EvidenceEntry]] = {target.id: [] for target in targets}
    if by_target:
        for entry in db.session.scalars(
            select(EvidenceEntry)
            .where(EvidenceEntry.target_id.in_(by_target), _shown(include_held))
            .order_by(EvidenceEntry.happened_on, EvidenceEntry.id)
        ):
            by_target[entry.target_id].append(entry)
    return {target_id: build_record(entries) for target_id, entries in by_target.items()}
