"""OpenAPI schemas of the record after the vote or the delivery (petition/api/records.py).

Only the single-item endpoints carry these, so that lists stay a fixed few statements.
"""

from petition.api.schema import COUNT, DATE, JSON, MOMENT, STRING, URL, nullable, obj, ref
from petition.models import AnswerKind, Rating

RATING = {"enum": [rating.value for rating in Rating]}


def record_schemas(campaign: JSON) -> JSON:
    """Return the record's schemas, and CampaignDetail: ``campaign`` with them added."""
    schemas: JSON = {}
    schemas["Evidence"] = obj(
        {
            "id": {"type": "integer"},
            "happened_on": DATE,
            "summary": {**STRING, "description": "Plain text: what the official did."},
            "source_url": STRING,
            "rating": RATING,
            "corrects": {
                **nullable({"type": "integer"}),
                "description": "The id of the earlier entry this one corrects; both stay listed.",
            },
            "corrected_by": {
                "type": "array",
                "items": {"type": "integer"},
                "description": "Ids of later entries correcting this one; a corrected entry "
                "no longer counts toward the rating.",
            },
            "recorded_at": MOMENT,
            "permalink": {**URL, "description": "The entry on the public record page."},
        }
    )
    schemas["PromiseRecord"] = obj(
        {
            "rating": {**RATING, "description": "The latest standing entry's rating."},
            "rating_label": STRING,
            "history": {
                "type": "array",
                "description": "Each change of the rating, oldest first, and its entry.",
                "items": obj(
                    {"on": DATE, "from": RATING, "to": RATING, "entry": {"type": "integer"}}
                ),
            },
            "evidence": {
                "type": "array",
                "items": ref("Evidence"),
                "description": "Every entry, in the order things happened.",
            },
        }
    )
    schemas["ElectionResult"] = obj(
        {
            "winner": obj({"id": {"type": "integer"}, "name": STRING}),
            "source_url": STRING,
            "recorded_at": MOMENT,
            "promise_record": ref("PromiseRecord"),
            "links": obj({"page": URL}),
        }
    )
    schemas["TargetAnswer"] = obj(
        {
            "id": {"type": "integer"},
            "kind": {"enum": [kind.value for kind in AnswerKind]},
            "kind_label": STRING,
            "is_answer": {
                "type": "boolean",
                "description": "False for a recorded no_response: silence is not an answer.",
            },
            "summary": STRING,
            "source_url": {**nullable(STRING), "description": "Null only for no_response."},
            "answered_on": DATE,
            "recorded_at": MOMENT,
            "permalink": {**URL, "description": "The answer on the campaign's page."},
        }
    )
    schemas["CampaignDetail"] = {
        **campaign,
        "properties": {
            **campaign["properties"],
            "answers": {
                "type": "array",
                "items": ref("TargetAnswer"),
                "description": "How the target answered the demand, oldest first.",
            },
            "days_since_delivery_without_answer": {
                **nullable(COUNT),
                "description": "Null unless delivered and not answered yet.",
            },
            "target_records": {
                "type": "array",
                "description": "The promise record of each target that has one.",
                "items": obj({"target": ref("Target"), "promise_record": ref("PromiseRecord")}),
            },
        },
        "required": [
            *campaign["required"],
            "answers",
            "days_since_delivery_without_answer",
            "target_records",
        ],
    }
    return schemas
