from wtforms import EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, InputRequired, Length

from petition.auth.services import PASSWORD_MAX, PASSWORD_MIN
from petition.forms import EmailAddress, PlainText, SiteForm, strip


def _email_field(*, checked: bool = True) -> EmailField:
    return EmailField(
        "Email address",
        filters=[strip],
        validators=[
            DataRequired("Enter your email address"),
            Length(max=254, message="Enter an email address of 254 characters or fewer"),
            PlainText(),
            *([EmailAddress()] if checked else []),
        ],
    )


def _new_password_field(label: str) -> PasswordField:
    # Passwords are never stripped or otherwise changed: every character counts.
    return PasswordField(
        label,
        validators=[
            InputRequired("Enter a password"),
            Length(
                min=PASSWORD_MIN,
                max=PASSWORD_MAX,
                message=f"Enter a password of {PASSWORD_MIN} to {PASSWORD_MAX} characters",
            ),
        ],
    )


class RegisterForm(SiteForm):
    name = StringField(
        "Your name",
        filters=[strip],
        validators=[
            DataRequired("Enter your name"),
            Length(max=100, message="Enter a name of 100 characters or fewer"),
            PlainText(),
        ],
    )
    email = _email_field()
    password = _new_password_field("Create a password")


class LoginForm(SiteForm):
    # No format check: a malformed address simply matches no account, and
    # gets the same answer as any other failed login.
    email = _email_field(checked=False)
    password = PasswordField("Password", validators=[InputRequired("Enter your password")])


class ConfirmAccountForm(SiteForm):
    # Confirming proves the mailbox; the password proves who registered. Both
    # are needed, or whoever registered a stranger's address first would get
    # in the moment the stranger pressed the button (issue 9, finding 2).
    password = PasswordField(
        "The password you chose when you registered",
        validators=[InputRequired("Enter the password you chose when you registered")],
    )


class ForgotPasswordForm(SiteForm):
    email = _email_field()


class ResetPasswordForm(SiteForm):
    password = _new_password_field("New password")
