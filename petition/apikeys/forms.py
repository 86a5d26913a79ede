from wtforms import StringField
from wtforms.validators import DataRequired, Length

from petition.forms import PlainText, SiteForm, strip


class ApiKeyForm(SiteForm):
    name = StringField(
        "What is this key for?",
        filters=[strip],
        validators=[
            DataRequired("Enter a name for the key, like the tool that will use it"),
            Length(max=100, message="Enter a name of 100 characters or fewer"),
            PlainText(),
        ],
    )
