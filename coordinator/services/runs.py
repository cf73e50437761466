"""Matching runs: requested by a coordinator or the nightly schedule, computed by the worker."""

import logging
import time
import uuid
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from accounts.models import User
from accounts.shared.jobs import GRACE_SECONDS
from coordinator import jobs, selectors
from coordinator.models import MatchingRun, Newcomer, PairLock, Programme, Proposal, RunDocuments, Volunteer
from coordinator.services.matches import pair_check
from matching import engine, whatif
from matching.format import parse_problem

logger = logging.getLogger(__name__)


def run_time_limit(*, programme: Programme) -> int:
    """Seconds a run of the programme's pool may take: a base and a few seconds per thousand
    people (the waiting newcomers and the volunteers with room), at most the configured maximum.
    A national pool needs minutes where a municipality's needs seconds, and a busy machine
    several times a quiet one's (bench/README.md)."""
    people = selectors.newcomers_waiting_in(programme).count() + selectors.volunteers_with_room_in(programme).count()
    limit = settings.MATCHING_RUN_TIME_LIMIT_BASE + settings.MATCHING_RUN_SECONDS_PER_1000 * people // 1000
    return min(limit, settings.MATCHING_RUN_TIME_LIMIT_MAX)


def run_request(*, programme: Programme, by: User | None, trigger: str = MatchingRun.Trigger.MANUAL) -> MatchingRun:
    """Queue a run for the programme, or return the one already queued or running.

    The worker is handed the run's id after commit, with the run's own time limit. One open run
    per programme is a database constraint, so two coordinators pressing the button at once get
    the same run.
    """
    try:
        with transaction.atomic():
            run = MatchingRun.objects.create(
                programme=programme, requested_by=by, trigger=trigger, time_limit=run_time_limit(programme=programme)
            )
            jobs.matching_run.within(run.time_limit).after_commit(run.pk)
            return run
    except IntegrityError:
        return MatchingRun.objects.get(programme=programme, status__in=MatchingRun.OPEN_STATUSES)


def runs_request_nightly() -> int:
    """Queue a run for every active programme that asked for nightly matching."""
    started = 0
    for programme in Programme.objects.filter(active=True, nightly_matching=True):
        run_request(programme=programme, by=None, trigger=MatchingRun.Trigger.NIGHTLY)
        started += 1
    return started


MAX_ATTEMPTS = 3  # a run whose worker died this many times is failed, not handed on again
WHAT_IF_TIMES = 4  # the answers for those a run left waiting may take this many times its limit
WHAT_IF_QUEUED = timedelta(hours=6)  # never begun by a worker in this long: the task was lost
LOST_AFTER = timedelta(seconds=60)  # past a run's limit and its process's grace: surely lost
# A run whose answers for those left waiting are still to come: not begun, or begun and not done.
UNANSWERED = Q(what_if__isnull=True) | Q(what_if__has_key="working_since")


def _deadline_passed(run: MatchingRun, now: datetime) -> bool:
    limit = run.time_limit or settings.MATCHING_RUN_TIME_LIMIT_MAX
    return run.started_at is not None and run.started_at + timedelta(seconds=limit + GRACE_SECONDS) + LOST_AFTER < now


def runs_hand_on_lost(*, minutes: int) -> int:
    """Hand on runs whose task was lost: still queued after `minutes` (the enqueue after commit
    failed, or a broker without persistence restarted), or running past their own time limit
    (the worker died: a run is acknowledged when a worker takes it, so the broker does not bring
    it back). A redelivery claims the run again; only the latest claim writes, so a run is never
    written twice. A run lost `MAX_ATTEMPTS` times is failed with the reason, not tried again."""
    now = timezone.now()
    stale = MatchingRun.objects.filter(
        Q(status=MatchingRun.Status.QUEUED, created_at__lt=now - timedelta(minutes=minutes))
        | Q(status=MatchingRun.Status.RUNNING)
    ).only("pk", "status", "started_at", "time_limit", "attempts", "programme_id")
    handed = 0
    # The answers for those a run left waiting, lost with their worker or the broker: said so,
    # once past their limit from when a worker began them, or never begun within WHAT_IF_QUEUED.
    unanswered = MatchingRun.objects.filter(
        UNANSWERED, status=MatchingRun.Status.DONE, finished_at__gt=now - timedelta(days=2)
    )
    for run in unanswered.only("pk", "finished_at", "time_limit", "what_if"):
        limit = timedelta(
            seconds=WHAT_IF_TIMES * (run.time_limit or settings.MATCHING_RUN_TIME_LIMIT_MAX) + GRACE_SECONDS
        )
        if run.what_if is None:
            lost = run.finished_at is not None and run.finished_at + WHAT_IF_QUEUED < now
        else:
            lost = datetime.fromisoformat(run.what_if["working_since"]) + limit + LOST_AFTER < now
        if lost:
            run_what_if_failed(run_id=run.pk, reason="lost")
    for run in stale:
        if run.status == MatchingRun.Status.RUNNING and not _deadline_passed(run, now):
            continue
        if run.attempts >= MAX_ATTEMPTS:
            run_fail(run_id=run.pk, token=None, failure=MatchingRun.Failure.GAVE_UP, error=f"lost {run.attempts} times")
            continue
        if not run.time_limit:  # asked for before runs had limits of their own
            run.time_limit = run_time_limit(programme=Programme(pk=run.programme_id))
            MatchingRun.objects.filter(pk=run.pk).update(time_limit=run.time_limit)
        jobs.matching_run.within(run.time_limit).send(run.pk)
        handed += 1
    return handed


def run_claim(*, run_id: int, take_over: bool = False) -> str | None:
    """Claim a run for this delivery: a token if it is this delivery's to compute, else None.

    A queued run is claimed. A running one only when its worker is surely gone: past its own
    limit and its grace (the sweep's redelivery), or `take_over`, this task's own retry after
    a lost database connection. Any other delivery of a run being computed (a duplicate, a
    message the broker handed out twice) does nothing. A run that is done or failed is never
    computed again.
    """
    now = timezone.now()
    run = (
        MatchingRun.objects.filter(pk=run_id, status__in=MatchingRun.OPEN_STATUSES)
        .only("pk", "status", "claim", "started_at", "time_limit")
        .first()
    )
    if run is None:
        return None
    if run.status == MatchingRun.Status.RUNNING and not take_over and not _deadline_passed(run, now):
        return None
    token = uuid.uuid4().hex
    # Only if nobody claimed it since it was read: of two deliveries at once, one wins.
    claimed = MatchingRun.objects.filter(pk=run_id, status=run.status, claim=run.claim).update(
        status=MatchingRun.Status.RUNNING,
        claim=token,
        started_at=now,
        phase="reading",
        phase_started_at=now,
        attempts=F("attempts") + 1,
    )
    return token if claimed else None


def run_phase(*, run_id: int, token: str, phase: str) -> None:
    """Say which stage the run is in (MatchingRun.PHASES), for the dashboard to show."""
    MatchingRun.objects.filter(pk=run_id, claim=token).update(phase=phase, phase_started_at=timezone.now())


def run_compute(*, run_id: int, token: str, reference_date: date | None = None) -> MatchingRun | None:
    """Build the problem from the database, solve it, and write the proposals, all or nothing.

    Returns the finished run, or None when another delivery took the run over meanwhile.
    """
    run = MatchingRun.objects.select_related("programme").get(pk=run_id)
    reference_date = reference_date or timezone.localdate()
    t = time.perf_counter()
    problem = selectors.matching_problem(programme=run.programme, reference_date=reference_date)
    read_seconds = time.perf_counter() - t
    solution = engine.solve_problem(
        parse_problem(problem),
        read_seconds=read_seconds,
        timings=True,
        progress=lambda stage: run_phase(run_id=run_id, token=token, phase=stage),
    )
    run_phase(run_id=run_id, token=token, phase="writing")
    return _write(run_id=run_id, token=token, problem=problem, solution=solution)


@transaction.atomic
def _write(*, run_id: int, token: str, problem: dict, solution: dict) -> MatchingRun | None:
    run = MatchingRun.objects.select_for_update().get(pk=run_id)
    if run.claim != token or run.status != MatchingRun.Status.RUNNING:
        return None  # a later delivery owns the run now; it writes
    # The queue is never thrown away: a pending proposal the new run makes again stays as it was
    # (with any decision under way); one it changes is superseded by the new one, which says what
    # it replaces; one for a newcomer it proposes nothing for is superseded.
    pending = {
        p.newcomer_id: p
        for p in Proposal.objects.filter(run__programme_id=run.programme_id, state=Proposal.State.PENDING)
        .exclude(run=run)
        .only("id", "newcomer_id", "volunteer_id")
    }
    kept, created = [], []
    for m in solution["matches"]:
        newcomer_id, volunteer_id = int(m["newcomer"][1:]), int(m["volunteer"][1:])
        earlier = pending.get(newcomer_id)
        if earlier is not None and earlier.volunteer_id == volunteer_id:
            kept.append(earlier.pk)
            continue
        created.append(
            Proposal(
                run=run,
                newcomer_id=newcomer_id,
                volunteer_id=volunteer_id,
                score=m["score"],
                parts=m["reasons"],
                replaces=earlier,
            )
        )
    # Only what is still pending: a decision taken while the run computed stays as it was taken.
    Proposal.objects.filter(run__programme_id=run.programme_id, state=Proposal.State.PENDING).exclude(run=run).exclude(
        pk__in=kept
    ).update(state=Proposal.State.SUPERSEDED)
    Proposal.objects.bulk_create(created, batch_size=1000)
    # The stages' seconds are kept on the run, not in the document, which stays what
    # `python -m matching solve` writes for the same problem, byte for byte.
    stats = solution["stats"]
    seconds = stats.pop("seconds", {})
    stats.pop("solver", None)
    queue = {
        "kept": len(kept),
        "changed": sum(1 for p in created if p.replaces is not None),
        "new": sum(1 for p in created if p.replaces is None),
        "dropped": len(pending) - len(kept) - sum(1 for p in created if p.replaces is not None),
    }
    run.status = MatchingRun.Status.DONE
    run.phase = ""
    run.finished_at = timezone.now()
    run.newcomers_count = stats["newcomers"]
    run.volunteers_count = stats["volunteers"]
    run.feasible_pairs = stats["feasible_pairs"]
    run.matched_count = stats["matched"]
    run.stats = {**stats, "queue": queue, "seconds": seconds}
    run.unmatched = [[int(u["newcomer"][1:]), u.get("code", "")] for u in solution.get("unmatched", [])]
    run.gaps = solution.get("gaps", {})
    run.error = ""
    run.save()
    RunDocuments.objects.update_or_create(run=run, defaults={"problem": problem, "solution": solution})
    if run.unmatched:
        # Several solves more: out of the run's own time, which ends with the proposals visible.
        limit = run.time_limit or run_time_limit(programme=run.programme)  # asked for before runs had limits
        jobs.run_what_if.within(WHAT_IF_TIMES * limit).after_commit(run.pk)
    else:
        run.what_if = []
        MatchingRun.objects.filter(pk=run.pk).update(what_if=[])
    return run


def run_what_if_failed(*, run_id: int, reason: str) -> None:
    """The answers could not be worked out (`reason`: time_limit, error or lost); the dashboard
    says so instead of waiting for them."""
    MatchingRun.objects.filter(UNANSWERED, pk=run_id).update(what_if={"failed": reason})


def run_what_if(*, run_id: int, take_over: bool = False) -> MatchingRun | None:
    """Work out what would match more of those a finished run left waiting (matching/whatif.py),
    from the run's own documents, and keep it on the run and in its solution document (the
    format's `what_if` extension). Once per run: the delivery that starts it says so on the run
    (`working_since`, from which the sweep counts its time), and any other does nothing, but for
    `take_over`, this task's own retry after a lost database connection, which begins again."""
    now = timezone.now()
    not_begun = UNANSWERED if take_over else Q(what_if__isnull=True)
    started = MatchingRun.objects.filter(not_begun, pk=run_id, status=MatchingRun.Status.DONE).update(
        what_if={"working_since": now.isoformat()}
    )
    if not started:
        return None
    run = MatchingRun.objects.get(pk=run_id)
    documents = RunDocuments.objects.get(run=run)
    solution: dict = documents.solution or {}
    answers = whatif.what_if(parse_problem(documents.problem), solution)
    with transaction.atomic():
        updated = MatchingRun.objects.filter(pk=run_id, what_if__has_key="working_since").update(what_if=answers)
        if updated:
            RunDocuments.objects.filter(pk=documents.pk).update(solution={**solution, "what_if": answers})
    run.what_if = answers
    return run


def run_fail(*, run_id: int, token: str | None, failure: str, error: str = "") -> None:
    """Record why a run failed (only by the delivery that owns it): `failure`, a
    MatchingRun.Failure the coordinator reads in her language, and `error`, the technical detail
    for whoever runs the service."""
    runs = MatchingRun.objects.filter(pk=run_id, status__in=MatchingRun.OPEN_STATUSES)
    if token is not None:
        runs = runs.filter(claim=token)
    runs.update(
        status=MatchingRun.Status.FAILED, phase="", finished_at=timezone.now(), failure=failure, error=error[:2000]
    )


@transaction.atomic
def pair_lock(*, programme: Programme, newcomer: Newcomer, volunteer: Volunteer, by: User) -> PairLock:
    """Hold a pair before a run (the rules are checked as for a match made by hand)."""
    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext as _

    if PairLock.objects.filter(programme=programme, newcomer=newcomer).exists():
        raise ValidationError({"newcomer": _("%(name)s har redan ett låst par.") % {"name": newcomer}})
    pair_check(programme=programme, newcomer=newcomer, volunteer=volunteer)
    return PairLock.objects.create(programme=programme, newcomer=newcomer, volunteer=volunteer, created_by=by)


@transaction.atomic
def pair_unlock(*, lock: PairLock, by: User) -> None:
    PairLock.objects.filter(pk=lock.pk).delete()
