"""Coordinators screen volunteers: interviewed, approved or rejected with a reason, background checks."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from coordinator.models import ScreeningEvent, Volunteer
from tests import factories


@pytest.fixture
def karin(solvik, sprakvan):
    return factories.volunteer(solvik, [sprakvan], status="applied", first_name="Karin", email="karin@example.se")


def decide(client, volunteer, to, reason="", **more):
    body = {"to_status": to, "reason": reason, **more}
    if to == "approved" and "programmes" not in more:
        body["programmes"] = [p.pk for p in volunteer.programmes.all()]  # as the form has them ticked
    return client.post(reverse("volunteer_screen", args=[volunteer.pk]), body)


def test_the_coordinator_sees_applicants_and_counts_by_status(client, alice, karin, vera):
    client.force_login(alice)
    response = client.get(reverse("volunteer_list"), {"status": "applied"})
    assert [v.pk for v in response.context["volunteers"]] == [karin.pk]
    assert {s: n for s, _label, n in response.context["statuses"]}["approved"] == 1


@pytest.mark.parametrize("many", [10, 120])
def test_the_volunteer_list_costs_the_same_queries_for_few_or_many(
    client, alice, solvik, sprakvan, django_assert_num_queries, many
):
    for _ in range(many):
        factories.volunteer(solvik, [sprakvan], status="applied")
    client.force_login(alice)
    # session, user, memberships, counts by status, a page of volunteers with organisation, their programmes;
    # the audit rows of the page's volunteers (one INSERT)
    with django_assert_num_queries(7):
        response = client.get(reverse("volunteer_list"))
    assert len(response.context["volunteers"]) == min(many, 50)


def test_the_volunteer_list_pages_through_many(client, alice, solvik, sprakvan):
    names = {factories.volunteer(solvik, [sprakvan], status="applied", first_name=f"V{i:03d}").pk for i in range(60)}
    client.force_login(alice)
    first = client.get(reverse("volunteer_list"), {"status": "applied"})
    second = client.get(reverse("volunteer_list"), {"status": "applied", "sida": 2})
    seen = [v.pk for v in first.context["volunteers"]] + [v.pk for v in second.context["volunteers"]]
    assert sorted(seen) == sorted(names)
    assert "Sida 2 av 2" in second.content.decode()


def test_the_coordinator_interviews_and_approves_a_volunteer(client, alice, karin):
    client.force_login(alice)
    assert decide(client, karin, "interviewed").status_code == 302
    assert decide(client, karin, "approved", "Bra samtal.").status_code == 302
    karin.refresh_from_db()
    assert karin.status == "approved" and karin.status_changed_at is not None
    steps = list(
        ScreeningEvent.objects.filter(volunteer=karin)
        .order_by("at", "id")
        .values_list("from_status", "to_status", "by")
    )
    assert steps == [("applied", "interviewed", alice.pk), ("interviewed", "approved", alice.pk)]


def test_an_approval_keeps_the_interview_notes_and_says_which_programme_it_is_for(
    client, alice, solvik, sprakvan, karin
):
    vanfamilj = factories.programme(solvik, name="Vänfamilj Solvik", kind="vanfamilj")
    karin.programmes.add(vanfamilj)
    client.force_login(alice)

    decide(client, karin, "approved", notes="Vill gärna laga mat ihop.\nKan kvällar.", programmes=[sprakvan.pk])

    event = ScreeningEvent.objects.get(volunteer=karin)
    assert event.notes == "Vill gärna laga mat ihop.\nKan kvällar." and list(event.programmes.all()) == [sprakvan]
    assert list(karin.programmes.all()) == [sprakvan]  # matched only where she is approved
    html = client.get(reverse("volunteer_detail", args=[karin.pk])).content.decode()
    assert "Godkänd för: Språkvän Solvik" in html and "Vill gärna laga mat ihop.<br>Kan kvällar." in html


def test_an_approval_for_no_programme_or_another_organisations_is_refused(client, alice, karin, norrby):
    theirs = factories.programme(norrby, name="Norrbys program")
    client.force_login(alice)

    nothing = decide(client, karin, "approved", programmes=[])
    other = decide(client, karin, "approved", programmes=[theirs.pk])

    assert nothing.status_code == 400 and "Välj vilka program" in nothing.content.decode()
    assert other.status_code == 400 and "Norrbys program" not in other.content.decode()
    karin.refresh_from_db()
    assert karin.status == "applied"


def test_the_api_approves_for_her_own_programmes_only(alice, karin, norrby):
    from rest_framework.test import APIClient

    theirs = factories.programme(norrby, name="Norrbys program")
    api = APIClient()
    api.force_authenticate(alice)
    url = f"/api/v1/volunteers/{karin.pk}/screen/"

    refused = api.post(url, {"to_status": "approved", "programmes": [theirs.pk]}, format="json")
    approved = api.post(url, {"to_status": "approved", "notes": "Bra samtal."}, format="json")

    assert refused.status_code == 400 and [e["field"] for e in refused.json()["errors"]] == ["programmes"]
    assert approved.status_code == 200
    assert ScreeningEvent.objects.get(volunteer=karin).notes == "Bra samtal."


def test_rejecting_needs_a_reason(client, alice, karin):
    client.force_login(alice)
    response = decide(client, karin, "rejected")
    assert response.status_code == 400
    assert "Skriv varför ansökan avslås." in response.context["screening_form"].errors["reason"]
    karin.refresh_from_db()
    assert karin.status == "applied" and not ScreeningEvent.objects.exists()


def test_a_step_the_process_does_not_allow_is_refused(client, alice, karin):
    client.force_login(alice)
    response = decide(client, karin, "paused")
    assert response.status_code == 400
    assert "går det inte" in " ".join(response.context["screening_form"].errors["to_status"])


def test_the_background_check_is_recorded_with_its_expiry(client, alice, karin):
    client.force_login(alice)
    seen = date.today() - timedelta(days=3)
    url = reverse("volunteer_background_check", args=[karin.pk])
    client.post(url, {"seen_on": seen.isoformat(), "expires_on": (seen + timedelta(days=365)).isoformat()})
    karin.refresh_from_db()
    assert karin.background_check_date == seen and karin.background_checked(date.today())


def test_a_background_check_in_the_future_is_refused(client, alice, karin):
    client.force_login(alice)
    tomorrow = date.today() + timedelta(days=1)
    response = client.post(reverse("volunteer_background_check", args=[karin.pk]), {"seen_on": tomorrow.isoformat()})
    assert response.status_code == 400
    assert "Datumet ligger i framtiden." in response.context["check_form"].errors["seen_on"]
    karin.refresh_from_db()
    assert karin.background_check_date is None


@pytest.mark.parametrize("persona", ["bob", "sam", "vera", "olle"])
def test_no_one_else_sees_or_screens_the_volunteer(client, persona, karin, request):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("volunteer_detail", args=[karin.pk])).status_code == 404
    assert decide(client, karin, "approved").status_code == 404
    assert (
        client.post(reverse("volunteer_background_check", args=[karin.pk]), {"seen_on": "2026-01-01"}).status_code
        == 404
    )
    karin.refresh_from_db()
    assert karin.status == "applied" and karin.background_check_date is None


def test_a_coordinator_cannot_screen_herself(client, alice, solvik, sprakvan):
    herself = factories.volunteer(solvik, [sprakvan], user=alice, status="applied")
    client.force_login(alice)
    assert decide(client, herself, "approved").status_code == 404
    assert Volunteer.objects.get(pk=herself.pk).status == "applied"


@pytest.mark.parametrize("persona", ["sam", "vera", "olle"])
def test_the_volunteer_list_is_for_coordinators_only(client, persona, request):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("volunteer_list")).status_code == 403


@pytest.mark.parametrize(
    ("seen_on", "expires_on", "field", "message"),
    [
        ("0420-06-01", "0421-06-01", "seen_on", "mer än ett år sedan"),
        ("2026-11-01", "2029-11-01", "expires_on", "högst ett år"),
        ("2026-11-01", "2026-10-01", "expires_on", "före datumet"),
        ("2099-01-01", "", "seen_on", "framtiden"),
    ],
)
def test_a_background_check_that_cannot_hold_for_work_with_children_is_refused(
    solvik, sprakvan, alice, seen_on, expires_on, field, message
):
    import time_machine
    from django.core.exceptions import ValidationError

    from coordinator import services

    karin = factories.volunteer(solvik, [sprakvan], status="approved")
    with time_machine.travel(date(2026, 12, 1), tick=False), pytest.raises(ValidationError) as refused:
        services.volunteer_record_background_check(
            volunteer=karin,
            by=alice,
            seen_on=date.fromisoformat(seen_on),
            expires_on=date.fromisoformat(expires_on) if expires_on else None,
        )
    assert message in " ".join(refused.value.message_dict[field])


def test_a_background_check_without_an_end_holds_one_year_from_when_it_was_shown(solvik, sprakvan, alice):
    import time_machine

    from coordinator import services

    karin = factories.volunteer(solvik, [sprakvan], status="approved")
    with time_machine.travel(date(2026, 12, 1), tick=False):
        services.volunteer_record_background_check(
            volunteer=karin, by=alice, seen_on=date(2026, 11, 30), expires_on=None
        )
    karin.refresh_from_db()
    assert karin.background_check_expires == date(2027, 11, 30)
    assert karin.background_checked(date(2027, 11, 30)) and not karin.background_checked(date(2027, 12, 1))


def test_approving_a_minors_proposal_checks_the_volunteers_extract_again_on_the_day(solvik, sprakvan, alice):
    """The run proposed the pair while the extract held; it has lapsed since."""
    import time_machine
    from django.core.exceptions import ValidationError

    from coordinator import services
    from coordinator.models import Match

    karin = factories.volunteer(
        solvik, [sprakvan], background_check_date=date(2025, 12, 1), background_check_expires=date(2026, 11, 30)
    )
    omar = factories.newcomer(solvik, [sprakvan], birth_year=2011, target_group="ensamkommande")
    proposal = factories.proposal(sprakvan, omar, karin)
    with time_machine.travel(date(2026, 12, 1), tick=False), pytest.raises(ValidationError) as refused:
        services.proposal_approve(proposal=proposal, by=alice)
    assert "giltigt utdrag" in " ".join(refused.value.message_dict["volunteer"])
    assert not Match.objects.exists()


def test_a_volunteer_approved_before_vanmatch_is_not_said_to_await_a_decision(client, alice, solvik, sprakvan):
    """An imported list's volunteers come in approved, with no decision recorded here: her page
    said "Godkänd" above "Inga beslut ännu"."""
    karin = factories.volunteer(solvik, [sprakvan], first_name="Karin", status="approved")
    lars = factories.volunteer(solvik, [sprakvan], first_name="Lars", status="applied")
    client.force_login(alice)

    approved = client.get(reverse("volunteer_detail", args=[karin.pk])).content.decode()
    applied = client.get(reverse("volunteer_detail", args=[lars.pk])).content.decode()

    assert "Inga beslut ännu" not in approved and "med status Godkänd" in approved
    assert "Inga beslut ännu" in applied
