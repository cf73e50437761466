"""The coordinator's dashboard: waiting, available, pending, due, ending — at a fixed cost."""

import pytest
from django.urls import reverse

from coordinator import services
from coordinator.models import Newcomer, Volunteer
from tests import factories


def test_the_dashboard_shows_the_programmes_figures(client, alice, solvik, sprakvan):
    amal = factories.newcomer(solvik, [sprakvan])
    factories.newcomer(solvik, [sprakvan], first_name="Omar")
    karin = factories.volunteer(solvik, [sprakvan])
    factories.volunteer(solvik, [sprakvan], first_name="Maja")
    services.match_create(programme=sprakvan, newcomer=amal, volunteer=karin, by=alice)
    client.force_login(alice)
    response = client.get(reverse("programme_dashboard", args=[sprakvan.pk]))
    assert (response.context["waiting"], response.context["available"]) == (1, 1)
    assert {s["state"]: s["count"] for s in response.context["states"]}["approved"] == 1
    assert "Kör matchning" in response.content.decode()


@pytest.mark.parametrize("people", [10, 1000])
def test_the_dashboard_costs_the_same_queries_for_ten_or_a_thousand(
    client, alice, solvik, sprakvan, django_assert_num_queries, people
):
    newcomers = Newcomer.objects.bulk_create([factories.newcomer_unsaved(solvik) for _ in range(people // 2)])
    volunteers = Volunteer.objects.bulk_create([factories.volunteer_unsaved(solvik) for _ in range(people // 2)])
    sprakvan.newcomers.add(*newcomers)
    sprakvan.volunteers.add(*volunteers)
    for n, v in list(zip(newcomers, volunteers, strict=True))[:5]:
        services.match_create(programme=sprakvan, newcomer=n, volunteer=v, by=alice)
    client.force_login(alice)
    # session, user, memberships, programme; waiting dates, available, pending, matches by state,
    # follow-ups due, ending soon, latest run, longest waiting; the audit rows of whom it names (one INSERT)
    with django_assert_num_queries(13):
        response = client.get(reverse("programme_dashboard", args=[sprakvan.pk]))
    assert response.context["waiting"] == people // 2 - 5


def test_every_day_of_waiting_belongs_to_one_band_and_each_bar_is_drawn_to_its_count(client, alice, solvik, sprakvan):
    from datetime import date, timedelta

    today = date(2026, 12, 1)
    for waited in [0, 30, 31, 90, 91, 180, 181, 400] + [10] * 30:
        factories.newcomer(solvik, [sprakvan], registered_on=today - timedelta(days=waited))
    client.force_login(alice)

    response = client.get(reverse("programme_dashboard", args=[sprakvan.pk]))

    bands = response.context["wait_bands"]
    assert [b["count"] for b in bands] == [32, 2, 2, 2]
    assert [b["percent"] for b in bands] == [100, 6, 6, 6]
    html = response.content.decode()
    assert "0–30 dagar" in html and "31–90 dagar" in html and "181 dagar eller mer" in html
    assert 'class="bar w100"' in html and 'class="bar w6"' in html


def test_before_a_run_the_coordinator_is_told_who_has_no_place_and_led_to_them(client, alice, solvik, sprakvan):
    factories.newcomer(solvik, [sprakvan], first_name="Amal")
    for name in ("Rana", "Yonas"):
        factories.newcomer(solvik, [sprakvan], first_name=name, postcode="", locality="", latitude=None, longitude=None)
    factories.volunteer(solvik, [sprakvan], first_name="Karin", postcode="", locality="", latitude=None, longitude=None)
    client.force_login(alice)

    html = client.get(reverse("programme_dashboard", args=[sprakvan.pk])).content.decode()
    listed = client.get(reverse("programme_newcomers", args=[sprakvan.pk]), {"place": "missing", "status": "waiting"})

    assert "2 väntande nyanlända saknar postnummer och ort" in html
    assert "1 volontär som kan ta fler saknar postnummer och ort" in html
    assert "gränsen på 25 km gäller bara när båda har en känd plats" in html
    assert [str(p) for p in listed.context["people"].object_list] == ["Rana Haddad", "Yonas Haddad"]


def test_without_a_distance_limit_a_missing_place_is_no_warning(client, alice, solvik, sprakvan):
    sprakvan.max_distance_km = None
    sprakvan.save()
    factories.newcomer(solvik, [sprakvan], postcode="", locality="", latitude=None, longitude=None)
    client.force_login(alice)
    html = client.get(reverse("programme_dashboard", args=[sprakvan.pk])).content.decode()
    assert "saknar postnummer och ort" not in html
