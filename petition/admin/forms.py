"""Admin forms."""

from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from petition.forms import PlainText, SiteForm, collapse_newlines, strip


class TakeDownForm(SiteForm):
    address = StringField(
        "Address of the demand or pledge",
        filters=[strip],
        validators=[
            DataRequired("Enter its address, like https://example.org/c/end-cash-bail"),
            Length(max=500, message="Enter the address of a demand or pledge page"),
            PlainText(),
        ],
    )
    reason = TextAreaField(
        "Reason (shown publicly, and emailed to the organizers)",
        filters=[strip, collapse_newlines],
        validators=[
            DataRequired("Say why: the public notice shows it"),
            Length(max=500, message="Keep the reason to 500 characters or fewer"),
            PlainText(multiline=True),
        ],
    )
