"""The language switch."""

from flask import Blueprint

bp = Blueprint("language", __name__)
