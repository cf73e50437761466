"""The fault test: Redis restarted (without persistence, so every queued message is gone) and
the worker killed during a matching run. The run still finishes exactly once, and what users
had submitted (the run request, a registration made meanwhile) is all there. Needs a Redis this
test may restart, so it runs in CI."""

import shutil
import subprocess
import time
from datetime import timedelta

import pytest
from django.utils import timezone

from coordinator.models import MatchingRun, Newcomer, Proposal
from coordinator.services import runs
from tests import factories
from tests.services import require_redis
from tests.worker.test_run_survives_a_killed_worker import a_big_pool
from tests.worker_process import WorkerProcess, wait_for
from worker import tasks

pytestmark = [pytest.mark.worker, pytest.mark.alone, pytest.mark.django_db(transaction=True)]


def restart_redis(port: int) -> None:
    if not shutil.which("redis-server"):
        pytest.fail("redis-server is needed to restart Redis")
    subprocess.run(["redis-cli", "-p", str(port), "shutdown", "nosave"], capture_output=True, timeout=30)
    subprocess.run(
        ["redis-server", "--port", str(port), "--daemonize", "yes", "--save", "", "--appendonly", "no"],
        check=True,
        timeout=30,
    )
    for _ in range(50):
        if (
            subprocess.run(["redis-cli", "-p", str(port), "ping"], capture_output=True, text=True).stdout.strip()
            == "PONG"
        ):
            return
        time.sleep(0.2)
    pytest.fail("Redis did not come back")


def test_a_run_finishes_exactly_once_after_redis_restarts_and_the_worker_dies(
    worker_env, tmp_path, solvik, sprakvan, alice, sam
):
    from urllib.parse import urlparse

    url = require_redis()
    env = {**worker_env, "CELERY_TASK_TIME_LIMIT": "20", "CELERY_VISIBILITY_TIMEOUT": "25"}
    a_big_pool(solvik, sprakvan)
    first = WorkerProcess(env, tmp_path / "first.log").start()
    try:
        run = runs.run_request(programme=sprakvan, by=alice)
        wait_for(
            lambda: MatchingRun.objects.filter(pk=run.pk, status="running").exists(),
            timeout=60,
            interval=0.05,
            what=f"the worker to start the run; its log:\n{first.output()}",
        )
        first.kill()
    finally:
        first.kill()
    restart_redis(urlparse(url).port or 6379)
    # A social worker registers someone while the broker is gone: the write does not depend on it.
    factories.newcomer(solvik, [sprakvan], first_name="Registrerad-under-avbrottet", registered_by=sam)

    second = WorkerProcess(env, tmp_path / "second.log").start()
    try:
        # The message died with Redis; beat's sweep hands the run on once its worker is surely gone.
        MatchingRun.objects.filter(pk=run.pk).update(started_at=timezone.now() - timedelta(minutes=5))
        assert tasks.requeue_stale_runs.delay().get(timeout=60) == 1
        wait_for(
            lambda: MatchingRun.objects.filter(pk=run.pk, status="done").exists(),
            timeout=120,
            interval=0.5,
            what=f"the run to finish; the new worker's log:\n{second.output()}",
        )
    finally:
        second.stop()
    run.refresh_from_db()
    assert run.attempts == 2
    assert Proposal.objects.filter(run=run).count() == run.matched_count > 0
    assert Proposal.objects.count() == run.matched_count
    assert Newcomer.objects.filter(first_name="Registrerad-under-avbrottet").count() == 1
