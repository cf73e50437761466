"""The work the befriending domain hands to the worker (see accounts/shared/jobs.py). The tasks
that do it are in worker/tasks.py; each is safe to deliver twice."""

from accounts.shared.jobs import job


@job("worker.tasks.matching_run")
def matching_run(run_id: int) -> None:
    """Compute a matching run. If the broker is down the run stays queued and the nightly sweep
    (worker.tasks.requeue_stale_runs) hands it on."""


@job("worker.tasks.run_what_if")
def run_what_if(run_id: int) -> None:
    """After a run: what would match more of those it left waiting, each change checked by
    solving again. Lost with the broker, the dashboard says the answers are missing."""


@job("worker.tasks.notify_match_approved")
def notify_match_approved(match_id: int) -> None:
    """E-mail the volunteer and the newcomer's social worker that a match was made."""


@job("worker.tasks.notify_introduction")
def notify_introduction(match_id: int, at: str) -> None:
    """E-mail both sides the introduction meeting as booked at `at` (ISO 8601)."""


@job("worker.tasks.import_check")
def import_check(batch_id: int) -> None:
    """Check a received spreadsheet, out of the web request."""


@job("worker.tasks.notify_application_received")
def notify_application_received(volunteer_id: int) -> None:
    """E-mail a volunteer that her application has arrived, and whom to call."""


@job("worker.tasks.notify_volunteer_approved")
def notify_volunteer_approved(volunteer_id: int, event_id: int) -> None:
    """E-mail a volunteer that she is approved (screening step `event_id`), naming her coordinator."""


@job("worker.tasks.import_apply")
def import_apply(batch_id: int) -> None:
    """Write an imported spreadsheet's checked rows after the coordinator's go-ahead."""


@job("worker.tasks.export_build")
def export_build(export_id: int) -> None:
    """Write an export's spreadsheet. If the broker is down it stays queued and the sweep
    (worker.tasks.tidy_exports) hands it on."""


@job("worker.tasks.notify_safeguarding")
def notify_safeguarding(follow_up_id: int) -> None:
    """Tell the organisation's administrators of a safeguarding concern raised at a check-in."""


@job("worker.tasks.send_survey")
def send_survey(survey_id: int) -> None:
    """Put a survey's question to its side: an SMS to the newcomer, an e-mail to the volunteer."""


@job("worker.tasks.send_sms_reply")
def send_sms_reply(received_id: int, body: str) -> None:
    """Answer a text message a newcomer sent (thanks, STOP or START confirmed)."""


@job("worker.tasks.notify_match_ended")
def notify_match_ended(match_id: int) -> None:
    """E-mail the volunteer and the newcomer's social worker that a match has ended."""
