"""The one source of "now" for the application, so tests can move time."""

import time
from datetime import UTC, datetime, timedelta

_frozen: datetime | None = None


def now() -> datetime:
    """Return the current time as an aware UTC datetime."""
    return _frozen if _frozen is not None else datetime.now(UTC)


def monotonic() -> float:
    """Return seconds from an arbitrary start that never go backwards: for timeouts and caches.

    Unlike ``now()`` it ignores the wall clock's steps (NTP, a resumed VM).
    A frozen clock stands in for it, so tests move both together.
    """
    return _frozen.timestamp() if _frozen is not None else time.monotonic()


def freeze(at: datetime) -> None:
    """Stop the clock at ``at`` (tests only)."""
    global _frozen
    if at.tzinfo is None:
        raise ValueError("freeze() needs an aware datetime")
    _frozen = at.astimezone(UTC)


def advance(delta: timedelta) -> None:
    """Move a frozen clock forward (tests only)."""
    global _frozen
    if _frozen is None:
        raise RuntimeError("advance() needs a frozen clock")
    _frozen = _frozen + delta


def unfreeze() -> None:
    """Let the clock run again."""
    global _frozen
    _frozen = None
