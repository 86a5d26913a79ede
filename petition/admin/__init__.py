"""The admin blueprint (moderation); its routes live in views.py, imported by create_app."""

from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/admin")
