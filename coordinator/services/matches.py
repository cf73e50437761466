"""Matches: made from a proposal or by hand, within the volunteer's capacity, and ended."""

import logging
from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.audit import audit_record
from accounts.models import AuditEvent as A
from accounts.models import User
from coordinator import jobs, permissions, relationship, selectors, vocabulary
from coordinator.models import FollowUp, Match, Meeting, Newcomer, PairLock, Programme, Proposal, Survey, Volunteer
from coordinator.services import surveys
from matching.format import Problem, parse_problem
from matching.rules import broken_rules, wishes_broken

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


def follow_up_schedule(
    *, started_on: date, trial_ends_on: date, planned_end_on: date, programme: Programme
) -> list[tuple[date, str]]:
    """The programme's contact rhythm for one match, as (due date, kind) in date order: the
    first check-ins (`follow_up_days`, by default two and four weeks after the start), then one
    every `follow_up_every_days` (by default 30) until the planned end, the trial's end and the
    evaluation at the planned end. A check-in within a week of another contact is left out."""
    planned = {trial_ends_on: FollowUp.Kind.TRIAL_END, planned_end_on: FollowUp.Kind.PLANNED_END}
    check_ins = [started_on + timedelta(days=int(days)) for days in programme.follow_up_days or []]
    every = programme.follow_up_every_days
    if every:
        due = max(check_ins, default=started_on) + timedelta(days=every)
        while due < planned_end_on:
            check_ins.append(due)
            due += timedelta(days=every)
    for due in sorted(check_ins):
        if due < planned_end_on and all(abs((due - other).days) >= 7 for other in planned):
            planned[due] = FollowUp.Kind.CHECK_IN
    return sorted(planned.items())


def _follow_ups_for(match: Match, programme: Programme) -> list[FollowUp]:
    return [
        FollowUp(match=match, due_on=due, kind=kind)
        for due, kind in follow_up_schedule(
            started_on=match.started_on,
            trial_ends_on=match.trial_ends_on,
            planned_end_on=match.planned_end_on,
            programme=programme,
        )
    ]


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
    started_on = started_on or timezone.localdate()
    minor = newcomer.birth_year is not None and started_on.year - newcomer.birth_year < 18
    if minor and "volunteer" not in errors and not volunteer.background_checked(started_on):
        # Checked again now: a proposal made weeks ago may outlive the volunteer's extract.
        errors["volunteer"] = str(RULE_MESSAGES["background_check"])
    if errors:
        raise ValidationError(errors)

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
    Newcomer.objects.filter(pk=newcomer.pk).update(status=Newcomer.Status.MATCHED, pool_priority=False)
    audit_record(
        user=by, action=A.Action.CHANGE, purpose=A.Purpose.MATCHING, subjects=[newcomer, volunteer],
        detail=f"match {match.pk} begun",
    )  # fmt: skip
    jobs.notify_match_approved.after_commit(match.pk)
    return match


@transaction.atomic
def proposal_approve(*, proposal: Proposal, by: User, started_on: date | None = None) -> Match:
    """Approve a pending proposal: it becomes a match, if the volunteer still has room."""
    # The run's row is joined for its programme alone: what it keeps of the solution stays unread,
    # and only the proposal is locked (two approvals from one run do not wait for each other).
    proposal = (
        Proposal.objects.select_for_update(of=("self",))
        .select_related("run__programme", "newcomer", "volunteer")
        .defer("run__unmatched", "run__gaps", "run__stats")
        .get(pk=proposal.pk)
    )
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
    *,
    match: Match,
    by: User | None,
    reason: str,
    wanted_by: str = Match.WantedBy.COORDINATOR,
    note: str = "",
    on: date | None = None,
    newcomer_returns: bool = True,
    volunteer_returns: bool = True,
    newcomer_priority: bool = False,
    newcomer_note: str = "",
    volunteer_note: str = "",
    same_again: bool = False,
    volunteer_exit: list[int] | None = None,
    newcomer_exit: list[int] | None = None,
) -> Match:
    """End an open match: who wanted it and why; the check-ins still due are cancelled and the
    volunteer's place is freed.

    Each of them goes back to the pool if they wish, with a note for the next match (and the
    newcomer with priority: her waiting counts as full); a newcomer who does not is set
    inactive, a volunteer who does not is paused. Where both want to go on together
    (`same_again`), the pair is held for the next run as a locked pair. Both sides are asked the
    two exit questions (by e-mail and SMS) unless the coordinator records their answers here;
    the volunteer and the newcomer's social worker are told.
    """
    match = (
        Match.objects.select_for_update(of=("self",)).select_related("programme", "volunteer__user").get(pk=match.pk)
    )
    errors: dict[str, str] = {}
    if match.state == Match.State.ENDED:
        raise ValidationError({"state": _("Matchningen är redan avslutad.")})
    if reason not in Match.EndReason.values:
        errors["end_reason"] = _("Välj en orsak.")
    if wanted_by not in Match.WantedBy.values:
        errors["wanted_by"] = _("Välj vem som ville avsluta.")
    if same_again and not (newcomer_returns and volunteer_returns):
        errors["same_again"] = _("Samma volontär igen går bara när båda vill ha en ny matchning.")
    elif same_again and reason == Match.EndReason.SAFEGUARDING:
        errors["same_again"] = _("Inte samma volontär igen när matchningen slutar av oro för någons säkerhet.")
    if same_again and PairLock.objects.filter(programme=match.programme, newcomer_id=match.newcomer_id).exists():
        errors["same_again"] = _("Den nyanlände har redan ett låst par i programmet.")
    for field, answers in (("volunteer_exit", volunteer_exit), ("newcomer_exit", newcomer_exit)):
        if answers is not None and not surveys.exit_answers_valid(answers):
            errors[field] = _("Svara på båda frågorna, eller lämna båda tomma.")
    if errors:
        raise ValidationError(errors)
    newcomer = Newcomer.objects.select_for_update().get(pk=match.newcomer_id)
    volunteer = Volunteer.objects.select_for_update().get(pk=match.volunteer_id)
    match.state = Match.State.ENDED
    match.ended_on = on or timezone.localdate()
    match.end_reason = reason
    match.ended_wanted_by = wanted_by
    match.end_note = note
    match.ended_by = by
    match.save(update_fields=["state", "ended_on", "end_reason", "ended_wanted_by", "end_note", "ended_by"])
    FollowUp.objects.filter(match=match, done_on__isnull=True).delete()  # the check-ins still due are cancelled
    Volunteer.objects.filter(pk=match.volunteer_id).update(open_matches=F("open_matches") - 1)
    if volunteer_note:
        Volunteer.objects.filter(pk=match.volunteer_id).update(pool_note=volunteer_note)
    still_matched = Match.objects.filter(newcomer_id=match.newcomer_id).exclude(state=Match.State.ENDED).exists()
    if not still_matched:
        status = Newcomer.Status.WAITING if newcomer_returns else Newcomer.Status.INACTIVE
        Newcomer.objects.filter(pk=match.newcomer_id).update(
            status=status, pool_priority=newcomer_returns and newcomer_priority, pool_note=newcomer_note
        )
    if not volunteer_returns:
        Volunteer.objects.filter(pk=match.volunteer_id, status=Volunteer.Status.APPROVED).update(
            status=Volunteer.Status.PAUSED, status_changed_at=timezone.now()
        )
    if same_again:
        PairLock.objects.create(programme=match.programme, newcomer=newcomer, volunteer=volunteer, created_by=by)
    audit_record(
        user=by, action=A.Action.CHANGE, purpose=A.Purpose.FOLLOW_UP, subjects=[newcomer, volunteer],
        detail=f"match {match.pk} ended: {reason}, wanted by {wanted_by}" + (", same again" if same_again else ""),
    )  # fmt: skip
    for side, answers in ((Survey.Side.VOLUNTEER, volunteer_exit), (Survey.Side.NEWCOMER, newcomer_exit)):
        survey = surveys.survey_ask(match=match, kind=Survey.Kind.EXIT, side=side, on=match.ended_on, send=not answers)
        if answers:
            surveys.survey_answer(survey=survey, answers=answers, via=Survey.Via.STAFF, by=by)
    jobs.notify_match_ended.after_commit(match.pk)
    return match


# --- Checking a pair a coordinator chooses by hand ---------------------------------------------

RULE_MESSAGES = {
    "language": gettext_lazy("De har inget språk gemensamt."),
    "time": gettext_lazy("De har ingen tid i veckan gemensamt."),
    "distance": gettext_lazy("De bor längre ifrån varandra än programmets gräns."),
    "gender_preference": gettext_lazy("Någon av dem har önskat träffa en person av ett annat kön."),
    "background_check": gettext_lazy(
        "Den nyanlände är under 18 och volontären har inget giltigt utdrag ur belastningsregistret."
    ),
    "excluded": gettext_lazy("Paret har avböjts tidigare."),
    "locked": gettext_lazy("Den nyanlände har redan ett låst par."),
    "capacity": gettext_lazy("Volontären har inga platser kvar."),
}


def pair_check(*, programme: Programme, newcomer: Newcomer, volunteer: Volunteer, on: date | None = None) -> None:
    """Raise a ValidationError naming every hard rule the pair breaks (the engine's own rules)."""
    errors = []
    if volunteer.status != Volunteer.Status.APPROVED:
        errors.append(_("%(name)s är inte godkänd som volontär.") % {"name": volunteer})
    if not newcomer.has_consent:
        errors.append(_("%(name)s har inget gällande samtycke.") % {"name": newcomer})
    if not (
        programme.volunteers.filter(pk=volunteer.pk).exists() and programme.newcomers.filter(pk=newcomer.pk).exists()
    ):
        errors.append(_("Båda måste vara med i programmet."))
    doc = selectors.pair_problem(
        programme=programme, newcomer=newcomer, volunteer=volunteer, reference_date=on or timezone.localdate()
    )
    problem = parse_problem(doc)
    for code in broken_rules(problem, f"n{newcomer.pk}", f"v{volunteer.pk}"):
        if code == "wishes":  # each wish on its own line
            errors += _wishes_in_words(problem, volunteer)
        else:
            errors.append(str(RULE_MESSAGES[code]))
    if errors:
        raise ValidationError({"__all__": errors})


def _wishes_in_words(problem: Problem, volunteer: Volunteer) -> list[str]:
    """What the volunteer wished for (a family or one person, an age range) that the pair misses."""
    n, v = problem.newcomers[0], problem.volunteers[0]
    reasons = []
    for wish in wishes_broken(n, v, problem.reference_date.year):
        if wish == "family":
            reasons.append(str(_("Volontären vill träffa en familj, och den nyanlände kommer ensam.")))
        elif wish == "single":
            reasons.append(str(_("Volontären vill träffa en person, inte en familj.")))
        else:
            reasons.append(
                str(
                    _("Volontären vill träffa någon som är %(wished)s; den nyanlände är %(age)s år.")
                    % {
                        "wished": vocabulary.age_range(volunteer.wants_age_min, volunteer.wants_age_max),
                        "age": problem.reference_date.year - (n.birth_year or 0),
                    }
                )
            )
    return reasons


@transaction.atomic
def match_create_by_hand(*, programme: Programme, newcomer: Newcomer, volunteer: Volunteer, by: User) -> Match:
    """A coordinator pairs two people without a run; every hard rule still holds."""
    newcomer = Newcomer.objects.select_for_update().get(pk=newcomer.pk)
    volunteer = Volunteer.objects.select_for_update().get(pk=volunteer.pk)
    pair_check(programme=programme, newcomer=newcomer, volunteer=volunteer)
    match = match_create(programme=programme, newcomer=newcomer, volunteer=volunteer, by=by)
    _supersede_pending(newcomer=newcomer, programme=programme, by=by)
    return match


def _supersede_pending(*, newcomer: Newcomer, programme: Programme, by: User | None) -> None:
    """A newcomer matched another way no longer waits on a pending proposal."""
    Proposal.objects.filter(newcomer=newcomer, run__programme=programme, state=Proposal.State.PENDING).update(
        state=Proposal.State.SUPERSEDED, decided_by=by, decided_at=timezone.now()
    )


@transaction.atomic
def proposal_decline(*, proposal: Proposal, by: User, reason: str) -> Proposal:
    """Decline a pending proposal with a reason; the pair is never proposed again."""
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.state != Proposal.State.PENDING:
        raise ValidationError({"state": _("Förslaget är redan %(state)s.") % {"state": proposal.get_state_display()}})
    if not reason.strip():
        raise ValidationError({"reason": _("Skriv varför förslaget avböjs.")})
    proposal.state = Proposal.State.DECLINED
    proposal.decided_by = by
    proposal.decided_at = timezone.now()
    proposal.decline_reason = reason.strip()
    proposal.save(update_fields=["state", "decided_by", "decided_at", "decline_reason"])
    audit_record(
        user=by,
        action=A.Action.CHANGE,
        purpose=A.Purpose.MATCHING,
        subjects=[proposal.newcomer, proposal.volunteer],
        detail=f"proposal {proposal.pk} declined",
    )
    return proposal


@transaction.atomic
def lock_approve(*, lock: PairLock, by: User) -> Match:
    """Turn a locked pair into a match."""
    lock = PairLock.objects.select_for_update().select_related("programme", "newcomer", "volunteer").get(pk=lock.pk)
    lock.delete()  # first, so the rules do not see the lock itself; a refusal below rolls it back
    return match_create_by_hand(programme=lock.programme, newcomer=lock.newcomer, volunteer=lock.volunteer, by=by)


# --- A match's life -----------------------------------------------------------------------------


def _audit_match(match: Match, by: User | None, detail: str, purpose: str = A.Purpose.FOLLOW_UP) -> None:
    """A change to a match is a change to both people's record."""
    organisation_id = match.programme.organisation_id
    people = [("newcomer", match.newcomer_id, organisation_id), ("volunteer", match.volunteer_id, organisation_id)]
    audit_record(user=by, action=A.Action.CHANGE, purpose=purpose, subjects=people, detail=detail)


def _open_match(match: Match) -> Match:
    match = Match.objects.select_for_update().get(pk=match.pk)
    if match.state == Match.State.ENDED:
        raise ValidationError({"state": _("Matchningen är avslutad.")})
    return match


@transaction.atomic
def match_book_intro(*, match: Match, by: User, at: datetime, place: str, coordinator_attends: bool) -> Match:
    """Book (or move) the introduction meeting; both are told after commit."""
    match = _open_match(match)
    if match.state == Match.State.ACTIVE:
        raise ValidationError({"intro_at": _("Matchningen är redan igång.")})
    if at < timezone.now():
        raise ValidationError({"intro_at": _("Mötet ligger i det förflutna.")})
    if not place.strip():
        raise ValidationError({"intro_place": _("Ange var ni ses.")})
    match.intro_at, match.intro_place, match.intro_coordinator_attends = at, place.strip(), coordinator_attends
    match.intro_booked_by = by
    match.state = Match.State.INTRODUCED
    match.save(update_fields=["intro_at", "intro_place", "intro_coordinator_attends", "intro_booked_by", "state"])
    stamp = at.isoformat()
    _audit_match(match, by, f"match {match.pk} introduction booked")
    jobs.notify_introduction.after_commit(match.pk, stamp)
    return match


@transaction.atomic
def match_activate(*, match: Match, by: User, on: date | None = None) -> Match:
    """The introduction meeting went well: the pair meets on their own from now on."""
    match = _open_match(match)
    if match.state == Match.State.ACTIVE:
        raise ValidationError({"state": _("Matchningen är redan igång.")})
    if match.intro_at is not None and match.intro_at > timezone.now():
        raise ValidationError(
            {
                "state": _("Mötet är bokat till %(when)s. Markera det som gjort när det har ägt rum.")
                % {"when": timezone.localtime(match.intro_at).strftime("%Y-%m-%d %H:%M")}
            }
        )
    match.state = Match.State.ACTIVE
    match.activated_on = on or timezone.localdate()
    match.save(update_fields=["state", "activated_on"])
    _audit_match(match, by, f"match {match.pk} active")
    return match


@transaction.atomic
def follow_up_record(
    *,
    follow_up: FollowUp,
    by: User,
    outcome: str,
    notes: str = "",
    on: date | None = None,
    meetings_since: int | None = None,
    met_how: list[str] | None = None,
    activities: str = "",
    volunteer_answers: list[int] | None = None,
    newcomer_answers: list[int] | None = None,
    concern: str = "",
    safeguarding: bool = False,
) -> FollowUp:
    """Record a check-in: how it is going, the standard questions (how often and how they have
    met, what they did, the relationship questions asked of each side), any concern. A concern
    for someone's safety (`safeguarding`) tells the organisation's administrators at once and is
    in the audit trail with its own line."""
    follow_up = FollowUp.objects.select_for_update().select_related("match__programme").get(pk=follow_up.pk)
    errors: dict[str, str] = {}
    if outcome not in FollowUp.Outcome.values:
        errors["outcome"] = _("Välj hur det går.")
    on = on or timezone.localdate()
    if on > timezone.localdate():
        errors["done_on"] = _("Datumet ligger i framtiden.")
    met_how = met_how or []
    if not set(met_how) <= set(FollowUp.MetHow.values):
        errors["met_how"] = _("Välj hur de har hörts i listan.")
    if meetings_since is not None and not 0 <= meetings_since <= 100:
        errors["meetings_since"] = _("Ange ett antal från 0 till 100.")
    for field, answers in (("volunteer_answers", volunteer_answers), ("newcomer_answers", newcomer_answers)):
        if answers is not None and not relationship.valid(answers):
            errors[field] = _("Svara på alla fem påståendena med 1 till 5, eller på inget.")
    if safeguarding and not concern.strip():
        errors["concern"] = _("Beskriv kort vad du är orolig för, så att administratören vet vad det gäller.")
    if errors:
        raise ValidationError(errors)
    follow_up.done_on, follow_up.outcome, follow_up.notes, follow_up.recorded_by = on, outcome, notes.strip(), by
    follow_up.meetings_since, follow_up.met_how, follow_up.activities = meetings_since, met_how, activities.strip()
    follow_up.volunteer_answers, follow_up.newcomer_answers = volunteer_answers or [], newcomer_answers or []
    follow_up.concern, follow_up.safeguarding = concern.strip(), safeguarding
    follow_up.save(
        update_fields=[
            "done_on", "outcome", "notes", "recorded_by", "meetings_since", "met_how", "activities",
            "volunteer_answers", "newcomer_answers", "concern", "safeguarding",
        ]
    )  # fmt: skip
    _audit_match(follow_up.match, by, f"match {follow_up.match_id} followed up: {outcome}")
    if safeguarding:
        _audit_match(follow_up.match, by, f"match {follow_up.match_id}: safeguarding concern raised")
        jobs.notify_safeguarding.after_commit(follow_up.pk)
    return follow_up


def meeting_log(
    *, match: Match, by: User, on: date | None = None, minutes: int = 60, what: str = "", source: str
) -> Meeting:
    """The two met: a meeting logged by the volunteer in the match (`source` "volunteer"), or by
    a coordinator of its organisation ("coordinator"). Only an open match's, on a day from its
    start to today."""
    on = on or timezone.localdate()
    if source == Meeting.Source.VOLUNTEER:
        allowed = match.volunteer.user_id == by.pk
    else:
        allowed = permissions.has_role(by, match.programme.organisation_id, *permissions.STAFF_ROLES)
    if not allowed or source not in Meeting.Source.values:
        raise ValidationError({"__all__": _("Du kan inte anteckna träffar i den här matchningen.")})
    errors = {}
    if not match.is_open:
        errors["__all__"] = _("Matchningen är avslutad.")
    if on > timezone.localdate():
        errors["on"] = _("Datumet ligger i framtiden.")
    elif on < match.started_on:
        errors["on"] = _("Datumet ligger före matchningens start (%(start)s).") % {"start": match.started_on}
    if minutes not in dict(Meeting.MINUTES):
        errors["minutes"] = _("Välj ungefär hur länge ni sågs.")
    if errors:
        raise ValidationError(errors)
    meeting = Meeting.objects.create(
        match=match, on=on, minutes=minutes, what=what.strip()[:200], source=source, recorded_by=by
    )
    _audit_match(match, by, f"match {match.pk}: meeting on {on} logged")
    return meeting


@transaction.atomic
def match_extend(*, match: Match, by: User, months: int) -> Match:
    """Move the planned end later; the evaluation follow-up moves with it."""
    match = _open_match(match)
    if not 1 <= months <= 24:
        raise ValidationError({"months": _("Förläng med 1 till 24 månader.")})
    old_end = match.planned_end_on
    match.planned_end_on = add_months(old_end, months)
    match.extended_times += 1
    match.save(update_fields=["planned_end_on", "extended_times"])
    moved = FollowUp.objects.filter(match=match, kind=FollowUp.Kind.PLANNED_END, done_on__isnull=True).update(
        due_on=match.planned_end_on
    )
    if not moved:  # the evaluation at the old end was done: the new end has one of its own
        FollowUp.objects.create(match=match, due_on=match.planned_end_on, kind=FollowUp.Kind.PLANNED_END)
    # The rhythm goes on into the extension: the check-ins from the old end to the new one.
    schedule = follow_up_schedule(
        started_on=match.started_on,
        trial_ends_on=match.trial_ends_on,
        planned_end_on=match.planned_end_on,
        programme=match.programme,
    )
    FollowUp.objects.bulk_create(
        [
            FollowUp(match=match, due_on=due, kind=kind)
            for due, kind in schedule
            if kind == FollowUp.Kind.CHECK_IN and old_end <= due
        ]
    )
    _audit_match(match, by, f"match {match.pk} extended by {months} months")
    return match
