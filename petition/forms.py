"""Forms, validators and field helpers shared by every blueprint."""

import re
import unicodedata
from datetime import date
from urllib.parse import urlsplit

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import Field, IntegerField, SelectField
from wtforms.validators import ValidationError

from petition.emails import InvalidEmail, check_email
from petition.i18n import current_language
from petition.localtime import default_zone_name, is_valid_zone, local_today, zone_choices

# Tab, newline and carriage return are fine in multi-line text; nothing else
# from the C0/C1 control ranges (NUL included) belongs in anything people type.
# U+FFFD is what undecodable bytes become: a sign of a broken or hostile client.
# A lone surrogate (JSON allows "\ud800") cannot be encoded as UTF-8 at all:
# stored or mailed it would fail with a 500.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffd\ud800-\udfff]")
_CONTROL_OR_NEWLINE = re.compile(r"[\x00-\x1f\x7f-\x9f\ufffd\ud800-\udfff]")


# Characters that show nothing yet can disguise text: bidi embeddings,
# overrides and isolates (U+202E makes "gnp.exe" read as "exe.png"), the
# direction marks, and zero-width spaces, joiners and word joiners, which make
# two identical-looking names different strings or hide words from a reader.
_INVISIBLE = re.compile("[\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
_ZWJ = "\u200d"
_VARIATION_SELECTOR = "\ufe0f"


def _emoji_part(char: str) -> bool:
    # Emoji are So; skin tones are Sk; U+FE0F asks for emoji presentation.
    return char == _VARIATION_SELECTOR or unicodedata.category(char) in ("So", "Sk")


def _keep_emoji_joiners(match: re.Match[str]) -> str:
    """Keep a zero-width joiner only inside an emoji sequence (a family, 👩🏽‍💻)."""
    text, at = match.string, match.start()
    if match.group() == _ZWJ and 0 < at < len(text) - 1:
        before, after = text[at - 1], text[at + 1]
        if _emoji_part(before) and unicodedata.category(after) == "So":
            return _ZWJ
    return ""


def drop_invisible(text: str) -> str:
    """Remove bidi controls and zero-width characters, except joiners inside emoji."""
    return _INVISIBLE.sub(_keep_emoji_joiners, text)


def strip(value: str | None) -> str | None:
    """Filter: trim surrounding space, normalize Unicode to NFC, drop invisible characters.

    Every text field people type into uses this filter (a test checks), so no
    name, title or comment can carry a character that disguises what it says.
    Password fields do not: a password is compared, never shown.
    """
    if value is None:
        return None
    return drop_invisible(unicodedata.normalize("NFC", value)).strip()


def collapse_newlines(value: str | None) -> str | None:
    """Filter: store newlines as ``\\n`` whatever the browser sent."""
    return value.replace("\r\n", "\n").replace("\r", "\n") if value else value


class PlainText:
    """Refuse control characters; ``multiline`` allows line breaks and tabs."""

    def __init__(self, multiline: bool = False) -> None:
        self.pattern = _CONTROL if multiline else _CONTROL_OR_NEWLINE

    def __call__(self, form: object, field: Field) -> None:
        if field.data and self.pattern.search(field.data):
            raise ValidationError(
                _(
                    "%(label)s contains characters we cannot accept. "
                    "Remove any special or invisible characters and try again.",
                    label=field.label.text,
                )
            )


class LocalDayForm(FlaskForm):
    """A form with a day an organizer typed: ``time_zone`` is where "today" is judged."""

    def __init__(self, *args: object, time_zone: str | None = None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.time_zone = time_zone  # the demand's or race's, not the server's


class PastDay:
    """Refuse a day after today where the demand or race is, or before 2000 (a typo)."""

    def __init__(
        self,
        future: str = _l("The date cannot be in the future"),
        too_early: str = _l("Enter a real date, like 2026-03-03"),
    ) -> None:
        self.future, self.too_early = future, too_early

    def __call__(self, form: object, field: Field) -> None:
        if field.data and field.data > local_today(getattr(form, "time_zone", None)):
            raise ValidationError(self.future)
        if field.data and field.data < date(2000, 1, 1):
            raise ValidationError(self.too_early)


# Our own words, never email-validator's English explanation of what is wrong.
EMAIL_FORMAT = _l("Enter an email address in the correct format, like name@example.com")


class EmailAddress:
    """Check an address (email-validator, no network) and keep its cleaned form.

    A blank field passes: pair with DataRequired or Optional.
    """

    def __call__(self, form: object, field: Field) -> None:
        if not field.data:
            return
        try:
            field.data = check_email(field.data)
        except InvalidEmail as exc:
            raise ValidationError(EMAIL_FORMAT) from exc


class WebAddress:
    """Accept only whole http(s) addresses: they become links on public pages."""

    message = _l("Enter a web address starting with https://, like https://example.org")

    def __call__(self, form: object, field: Field) -> None:
        if not field.data:
            return
        PlainText()(form, field)
        try:
            parts = urlsplit(field.data)
        except ValueError:  # e.g. "http://[": urlsplit refuses a broken IPv6 host
            raise ValidationError(self.message) from None
        if parts.scheme not in ("http", "https") or not parts.netloc or " " in field.data:
            raise ValidationError(self.message)


# ASCII digits only: \d would also accept Arabic-Indic and other digits.
_ZIP = re.compile(r"[0-9]{5}")


def is_zip_code(text: str) -> bool:
    """Whether ``text`` is a 5-digit US ZIP code."""
    return bool(_ZIP.fullmatch(text))


class ZipCode:
    """Accept a 5-digit ZIP code. A blank field passes: pair with DataRequired or Optional."""

    message = _l("Enter a 5-digit ZIP code, like 70112")

    def __call__(self, form: object, field: Field) -> None:
        if field.data and not is_zip_code(field.data):
            raise ValidationError(self.message)


class WholeNumberField(IntegerField):
    """An IntegerField whose error says what to type, and that refuses absurd lengths.

    A number of hundreds of digits parses as an int, and then overflows
    where a validator compares it with a float (NumberRange calls isnan):
    anything longer than any setting could need is refused as input instead.
    """

    MAX_DIGITS = 15

    def process_formdata(self, valuelist: list[str]) -> None:
        if valuelist and len(valuelist[0].strip()) > self.MAX_DIGITS:
            self.data = None
            raise ValueError(_("Enter a smaller number, like 1000"))
        try:
            super().process_formdata(valuelist)
        except ValueError as exc:
            self.data = None
            raise ValueError(_("Enter a whole number, like 1000")) from exc


class SiteForm(FlaskForm):
    """The base of every form: WTForms' own messages in the page's language.

    A choice that was not offered or a malformed number gets WTForms' message
    ("Not a valid choice."), from its Spanish catalog on a Spanish page. The
    catalog is read once per language and process (WTForms caches it by
    ``locales``), not on every request as Flask-WTF's i18n would.
    """

    class Meta(FlaskForm.Meta):
        @property
        def locales(self) -> tuple[str, ...]:
            return (current_language(),)


class ActionForm(SiteForm):
    """A button that changes state: nothing to fill in, the session's CSRF token only."""


class TimeZoneField(SelectField):
    """A select of US time zones, then every IANA zone; only a zone this machine knows passes."""

    def __init__(self, label: str = _l("Time zone"), **kwargs: object) -> None:
        kwargs.setdefault("default", default_zone_name)
        super().__init__(label, choices=zone_choices(), validate_choice=False, **kwargs)

    def pre_validate(self, form: FlaskForm) -> None:
        if not is_valid_zone(self.data):
            raise ValidationError(_("Choose a time zone from the list, like America/Chicago"))
