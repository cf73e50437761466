"""Test settings: the production module with what tests need changed, nothing more."""

import os

os.environ.setdefault("DEBUG", "true")
os.environ.setdefault("HTTPS", "false")

from config.settings import *  # noqa: E402,F403
from config.settings import DATA_DIR, DATABASES  # noqa: E402

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
LANGUAGE_CODE = "sv"

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, not :memory:, so that a real worker process can open the test database.
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / "test-vanmatch.sqlite3")}

# A live server's threads must not keep connections open past a test, or PostgreSQL refuses to
# drop the test database at the end ("being accessed by other users").
DATABASES["default"]["CONN_MAX_AGE"] = 0
