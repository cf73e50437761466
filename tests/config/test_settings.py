"""Settings come from the environment, fall back to embedded defaults, and refuse bad values loudly."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PROBE = (
    "import json, django; from django.conf import settings as s; "
    "print(json.dumps({'engine': s.DATABASES['default']['ENGINE'], 'broker': s.CELERY_BROKER_URL, "
    "'backend': s.CELERY_RESULT_BACKEND, 'opts': s.CELERY_BROKER_TRANSPORT_OPTIONS, "
    "'acks_late': s.CELERY_TASK_ACKS_LATE, 'reject': s.CELERY_TASK_REJECT_ON_WORKER_LOST, "
    "'time_limit': s.CELERY_TASK_TIME_LIMIT}))"
)
CLEAN = {
    k: v
    for k, v in os.environ.items()
    if k
    not in {
        "DATABASE_URL",
        "CELERY_BROKER_URL",
        "CELERY_RESULT_BACKEND",
        "SECRET_KEY",
        "DEBUG",
        "DJANGO_SETTINGS_MODULE",
        "VANMATCH_CACHE_URL",
    }
}


def settings_in(tmp_path, probe: str = PROBE, **env):
    result = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        env={**CLEAN, "DJANGO_SETTINGS_MODULE": "config.settings", "VANMATCH_DATA_DIR": str(tmp_path), **env},
    )
    return result


def test_with_nothing_set_it_runs_on_sqlite_and_a_broker_that_needs_no_server(tmp_path):
    result = settings_in(tmp_path, DEBUG="true")
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout)
    assert seen["engine"] == "django.db.backends.sqlite3"
    assert seen["broker"] == "filesystem://"
    assert seen["backend"].startswith("db+sqlite:///")
    assert (tmp_path / "broker" / "queue").is_dir()


def test_with_redis_it_acks_late_and_brings_a_lost_task_back_within_a_minute(tmp_path):
    result = settings_in(tmp_path, DEBUG="true", CELERY_BROKER_URL="redis://localhost:6379/0")
    seen = json.loads(result.stdout)
    assert seen["acks_late"] and seen["reject"]
    opts = seen["opts"]
    assert opts["visibility_timeout"] > seen["time_limit"]
    assert opts["visibility_timeout"] + opts["unacked_restore_interval"] * opts["unacked_restore_throttle"] <= 60


def test_with_database_url_it_uses_postgresql(tmp_path):
    result = settings_in(tmp_path, DEBUG="true", DATABASE_URL="postgres://u:p@db:5432/vanmatch")
    assert json.loads(result.stdout)["engine"] == "django.db.backends.postgresql"


def test_a_misspelt_boolean_stops_start_up_naming_the_variable(tmp_path):
    result = settings_in(tmp_path, DEBUG="ture")
    assert result.returncode != 0
    assert "DEBUG='ture' is not a boolean" in result.stderr


def test_production_without_a_secret_key_refuses_to_start(tmp_path):
    result = settings_in(tmp_path, DEBUG="false")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_a_visibility_timeout_shorter_than_the_longest_task_is_refused(tmp_path):
    result = settings_in(tmp_path, DEBUG="true", CELERY_TASK_TIME_LIMIT="120", CELERY_VISIBILITY_TIMEOUT="60")
    assert result.returncode != 0
    assert "must be longer than CELERY_TASK_TIME_LIMIT" in result.stderr


def test_a_broker_url_that_is_not_redis_is_refused(tmp_path):
    result = settings_in(tmp_path, DEBUG="true", CELERY_BROKER_URL="amqp://guest@localhost//")
    assert result.returncode != 0
    assert "CELERY_BROKER_URL must be a redis://" in result.stderr


CACHE_PROBE = (
    "import json, django; from django.conf import settings as s; "
    "print(json.dumps([s.CACHES['default']['BACKEND'], s.CACHES['default'].get('LOCATION')]))"
)


def cache_in(tmp_path, **env):
    return settings_in(tmp_path, CACHE_PROBE, **env)


def test_the_embedded_default_shares_its_cache_through_the_database_never_per_process(tmp_path):
    """Rate limits and "each code works once" live in the cache; a per-process cache let
    gunicorn's three workers accept one code twice."""
    result = cache_in(tmp_path, DEBUG="true")
    assert json.loads(result.stdout) == ["django.core.cache.backends.db.DatabaseCache", "vanmatch_cache"]


def test_with_the_broker_on_redis_the_cache_is_redis_on_the_next_database(tmp_path):
    result = cache_in(tmp_path, DEBUG="true", CELERY_BROKER_URL="redis://redis:6379/0")
    assert json.loads(result.stdout) == ["django.core.cache.backends.redis.RedisCache", "redis://redis:6379/1"]


def test_production_without_redis_for_the_cache_refuses_to_start(tmp_path):
    result = cache_in(tmp_path, DEBUG="false", SECRET_KEY="x" * 60, ALLOWED_HOSTS="vanmatch.example.se")
    assert result.returncode != 0
    assert "the cache must be Redis" in result.stderr


def test_a_worker_process_grown_past_its_memory_bound_is_replaced_after_its_task(tmp_path):
    probe = "from worker.celery import app; print(app.conf.worker_max_memory_per_child)"
    env = {**CLEAN, "DEBUG": "true", "VANMATCH_DATA_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "config.settings"}
    seen = subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); " + probe],
        cwd=ROOT, env=env, capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert seen.stdout.strip() == "1500000"
    env["CELERY_WORKER_MAX_MEMORY_PER_CHILD"] = "50"
    refused = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert refused.returncode != 0 and "CELERY_WORKER_MAX_MEMORY_PER_CHILD=50 must be at least 100000" in refused.stderr
