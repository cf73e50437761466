"""Named personas shared by every test.

- alice: coordinator of Solvik kommun, which owns the programme under test
- bob: coordinator of Norrby förening, another organisation
- sam: social worker at Solvik kommun
- vera: a volunteer at Solvik kommun, with a profile
- olle: an outsider with an account and no role anywhere
- ada: organisation admin of Solvik kommun
"""

import time
from datetime import datetime
from zoneinfo import ZoneInfo

import django.test
import pytest
import time_machine
from django.core.cache import cache
from django.core.servers.basehttp import WSGIRequestHandler
from django.utils import translation
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from accounts.models import Role
from tests import factories
from tests.worker_process import celery_worker_process, worker_env  # noqa: F401  (fixtures for every test)

# The live server (browser tests, the API fuzzed over HTTP) writes a response's headers and body
# in separate packets; with Nagle's algorithm on, the body waits for the client's delayed ACK,
# about 40 ms a request, most of each request's time. Test servers answer at once.
WSGIRequestHandler.disable_nagle_algorithm = True

# Property tests and fuzzing draw the same examples on every run and every machine (a seed made
# from each test's own code), by count and never against the clock (no deadline, no "too slow"
# health check), and replay nothing kept from an earlier run: a verdict depends neither on the
# machine's speed nor on its history. `pytest --hypothesis-profile=explore` draws new examples,
# to hunt for bugs by hand.
hypothesis_settings.register_profile(
    "vanmatch", derandomize=True, database=None, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
hypothesis_settings.register_profile("explore", derandomize=False, deadline=None)
hypothesis_settings.load_profile("vanmatch")


# The day every test runs on, whatever the calendar says: the factories' dates (registered on
# 1 September 2026, born in 1994) and the tests' own are read against it, so ages, waiting
# times, retention, expiry and due dates come out the same on any day.
NOW = datetime(2026, 12, 1, 12, 0, tzinfo=ZoneInfo("Europe/Stockholm"))
TODAY = NOW.date()


@pytest.fixture(autouse=True)
def today(request):
    """Every test runs on NOW, its clock going on from there (waits and timeouts work as ever).
    Tests with another process of ours on the other side (a real worker, run.sh, Chromium) keep
    the real clock: the other process cannot travel with this one."""
    if request.node.get_closest_marker("worker") or request.node.get_closest_marker("browser"):
        yield None
        return
    with time_machine.travel(NOW, tick=True):
        yield TODAY


@pytest.fixture(autouse=True)
def fresh_cache(request, django_db_blocker):
    """Rate limits (allauth's) and used codes live in the cache, which is shared by every process
    (the database, or Redis): every test that can reach it starts with none spent."""
    uses_database = request.node.get_closest_marker("django_db") is not None or {
        "db",
        "transactional_db",
        "live_server",
    } & set(request.fixturenames)
    if uses_database:
        request.getfixturevalue("django_db_setup")  # the test database (and its cache table) exists
        with django_db_blocker.unblock():
            cache.clear()
    yield


@pytest.fixture(autouse=True)
def swedish_first():
    """Every test starts in Swedish, whatever language an earlier request left active."""
    translation.activate("sv")
    yield
    translation.deactivate()


def logged_in_fully(client, user) -> None:
    """Mark the client's session as after a whole log-in: the password, and the code from the
    authenticator app that org admins, coordinators and DPOs must give (accounts/two_factor.py).
    An hour ago, so it does not count as just having given the password again."""
    session = client.session
    at = time.time() - 3600
    session["account_authentication_methods_user"] = str(user.pk)
    session["account_authentication_methods"] = [
        {"method": "password", "at": at, "email": user.email},
        {"method": "mfa", "at": at, "type": "totp"},
    ]
    session.save()


class Client(django.test.Client):
    """Django's test client whose force_login is a whole log-in, second factor included. The
    tests of two-factor authentication itself (tests/accounts/test_two_factor.py) use
    `password_only_client`, logged in with the password and nothing more."""

    def force_login(self, user, backend=None):
        super().force_login(user, backend)
        logged_in_fully(self, user)


@pytest.fixture
def client():
    return Client()


@pytest.fixture
def password_only_client():
    return django.test.Client()


@pytest.fixture
def solvik(db):
    return factories.organisation("Solvik kommun", slug="solvik")


@pytest.fixture
def norrby(db):
    return factories.organisation("Norrby förening", slug="norrby", kind="civil_society")


@pytest.fixture
def sprakvan(solvik):
    return factories.programme(solvik, name="Språkvän Solvik", max_distance_km=25)


@pytest.fixture
def alice(solvik):
    u = factories.user("alice@solvik.se", first_name="Alice")
    factories.member(u, solvik, Role.COORDINATOR)
    return u


@pytest.fixture
def bob(norrby):
    u = factories.user("bob@norrby.se", first_name="Bob")
    factories.member(u, norrby, Role.COORDINATOR)
    return u


@pytest.fixture
def sam(solvik):
    u = factories.user("sam@solvik.se", first_name="Sam")
    factories.member(u, solvik, Role.SOCIAL_WORKER)
    return u


@pytest.fixture
def vera(solvik, sprakvan):
    u = factories.user("vera@example.se", first_name="Vera")
    factories.member(u, solvik, Role.VOLUNTEER)
    factories.volunteer(solvik, [sprakvan], user=u, first_name="Vera", last_name="Volontär")
    return u


@pytest.fixture
def olle(db):
    return factories.user("olle@example.se", first_name="Olle")


@pytest.fixture
def ada(solvik):
    u = factories.user("ada@solvik.se", first_name="Ada", last_name="Admin")
    factories.member(u, solvik, Role.ORG_ADMIN)
    return u


def recently_authenticated(client, user) -> None:
    """Log in as someone who has just given their password again (allauth's reauthentication),
    as exports and erasure ask for."""
    client.force_login(user)  # a whole log-in (Client above)
    session = client.session
    session["account_authentication_methods"].append({"method": "password", "at": time.time(), "reauthenticated": True})
    session.save()
