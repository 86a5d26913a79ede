"""Email addresses: validation and the normal form used to spot the same person."""

from email_validator import EmailNotValidError, validate_email

GMAIL_DOMAINS = {"gmail.com", "googlemail.com"}


class InvalidEmail(ValueError):
    pass


def check_email(address: str) -> str:
    """Return the address, cleaned, or raise ``InvalidEmail`` with a message for people."""
    try:
        info = validate_email(address.strip(), check_deliverability=False)
    except EmailNotValidError as exc:
        raise InvalidEmail(str(exc)) from exc
    return info.normalized


def normalize_email(address: str) -> str:
    """Return the form two spellings of one mailbox share.

    Case and surrounding space never matter; for Gmail, dots and ``+tags`` in
    the local part do not either, and googlemail.com is gmail.com.
    """
    local, _, domain = address.strip().lower().rpartition("@")
    domain = domain.rstrip(".")
    if domain in GMAIL_DOMAINS:
        local = local.split("+", 1)[0].replace(".", "")
        domain = "gmail.com"
    return f"{local}@{domain}"
