"""Real services for tests: PostgreSQL and Redis when configured, skipped when not, failing under CI."""

import os
import socket
from urllib.parse import urlparse

import pytest
from django.db import connection

IN_CI = bool(os.environ.get("CI"))


def missing(what: str) -> None:
    """Skip on a developer machine; fail in CI, where a missing service is a broken setup."""
    if IN_CI:
        pytest.fail(f"{what} is required in CI but is not available")
    pytest.skip(f"{what} is not available here")


def require_postgres() -> None:
    if connection.vendor != "postgresql":
        missing("PostgreSQL (set DATABASE_URL=postgres://...)")


def redis_url() -> str | None:
    url = os.environ.get("CELERY_BROKER_URL", "")
    return url if url.startswith("redis") else None


def require_redis() -> str:
    url = redis_url()
    if not url:
        missing("Redis (set CELERY_BROKER_URL=redis://...)")
    parsed = urlparse(url)
    try:
        socket.create_connection((parsed.hostname or "localhost", parsed.port or 6379), timeout=2).close()
    except OSError:
        missing(f"Redis at {parsed.hostname}:{parsed.port}")
    return url
