"""Keep client addresses out of the logs, and keep log lines what they claim to be."""

import logging
import re

_HEX = r"[0-9a-fA-F]{1,4}"
_ADDRESS = re.compile(
    r"(?<![\w:])::ffff:(?:\d{1,3}\.){3}\d{1,3}\b"  # IPv4-mapped IPv6, before the parts
    r"|\b(?:\d{1,3}\.){3}\d{1,3}\b"  # IPv4
    rf"|(?<![\w:])(?:(?:{_HEX}:){{7}}{_HEX}"  # full IPv6
    rf"|(?:{_HEX}(?::{_HEX})*)?::(?:{_HEX}(?::{_HEX})*)?)(?![\w:])"  # compressed IPv6
)
# Clock times such as 18:42:59 have neither seven colons nor "::", so they survive.


class RedactClientAddress(logging.Filter):
    """Replace IP addresses in a record with a placeholder.

    The development server writes the client address at the start of every
    access line; supporters' addresses must never be logged in plain text.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = _ADDRESS.sub("[address]", message)
        if redacted != message:
            record.msg, record.args = redacted, None
        return True


# Characters that could make one log line look like two, hide part of a line
# (NUL, terminal escapes), or reorder it on screen (bidi controls): C0, DEL,
# C1, the Unicode line and paragraph separators and the bidi marks, overrides
# and isolates. Each is written as a visible escape, and a backslash is doubled
# so an escape typed by a client cannot pass for one of ours.
_UNSAFE = [*range(0x00, 0x20), *range(0x7F, 0xA0), 0x061C, 0x200E, 0x200F, 0x2028, 0x2029]
_UNSAFE += [*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0xFEFF]
_ESCAPES = {code: (f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}") for code in _UNSAFE}
_ESCAPES[ord("\\")] = "\\\\"


def escape_control(text: str) -> str:
    """Return ``text`` with control, line-breaking and bidi characters escaped."""
    return text.translate(_ESCAPES)


class EscapeControlCharacters(logging.Filter):
    """Escape control characters in a record's message: one record, one honest line.

    A request path is the client's to choose; ``GET /c/x%0a[date] ...`` must
    not write a forged line into the log. Tracebacks (``exc_info``) are
    formatted separately and keep their lines.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        escaped = escape_control(message)
        if escaped != message:
            record.msg, record.args = escaped, None
        return True
