"""A signed-up user applies as a volunteer, one step per page. Her answers are kept on the server
as she goes (a draft), so a break, an idle log-out or another device loses nothing; she becomes a
volunteer only at the last step."""

import re
import time
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.middleware import LAST_SEEN
from accounts.models import Membership, Role
from coordinator.models import ApplicationDraft, Volunteer
from coordinator.services.retention import retention_apply
from tests import factories
from tests.conftest import Client

STEPS = {
    "om-dig": {
        "first_name": "Karin",
        "last_name": "Berg",
        "phone": "070-123 45 67",
        "birth_year": "1968",
        "gender": "female",
    },
    "program": {},  # filled in with the programme's id
    "sprak": {
        "languages": ["sv", "en"],
        "swedish_level": "native",
        "interests": ["matlagning"],
        "other_interests": "Kör, bakning",
    },
    "tider": {"availability": ["mon-evening", "sat-morning"]},
    "plats": {"postcode": "17832", "locality": ""},
    "onskemal": {
        "gender_preference": "",
        "wants": "either",
        "wants_age_min": "",
        "wants_age_max": "",
        "capacity": "2",
        "household_adults": "2",
        "children_ages": "9, 12",
    },
    "samtycke": {"accept": "on"},
}


@pytest.fixture
def karin(db):
    return factories.user("karin@example.se", first_name="")


def step_url(step):
    return reverse("volunteer_apply_step", args=[step])


def apply(client, sprakvan, upto=None, **changes):
    responses = {}
    for step, data in STEPS.items():
        data = {**data, **changes.get(step, {})}
        if step == "program":
            data = {"programmes": [sprakvan.pk], **changes.get(step, {})}
        responses[step] = client.post(step_url(step), data)
        if step == upto:
            break
    return responses


def test_a_visitor_is_asked_to_log_in_before_applying(client, db):
    response = client.get(reverse("volunteer_apply"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_a_new_user_is_sent_from_the_start_page_to_the_first_step(client, karin):
    client.force_login(karin)
    response = client.get(reverse("volunteer_apply"))
    assert response["Location"] == step_url("om-dig")


def test_it_refuses_to_skip_ahead_to_a_later_step(client, karin):
    client.force_login(karin)
    response = client.get(step_url("plats"))
    assert response["Location"] == step_url("om-dig")


def test_a_volunteer_applies_step_by_step_and_is_saved_only_at_the_end(client, karin, sprakvan):
    client.force_login(karin)
    responses = apply(client, sprakvan, upto="onskemal")
    assert all(r.status_code == 302 for r in responses.values())
    assert not Volunteer.objects.exists()

    summary = client.get(step_url("samtycke")).content.decode()
    assert "Karin Berg" in summary and "måndag kväll" in summary and "Ekerö" in summary

    response = client.post(step_url("samtycke"), {"accept": "on"})
    assert response["Location"] == reverse("my_volunteering")
    v = Volunteer.objects.get(user=karin)
    assert (v.first_name, v.status, v.organisation_id) == ("Karin", "applied", sprakvan.organisation_id)
    assert v.languages == ["sv", "en"] and v.interests == ["matlagning", "kör", "bakning"]
    assert v.availability == ["mon-evening", "sat-morning"]
    assert (v.postcode, v.locality, round(v.latitude, 1)) == ("178 32", "Ekerö", 59.3)
    assert v.capacity == 2 and v.household_children_ages == [9, 12] and v.wants_family is None
    assert v.privacy_notice_version == "2026-11-01" and v.privacy_consented_at is not None
    assert list(v.programmes.all()) == [sprakvan]
    assert Membership.objects.filter(user=karin, role=Role.VOLUNTEER, organisation=sprakvan.organisation).exists()
    karin.refresh_from_db()
    assert karin.first_name == "Karin"


@pytest.mark.parametrize(
    ("step", "data", "field", "message"),
    [
        ("om-dig", {"birth_year": "2099"}, "birth_year", "Födelseåret 2099 ligger i framtiden."),
        ("om-dig", {"first_name": '<img src="/dev/zero"/>'}, "first_name", "bara ha bokstäver"),
        ("om-dig", {"last_name": "=HYPERLINK(1)"}, "last_name", "bara ha bokstäver"),
        ("sprak", {"languages": []}, "languages", "Ange minst ett språk."),
        ("sprak", {"languages": ["sv", "xx"]}, "languages", "xx"),
        ("tider", {"availability": ["mon-night"]}, "availability", "mon-night"),
        ("tider", {"availability": []}, "availability", "Välj minst en tid i veckan."),
        ("plats", {"postcode": "1234"}, "postcode", "”1234” är inget svenskt postnummer"),
        (
            "plats",
            {"postcode": "99999"},
            "postcode",
            "Postnumret 999 99 finns inte i vår förteckning. Stämmer det, skriv orten också, så hittar vi platsen.",
        ),
        ("plats", {"postcode": "", "locality": ""}, "postcode", "Ange postnummer eller ort."),
        ("onskemal", {"children_ages": "fyra"}, "children_ages", "”fyra” är ingen ålder"),
        ("onskemal", {"wants_age_min": "60", "wants_age_max": "30"}, "wants_age_max", "minst lika mycket"),
    ],
)
def test_bad_input_gets_a_message_at_its_field_and_nothing_is_saved(
    client, karin, sprakvan, step, data, field, message
):
    client.force_login(karin)
    apply(client, sprakvan, upto=step, **{step: data})
    response = client.post(step_url(step), {**STEPS[step], **data} if step != "program" else data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors, errors
    assert message in " ".join(errors[field])
    html = response.content.decode()
    assert f'id="id_{field}_error"' in html and 'aria-invalid="true"' in html or field in ("languages", "availability")
    assert not Volunteer.objects.exists()


def test_it_needs_consent_to_the_privacy_notice(client, karin, sprakvan):
    client.force_login(karin)
    responses = apply(client, sprakvan, samtycke={"accept": ""})
    assert responses["samtycke"].status_code == 200
    assert "Du behöver samtycka" in responses["samtycke"].content.decode()
    assert not Volunteer.objects.exists()


def test_programmes_of_two_organisations_are_refused(client, karin, sprakvan, norrby):
    other = factories.programme(norrby, name="Guide Norrby")
    client.force_login(karin)
    apply(client, sprakvan, upto="om-dig")
    response = client.post(step_url("program"), {"programmes": [sprakvan.pk, other.pk]})
    assert "en organisation i taget" in " ".join(response.context["form"].errors["programmes"])


def test_an_inactive_programme_cannot_be_chosen(client, karin, sprakvan):
    sprakvan.active = False
    sprakvan.save()
    client.force_login(karin)
    apply(client, sprakvan, upto="om-dig")
    response = client.post(step_url("program"), {"programmes": [sprakvan.pk]})
    assert "programmes" in response.context["form"].errors


def test_someone_who_already_applied_is_shown_their_profile_instead(client, vera, sprakvan):
    client.force_login(vera)
    response = client.get(step_url("om-dig"))
    assert response["Location"] == reverse("my_volunteering")
    assert Volunteer.objects.filter(user=vera).count() == 1


def test_the_start_page_lists_the_organisations_looking_for_volunteers(client, sprakvan, norrby):
    factories.programme(norrby, name="Vänfamilj Norrby", kind="vanfamilj", active=False)
    html = client.get(reverse("volunteer_start")).content.decode()
    assert "Solvik kommun" in html and "Språkvän Solvik" in html
    assert "Vänfamilj Norrby" not in html


def test_the_organisation_chosen_on_the_start_page_narrows_the_programmes(client, karin, sprakvan, norrby):
    factories.programme(norrby, name="Guide Norrby")
    client.force_login(karin)
    client.get(reverse("volunteer_start"), {"org": "solvik"})
    apply(client, sprakvan, upto="om-dig")
    html = client.get(step_url("program")).content.decode()
    assert "Språkvän Solvik" in html and "Guide Norrby" not in html


def test_after_an_idle_log_out_she_goes_on_where_she_left_off_on_another_device(client, karin, sprakvan):
    client.force_login(karin)
    apply(client, sprakvan, upto="tider")
    session = client.session
    session[LAST_SEEN] = time.time() - 31 * 60  # her coffee break
    session.save()

    response = client.get(step_url("plats"), follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("account_login")), "logged out"
    html = response.content.decode()
    assert "30 minuter" in html and "Din ansökan är sparad" in html, "she is told why, and that nothing is lost"

    phone = Client()
    phone.force_login(karin)
    assert phone.get(reverse("volunteer_apply"))["Location"] == step_url("plats")
    assert phone.get(step_url("tider")).context["form"].cleaned_data["availability"] == [
        "mon-evening",
        "sat-morning",
    ]
    apply(phone, sprakvan)
    v = Volunteer.objects.get(user=karin)
    assert (v.first_name, v.availability) == ("Karin", ["mon-evening", "sat-morning"])
    assert not ApplicationDraft.objects.filter(user=karin).exists(), "sent: the draft is gone"


def test_what_she_types_in_a_step_is_kept_as_she_goes_before_she_presses_next(client, karin, sprakvan):
    client.force_login(karin)
    apply(client, sprakvan, upto="tider")
    typed = client.post(
        reverse("volunteer_apply_keep", args=["plats"]),
        {"postcode": "178 32", "smuggled": "x" * 10},
        headers={"X-Requested-With": "fetch"},
    )
    assert typed.status_code == 204

    other_device = Client()
    other_device.force_login(karin)
    form = other_device.get(step_url("plats")).context["form"]
    assert form.initial["postcode"] == "178 32" and not form.is_bound, "shown as typed, not judged yet"
    assert "smuggled" not in ApplicationDraft.objects.get(user=karin).current


def test_a_step_with_a_mistake_keeps_what_she_typed(client, karin, sprakvan):
    client.force_login(karin)
    apply(client, sprakvan, upto="sprak")
    client.post(step_url("tider"), {"availability": ["mon-night", "sat-morning"]})
    form = Client()
    form.force_login(karin)
    assert form.get(step_url("tider")).context["form"].initial["availability"] == ["mon-night", "sat-morning"]


def test_save_and_return_tells_her_how_to_come_back(client, karin, sprakvan):
    client.force_login(karin)
    apply(client, sprakvan, upto="om-dig")
    response = client.post(reverse("volunteer_apply_keep", args=["program"]), {}, follow=True)
    html = response.content.decode()
    assert response.redirect_chain == [(reverse("volunteer_start"), 302)]
    assert "Din ansökan är sparad" in html and "Fortsätt din ansökan" in html


def test_saving_a_step_that_does_not_exist_answers_as_a_missing_page(client, karin):
    client.force_login(karin)
    assert client.post(reverse("volunteer_apply_keep", args=["nope"]), {}).status_code == 404
    assert not ApplicationDraft.objects.exists()


def test_someone_who_already_applied_cannot_keep_a_draft(client, vera):
    client.force_login(vera)
    assert client.post(reverse("volunteer_apply_keep", args=["om-dig"]), {"first_name": "X"}).status_code == 404


@pytest.mark.django_db(transaction=True)  # allauth sends the verification after commit
def test_the_organisation_she_chose_before_signing_up_holds_when_she_confirms_on_another_device(
    client, sprakvan, norrby
):
    factories.programme(norrby, name="Guide Norrby")
    client.get(reverse("volunteer_start"), {"org": "solvik"})
    client.post(
        reverse("account_signup"),
        {"email": "karin@example.se", "password1": "ett-langt-losenord", "password2": "ett-langt-losenord"},
    )
    link = re.search(r"https?://\S+(/konto/confirm-email/\S+/)", mail.outbox[-1].body).group(1)

    phone = Client()
    phone.post(link)
    phone.post(reverse("account_login"), {"login": "karin@example.se", "password": "ett-langt-losenord"})
    apply(phone, sprakvan, upto="om-dig")
    html = phone.get(step_url("program")).content.decode()
    assert "Språkvän Solvik" in html and "Guide Norrby" not in html


def test_an_application_never_sent_is_deleted_after_ninety_untouched_days(client, karin, sprakvan):
    client.force_login(karin)
    apply(client, sprakvan, upto="om-dig")
    today = timezone.localdate()
    retention_apply(dry_run=False, today=today + timedelta(days=ApplicationDraft.KEPT_DAYS))
    assert ApplicationDraft.objects.filter(user=karin).exists(), "not yet"
    retention_apply(dry_run=False, today=today + timedelta(days=ApplicationDraft.KEPT_DAYS + 1))
    assert not ApplicationDraft.objects.filter(user=karin).exists()


def test_a_sixteen_year_old_is_told_a_volunteer_is_at_least_eighteen(client, karin, sprakvan):
    client.force_login(karin)
    response = apply(client, sprakvan, upto="om-dig", **{"om-dig": {"birth_year": "2010"}})["om-dig"]
    assert "En volontär är minst 18 år." in response.context["form"].errors["birth_year"]


def test_the_last_step_shows_her_answers_step_by_step_each_with_a_change_link(client, karin, sprakvan):
    client.force_login(karin)
    apply(client, sprakvan, upto="onskemal")

    page = client.get(step_url("samtycke")).content.decode()

    assert "Kontrollera dina svar" in page
    for step in ("om-dig", "program", "sprak", "tider", "plats", "onskemal"):
        assert f'href="{step_url(step)}?andra=1"' in page
    assert "Måndag kväll" in page or "måndag kväll" in page
    assert "Den nyanländes ålder" not in page  # she left the age open: nothing to say


def test_correcting_step_three_from_the_summary_leads_straight_back_to_the_summary(client, karin, sprakvan):
    client.force_login(karin)
    apply(client, sprakvan, upto="onskemal")

    form = client.get(step_url("sprak") + "?andra=1").content.decode()
    assert "Tillbaka till dina svar" in form and "Spara ändringen" in form
    response = client.post(step_url("sprak") + "?andra=1", {**STEPS["sprak"], "languages": ["sv", "en", "ar"]})

    assert response.status_code == 302 and response["Location"] == step_url("samtycke")
    assert "arabiska" in client.get(step_url("samtycke")).content.decode()
    assert not Volunteer.objects.exists()  # nothing is sent until she sends it


def test_a_change_link_before_every_step_is_answered_goes_on_to_the_next_step_as_usual(client, karin, sprakvan):
    client.force_login(karin)
    apply(client, sprakvan, upto="sprak")

    response = client.post(step_url("om-dig") + "?andra=1", STEPS["om-dig"])

    assert response["Location"] == step_url("program")


def test_the_steps_she_has_answered_are_links_and_the_others_are_not(client, karin, sprakvan):
    client.force_login(karin)
    apply(client, sprakvan, upto="program")

    page = client.get(step_url("sprak")).content.decode()

    assert f'href="{step_url("om-dig")}"' in page and f'href="{step_url("program")}"' in page
    assert f'href="{step_url("tider")}"' not in page
    assert 'aria-current="step"' in page


def test_the_common_languages_come_first_swedish_before_all(client, karin, sprakvan):
    client.force_login(karin)
    apply(client, sprakvan, upto="program")

    page = client.get(step_url("sprak")).content.decode()

    values = re.findall(r'name="languages" value="([a-z]+)"', page)
    assert values[:8] == ["sv", "en", "ar", "prs", "fa", "ti", "so", "uk"]
    assert sorted(values) == sorted(set(values)) and len(values) == 30
    assert "Vanligast" in page and "Fler språk" in page and "Sök bland språken" in page


def test_the_weekly_grid_says_the_hours_and_each_whole_cell_is_a_label(client, karin, sprakvan):
    client.force_login(karin)
    apply(client, sprakvan, upto="sprak")

    page = client.get(step_url("tider")).content.decode()

    for hours in ("kl. 8–12", "kl. 12–17", "kl. 17–21"):
        assert hours in page
    assert len(re.findall(r'<label for="id_availability_mon_evening" class="slot-cell"><input', page)) == 1
