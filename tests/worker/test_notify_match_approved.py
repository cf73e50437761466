"""The social worker is told by e-mail when her newcomer is matched: enqueued after commit, sent once."""

from unittest import mock

from django.core import mail

from coordinator import services
from tests import factories
from worker import tasks


def test_matching_enqueues_the_notification_only_after_commit(
    django_capture_on_commit_callbacks, solvik, sprakvan, sam, alice
):
    amal = factories.newcomer(solvik, [sprakvan], registered_by=sam)
    with mock.patch.object(tasks.notify_match_approved, "delay") as delay:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            match = services.match_create(
                programme=sprakvan, newcomer=amal, volunteer=factories.volunteer(solvik), by=alice
            )
        delay.assert_not_called()
        for callback in callbacks:
            callback()
    delay.assert_called_once_with(match.pk)


def test_the_social_worker_gets_one_email_in_her_language_however_often_the_task_runs(solvik, sprakvan, sam, alice):
    sam.preferred_language = "en"
    sam.save()
    amal = factories.newcomer(solvik, [sprakvan], registered_by=sam)
    match = services.match_create(programme=sprakvan, newcomer=amal, volunteer=factories.volunteer(solvik), by=alice)
    assert tasks.notify_match_approved(match.pk) == 1
    assert tasks.notify_match_approved(match.pk) == 0
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["sam@solvik.se"]
    assert message.subject == "Amal has been matched"
    assert "Karin" in message.body and f"/nyanlanda/{amal.pk}/" in message.body
    assert "070" not in message.body and "karin" not in message.body.lower().replace("karin ", "")


def test_no_email_when_no_social_worker_follows_the_newcomer(solvik, sprakvan, alice):
    amal = factories.newcomer(solvik, [sprakvan], registered_by=None)
    match = services.match_create(programme=sprakvan, newcomer=amal, volunteer=factories.volunteer(solvik), by=alice)
    assert tasks.notify_match_approved(match.pk) == 0
    assert mail.outbox == []
