"""The form for recording a target's answer to a demand."""

from wtforms import BooleanField, RadioField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from petition.forms import LocalDayForm, PastDay, PlainText, WebAddress, collapse_newlines, strip
from petition.models import AnswerKind
from petition.pledges.forms import DayField

SUMMARY_MAX = 2000


class TargetAnswerForm(LocalDayForm):
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
    answered_on = DayField(
        "Date",
        validators=[
            InputRequired("Enter the date"),
            PastDay(too_early="Enter a real date, like 2027-03-03"),
        ],
    )
    notify = BooleanField("Email this to signers who asked for updates")

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
