"""The form for recording a target's answer to a demand."""

from datetime import date

from flask_wtf import FlaskForm
from wtforms import BooleanField, RadioField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from petition.forms import PlainText, WebAddress, collapse_newlines, strip
from petition.localtime import local_today
from petition.models import AnswerKind
from petition.pledges.forms import DayField

SUMMARY_MAX = 2000


class TargetAnswerForm(FlaskForm):
    kind = RadioField(
        "How they answered",
        choices=[SelectChoice(kind.value, kind.label) for kind in AnswerKind],
        validators=[InputRequired("Choose how they answered")],
    )
    summary = TextAreaField(
        "What they said or did",
        filters=[strip, collapse_newlines],
        validators=[
            DataRequired("Say what happened, in a sentence or two"),
            Length(max=SUMMARY_MAX, message=f"Keep it to {SUMMARY_MAX:,} characters or fewer"),
            PlainText(multiline=True),
        ],
    )
    source_url = StringField(
        "Link to the source",
        filters=[strip],
        validators=[Optional(), Length(max=500), WebAddress()],
    )
    answered_on = DayField("Date", validators=[InputRequired("Enter the date")])
    notify = BooleanField("Email this to signers who asked for updates")

    def __init__(self, *args: object, time_zone: str | None = None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.time_zone = time_zone  # the demand's: "today" is today there

    def validate_answered_on(self, field: DayField) -> None:
        if field.data and field.data > local_today(self.time_zone):
            raise ValidationError("The date cannot be in the future")
        if field.data and field.data < date(2000, 1, 1):
            raise ValidationError("Enter a real date, like 2027-03-03")

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        # Optional() stops the field's own validators on an empty value.
        if self.kind.data != AnswerKind.NO_RESPONSE and not self.source_url.data:
            self.source_url.errors = [
                *self.source_url.errors,
                "Enter a link to the source, so readers can check the answer",
            ]
            return False
        return valid
