"""The privacy page: what is kept about supporters, for how long and why."""

from flask import Blueprint

bp = Blueprint("privacy", __name__)
