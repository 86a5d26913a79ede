"""Invisible characters cannot disguise a name, a title or a comment."""

import importlib
import pkgutil

import pytest
import sqlalchemy as sa
from flask_wtf import FlaskForm
from wtforms import HiddenField, PasswordField, StringField

import petition
from petition.extensions import db
from petition.forms import strip
from petition.models import Campaign, Signature

from .fixtures_accounts import log_in
from .helpers import post_form
from .test_organizers_editor import NEW, campaign_form

RLO, PDF, ZWSP, ZWJ, LRI, PDI, BOM = (
    "\u202e",
    "\u202c",
    "\u200b",
    "\u200d",
    "\u2066",
    "\u2069",
    "\ufeff",
)


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        (f"Maria {RLO}sotnaS{PDF}", "Maria sotnaS"),
        (f"Ma{ZWSP}ria", "Maria"),
        (f"{BOM}Dana{LRI}x{PDI}", "Danax"),
        ("a\u200eb\u200fc\u061cd\u2060e", "abcde"),
        (f"a{ZWJ}b", "ab"),
        ("José Peña Muñoz, ¡sí se puede!", "José Peña Muñoz, ¡sí se puede!"),
        (f"Family 👨{ZWJ}👩{ZWJ}👧 and 👩🏽{ZWJ}💻", f"Family 👨{ZWJ}👩{ZWJ}👧 and 👩🏽{ZWJ}💻"),
        (f"  {ZWSP} padded {RLO} ", "padded"),
    ],
)
def test_bidi_controls_and_zero_width_characters_are_dropped(typed, kept):
    assert strip(typed) == kept


def all_forms() -> list[type[FlaskForm]]:
    for module in pkgutil.walk_packages(petition.__path__, "petition."):
        importlib.import_module(module.name)
    found, todo = [], [FlaskForm]
    while todo:
        cls = todo.pop()
        todo.extend(cls.__subclasses__())
        if cls.__module__.startswith("petition."):
            found.append(cls)
    return found


def test_every_text_field_of_every_form_drops_invisible_characters():
    unfiltered = []
    for form in all_forms():
        for name in dir(form):
            unbound = getattr(form, name)
            field_class = getattr(unbound, "field_class", None)
            if field_class is None or not issubclass(field_class, StringField):
                continue
            if issubclass(field_class, PasswordField | HiddenField):
                continue  # compared or machine-written, never shown
            if strip not in unbound.kwargs.get("filters", ()):
                unfiltered.append(f"{form.__module__}.{form.__name__}.{name}")
    assert all_forms(), "the forms were found"
    assert unfiltered == []


def test_a_signers_name_and_comment_are_stored_without_them(app, client, make_campaign):
    campaign = make_campaign()
    page = f"/c/{campaign.slug}"
    fields = {
        "name": f"Maria {RLO}sotnaS",
        "email": "maria@example.org",
        "zip_code": "70112",
        "comment": f"Free{ZWSP}dom {LRI}now{PDI}",
    }
    assert post_form(client, page, f"{page}/sign", fields).status_code == 303
    with app.app_context():
        signature = db.session.scalar(sa.select(Signature))
        assert (signature.name, signature.comment) == ("Maria sotnaS", "Freedom now")


def test_a_name_of_nothing_but_invisible_characters_is_refused(app, client, make_campaign):
    campaign = make_campaign()
    page = f"/c/{campaign.slug}"
    fields = {"name": RLO + ZWSP, "email": "maria@example.org", "zip_code": "70112"}
    response = post_form(client, page, f"{page}/sign", fields)
    assert response.status_code == 422
    assert "Enter your name" in response.get_data(as_text=True)


def test_a_demands_title_is_stored_without_them(app, client, make_user):
    log_in(client, make_user("organizer@example.org"))
    post_form(client, NEW, NEW, campaign_form(title=f"Stop {RLO}gnitucesorP{PDF} Poverty"))
    with app.app_context():
        assert db.session.scalar(sa.select(Campaign.title)) == "Stop gnitucesorP Poverty"
