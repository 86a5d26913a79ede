"""Durations people read come from the configuration, worded by one filter."""

import re
from pathlib import Path

import pytest

from petition.templating import duration

from .helpers import links, path_of, post_form

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


@pytest.mark.parametrize(
    ("seconds", "words"),
    [
        (7 * 86400, "7 days"),
        (14 * 86400, "14 days"),
        (72 * 3600, "3 days"),
        (3600, "1 hour"),
        (5400, "90 minutes"),
        (86400, "1 day"),
        (45, "45 seconds"),
        (400 * 86400, "400 days"),
    ],
)
def test_a_number_of_seconds_is_worded_for_people(seconds, words):
    assert duration(seconds) == words


def test_no_template_writes_a_duration_out_by_hand():
    literal = re.compile(r"\b\d+\s+(?:seconds?|minutes?|hours?|days?|weeks?)\b")
    found = {
        str(path.relative_to(TEMPLATES)): literal.findall(path.read_text())
        for path in TEMPLATES.rglob("*")
        if path.suffix in (".html", ".txt")
    }
    assert {name: hits for name, hits in found.items() if hits} == {}


@pytest.mark.parametrize("app_config", [{"PETITION_CONFIRM_MAX_AGE": 2 * 86400}])
def test_a_changed_link_lifetime_is_what_the_page_and_the_email_say(
    app, client, make_campaign, outbox
):
    campaign = make_campaign()
    page = f"/c/{campaign.slug}"

    signed = post_form(
        client, page, f"{page}/sign", {"name": "Ana Ruiz", "email": "a@x.org", "zip_code": "75201"}
    )
    check_email = client.get(signed.headers["Location"]).get_data(as_text=True)
    [message] = outbox()

    assert "The link works for 2 days." in check_email
    assert "The link works for 2 days." in message.body_text
    assert "7 days" not in check_email + message.body_text
    assert any("/confirm/" in path_of(url) for url in links(message.body_text))
