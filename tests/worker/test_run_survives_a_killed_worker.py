"""A worker killed in the middle of a run: after a restart the run completes exactly once, with
no duplicate proposals. A run is acknowledged when a worker takes it (its limit may be an hour,
longer than the broker's visibility timeout), so it is beat's sweep that hands it on once it is
past its own limit. Runs in CI against Redis."""

import random
import time
from datetime import timedelta

import pytest
from django.utils import timezone

from coordinator.models import MatchingRun, Newcomer, Proposal, Volunteer
from coordinator.services import runs
from tests import factories
from tests.services import require_redis
from tests.worker_process import WorkerProcess, wait_for
from worker import tasks

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

SLOTS = [
    f"{d}-{p}" for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun") for p in ("morning", "afternoon", "evening")
]


def a_big_pool(solvik, sprakvan, newcomers=2500, volunteers=2000):
    """Everyone in one town: some seconds of work for the worker, time enough to kill it."""
    rng = random.Random(7)

    def facts():
        return {
            "languages": rng.sample(["sv", "en", "ar", "fa", "so"], 2),
            "availability": rng.sample(SLOTS, 4),
            "interests": rng.sample(["matlagning", "fotboll", "musik", "läsning", "schack"], 2),
            "latitude": 59.29 + rng.uniform(-0.05, 0.05),
            "longitude": 17.81 + rng.uniform(-0.05, 0.05),
        }

    ns = Newcomer.objects.bulk_create([factories.newcomer_unsaved(solvik, **facts()) for _ in range(newcomers)])
    vs = Volunteer.objects.bulk_create([factories.volunteer_unsaved(solvik, **facts()) for _ in range(volunteers)])
    sprakvan.newcomers.add(*ns)
    sprakvan.volunteers.add(*vs)


def test_a_run_whose_worker_is_killed_completes_exactly_once_after_a_restart(
    worker_env, tmp_path, solvik, sprakvan, alice
):
    require_redis()
    env = {**worker_env, "CELERY_TASK_TIME_LIMIT": "20", "CELERY_VISIBILITY_TIMEOUT": "25"}
    a_big_pool(solvik, sprakvan)
    first = WorkerProcess(env, tmp_path / "first.log").start()
    try:
        run = runs.run_request(programme=sprakvan, by=alice)  # committed: handed to the broker at once
        wait_for(
            lambda: MatchingRun.objects.filter(pk=run.pk, status="running").exists(),
            timeout=60,
            interval=0.05,
            what=f"the worker to start the run; its log:\n{first.output()}",
        )
        first.kill()  # SIGKILL, mid-run: no acknowledgement, no goodbye
    finally:
        first.kill()
    run.refresh_from_db()
    assert run.status == "running", "the run finished before the worker could be killed: make the pool bigger"
    assert not Proposal.objects.filter(run=run).exists()

    second = WorkerProcess(env, tmp_path / "second.log").start()
    try:
        time.sleep(3)
        run.refresh_from_db()
        assert run.status == "running", "the broker does not hand a taken run to a second worker"
        MatchingRun.objects.filter(pk=run.pk).update(started_at=timezone.now() - timedelta(seconds=run.time_limit + 90))
        assert tasks.requeue_stale_runs.delay().get(timeout=60) == 1
        wait_for(
            lambda: MatchingRun.objects.filter(pk=run.pk, status="done").exists(),
            timeout=120,
            interval=0.5,
            what=f"the run to be redelivered and finished; the new worker's log:\n{second.output()}",
        )
    finally:
        second.stop()
    run.refresh_from_db()
    proposals = Proposal.objects.filter(run=run)
    assert run.attempts == 2
    assert proposals.count() == run.matched_count > 0
    assert proposals.values("newcomer").distinct().count() == proposals.count()
    assert Proposal.objects.count() == proposals.count()  # nothing from the killed attempt
