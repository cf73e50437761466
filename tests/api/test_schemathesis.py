"""schemathesis against the live schema, as each role: no 5xx, and every answer fits the schema."""

import subprocess
import sys

import pytest
from knox.models import AuthToken

from coordinator import services
from coordinator.models import MatchingRun
from tests import factories

pytestmark = [pytest.mark.django_db(transaction=True)]

CHECKS = "not_a_server_error,response_schema_conformance,content_type_conformance"


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


@pytest.mark.parametrize("role", ["coordinator", "other_coordinator", "social_worker", "volunteer", "admin"])
def test_the_api_holds_its_schema_for_every_role(live_server, people, role, tmp_path):
    token = AuthToken.objects.create(user=people[role])[1]
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "schemathesis.cli",
            "run",
            f"{live_server.url}/api/schema/",
            "--header",
            f"Authorization: Token {token}",
            "--checks",
            CHECKS,
            "--max-examples",
            "4",
            "--max-time",
            "50",
            "--seed",
            "2026",
            "--output-truncate",
            "false",
            "--phases",
            "examples,coverage,fuzzing",
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
        ],
        capture_output=True,
        text=True,
        timeout=900,
    )
    (tmp_path / "schemathesis.txt").write_text(result.stdout + result.stderr)
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
