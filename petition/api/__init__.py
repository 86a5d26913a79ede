"""The public read API, v1; its routes live in views.py, imported by create_app."""

from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1")
