"""Matches: made from a proposal or by hand, within the volunteer's capacity, and ended."""

import logging
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from coordinator.models import FollowUp, Match, Newcomer, Programme, Proposal, Volunteer

logger = logging.getLogger(__name__)


def add_months(day: date, months: int) -> date:
    """The same day `months` later, or the month's last day when it has no such day."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for candidate_day in (day.day, 30, 29, 28):
        try:
            return date(year, month, candidate_day)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def _follow_ups_for(match: Match, programme: Programme) -> list[FollowUp]:
    planned = {}
    for days in programme.follow_up_days or []:
        due = match.started_on + timedelta(days=int(days))
        if due < match.planned_end_on:
            planned[due] = _("Uppföljning efter %(days)s dagar") % {"days": days}
    planned[match.trial_ends_on] = _("Provperioden slutar")
    planned[match.planned_end_on] = _("Utvärdering vid planerat slut")
    return [FollowUp(match=match, due_on=due, label=str(label)) for due, label in sorted(planned.items())]


@transaction.atomic
def match_create(
    *,
    programme: Programme,
    newcomer: Newcomer,
    volunteer: Volunteer,
    by: User | None,
    proposal: Proposal | None = None,
    started_on: date | None = None,
) -> Match:
    """Pair a newcomer with a volunteer in a programme, within the volunteer's capacity.

    Safe under concurrency: the newcomer's and the volunteer's rows are locked (in
    that order, everywhere) before capacity is read, so two coordinators approving
    at once cannot over-fill a volunteer; the database's check constraint on
    open_matches <= capacity is the last line.
    """
    newcomer = Newcomer.objects.select_for_update().get(pk=newcomer.pk)
    volunteer = Volunteer.objects.select_for_update().get(pk=volunteer.pk)
    errors: dict[str, str] = {}
    if volunteer.status != Volunteer.Status.APPROVED:
        errors["volunteer"] = _("%(name)s är inte godkänd som volontär.") % {"name": volunteer}
    elif volunteer.open_matches >= volunteer.capacity:
        errors["volunteer"] = _("%(name)s har redan %(n)s av %(cap)s platser fyllda.") % {
            "name": volunteer,
            "n": volunteer.open_matches,
            "cap": volunteer.capacity,
        }
    if not newcomer.has_consent:
        errors["newcomer"] = _("%(name)s har inget gällande samtycke.") % {"name": newcomer}
    elif Match.objects.filter(newcomer=newcomer, programme=programme).exclude(state=Match.State.ENDED).exists():
        errors["newcomer"] = _("%(name)s har redan en pågående matchning i programmet.") % {"name": newcomer}
    if errors:
        raise ValidationError(errors)

    started_on = started_on or timezone.localdate()
    match = Match.objects.create(
        programme=programme,
        newcomer=newcomer,
        volunteer=volunteer,
        proposal=proposal,
        created_by=by,
        started_on=started_on,
        trial_ends_on=add_months(started_on, programme.trial_months),
        planned_end_on=add_months(started_on, programme.planned_length_months),
    )
    FollowUp.objects.bulk_create(_follow_ups_for(match, programme))
    Volunteer.objects.filter(pk=volunteer.pk).update(open_matches=F("open_matches") + 1)
    Newcomer.objects.filter(pk=newcomer.pk).update(status=Newcomer.Status.MATCHED)
    transaction.on_commit(lambda: _enqueue("notify_newcomer_matched", match.pk))
    return match


def _enqueue(task_name: str, *args) -> None:
    """Hand a task to the worker (call inside transaction.on_commit)."""
    from worker import tasks

    try:
        getattr(tasks, task_name).delay(*args)
    except Exception:  # the write is committed; a broker outage must not turn it into an error page
        logger.exception("could not hand %s%r to the worker", task_name, args)


@transaction.atomic
def proposal_approve(*, proposal: Proposal, by: User, started_on: date | None = None) -> Match:
    """Approve a pending proposal: it becomes a match, if the volunteer still has room."""
    proposal = Proposal.objects.select_for_update().select_related("run__programme").get(pk=proposal.pk)
    if proposal.state != Proposal.State.PENDING:
        raise ValidationError({"state": _("Förslaget är redan %(state)s.") % {"state": proposal.get_state_display()}})
    match = match_create(
        programme=proposal.run.programme,
        newcomer=proposal.newcomer,
        volunteer=proposal.volunteer,
        by=by,
        proposal=proposal,
        started_on=started_on,
    )
    proposal.state = Proposal.State.APPROVED
    proposal.decided_by = by
    proposal.decided_at = timezone.now()
    proposal.save(update_fields=["state", "decided_by", "decided_at"])
    return match


@transaction.atomic
def match_end(
    *, match: Match, by: User, reason: str, note: str = "", on: date | None = None, newcomer_returns: bool = True
) -> Match:
    """End an open match with a reason; the volunteer's place is freed."""
    match = Match.objects.select_for_update().get(pk=match.pk)
    if match.state == Match.State.ENDED:
        raise ValidationError({"state": _("Matchningen är redan avslutad.")})
    if reason not in Match.EndReason.values:
        raise ValidationError({"end_reason": _("Välj en orsak.")})
    Newcomer.objects.select_for_update().get(pk=match.newcomer_id)
    Volunteer.objects.select_for_update().get(pk=match.volunteer_id)
    match.state = Match.State.ENDED
    match.ended_on = on or timezone.localdate()
    match.end_reason = reason
    match.end_note = note
    match.ended_by = by
    match.save(update_fields=["state", "ended_on", "end_reason", "end_note", "ended_by"])
    Volunteer.objects.filter(pk=match.volunteer_id).update(open_matches=F("open_matches") - 1)
    still_matched = Match.objects.filter(newcomer_id=match.newcomer_id).exclude(state=Match.State.ENDED).exists()
    if not still_matched:
        status = Newcomer.Status.WAITING if newcomer_returns else Newcomer.Status.INACTIVE
        Newcomer.objects.filter(pk=match.newcomer_id).update(status=status)
    return match
