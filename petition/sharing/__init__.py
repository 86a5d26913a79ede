"""The sharing blueprint: preview cards, icons, posters, the embed; routes in views.py."""

from flask import Blueprint

bp = Blueprint("sharing", __name__)
