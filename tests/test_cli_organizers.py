"""``flask organizers create``: confirmed accounts from deployment scripts."""

import sqlalchemy as sa
from werkzeug.security import check_password_hash

from petition import cli
from petition.extensions import db
from petition.models import User

PASSWORD = "a long deploy passphrase"


def accounts(app) -> list[User]:
    with app.app_context():
        found = list(db.session.scalars(sa.select(User).order_by(User.id)))
        db.session.expunge_all()
        return found


def test_create_reads_the_password_from_piped_stdin(app, runner, outbox):
    result = runner.invoke(
        args=["organizers", "create", "Dana@Example.org", "--name", "Dana Whitfield"],
        input=f"{PASSWORD}\nignored second line\n",
    )

    assert result.exit_code == 0, result.output
    assert "Created organizer account Dana@example.org" in result.output
    [user] = accounts(app)
    assert user.email_normalized == "dana@example.org"
    assert user.name == "Dana Whitfield"
    assert user.role == "organizer"
    assert user.confirmed_at is not None
    assert check_password_hash(user.password_hash, PASSWORD)
    assert outbox() == [], "a command-line account needs no confirmation email"


def test_created_account_can_log_in_through_the_form(app, runner, client):
    from .helpers import post_form

    runner.invoke(args=["organizers", "create", "dana@example.org"], input=PASSWORD)

    response = post_form(
        client, "/login", "/login", {"email": "dana@example.org", "password": PASSWORD}
    )

    assert response.status_code == 303


def test_create_admin(app, runner):
    result = runner.invoke(
        args=["organizers", "create", "mod@example.org", "--admin"], input=PASSWORD
    )

    assert result.exit_code == 0, result.output
    assert [user.is_admin for user in accounts(app)] == [True]


def test_create_refuses_a_short_password(app, runner):
    result = runner.invoke(args=["organizers", "create", "dana@example.org"], input="short\n")

    assert result.exit_code != 0
    assert "The password must be 10 to 200 characters long." in result.output
    assert accounts(app) == []


def test_create_refuses_an_existing_email(app, runner, make_user):
    make_user("dana@example.org")

    result = runner.invoke(args=["organizers", "create", "DANA@example.org"], input=PASSWORD)

    assert result.exit_code != 0
    assert "An account for DANA@example.org already exists." in result.output
    assert len(accounts(app)) == 1


def test_create_refuses_a_malformed_email(app, runner):
    result = runner.invoke(args=["organizers", "create", "not-an-email"], input=PASSWORD)

    assert result.exit_code != 0
    assert "is not a valid email address" in result.output
    assert accounts(app) == []


def test_create_prompts_twice_with_hidden_input_on_a_terminal(app, runner, monkeypatch):
    monkeypatch.setattr(cli, "_stdin_is_terminal", lambda: True)

    result = runner.invoke(
        args=["organizers", "create", "dana@example.org"], input=f"{PASSWORD}\n{PASSWORD}\n"
    )

    assert result.exit_code == 0, result.output
    assert "Password:" in result.output
    assert "Repeat for confirmation:" in result.output
    assert PASSWORD not in result.output
    assert len(accounts(app)) == 1


def test_create_refuses_an_overlong_name(app, runner):
    result = runner.invoke(
        args=["organizers", "create", "dana@example.org", "--name", "x" * 101], input=PASSWORD
    )

    assert result.exit_code != 0
    assert "The name must be 100 characters or fewer." in result.output
    assert accounts(app) == []
