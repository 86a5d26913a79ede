"""The client's address, and the only form of it the database ever sees."""

import hashlib
import hmac

from flask import current_app, request


def client_address() -> str:
    """Return the client's IP address as the WSGI server (or ProxyFix) saw it."""
    return request.remote_addr or "unknown"


def hash_address(address: str) -> str:
    """Return a keyed hash of an IP address, so raw addresses are never stored."""
    key = hashlib.sha256(b"petition.ip-hash:" + current_app.config["SECRET_KEY"].encode())
    return hmac.new(key.digest(), address.encode(), hashlib.sha256).hexdigest()
