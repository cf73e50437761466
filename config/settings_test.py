"""Test settings: the production module with what tests need changed, nothing more."""

import os
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

os.environ.setdefault("DEBUG", "true")
os.environ.setdefault("HTTPS", "false")
_worker = os.environ.get("PYTEST_XDIST_WORKER")  # gw0, gw1, ... when pytest-xdist runs the tests
if _worker:
    # Each worker keeps apart what the others use at the same time: its files (the SQLite test
    # database, the embedded broker: a real Celery worker started by one never takes another's
    # tasks) and, with Redis, its own databases for the broker and the cache beside it.
    # (pytest-django names each worker's test database itself, with a suffix.)
    _n = int(_worker.removeprefix("gw"))
    _data = os.environ.get("VANMATCH_DATA_DIR") or str(Path(__file__).resolve().parents[1] / "data")
    os.environ["VANMATCH_DATA_DIR"] = str(Path(_data) / _worker)
    for _name in ("CELERY_BROKER_URL", "CELERY_RESULT_BACKEND", "VANMATCH_CACHE_URL"):
        _url = urlsplit(os.environ.get(_name, ""))
        if _url.scheme in ("redis", "rediss"):
            _db = int(_url.path.strip("/") or 0) + 2 * (_n + 1)  # the cache takes the broker's next
            os.environ[_name] = urlunsplit(_url._replace(path=f"/{_db}"))

from config.settings import *  # noqa: E402,F403
from config.settings import DATA_DIR, DATABASES  # noqa: E402

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
SMS_BACKEND = "coordinator.sms.LocmemBackend"
SMS_AUTH_TOKEN = "test-sms-token"  # noqa: S105  (signs the tests' webhook posts)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
LANGUAGE_CODE = "sv"

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, not :memory:, so that a real worker process can open the test database.
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / "test-vanmatch.sqlite3")}

# A live server's threads must not keep connections open past a test, or PostgreSQL refuses to
# drop the test database at the end ("being accessed by other users").
DATABASES["default"]["CONN_MAX_AGE"] = 0
