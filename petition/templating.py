"""Jinja filters that format numbers and dates for people."""

import re
from datetime import datetime

from flask import Flask
from markupsafe import Markup

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


_UNITS = ((86400, "day"), (3600, "hour"), (60, "minute"), (1, "second"))


def duration(seconds: int) -> str:
    """Word a configured number of seconds: 604800 -> "7 days", 3600 -> "1 hour".

    The largest unit that divides it exactly, so 259200 is "3 days" and 5400
    is "90 minutes": every duration people read comes from the configuration
    through here, never from a literal in a template.
    """
    for size, unit in _UNITS:
        if seconds >= size and seconds % size == 0:
            count = seconds // size
            return f"{count:,} {unit}{'' if count == 1 else 's'}"
    return "0 seconds"


_BLOCK_END = re.compile(r"</(?:p|h[1-6]|li|blockquote|pre|div)>|<br\s*/?>", re.IGNORECASE)


def excerpt(html: str, length: int = 200) -> str:
    """Plain text from sanitized HTML, cut at a word near ``length`` characters: "Drop the…"."""
    # A block's end is a word break: "<h2>Why</h2><p>Bail" reads "Why Bail".
    text = Markup(_BLOCK_END.sub(r"\g<0> ", str(html))).striptags()
    if len(text) <= length:
        return text
    cut = text[: length + 1].rsplit(" ", 1)[0] if " " in text[:length] else text[:length]
    return cut.rstrip(" ,;:.-—") + "…"


def iso(value: datetime | None) -> str:
    return value.isoformat() if value else ""


def init_app(app: Flask) -> None:
    app.add_template_filter(number)
    app.add_template_filter(plural)
    app.add_template_filter(long_date)
    app.add_template_filter(iso)
    app.add_template_filter(excerpt)
    app.add_template_filter(duration)
    app.add_template_global(absolute_url)
