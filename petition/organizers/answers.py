"""Record how a demand's target answered it, and tell the signers who asked to hear.

Append-only like the rest of the public record: a later answer (a meeting
after a statement, a policy change after a refusal) is a new row, and the
page shows them in order. Services add and flush; the request commits.
"""

from dataclasses import dataclass
from datetime import date

from petition.clock import now
from petition.extensions import db
from petition.localtime import local_today
from petition.models import AnswerKind, Campaign, CampaignUpdate, TargetAnswer, User
from petition.organizers.updates import post_update
from petition.templating import format_date
from petition.transactions import DomainError
from petition.urls import absolute_url
from petition.webhooks import events as webhooks


class AnswerRefused(DomainError):
    """The answer cannot be recorded; the message says why."""


@dataclass
class AnswerDetails:
    kind: AnswerKind
    summary: str
    source_url: str | None
    answered_on: date


def record_target_answer(
    campaign: Campaign, details: AnswerDetails, author: User, held: bool = False
) -> TargetAnswer:
    """Append the target's answer to the campaign's record; ``held`` waits for a moderator."""
    if not campaign.is_public:
        raise AnswerRefused("Publish the demand first: an answer is to a demand people signed.")
    if details.answered_on > local_today(campaign.time_zone):
        raise AnswerRefused("The date cannot be in the future.")
    if details.kind != AnswerKind.NO_RESPONSE and not details.source_url:
        raise AnswerRefused("Give a link to the source, so readers can check the answer.")
    answer = TargetAnswer(
        campaign_id=campaign.id,
        kind=details.kind.value,
        summary=details.summary,
        source_url=details.source_url or None,
        answered_on=details.answered_on,
        recorded_at=now(),
        recorded_by_id=author.id,
        held_at=now() if held else None,
    )
    db.session.add(answer)
    db.session.flush()
    if not held:  # a held answer's webhook goes out on approval (petition.organizers.held_content)
        webhooks.campaign_answered(campaign, answer)
    return answer


def target_name(campaign: Campaign) -> str:
    target = campaign.primary_target
    return target.name if target is not None else "The target"


def headline(campaign: Campaign, answer: TargetAnswer) -> str:
    """Return the update's subject: what the target did, in words."""
    name = target_name(campaign)
    if not answer.is_answer:
        return f"Still no answer from {name}"
    return f"{name} answered: {answer.kind_label.lower()}"


def announce_answer(campaign: Campaign, answer: TargetAnswer, author: User) -> CampaignUpdate:
    """Post an update to the opted-in signers, the answer as its headline."""
    subject = headline(campaign, answer)
    lines = [f"**{subject}**", f"On {format_date(answer.answered_on)}: {answer.summary}"]
    if answer.source_url:
        lines.append(f"Source: <{answer.source_url}>")
    page = absolute_url("campaigns.show", slug=campaign.slug)
    lines.append(f"Every answer, dated and sourced: <{page}#answer-{answer.id}>")
    return post_update(campaign, subject[:200], "\n\n".join(lines), author)
