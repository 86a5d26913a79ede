"""Register, confirm, log in and out, reset a forgotten password."""

from petition.auth import bp  # noqa: F401
