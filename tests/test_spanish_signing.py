"""Signing in Spanish: the form, "check your email", the mail, confirming, withdrawing, updates.

The signer's language is stored with the signature, so every mail they get
later (the confirmation, "already signed", updates) is in it, whoever sends it.
Organizer content stays as written, so the campaign here is written in Spanish.
"""

import re
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from petition.extensions import db
from petition.models import CampaignStatus, Signature, Target

from .fixtures_accounts import log_in
from .helpers import SAME_ORIGIN, links, path_of, post_form
from .spanish import SPANISH, english_words

TITLE = "Fin de la fianza en efectivo"
DEMAND = "Exigimos que la fiscalía deje de pedir fianza en efectivo por delitos menores."
MARIA = {"name": "María Pérez", "email": "maria@example.org", "zip_code": "70112"}
ENGLISH_HEADERS = {"Accept-Language": "en-US,en;q=0.9"}


def english_left(html_or_text: str) -> list[str]:
    """English words a Spanish reader meets on a page or in a mail."""
    return english_words(html_or_text)


@pytest.fixture
def campaign(make_campaign):
    return make_campaign(
        title=TITLE,
        demand=DEMAND,
        targets=[
            Target(
                name="Ana Ruiz",
                office="Fiscal de distrito del condado",
                jurisdiction="Nueva Orleans, LA",
            )
        ],
    )


def sign(client, campaign, headers=SPANISH, **fields):
    return client.post(
        f"/c/{campaign.slug}/sign",
        data={**MARIA, **fields},
        headers={**SAME_ORIGIN, **headers},
    )


def signature_of(app, email: str) -> Signature:
    with app.app_context():
        signature = db.session.scalar(sa.select(Signature).where(Signature.email == email))
        db.session.expunge(signature)
        return signature


def mail_to(outbox, email: str):
    [message] = [m for m in outbox() if m.to_address == email]
    return message


def link_in(message, path: str) -> str:
    [url] = [url for url in links(message.body_text) if f"/{path}/" in url]
    return path_of(url)


def test_the_sign_form_answers_errors_in_spanish(client, campaign):
    response = sign(client, campaign, name="", email="maria@", zip_code="701")

    assert response.status_code == 422
    html = response.get_data(as_text=True)
    [summary] = re.findall(r'<div class="error-summary".*?</div>', html, re.S)
    messages = re.findall(r'<p class="error-message".*?</p>', html, re.S)
    [form] = re.findall(r'<form method="post" action="[^"]*/sign#.*?</form>', html, re.S)
    labels = re.findall(r'<label class="(?:checkbox-)?label".*?</label>', form, re.S)
    assert "Hay un problema" in summary
    assert "Escribe tu nombre" in summary
    assert "Escribe un correo electrónico con el formato correcto" in summary
    assert "Escribe un código postal de 5 dígitos, como 70112" in summary
    assert len(messages) == 3 and all("Error:" in m for m in messages)
    assert "Nombre completo" in html and "¿Por qué firmas? (opcional)" in html
    assert english_left(summary + "".join(messages + labels)) == []
    # email-validator's own explanation is never passed on, in any language.
    assert "@-sign" not in html and "must have" not in html


def test_the_same_errors_stay_english_for_an_english_reader(client, campaign):
    html = sign(client, campaign, headers=ENGLISH_HEADERS, name="", email="maria@").get_data(
        as_text=True
    )

    assert "There is a problem" in html
    assert "Enter your name" in html
    assert "Enter an email address in the correct format, like name@example.com" in html
    assert "Hay un problema" not in html


def test_a_control_character_is_refused_in_spanish_naming_the_field(client, campaign):
    html = sign(client, campaign, name="María\x07").get_data(as_text=True)

    assert "El campo «Nombre completo» tiene caracteres que no podemos aceptar" in html


def test_check_your_email_is_in_spanish_with_the_typo_hint(client, campaign):
    assert sign(client, campaign, email="maria@gmial.com").status_code == 303

    html = client.get(f"/c/{campaign.slug}/check-email", headers=SPANISH).get_data(as_text=True)

    assert "Ahora revisa tu correo" in html
    assert "¿Quisiste decir <strong>maria@gmail.com</strong>?" in html
    assert "Enviar el correo otra vez" in html
    assert english_left(html) == []


def test_the_fix_address_page_is_in_spanish(client, campaign):
    sign(client, campaign)

    html = client.get(f"/c/{campaign.slug}/check-email/fix", headers=SPANISH).get_data(as_text=True)

    assert "Corrige tu correo electrónico" in html
    assert ">Firmar</button>" in html
    assert english_left(html) == []


def test_a_spanish_signer_is_stored_and_mailed_in_spanish(app, client, campaign, outbox):
    sign(client, campaign)

    assert signature_of(app, "maria@example.org").language == "es"
    message = mail_to(outbox, "maria@example.org")
    assert message.subject == f"Confirma tu firma: {TITLE}"
    assert "Hola, María Pérez:" in message.body_text
    assert "Abre este enlace y toca «Confirmar mi firma»:" in message.body_text
    assert 'lang="es"' in message.body_html
    assert ">Confirmar mi firma</a>" in message.body_html
    assert english_left(message.subject) == []
    assert english_left(message.body_text) == []
    assert english_left(message.body_html) == []


def test_an_english_signer_of_the_same_demand_is_mailed_in_english(app, client, campaign, outbox):
    sign(client, campaign)
    sign(app.test_client(), campaign, headers=ENGLISH_HEADERS, email="sam@example.org")

    assert signature_of(app, "sam@example.org").language == "en"
    message = mail_to(outbox, "sam@example.org")
    assert message.subject == f"Confirm your signature: {TITLE}"
    assert "Hello María Pérez," in message.body_text
    assert 'lang="en"' in message.body_html
    assert "Confirma tu firma" in mail_to(outbox, "maria@example.org").subject


def test_a_newer_pending_submission_replaces_the_language(app, client, campaign):
    sign(client, campaign, headers=ENGLISH_HEADERS)
    sign(client, campaign)

    assert signature_of(app, "maria@example.org").language == "es"


def test_the_mail_is_in_the_signers_language_not_the_language_of_who_asks_again(
    app, client, campaign, outbox, frozen_clock
):
    sign(client, campaign)
    confirm = link_in(mail_to(outbox, "maria@example.org"), "confirm")
    client.post(confirm, headers=SAME_ORIGIN)
    frozen_clock.advance(timedelta(hours=1))

    # Signing again once confirmed mails "you have already signed", in Spanish.
    sign(app.test_client(), campaign, headers=ENGLISH_HEADERS)

    [_, again] = [m for m in outbox() if m.to_address == "maria@example.org"]
    assert again.category == "already_signed"
    assert again.subject == "Ya firmaste: gracias"
    assert english_left(again.body_text) == []
    assert english_left(again.body_html) == []


def test_confirming_and_thanks_are_in_spanish(app, client, campaign, outbox):
    sign(client, campaign, comment="Por mis vecinos.", show_publicly="y")
    confirm = link_in(mail_to(outbox, "maria@example.org"), "confirm")

    page = client.get(confirm, headers=SPANISH).get_data(as_text=True)
    assert ">Confirmar mi firma</button>" in page
    assert "<dt>Código postal</dt>" in page and "Por mis vecinos." in page
    assert english_left(page) == []

    confirmed = client.post(confirm, headers={**SAME_ORIGIN, **SPANISH})
    assert confirmed.status_code == 303
    thanks = client.get(confirmed.headers["Location"], headers=SPANISH).get_data(as_text=True)
    assert "Gracias: tu firma ya cuenta" in thanks
    assert english_left(thanks) == []

    again = client.get(confirm, headers=SPANISH).get_data(as_text=True)
    assert "Tu firma ya está confirmada. ¡Gracias!" in again
    assert english_left(again) == []


def test_the_thank_you_page_has_facebook_and_bluesky_again(client, campaign):
    html = client.get(f"/c/{campaign.slug}/thanks", headers=SPANISH).get_data(as_text=True)

    assert (
        f"https://www.facebook.com/sharer/sharer.php?u=http%3A//petition.test/c/{campaign.slug}"
        in html
    )
    assert ">Compartir en Facebook</a>" in html
    bluesky = re.search(r'href="https://bsky\.app/intent/compose\?text=([^"]+)"', html)
    assert bluesky and "firma%20aqu%C3%AD" in bluesky.group(1)
    english = client.get(f"/c/{campaign.slug}/thanks").get_data(as_text=True)
    assert ">Share on Facebook</a>" in english and ">Share on Bluesky</a>" in english


def test_a_title_with_an_ampersand_is_shared_as_typed(client, make_campaign):
    campaign = make_campaign(title="Fianza & justicia")

    html = client.get(f"/c/{campaign.slug}/thanks", headers=SPANISH).get_data(as_text=True)

    assert "text=Fianza%20%26%20justicia" in html
    assert "%26amp%3B" not in html


def test_withdrawing_is_in_spanish(client, campaign, outbox):
    sign(client, campaign)
    withdraw = link_in(mail_to(outbox, "maria@example.org"), "withdraw")

    page = client.get(withdraw, headers=SPANISH).get_data(as_text=True)
    assert "¿Quieres retirar tu firma?" in page
    assert english_left(page) == []

    done = client.post(withdraw, headers={**SAME_ORIGIN, **SPANISH}).get_data(as_text=True)
    assert "Retiramos tu firma" in done
    assert english_left(done) == []


def test_a_broken_link_and_a_closed_demand_are_explained_in_spanish(
    app, client, campaign, make_campaign
):
    broken = client.get("/confirm/not-a-token", headers=SPANISH)
    assert broken.status_code == 400
    assert "Este enlace no funciona" in broken.get_data(as_text=True)
    assert english_left(broken.get_data(as_text=True)) == []

    closed = make_campaign(title="Cerrada", status=CampaignStatus.CLOSED)
    response = sign(client, closed)
    assert response.status_code == 409
    assert "Esta petición ya no recoge firmas" in response.get_data(as_text=True)
    assert english_left(response.get_data(as_text=True)) == []


def test_an_update_reaches_each_signer_in_their_own_language(
    app, client, make_user, make_campaign, outbox
):
    owner = make_user()
    campaign = make_campaign(owner_id=owner.id, title=TITLE, demand=DEMAND)
    for email, headers in (("maria@example.org", SPANISH), ("sam@example.org", ENGLISH_HEADERS)):
        signer = app.test_client()
        sign(signer, campaign, headers=headers, email=email, wants_updates="y")
        signer.post(link_in(mail_to(outbox, email), "confirm"), headers=SAME_ORIGIN)

    log_in(client, owner)
    page = f"/dashboard/campaigns/{campaign.id}/updates/new"
    body = "La audiencia es el lunes. ¡Vengan a la corte!"
    sent = post_form(
        client, page, page, {"subject": "Audiencia el lunes", "body": body, "send": "Send"}
    )
    assert sent.status_code == 303

    updates = [m for m in outbox() if m.category == "update"]
    spanish = next(m for m in updates if m.to_address == "maria@example.org")
    english = next(m for m in updates if m.to_address == "sam@example.org")
    assert spanish.subject == english.subject == "Audiencia el lunes"  # as the organizers wrote it
    assert "Una novedad del equipo organizador" in spanish.body_text
    assert body in spanish.body_text and body in english.body_text
    assert english_left(spanish.body_text) == []
    assert english_left(spanish.body_html) == []
    assert "An update from the organizers" in english.body_text
    assert "You get this because you asked for updates" in english.body_html

    unsubscribe = path_of(spanish.headers["List-Unsubscribe"][1:-1])
    client = app.test_client()  # the signer's own browser
    asked = client.get(unsubscribe, headers=SPANISH).get_data(as_text=True)
    assert f"¿Dejar de recibir novedades sobre «{TITLE}»?" in asked
    assert english_left(asked) == []
    done = client.post(unsubscribe, headers={**SAME_ORIGIN, **SPANISH}).get_data(as_text=True)
    assert "Te diste de baja" in done
    assert english_left(done) == []


def test_the_typo_hint_waits_until_the_form_is_sent(app, client, campaign):
    # Nothing on the form suggests while typing: the hint is on "check your email".
    page = client.get(f"/c/{campaign.slug}", headers=SPANISH).get_data(as_text=True)
    script = (Path(app.static_folder) / "js" / "site.js").read_text()
    assert "Quisiste decir" not in page and "Did you mean" not in page
    assert "gmail" not in script and "suggest" not in script


def test_held_signatures_are_explained_in_spanish(client, campaign, outbox):
    sign(client, campaign, homepage="http://example.com")  # the field only scripts fill in
    client.post(link_in(mail_to(outbox, "maria@example.org"), "confirm"), headers=SAME_ORIGIN)

    html = client.get(f"/c/{campaign.slug}", headers=SPANISH).get_data(as_text=True)

    [note] = re.findall(r'<p class="note held-note">.*?</p>', html, re.S)
    assert "1 firma en revisión" in note
    assert english_left(note) == []
