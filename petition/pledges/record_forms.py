"""Forms for the election result and the promise record."""

from datetime import date

from flask_wtf import FlaskForm
from wtforms import BooleanField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, ValidationError

from petition.forms import PlainText, WebAddress, collapse_newlines, strip
from petition.localtime import local_today
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


class ResultForm(FlaskForm):
    """Who won the race; the choices are the pledge's candidates, set by the view."""

    winner = RadioField("Who won", coerce=int, validators=[InputRequired("Choose who won")])
    source_url = source_field("Link to the official result or a news report")


class EvidenceForm(FlaskForm):
    happened_on = DayField("When it happened", validators=[InputRequired("Enter the date")])
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

    def __init__(self, *args: object, time_zone: str | None = None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.time_zone = time_zone  # the race's or demand's: "today" is today there

    def validate_happened_on(self, field: DayField) -> None:
        if field.data and field.data > local_today(self.time_zone):
            raise ValidationError("The date cannot be in the future")
        if field.data and field.data < date(2000, 1, 1):
            raise ValidationError("Enter a real date, like 2027-03-03")
