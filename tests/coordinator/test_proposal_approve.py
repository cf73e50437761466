import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import close_old_connections

from coordinator import services
from coordinator.models import Match, Proposal, Volunteer
from tests import factories
from tests.services import require_postgres


def test_approving_a_proposal_makes_it_a_match(solvik, sprakvan, alice):
    karin = factories.volunteer(solvik, [sprakvan])
    amal = factories.newcomer(solvik, [sprakvan])
    proposal = factories.proposal(sprakvan, amal, karin)
    match = services.proposal_approve(proposal=proposal, by=alice)
    proposal.refresh_from_db()
    assert proposal.state == Proposal.State.APPROVED and proposal.decided_by == alice
    assert match.proposal == proposal


def test_approving_reads_the_proposal_and_its_people_not_the_runs_documents(solvik, sprakvan, alice):
    """At a region's size an approval decoded the run's 20 MB of JSON: 2 s each."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from coordinator.models import MatchingRun

    run = MatchingRun.objects.create(programme=sprakvan, status="done", unmatched=[[1, "taken"]] * 5000)
    proposal = factories.proposal(
        sprakvan, factories.newcomer(solvik, [sprakvan]), factories.volunteer(solvik, [sprakvan]), run=run
    )
    with CaptureQueriesContext(connection) as queries:
        services.proposal_approve(proposal=proposal, by=alice)
    sql = " ".join(q["sql"] for q in queries.captured_queries)
    assert "coordinator_rundocuments" not in sql and '"unmatched"' not in sql


def test_a_proposal_cannot_be_approved_twice(solvik, sprakvan, alice):
    proposal = factories.proposal(
        sprakvan, factories.newcomer(solvik, [sprakvan]), factories.volunteer(solvik, [sprakvan], capacity=2)
    )
    services.proposal_approve(proposal=proposal, by=alice)
    with pytest.raises(ValidationError):
        services.proposal_approve(proposal=proposal, by=alice)
    assert Match.objects.count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_coordinators_approving_at_once_cannot_over_fill_a_volunteer(solvik, sprakvan, alice):
    """Two threads, two PostgreSQL connections, one place left: exactly one approval wins."""
    require_postgres()
    karin = factories.volunteer(solvik, [sprakvan], capacity=1)
    proposals = [
        factories.proposal(sprakvan, factories.newcomer(solvik, [sprakvan], first_name=name), karin)
        for name in ("Amal", "Rana")
    ]
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def approve(proposal):
        try:
            barrier.wait(timeout=10)
            services.proposal_approve(proposal=proposal, by=alice)
            outcomes.append("approved")
        except ValidationError:
            outcomes.append("refused")
        finally:
            close_old_connections()

    threads = [threading.Thread(target=approve, args=(p,)) for p in proposals]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)

    assert sorted(outcomes) == ["approved", "refused"]
    assert Volunteer.objects.get(pk=karin.pk).open_matches == 1
    assert Match.objects.filter(volunteer=karin).count() == 1
