"""Jinja filters that format numbers and dates for people."""

from datetime import datetime

from flask import Flask

from petition.urls import absolute_url


def number(value: int) -> str:
    """12480 -> "12,480"."""
    return f"{value:,}"


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """Return "1 signature" or "12,480 signatures"."""
    word = singular if count == 1 else (plural_form or singular + "s")
    return f"{count:,} {word}"


def long_date(value: datetime | None) -> str:
    """Return "March 3, 2026"."""
    if value is None:
        return ""
    return f"{value:%B} {value.day}, {value.year}"


def iso(value: datetime | None) -> str:
    return value.isoformat() if value else ""


def init_app(app: Flask) -> None:
    app.add_template_filter(number)
    app.add_template_filter(plural)
    app.add_template_filter(long_date)
    app.add_template_filter(iso)
    app.add_template_global(absolute_url)
