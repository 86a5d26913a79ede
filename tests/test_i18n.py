"""English and Spanish: the catalog is complete, the language is chosen as promised."""

import re
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from babel.messages.frontend import CommandLineInterface
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from petition.i18n import in_language
from petition.templating import duration, format_date, format_datetime, number

ROOT = Path(__file__).resolve().parent.parent
CATALOG = ROOT / "petition" / "translations" / "es" / "LC_MESSAGES"
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")
SPANISH = {"Accept-Language": "es-MX,es;q=0.9,en;q=0.5"}


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    """Every string marked for translation, extracted as `make messages` does."""
    pot = tmp_path_factory.mktemp("catalog") / "messages.pot"
    CommandLineInterface().run(
        ["pybabel", "-q", "extract", "-F", str(ROOT / "babel.cfg"), "--no-location"]
        + ["-k", "lazy_gettext", "-k", "_l", "-o", str(pot)]
        + [str(ROOT / "petition"), str(ROOT / "templates")]
    )
    with pot.open("rb") as file:
        return read_po(file)


@pytest.fixture(scope="module")
def spanish():
    with (CATALOG / "messages.po").open("rb") as file:
        return read_po(file, locale="es")


def _forms(message) -> tuple[str, ...]:
    string = message.string
    return tuple(string) if isinstance(string, list | tuple) else (string,)


def _key(message_id) -> tuple[str, ...]:
    return tuple(message_id) if isinstance(message_id, list | tuple) else (message_id,)


def test_every_marked_string_has_a_spanish_translation(extracted, spanish):
    missing = []
    for message in extracted:
        if not message.id:
            continue
        translated = spanish.get(message.id)
        if translated is None or translated.fuzzy or not all(_forms(translated)):
            missing.append(message.id)
    assert not missing, f"run `make messages` and translate these {len(missing)}: {missing[:20]}"


def test_spanish_translations_keep_every_placeholder(spanish):
    broken = []
    for message in spanish:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        # A singular may leave out its number ("un día"); never invent a name.
        names = set().union(*(PLACEHOLDER.findall(text) for text in ids))
        for form in _forms(message):
            if not set(PLACEHOLDER.findall(form)) <= names:
                broken.append((message.id, form))
        if not isinstance(message.id, tuple) and _forms(message)[0]:
            if set(PLACEHOLDER.findall(_forms(message)[0])) != names:
                broken.append((message.id, _forms(message)[0]))
    assert not broken


def test_the_committed_compiled_catalog_matches_its_source(spanish):
    with (CATALOG / "messages.mo").open("rb") as file:
        compiled = read_mo(file)
    source = {_key(m.id): _forms(m) for m in spanish if m.id and not m.fuzzy}
    built = {_key(m.id): _forms(m) for m in compiled if m.id}
    assert built == source, "run `make translations` and commit messages.mo"


def test_a_spanish_speaking_browser_gets_spanish(client, make_campaign):
    campaign = make_campaign()

    page = client.get(f"/c/{campaign.slug}", headers=SPANISH).get_data(as_text=True)

    assert '<html lang="es">' in page
    assert "Saltar al contenido principal" in page
    assert "Skip to main content" not in page


def test_english_is_the_default(client, make_campaign):
    campaign = make_campaign()

    for headers in ({}, {"Accept-Language": "fr-FR, de;q=0.8"}):
        page = client.get(f"/c/{campaign.slug}", headers=headers).get_data(as_text=True)
        assert '<html lang="en">' in page
        assert "Skip to main content" in page


def test_the_switch_chooses_a_language_that_outlasts_the_browsers(client, make_campaign):
    campaign = make_campaign()
    page = f"/c/{campaign.slug}"

    response = client.post(
        "/language",
        data={"lang": "es", "next": page},
        headers={"Origin": "http://localhost", "Sec-Fetch-Site": "same-origin"},
    )

    assert response.status_code == 303
    assert response.headers["Location"] == page
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("lang=es;") and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    english_browser = client.get(page, headers={"Accept-Language": "en-US"})
    assert '<html lang="es">' in english_browser.get_data(as_text=True)


def test_the_switch_is_on_every_page_and_names_the_other_language(client, make_campaign):
    campaign = make_campaign()

    english = client.get(f"/c/{campaign.slug}").get_data(as_text=True)
    spanish = client.get(f"/c/{campaign.slug}", headers=SPANISH).get_data(as_text=True)

    assert 'value="es" lang="es">Español</button>' in english
    assert 'value="en" lang="en">English</button>' in spanish
    assert f'name="next" value="/c/{campaign.slug}"' in english


@pytest.mark.parametrize(
    ("form", "status"),
    [({"lang": "fr"}, 400), ({"lang": ""}, 400), ({}, 400)],
)
def test_the_switch_refuses_an_unknown_language(client, form, status):
    response = client.post("/language", data=form, headers={"Origin": "http://localhost"})

    assert response.status_code == status
    assert "Set-Cookie" not in response.headers


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "/\\evil", "x"])
def test_the_switch_never_sends_anyone_off_the_site(client, target):
    response = client.post(
        "/language", data={"lang": "es", "next": target}, headers={"Origin": "http://localhost"}
    )

    assert response.status_code == 303
    assert response.headers["Location"] == "/"


def test_another_site_cannot_switch_a_visitors_language(client):
    response = client.post(
        "/language", data={"lang": "es"}, headers={"Sec-Fetch-Site": "cross-site"}
    )

    assert response.status_code == 403
    assert "Set-Cookie" not in response.headers


def test_reopening_the_switchs_address_goes_home(client):
    response = client.get("/language")

    assert response.status_code == 303
    assert response.headers["Location"] == "/"


def test_a_shared_cache_keeps_one_copy_per_language(client, make_campaign):
    campaign = make_campaign()

    page = client.get(f"/c/{campaign.slug}")
    count = client.get(f"/c/{campaign.slug}/count.json")

    assert page.cache_control.public
    assert {"Accept-Language", "Cookie"} <= set(page.vary)
    assert "Accept-Language" not in count.vary


def test_dates_numbers_and_durations_read_naturally_in_spanish(app):
    moment = datetime(2026, 3, 4, 1, 15, tzinfo=UTC)  # 7:15 PM on March 3 in Chicago
    with app.test_request_context():
        with in_language("es"):
            assert format_date(date(2026, 3, 3)) == "3 de marzo de 2026"
            assert format_datetime(moment, "America/Chicago") == "3 de marzo de 2026, 7:15 p.m. CST"
            assert number(12480) == "12,480"
            assert duration(7 * 86400) == "7 días"
            assert duration(3600) == "1 hora"
        assert format_date(date(2026, 3, 3)) == "March 3, 2026"
        assert format_datetime(moment, "America/Chicago") == "March 3, 2026, 7:15 PM CST"
        assert duration(7 * 86400) == "7 days"


_SINGULAR_CALL = re.compile(r"""(?<![\w.])(?:_|gettext|_l|lazy_gettext)\(\s*(["'])(.+?)\1\s*[,)]""")


def test_a_plural_message_is_never_looked_up_as_a_singular(spanish):
    """gettext() cannot find an entry that has plural forms: the page would stay English."""
    plurals = {message.id[0] for message in spanish if isinstance(message.id, tuple)}
    sources = [
        *ROOT.joinpath("templates").rglob("*.html"),
        *ROOT.joinpath("templates").rglob("*.txt"),
    ]
    sources += ROOT.joinpath("petition").rglob("*.py")
    singular_uses = {
        (path.relative_to(ROOT).as_posix(), match.group(2))
        for path in sources
        for match in _SINGULAR_CALL.finditer(path.read_text(encoding="utf-8"))
        if match.group(2) in plurals
    }
    assert not singular_uses, "use ngettext for these, as elsewhere"


def test_mail_to_an_organizer_is_english_whoever_sends_it(app):
    """An admin browsing in Spanish sends an organizer English mail, footer and durations too."""
    from types import SimpleNamespace

    from petition.extensions import db
    from petition.outbox import queue_mail

    with app.test_request_context(method="POST", headers=SPANISH):
        message = queue_mail(
            "organizer@example.org",
            "account_confirm",
            "Confirm your email address",
            user=SimpleNamespace(name="Avery"),
            confirm_url="http://127.0.0.1/confirm/x",
        )
        db.session.rollback()

    assert "The link works for 7 days." in message.body_text
    assert '<html lang="en">' in message.body_html
