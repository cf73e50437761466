"""Coordinators' weekly digest of due follow-ups and reminders before a planned end, each sent once."""

from datetime import date, timedelta

from django.core import mail
from django.utils import timezone

from coordinator import services
from tests import factories
from worker import tasks


def test_each_coordinator_gets_one_digest_a_week_of_their_own_follow_ups(solvik, norrby, sprakvan, alice, bob):
    started = timezone.localdate() - timedelta(days=20)  # the 14-day follow-up is overdue
    services.match_create(
        programme=sprakvan,
        newcomer=factories.newcomer(solvik, [sprakvan]),
        volunteer=factories.volunteer(solvik),
        by=alice,
        started_on=started,
    )
    assert tasks.send_follow_up_digests() == 1
    assert tasks.send_follow_up_digests() == 0
    assert [m.to for m in mail.outbox] == [["alice@solvik.se"]]
    assert "Amal" in mail.outbox[0].body and "försenad" in mail.outbox[0].body


def test_coordinators_are_reminded_once_before_a_planned_end(solvik, sprakvan, alice):
    started = date.today().replace(day=1) - timedelta(days=170)
    match = services.match_create(
        programme=sprakvan,
        newcomer=factories.newcomer(solvik, [sprakvan]),
        volunteer=factories.volunteer(solvik),
        by=alice,
        started_on=started,
    )
    assert match.planned_end_on <= timezone.localdate() + timedelta(days=14)
    assert tasks.send_end_reminders() == 1
    assert tasks.send_end_reminders() == 0
    assert mail.outbox[0].to == ["alice@solvik.se"] and f"/matchningar/{match.pk}/" in mail.outbox[0].body


def test_no_reminder_for_an_ended_match(solvik, sprakvan, alice):
    started = date.today().replace(day=1) - timedelta(days=170)
    match = services.match_create(
        programme=sprakvan,
        newcomer=factories.newcomer(solvik, [sprakvan]),
        volunteer=factories.volunteer(solvik),
        by=alice,
        started_on=started,
    )
    services.match_end(match=match, by=alice, reason="completed")
    assert tasks.send_end_reminders() == 0 and tasks.send_follow_up_digests() == 0


def test_the_digest_warns_of_extracts_about_to_lapse_to_their_organisations_coordinators_only(
    solvik, norrby, sprakvan, alice, bob
):
    today = timezone.localdate()
    factories.volunteer(
        solvik,
        [sprakvan],
        first_name="Karin",
        last_name="Berg",
        background_check_date=today - timedelta(days=350),
        background_check_expires=today + timedelta(days=15),
    )
    factories.volunteer(  # holds for months yet
        solvik,
        [sprakvan],
        first_name="Maja",
        background_check_date=today - timedelta(days=10),
        background_check_expires=today + timedelta(days=355),
    )
    assert tasks.send_follow_up_digests() == 1
    assert [m.to for m in mail.outbox] == [["alice@solvik.se"]]
    body = mail.outbox[0].body
    expires = (today + timedelta(days=15)).isoformat()
    assert "Karin Berg" in body and f"gäller till {expires}" in body and "Maja" not in body


def test_the_digest_lists_the_matches_at_risk_with_why_and_what_to_do_in_her_language(solvik, sprakvan, alice):
    alice.preferred_language = "en"
    alice.save()
    match = services.match_create(
        programme=sprakvan,
        newcomer=factories.newcomer(solvik, [sprakvan], first_name="Amal"),
        volunteer=factories.volunteer(solvik, first_name="Karin"),
        by=alice,
        started_on=timezone.localdate() - timedelta(days=30),
    )

    assert tasks.send_follow_up_digests() == 1

    body = mail.outbox[0].body
    assert "1 ongoing match needs attention:" in body and "Amal & Karin" in body
    assert "No meeting logged since the start 4 weeks ago." in body
    assert f"/matchningar/{match.pk}/" in body
