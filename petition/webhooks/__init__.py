from flask import Blueprint

# The organizer's webhook pages (session and CSRF, like the dashboard).
bp = Blueprint("webhooks", __name__)
