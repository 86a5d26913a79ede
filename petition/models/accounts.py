"""Organizer accounts."""

import enum
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import CheckConstraint, String
from sqlalchemy.orm import Mapped, mapped_column

from petition.clock import now
from petition.models.base import Base


class Role(enum.StrEnum):
    ORGANIZER = "organizer"
    ADMIN = "admin"


class User(UserMixin, Base):
    __tablename__ = "users"
    __table_args__ = (CheckConstraint("role IN ('organizer', 'admin')", name="role_known"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254))
    # petition.emails.normalize_email(email); one account per mailbox.
    email_normalized: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(100), default="")
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16), default=Role.ORGANIZER)
    created_at: Mapped[datetime] = mapped_column(default=now)
    # The account works only once the address is confirmed.
    confirmed_at: Mapped[datetime | None]
    # Bumped on every password change; reset tokens carry it, so a used
    # link (or any link issued before the change) stops working.
    password_changed_at: Mapped[datetime] = mapped_column(default=now)
    last_login_at: Mapped[datetime | None]
    # Each session carries the version it logged in with; bumping it ends
    # them all (petition.auth.sessions).
    session_version: Mapped[int] = mapped_column(default=1, server_default="1")

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN

    @property
    def is_active(self) -> bool:  # Flask-Login: unconfirmed accounts cannot log in
        return self.confirmed_at is not None

    def __repr__(self) -> str:
        return f"<User {self.id} {self.role}>"
