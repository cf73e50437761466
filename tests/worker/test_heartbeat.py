import pytest

from tests.worker_process import wait_for
from worker import tasks
from worker.models import Heartbeat


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_process_consumes_a_task_through_the_broker(celery_worker_process):
    result = tasks.heartbeat.delay(source="test")
    wait_for(
        lambda: Heartbeat.objects.filter(source="test").exists(),
        timeout=60,
        what=f"the worker to record the heartbeat; its log:\n{celery_worker_process.output()}",
    )
    assert result.get(timeout=30)
    assert Heartbeat.objects.get(source="test").count == 1


@pytest.mark.django_db
def test_the_heartbeat_counts_each_time_a_worker_runs_it():
    from worker import services

    services.heartbeat_record(source="beat")
    services.heartbeat_record(source="beat")
    assert Heartbeat.objects.get(source="beat").count == 2
