from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, ValidationError

from petition.auth.services import PASSWORD_MAX, PASSWORD_MIN
from petition.emails import InvalidEmail, check_email
from petition.forms import PlainText, strip

_EMAIL_FORMAT = "Enter an email address in the correct format, like name@example.com"


def _email_field() -> EmailField:
    return EmailField(
        "Email address",
        filters=[strip],
        validators=[
            DataRequired("Enter your email address"),
            Length(max=254, message="Enter an email address of 254 characters or fewer"),
            PlainText(),
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


class _CheckedEmail:
    def validate_email(self, field: StringField) -> None:
        try:
            field.data = check_email(field.data)
        except InvalidEmail as exc:
            raise ValidationError(_EMAIL_FORMAT) from exc


class RegisterForm(_CheckedEmail, FlaskForm):
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


class LoginForm(FlaskForm):
    # No format check: a malformed address simply matches no account, and
    # gets the same answer as any other failed login.
    email = _email_field()
    password = PasswordField("Password", validators=[InputRequired("Enter your password")])


class ForgotPasswordForm(_CheckedEmail, FlaskForm):
    email = _email_field()


class ResetPasswordForm(FlaskForm):
    password = _new_password_field("New password")
