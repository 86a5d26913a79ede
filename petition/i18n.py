"""English and Spanish: which language a request is answered in, and mail in a chosen one.

The language comes from the visible switch (a ``lang`` cookie the switch
sets), else the browser's ``Accept-Language``, else English. Catalogs live in
``petition/translations`` (``make messages`` extracts and updates them,
``make translations`` compiles them); the compiled ``.mo`` files are committed
beside their ``.po`` and a test checks that they agree.

Spanish is formatted as US Spanish (``es_US``): the movement's readers are in
New Orleans, Dallas, Orlando and Chicago, and CLDR's ``es_US`` writes
"12,480 firmas" and "3 de marzo de 2026, 7:15 p.m.", as they do.
"""

from collections.abc import Iterator
from contextlib import contextmanager

from babel import Locale
from flask import Flask, Response, g, has_request_context, request
from flask_babel import Babel, force_locale, get_locale

# Language code (stored on signatures, sent in the cookie) -> the locale that formats it.
LANGUAGES = {"en": "en_US", "es": "es_US"}
DEFAULT_LANGUAGE = "en"
COOKIE = "lang"
COOKIE_MAX_AGE = 365 * 24 * 3600

# What the switch shows, each name in its own language (so a reader finds theirs).
NAMES = {"en": "English", "es": "Español"}

babel = Babel()


def select_locale() -> str:
    """Return the locale for this request: the switch's cookie, then Accept-Language."""
    return LANGUAGES[request_language()]


def request_language() -> str:
    """The language code this request is answered in."""
    if not has_request_context():
        return DEFAULT_LANGUAGE
    chosen = request.cookies.get(COOKIE)
    if chosen in LANGUAGES:
        return chosen
    return request.accept_languages.best_match(LANGUAGES, default=DEFAULT_LANGUAGE)


def current_language() -> str:
    """The language code now in use: the request's, or the one ``in_language`` forced."""
    locale = get_locale()
    return locale.language if locale is not None else DEFAULT_LANGUAGE


def language_or_default(code: str | None) -> str:
    """A stored or submitted language code, or English for anything else."""
    return code if code in LANGUAGES else DEFAULT_LANGUAGE


@contextmanager
def in_language(code: str | None) -> Iterator[None]:
    """Render what is inside (mail, mostly) in ``code``, whatever the request's language."""
    with force_locale(LANGUAGES[language_or_default(code)]):
        yield


def html_lang() -> str:
    """The page's ``<html lang>``: "en" or "es"."""
    return current_language()


def other_languages() -> list[tuple[str, str]]:
    """The switch's choices: (code, name in that language) for every language but this one."""
    current = current_language()
    return [(code, NAMES[code]) for code in LANGUAGES if code != current]


def locale() -> Locale:
    return get_locale() or Locale.parse(LANGUAGES[DEFAULT_LANGUAGE])


def vary_on_language(response: Response) -> Response:
    """Say that ``response`` differs by language, if it looked the language up.

    A shared cache then keeps one copy per language (keyed on the switch's
    cookie and Accept-Language), never a Spanish page for an English reader.
    A JSON count or series never looks the language up, and stays one copy
    for everyone.
    """
    chosen = g.get("_flask_babel")
    if chosen is not None and getattr(chosen, "babel_locale", None) is not None:
        response.vary.add("Accept-Language")
        response.vary.add("Cookie")
    return response


def init_app(app: Flask) -> None:
    babel.init_app(app, default_locale=LANGUAGES[DEFAULT_LANGUAGE], locale_selector=select_locale)
    # {% trans %} blocks are written across lines; their msgids are not.
    app.jinja_env.policies["ext.i18n.trimmed"] = True
    app.add_template_global(html_lang)
    app.add_template_global(other_languages)

    app.after_request(vary_on_language)
