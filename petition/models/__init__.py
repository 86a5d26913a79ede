"""The data model; import models from here."""

from petition.models.accounts import Role, User
from petition.models.audit import AuditEvent
from petition.models.base import Base
from petition.models.campaigns import (
    PUBLIC_STATUSES,
    Campaign,
    CampaignStatus,
    Signature,
    SignatureCountShard,
    Target,
)
from petition.models.history import SignatureCountHour
from petition.models.integrations import (
    ApiKey,
    PaperSignature,
    WebhookDelivery,
    WebhookEndpoint,
)
from petition.models.organizing import CampaignOrganizer, CampaignRevision, CampaignUpdate
from petition.models.outbox import OutboxMessage
from petition.models.photos import CandidatePhoto
from petition.models.pledges import (
    Answer,
    Candidate,
    CandidateContact,
    ContactMethod,
    Pledge,
    PledgeResponse,
    ResponseSource,
)
from petition.models.records import AnswerKind, ElectionResult, EvidenceEntry, Rating, TargetAnswer
from petition.models.review import PendingCampaignEdit

__all__ = [
    "ApiKey",
    "PaperSignature",
    "WebhookDelivery",
    "WebhookEndpoint",
    "PUBLIC_STATUSES",
    "Role",
    "User",
    "AuditEvent",
    "Base",
    "Campaign",
    "CampaignStatus",
    "CampaignOrganizer",
    "CampaignRevision",
    "CampaignUpdate",
    "CandidatePhoto",
    "OutboxMessage",
    "PendingCampaignEdit",
    "Answer",
    "Candidate",
    "CandidateContact",
    "ContactMethod",
    "Pledge",
    "PledgeResponse",
    "ResponseSource",
    "Signature",
    "SignatureCountShard",
    "SignatureCountHour",
    "Target",
    "AnswerKind",
    "ElectionResult",
    "EvidenceEntry",
    "Rating",
    "TargetAnswer",
]
