"""Record how a demand's target answered it, and tell the signers who asked to hear.

Append-only like the rest of the public record: a later answer (a meeting
after a statement, a policy change after a refusal) is a new row, and the
page shows them in order. Services add and flush; the request commits.
"""

from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

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
    return target.name if target is not None else _("The target")


# A whole sentence per kind: Spanish words "answered: a statement" differently.
_HEADLINES = {
    AnswerKind.NO_RESPONSE: _l("Still no answer from %(name)s"),
    AnswerKind.STATEMENT: _l("%(name)s answered: a statement"),
    AnswerKind.MEETING: _l("%(name)s answered: a meeting"),
    AnswerKind.POLICY_CHANGE: _l("%(name)s answered: a policy change"),
    AnswerKind.REFUSAL: _l("%(name)s answered: a refusal"),
}


def headline(campaign: Campaign, answer: TargetAnswer) -> str:
    """Return the update's subject: what the target did, in words (the organizer's language)."""
    return str(_HEADLINES[AnswerKind(answer.kind)]) % {"name": target_name(campaign)}


def announce_answer(campaign: Campaign, answer: TargetAnswer, author: User) -> CampaignUpdate:
    """Post an update to the opted-in signers, the answer as its headline.

    Written once, like an update the organizer types: in the language of their page.
    """
    subject = headline(campaign, answer)
    day = format_date(answer.answered_on)
    lines = [f"**{subject}**", _("On %(day)s: %(summary)s", day=day, summary=answer.summary)]
    if answer.source_url:
        lines.append(_("Source: <%(link)s>", link=answer.source_url))
    page = absolute_url("campaigns.show", slug=campaign.slug)
    link = f"{page}#answer-{answer.id}"
    lines.append(_("Every answer, dated and sourced: <%(link)s>", link=link))
    return post_update(campaign, subject[:200], "\n\n".join(lines), author)
