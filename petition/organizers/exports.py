"""CSV exports of a campaign's signatures, streamed row by row.

The query runs with ``yield_per``, which on PostgreSQL means a server-side
cursor and on SQLite ``fetchmany``: 100,000 signatures never sit in memory at
once. bench/export.py measures it.
"""

import csv
from collections.abc import Iterator

from sqlalchemy import case, select

from petition.extensions import db
from petition.models import Signature

YIELD_PER = 1000
CHUNK_ROWS = 500
# A spreadsheet runs a cell that starts with one of these as a formula
# ("CSV injection"); a leading apostrophe makes it plain text.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

SIGNATURE_HEADER = ["name", "zip_code", "comment", "signed_on", "email"]
DELIVERY_HEADER = ["name", "zip_code", "comment"]


class _Line:
    """A file-like object that hands back what csv.writer wrote."""

    def __init__(self) -> None:
        self.value = ""

    def write(self, text: str) -> None:
        self.value = text


def defuse(value: object) -> str:
    """Return ``value`` as a CSV cell no spreadsheet will evaluate."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def shared_email():
    """The signer's email if they gave it to the organizers, else NULL: a column to select.

    Only signers who asked for updates, and have not since said stop, gave
    the organizers their address to use. The CSV export and the organizer
    API (petition.osdi) both read it through this.
    """
    return case(
        (
            Signature.wants_updates.is_(True) & Signature.unsubscribed_at.is_(None),
            Signature.email,
        ),
        else_=None,
    )


def _rows(campaign_id: int, with_emails: bool):
    columns = [Signature.name, Signature.zip_code, Signature.comment, Signature.confirmed_at]
    if with_emails:
        columns.append(shared_email())
    query = (
        select(*columns)
        .where(
            Signature.campaign_id == campaign_id,
            Signature.confirmed_at.is_not(None),
            Signature.withdrawn_at.is_(None),
            # Held for review: not in the count, so not delivered, until restored.
            Signature.held_by.is_(None),
        )
        .order_by(Signature.confirmed_at, Signature.id)
        .execution_options(yield_per=YIELD_PER)
    )
    return db.session.execute(query)


def _lines(header: list[str], rows: Iterator[list[object]]) -> Iterator[str]:
    """Yield the CSV text in chunks of CHUNK_ROWS rows: one write per row is slow over WSGI."""
    line = _Line()
    writer = csv.writer(line)
    writer.writerow(header)
    chunk = [line.value]
    for row in rows:
        writer.writerow([defuse(cell) for cell in row])
        chunk.append(line.value)
        if len(chunk) >= CHUNK_ROWS:
            yield "".join(chunk)
            chunk = []
    if chunk:
        yield "".join(chunk)


# Both exports are generator functions on purpose: the query must run on the
# first ``next()``, inside the contexts ``stream_with_context`` pushes again
# for the response body. Run earlier, in the view, its server-side cursor
# would die with the view's session when Flask tears the first context down.


def signature_csv(campaign_id: int) -> Iterator[str]:
    """Yield the organizers' export: name, ZIP, comment, date, email if opted in."""
    rows = (
        [name, zip_code, comment, signed.date().isoformat(), email]
        for name, zip_code, comment, signed, email in _rows(campaign_id, with_emails=True)
    )
    yield from _lines(SIGNATURE_HEADER, rows)


def delivery_csv(campaign_id: int) -> Iterator[str]:
    """Yield the export handed to the target: names, ZIPs and comments, never emails."""
    rows = (
        [name, zip_code, comment]
        for name, zip_code, comment, _signed in _rows(campaign_id, with_emails=False)
    )
    yield from _lines(DELIVERY_HEADER, rows)
