"""Keep client addresses out of the logs."""

import logging
import re

_ADDRESS = re.compile(
    r"\b(?:\d{1,3}\.){3}\d{1,3}\b|(?<![\w:])(?:[0-9a-fA-F]{0,4}:){2,7}[0-9a-fA-F]{0,4}(?![\w:])"
)


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
