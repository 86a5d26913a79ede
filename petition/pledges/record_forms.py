"""Forms for the election result and the promise record."""

from wtforms import BooleanField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length

from petition.forms import (
    LocalDayForm,
    PastDay,
    PlainText,
    SiteForm,
    WebAddress,
    collapse_newlines,
    strip,
)
from petition.models import Rating
from petition.pledges.forms import DayField

SUMMARY_MAX = 2000
SOURCE_REQUIRED = "Enter a link to the source, so readers can check it"


def source_field(label: str = "Link to the source") -> StringField:
    return StringField(
        label,
        filters=[strip],
        validators=[DataRequired(SOURCE_REQUIRED), Length(max=500), WebAddress()],
    )


class ResultForm(SiteForm):
    """Who won the race; the choices are the pledge's candidates, set by the view."""

    winner = RadioField("Who won", coerce=int, validators=[InputRequired("Choose who won")])
    source_url = source_field("Link to the official result or a news report")


class EvidenceForm(LocalDayForm):
    happened_on = DayField(
        "When it happened",
        validators=[
            InputRequired("Enter the date"),
            PastDay(too_early="Enter a real date, like 2027-03-03"),
        ],
    )
    summary = TextAreaField(
        "What happened",
        filters=[strip, collapse_newlines],
        validators=[
            DataRequired("Say what the official did, in a sentence or two"),
            Length(max=SUMMARY_MAX, message=f"Keep it to {SUMMARY_MAX:,} characters or fewer"),
            PlainText(multiline=True),
        ],
    )
    source_url = source_field()
    rating = SelectField(
        "Rating after this",
        choices=[SelectChoice(rating.value, rating.label) for rating in Rating],
        validators=[InputRequired("Choose a rating")],
    )
    notify = BooleanField("Email this to supporters who asked for updates")
