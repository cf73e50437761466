"""schemathesis against the live schema, as each role: no 5xx, and every answer fits the schema.

By example count with a fixed seed, not against the clock: a run tests the same cases on any
machine, however fast, and every operation gets its share. Every role gets every operation's
documented examples and 15 generated cases of each operation; the operations a role may use are
also walked at their boundaries (schemathesis' coverage phase: every field missing, empty, at
and past its limits), each as the role whose input it is."""

import re
import subprocess
import sys

import pytest
from knox.models import AuthToken

from coordinator import services
from coordinator.models import MatchingRun
from tests import factories

pytestmark = [pytest.mark.django_db(transaction=True)]

CHECKS = "not_a_server_error,response_schema_conformance,content_type_conformance"
ROLES = ["coordinator", "other_coordinator", "social_worker", "volunteer", "admin"]
# The operations whose boundaries each role walks ("METHOD /path", as schemathesis names them).
# The admin uses what the coordinator uses, and the other organisation's coordinator none of
# Solvik's: both are fuzzed on every operation. A volunteer's record is changed through the input
# the volunteer walks, and a newcomer's change (PATCH) takes the registration's input, walked by
# the social worker: both are fuzzed as every role.
OWN_OPERATIONS = {
    "coordinator": ["--exclude-name-regex", r"^(POST|PATCH) /api/v1/newcomers/|^PATCH /api/v1/volunteers/"],
    "social_worker": ["--include-name-regex", r"^(GET|POST) /api/v1/newcomers/"],
    "volunteer": ["--include-name-regex", r"^[A-Z]+ /api/v1/volunteers/(\{id\}/)?$"],
}


@pytest.fixture
def people(solvik, sprakvan, alice, bob, sam, vera, ada):
    amal = factories.newcomer(solvik, [sprakvan], registered_by=sam)
    factories.volunteer(solvik, [sprakvan], status="applied")
    run = MatchingRun.objects.create(programme=sprakvan, status="done")
    factories.proposal(sprakvan, amal, factories.volunteer(solvik, [sprakvan]), run=run)
    services.match_create(
        programme=sprakvan,
        newcomer=factories.newcomer(solvik, [sprakvan]),
        volunteer=factories.volunteer(solvik, [sprakvan]),
        by=alice,
    )
    for staff in (alice, bob, ada):  # their tokens work only with an authenticator app set up
        factories.authenticator_app(staff)
    return {"coordinator": alice, "other_coordinator": bob, "social_worker": sam, "volunteer": vera, "admin": ada}


def schemathesis(live_server, user, tmp_path, *options: str) -> None:
    token = AuthToken.objects.create(user=user)[1]
    config = tmp_path / "schemathesis.toml"
    config.write_text("[cache]\nenabled = false\n")  # no crashes of an earlier run replayed first
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "schemathesis.cli",
            "--config-file",
            str(config),
            "run",
            f"{live_server.url}/api/schema/",
            "--header",
            f"Authorization: Token {token}",
            # Django's test server reads no chunked body (an empty form is sent chunked): the
            # body's last chunk would be taken for the next request on a kept-alive connection.
            "--header",
            "Connection: close",
            "--checks",
            CHECKS,
            "--seed",
            "2026",
            "--generation-database",
            "none",  # nothing carried over from an earlier run: the same cases every time
            "--output-truncate",
            "false",
            "--workers",
            "1",
            "--exclude-path",
            "/api/v1/auth/token/",
            "--request-timeout",
            "30",
            "--report",
            "junit",
            "--report-dir",
            str(tmp_path),
            *options,
        ],
        capture_output=True,
        text=True,
        timeout=900,
    )
    (tmp_path / "schemathesis.txt").write_text(result.stdout + result.stderr)
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
    selected, tested = re.search(r"Selected: (\d+)/\d+\s+Tested: (\d+)", result.stdout).groups()
    assert int(selected) > 0 and tested == selected, "every operation chosen was tested"


@pytest.mark.parametrize("role", ROLES)
def test_the_api_holds_its_schema_for_every_role(live_server, people, role, tmp_path):
    schemathesis(live_server, people[role], tmp_path, "--phases", "examples,fuzzing", "--max-examples", "15")


@pytest.mark.parametrize("role", sorted(OWN_OPERATIONS))
def test_the_operations_a_role_uses_hold_at_their_boundaries(live_server, people, role, tmp_path):
    schemathesis(live_server, people[role], tmp_path, "--phases", "coverage", *OWN_OPERATIONS[role])
