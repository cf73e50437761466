#!/usr/bin/env bash
# Install Vänmatch with its test tools and run the whole test suite (arguments go to pytest).
# With DATABASE_URL and CELERY_BROKER_URL set, the suite runs against PostgreSQL and Redis.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/_venv.sh

# Browser tests drive Debian's Chromium (Playwright never downloads a browser here).
if [ ! -x /usr/bin/chromium ]; then
  echo "Installing chromium with apt-get for the browser tests ..."
  apt_install chromium || echo "Could not install chromium: browser tests will be skipped (they fail under CI)." >&2
fi
export DEBUG=true
.venv/bin/ruff check .
.venv/bin/ruff format --check -q .
.venv/bin/lint-imports --no-cache --no-logo || { echo "An import breaks the dependency rule (.importlinter; CONTRIBUTING.md)." >&2; exit 1; }
.venv/bin/mypy  # what it checks, and how strictly: [tool.mypy] in pyproject.toml
./scripts/lock.sh --check  # requirements/*.lock say what pyproject.toml asks for
.venv/bin/python manage.py makemigrations --check --dry-run -v0 || {
  echo "A model change has no migration: run 'manage.py makemigrations'." >&2; exit 1; }
# pytest on every core (pytest-xdist, at most four workers): each worker has its own test
# database, data directory and Redis databases (config/settings_test.py). The tests marked
# `alone` restart a service the others share (Redis), so they run after, by themselves.
# pytest's 5 ("no tests collected") is no failure here: one of the two parts may select none.
pytest_part() { .venv/bin/pytest "$@" || { status=$?; [ "$status" -eq 5 ] || return "$status"; }; }
pytest_part -n auto --maxprocesses=4 -m "not alone" "$@"
pytest_part -m alone "$@"
