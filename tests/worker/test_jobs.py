"""Work is handed to the worker through declared jobs (accounts/shared/jobs.py): each names a
task the worker has, with the same parameters, and a broker outage never turns a committed
write into an error page."""

import inspect
from unittest import mock

import pytest
from celery import current_app

import accounts.jobs
import coordinator.jobs
from accounts.shared.jobs import DECLARED, none_sent

JOB_MODULES = [accounts.jobs, coordinator.jobs]


def _parameters(function) -> list[tuple[str, object]]:
    return [(p.name, p.default) for p in inspect.signature(function).parameters.values() if p.name != "self"]


def test_every_job_module_is_declared():
    declared = {id(job) for job in DECLARED}
    in_modules = [value for module in JOB_MODULES for value in vars(module).values() if id(value) in declared]
    assert len(in_modules) == len(DECLARED) == 14


@pytest.mark.parametrize("job", DECLARED, ids=lambda job: job.name)
def test_each_job_names_a_registered_task_that_takes_its_parameters(job):
    task = current_app.tasks[job.name]
    assert _parameters(task.run) == [(p.name, p.default) for p in job.signature.parameters.values()]


@pytest.mark.django_db
def test_a_job_is_sent_only_once_the_transaction_commits(django_capture_on_commit_callbacks):
    with mock.patch.object(current_app.tasks["worker.tasks.import_check"], "delay") as delay:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            coordinator.jobs.import_check.after_commit(7)
        delay.assert_not_called()
        for callback in callbacks:
            callback()
    delay.assert_called_once_with(7)


def test_a_broker_outage_is_logged_not_raised(caplog):
    with mock.patch.object(current_app.tasks["worker.tasks.matching_run"], "delay", side_effect=OSError("refused")):
        coordinator.jobs.matching_run.send(41)
    assert "could not hand worker.tasks.matching_run(41,) to the worker" in caplog.text


@pytest.mark.django_db
def test_a_job_asked_for_while_writing_the_past_is_never_sent(django_capture_on_commit_callbacks):
    with (
        mock.patch.object(current_app.tasks["worker.tasks.import_check"], "delay") as delay,
        django_capture_on_commit_callbacks(execute=True),
    ):
        with none_sent():
            coordinator.jobs.import_check.after_commit(1)
        coordinator.jobs.import_check.after_commit(2)
    delay.assert_called_once_with(2)
