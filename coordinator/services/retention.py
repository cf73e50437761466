"""Retention: records are kept as long as the programme says, then anonymised, nightly.

A newcomer is due when their last match ended more than the programme's retention_months
ago (and none is open), or when they were never matched and their registration has not
changed for stale_months. A volunteer is due when they stopped (withdrawn or rejected) more
than retention_months ago, or their last match ended that long ago and they are not
approved. Someone in several programmes is kept as long as the most generous of them says.
Anonymising is the same erasure a person can ask for; the statistics still add up.
An application begun and never sent is deleted when untouched for ApplicationDraft.KEPT_DAYS.
The text messages of a match that ended more than its programme's retention_months ago are
deleted, though the newcomer herself is kept for a later match.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Field, Max
from django.utils import timezone

from accounts.models import AuditEvent
from coordinator.models import ApplicationDraft, Match, Newcomer, Programme, SmsMessage, Volunteer
from coordinator.services.matches import add_months
from coordinator.services.people import newcomer_erase, volunteer_withdraw


@dataclass
class RetentionReport:
    newcomers: list[int] = field(default_factory=list)
    volunteers: list[int] = field(default_factory=list)
    drafts: list[int] = field(default_factory=list)
    sms_matches: list[int] = field(default_factory=list)
    applied: bool = False

    def lines(self) -> list[str]:
        verb = "anonymised" if self.applied else "would anonymise"
        return [
            f"{verb} {len(self.newcomers)} newcomers: {self.newcomers}",
            f"{verb} {len(self.volunteers)} volunteers: {self.volunteers}",
            f"{'deleted' if self.applied else 'would delete'} {len(self.drafts)} unsent applications",
            f"{'deleted' if self.applied else 'would delete'} the texts of {len(self.sms_matches)} ended matches",
        ]


def _months(person: Newcomer | Volunteer, attr: str) -> int:
    values = [getattr(p, attr) for p in person.programmes.all()]
    if values:
        return max(values)
    field = Programme._meta.get_field(attr)
    assert isinstance(field, Field)  # retention_months, stale_months: plain columns, not relations
    return max(field.default, 1)


def retention_due(*, today: date | None = None) -> RetentionReport:
    today = today or timezone.localdate()
    report = RetentionReport()
    open_newcomers = set(Match.objects.filter(state__in=Match.OPEN_STATES).values_list("newcomer_id", flat=True))
    open_volunteers = set(Match.objects.filter(state__in=Match.OPEN_STATES).values_list("volunteer_id", flat=True))
    last_end_n = dict(
        Match.objects.values("newcomer_id").annotate(last=Max("ended_on")).values_list("newcomer_id", "last")
    )
    last_end_v = dict(
        Match.objects.values("volunteer_id").annotate(last=Max("ended_on")).values_list("volunteer_id", "last")
    )
    for n in Newcomer.objects.filter(erased_at__isnull=True).prefetch_related("programmes"):
        if n.pk in open_newcomers:
            continue
        if n.pk in last_end_n:
            if last_end_n[n.pk] and add_months(last_end_n[n.pk], _months(n, "retention_months")) < today:
                report.newcomers.append(n.pk)
        elif add_months(timezone.localtime(n.updated_at).date(), _months(n, "stale_months")) < today:
            report.newcomers.append(n.pk)
    for v in Volunteer.objects.filter(erasure_requested_at__isnull=True).prefetch_related("programmes"):
        if v.pk in open_volunteers:
            continue
        months = _months(v, "retention_months")
        stopped = v.status in (Volunteer.Status.WITHDRAWN, Volunteer.Status.REJECTED) and v.status_changed_at
        if (
            stopped
            and add_months(timezone.localtime(v.status_changed_at).date(), months) < today
            or (
                v.status != Volunteer.Status.APPROVED
                and last_end_v.get(v.pk)
                and add_months(last_end_v[v.pk], months) < today
            )
        ):
            report.volunteers.append(v.pk)
    untouched_since = today - timedelta(days=ApplicationDraft.KEPT_DAYS)
    report.drafts = list(
        ApplicationDraft.objects.filter(updated_at__date__lt=untouched_since).values_list("pk", flat=True)
    )
    report.sms_matches = sorted(
        {
            match_id
            for match_id, ended_on, months in SmsMessage.objects.filter(match__state=Match.State.ENDED)
            .values_list("match_id", "match__ended_on", "match__programme__retention_months")
            .distinct()
            if ended_on is not None and add_months(ended_on, months) < today
        }
    )
    return report


def retention_apply(*, dry_run: bool = True, today: date | None = None) -> RetentionReport:
    """Anonymise what is due (or, in a dry run, only say what would go)."""
    report = retention_due(today=today)
    if dry_run:
        return report
    for pk in report.newcomers:
        newcomer_erase(newcomer=Newcomer.objects.get(pk=pk), by=None, purpose=AuditEvent.Purpose.RETENTION)
    for pk in report.volunteers:
        volunteer_withdraw(
            volunteer=Volunteer.objects.get(pk=pk), by=None, erase=True, purpose=AuditEvent.Purpose.RETENTION
        )
    ApplicationDraft.objects.filter(pk__in=report.drafts).delete()
    SmsMessage.objects.filter(match_id__in=report.sms_matches).delete()
    report.applied = True
    return report
