"""The fuzz pass: every URL and form, sent garbage, answers 4xx or better, never 5xx.

The routes come from the URL map, so a new route is fuzzed without a line
here. Each is requested with its real ids and with odd ones (zero, negative,
past 64 bits, not numbers, NUL, invalid UTF-8, very long), and every form
field the site renders is posted NUL bytes, invalid UTF-8, huge numbers and a
64 KiB value, anonymously and as a logged-in organizer (an admin) who owns the
demand, with a valid CSRF token so the forms are really processed.
"""

import re
from urllib.parse import quote

import pytest
import sqlalchemy as sa

from petition.extensions import db
from petition.models import CampaignOrganizer, PledgeResponse
from petition.tokens import signature_confirm_token

from .fixtures_accounts import log_in
from .helpers import SAME_ORIGIN

ODD_IDS = ["0", "-1", "9223372036854775808", "1" * 40, "abc", "%00", "%FF%FE"]
ODD_TEXT = ["%00", "%FF%FE", "a" * 300, "..%2F..%2Fetc", "%E2%80%AEx", "x%0Ay"]
# Percent-encoded form values, as a browser (or anything else) could send them.
BODIES = {
    "NUL bytes": "%00a%00",
    "invalid UTF-8": "%FF%FE%C3%28",
    "huge number": "9" * 400,
    "negative": "-99999999999999999999",
    "not a number": "1e309",
    "64 KiB": "a" * (64 * 1024),
}
_FIELD = re.compile(r'<(?:input|textarea|select)[^>]*\bname="([^"]+)"')
_CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


@pytest.fixture
def site(app, client, make_user, make_owned_campaign, add_co_organizer, add_signature, make_pledge):
    """An admin who owns a live demand (with a signer and a co-organizer) and a pledge."""
    owner = make_user("owner@example.org", admin=True)
    campaign = make_owned_campaign(owner, slug="fuzzed")
    add_co_organizer(campaign, make_user("co@example.org"))
    signature_id = add_signature(campaign, comment="A comment")
    pledge = make_pledge(owner=owner)
    with app.app_context():
        co_organizer_id = db.session.scalar(sa.select(CampaignOrganizer.id))
        response_id = db.session.scalar(sa.select(PledgeResponse.id)) or 1
        token = signature_confirm_token(signature_id)
    real = {
        "campaign_id": str(campaign.id),
        "co_organizer_id": str(co_organizer_id),
        "pledge_id": str(pledge.id),
        "candidate_id": str(pledge.candidate_ids[0]),
        "response_id": str(response_id),
        "token": token,
        "filename": "css/site.css",
    }
    return owner, campaign, pledge, real


def paths(app, real, campaign, pledge) -> list[tuple[str, str, str]]:
    """Return (method, path, what) for every rule: its real arguments, then odd ones."""
    found = []
    for rule in app.url_map.iter_rules():
        methods = sorted(rule.methods - {"HEAD", "OPTIONS"})
        slug = pledge.slug if rule.rule.startswith("/p/") else campaign.slug
        values = {**real, "slug": slug}
        # An id this site does not hold (a webhook endpoint, an evidence entry...) is tried
        # as 1: a route added later is fuzzed too, whether or not 1 exists.
        variants = [("real", {name: values.get(name, "1") for name in rule.arguments})]
        for name in rule.arguments:
            odd = ODD_IDS if name.endswith("_id") else ODD_TEXT
            variants += [(f"{name}={value}", {**variants[0][1], name: value}) for value in odd]
        for what, arguments in variants:
            path = re.sub(
                r"<(?:[^:>]*:)?([^>]+)>", lambda m, given=arguments: given[m.group(1)], rule.rule
            )
            found += [(method, path, what) for method in methods]
    return found


def body(fields: set[str], value: str, csrf: str | None) -> str:
    pairs = [f"{quote(name)}={value}" for name in sorted(fields) if name != "csrf_token"]
    if csrf:
        pairs.append(f"csrf_token={csrf}")
    return "&".join(pairs)


@pytest.mark.parametrize("logged_in", [False, True], ids=["anonymous", "organizer"])
def test_no_url_or_form_answers_5xx_to_garbage(app, client, site, logged_in):
    owner, campaign, pledge, real = site
    app.config["MAX_CONTENT_LENGTH"] = app.config["MAX_CONTENT_LENGTH"]  # as in production
    failures: list[str] = []
    fields: set[str] = {"name", "email", "password", "title", "slug", "answer", "rule"}

    def request(method: str, path: str, **kwargs):
        if logged_in:
            log_in(client, owner)  # /logout and password changes must not end the run
        try:
            response = client.open(path, method=method, headers=SAME_ORIGIN, **kwargs)
        except Exception as exc:  # TESTING propagates what would be a 500
            failures.append(f"{method} {path[:120]}: {type(exc).__name__}: {exc}"[:400])
            return None
        # Read and close: streamed answers (CSV exports, files) end their request here.
        text = response.get_data().decode("utf-8", "replace")
        response.close()
        if response.status_code >= 500:
            failures.append(f"{method} {path[:120]}: {response.status_code}")
        return text

    every = paths(app, real, campaign, pledge)
    # Every field name the site renders, read from its pages as the organizer sees them.
    log_in(client, owner)
    for method, path, what in every:
        if method == "GET" and what == "real":
            with client.get(path) as response:
                # Cards, icons and photos are bytes: only pages have fields to find.
                fields |= set(_FIELD.findall(response.get_data().decode("utf-8", "replace")))
    assert len(fields) > 30, fields
    if not logged_in:
        client.delete_cookie("session")
        assert client.get("/dashboard").status_code == 302
    form_page = "/dashboard/campaigns/new" if logged_in else "/login"
    csrf = _CSRF.search(client.get(form_page).get_data(as_text=True)).group(1)
    for method, path, what in every:
        if method == "GET":
            request("GET", path)
            request("GET", f"{path}?next=%FF%00&page=-1&q=" + "9" * 400)
            continue
        for name, value in BODIES.items():
            if what != "real" and name != "NUL bytes":
                continue  # odd ids with one body; real ids with every body
            request(
                "POST",
                path,
                data=body(fields, value, csrf),
                content_type="application/x-www-form-urlencoded",
            )
    assert failures == []


@pytest.mark.parametrize(
    ("page", "field"),
    [("/dashboard/pledges/new", "supporter_goal"), ("/dashboard/campaigns/new", "signature_goal")],
)
def test_a_goal_hundreds_of_digits_long_is_a_form_error(client, make_user, page, field):
    log_in(client, make_user())
    csrf = _CSRF.search(client.get(page).get_data(as_text=True)).group(1)

    response = client.post(page, data={"csrf_token": csrf, "title": "Goal", field: "9" * 400})

    assert response.status_code == 422
    assert "Enter a smaller number, like 1000" in response.get_data(as_text=True)
