"""The devmail blueprint; its routes live in views.py, imported by create_app."""

from flask import Blueprint

bp = Blueprint("devmail", __name__, url_prefix="/dev")
