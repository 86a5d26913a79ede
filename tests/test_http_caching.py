"""A viral demand's pages can be held by a CDN: anonymous copies are public and cookie-free."""

from datetime import timedelta

import pytest

from .fixtures_accounts import log_in
from .helpers import SAME_ORIGIN, count_queries, links, path_of, post_form

GOOD = {"name": "Avery Sample", "email": "avery@example.org", "zip_code": "75201"}


@pytest.fixture
def public_pages(make_campaign, make_pledge):
    campaign = make_campaign()
    pledge = make_pledge()
    return ["/", f"/c/{campaign.slug}", pledge.url]


def test_anonymous_pages_are_public_short_lived_and_set_no_cookie(client, public_pages):
    for path in public_pages:
        response = client.get(path)

        assert response.status_code == 200, path
        assert "Set-Cookie" not in response.headers, path
        control = response.cache_control
        assert control.public, path
        assert control.max_age == 10, path
        assert control.stale_while_revalidate == 60, path


def test_a_logged_in_organizer_gets_a_private_copy(client, public_pages, make_user):
    log_in(client, make_user())
    for path in public_pages:
        response = client.get(path)

        assert response.status_code == 200, path
        assert not response.cache_control.public, path
        assert response.cache_control.private, path
        assert "Log out" in response.get_data(as_text=True)


def test_a_page_showing_a_form_error_is_not_shared(client, make_campaign):
    campaign = make_campaign()
    page = f"/c/{campaign.slug}"

    response = client.post(f"{page}/sign", data={**GOOD, "email": "nope"}, headers=SAME_ORIGIN)

    assert response.status_code == 422
    assert not response.cache_control.public
    assert "Set-Cookie" not in response.headers


def test_the_page_cache_lifetimes_are_configurable(app, client, make_campaign):
    app.config.update(PETITION_PAGE_MAX_AGE=30, PETITION_PAGE_STALE_SECONDS=300)
    response = client.get(f"/c/{make_campaign().slug}")
    assert response.cache_control.max_age == 30
    assert response.cache_control.stale_while_revalidate == 300


def test_signing_and_confirming_never_set_a_session_cookie(client, make_campaign, outbox):
    campaign = make_campaign()
    page = f"/c/{campaign.slug}"

    signed = post_form(client, page, f"{page}/sign", GOOD)
    [confirm] = [path_of(url) for url in links(outbox()[-1].body_text) if "/confirm/" in url]
    opened = client.get(confirm)
    confirmed = client.post(confirm, headers=SAME_ORIGIN)
    thanks = client.get(confirmed.headers["Location"])

    for response in (opened, confirmed, thanks):
        assert "Set-Cookie" not in response.headers
    # Only "check your email" gets to know the address, from a cookie for its path alone.
    [just_signed] = signed.headers.getlist("Set-Cookie")
    assert just_signed.startswith("just_signed=")
    assert f"Path={page}/check-email;" in just_signed
    assert client.get_cookie("session") is None


@pytest.mark.parametrize("kind", ["campaign", "pledge"])
def test_count_json_is_the_same_for_everyone(client, make_campaign, make_pledge, make_user, kind):
    path = (
        f"/c/{make_campaign().slug}/count.json"
        if kind == "campaign"
        else f"{make_pledge().url}/count.json"
    )
    anonymous = client.get(path)
    log_in(client, make_user())
    organizer = client.get(path)

    for response in (anonymous, organizer):
        assert response.status_code == 200
        assert "Cookie" not in response.headers.get("Vary", "")
        assert "Set-Cookie" not in response.headers
        assert response.cache_control.public and response.cache_control.max_age == 1
    assert anonymous.get_data() == organizer.get_data()


def test_count_json_is_not_rate_limited(app, client, make_campaign):
    app.config["RATELIMIT_ENABLED"] = True
    app.config["PETITION_SIGN_RATE_LIMIT"] = "1 per minute"
    path = f"/c/{make_campaign().slug}/count.json"
    statuses = {client.get(path).status_code for _ in range(50)}
    assert statuses == {200}


def test_count_json_answers_from_memory_for_half_a_second(
    app, client, make_campaign, add_signature, frozen_clock
):
    app.config["PETITION_COUNT_CACHE_SECONDS"] = 0.5
    campaign = make_campaign()
    path = f"/c/{campaign.slug}/count.json"
    assert client.get(path).json["signatures"] == 0

    add_signature(campaign)
    cached = client.get(path)
    frozen_clock.advance(timedelta(seconds=0.5))
    fresh = client.get(path)

    assert cached.json["signatures"] == 0
    assert fresh.json["signatures"] == 1
    assert client.get(path, headers={"If-None-Match": fresh.headers["ETag"]}).status_code == 304


def test_count_json_of_an_unknown_or_draft_campaign_is_404(client, make_campaign):
    draft = make_campaign(status="draft")
    assert client.get(f"/c/{draft.slug}/count.json").status_code == 404
    assert client.get("/c/no-such-campaign/count.json").status_code == 404
    assert client.get("/p/no-such-pledge/count.json").status_code == 404


def test_a_fresh_count_is_answered_before_flask_with_the_same_bytes_and_headers(
    app, client, make_campaign, monkeypatch
):
    app.config["PETITION_COUNT_CACHE_SECONDS"] = 60
    path = f"/c/{make_campaign().slug}/count.json"
    miss = client.get(path)

    def no_flask(*args, **kwargs):
        raise AssertionError("a fresh count went through Flask")

    monkeypatch.setattr(app, "full_dispatch_request", no_flask)
    hit = client.get(path)
    head = client.head(path)
    revalidated = client.get(path, headers={"If-None-Match": miss.headers["ETag"]})

    assert hit.status_code == head.status_code == 200
    assert hit.get_data() == miss.get_data() and head.get_data() == b""
    assert sorted(hit.headers.items()) == sorted(miss.headers.items())
    assert head.headers["Content-Length"] == miss.headers["Content-Length"]
    assert revalidated.status_code == 304 and revalidated.get_data() == b""
    assert revalidated.headers["ETag"] == miss.headers["ETag"]
    monkeypatch.undo()
    assert client.post(path).status_code == 405, "other methods still reach Flask"


@pytest.fixture
def copies_kept(app, frozen_clock):
    app.config["PETITION_PAGE_CACHE_SECONDS"] = 1
    return frozen_clock


def shows_count(response, count: int) -> bool:
    return f"data-count>{count}</strong>" in response.get_data(as_text=True)


def test_a_process_reuses_its_copy_of_an_anonymous_page_for_a_second(
    app, client, copies_kept, make_campaign, add_signature
):
    campaign = make_campaign()
    page = f"/c/{campaign.slug}"
    first = client.get(page)
    add_signature(campaign)

    with count_queries(app) as statements:
        again = client.get(page)

    assert statements == []
    assert again.get_data() == first.get_data()
    assert dict(again.headers) == dict(first.headers)  # Vary, Cache-Control and the rest
    assert "Set-Cookie" not in again.headers
    copies_kept.advance(timedelta(seconds=1))
    assert shows_count(client.get(page), 1)


def test_a_request_with_a_cookie_is_never_served_a_copy_nor_leaves_one(
    app, copies_kept, make_campaign, make_user
):
    campaign = make_campaign()
    page = f"/c/{campaign.slug}"
    organizer = log_in(app.test_client(), make_user())
    anonymous = app.test_client()

    assert "Log out" in organizer.get(page).get_data(as_text=True)
    assert "Log out" not in anonymous.get(page).get_data(as_text=True)
    with count_queries(app) as statements:
        assert "Log out" in organizer.get(page).get_data(as_text=True)
    assert statements


def test_copies_are_kept_per_language_and_never_for_a_query(
    app, client, copies_kept, make_campaign, add_signature
):
    campaign = make_campaign()
    page = f"/c/{campaign.slug}"
    client.get(page, headers={"Accept-Language": "en-US"})
    client.get(f"{page}?from=qr")
    add_signature(campaign)

    assert shows_count(client.get(page, headers={"Accept-Language": "es-MX"}), 1)
    assert shows_count(client.get(f"{page}?from=qr"), 1)
    # Another way of asking for English is the same English page.
    assert not shows_count(client.get(page, headers={"Accept-Language": "en-GB,en"}), 1)
    assert not shows_count(client.get(page, headers={"Accept-Language": "fr-FR"}), 1)


def test_the_embed_kept_copy_may_still_be_framed(client, copies_kept, make_campaign):
    embed = f"/c/{make_campaign().slug}/embed"

    first, again = client.get(embed), client.get(embed)

    for response in (first, again):
        assert response.status_code == 200
        assert "X-Frame-Options" not in response.headers
        assert "frame-ancestors *" in response.headers["Content-Security-Policy"]
    assert again.get_data() == first.get_data()


def test_kept_copies_stay_bounded_dropping_the_expired_first(
    app, client, copies_kept, make_campaign, monkeypatch
):
    from petition import caching

    monkeypatch.setattr(caching, "MAX_COPIES", 3)
    pages = [f"/c/{make_campaign().slug}" for _ in range(4)]
    client.get(pages[0])
    copies_kept.advance(timedelta(seconds=1))  # the first copy expires
    for page in pages[1:]:
        client.get(page)

    kept = app.extensions["petition.page_copies"]
    assert len(kept) == 3
    assert {key[2] for key in kept} == set(pages[1:])


def test_errors_and_redirects_are_not_kept(app, client, copies_kept, make_campaign):
    with count_queries(app) as statements:
        assert client.get("/c/no-such-demand").status_code == 404
        assert client.get("/c/no-such-demand").status_code == 404
    assert len([s for s in statements if "FROM campaigns" in s]) >= 2
