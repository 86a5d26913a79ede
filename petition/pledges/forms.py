import re
from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import DateField, EmailField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from petition import i18n, slugs
from petition.forms import (
    EmailAddress,
    LocalDayForm,
    PastDay,
    PlainText,
    SiteForm,
    TimeZoneField,
    WebAddress,
    WholeNumberField,
    collapse_newlines,
    is_zip_code,
    strip,
)
from petition.models import Answer, ContactMethod
from petition.models.campaigns import DEFAULT_GOAL
from petition.pledges.services import BACKING_PREFIX

# A pledge's own demand is "pledge-" + its slug, which must fit in a slug too.
SLUG_MAX = slugs.MAX_LENGTH - len(BACKING_PREFIX)
MAX_ZIPS = 2000
STATEMENT_MAX = 2000

ANSWER_CHOICES = [
    SelectChoice(Answer.PLEDGED.value, _l("I take the pledge")),
    SelectChoice(Answer.DECLINED.value, _l("I decline")),
]


class DayField(DateField):
    """A date typed as YYYY-MM-DD (the browser's date picker), with a message for people."""

    def process_formdata(self, valuelist: list[str]) -> None:
        try:
            super().process_formdata(valuelist)
        except ValueError as exc:
            raise ValueError("Enter a real date, like 2026-11-03") from exc


class PledgeForm(SiteForm):
    title = StringField(
        "Title",
        filters=[strip],
        validators=[DataRequired("Enter a title"), Length(max=200), PlainText()],
    )
    slug = StringField(
        "Web address",
        filters=[strip],
        validators=[Optional()],
    )
    text = TextAreaField(
        "The pledge",
        filters=[strip, collapse_newlines],
        validators=[
            DataRequired("Enter the words candidates are asked to commit to"),
            Length(max=20000, message="Keep the pledge to 20,000 characters or fewer"),
            PlainText(multiline=True),
        ],
    )
    office = StringField(
        "Office",
        filters=[strip],
        validators=[
            DataRequired("Enter the office, like District Attorney"),
            Length(max=160),
            PlainText(),
        ],
    )
    jurisdiction = StringField(
        "Jurisdiction",
        filters=[strip],
        validators=[
            DataRequired("Enter where the race is, like New Orleans, LA"),
            Length(max=160),
            PlainText(),
        ],
    )
    election_date = DayField("Election date", validators=[InputRequired("Enter the election date")])
    time_zone = TimeZoneField()
    jurisdiction_zips = TextAreaField(
        "ZIP codes in the jurisdiction (optional)",
        filters=[strip],
        validators=[Optional(), Length(max=MAX_ZIPS * 7)],
    )
    campaign_slug = StringField(
        "Count the signers of an existing demand (optional)",
        filters=[strip],
        validators=[Optional(), Length(max=80), PlainText()],
    )
    supporter_goal = WholeNumberField(
        "Supporter goal",
        default=DEFAULT_GOAL,
        validators=[
            InputRequired(f"Enter a supporter goal, like {DEFAULT_GOAL}"),
            NumberRange(min=1, max=10_000_000, message="Enter a goal between 1 and 10,000,000"),
        ],
    )

    def validate_slug(self, field: StringField) -> None:
        if field.data and (problem := slugs.problem(field.data, SLUG_MAX)):
            raise ValidationError(problem)

    def validate_jurisdiction_zips(self, field: TextAreaField) -> None:
        codes = re.split(r"[\s,;]+", field.data or "")
        codes = [code for code in codes if code]
        bad = [code for code in codes if not is_zip_code(code)]
        if bad:
            raise ValidationError(f"“{bad[0][:20]}” is not a 5-digit ZIP code")
        if len(codes) > MAX_ZIPS:
            raise ValidationError(f"List at most {MAX_ZIPS:,} ZIP codes")
        field.data = " ".join(dict.fromkeys(codes))

    def validate_election_date(self, field: DayField) -> None:
        if field.data and not date(2000, 1, 1) <= field.data <= date(2100, 1, 1):
            raise ValidationError("Enter a real election date, like 2026-11-03")

    @property
    def zip_list(self) -> list[str]:
        return self.jurisdiction_zips.data.split() if self.jurisdiction_zips.data else []

    @property
    def chosen_slug(self) -> str:
        return self.slug.data or slugs.slugify(self.title.data or "", SLUG_MAX, fallback="")


class CandidateForm(SiteForm):
    name = StringField(
        "Name",
        filters=[strip],
        validators=[DataRequired("Enter the candidate's name"), Length(max=120), PlainText()],
    )
    party = StringField(
        "Party",
        filters=[strip],
        default="nonpartisan",
        validators=[Optional(), Length(max=80), PlainText()],
    )
    email = EmailField(
        "Email address (optional)",
        filters=[strip],
        validators=[Optional(), Length(max=254), PlainText(), EmailAddress()],
    )
    website = StringField(
        "Campaign website (optional)",
        filters=[strip],
        validators=[Optional(), Length(max=500), WebAddress()],
    )
    photo_url = StringField(
        "Photo address (optional)",
        filters=[strip],
        validators=[Optional(), Length(max=500), WebAddress()],
    )


class PhotoForm(SiteForm):
    # No FileAllowed: a filename proves nothing; petition.pledges.photos
    # checks what the bytes decode as.
    photo = FileField("Photo", validators=[FileRequired("Choose a photo to upload")])


class _AnswerFields(SiteForm):
    answer = RadioField(
        _l("Your answer"),
        choices=ANSWER_CHOICES,
        validators=[InputRequired(_l("Choose “I take the pledge” or “I decline”"))],
    )
    statement = TextAreaField(
        _l("Public statement (optional)"),
        filters=[strip, collapse_newlines],
        validators=[
            Optional(),
            Length(
                max=STATEMENT_MAX,
                message=_l(
                    "Keep the statement to %(count)s characters or fewer",
                    count=f"{STATEMENT_MAX:,}",
                ),
            ),
            PlainText(multiline=True),
        ],
    )


class RespondForm(_AnswerFields):
    """The candidate's own answer, through their private link."""


class RecordAnswerForm(_AnswerFields, LocalDayForm):
    """An answer the candidate gave elsewhere, recorded by the organizer."""

    answer = RadioField(
        "Their answer",
        choices=[
            SelectChoice(Answer.PLEDGED.value, "Pledged"),
            SelectChoice(Answer.DECLINED.value, "Declined"),
        ],
        validators=[InputRequired("Choose pledged or declined")],
    )
    statement = TextAreaField(
        "What they said, word for word (optional)",
        filters=[strip, collapse_newlines],
        validators=[
            Optional(),
            Length(
                max=STATEMENT_MAX,
                message=f"Keep the statement to {STATEMENT_MAX:,} characters or fewer",
            ),
            PlainText(multiline=True),
        ],
    )
    source_description = StringField(
        "Where they said it",
        filters=[strip],
        validators=[Optional(), Length(max=300), PlainText()],
    )
    source_url = StringField(
        "Link to the source (optional)",
        filters=[strip],
        validators=[Optional(), Length(max=500), WebAddress()],
    )
    answered_on = DayField(
        "Date they answered", validators=[InputRequired("Enter the date"), PastDay()]
    )

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        # Field validators stop at Optional() on an empty field, so the "one of
        # the two" rule lives here.
        if not self.source_description.data and not self.source_url.data:
            self.source_description.errors = [
                *self.source_description.errors,
                "Say where they answered, like “Candidate forum, Dillard University”",
            ]
            return False
        return valid


class HideStatementForm(SiteForm):
    reason = StringField(
        "Public note: why the statement is hidden",
        filters=[strip],
        validators=[
            DataRequired("Enter the reason, which is shown publicly"),
            Length(max=300, message="Keep the note to 300 characters or fewer"),
            PlainText(),
        ],
    )


class InviteForm(SiteForm):
    """Send the invitation, in the language the organizer chooses for this candidate."""

    # Each language named in itself, as the language switch names them.
    language = SelectField(
        _l("Language of the invitation"),
        choices=[SelectChoice(code, name) for code, name in i18n.NAMES.items()],
    )


class ContactForm(LocalDayForm):
    """The organizer asked a candidate in person or by phone (shown publicly as such)."""

    method = RadioField(
        "How you asked",
        choices=[
            SelectChoice(ContactMethod.IN_PERSON.value, "In person"),
            SelectChoice(ContactMethod.PHONE.value, "By phone"),
        ],
        validators=[InputRequired("Choose in person or by phone")],
    )
    contacted_on = DayField(
        "The day you asked", validators=[InputRequired("Enter the date"), PastDay()]
    )
