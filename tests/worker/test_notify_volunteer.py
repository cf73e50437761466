"""A volunteer is told by e-mail when her application arrives and when she is approved, each
time with whom to call: enqueued after commit, sent once, in her language."""

from unittest import mock

from django.core import mail

from coordinator import privacy, services
from coordinator.models import Volunteer
from tests import factories
from worker import tasks


def karins_application(solvik, sprakvan):
    karin = factories.user("karin@example.se", first_name="Karin")
    facts = {
        "first_name": "Karin",
        "last_name": "Berg",
        "birth_year": 1956,
        "languages": ["sv"],
        "swedish_level": "native",
        "availability": ["mon-evening"],
        "place": {"postcode": "178 30", "locality": "Ekerö", "latitude": 59.29, "longitude": 17.81},
    }
    return services.volunteer_apply(user=karin, programmes=[sprakvan], facts=facts, privacy_version=privacy.CURRENT)


def test_an_application_enqueues_its_confirmation_only_after_commit(
    django_capture_on_commit_callbacks, solvik, sprakvan
):
    with mock.patch.object(tasks.notify_application_received, "delay") as delay:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            volunteer = karins_application(solvik, sprakvan)
        delay.assert_not_called()
        for callback in callbacks:
            callback()
    delay.assert_called_once_with(volunteer.pk)


def test_karin_is_told_her_application_arrived_and_whom_to_call_once(solvik, sprakvan):
    solvik.contact_name, solvik.contact_phone, solvik.contact_email = "Maria Lind", "08-123 45 67", "maria@solvik.se"
    solvik.save()
    volunteer = karins_application(solvik, sprakvan)

    assert tasks.notify_application_received(volunteer.pk) == 1
    assert tasks.notify_application_received(volunteer.pk) == 0

    (message,) = mail.outbox
    assert message.to == ["karin@example.se"]
    assert message.subject == "Vi har tagit emot din ansökan"
    assert message.body.startswith("Hej Karin!")
    assert "Din kontaktperson hos Solvik kommun är Maria Lind." in message.body
    assert "08-123 45 67" in message.body and "maria@solvik.se" in message.body
    assert "/mitt-uppdrag/" in message.body


def test_without_a_contact_person_the_approval_names_the_coordinator_who_approved(solvik, sprakvan, alice):
    alice.last_name = "Ek"
    alice.save()
    volunteer = karins_application(solvik, sprakvan)

    services.volunteer_screen(volunteer=volunteer, by=alice, to=Volunteer.Status.APPROVED)
    event = volunteer.screening_events.latest("pk")

    assert tasks.notify_volunteer_approved(volunteer.pk, event.pk) == 1
    assert tasks.notify_volunteer_approved(volunteer.pk, event.pk) == 0
    (message,) = mail.outbox
    assert message.subject == "Du är godkänd som volontär"
    assert "Din kontaktperson hos Solvik kommun är Alice Ek." in message.body
    assert "alice@solvik.se" in message.body


def test_the_approval_is_in_english_for_a_volunteer_who_reads_english(solvik, sprakvan, alice):
    volunteer = karins_application(solvik, sprakvan)
    volunteer.user.preferred_language = "en"
    volunteer.user.save()
    services.volunteer_screen(volunteer=volunteer, by=alice, to=Volunteer.Status.APPROVED)

    tasks.notify_volunteer_approved(volunteer.pk, volunteer.screening_events.latest("pk").pk)

    assert mail.outbox[0].subject == "You are approved as a volunteer"
    assert mail.outbox[0].body.startswith("Hello Karin!")


def test_returning_from_a_pause_is_no_new_approval(django_capture_on_commit_callbacks, solvik, sprakvan, alice):
    volunteer = karins_application(solvik, sprakvan)
    services.volunteer_screen(volunteer=volunteer, by=alice, to=Volunteer.Status.APPROVED)
    services.volunteer_screen(volunteer=volunteer, by=alice, to=Volunteer.Status.PAUSED)
    with (
        mock.patch.object(tasks.notify_volunteer_approved, "delay") as delay,
        django_capture_on_commit_callbacks(execute=True),
    ):
        services.volunteer_screen(volunteer=volunteer, by=alice, to=Volunteer.Status.APPROVED)
    delay.assert_not_called()


def test_an_approval_taken_back_before_the_worker_sends_it_sends_nothing(solvik, sprakvan, alice):
    volunteer = karins_application(solvik, sprakvan)
    services.volunteer_screen(volunteer=volunteer, by=alice, to=Volunteer.Status.APPROVED)
    approval = volunteer.screening_events.latest("pk")
    services.volunteer_screen(volunteer=volunteer, by=alice, to=Volunteer.Status.REJECTED, reason="Fel person")

    assert tasks.notify_volunteer_approved(volunteer.pk, approval.pk) == 0
    assert mail.outbox == []


def test_a_volunteer_erased_before_the_worker_sends_gets_nothing(solvik, sprakvan):
    volunteer = karins_application(solvik, sprakvan)
    volunteer_id = volunteer.pk
    volunteer.delete()

    assert tasks.notify_application_received(volunteer_id) == 0
    assert mail.outbox == []


def test_an_approval_step_of_another_volunteer_sends_nothing(solvik, sprakvan, alice):
    volunteer = karins_application(solvik, sprakvan)
    other = factories.volunteer(solvik, [sprakvan], email="olle@example.se", status="applied")
    services.volunteer_screen(volunteer=other, by=alice, to=Volunteer.Status.APPROVED)

    assert tasks.notify_volunteer_approved(volunteer.pk, other.screening_events.latest("pk").pk) == 0
