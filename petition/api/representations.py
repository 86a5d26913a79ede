"""The API's JSON: exactly what the public pages show, never a supporter's details.

Campaigns carry their demand, targets (name, office, jurisdiction: what the
page prints), count and outcome; pledges their race and every candidate's
answers with how each was recorded. No signature row is read here at all: a
supporter's name, email, ZIP, comment or address cannot leak from code that
never sees them. Candidates' and targets' emails stay private too.
"""

import re
from datetime import date, datetime
from html.parser import HTMLParser
from typing import Any

from markupsafe import Markup

from petition.api.queries import CampaignRecord
from petition.campaigns.history import Point
from petition.i18n import in_language
from petition.models import Answer, Campaign, Candidate, Pledge, PledgeResponse, Target
from petition.pledges import scoreboard
from petition.urls import absolute_url

JSON = dict[str, Any]


def moment(value: datetime | date | None) -> str | None:
    """Return an ISO 8601 timestamp (UTC, with Z) or date, or None."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.isoformat().replace("+00:00", "Z")
    return value.isoformat()


def text(html: Markup | str | None) -> JSON | None:
    """Return sanitized HTML with its plain-text reading."""
    if html is None:
        return None
    return {"html": str(html), "text": plain_text(str(html))}


def campaign(record: CampaignRecord) -> JSON:
    c: Campaign = record.campaign
    return {
        "slug": c.slug,
        "title": c.title,
        "status": c.status,
        "demand": text(c.demand_html),
        "targets": [target(t) for t in c.targets],
        "counts": {"signatures": c.signature_count},
        "goal": c.signature_goal,
        "dates": {
            "published_at": moment(c.published_at),
            "closes_at": moment(c.closes_at),
            "closed_at": moment(c.closed_at),
            "edited_at": moment(c.edited_at),
        },
        "outcome": outcome(c),
        "revisions": [
            {
                "replaced_at": moment(revision.created_at),
                "demand": text(revision.demand_html),
                "targets": [target_fields(fields) for fields in revision.targets],
            }
            for revision in record.revisions
        ],
        "pledge": record.pledge_slug,
        "links": {
            "page": absolute_url("campaigns.show", slug=c.slug),
            "self": absolute_url("api.campaign", slug=c.slug),
            "history": absolute_url("api.campaign_history", slug=c.slug),
        },
    }


def target(t: Target) -> JSON:
    return {"name": t.name, "office": t.office, "jurisdiction": t.jurisdiction}


def target_fields(fields: dict[str, Any]) -> JSON:
    """A target as a revision stored it, cut to what the public page shows."""
    return {key: fields.get(key) or "" for key in ("name", "office", "jurisdiction")}


def outcome(c: Campaign) -> JSON | None:
    if c.status != "won" and c.delivered_at is None:
        return None
    won = c.status == "won"
    return {
        "won": won,
        "won_at": moment(c.won_at) if won else None,
        "victory_story": text(c.public_victory_story_html) if won else None,
        "delivered_at": moment(c.delivered_at),
        "delivered_to": c.delivered_to if c.delivered_at else None,
        "delivery_note": text(c.public_delivery_note_html) if c.delivered_at else None,
    }


def history_point(point: Point) -> JSON:
    return {
        "start": moment(point.start),
        "confirmed": point.confirmed,
        "withdrawn": point.withdrawn,
        "total": point.total,
    }


def pledge_summary(p: Pledge) -> JSON:
    board = scoreboard.build(p)
    return {
        "slug": p.slug,
        "title": p.title,
        "text": text(p.text_html),
        "race": {
            "office": p.office,
            "jurisdiction": p.jurisdiction,
            "election_date": moment(p.election_date),
        },
        "status": p.campaign.status,
        "counts": {
            "supporters": p.campaign.signature_count,
            "pledged": len(board.pledged),
            "declined": len(board.declined),
            "no_response": len(board.silent),
        },
        "links": {
            "page": absolute_url("pledges.show", slug=p.slug),
            "self": absolute_url("api.pledge", slug=p.slug),
            "campaign": absolute_url("api.campaign", slug=p.campaign.slug),
        },
    }


def pledge(p: Pledge) -> JSON:
    return {**pledge_summary(p), "candidates": [candidate(c) for c in p.candidates]}


def candidate(c: Candidate) -> JSON:
    current = c.current_response
    return {
        "id": c.id,
        "name": c.name,
        "party": c.party,
        "website": c.website,
        "answer": current.answer if current is not None else None,
        "first_asked_at": moment(c.first_invited_at),
        "times_contacted": c.contact_count,
        "answers": [answer(item.response, english(item.label)) for item in scoreboard.history(c)],
    }


def english(label: object) -> str:
    """A label in English: the API's words do not change with the caller's Accept-Language."""
    with in_language("en"):
        return str(label)


def answer(response: PledgeResponse, label: str) -> JSON:
    by_candidate = response.by_candidate
    return {
        "answer": Answer(response.answer).value,
        "change": label,
        "answered_at": moment(response.answered_at),
        "recorded": {
            "by": response.source,
            "source_description": None if by_candidate else response.source_description,
            "source_url": None if by_candidate else response.source_url,
            "recorded_at": moment(response.created_at),
        },
        # A hidden statement is withheld here as on the page; the reason is public.
        "statement": None if response.is_hidden else response.statement,
        "hidden": (
            {"at": moment(response.hidden_at), "reason": response.hidden_reason}
            if response.is_hidden
            else None
        ),
    }


_WHITESPACE = re.compile(r"\s+")
_BLOCKS = {"p", "blockquote", "pre", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "hr"}


class _TextReader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        if tag == "br":
            self.parts.append("\n")
        elif tag == "li":
            self.parts.append("\n- ")
        elif tag in _BLOCKS:
            self.parts.append("\n\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _BLOCKS:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        # As a browser shows it: a line break in the source is a space.
        self.parts.append(_WHITESPACE.sub(" ", data))


def plain_text(html: str) -> str:
    """Return the text of sanitized HTML: paragraphs apart, list items dashed, no markup."""
    reader = _TextReader()
    reader.feed(html)
    reader.close()
    lines = [" ".join(line.split()) for line in "".join(reader.parts).split("\n")]
    paragraphs, current = [], []
    for line in lines:
        if line:
            current.append(line)
        elif current:
            paragraphs.append("\n".join(current))
            current = []
    if current:
        paragraphs.append("\n".join(current))
    return "\n\n".join(paragraphs)
