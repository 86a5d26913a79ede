"""Links that leave the site are built from the configured base URL, never from the request."""

import pytest

from petition import create_app

from .conftest import app_test_config
from .helpers import links, post_form


def test_the_app_refuses_to_start_without_a_base_url_outside_debug(tmp_path):
    config = app_test_config(f"sqlite:///{tmp_path}/x.sqlite", PETITION_BASE_URL=None)
    config["TESTING"] = False
    with pytest.raises(RuntimeError, match="PETITION_BASE_URL must be set"):
        create_app(config)


@pytest.mark.parametrize("base", ["petition.example.org", "ftp://x.org", "https://x.org/?a=1"])
def test_a_base_url_that_is_not_an_http_address_is_refused(tmp_path, base):
    with pytest.raises(RuntimeError, match="must be an http"):
        create_app(app_test_config(f"sqlite:///{tmp_path}/x.sqlite", PETITION_BASE_URL=base))


def test_a_forged_host_header_never_reaches_a_password_reset_link(app, client, make_user, outbox):
    make_user("dana@example.org")
    evil = {"Host": "evil.example", "X-Forwarded-Host": "evil.example"}

    page = client.get("/forgot-password", headers=evil)
    token = page.get_data(as_text=True).split('name="csrf_token" type="hidden" value="')[1]
    client.post(
        "/forgot-password",
        data={"email": "dana@example.org", "csrf_token": token.split('"')[0]},
        headers=evil,
    )

    [message] = outbox()
    urls = links(message.body_text) + links(message.body_html)
    assert urls and all(url.startswith("http://petition.test/") for url in urls)
    assert "evil.example" not in message.body_text + message.body_html


@pytest.mark.parametrize("app_config", [{"PETITION_PROXY_COUNT": 1}])
def test_a_forged_forwarded_host_cannot_poison_a_cached_page(app, client, make_pledge):
    pledge = make_pledge()

    page = client.get(pledge.url, headers={"X-Forwarded-Host": "evil.example"})

    assert page.cache_control.public
    html = page.get_data(as_text=True)
    assert "evil.example" not in html
    assert f"http%3A//petition.test/p/{pledge.slug}" in html or "http://petition.test/p/" in html


def test_signing_mail_carries_the_configured_host_whatever_the_request_said(
    app, client, make_campaign, outbox
):
    campaign = make_campaign()
    page = f"/c/{campaign.slug}"
    client.get(page, headers={"Host": "evil.example"})
    post_form(
        client, page, f"{page}/sign", {"name": "Ana Ruiz", "email": "a@x.org", "zip_code": "75201"}
    )
    [message] = outbox()
    assert all(url.startswith("http://petition.test/") for url in links(message.body_text))
