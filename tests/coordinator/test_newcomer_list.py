"""Sam looks her newcomers up: by name or birth year, by status and programme, a page at a time;
she never finds a newcomer she does not follow."""

import pytest
from django.urls import reverse

from tests import factories


@pytest.fixture
def sams_newcomers(solvik, sprakvan, sam):
    return [
        factories.newcomer(
            solvik, [sprakvan], registered_by=sam, first_name="Rana", last_name="Saleh", birth_year=1990
        ),
        factories.newcomer(
            solvik, [sprakvan], registered_by=sam, first_name="Rana", last_name="Saleh", birth_year=2001
        ),
        factories.newcomer(
            solvik, [sprakvan], registered_by=sam, first_name="Omid", last_name="Rahimi", birth_year=1985
        ),
    ]


def _names(response) -> list[str]:
    return [f"{n.first_name} {n.birth_year}" for n in response.context["newcomers"]]


def test_sam_finds_the_rana_saleh_born_in_2001(client, sam, sams_newcomers):
    client.force_login(sam)
    response = client.get(reverse("newcomer_list"), {"q": "rana 2001"})
    assert _names(response) == ["Rana 2001"]


def test_sam_filters_by_status(client, sam, sams_newcomers):
    sams_newcomers[2].status = "matched"
    sams_newcomers[2].save()
    client.force_login(sam)
    assert _names(client.get(reverse("newcomer_list"), {"status": "matched"})) == ["Omid 1985"]


def test_a_newcomer_sam_does_not_follow_is_never_found(client, sam, sams_newcomers, solvik, sprakvan):
    other = factories.user("siv@solvik.se")
    factories.member(other, solvik, "social_worker")
    factories.newcomer(solvik, [sprakvan], registered_by=other, first_name="Rana", last_name="Saleh")
    client.force_login(sam)
    assert len(client.get(reverse("newcomer_list"), {"q": "Saleh"}).context["newcomers"]) == 2


def test_a_long_list_comes_a_page_at_a_time_and_the_search_stays_on_each_page(
    client, sam, solvik, sprakvan, django_assert_num_queries
):
    for i in range(30):
        factories.newcomer(solvik, [sprakvan], registered_by=sam, first_name="Amal", last_name=f"Nr{i}")
    client.force_login(sam)
    client.get(reverse("newcomer_list"))  # the session and the user are loaded once
    # session, user, memberships, programmes for the filter, the count, the page, its programmes,
    # the audit rows (in one insert)
    with django_assert_num_queries(8):
        response = client.get(reverse("newcomer_list"), {"q": "amal"})
    html = response.content.decode()
    assert len(response.context["newcomers"]) == 25 and "Sida 1 av 2" in html
    assert "?q=amal&amp;sida=2" in html
    assert len(client.get(reverse("newcomer_list"), {"q": "amal", "sida": 2}).context["newcomers"]) == 5


def test_a_programme_id_that_is_not_hers_is_refused_at_its_field(client, sam, sams_newcomers):
    client.force_login(sam)
    response = client.get(reverse("newcomer_list"), {"programme": "999999"})
    assert response.status_code == 400 and "programme" in response.context["search"].errors
