"""A run's time limit is the one its message carries, set by the process that asked for it from
the size of its pool, not the worker's configuration: a real worker, with its own generous
settings, stops a run whose message allows it one second, and the coordinator reads why in
Swedish."""

import pytest
from django.urls import reverse

from coordinator.models import MatchingRun, Proposal
from coordinator.services import runs
from tests.services import require_redis
from tests.worker.test_run_survives_a_killed_worker import a_big_pool
from tests.worker_process import WorkerProcess, wait_for

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_a_worker_stops_a_run_at_the_limit_its_message_carries(
    worker_env, tmp_path, settings, client, solvik, sprakvan, alice
):
    require_redis()
    settings.MATCHING_RUN_TIME_LIMIT_BASE, settings.MATCHING_RUN_SECONDS_PER_1000 = 1, 0
    env = {**worker_env, "MATCHING_RUN_TIME_LIMIT_BASE": "600", "CELERY_TASK_TIME_LIMIT": "600"}
    env["CELERY_VISIBILITY_TIMEOUT"] = "700"
    a_big_pool(solvik, sprakvan, newcomers=8000, volunteers=6000)  # several seconds of work, never one
    worker = WorkerProcess(env, tmp_path / "worker.log").start()
    try:
        run = runs.run_request(programme=sprakvan, by=alice)
        assert run.time_limit == 1
        wait_for(
            lambda: MatchingRun.objects.filter(pk=run.pk, status="failed").exists(),
            timeout=60,
            interval=0.2,
            what=lambda: f"the run to stop at its one second; the worker's log:\n{worker.output()}",
        )
    finally:
        worker.stop()
    run.refresh_from_db()
    assert run.failure == "time_limit" and not Proposal.objects.filter(run=run).exists()
    client.force_login(alice)
    html = client.get(reverse("programme_dashboard", args=[sprakvan.pk])).content.decode()
    assert "Körningen tog längre tid än gränsen på 1 sekund." in html
