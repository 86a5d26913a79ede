"""CSV exports: who is in them, which emails, and no formulas for spreadsheets."""

import csv
import io

import pytest

from petition.organizers.exports import defuse

from .fixtures_accounts import log_in
from .helpers import csrf_token


@pytest.fixture
def owned(client, make_user, make_owned_campaign):
    owner = make_user()
    log_in(client, owner)
    return make_owned_campaign(owner)


def post_export(client, campaign, which="export.csv"):
    """Press the download button on the campaign page (a POST: downloads are audited)."""
    token = csrf_token(client, "/dashboard/campaigns/new")
    return client.post(f"/dashboard/campaigns/{campaign.id}/{which}", data={"csrf_token": token})


def download(client, campaign, which="export.csv") -> list[dict[str, str]]:
    response = post_export(client, campaign, which)
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    assert response.headers["Cache-Control"] == "no-store"
    assert response.is_streamed
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))


def test_the_export_lists_confirmed_signatures_only(client, owned, add_signature, frozen_clock):
    add_signature(owned, name="Ana Confirmed", zip_code="70112", comment="For my son")
    add_signature(owned, name="Pat Pending", confirmed=False)
    add_signature(owned, name="Wes Withdrawn", withdrawn=True)

    rows = download(client, owned)

    assert rows == [
        {
            "name": "Ana Confirmed",
            "zip_code": "70112",
            "comment": "For my son",
            "signed_on": "2026-03-03",
            "email": "",
        }
    ]


def test_emails_appear_only_for_signers_who_opted_in_and_did_not_unsubscribe(
    client, owned, add_signature
):
    add_signature(owned, name="Opted In", email="in@example.net", wants_updates=True)
    add_signature(owned, name="Never Asked", email="no@example.net", wants_updates=False)
    add_signature(
        owned, name="Said Stop", email="stop@example.net", wants_updates=True, unsubscribed=True
    )

    response = post_export(client, owned)
    text = response.get_data(as_text=True)
    emails = {row["name"]: row["email"] for row in csv.DictReader(io.StringIO(text))}

    assert emails == {"Opted In": "in@example.net", "Never Asked": "", "Said Stop": ""}
    assert "no@example.net" not in text
    assert "stop@example.net" not in text


def test_the_delivery_export_has_names_zips_and_comments_and_no_emails(
    client, owned, add_signature
):
    add_signature(owned, name="Opted In", email="in@example.net", wants_updates=True, comment="Yes")

    response = post_export(client, owned, "export-delivery.csv")
    text = response.get_data(as_text=True)

    assert list(csv.DictReader(io.StringIO(text))) == [
        {"name": "Opted In", "zip_code": "70112", "comment": "Yes"}
    ]
    assert "@" not in text


def test_cells_that_a_spreadsheet_would_run_as_formulas_are_defused(client, owned, add_signature):
    add_signature(owned, name='=HYPERLINK("http://evil")', comment="+1 from me", zip_code=None)
    add_signature(owned, name="@SUM(A1)", comment="-2+3")

    rows = download(client, owned)
    delivery = download(client, owned, "export-delivery.csv")

    assert [row["name"] for row in rows] == ['\'=HYPERLINK("http://evil")', "'@SUM(A1)"]
    assert [row["comment"] for row in rows] == ["'+1 from me", "'-2+3"]
    assert [row["name"] for row in delivery] == ['\'=HYPERLINK("http://evil")', "'@SUM(A1)"]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@x", "'@x"),
        ("\t=1", "'\t=1"),
        ("Maria", "Maria"),
        ("a=b", "a=b"),
        (None, ""),
    ],
)
def test_defuse(value, expected):
    assert defuse(value) == expected


def test_comments_with_commas_quotes_and_newlines_survive_the_round_trip(
    client, owned, add_signature
):
    comment = 'He said, "no bail"\nand meant it'
    add_signature(owned, comment=comment)
    [row] = download(client, owned)
    assert row["comment"] == comment


def test_an_empty_campaign_exports_just_the_header(client, owned):
    response = post_export(client, owned)
    assert response.get_data(as_text=True).strip() == "name,zip_code,comment,signed_on,email"
