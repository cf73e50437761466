from django.urls import reverse

from coordinator.models import Newcomer
from tests import factories


def test_a_visitor_sees_what_vanmatch_is_and_a_login_link(client, db):
    response = client.get("/")
    assert response.status_code == 200
    assert "språkvänner" in response.content.decode()
    assert reverse("account_login") in response.content.decode()


def test_the_coordinator_sees_the_figures_of_her_own_programmes(client, alice, solvik, sprakvan):
    factories.newcomer(solvik, [sprakvan])
    factories.newcomer(solvik, [sprakvan], consent_given_at=None, consent_method="")
    factories.volunteer(solvik, [sprakvan])
    client.force_login(alice)
    response = client.get("/")
    overview = response.context["overviews"][0]
    assert overview.programme == sprakvan
    assert (overview.waiting_newcomers, overview.available_volunteers, overview.open_matches) == (1, 1, 0)


def test_each_figure_is_counted_on_its_own_not_over_a_join_of_everyone(client, alice, solvik, sprakvan):
    """Three distinct counts over newcomers x volunteers x matches took 8-12 s for a municipality
    and never answered for a region; each figure is now a subquery of its own."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from coordinator.services import match_create

    for _ in range(3):
        factories.newcomer(solvik, [sprakvan])
        factories.volunteer(solvik, [sprakvan], capacity=2)
    match_create(
        programme=sprakvan,
        newcomer=factories.newcomer(solvik, [sprakvan]),
        volunteer=factories.volunteer(solvik, [sprakvan], capacity=2),
        by=alice,
    )
    client.force_login(alice)
    with CaptureQueriesContext(connection) as queries:
        overview = client.get("/").context["overviews"][0]
    assert (overview.waiting_newcomers, overview.available_volunteers, overview.open_matches) == (3, 4, 1)
    counting = next(q["sql"] for q in queries.captured_queries if '"waiting"' in q["sql"])
    assert "DISTINCT" not in counting.upper() and counting.upper().count("COUNT(") == 3


def test_a_coordinator_of_another_organisation_sees_nothing_of_it(client, bob, sprakvan):
    client.force_login(bob)
    response = client.get("/")
    assert response.context["overviews"] == []
    assert "Språkvän Solvik" not in response.content.decode()


def test_an_outsider_is_told_to_ask_for_an_invitation(client, olle, sprakvan):
    client.force_login(olle)
    assert "inbjudan" in client.get("/").content.decode()


def test_the_home_page_costs_the_same_queries_for_one_or_many_programmes(
    client, alice, solvik, sprakvan, django_assert_num_queries
):
    for _ in range(5):
        p = factories.programme(solvik)
        factories.newcomer(solvik, [p])
    client.force_login(alice)
    # session, user, memberships (once per request), programmes with counts, pending proposals, heartbeat
    with django_assert_num_queries(6):
        client.get("/")
    assert Newcomer.objects.count() == 5


def test_health_answers_when_the_database_does(client, db):
    assert client.get("/health/").json() == {"status": "ok"}


def test_the_admin_login_is_the_sites_own_log_in(client, db):
    response = client.get("/admin/login/", follow=True)
    assert response.redirect_chain == [("/konto/login/", 302)]
    assert response.status_code == 200


def test_the_social_worker_sees_the_newcomers_she_registered_and_no_one_else(client, sam, alice, solvik, sprakvan):
    factories.newcomer(solvik, [sprakvan], first_name="Amal", registered_by=sam)
    factories.newcomer(solvik, [sprakvan], first_name="Rana", registered_by=alice)
    client.force_login(sam)
    html = client.get("/").content.decode()
    assert "Amal" in html and "Rana" not in html


def test_the_volunteer_sees_her_match_but_only_the_facts_the_newcomer_agreed_to_share(
    client, vera, solvik, sprakvan, alice
):
    from coordinator import services
    from coordinator.models import Volunteer

    amal = factories.newcomer(solvik, [sprakvan], first_name="Amal", consent_shareable=[])
    services.match_create(programme=sprakvan, newcomer=amal, volunteer=Volunteer.objects.get(user=vera), by=alice)
    client.force_login(vera)
    html = client.get("/").content.decode()
    assert "Godkänd" in html and "1 av 1 plats fylld" in html
    assert "Amal" not in html and "En nyanländ" in html
    amal.consent_shareable = ["first_name"]
    amal.save()
    assert "Amal" in client.get("/").content.decode()


def test_a_household_of_one_adult_is_one_vuxen_not_one_vuxna(solvik, sprakvan):
    from coordinator import selectors

    amal = factories.newcomer(solvik, [sprakvan], consent_shareable=["household"], household_adults=1)
    assert ("Hushåll", "1 vuxen") in selectors.newcomer_seen_by(amal)["facts"]
    amal.household_adults = 2
    assert ("Hushåll", "2 vuxna") in selectors.newcomer_seen_by(amal)["facts"]
