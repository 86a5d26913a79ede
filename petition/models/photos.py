"""Candidate photos, uploaded by organizers and re-encoded by the server.

The bytes live in the database, not on disk, so every worker on every
machine serves the same photo with no shared volume. A photo is small by
construction (at most 400×400, re-encoded; see ``petition.pledges.photos``).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from petition.clock import now
from petition.models.base import Base


class CandidatePhoto(Base):
    __tablename__ = "candidate_photos"
    __table_args__ = (
        CheckConstraint("content_type IN ('image/jpeg', 'image/png')", name="content_type_known"),
    )

    candidate_id: Mapped[int] = mapped_column(
        ForeignKey("candidates.id", ondelete="CASCADE"), primary_key=True, autoincrement=False
    )
    content_type: Mapped[str] = mapped_column(String(16))
    data: Mapped[bytes] = mapped_column(LargeBinary)
    # SHA-256 of ``data``: the ETag, and the ?v= that lets caches keep it for a year.
    etag: Mapped[str] = mapped_column(String(64))
    width: Mapped[int]
    height: Mapped[int]
    updated_at: Mapped[datetime] = mapped_column(default=now)
    # Set under PETITION_MODERATION until an admin approves the photo; the public
    # URL serves no held photo (petition.organizers.held_content).
    held_at: Mapped[datetime | None]

    def __repr__(self) -> str:
        return f"<CandidatePhoto candidate={self.candidate_id} {self.content_type}>"
