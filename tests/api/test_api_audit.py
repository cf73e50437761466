"""Every API operation that shows or changes a newcomer's or a volunteer's record leaves a row in
the audit trail (as tests/test_audit_table.py for the pages). A route added without a line here
makes the first test fail."""

import pytest

from accounts.models import AuditEvent
from tests.api.test_api import COVERED, api, as_, world  # noqa: F401  (api, world: the shared fixtures)

# route: (who, method, url, body)
SHOWS = {
    "volunteer-list": ("alice", "get", "/api/v1/volunteers/", None),
    "volunteer-detail": ("alice", "get", "/api/v1/volunteers/{karin}/", None),
    "volunteer-screen": ("alice", "post", "/api/v1/volunteers/{karin}/screen/", {"to_status": "interviewed"}),
    "volunteer-background-check": (
        "alice",
        "post",
        "/api/v1/volunteers/{karin}/background-check/",
        {"seen_on": "2026-11-01", "expires_on": "2027-11-01"},
    ),
    "newcomer-list": ("sam", "get", "/api/v1/newcomers/", None),
    "newcomer-detail": ("sam", "get", "/api/v1/newcomers/{amal}/", None),
    "newcomer-withdraw-consent": ("sam", "post", "/api/v1/newcomers/{amal}/withdraw-consent/", {}),
    "proposal-list": ("alice", "get", "/api/v1/proposals/", None),
    "proposal-detail": ("alice", "get", "/api/v1/proposals/{proposal}/", None),
    "proposal-approve": ("alice", "post", "/api/v1/proposals/{proposal}/approve/", {}),
    "proposal-decline": ("alice", "post", "/api/v1/proposals/{proposal}/decline/", {"reason": "Nej"}),
    "match-list": ("alice", "get", "/api/v1/matches/", None),
    "match-detail": ("alice", "get", "/api/v1/matches/{match}/", None),
    "match-introduction": (
        "alice",
        "post",
        "/api/v1/matches/{match}/introduction/",
        {"at": "2030-01-01T10:00:00Z", "place": "Biblioteket"},
    ),
    "match-activate": ("alice", "post", "/api/v1/matches/{match}/activate/", {}),
    "match-extend": ("alice", "post", "/api/v1/matches/{match}/extend/", {"months": 2}),
    "match-end": ("alice", "post", "/api/v1/matches/{match}/end/", {"reason": "moved"}),
    "follow-up-list": ("alice", "get", "/api/v1/follow-ups/", None),
    "follow-up-detail": ("alice", "get", "/api/v1/follow-ups/{follow_up}/", None),
    "follow-up-record": ("alice", "post", "/api/v1/follow-ups/{follow_up}/record/", {"outcome": "going_well"}),
}
NO_PERSON = {
    "organisation-list": "organisations",
    "organisation-detail": "an organisation",
    "programme-list": "programmes",
    "programme-detail": "a programme",
    "run-list": "counts of runs",
    "run-detail": "counts of a run",
    "api-root": "links",
}


def test_every_api_route_is_in_the_audit_table():
    assert not set(SHOWS) & set(NO_PERSON)
    assert set(SHOWS) | set(NO_PERSON) == COVERED


@pytest.mark.parametrize("route", sorted(SHOWS))
def test_an_api_operation_that_shows_or_changes_people_leaves_a_row(api, world, route):  # noqa: F811
    persona, method, template, body = SHOWS[route]
    user = world["people"][persona]
    url = template.format(**{k: getattr(v, "pk", None) for k, v in world.items()})
    before = AuditEvent.objects.filter(user=user).count()
    response = getattr(as_(api, world, persona), method)(url, body, format="json")
    assert response.status_code in (200, 201), (route, response.json())
    assert AuditEvent.objects.filter(user=user).count() > before, f"{route} shows or changes people, and no row"
