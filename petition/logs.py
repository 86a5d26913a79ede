"""Keep client addresses out of the logs."""

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
