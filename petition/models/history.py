"""Hourly buckets of a campaign's count: how many signatures were confirmed and withdrawn."""

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, SmallInteger
from sqlalchemy.orm import Mapped, mapped_column

from petition.models.base import Base


class SignatureCountHour(Base):
    """Confirmations and withdrawals of one campaign in one UTC hour, on one shard.

    Written in the same transaction as the confirmation or withdrawal that
    moves the count (petition.counts), on the same shard as the count
    (``signature id % COUNT_SHARDS``): a viral campaign's confirmations in one
    hour update sixteen rows, not queue on one. An hour's figures are the sum
    of its shards; a campaign's count is the sum of every hour's
    ``confirmed - withdrawn`` (``flask counts verify`` checks it).
    """

    __tablename__ = "signature_count_hours"
    __table_args__ = (
        CheckConstraint("confirmed >= 0", name="confirmed_not_negative"),
        CheckConstraint("withdrawn >= 0", name="withdrawn_not_negative"),
    )

    campaign_id: Mapped[int] = mapped_column(
        ForeignKey("campaigns.id", ondelete="CASCADE"), primary_key=True
    )
    # The start of the hour, UTC.
    hour: Mapped[datetime] = mapped_column(primary_key=True)
    shard: Mapped[int] = mapped_column(SmallInteger, primary_key=True, autoincrement=False)
    confirmed: Mapped[int] = mapped_column(default=0)
    withdrawn: Mapped[int] = mapped_column(default=0)
