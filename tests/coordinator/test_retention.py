"""Retention: each programme says how long records are kept; a nightly task anonymises what is
due and says what it did; a dry run only says."""

from datetime import date, datetime, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command

from coordinator import services
from coordinator.models import Newcomer, Volunteer
from coordinator.services.retention import retention_apply, retention_due
from tests import factories
from worker import tasks

TODAY = date(2026, 11, 22)


@pytest.fixture
def people(solvik, sprakvan, alice):
    """Amal's match ended 30 months ago; Omar's 6 months ago; Hiba registered long ago, never
    matched; Karin withdrew 3 years ago; Sara is active."""
    amal = factories.newcomer(solvik, [sprakvan])
    omar = factories.newcomer(solvik, [sprakvan], first_name="Omar")
    hiba = factories.newcomer(solvik, [sprakvan], first_name="Hiba")
    Newcomer.objects.filter(pk=hiba.pk).update(updated_at=datetime(2025, 1, 1, tzinfo=ZoneInfo("Europe/Stockholm")))
    sara = factories.volunteer(solvik, [sprakvan], first_name="Sara", capacity=3)
    for newcomer, ended in ((amal, date(2024, 5, 1)), (omar, date(2026, 5, 1))):
        match = services.match_create(
            programme=sprakvan, newcomer=newcomer, volunteer=sara, by=alice, started_on=ended - timedelta(days=200)
        )
        services.match_end(match=match, by=alice, reason="completed", on=ended)
    karin = factories.volunteer(solvik, [sprakvan], first_name="Karin", status="withdrawn")
    Volunteer.objects.filter(pk=karin.pk).update(
        status_changed_at=datetime(2023, 10, 1, tzinfo=ZoneInfo("Europe/Stockholm"))
    )
    return {"amal": amal, "omar": omar, "hiba": hiba, "karin": karin, "sara": sara}


def test_what_is_due_follows_the_programmes_retention(people):
    due = retention_due(today=TODAY)
    assert sorted(due.newcomers) == sorted([people["amal"].pk, people["hiba"].pk])
    assert due.volunteers == [people["karin"].pk]


def test_a_longer_retention_keeps_them(people, sprakvan):
    sprakvan.retention_months = 36
    sprakvan.stale_months = 36
    sprakvan.save()
    due = retention_due(today=TODAY)
    assert due.newcomers == [] and due.volunteers == [people["karin"].pk]


def test_a_dry_run_changes_nothing(people):
    call_command("retention", stdout=(out := StringIO()))
    assert "would anonymise 2 newcomers" in out.getvalue()
    assert Newcomer.objects.get(pk=people["amal"].pk).first_name == "Amal"


def test_the_nightly_task_anonymises_what_is_due_and_reports_it(people):
    lines = tasks.apply_retention()
    assert lines[0].startswith("anonymised 2 newcomers")
    assert Newcomer.objects.get(pk=people["amal"].pk).first_name == "Raderad"
    assert Newcomer.objects.get(pk=people["omar"].pk).first_name == "Omar"
    assert Volunteer.objects.get(pk=people["karin"].pk).first_name == "Raderad"
    assert Volunteer.objects.get(pk=people["sara"].pk).first_name == "Sara"
    assert retention_apply(dry_run=True).newcomers == []  # done once, not again


def test_each_erasure_by_the_nightly_retention_leaves_an_erase_row_in_the_audit_trail(people):
    from accounts.models import AuditEvent

    retention_apply(dry_run=False, today=TODAY)
    rows = AuditEvent.objects.filter(action="erase", purpose="retention", user__isnull=True)
    assert {(r.subject_type, r.subject_id) for r in rows} == {
        ("newcomer", people["amal"].pk),
        ("newcomer", people["hiba"].pk),
        ("volunteer", people["karin"].pk),
    }
    assert all(r.user_label == "system" for r in rows)
