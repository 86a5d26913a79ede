"""Pledges in Spanish: the public page, the candidate's page, backing it, the record, the mail.

The pledge's own words (title, text, office, place, names, statements) are
Spanish, as its organizers would write them, so every English word left is
the site's. Invitations and reminders are mailed in the language the organizer
chose when inviting, whatever the page the organizer used was in.
"""

import dataclasses
import re
from datetime import date, timedelta

import pytest

from petition.extensions import db
from petition.models import Candidate, CandidateContact, Pledge

from .fixtures_accounts import log_in
from .fixtures_pledges import answer, link_for
from .helpers import links, path_of, post_form
from .spanish import SPANISH, english_words

ENGLISH = {"Accept-Language": "en-US,en;q=0.9"}


def site_english(html: str) -> list[str]:
    """The English a Spanish reader meets."""
    return english_words(html)


def mail_english(body: str) -> list[str]:
    """The English words in a mail, its links left out (a token could spell anything)."""
    without_links = re.sub(r"https?://[^\s<\"]+", " ", body)
    return english_words(without_links)


def spanish_pledge(app, make_pledge, **kwargs):
    """A pledge whose organizers wrote it in Spanish, with two candidates."""
    pledge = make_pledge(
        candidates=("María López (prueba)", "Juan Pérez (prueba)"), zips=("70112",), **kwargs
    )
    with app.app_context():
        row = db.session.get(Pledge, pledge.id)
        row.title = "No procesar a nadie por abortar"
        row.text = "No procesaré a **nadie** por el resultado de un embarazo."
        row.office = "Fiscal de distrito de la parroquia de Orleans"
        row.jurisdiction = "Nueva Orleans, LA"
        row.campaign.title = row.title
        row.campaign.demand = row.text
        row.slug = f"no-procesar-{pledge.id}"
        row.campaign.slug = f"compromiso-no-procesar-{pledge.id}"
        for candidate in row.candidates:
            candidate.party = "independiente"
        db.session.commit()
        slugs = {"slug": row.slug, "campaign_slug": row.campaign.slug}
    return dataclasses.replace(pledge, **slugs)


def in_spanish(client):
    """The client chose Spanish with the language switch: every request is Spanish."""
    client.set_cookie("lang", "es")
    return client


def maria(pledge) -> int:
    return pledge.candidates["María López (prueba)"]


def invite(client, pledge, candidate_id, language=None):
    """Press the candidate's invitation button, with the language select set to ``language``."""
    data = {} if language is None else {"language": language}
    action = f"{pledge.manage_url}/candidates/{candidate_id}/invite"
    return post_form(client, pledge.manage_url, action, data)


def mail(outbox, category):
    return [message for message in outbox() if message.category == category]


# -- pages -----------------------------------------------------------------


def test_the_public_pledge_page_is_all_spanish_with_tallies_in_spanish_plurals(
    app, client, make_pledge, frozen_clock
):
    pledge = spanish_pledge(app, make_pledge)
    log_in(client, pledge.owner)
    invite(client, pledge, maria(pledge))
    with app.app_context():
        db.session.add(
            CandidateContact(
                candidate_id=pledge.candidates["Juan Pérez (prueba)"],
                method="in_person",
                contacted_on=date(2026, 3, 1),
            )
        )
        db.session.commit()
    frozen_clock.advance(timedelta(days=2))

    html = app.test_client().get(pledge.url, headers=SPANISH).get_data(as_text=True)

    assert '<html lang="es"' in html
    assert site_english(html) == []
    assert "<strong>0</strong> dijeron que sí" in html
    assert "<strong>0</strong> dijeron que no" in html
    assert "<strong>2</strong> sin respuesta" in html
    assert "Se le preguntó por primera vez hace 2 días; se le contactó 1 vez por correo." in html
    assert "Se le preguntó en persona el 1 de marzo de 2026." in html
    assert "Respalda este compromiso" in html


def test_tallies_of_one_read_in_the_singular(app, client, make_pledge):
    pledge = spanish_pledge(app, make_pledge)
    answer(app.test_client(), link_for(app, maria(pledge)), "pledged")
    answer(app.test_client(), link_for(app, pledge.candidates["Juan Pérez (prueba)"]), "declined")

    html = client.get(pledge.url, headers=SPANISH).get_data(as_text=True)

    assert site_english(html) == []
    assert "<strong>1</strong> dijo que sí" in html
    assert "<strong>1</strong> dijo que no" in html
    assert "<strong>0</strong> sin respuesta" in html
    assert "Asumió el compromiso</strong> el" in html
    english = client.get(pledge.url, headers=ENGLISH).get_data(as_text=True)
    assert "<strong>1</strong> pledged" in english and "<strong>1</strong> declined" in english


def test_the_candidates_page_from_the_invitation_is_spanish_before_and_after_answering(
    app, client, make_pledge, outbox
):
    pledge = spanish_pledge(app, make_pledge)
    log_in(client, pledge.owner)
    invite(client, pledge, maria(pledge), language="es")
    [message] = mail(outbox, "pledge_invitation")
    [respond] = [url for url in links(message.body_text) if "/respond/" in url]
    candidate = app.test_client()

    html = candidate.get(path_of(respond), headers=SPANISH).get_data(as_text=True)
    assert site_english(html) == []
    assert "María López (prueba), ¿asumirá usted el compromiso?" in html
    assert "Asumo el compromiso" in html and "Lo rechazo" in html

    in_spanish(candidate)
    form = post_form(candidate, path_of(respond), path_of(respond), {})  # no answer chosen
    assert form.status_code == 422
    assert site_english(form.get_data(as_text=True)) == []
    assert "Elija “Asumo el compromiso” o “Lo rechazo”" in form.get_data(as_text=True)

    answered = answer(candidate, path_of(respond), "pledged", "Lo prometo ante mis votantes.")
    assert answered.status_code == 303
    html = candidate.get(path_of(respond), headers=SPANISH).get_data(as_text=True)
    assert site_english(html) == []
    assert "María López (prueba), usted asumió el compromiso" in html
    assert "¿asumirá usted el compromiso?" not in html
    assert "Gracias. Usted asumió el compromiso; su respuesta ya es pública." in html

    public = app.test_client().get(pledge.url, headers=SPANISH).get_data(as_text=True)
    assert site_english(public) == []
    assert "por medio de su enlace privado para responder" in public


def test_after_answering_the_english_page_no_longer_asks(app, client, make_pledge):
    pledge = spanish_pledge(app, make_pledge)
    link = link_for(app, maria(pledge))
    answer(client, link, "declined")
    html = client.get(link, headers=ENGLISH).get_data(as_text=True)
    assert "María López (prueba), you have declined the pledge" in html
    assert "will you take the pledge?" not in html


def test_backing_the_pledge_in_spanish(app, client, make_pledge):
    pledge = spanish_pledge(app, make_pledge)

    in_spanish(client)
    back = f"{pledge.url}/back"

    wrong = post_form(client, pledge.url, back, {"name": "", "email": "x", "zip_code": "1"})
    assert wrong.status_code == 422
    assert site_english(wrong.get_data(as_text=True)) == []

    details = {"name": "Rosa Díaz", "email": "rosa@example.org", "zip_code": "70112"}
    backed = post_form(client, pledge.url, back, details)
    assert backed.status_code == 303
    html = client.get(f"{pledge.url}/check-email").get_data(as_text=True)
    assert site_english(html) == []
    assert "Ahora revisa tu correo" in html


def test_a_closed_pledge_and_bad_links_are_spanish(app, client, make_pledge):
    pledge = spanish_pledge(app, make_pledge)
    with app.app_context():
        from petition.models import CampaignStatus

        db.session.get(Pledge, pledge.id).campaign.status = CampaignStatus.CLOSED
        db.session.commit()
    in_spanish(client)
    details = {"name": "Rosa Díaz", "email": "rosa@example.org", "zip_code": "70112"}
    closed = post_form(client, pledge.url, f"{pledge.url}/back", details)
    assert closed.status_code == 409
    assert site_english(closed.get_data(as_text=True)) == []
    assert "Este compromiso ya no suma simpatizantes" in closed.get_data(as_text=True)

    bad = client.get("/respond/not-a-real-token")
    assert bad.status_code == 400
    assert site_english(bad.get_data(as_text=True)) == []
    assert "Este enlace no funciona" in bad.get_data(as_text=True)


def test_the_promise_record_is_spanish(app, client, make_pledge):
    from .fixtures_pledges import record_winner_with_entry

    pledge = spanish_pledge(app, make_pledge)
    empty = client.get(f"{pledge.url}/record", headers=SPANISH).get_data(as_text=True)
    assert site_english(empty) == []

    answer(app.test_client(), link_for(app, maria(pledge)), "pledged")
    record_winner_with_entry(app, pledge.id, maria(pledge))
    html = client.get(f"{pledge.url}/record", headers=SPANISH).get_data(as_text=True)
    assert site_english(html) == []
    assert "María López (prueba) ganó" in html
    assert "Calificación actual:" in html and "En proceso" in html
    page = client.get(pledge.url, headers=SPANISH).get_data(as_text=True)
    assert site_english(page) == []
    assert "María López (prueba) ganó la elección" in page


# -- mail ------------------------------------------------------------------


def test_the_invitation_is_mailed_in_spanish_when_the_organizer_chose_spanish(
    app, client, make_pledge, outbox
):
    pledge = spanish_pledge(app, make_pledge)
    log_in(client, pledge.owner)  # the organizer's own pages are in English

    assert invite(client, pledge, maria(pledge), language="es").status_code == 303

    [message] = mail(outbox, "pledge_invitation")
    assert message.subject == "¿Asumirá usted el compromiso? No procesar a nadie por abortar"
    for body in (message.body_text, message.body_html):
        assert mail_english(body) == [], body
        assert "Estimado/a María López (prueba):" in body
        assert "3 de noviembre de 2026" in body
    assert '<html lang="es">' in message.body_html
    with app.app_context():
        assert db.session.get(Candidate, maria(pledge)).invitation_language == "es"


def test_the_invitation_is_mailed_in_english_when_the_organizer_chose_english(
    app, client, make_pledge, outbox
):
    pledge = spanish_pledge(app, make_pledge)
    log_in(client, pledge.owner)

    invite(client, pledge, maria(pledge), language="en")

    [message] = mail(outbox, "pledge_invitation")
    assert message.subject.startswith("Will you take the pledge? ")
    assert "Dear María López (prueba)," in message.body_text
    assert "supporters back this pledge" in message.body_text
    assert '<html lang="en">' in message.body_html


def test_the_invitation_form_offers_both_languages_defaulting_to_the_organizers(
    app, client, make_pledge
):
    pledge = spanish_pledge(app, make_pledge)
    log_in(client, pledge.owner)
    html = client.get(pledge.manage_url, headers=SPANISH).get_data(as_text=True)
    assert "Idioma de la invitación" in html
    assert '<option value="es" lang="es" selected>Español</option>' in html
    html = client.get(pledge.manage_url, headers=ENGLISH).get_data(as_text=True)
    assert '<option value="en" lang="en" selected>English</option>' in html


@pytest.mark.parametrize("language", ["en", "fr", ""])
def test_an_unknown_language_is_refused_and_sends_nothing(
    app, client, make_pledge, outbox, language
):
    pledge = spanish_pledge(app, make_pledge)
    log_in(client, pledge.owner)
    response = invite(client, pledge, maria(pledge), language=language)
    if language == "en":
        assert response.status_code == 303
    else:
        assert response.status_code == 400
        assert mail(outbox, "pledge_invitation") == []


def test_reminders_are_mailed_in_the_invitations_language(
    app, client, make_pledge, outbox, frozen_clock
):
    pledge = spanish_pledge(app, make_pledge)
    log_in(client, pledge.owner)
    juan = pledge.candidates["Juan Pérez (prueba)"]
    invite(client, pledge, maria(pledge), language="es")
    invite(client, pledge, juan, language="en")
    frozen_clock.advance(timedelta(days=4))

    # The organizer's page is English; each reminder follows its invitation.
    post_form(client, pledge.manage_url, f"{pledge.manage_url}/remind", {})

    reminders = {m.to_address: m for m in mail(outbox, "pledge_reminder")}
    with app.app_context():
        to_maria = reminders[db.session.get(Candidate, maria(pledge)).email]
        to_juan = reminders[db.session.get(Candidate, juan).email]
    assert to_maria.subject == "Recordatorio: su respuesta sobre No procesar a nadie por abortar"
    for body in (to_maria.body_text, to_maria.body_html):
        assert mail_english(body) == [], body
        assert "“Sin respuesta”" in body
    assert to_juan.subject.startswith("Reminder: your answer to ")
    assert "“No response”" in to_juan.body_text


def test_the_api_keeps_its_labels_in_english_whatever_the_callers_language(
    app, client, make_pledge
):
    from .fixtures_pledges import record_winner_with_entry

    pledge = spanish_pledge(app, make_pledge)
    answer(app.test_client(), link_for(app, maria(pledge)), "pledged")
    record_winner_with_entry(app, pledge.id, maria(pledge))

    data = client.get(f"/api/v1/pledges/{pledge.slug}", headers=SPANISH).get_json()

    assert data["election"]["promise_record"]["rating_label"] == "In the works"
    [maria_answers] = [c["answers"] for c in data["candidates"] if c["id"] == maria(pledge)]
    assert [a["change"] for a in maria_answers] == ["Took the pledge"]
