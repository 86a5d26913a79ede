"""The front page shows the movement: live demands, where the candidates stand, and victories."""

from datetime import UTC, datetime

from markupsafe import Markup

from petition.extensions import db
from petition.models import Campaign, CampaignStatus, Target

from .fixtures_pledges import answer, link_for
from .helpers import count_queries


def target_in(city: str) -> list[Target]:
    return [Target(name="Test Prosecutor", office="District Attorney", jurisdiction=city)]


def tally_text(html: str, slug: str) -> str:
    start = html.index(f'href="/p/{slug}#pledged-heading"')
    return " ".join(html[start : html.index("</div>", start)].split())


def test_the_front_page_lists_each_races_scoreboard(app, client, make_pledge):
    pledge = make_pledge(candidates=("Ana (test)", "Ben (test)", "Cy (test)", "Di (test)"))
    answer(client, link_for(app, pledge.candidates["Ana (test)"]), "pledged")
    answer(client, link_for(app, pledge.candidates["Ben (test)"]), "declined")
    changed = link_for(app, pledge.candidates["Cy (test)"])
    answer(client, changed, "declined")
    answer(client, changed, "pledged")  # the standing answer is the latest

    response = app.test_client().get("/")  # a visitor: no session from answering
    html = response.get_data(as_text=True)

    assert "Where the candidates stand" in html
    assert f'<a href="/p/{pledge.slug}">Test pledge' in html
    assert "Test Parish District Attorney · Testville, LA · Election day" in html
    assert '<time datetime="2026-11-03">November 3, 2026</time>' in html
    assert "4 candidates:" in html
    tally = tally_text(html, pledge.slug)
    assert "<strong>2</strong> pledged" in tally
    assert "<strong>1</strong> declined" in tally
    assert "<strong>1</strong> no response" in tally
    assert "public" in response.headers["Cache-Control"]
    assert "Set-Cookie" not in response.headers


def test_a_pledge_that_is_not_public_is_not_on_the_front_page(app, client, make_pledge):
    pledge = make_pledge()
    with app.app_context():
        db.session.get(Campaign, pledge.campaign_id).status = CampaignStatus.PENDING
        db.session.commit()

    assert f"/p/{pledge.slug}" not in client.get("/").get_data(as_text=True)


def test_the_front_page_reads_the_same_number_of_statements_for_any_number_of_races(
    app, client, make_pledge, make_campaign
):
    def statements_for_home() -> int:
        with count_queries(app) as statements:
            assert client.get("/").status_code == 200
        return len(statements)

    make_pledge()
    make_campaign(status=CampaignStatus.WON, won_at=datetime(2026, 1, 5, tzinfo=UTC))
    before = statements_for_home()
    for _ in range(3):
        made = make_pledge(candidates=("X (test)", "Y (test)", "Z (test)"))
        answer(client, link_for(app, made.candidate_ids[0]), "pledged")
        make_campaign(status=CampaignStatus.WON, won_at=datetime(2026, 1, 6, tzinfo=UTC))

    assert statements_for_home() == before


def test_the_front_page_leads_to_every_victory(client, make_campaign):
    make_campaign(
        title="Bail fund returned",
        status=CampaignStatus.WON,
        won_at=datetime(2026, 2, 1, tzinfo=UTC),
    )
    html = client.get("/").get_data(as_text=True)
    assert "Bail fund returned" in html
    assert '<a href="/victories">Every victory, city by city</a>' in html


def test_victories_are_grouped_city_by_city_newest_first_with_their_stories(client, make_campaign):
    def won(title, city, day, **extra):
        return make_campaign(
            title=title,
            targets=target_in(city),
            status=CampaignStatus.WON,
            won_at=datetime(2026, 1, day, tzinfo=UTC),
            **extra,
        )

    won("Dallas first win", "Dallas, TX", 3)
    won(
        "Orleans win",
        "New Orleans, LA",
        10,
        victory_story_html=Markup("<p>We packed the hall.</p>"),
    )
    won("Dallas second win", "Dallas, TX", 12)
    make_campaign(
        title="Delivered in Chicago",
        targets=target_in("Chicago, IL"),
        status=CampaignStatus.CLOSED,
        delivered_at=datetime(2026, 1, 8, 18, tzinfo=UTC),  # noon in Chicago
        delivered_to="the State's Attorney",
    )
    make_campaign(title="Still live", targets=target_in("Orlando, FL"))

    response = client.get("/victories")
    html = response.get_data(as_text=True)

    cities = [
        html.index(f">{city}</h2>") for city in ("Dallas, TX", "New Orleans, LA", "Chicago, IL")
    ]
    assert cities == sorted(cities), "the city of the newest victory comes first"
    assert html.index("Dallas second win") < html.index("Dallas first win")
    assert "<p>We packed the hall.</p>" in html
    assert "<strong>Delivered</strong> to the State&#39;s Attorney on January 8, 2026" in html
    assert "Still live" not in html and "Orlando" not in html
    assert "public" in response.headers["Cache-Control"]


def test_victories_come_a_page_at_a_time(client, make_campaign, monkeypatch):
    from petition.campaigns import victories

    monkeypatch.setattr(victories, "PER_PAGE", 2)
    for day in range(1, 6):
        make_campaign(
            title=f"Win of January {day}",
            status=CampaignStatus.WON,
            won_at=datetime(2026, 1, day, tzinfo=UTC),
        )

    first = client.get("/victories").get_data(as_text=True)
    third = client.get("/victories?page=3").get_data(as_text=True)

    assert "Win of January 5" in first and "Win of January 4" in first
    assert "Win of January 3" not in first
    assert '<a rel="next" href="/victories?page=2">Older victories</a>' in first
    assert "Win of January 1" in third and 'rel="next"' not in third
    assert '<a rel="prev" href="/victories?page=2">Newer victories</a>' in third
    assert client.get("/victories?page=4").status_code == 404
    assert client.get("/victories?page=0").status_code == 404
    assert client.get("/victories?page=abc").status_code == 200
    # Past the last page by far: still a clean 404, never an integer overflow.
    assert client.get("/victories?page=1000000000000000000").status_code == 404
    assert client.get(f"/victories?page={'9' * 30}").status_code == 404
    # Too long for int(): not a page number, so the first page, as for ?page=abc.
    assert client.get(f"/victories?page={'9' * 5000}").status_code == 200


def test_a_demand_links_the_pledges_it_backs_and_each_pledge_links_it(
    client, make_campaign, make_pledge
):
    demand = make_campaign(title="End cash bail in Orleans Parish")
    backed = make_pledge(campaign=demand)
    own = make_pledge()

    demand_page = client.get(f"/c/{demand.slug}").get_data(as_text=True)
    backed_page = client.get(backed.url).get_data(as_text=True)
    own_page = client.get(own.url).get_data(as_text=True)

    assert "Candidates' pledges this demand backs" in demand_page
    assert f'<a href="/p/{backed.slug}">' in demand_page
    assert f'/p/{own.slug}"' not in demand_page
    assert (
        f'Backed by the demand <a href="/c/{demand.slug}">End cash bail in Orleans Parish</a>'
        in (backed_page)
    )
    assert "Backed by the demand" not in own_page


def test_victories_read_the_same_number_of_statements_for_any_number_of_cities(
    app, client, make_campaign
):
    def statements_for_victories() -> int:
        with count_queries(app) as statements:
            assert client.get("/victories").status_code == 200
        return len(statements)

    make_campaign(status=CampaignStatus.WON, won_at=datetime(2026, 1, 5, tzinfo=UTC))
    before = statements_for_victories()
    for city in ("Dallas, TX", "Orlando, FL", "Chicago, IL"):
        make_campaign(
            targets=target_in(city),
            status=CampaignStatus.WON,
            won_at=datetime(2026, 1, 6, tzinfo=UTC),
        )

    assert statements_for_victories() == before
