"""Named personas shared by every test.

- alice: coordinator of Solvik kommun, which owns the programme under test
- bob: coordinator of Norrby förening, another organisation
- sam: social worker at Solvik kommun
- vera: a volunteer at Solvik kommun, with a profile
- olle: an outsider with an account and no role anywhere
- ada: organisation admin of Solvik kommun
"""

import contextlib
import time
from datetime import datetime
from zoneinfo import ZoneInfo

import django.test
import pytest
import time_machine
from django.core.cache import cache
from django.core.servers.basehttp import WSGIRequestHandler
from django.db import transaction
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


def pytest_collection_modifyitems(config, items):
    """The long tests first, the longest (run.sh, a whole install and start) before the others
    with another process on the other side (a real worker, Chromium) and the API fuzzing. Spread
    over several cores (scripts/test.sh), a long test begun last runs on alone while the other
    cores wait for it."""

    def rank(item) -> int:
        if item.path.name == "test_quickstart.py":
            return 0
        long = item.get_closest_marker("worker") or item.get_closest_marker("browser")
        return 1 if long or item.path.name == "test_schemathesis.py" else 2

    items.sort(key=rank)  # stable: within a rank, tests keep their order


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


def build_personas() -> dict:
    """The organisations, the programme and the personas of the fixtures below, all at once: for
    a world that a module's tests share (`shared_world`), built the same way."""
    solvik, norrby = build_solvik(), build_norrby()
    sprakvan = build_sprakvan(solvik)
    return {
        "solvik": solvik,
        "norrby": norrby,
        "sprakvan": sprakvan,
        "alice": build_alice(solvik),
        "bob": build_bob(norrby),
        "sam": build_sam(solvik),
        "vera": build_vera(solvik, sprakvan),
        "olle": build_olle(),
        "ada": build_ada(solvik),
    }


def build_solvik():
    return factories.organisation("Solvik kommun", slug="solvik")


def build_norrby():
    return factories.organisation("Norrby förening", slug="norrby", kind="civil_society")


def build_sprakvan(solvik):
    return factories.programme(solvik, name="Språkvän Solvik", max_distance_km=25)


def build_alice(solvik):
    u = factories.user("alice@solvik.se", first_name="Alice")
    factories.member(u, solvik, Role.COORDINATOR)
    return u


def build_bob(norrby):
    u = factories.user("bob@norrby.se", first_name="Bob")
    factories.member(u, norrby, Role.COORDINATOR)
    return u


def build_sam(solvik):
    u = factories.user("sam@solvik.se", first_name="Sam")
    factories.member(u, solvik, Role.SOCIAL_WORKER)
    return u


def build_vera(solvik, sprakvan):
    u = factories.user("vera@example.se", first_name="Vera")
    factories.member(u, solvik, Role.VOLUNTEER)
    factories.volunteer(solvik, [sprakvan], user=u, first_name="Vera", last_name="Volontär")
    return u


def build_olle():
    return factories.user("olle@example.se", first_name="Olle")


def build_ada(solvik):
    u = factories.user("ada@solvik.se", first_name="Ada", last_name="Admin")
    factories.member(u, solvik, Role.ORG_ADMIN)
    return u


@pytest.fixture
def solvik(db):
    return build_solvik()


@pytest.fixture
def norrby(db):
    return build_norrby()


@pytest.fixture
def sprakvan(solvik):
    return build_sprakvan(solvik)


@pytest.fixture
def alice(solvik):
    return build_alice(solvik)


@pytest.fixture
def bob(norrby):
    return build_bob(norrby)


@pytest.fixture
def sam(solvik):
    return build_sam(solvik)


@pytest.fixture
def vera(solvik, sprakvan):
    return build_vera(solvik, sprakvan)


@pytest.fixture
def olle(db):
    return build_olle()


@pytest.fixture
def ada(solvik):
    return build_ada(solvik)


@contextlib.contextmanager
def shared_world(django_db_blocker, make):
    """Data that `make()` builds once for all the tests of a module, in a transaction of its own:
    each test's transaction (the `db` fixture) is a savepoint inside it and rolls back what the
    test changed, and the whole is rolled back after the module. For modules whose every database
    test takes the shared data and no persona fixture of its own (that would build one twice).

        @pytest.fixture(scope="module")
        def shared(django_db_setup, django_db_blocker):
            with shared_world(django_db_blocker, build_the_world) as data:
                yield data
    """
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            with time_machine.travel(NOW, tick=True):
                data = make()
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            raise
    try:
        yield data
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def recently_authenticated(client, user) -> None:
    """Log in as someone who has just given their password again (allauth's reauthentication),
    as exports and erasure ask for."""
    client.force_login(user)  # a whole log-in (Client above)
    session = client.session
    session["account_authentication_methods"].append({"method": "password", "at": time.time(), "reauthenticated": True})
    session.save()
