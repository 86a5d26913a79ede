from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, HiddenField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from petition.forms import EmailAddress, PlainText, SiteForm, ZipCode, collapse_newlines, strip
from petition.i18n import current_language
from petition.signing.services import SignatureDetails
from petition.tokens import sign_form_started_token


class SignForm(SiteForm):
    class Meta:
        # The campaign page is cached and cookie-free: the sign views are
        # protected by petition.security.same_origin instead of a session token.
        csrf = False

    name = StringField(
        _l("Full name"),
        filters=[strip],
        validators=[
            DataRequired(_l("Enter your name")),
            Length(max=100, message=_l("Enter a name of 100 characters or fewer")),
            PlainText(),
        ],
    )
    email = EmailField(
        _l("Email address"),
        filters=[strip],
        validators=[
            DataRequired(_l("Enter your email address")),
            Length(max=254, message=_l("Enter an email address of 254 characters or fewer")),
            PlainText(),
            EmailAddress(),
        ],
    )
    zip_code = StringField(
        _l("ZIP code"),
        filters=[strip],
        validators=[DataRequired(_l("Enter your 5-digit ZIP code")), PlainText(), ZipCode()],
    )
    comment = TextAreaField(
        _l("Why are you signing? (optional)"),
        filters=[strip, collapse_newlines],
        validators=[
            Optional(),
            Length(max=500, message=_l("Keep your comment to 500 characters or fewer")),
            PlainText(multiline=True),
        ],
    )
    show_publicly = BooleanField(_l("Show my first name, last initial and ZIP area publicly"))
    wants_updates = BooleanField(_l("Email me updates about this demand"))
    # Abuse rules (petition.signing.rules): a field hidden from people, which
    # only scripts fill in, and the signed moment the form was served.
    homepage = StringField(_l("Leave this field empty"), filters=[strip])
    started = HiddenField(default=sign_form_started_token)

    def __init__(self, *args: object, zip_required: bool = True, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        if not zip_required:
            self.zip_code.validators = [Optional(), PlainText(), ZipCode()]
            self.zip_code.label.text = _l("ZIP code (optional)")
            self.zip_code.flags.required = False

    def details(self, held_by: str | None = None) -> SignatureDetails:
        """Return the validated submission as the signing workflow's input."""
        return SignatureDetails(
            held_by=held_by,
            name=self.name.data,
            email=self.email.data,
            zip_code=self.zip_code.data or None,
            comment=self.comment.data or None,
            wants_updates=self.wants_updates.data,
            show_publicly=self.show_publicly.data,
            language=current_language(),
        )
