"""A match's life: introduction booked, active, followed up, extended, ended with a reason."""

from datetime import date, timedelta
from unittest import mock

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from coordinator import services
from coordinator.models import Match, Newcomer, Volunteer
from tests import factories
from worker import tasks


@pytest.fixture
def match(solvik, sprakvan, alice, sam):
    amal = factories.newcomer(solvik, [sprakvan], registered_by=sam, consent_shareable=["first_name", "languages"])
    karin = factories.volunteer(solvik, [sprakvan], email="karin@example.se")
    return services.match_create(
        programme=sprakvan, newcomer=amal, volunteer=karin, by=alice, started_on=date(2026, 11, 2)
    )


def soon() -> str:
    return (timezone.localtime() + timedelta(days=3)).replace(hour=18, minute=0).strftime("%Y-%m-%dT%H:%M")


def test_the_match_starts_with_the_programmes_contact_rhythm(match):
    """Two and four weeks after the start, then every 30 days, the trial's end and the planned
    end; a check-in within a week of another contact is left out (four weeks is two days before
    the trial ends)."""
    assert [(f.due_on, f.kind, f.title) for f in match.follow_ups.all()] == [
        (date(2026, 11, 16), "check_in", "Uppföljning efter 14 dagar"),
        (date(2026, 12, 2), "trial_end", "Provperioden slutar"),
        (date(2026, 12, 30), "check_in", "Uppföljning efter 58 dagar"),
        (date(2027, 1, 29), "check_in", "Uppföljning efter 88 dagar"),
        (date(2027, 2, 28), "check_in", "Uppföljning efter 118 dagar"),
        (date(2027, 3, 30), "check_in", "Uppföljning efter 148 dagar"),
        (date(2027, 5, 2), "planned_end", "Utvärdering vid planerat slut"),
    ]


def test_a_follow_ups_title_is_in_the_readers_language_whoever_made_it(match):
    from django.utils import translation

    with translation.override("en"):
        assert [f.title for f in match.follow_ups.all()][:2] == ["Follow-up after 14 days", "Trial period ends"]


def test_booking_the_introduction_tells_both_after_commit(client, alice, match, django_capture_on_commit_callbacks):
    client.force_login(alice)
    with (
        mock.patch.object(tasks.notify_introduction, "delay", side_effect=lambda *a: tasks.notify_introduction(*a)),
        django_capture_on_commit_callbacks(execute=True),
    ):
        client.post(
            reverse("match_intro", args=[match.pk]), {"at": soon(), "place": "Biblioteket", "coordinator_attends": "on"}
        )
    match.refresh_from_db()
    assert match.state == "introduced" and match.intro_place == "Biblioteket"
    assert sorted(m.to[0] for m in mail.outbox) == ["karin@example.se", "sam@solvik.se"]
    to_karin = next(m for m in mail.outbox if m.to == ["karin@example.se"])
    assert "Amal" in to_karin.body and "Biblioteket" in to_karin.body and "Haddad" not in to_karin.body


def test_a_meeting_in_the_past_is_refused_at_its_field(client, alice, match):
    client.force_login(alice)
    response = client.post(reverse("match_intro", args=[match.pk]), {"at": "2020-01-01T10:00", "place": "Biblioteket"})
    assert response.status_code == 400 and "förflutna" in " ".join(response.context["intro_form"].errors["at"])
    match.refresh_from_db()
    assert match.state == "approved"


def test_after_the_meeting_the_match_is_active(client, alice, match):
    client.force_login(alice)
    client.post(reverse("match_activate", args=[match.pk]))
    match.refresh_from_db()
    assert match.state == "active" and match.activated_on == timezone.localdate()


def test_the_meeting_cannot_be_marked_as_done_before_it_has_taken_place(client, alice, match):
    client.force_login(alice)
    client.post(reverse("match_intro", args=[match.pk]), {"at": soon(), "place": "Biblioteket"})

    page = client.get(reverse("match_detail", args=[match.pk])).content.decode()
    response = client.post(reverse("match_activate", args=[match.pk]), follow=True)

    assert "Mötet är gjort: matchningen är igång" not in page and "när det har ägt rum" in page
    assert "Markera det som gjort när det har ägt rum" in response.content.decode()
    assert Match.objects.get(pk=match.pk).state == "introduced"


def test_booking_sends_each_a_calendar_invitation_naming_the_coordinator(
    client, alice, solvik, match, django_capture_on_commit_callbacks
):
    import icalendar

    alice.last_name = "Ek"
    alice.save()
    solvik.contact_phone = "08-123 45 67"
    solvik.save()
    client.force_login(alice)
    with (
        mock.patch.object(tasks.notify_introduction, "delay", side_effect=lambda *a: tasks.notify_introduction(*a)),
        django_capture_on_commit_callbacks(execute=True),
    ):
        client.post(reverse("match_intro", args=[match.pk]), {"at": soon(), "place": "Biblioteket; rum 2"})

    match.refresh_from_db()
    for message in mail.outbox:
        assert "Alice Ek" in message.body and "08-123 45 67" in message.body and "alice@solvik.se" in message.body
        ((name, content, kind),) = message.attachments
        assert (name, kind) == ("vanmatch-forsta-motet.ics", "text/calendar")
        (event,) = icalendar.Calendar.from_ical(content).walk("VEVENT")
        assert event.decoded("dtstart") == match.intro_at
        assert str(event["location"]) == "Biblioteket; rum 2"
        assert str(event["uid"]).startswith(f"introduction-{match.pk}@")
        assert "Alice Ek" in str(event["description"])
    to_karin = next(m for m in mail.outbox if m.to == ["karin@example.se"])
    assert "Haddad" not in to_karin.attachments[0][1]  # only what Amal consented to share


@pytest.mark.parametrize(
    ("alice_named", "contact_person", "named", "mailed"),
    [
        (True, "Eva Berg", "Alice Ek", "alice@solvik.se"),  # the one who booked it
        (False, "Eva Berg", "Eva Berg", "kontakt@solvik.se"),  # no name of her own: the contact person, whole
        (False, "", "", "alice@solvik.se"),
    ],
)
def test_the_invitation_names_and_mails_one_and_the_same_person(
    alice, solvik, match, alice_named, contact_person, named, mailed
):
    from coordinator.notifications import _meeting_contact

    alice.first_name, alice.last_name = ("Alice", "Ek") if alice_named else ("", "")
    alice.save()
    solvik.contact_name, solvik.contact_email = contact_person, "kontakt@solvik.se"
    solvik.save()
    match.intro_booked_by = alice

    contact = _meeting_contact(match)

    assert (contact["name"], contact["email"]) == (named, mailed)


def test_the_match_page_has_what_it_takes_to_book_the_first_meeting(client, alice, sam, match):
    Newcomer.objects.filter(pk=match.newcomer_id).update(interpreter_needed=True, interpreter_language="ti")
    Volunteer.objects.filter(pk=match.volunteer_id).update(phone="070-111 22 33")
    client.force_login(alice)

    html = client.get(reverse("match_detail", args=[match.pk])).content.decode()

    assert 'href="tel:0701112233"' in html and "mailto:karin@example.se" in html
    assert "mailto:sam@solvik.se" in html
    assert "Behövs vid första mötet: tigrinja" in html


def test_a_follow_up_is_recorded_with_its_outcome_and_notes(client, alice, match):
    follow_up = match.follow_ups.first()
    client.force_login(alice)
    data = {
        f"f{follow_up.pk}-outcome": "going_well",
        f"f{follow_up.pk}-done_on": "2026-11-17",
        f"f{follow_up.pk}-notes": "Fika varje vecka.",
    }
    client.post(reverse("follow_up_record", args=[match.pk, follow_up.pk]), data)
    follow_up.refresh_from_db()
    assert (follow_up.outcome, follow_up.done_on, follow_up.notes, follow_up.recorded_by) == (
        "going_well",
        date(2026, 11, 17),
        "Fika varje vecka.",
        alice,
    )


def test_an_overdue_follow_up_flags_the_match(client, alice, match):
    client.force_login(alice)
    html = client.get(reverse("match_detail", args=[match.pk])).content.decode()
    assert "En uppföljning är försenad" in html  # the 14-day check was due on 16 November


def test_extending_moves_the_planned_end_and_its_evaluation(client, alice, match):
    client.force_login(alice)
    client.post(reverse("match_extend", args=[match.pk]), {"months": "3"})
    match.refresh_from_db()
    assert match.planned_end_on == date(2027, 8, 2) and match.extended_times == 1
    assert match.follow_ups.filter(kind="planned_end").get().due_on == date(2027, 8, 2)
    # The rhythm goes on into the three months added: a check-in every 30 days.
    added = match.follow_ups.filter(kind="check_in", due_on__gte=date(2027, 5, 2)).values_list("due_on", flat=True)
    assert list(added) == [date(2027, 5, 29), date(2027, 6, 28)]


def test_extending_after_the_evaluation_was_done_plans_a_new_one_at_the_new_end(client, alice, match):
    evaluation = match.follow_ups.get(kind="planned_end")
    services.follow_up_record(follow_up=evaluation, by=alice, outcome="going_well", on=date(2026, 11, 20))
    client.force_login(alice)

    client.post(reverse("match_extend", args=[match.pk]), {"months": "3"})

    ends = match.follow_ups.filter(kind="planned_end").order_by("due_on")
    assert [(f.due_on, f.done_on is not None) for f in ends] == [(date(2027, 5, 2), True), (date(2027, 8, 2), False)]


def test_ending_records_the_reason_and_returns_each_side_as_they_wish(client, alice, match):
    client.force_login(alice)
    data = {
        "reason": "moved",
        "wanted_by": "newcomer",
        "note": "Flyttade till Umeå",
        "newcomer_returns": "",
        "volunteer_returns": "on",
        "confirm": "on",
    }
    client.post(reverse("match_end", args=[match.pk]), data)
    match.refresh_from_db()
    assert (match.state, match.end_reason, match.ended_by, match.end_note) == (
        "ended",
        "moved",
        alice,
        "Flyttade till Umeå",
    )
    assert Newcomer.objects.get(pk=match.newcomer_id).status == "inactive"
    volunteer = Volunteer.objects.get(pk=match.volunteer_id)
    assert volunteer.status == "approved" and volunteer.open_matches == 0
    assert not match.follow_ups.exists(), "the check-ins still due are cancelled"


def test_a_volunteer_who_wants_a_break_is_paused_when_the_match_ends(client, alice, match):
    client.force_login(alice)
    client.post(
        reverse("match_end", args=[match.pk]),
        {"reason": "completed", "wanted_by": "both", "newcomer_returns": "on", "confirm": "on"},
    )
    assert Volunteer.objects.get(pk=match.volunteer_id).status == "paused"
    assert Newcomer.objects.get(pk=match.newcomer_id).status == "waiting"


def test_ending_asks_for_confirmation_and_nothing_ends_without_it(client, alice, match):
    client.force_login(alice)

    response = client.post(reverse("match_end", args=[match.pk]), {"reason": "completed", "newcomer_returns": "on"})

    assert response.status_code == 400
    assert "Kryssa i rutan för att bekräfta" in " ".join(response.context["end_form"].errors["confirm"])
    assert Match.objects.get(pk=match.pk).state == "approved"


def test_ending_without_a_reason_is_refused(client, alice, match):
    client.force_login(alice)
    response = client.post(reverse("match_end", args=[match.pk]), {"note": "?"})
    assert response.status_code == 400 and "reason" in response.context["end_form"].errors
    assert Match.objects.get(pk=match.pk).state == "approved"


def test_the_volunteer_sees_only_what_the_newcomer_consented_to_share(client, match, solvik):
    user = factories.user("karin@example.se")
    factories.member(user, solvik, "volunteer")
    Volunteer.objects.filter(pk=match.volunteer_id).update(user=user)
    Newcomer.objects.filter(pk=match.newcomer_id).update(phone="070-111 22 33", needs="Vill jobba")
    client.force_login(user)
    html = client.get(reverse("my_volunteering")).content.decode()
    assert "Amal" in html and "arabiska" in html
    assert "Haddad" not in html and "070-111" not in html and "Vill jobba" not in html


def test_the_coordinator_sees_what_the_volunteer_will_be_told(client, alice, match):
    client.force_login(alice)
    html = client.get(reverse("match_detail", args=[match.pk])).content.decode()
    assert "Det volontären får veta om den nyanlände" in html and "arabiska, engelska" in html


def check_in(match, **answers) -> dict:
    """A check-in as the coordinator fills it in on the match page (form prefix f<pk>)."""
    f = match.follow_ups.first()
    data = {"outcome": "going_well", "done_on": "2026-11-16", "meetings_since": "2", "met_how": ["in_person", "phone"]}
    data |= {"activities": "Fika på biblioteket", **answers}
    return {f"f{f.pk}-{key}": value for key, value in data.items()}


def scale(side: str, *points: int) -> dict:
    from coordinator import relationship

    return {f"{side}_{key}": str(p) for (key, _statement), p in zip(relationship.ITEMS, points, strict=True)}


def test_a_check_in_keeps_the_standard_answers_of_both_sides(client, alice, match):
    client.force_login(alice)
    f = match.follow_ups.first()

    response = client.post(
        reverse("follow_up_record", args=[match.pk, f.pk]),
        check_in(match, **scale("volunteer", 5, 4, 4, 5, 5), **scale("newcomer", 4, 4, 3, 5, 4)),
        follow=True,
    )

    f.refresh_from_db()
    assert (f.done_on, f.meetings_since, f.met_how, f.activities) == (
        date(2026, 11, 16), 2, ["in_person", "phone"], "Fika på biblioteket",
    )  # fmt: skip
    assert (f.volunteer_answers, f.newcomer_answers) == ([5, 4, 4, 5, 5], [4, 4, 3, 5, 4])
    html = response.content.decode()
    assert "Uppföljningen är sparad." in html
    assert "2 (träffats, telefon)" in html and "4,6 av 5" in html and "4,0 av 5" in html


def test_a_side_answered_halfway_is_refused_at_the_first_statement_left_and_nothing_is_saved(client, alice, match):
    client.force_login(alice)
    f = match.follow_ups.first()
    half = scale("volunteer", 5, 4, 4, 5, 5)
    del half["volunteer_look_forward"], half["volunteer_safe"]

    response = client.post(reverse("follow_up_record", args=[match.pk, f.pk]), check_in(match, **half))

    assert response.status_code == 400
    form = response.context["follow_up_forms"][f.pk]
    assert form.errors["volunteer_look_forward"] == [
        "Svara på alla fem påståendena, eller på inget om ni inte pratade om det."
    ]
    f.refresh_from_db()
    assert f.done_on is None


def test_a_safeguarding_concern_reaches_the_administrator_at_once_and_names_nobody(
    client, alice, ada, match, django_capture_on_commit_callbacks
):
    from accounts.models import AuditEvent

    client.force_login(alice)
    f = match.follow_ups.first()
    url = reverse("follow_up_record", args=[match.pk, f.pk])
    refused = client.post(url, check_in(match, safeguarding="on"))
    assert refused.status_code == 400 and "Beskriv kort vad du är orolig för" in refused.content.decode()

    with (
        mock.patch.object(tasks.notify_safeguarding, "delay", side_effect=lambda *a: tasks.notify_safeguarding(*a)),
        django_capture_on_commit_callbacks(execute=True),
    ):
        client.post(url, check_in(match, safeguarding="on", concern="Karin har bett Amal om pengar."))

    (message,) = mail.outbox
    assert message.to == [ada.email]
    assert "Oro för någons säkerhet i Språkvän Solvik" in message.subject
    assert f"/matchningar/{match.pk}/#follow-up-{f.pk}" in message.body
    assert "Amal" not in message.body and "Karin" not in message.body and "pengar" not in message.body
    flagged = AuditEvent.objects.filter(detail=f"match {match.pk}: safeguarding concern raised")
    assert sorted(flagged.values_list("subject_type", flat=True)) == ["newcomer", "volunteer"]
    assert tasks.notify_safeguarding(f.pk) == 0, "told once, whatever the deliveries"
    page = client.get(reverse("match_detail", args=[match.pk])).content.decode()
    assert "Oro för någons säkerhet" in page and "administratörerna har fått veta" in page


@pytest.fixture
def veras_match(solvik, sprakvan, alice, vera):
    from coordinator.models import Volunteer

    sara = factories.newcomer(solvik, [sprakvan], first_name="Sara", consent_shareable=["first_name"])
    return services.match_create(
        programme=sprakvan, newcomer=sara, volunteer=Volunteer.objects.get(user=vera), by=alice,
        started_on=timezone.localdate() - timedelta(days=20),
    )  # fmt: skip


def test_a_volunteer_logs_a_meeting_in_one_tap_and_her_coordinator_sees_it(client, alice, vera, veras_match):
    from accounts.models import AuditEvent

    client.force_login(vera)
    page = client.get(reverse("my_volunteering")).content.decode()
    assert "Inga träffar antecknade ännu." in page and "Vi träffades i dag" in page

    response = client.post(reverse("my_meeting_log", args=[veras_match.pk]), {}, follow=True)

    (meeting,) = veras_match.meetings.all()
    assert (meeting.on, meeting.minutes, meeting.source, meeting.recorded_by) == (
        timezone.localdate(), 60, "volunteer", vera,
    )  # fmt: skip
    assert "Träffen" in response.content.decode() and "1 träff antecknad, senast" in response.content.decode()
    assert AuditEvent.objects.filter(user=vera, detail__contains="meeting on").count() == 2  # both people
    client.force_login(alice)
    html = client.get(reverse("match_detail", args=[veras_match.pk])).content.decode()
    assert "1 träff antecknad." in html and "en timme" in html and "antecknad av volontären" in html


def test_a_meeting_another_day_longer_and_with_what_they_did(client, vera, veras_match):
    client.force_login(vera)
    day = (timezone.localdate() - timedelta(days=3)).isoformat()
    prefix = f"m{veras_match.pk}"
    client.post(
        reverse("my_meeting_log", args=[veras_match.pk]),
        {f"{prefix}-on": day, f"{prefix}-minutes": "120", f"{prefix}-what": "Promenad och fika"},
    )
    meeting = veras_match.meetings.get()
    assert (meeting.on.isoformat(), meeting.minutes, meeting.what) == (day, 120, "Promenad och fika")


@pytest.mark.parametrize(
    ("days", "message"),
    [(-1, "Datumet ligger i framtiden."), (30, "Datumet ligger före matchningens start")],
)
def test_a_meeting_in_the_future_or_before_the_match_is_refused_with_a_message(
    client, vera, veras_match, days, message
):
    client.force_login(vera)
    day = (timezone.localdate() - timedelta(days=days)).isoformat()
    response = client.post(
        reverse("my_meeting_log", args=[veras_match.pk]), {f"m{veras_match.pk}-on": day}, follow=True
    )
    assert message in response.content.decode()
    assert not veras_match.meetings.exists()


def test_someone_elses_match_is_a_missing_page_for_a_volunteer(client, vera, match):
    client.force_login(vera)
    assert client.post(reverse("my_meeting_log", args=[match.pk]), {}).status_code == 404
    assert not match.meetings.exists()
