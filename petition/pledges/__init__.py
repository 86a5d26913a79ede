"""The pledges blueprint; its routes live in views.py and manage.py, imported by create_app."""

from flask import Blueprint

bp = Blueprint("pledges", __name__)
