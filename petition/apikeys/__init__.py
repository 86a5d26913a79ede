from flask import Blueprint

# The organizer's key management pages (session and CSRF, like the dashboard).
bp = Blueprint("apikeys", __name__)
