"""A volunteer sees their status, changes what they told us, pauses, and leaves (with erasure if they ask)."""

from django.urls import reverse

from accounts.models import Membership
from coordinator import services
from coordinator.models import Volunteer
from tests import factories
from tests.conftest import recently_authenticated


def test_the_volunteer_sees_her_status_and_what_she_told_us(client, vera):
    client.force_login(vera)
    html = client.get(reverse("my_volunteering")).content.decode()
    assert "Godkänd" in html and "Solvik kommun" in html and "måndag kväll" in html


def test_a_user_without_a_profile_is_sent_to_the_start_page(client, olle):
    client.force_login(olle)
    assert client.get(reverse("my_volunteering"))["Location"] == reverse("volunteer_start")


def test_the_volunteer_changes_her_times(client, vera):
    client.force_login(vera)
    url = reverse("my_volunteering_edit", args=["tider"])
    assert "checked" in client.get(url).content.decode()
    response = client.post(url, {"availability": ["tue-morning", "sun-afternoon"]})
    assert response["Location"] == reverse("my_volunteering")
    assert Volunteer.objects.get(user=vera).availability == ["tue-morning", "sun-afternoon"]


def test_a_bad_change_is_refused_at_its_field_and_nothing_is_saved(client, vera):
    client.force_login(vera)
    response = client.post(reverse("my_volunteering_edit", args=["plats"]), {"postcode": "00000"})
    assert (
        "Postnumret 000 00 finns inte i vår förteckning. Stämmer det, skriv orten också, så hittar vi platsen."
        in response.context["form"].errors["postcode"]
    )
    assert Volunteer.objects.get(user=vera).postcode == "178 30"


def test_capacity_cannot_go_below_the_open_matches(client, vera, solvik, sprakvan, alice):
    volunteer = Volunteer.objects.get(user=vera)
    volunteer.capacity = 2
    volunteer.save()
    for _ in range(2):
        services.match_create(
            programme=sprakvan, newcomer=factories.newcomer(solvik, [sprakvan]), volunteer=volunteer, by=alice
        )
    client.force_login(vera)
    data = {"wants": "either", "capacity": "1", "household_adults": "1"}
    response = client.post(reverse("my_volunteering_edit", args=["onskemal"]), data)
    assert "minst så många" in " ".join(response.context["form"].errors["capacity"])
    assert Volunteer.objects.get(user=vera).capacity == 2


def test_the_volunteer_pauses_and_resumes(client, vera):
    client.force_login(vera)
    client.post(reverse("my_volunteering_pause"))
    assert Volunteer.objects.get(user=vera).status == "paused"
    client.post(reverse("my_volunteering_pause"), {"resume": "1"})
    assert Volunteer.objects.get(user=vera).status == "approved"


def test_an_applicant_cannot_pause_before_being_approved(client, vera):
    Volunteer.objects.filter(user=vera).update(status="applied")
    client.force_login(vera)
    client.post(reverse("my_volunteering_pause"))
    assert Volunteer.objects.get(user=vera).status == "applied"


def test_withdrawing_keeps_the_record_and_ends_the_volunteering(client, vera):
    client.force_login(vera)
    client.post(reverse("my_volunteering_withdraw"))
    v = Volunteer.objects.get(user=vera)
    assert v.status == "withdrawn" and v.first_name == "Vera"


def test_withdrawing_with_erasure_removes_what_identifies_her_and_closes_the_login(client, vera):
    volunteer_id = Volunteer.objects.get(user=vera).pk
    recently_authenticated(client, vera)
    response = client.post(reverse("my_volunteering_withdraw"), {"erase": "on"})
    assert response["Location"] == reverse("home")
    v = Volunteer.objects.get(pk=volunteer_id)
    assert (v.first_name, v.last_name, v.email, v.postcode, v.latitude, v.user) == ("Raderad", "", "", "", None, None)
    assert v.birth_year == 1970 and v.gender == "female" and v.status == "withdrawn"
    vera.refresh_from_db()
    assert not vera.is_active and not vera.has_usable_password() and "vera" not in vera.email
    assert not Membership.objects.filter(user=vera).exists()
    assert client.get(reverse("my_volunteering")).status_code == 302  # logged out


def test_withdrawing_is_refused_while_a_match_is_open(client, vera, solvik, sprakvan, alice):
    volunteer = Volunteer.objects.get(user=vera)
    services.match_create(
        programme=sprakvan, newcomer=factories.newcomer(solvik, [sprakvan]), volunteer=volunteer, by=alice
    )
    client.force_login(vera)
    client.post(reverse("my_volunteering_withdraw"), {"erase": "on"})
    assert Volunteer.objects.get(pk=volunteer.pk).status == "approved"


def test_erasure_asks_for_the_password_again_first(client, vera):
    client.force_login(vera)
    response = client.post(reverse("my_volunteering_withdraw"), {"erase": "on"})
    assert "/konto/reauthenticate/" in response["Location"]
    assert Volunteer.objects.get(user=vera).first_name == "Vera"


def test_the_wishes_step_opens_with_what_she_wished_before(client, vera):
    Volunteer.objects.filter(user=vera).update(wants_family=True, wants_age_min=20, household_children_ages=[4])
    client.force_login(vera)
    initial = client.get(reverse("my_volunteering_edit", args=["onskemal"])).context["form"].initial
    assert (initial["wants"], initial["wants_age_min"], initial["children_ages"]) == ("family", 20, "4")
