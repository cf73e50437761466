"""Thin tasks: take ids, load, call one service. Each declares its retries and time limits and
is safe to deliver twice."""

import logging
import socket
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import TypeVar

from celery import Task, shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.db import InterfaceError, OperationalError, connection
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import notifications as account_notifications
from accounts import selectors as account_selectors
from accounts import services as account_services
from coordinator import notifications, selectors
from coordinator import services as coordinator_services
from coordinator.services import runs, surveys
from coordinator.services.retention import retention_apply
from worker import services

logger = logging.getLogger(__name__)
T = TypeVar("T")
LOST_CONNECTION = (OperationalError, InterfaceError)
NOTIFY = {
    "acks_late": True,
    "time_limit": 30,
    "soft_time_limit": 25,
    "autoretry_for": (OSError, *LOST_CONNECTION),
    "retry_backoff": True,
    "max_retries": 5,
}


@shared_task(acks_late=True, ignore_result=False, time_limit=30, soft_time_limit=25)
def heartbeat(source: str = "beat") -> str:
    beat = services.heartbeat_record(source=source, hostname=socket.gethostname())
    return beat.seen_at.isoformat()


def _fresh_connection() -> None:
    """A time limit or an error may strike in the middle of a query: outside a transaction,
    the failure is recorded on a fresh connection (inside one, as in a test, it is left be)."""
    if not connection.in_atomic_block:
        connection.close()


def _failing_softly(
    task: Task, work: Callable[[], T], failed: Callable[[str, str], None], what: str
) -> tuple[T | None, bool]:
    """(work(), False), or (None, True) once `failed(reason, detail)` has recorded why it could
    not be done: reason "time_limit" (the task's soft limit struck) or "error" (anything else,
    logged with its traceback), on a fresh connection. A lost database connection is raised
    again, for the task to retry. The long tasks (a run, its answers, an export) end this way,
    so that the person waiting is told, in her language, instead of waiting for ever."""
    try:
        return work(), False
    except LOST_CONNECTION:
        raise
    except SoftTimeLimitExceeded:
        _fresh_connection()
        limit = task.request.timelimit[1] if task.request.timelimit else None
        failed("time_limit", f"soft time limit {limit}s exceeded")
    except Exception as exc:
        logger.exception("%s failed", what)
        _fresh_connection()
        failed("error", f"{type(exc).__name__}: {exc}")
    return None, True


# Acknowledged when a worker takes it (acks_late=False): a run's limit grows with its pool, up
# to an hour for a nation, and the broker would hand a run still computing to a second worker
# after its visibility timeout. A run whose worker dies is found by beat's sweep
# (requeue_stale_runs) once past its own limit. Its limits come in the message
# (runs.run_request), set from the size of its pool.
@shared_task(bind=True, acks_late=False, autoretry_for=LOST_CONNECTION, retry_backoff=True, max_retries=5)
def matching_run(self, run_id: int) -> str:
    """Compute one matching run. A duplicate delivery of a finished run does nothing; a
    redelivery after a lost worker takes the run over and computes it from the start."""
    token = runs.run_claim(run_id=run_id, take_over=self.request.retries > 0)
    if token is None:
        return "not open"
    run, failed = _failing_softly(
        self,
        lambda: runs.run_compute(run_id=run_id, token=token),
        lambda reason, detail: runs.run_fail(run_id=run_id, token=token, failure=reason, error=detail),
        f"matching run {run_id}",
    )
    if failed:
        return "failed"
    return "done" if run is not None else "taken over"


@shared_task(bind=True, acks_late=False, autoretry_for=LOST_CONNECTION, retry_backoff=True, max_retries=3)
def run_what_if(self, run_id: int) -> int:
    """What would match more of those a run left waiting (acknowledged on taking, as a run is:
    its limit, from the run's, may be longer than the broker's visibility timeout)."""
    run, _failed = _failing_softly(
        self,
        lambda: runs.run_what_if(run_id=run_id, take_over=self.request.retries > 0),
        lambda reason, _detail: runs.run_what_if_failed(run_id=run_id, reason=reason),
        f"the answers for those run {run_id} left waiting",
    )
    return len(run.what_if or []) if run is not None else 0


@shared_task(**NOTIFY)
def notify_match_approved(match_id: int) -> int:
    """E-mail the volunteer and the newcomer's social worker that a match was made."""
    match = selectors.match_to_notify(match_id=match_id)
    if match is None:
        return 0
    sent = services.once(f"newcomer_matched:{match_id}", lambda: notifications.newcomer_matched(match))
    sent += services.once(f"volunteer_matched:{match_id}", lambda: notifications.volunteer_matched(match))
    return sent


@shared_task(**NOTIFY)
def notify_introduction(match_id: int, at: str) -> int:
    """The introduction meeting as booked at `at` (a moved meeting is a new message)."""
    match = selectors.match_to_notify(match_id=match_id)
    booked = datetime.fromisoformat(at)
    if match is None or match.intro_at != booked:
        return 0  # moved again since: that booking sends its own
    key = f"introduction:{match_id}:{booked.astimezone(UTC).isoformat()}"
    return services.once(key, lambda: notifications.introduction(match))


@shared_task(**NOTIFY)
def notify_safeguarding(follow_up_id: int) -> int:
    found = selectors.safeguarding_to_notify(follow_up_id=follow_up_id)
    if found is None:
        return 0  # erased, or the flag taken back since
    follow_up, recipients = found
    return services.once(f"safeguarding:{follow_up_id}", lambda: notifications.safeguarding(follow_up, recipients))


@shared_task(**NOTIFY)
def notify_application_received(volunteer_id: int) -> int:
    volunteer = selectors.volunteer_to_notify(volunteer_id=volunteer_id)
    if volunteer is None:
        return 0  # erased or withdrawn since
    return services.once(f"application_received:{volunteer_id}", lambda: notifications.application_received(volunteer))


@shared_task(**NOTIFY)
def notify_volunteer_approved(volunteer_id: int, event_id: int) -> int:
    volunteer = selectors.volunteer_to_notify(volunteer_id=volunteer_id)
    event = selectors.screening_event_of(volunteer=volunteer, event_id=event_id) if volunteer else None
    if event is None or volunteer is None or volunteer.status != event.to_status:
        return 0  # gone, or screened again since: that step tells her what it means
    return services.once(f"volunteer_approved:{event_id}", lambda: notifications.volunteer_approved(volunteer, event))


@shared_task(**NOTIFY)
def send_invitation(invitation_id: int, token: str) -> int:
    invitation = account_selectors.invitation_to_send(invitation_id=invitation_id)
    if invitation is None or invitation.token_hash != account_services.token_hash(token):
        return 0  # gone, or sent again since with a new link: that sending has its own task
    # One e-mail per link: a resent invitation has a new link, and so a message of its own.
    key = f"invitation:{invitation_id}:{invitation.token_hash[:16]}"
    return services.once(key, lambda: account_notifications.invitation(invitation, token))


@shared_task(**NOTIFY)
def notify_match_ended(match_id: int) -> int:
    """E-mail the volunteer and the newcomer's social worker that a match has ended."""
    match = selectors.match_to_notify(match_id=match_id)
    if match is None or match.state != match.State.ENDED:
        return 0
    return services.once(f"ended:{match_id}", lambda: notifications.match_ended(match))


@shared_task(**NOTIFY)
def send_survey(survey_id: int) -> int:
    return services.once(f"survey:{survey_id}", lambda: surveys.survey_send(survey_id=survey_id))


@shared_task(**NOTIFY)
def send_sms_reply(received_id: int, body: str) -> int:
    return services.once(f"sms-reply:{received_id}", lambda: surveys.sms_reply_send(received_id=received_id, body=body))


@shared_task(acks_late=True, time_limit=120, soft_time_limit=110, autoretry_for=LOST_CONNECTION, retry_backoff=True)
def ask_participants() -> int:
    """Daily: put the questions due today to the people in the matches."""
    return surveys.surveys_ask_due()


@shared_task(**NOTIFY)
def send_follow_up_digests() -> int:
    """Every coordinator's weekly digest of follow-ups due in the coming week or overdue."""
    today = timezone.localdate()
    week = today.isocalendar()
    due = {c.pk: (c, f) for c, f in selectors.follow_ups_due_by_coordinator(until=today + timedelta(days=7))}
    lapsing = selectors.background_checks_lapsing_by_coordinator(today=today, until=today + timedelta(days=30))
    at_risk = selectors.at_risk_by_coordinator(today=today)
    sent = 0
    for pk in sorted(set(due) | set(lapsing) | set(at_risk)):
        coordinator = (due.get(pk) or lapsing.get(pk) or at_risk[pk])[0]
        follow_ups = due.get(pk, (None, []))[1]
        volunteers = lapsing.get(pk, (None, []))[1]
        risky = at_risk.get(pk, (None, []))[1]
        key = f"digest:{coordinator.pk}:{week.year}-W{week.week:02d}"
        sent += services.once(
            key,
            lambda c=coordinator, f=follow_ups, v=volunteers, r=risky: notifications.follow_up_digest(c, f, v, r),
        )
    return sent


@shared_task(**NOTIFY)
def send_end_reminders(days_ahead: int = 14) -> int:
    """Remind coordinators of matches whose planned end is near: extend, end or rematch."""
    sent = 0
    for match, coordinators in selectors.matches_ending_by(until=timezone.localdate() + timedelta(days=days_ahead)):
        for coordinator in coordinators:
            key = f"end:{match.pk}:{match.planned_end_on.isoformat()}:{coordinator.pk}"
            sent += services.once(key, lambda c=coordinator, m=match: notifications.end_reminder(c, m))
    return sent


@shared_task(acks_late=True, time_limit=60, soft_time_limit=50)
def start_nightly_matching() -> int:
    """Queue a run for every active programme that asked for nightly matching."""
    return runs.runs_request_nightly()


@shared_task(acks_late=True, time_limit=60, soft_time_limit=50)
def requeue_stale_runs(minutes: int = 10) -> int:
    """Hand on runs whose task was lost (coordinator.services.runs.runs_hand_on_lost): running
    runs count as lost once past their own time limit."""
    return runs.runs_hand_on_lost(minutes=minutes)


@shared_task(acks_late=True, time_limit=300, soft_time_limit=280, autoretry_for=LOST_CONNECTION, retry_backoff=True)
def apply_retention() -> list[str]:
    """Nightly: anonymise what the programmes' retention times say is due, and say what it did."""
    lines = retention_apply(dry_run=False).lines()
    for line in lines:
        logger.info("retention: %s", line)
    return lines


@shared_task(acks_late=True, time_limit=180, soft_time_limit=170)
def import_check(batch_id: int) -> str:
    """Check a received spreadsheet (coordinator.services.import_check_batch): in the worker,
    never in a web request, and within the task time limit."""
    try:
        batch = coordinator_services.import_check_batch(batch_id=batch_id)
    except SoftTimeLimitExceeded:
        coordinator_services.import_check_failed(
            batch_id=batch_id, error=_("Filen tog för lång tid att kontrollera. Dela upp den i mindre filer.")
        )
        return "failed"
    return batch.status if batch is not None else "already checked"


@shared_task(acks_late=True, time_limit=600, soft_time_limit=580, autoretry_for=LOST_CONNECTION, retry_backoff=True)
def import_apply(batch_id: int) -> str:
    """Write an imported file's checked rows (coordinator.services.import_apply_batch), in one
    transaction: a file that takes longer than the task may is written not at all, and said so."""
    try:
        batch = coordinator_services.import_apply_batch(batch_id=batch_id)
    except SoftTimeLimitExceeded:
        coordinator_services.import_apply_failed(
            batch_id=batch_id, error=_("Importen tog för lång tid och gjordes inte. Dela upp filen i mindre filer.")
        )
        return "failed"
    return batch.status if batch is not None else "already applied"


@shared_task(
    bind=True, acks_late=True, time_limit=600, soft_time_limit=580, autoretry_for=LOST_CONNECTION, retry_backoff=True
)
def export_build(self, export_id: int) -> str:
    """Write an export's spreadsheet (coordinator.services.export_build); a second delivery of
    a finished one does nothing."""
    export, failed = _failing_softly(
        self,
        lambda: coordinator_services.export_build(export_id=export_id),
        lambda reason, _detail: coordinator_services.export_failed(export_id=export_id, why=reason),
        f"export {export_id}",
    )
    if failed:
        return "failed"
    return export.status if export is not None else "not open"


@shared_task(acks_late=True, time_limit=60, soft_time_limit=50)
def tidy_exports() -> list[int]:
    """Delete export files older than a day; hand on those the broker lost."""
    return list(coordinator_services.exports_tidy())
