#!/usr/bin/env bash
# Load test on this machine: PostgreSQL and Redis (as CI installs them), gunicorn with the
# production settings (DEBUG off), the demo data plus a matching run per programme, then
# locust with 50 users for 2 minutes. Prints locust's table and the database checks.
set -euo pipefail
cd "$(dirname "$0")/../.."
USERS=${USERS:-50}
DURATION=${DURATION:-2m}
PORT=${PORT:-8100}
OUT=bench/out/load
mkdir -p "$OUT"

su postgres -c "psql -q -c 'DROP DATABASE IF EXISTS vanmatch_load'" >/dev/null
su postgres -c "createdb -O vanmatch vanmatch_load"
redis-cli -p 6379 -n 5 flushdb >/dev/null
rm -f "$OUT/accepted.txt"

export DATABASE_URL=postgres://vanmatch:vanmatch@127.0.0.1:5432/vanmatch_load
export CELERY_BROKER_URL=redis://127.0.0.1:6379/5
export DEBUG=false HTTPS=false SECRET_KEY=load-test-only-$(date +%s)-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
export ALLOWED_HOSTS=127.0.0.1,localhost STATIC_ROOT=$OUT/static VANMATCH_SIGNUP_RATE=10000/m/ip
export EMAIL_BACKEND=django.core.mail.backends.dummy.EmailBackend  # mail leaves the machine: not in a load test
PY=.venv/bin/python
export LOAD_TOTP_SECRET=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP  # test accounts only

$PY manage.py migrate -v0
$PY manage.py collectstatic --noinput -v0
$PY manage.py demo_load >/dev/null
$PY manage.py shell -c "
from coordinator.models import Programme
from coordinator.services import runs
from worker import tasks
for p in Programme.objects.all():
    tasks.matching_run(runs.run_request(programme=p, by=None).pk)
"
# Coordinators log in with a code from an authenticator app: one account per simulated
# coordinator (a code works once per account), each with the app's secret that locust knows.
$PY manage.py shell -c "
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP
from accounts.models import Membership, Organisation, Role, User
for n, org in enumerate(list(Organisation.objects.order_by('slug')) * ($USERS // 2 + 1)):
    email = f'coordinator-{n}@load.test'
    user = User.objects.create_user(username=email, email=email, password='vanmatch-demo-2026')
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    Membership.objects.create(user=user, organisation=org, role=Role.COORDINATOR)
    TOTP.activate(user, '$LOAD_TOTP_SECRET')
"
$PY manage.py shell -c "
from accounts.models import User; from coordinator.models import Match, Proposal
print('before', User.objects.count(), Match.objects.count(), Proposal.objects.filter(state='pending').count())
" | tee "$OUT/before.txt"

.venv/bin/gunicorn config.wsgi --bind 127.0.0.1:$PORT --workers 3 --threads 4 --timeout 60 --backlog 512 --keep-alive 30 \
  --log-level warning > "$OUT/gunicorn.log" 2>&1 &
GUNICORN=$!
trap 'kill $GUNICORN 2>/dev/null || true' EXIT
for _ in $(seq 1 50); do curl -sf http://127.0.0.1:$PORT/health/ >/dev/null && break; sleep 0.3; done

.venv/bin/locust -f bench/load/locustfile.py --headless -u "$USERS" -r 10 -t "$DURATION" \
  --host "http://127.0.0.1:$PORT" --csv "$OUT/locust" --only-summary 2>&1 | tail -40

$PY manage.py shell -c "
from collections import Counter
from accounts.models import User; from coordinator.models import Match, Proposal
import csv
rows = {r['Name']: r for r in csv.DictReader(open('$OUT/locust_stats.csv'))}
accepted = [x.strip() for x in open('$OUT/accepted.txt') if x.strip()]
stored = Counter(User.objects.filter(email__startswith='load-').values_list('email', flat=True))
lost = [e for e in accepted if stored[e] != 1]
# Users the server created whose answer locust never saw: requests in flight when the run stopped.
unanswered = set(stored) - set(accepted)
approved = Proposal.objects.filter(state='approved').count()
dup = [k for k, n in Counter(Match.objects.exclude(state='ended').values_list('newcomer_id', 'programme_id')).items() if n > 1]
print(f'sign-ups accepted {len(accepted)}, each stored once: {not lost}; stored without an answer (in flight at the stop): {len(unanswered)}')
print(f'proposals approved {approved}, matches from proposals {Match.objects.filter(proposal__isnull=False).count()}')
print(f'newcomers with two open matches in a programme: {len(dup)}')
print('total requests', rows['Aggregated']['Request Count'], 'failures', rows['Aggregated']['Failure Count'],
      'p50', rows['Aggregated']['50%'], 'ms p95', rows['Aggregated']['95%'], 'ms p99', rows['Aggregated']['99%'], 'ms')
assert not lost, f'sign-ups lost or doubled: {lost[:5]}'
assert len(unanswered) <= $USERS, 'more sign-ups stored than were in flight'
assert len(set(accepted)) == len(accepted)
assert Match.objects.filter(proposal__isnull=False).count() == approved, 'an approval was lost or doubled'
assert not dup
"
