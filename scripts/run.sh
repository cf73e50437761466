#!/usr/bin/env bash
# Install and start Vänmatch on embedded defaults: SQLite, a broker that needs no
# server, the demo loaded; web, Celery worker and beat together. Ctrl-C stops all.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/_venv.sh

export DEBUG=${DEBUG:-true}
export VANMATCH_PORT=${VANMATCH_PORT:-8000}
export VANMATCH_HOST=${VANMATCH_HOST:-127.0.0.1}
# The address links in e-mails point at: where this service is reached, whatever the port.
export SITE_URL=${SITE_URL:-http://${VANMATCH_HOST}:${VANMATCH_PORT}}
# Staff log in with two factors; the demo's staff logins take this code (DEBUG only).
export VANMATCH_DEMO_TOTP_CODE=${VANMATCH_DEMO_TOTP_CODE:-246810}
.venv/bin/python manage.py migrate --noinput -v0
.venv/bin/python manage.py demo_load

cat <<MSG

  Vänmatch is starting on  http://${VANMATCH_HOST}:${VANMATCH_PORT}/
  Administration:          http://${VANMATCH_HOST}:${VANMATCH_PORT}/admin/
  The demo logins are listed above. Stop with Ctrl-C.

MSG
exec .venv/bin/honcho --no-colour -f Procfile.dev start
