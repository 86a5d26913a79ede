"""The public record after the vote or the delivery, as the API shows it.

On a pledge: who won the race and the winner's promise record. On a
campaign: how its target answered, the days since delivery without an
answer, and the targets' promise records. Only the single-item endpoints
carry these (two statements each, whatever the record's length): a list
would pay for them on every item.

Exactly what /p/<slug>/record, /c/<slug> and /c/<slug>/record show. No
signature row is read, and who recorded an entry (an organizer's account)
stays private as on the pages.
"""

from collections.abc import Callable
from typing import Any

from petition.api.representations import english, moment, target
from petition.campaigns.answers import answers_for, days_without_answer
from petition.models import Campaign, EvidenceEntry, Pledge, TargetAnswer
from petition.pledges import records
from petition.pledges.records import PromiseRecord
from petition.urls import absolute_url

JSON = dict[str, Any]


def election(pledge: Pledge) -> JSON | None:
    """The race's recorded result with the winner's promise record, or None before it."""
    result = records.result_for(pledge)
    if result is None:
        return None
    return {
        "winner": {"id": result.winner.id, "name": result.winner.name},
        "source_url": result.source_url,
        "recorded_at": moment(result.recorded_at),
        "promise_record": promise_record(
            records.winners_record(result), lambda entry: records.entry_url(pledge, entry)
        ),
        "links": {"page": absolute_url("pledges.record", slug=pledge.slug)},
    }


def after_delivery(campaign: Campaign) -> JSON:
    """The target's answers, the silence since delivery, and the targets' promise records."""
    answers = answers_for(campaign.id)
    by_target = records.targets_records(campaign.targets)
    page = absolute_url("campaigns.record", slug=campaign.slug)
    return {
        "answers": [answer(campaign, item) for item in answers],
        "days_since_delivery_without_answer": days_without_answer(campaign, answers),
        "target_records": [
            {
                "target": target(t),
                "promise_record": promise_record(
                    by_target[t.id], lambda entry: f"{page}#entry-{entry.id}"
                ),
            }
            for t in campaign.targets
            if by_target[t.id].entries
        ],
    }


def answer(campaign: Campaign, item: TargetAnswer) -> JSON:
    page = absolute_url("campaigns.show", slug=campaign.slug)
    return {
        "id": item.id,
        "kind": item.kind,
        "kind_label": item.kind_label,
        "is_answer": item.is_answer,
        "summary": item.summary,
        "source_url": item.source_url,
        "answered_on": moment(item.answered_on),
        "recorded_at": moment(item.recorded_at),
        "permalink": f"{page}#answer-{item.id}",
    }


def promise_record(record: PromiseRecord, permalink: Callable[[EvidenceEntry], str]) -> JSON:
    return {
        "rating": record.rating.value,
        "rating_label": english(record.rating.label),
        "history": [
            {
                "on": moment(change.entry.happened_on),
                "from": change.before.value,
                "to": change.after.value,
                "entry": change.entry.id,
            }
            for change in record.changes
        ],
        "evidence": [
            {
                "id": entry.id,
                "happened_on": moment(entry.happened_on),
                "summary": entry.summary,
                "source_url": entry.source_url,
                "rating": entry.rating,
                "corrects": entry.corrects_id,
                "corrected_by": [later.id for later in record.corrected_by.get(entry.id, [])],
                "recorded_at": moment(entry.recorded_at),
                "permalink": permalink(entry),
            }
            for entry in record.entries
        ],
    }
