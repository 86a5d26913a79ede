"""Jinja filters that format numbers and dates for people."""

import re
from datetime import date, datetime
from typing import Any

from babel.dates import format_date as babel_date
from babel.dates import format_time as babel_time
from babel.numbers import format_decimal
from flask import Flask
from flask_babel import ngettext
from jinja2 import pass_context
from jinja2.runtime import Context
from markupsafe import Markup

from petition.i18n import current_language, locale
from petition.localtime import local
from petition.urls import absolute_url


def number(value: int) -> str:
    """12480 -> "12,480", in the page's language (US Spanish groups digits the same way)."""
    return format_decimal(value, locale=locale())


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """Return "1 signature" or "12,480 signatures": English only, for organizer pages.

    Pages in both languages use ``ngettext`` instead, which knows each language's plurals.
    """
    word = singular if count == 1 else (plural_form or singular + "s")
    return f"{count:,} {word}"


def _zone_name(context: Context, zone: str | None) -> str | None:
    """The zone given to the filter, else the page's ``time_zone``, else the default."""
    return zone or context.get("time_zone")


def format_date(value: date | datetime | None, zone: str | None = None) -> str:
    """Return "March 3, 2026": a moment's date in ``zone``, a plain date as it is.

    Election days and other plain dates are not shifted: they have no zone.
    """
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = local(value, zone)
    return _day_in_words(value)


def _day_in_words(value: date) -> str:
    if current_language() == "en":
        return f"{value:%B} {value.day}, {value.year}"
    return babel_date(value, "long", locale=locale())


def format_datetime(value: datetime | None, zone: str | None = None) -> str:
    """Return "March 3, 2026, 7:15 PM CST" in ``zone``."""
    if value is None:
        return ""
    value = local(value, zone)
    if current_language() == "en":
        clock_time = f"{value.hour % 12 or 12}:{value:%M} {'AM' if value.hour < 12 else 'PM'}"
    else:
        clock_time = babel_time(value, "h:mm a", locale=locale())
    return f"{_day_in_words(value)}, {clock_time} {value:%Z}"


@pass_context
def long_date(context: Context, value: date | datetime | None, zone: str | None = None) -> str:
    """The ``format_date`` filter, in the page's time zone unless given one."""
    return format_date(value, _zone_name(context, zone))


@pass_context
def long_datetime(context: Context, value: datetime | None, zone: str | None = None) -> str:
    """The ``format_datetime`` filter, in the page's time zone unless given one."""
    return format_datetime(value, _zone_name(context, zone))


_UNITS = (
    (86400, lambda count: ngettext("%(count)s day", "%(count)s days", count, count=number(count))),
    (3600, lambda count: ngettext("%(count)s hour", "%(count)s hours", count, count=number(count))),
    (
        60,
        lambda count: ngettext("%(count)s minute", "%(count)s minutes", count, count=number(count)),
    ),
    (
        1,
        lambda count: ngettext("%(count)s second", "%(count)s seconds", count, count=number(count)),
    ),
)


def duration(seconds: int) -> str:
    """Word a configured number of seconds: 604800 -> "7 days", 3600 -> "1 hour".

    The largest unit that divides it exactly, so 259200 is "3 days" and 5400
    is "90 minutes": every duration people read comes from the configuration
    through here, never from a literal in a template.
    """
    for size, words in _UNITS:
        if seconds >= size and seconds % size == 0:
            return words(seconds // size)
    return ngettext("%(count)s second", "%(count)s seconds", 0, count="0")


_BLOCK_END = re.compile(r"</(?:p|h[1-6]|li|blockquote|pre|div)>|<br\s*/?>", re.IGNORECASE)


def excerpt(html: str, length: int = 200) -> str:
    """Plain text from sanitized HTML, cut at a word near ``length`` characters: "Drop the…"."""
    # A block's end is a word break: "<h2>Why</h2><p>Bail" reads "Why Bail".
    text = Markup(_BLOCK_END.sub(r"\g<0> ", str(html))).striptags()
    if len(text) <= length:
        return text
    cut = text[: length + 1].rsplit(" ", 1)[0] if " " in text[:length] else text[:length]
    return cut.rstrip(" ,;:.-—") + "…"


def iso(value: Any) -> str:
    return value.isoformat() if value else ""


def init_app(app: Flask) -> None:
    app.add_template_filter(number)
    app.add_template_filter(plural)
    app.add_template_filter(long_date)
    app.add_template_filter(long_datetime)
    app.add_template_filter(iso)
    app.add_template_filter(excerpt)
    app.add_template_filter(duration)
    app.add_template_global(absolute_url)
