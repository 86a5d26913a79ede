"""Every public page and every supporter's or candidate's mail, read in Spanish: no English.

The pages come from the URL map: each GET rule outside the dashboard, admin,
API and static files is either read here (with a path built from a movement
written in Spanish, see tests/fixtures_spanish.py) or excused with a reason,
so a new public page fails this test until it is read in Spanish or excused.
A page is read as a Spanish reader meets it (``english_words``, tests/spanish.py)
and must say it is Spanish (``<html lang="es">``).
"""

import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from petition.extensions import db
from petition.models import (
    Campaign,
    CampaignStatus,
    Candidate,
    EvidenceEntry,
    OutboxMessage,
    Rating,
    Signature,
    TargetAnswer,
    User,
)
from petition.organizers.answers import announce_answer
from petition.pledges.records import announce_evidence
from petition.pledges.services import invite, remind
from petition.tokens import signature_confirm_token, signature_withdraw_token, unsubscribe_token

from .fixtures_spanish import UPDATE_SUBJECT, SpanishMovement, page_language, without_links
from .helpers import SAME_ORIGIN, csrf_token, read_outbox
from .spanish import SPANISH, english_words

# Not read for pages: programs' and organizers' parts of the site.
NOT_PUBLIC_PREFIXES = ("/dashboard", "/admin", "/api/", "/static/")

# Public GET endpoints that are not pages a supporter reads, each with the reason.
EXCUSED = {
    "campaigns.count": "JSON for the live counter",
    "campaigns.history": "JSON for the chart",
    "pledges.count": "JSON for the live counter",
    # The words drawn on a card are its og:image:alt, read on the demand's and pledge's page.
    "sharing.campaign_card_png": "an image; its words are read as the demand page's alt text",
    "sharing.pledge_card_png": "an image; its words are read as the pledge page's alt text",
    "sharing.apple_touch_icon": "an image",
    "sharing.favicon": "an image",
    "pledges.candidate_photo": "an image",
    "signing.sign_campaign_page": "redirects to the demand's page",
    "pledges.back_page": "redirects to the pledge's page",
    "language.switch_page": "redirects to the front page",
    "devmail.mailbox": "the development mailbox, off in production",
    "auth.login": "organizer accounts, not a supporter's page",
    "auth.register_account": "organizer accounts, not a supporter's page",
    "auth.check_email": "organizer accounts, not a supporter's page",
    "auth.forgot_password": "organizer accounts, not a supporter's page",
    "auth.reset_password": "organizer accounts, not a supporter's page",
    "auth.confirm": "organizer accounts, not a supporter's page",
    "auth.account": "organizer accounts, not a supporter's page",
}

# The pages a Spanish reader can meet, each as a path built from the movement.
Paths = dict[str, str]
PAGES: dict[str, Callable[[SpanishMovement, Paths], str]] = {
    "campaigns.home": lambda m, t: "/",
    "campaigns.victories": lambda m, t: "/victories",
    "campaigns.show": lambda m, t: m.campaign_path,
    "campaigns.record": lambda m, t: f"{m.campaign_path}/record",
    "campaigns.revisions": lambda m, t: f"{m.campaign_path}/revisions",
    "sharing.campaign_embed": lambda m, t: f"{m.campaign_path}/embed",
    "sharing.campaign_poster": lambda m, t: f"{m.campaign_path}/poster",
    "signing.check_email": lambda m, t: f"{m.campaign_path}/check-email",
    "signing.fix_address": lambda m, t: f"{m.campaign_path}/check-email/fix",
    "signing.thanks": lambda m, t: f"{m.campaign_path}/thanks",
    "signing.confirm": lambda m, t: t["confirm"],
    "signing.withdraw": lambda m, t: t["withdraw"],
    "signing.unsubscribe": lambda m, t: t["unsubscribe"],
    "privacy.show": lambda m, t: "/privacy",
    "pledges.show": lambda m, t: m.pledge_path,
    "pledges.record": lambda m, t: f"{m.pledge_path}/record",
    "pledges.check_email": lambda m, t: f"{m.pledge_path}/check-email",
    "pledges.fix_address": lambda m, t: f"{m.pledge_path}/check-email/fix",
    "sharing.pledge_poster": lambda m, t: f"{m.pledge_path}/poster",
    "pledges.respond": lambda m, t: m.respond_path,
}

SIGNER = {"name": "Marisol Reyes", "email": "marisol@example.org", "zip_code": "70112"}
BACKER = {"name": "Tomás Herrera", "email": "tomas@example.org", "zip_code": "70113"}


def public_get_endpoints(app) -> set[str]:
    return {
        rule.endpoint
        for rule in app.url_map.iter_rules()
        if "GET" in rule.methods and not rule.rule.startswith(NOT_PUBLIC_PREFIXES)
    }


def test_every_public_page_is_read_in_spanish_or_excused(app):
    assert PAGES.keys().isdisjoint(EXCUSED)
    assert public_get_endpoints(app) == PAGES.keys() | EXCUSED.keys(), (
        "a public page was added or removed: read it in PAGES, or excuse it in EXCUSED"
    )


def signing_tokens(app, email: str) -> Paths:
    with app.app_context():
        signature = db.session.scalar(
            sa.select(Signature).where(Signature.email == email).order_by(Signature.id.desc())
        )
        nonce = signature.token_nonce
        return {
            "confirm": f"/confirm/{signature_confirm_token(signature.id, nonce)}",
            "withdraw": f"/withdraw/{signature_withdraw_token(signature.id, nonce)}",
            "unsubscribe": f"/unsubscribe/{unsubscribe_token(signature.id, nonce)}",
        }


def post_in_spanish(client, path: str, data: dict[str, str]):
    """Post a supporter's form from a Spanish browser (supporter forms carry no CSRF token)."""
    return client.post(path, data=data, headers={**SPANISH, **SAME_ORIGIN})


def read(client, path: str, **kwargs) -> tuple[int, str]:
    response = client.get(path, headers=SPANISH, **kwargs)
    return response.status_code, response.get_data(as_text=True)


def test_every_public_page_has_no_english_in_spanish(app, spanish_movement):
    movement, client = spanish_movement, app.test_client()
    # Sign the demand and back the pledge in Spanish, so the check-email pages have
    # someone to speak to and there is a signature to confirm, withdraw or unsubscribe.
    client.get("/", headers=SPANISH)
    post_in_spanish(client, f"{movement.campaign_path}/sign", SIGNER)
    post_in_spanish(client, f"{movement.pledge_path}/back", BACKER)
    tokens = signing_tokens(app, SIGNER["email"])

    found = {}
    for endpoint, path_for in PAGES.items():
        status, html = read(client, path_for(movement, tokens))
        found[endpoint] = (status, page_language(html), english_words(html))

    assert found == dict.fromkeys(PAGES, (200, "es", []))


def test_a_confirmed_signers_pages_have_no_english_in_spanish(app, spanish_movement):
    """After confirming: the confirm link again (already confirmed) and the thanks page."""
    movement, client = spanish_movement, app.test_client()
    post_in_spanish(client, f"{movement.campaign_path}/sign", SIGNER)
    tokens = signing_tokens(app, SIGNER["email"])
    post_in_spanish(client, tokens["confirm"], {})

    found = {}
    for path in (tokens["confirm"], f"{movement.campaign_path}/thanks"):
        status, html = read(client, path)
        found[path] = (status, page_language(html), english_words(html))
    assert found == {path: (200, "es", []) for path in found}


def test_a_pledge_with_its_own_demand_has_no_english_in_spanish(app, spanish_movement):
    """A pledge that made its own demand: what the site wrote into that demand is read too."""
    movement, client = spanish_movement, app.test_client()
    post_in_spanish(client, f"{movement.own_pledge_path}/back", BACKER)
    confirm = signing_tokens(app, BACKER["email"])["confirm"]
    paths = [movement.own_pledge_path, f"{movement.own_pledge_path}/check-email", confirm]
    found = {}
    for path in paths:
        status, html = read(client, path)
        found[path] = (status, page_language(html), english_words(html))
    post_in_spanish(client, confirm, {})
    status, html = read(client, f"{movement.own_demand_path}/thanks")
    found["thanks"] = (status, page_language(html), english_words(html))
    assert found == dict.fromkeys(found, (200, "es", []))


def test_where_supporters_and_candidates_actions_lead_has_no_english_in_spanish(
    app, spanish_movement
):
    """The page after each supporter's or candidate's action, and a won demand's page."""
    movement, client = spanish_movement, app.test_client()
    post_in_spanish(client, f"{movement.campaign_path}/sign", SIGNER)
    tokens = signing_tokens(app, SIGNER["email"])
    subscriber = signing_tokens(app, movement.subscriber_email)
    # The candidate's form carries a CSRF token (it is not a supporter's form).
    candidate_form = {"csrf_token": csrf_token(client, movement.respond_path)}
    # name: (path, form, the status of the page it leads to)
    actions = {
        "email sent again": (f"{movement.campaign_path}/check-email/resend", {}, 200),
        "signature withdrawn": (tokens["withdraw"], {}, 200),
        "unsubscribed": (subscriber["unsubscribe"], {}, 200),
        "candidate answer with errors": (
            movement.respond_path,
            {**candidate_form, "answer": "ninguna"},
            422,
        ),
        "candidate answered": (
            movement.respond_path,
            {**candidate_form, "answer": "declined", "statement": "Prefiero esperar."},
            200,
        ),
    }
    found, expected = {}, {}
    for name, (path, data, status) in actions.items():
        response = client.post(
            path, data=data, headers={**SPANISH, **SAME_ORIGIN}, follow_redirects=True
        )
        html = response.get_data(as_text=True)
        found[name] = (response.status_code, page_language(html), english_words(html))
        expected[name] = (status, "es", [])
    status, html = read(client, f"/c/{movement.victory.slug}")
    found["a won demand"] = (status, page_language(html), english_words(html))
    expected["a won demand"] = (200, "es", [])
    assert found == expected


UPDATES_SECTION = re.compile(r'<section class="updates".*?</section>', re.DOTALL)


def test_updates_the_site_writes_for_a_spanish_organizer_are_spanish(app, spanish_movement):
    """Announcing the target's answer or new evidence posts an update the site words itself.

    The update is stored and mailed as the organizers' own text, so it is written
    once, in the language of the organizer who announces it: Spanish here.
    """
    movement = spanish_movement
    with app.test_request_context(method="POST", headers=SPANISH):
        campaign = db.session.get(Campaign, movement.campaign.id)
        author = db.session.get(User, movement.owner.id)
        target = campaign.targets[0]
        answer = db.session.scalar(sa.select(TargetAnswer))
        announce_answer(campaign, answer, author)
        entry = db.session.scalar(sa.select(EvidenceEntry))
        permalink = f"http://petition.test{movement.campaign_path}/record#entry-{entry.id}"
        announce_evidence(campaign, target, entry, Rating.NOT_YET_RATED, permalink, author)
        db.session.commit()

    _, html = read(app.test_client(), movement.campaign_path)
    shown = UPDATES_SECTION.search(html)
    assert shown is not None, "the demand page shows its updates"
    found = {"the demand page's updates": english_words(shown.group())}
    messages = read_outbox(
        app,
        OutboxMessage.category == "update",
        OutboxMessage.to_address == movement.subscriber_email,
        OutboxMessage.subject != UPDATE_SUBJECT,  # the update the organizers wrote themselves
    )
    assert len(messages) == 2
    for number, message in enumerate(messages, 1):
        found[f"update mail {number}"] = english_words(
            without_links(f"{message.subject} {message.body_text}")
        )
    assert found == dict.fromkeys(found, [])


ERROR_STATUS = {
    "404": 404,
    "405": 405,
    "400 (language)": 400,
    "400 (bad confirm link)": 400,
    "400 (bad withdraw link)": 400,
    "400 (bad candidate link)": 400,
    "403 (another site)": 403,
    "410 (taken down)": 410,
}


def error_pages(client, movement: SpanishMovement) -> dict[str, object]:
    spanish_post = {**SPANISH, **SAME_ORIGIN}
    return {
        "404": client.get("/c/no-existe", headers=SPANISH),
        "405": client.put(f"{movement.campaign_path}/sign", headers=spanish_post),
        "400 (language)": client.post("/language", data={"lang": "xx"}, headers=spanish_post),
        "400 (bad confirm link)": client.get("/confirm/no-vale", headers=SPANISH),
        "400 (bad withdraw link)": client.get("/withdraw/no-vale", headers=SPANISH),
        "400 (bad candidate link)": client.get("/respond/no-vale", headers=SPANISH),
        "403 (another site)": client.post(
            f"{movement.campaign_path}/sign",
            data=SIGNER,
            headers={
                **SPANISH,
                "Origin": "https://elsewhere.example",
                "Sec-Fetch-Site": "cross-site",
            },
        ),
    }


def test_error_pages_have_no_english_in_spanish(app, spanish_movement, make_campaign):
    taken_down = make_campaign(
        slug="retirada",
        title="Una petición retirada",
        status=CampaignStatus.TAKEN_DOWN,
        taken_down_at=datetime(2026, 2, 2, tzinfo=UTC),
        take_down_reason="Publicaba datos personales de una vecina.",
    )
    pages = error_pages(app.test_client(), spanish_movement)
    pages["410 (taken down)"] = app.test_client().get(f"/c/{taken_down.slug}", headers=SPANISH)
    found = {}
    for name, response in pages.items():
        html = response.get_data(as_text=True)
        found[name] = (response.status_code, page_language(html), english_words(html))
    assert found == {name: (ERROR_STATUS[name], "es", []) for name in found}


def test_forms_sent_back_with_errors_have_no_english_in_spanish(app, spanish_movement):
    """The sign and back forms with every field wrong: the summary and each field's message."""
    movement, client = spanish_movement, app.test_client()
    wrong = {"name": "", "email": "no-es-un-correo", "zip_code": "701"}
    found = {}
    for path in (f"{movement.campaign_path}/sign", f"{movement.pledge_path}/back"):
        response = post_in_spanish(client, path, wrong)
        html = response.get_data(as_text=True)
        found[path] = (response.status_code, page_language(html), english_words(html))
    assert found == {path: (422, "es", []) for path in found}


# The mail a supporter or a candidate receives.
SUPPORTER_AND_CANDIDATE_MAIL = (
    "confirm_signature",
    "already_signed",
    "update",
    "pledge_invitation",
    "pledge_reminder",
)


def test_mail_to_supporters_and_candidates_has_no_english_in_spanish(
    app, frozen_clock, spanish_movement
):
    movement, client = spanish_movement, app.test_client()
    # Sign, confirm, and sign again: the confirmation, then "you already signed".
    post_in_spanish(client, f"{movement.campaign_path}/sign", SIGNER)
    post_in_spanish(client, signing_tokens(app, SIGNER["email"])["confirm"], {})
    frozen_clock.advance(timedelta(seconds=app.config["PETITION_RESEND_INTERVAL"]))
    post_in_spanish(client, f"{movement.campaign_path}/sign", SIGNER)
    # The organizer chose Spanish for this candidate's invitation, and so its reminders.
    with app.test_request_context(method="POST", headers=SPANISH):
        candidate = db.session.get(Candidate, movement.silent_id)
        invite(candidate, "es")
        db.session.commit()
        frozen_clock.advance(timedelta(seconds=app.config["PETITION_REMINDER_INTERVAL"]))
        remind(db.session.get(Candidate, movement.silent_id))
        db.session.commit()

    messages = read_outbox(app, OutboxMessage.category.in_(SUPPORTER_AND_CANDIDATE_MAIL))
    kinds = {message.category for message in messages}
    assert kinds == set(SUPPORTER_AND_CANDIDATE_MAIL)
    found: dict[tuple[str, str], object] = {
        (message.category, part): english_words(without_links(text))
        for message in messages
        for part, text in (
            ("subject", message.subject),
            ("text", message.body_text),
            ("html", message.body_html),
        )
    }
    expected = {**dict.fromkeys(found, []), **{(kind, "lang"): "es" for kind in kinds}}
    found |= {(message.category, "lang"): page_language(message.body_html) for message in messages}
    assert found == expected
