"""The public demand pages in Spanish: no English left, plurals and numbers as Spanish reads them.

Organizers' content stays as they wrote it, so every demand here is written in
Spanish; anything English on these pages is then the site's own wording.
"""

import io
import re
from datetime import UTC, date, datetime, timedelta
from urllib.parse import unquote

import pytest
from markupsafe import Markup
from PIL import Image

from petition.extensions import db
from petition.models import Campaign, CampaignStatus, CampaignUpdate, Pledge, Target, TargetAnswer
from petition.takedown import take_down_campaign

from .fixtures_pledges import answer, link_for
from .spanish import SPANISH, english_words

ENGLISH = {"Accept-Language": "en-US,en;q=0.9"}


def read(html: str) -> list[str]:
    """The English a Spanish reader meets."""
    return english_words(html)


def spanish_page(client, path: str, status: int = 200) -> str:
    response = client.get(path, headers=SPANISH)
    assert response.status_code == status, path
    html = response.get_data(as_text=True)
    assert '<html lang="es">' in html
    return html


def texts(html: str) -> str:
    """The page's text with tags dropped and spaces collapsed, as a reader sees it."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


@pytest.fixture
def demand(make_campaign):
    """A live demand, written in Spanish, with 12,480 signatures."""

    def make(**overrides):
        values = {
            "title": "Fin de la fianza en efectivo en Nueva Orleans",
            "demand": "Pedimos a la fiscalía que deje de pedir **fianza en efectivo**.",
            "targets": [
                Target(
                    name="Jason Williams",
                    office="Fiscal de distrito",
                    jurisdiction="Nueva Orleans, LA",
                )
            ],
            "signature_count": 12480,
            "signature_goal": 20000,
        }
        values.update(overrides)
        return make_campaign(**values)

    return make


def test_the_campaign_page_reads_all_in_spanish(app, client, frozen_clock, demand, add_signature):
    campaign = demand(
        slug="fianza",
        delivered_at=datetime(2026, 3, 1, 18, tzinfo=UTC),
        delivered_to="la oficina del fiscal",
        paper_signature_count=1,
        closes_at=datetime(2026, 4, 1, 12, tzinfo=UTC),
    )
    add_signature(campaign, name="María Sánchez", show_publicly=True, comment="¡Ya basta!")
    with app.app_context():
        db.session.add(
            TargetAnswer(
                campaign_id=campaign.id,
                kind="statement",
                summary="La fiscalía dijo que lo estudiará.",
                source_url="https://example.org/nota",
                answered_on=date(2026, 3, 2),
            )
        )
        db.session.add(
            CampaignUpdate(
                campaign_id=campaign.id,
                subject="Entregamos las firmas",
                body="Gracias a todos.",
                body_html=Markup("<p>Gracias a todos.</p>"),
            )
        )
        db.session.commit()

    html = spanish_page(client, "/c/fianza")

    assert read(html) == []
    text = texts(html)
    assert "12,481 firmas" in text
    assert "Además, 1 firma en papel" in text
    assert "Para: Jason Williams , Fiscal de distrito, Nueva Orleans, LA" in text
    assert "Entregada el 1 de marzo de 2026" in text
    assert "Una declaración" in text
    assert "María S. , código postal 701xx" in text
    assert "Se puede firmar hasta el" in text
    assert "<span data-percent>62</span>% de la meta de 20,000" in html
    assert "Firmas a lo largo del tiempo" in text


def test_the_live_counter_carries_its_noun_in_each_spanish_form(client, demand):
    demand(slug="una-firma", signature_count=1)

    html = spanish_page(client, "/c/una-firma")

    assert 'data-noun-one="firma"' in html
    assert 'data-noun-million="de firmas"' in html
    assert 'data-noun-other="firmas"' in html
    assert re.search(r"data-count>1</strong>\s*<span data-count-noun>firma</span>", html)
    assert "data-noun=" not in html  # no English noun for the script to add an "s" to


def test_the_counter_in_english_is_unchanged(client, demand):
    demand(slug="english-count", signature_count=1)

    html = client.get("/c/english-count", headers=ENGLISH).get_data(as_text=True)

    assert 'data-noun-one="signature"' in html
    assert 'data-noun-million="signatures"' in html
    assert 'data-noun-other="signatures"' in html
    assert re.search(r"data-count>1</strong>\s*<span data-count-noun>signature</span>", html)


def test_a_round_million_reads_de_firmas(client, demand):
    demand(slug="un-millon", signature_count=1_000_000, signature_goal=2_000_000)

    text = texts(spanish_page(client, "/c/un-millon"))

    assert "1,000,000 de firmas" in text


def test_share_links_carry_the_message_in_spanish(client, demand):
    demand(slug="comparte", title="Justicia para Tomás & Ana")

    html = spanish_page(client, "/c/comparte")

    whatsapp = re.search(r'href="https://wa.me/\?text=([^"]+)"', html)[1]
    assert unquote(whatsapp) == (
        "Justicia para Tomás & Ana — firma aquí: http://petition.test/c/comparte"
    )
    assert "Compartir por WhatsApp" in html
    assert 'data-copied="Enlace copiado"' in html


def test_the_front_page_reads_all_in_spanish(app, client, demand, make_pledge, add_signature):
    live = demand(slug="activa")
    add_signature(live)
    demand(slug="una", title="Una firma basta", signature_count=1)
    demand(
        slug="ganada",
        title="Cierre de la cárcel vieja",
        status=CampaignStatus.WON,
        won_at=datetime(2026, 2, 1, 18, tzinfo=UTC),
        delivered_at=datetime(2026, 1, 20, 18, tzinfo=UTC),
        delivered_to="la fiscal estatal",
    )
    pledge = make_pledge(candidates=("Ana Ruiz", "Beto López", "Carla Díaz"))
    with app.app_context():
        row = db.session.get(Pledge, pledge.id)
        row.title = "Compromiso: nadie preso por ser pobre"
        row.office = "Fiscal de distrito"
        row.jurisdiction = "Condado de Dallas, TX"
        db.session.commit()
    answer(client, link_for(app, pledge.candidates["Ana Ruiz"]), "pledged")
    answer(client, link_for(app, pledge.candidates["Beto López"]), "declined")

    html = spanish_page(app.test_client(), "/")

    assert read(html) == []
    text = texts(html)
    assert "12,481 firmas · 1 en las últimas 24 horas" in text
    assert "1 firma" in text
    assert "Día de la elección: 3 de noviembre de 2026" in text
    assert "3 candidaturas:" in text
    assert "1 dijo que sí" in text and "1 dijo que no" in text and "1 sin respuesta" in text
    assert "Ganada el 1 de febrero de 2026 con 12,480 firmas, entregada a la fiscal estatal" in text


def test_victories_read_all_in_spanish(client, demand):
    demand(
        slug="ganada",
        status=CampaignStatus.WON,
        won_at=datetime(2026, 2, 1, 18, tzinfo=UTC),
        victory_story="La fiscal **aceptó** la petición.",
    )
    demand(
        slug="entregada",
        delivered_at=datetime(2026, 1, 20, 18, tzinfo=UTC),
        delivered_to="la fiscalía",
        signature_count=1,
    )

    html = spanish_page(client, "/victories")

    assert read(html) == []
    text = texts(html)
    assert "Ganada el 1 de febrero de 2026 con 12,480 firmas" in text
    assert "Entregada a la fiscalía el 20 de enero de 2026 con 1 firma" in text


def test_no_victories_yet_in_spanish(client):
    html = spanish_page(client, "/victories")

    assert read(html) == []
    assert "Todavía no hay victorias." in texts(html)


def test_the_record_page_reads_in_spanish(client, demand):
    demand(slug="historial")

    html = spanish_page(client, "/c/historial/record")

    assert read(html) == []
    assert "Historial en el cargo" in html


def test_earlier_versions_read_in_spanish(client, demand):
    demand(slug="versiones")

    html = spanish_page(client, "/c/versiones/revisions")

    assert read(html) == []
    assert "No hay versiones anteriores." in html


def test_a_won_closed_demand_reads_in_spanish(client, demand):
    demand(slug="cerrada", status=CampaignStatus.WON, won_at=datetime(2026, 2, 1, tzinfo=UTC))

    html = spanish_page(client, "/c/cerrada")

    assert read(html) == []
    assert "Esta petición ya se ganó" in html


def test_the_poster_and_the_embed_read_in_spanish(client, demand):
    demand(slug="cartel")

    poster = spanish_page(client, "/c/cartel/poster")
    embed = spanish_page(client, "/c/cartel/embed")

    assert read(poster) == []
    assert "Escanea para firmar" in poster
    assert "Para Jason Williams, Fiscal de distrito, Nueva Orleans, LA" in poster
    assert "<title>Código QR de http://petition.test/c/cartel</title>" in poster
    assert read(embed) == []
    assert "Firma esta petición" in embed
    assert "12,480" in embed and "firmas" in embed


def test_the_preview_card_is_drawn_in_the_pages_language(client, demand):
    demand(slug="tarjeta")

    def card_address(headers) -> str:
        html = client.get("/c/tarjeta", headers=headers).get_data(as_text=True)
        image = re.search(r'<meta property="og:image" content="([^"]+)"', html)[1]
        alt = re.search(r'<meta property="og:image:alt" content="([^"]+)"', html)[1]
        return image.replace("&amp;", "&").removeprefix("http://petition.test"), alt

    spanish, spanish_alt = card_address(SPANISH)
    english, english_alt = card_address(ENGLISH)

    assert "lang=es" in spanish and "lang=en" in english
    assert spanish.split("v=")[1].split("&")[0] != english.split("v=")[1].split("&")[0]
    assert spanish_alt == (
        "Fin de la fianza en efectivo en Nueva Orleans. Para Jason Williams, Fiscal de distrito. "
        "12,000+ firmas."
    )
    assert english_words(spanish_alt) == []
    # A chat app fetches the picture in no particular language: the address decides.
    drawn_es = client.get(spanish, headers=ENGLISH)
    drawn_en = client.get(english, headers=SPANISH)
    assert drawn_es.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert drawn_en.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert drawn_es.data != drawn_en.data
    assert "Accept-Language" not in drawn_es.headers.get("Vary", "")
    with Image.open(io.BytesIO(drawn_es.data)) as image:
        assert image.size == (1200, 630)


def test_a_card_address_without_a_language_varies_by_the_reader(client, demand):
    demand(slug="sin-idioma")

    spanish = client.get("/c/sin-idioma/card.png", headers=SPANISH)
    english = client.get("/c/sin-idioma/card.png", headers=ENGLISH)

    assert spanish.data != english.data
    assert "Accept-Language" in spanish.headers["Vary"]


def test_error_pages_read_in_spanish(client):
    not_found = spanish_page(client, "/c/no-existe", status=404)

    assert read(not_found) == []
    assert "No encontramos esta página" in not_found


def test_the_privacy_page_reads_in_spanish(client):
    html = spanish_page(client, "/privacy")

    assert read(html) == []
    assert "días después de que se cierra una petición" in html


def test_the_take_down_notice_reads_in_spanish(app, client, demand):
    campaign = demand(slug="retirada")
    with app.test_request_context(method="POST"):
        take_down_campaign(
            db.session.get(Campaign, campaign.id), "Incluía datos personales.", mail=False
        )
        db.session.commit()

    html = spanish_page(client, "/c/retirada", status=410)

    assert read(html) == []
    assert "Esta petición fue retirada" in html
    assert "El equipo de moderación del sitio retiró" in html


def test_the_history_summary_reads_in_spanish(client, frozen_clock, demand, add_signature):
    campaign = demand(slug="por-hora", signature_count=0)
    add_signature(campaign)
    frozen_clock.advance(timedelta(hours=2))
    add_signature(campaign)
    add_signature(campaign)

    text = texts(spanish_page(client, "/c/por-hora"))

    assert "3 firmas en 3 horas; la hora con más firmas fue la que empezó el" in text


def test_refused_forms_explain_themselves_in_spanish(app, client, demand):
    demand(slug="desde-fuera")

    expired = client.post("/login", data={"email": "a@example.org"}, headers=SPANISH)
    forged = client.post(
        "/c/desde-fuera/sign",
        data={"name": "Ana", "email": "ana@example.org", "zip_code": "70112"},
        headers={**SPANISH, "Origin": "https://evil.example"},
    )

    assert expired.status_code == 400 and forged.status_code == 403
    for response in (expired, forged):
        html = response.get_data(as_text=True)
        assert '<html lang="es">' in html
        assert read(html) == []
    assert "Tu formulario venció" in expired.get_data(as_text=True)
    assert "Firma en este sitio, por favor" in forged.get_data(as_text=True)


def test_a_pledges_card_and_poster_read_in_spanish(app, client, make_pledge):
    pledge = make_pledge()
    with app.app_context():
        row = db.session.get(Pledge, pledge.id)
        row.title = "Compromiso: nadie preso por ser pobre"
        row.office = "Fiscal de distrito"
        row.jurisdiction = "Condado de Dallas, TX"
        row.text = "No **procesaré** a nadie por no poder pagar una fianza."
        row.slug = "compromiso-dallas"  # the poster prints its address
        db.session.commit()

    poster = spanish_page(client, "/p/compromiso-dallas/poster")
    spanish = client.get("/p/compromiso-dallas/card.png?lang=es")
    english = client.get("/p/compromiso-dallas/card.png?lang=en")

    assert read(poster) == []
    assert "Día de la elección: 3 de noviembre de 2026" in poster
    assert spanish.status_code == english.status_code == 200
    assert spanish.data != english.data
    assert spanish.headers["ETag"] != english.headers["ETag"]
    page = client.get("/p/compromiso-dallas", headers=SPANISH).get_data(as_text=True)
    image = re.search(r'<meta property="og:image" content="([^"]+)"', page)[1]
    assert image.endswith("&amp;lang=es")
