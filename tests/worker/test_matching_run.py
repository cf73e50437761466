"""A matching run: requested once, computed by the worker exactly once, its proposals written
in one transaction, a failure recorded for the coordinator."""

from unittest import mock

import pytest
from django.urls import reverse

from coordinator.models import MatchingRun, Proposal, RunDocuments
from coordinator.services import runs
from tests import factories
from tests.conftest import recently_authenticated
from worker import tasks


@pytest.fixture
def pool(solvik, sprakvan):
    """Two newcomers and one volunteer who can meet: one proposal, one newcomer left waiting."""
    factories.newcomer(solvik, [sprakvan], first_name="Amal")
    factories.newcomer(solvik, [sprakvan], first_name="Omar", registered_on=factories.date(2026, 6, 1))
    return factories.volunteer(solvik, [sprakvan], first_name="Karin")


def test_requesting_a_run_hands_it_to_the_worker_after_commit_with_its_own_time_limit(
    sprakvan, alice, django_capture_on_commit_callbacks
):
    with mock.patch.object(tasks.matching_run, "apply_async") as send:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            run = runs.run_request(programme=sprakvan, by=alice)
        send.assert_not_called()
        for callback in callbacks:
            callback()
    send.assert_called_once_with((run.pk,), {}, soft_time_limit=60, time_limit=75)
    assert run.status == "queued" and run.requested_by == alice and run.time_limit == 60


def test_a_runs_time_limit_grows_with_its_pool_up_to_the_maximum(settings, solvik, sprakvan):
    settings.MATCHING_RUN_TIME_LIMIT_BASE, settings.MATCHING_RUN_SECONDS_PER_1000 = 60, 4000  # 4 s a person
    settings.MATCHING_RUN_TIME_LIMIT_MAX = 80
    factories.newcomer(solvik, [sprakvan])
    factories.volunteer(solvik, [sprakvan])
    assert runs.run_time_limit(programme=sprakvan) == 60 + 8
    factories.newcomer(solvik, [sprakvan])
    factories.volunteer(solvik, [sprakvan], status="applied")  # not in the pool: no time for her
    assert runs.run_time_limit(programme=sprakvan) == 60 + 12
    for _ in range(3):
        factories.newcomer(solvik, [sprakvan])
    assert runs.run_time_limit(programme=sprakvan) == 80, "never above the maximum"


def test_a_running_run_is_handed_on_only_once_past_its_own_limit(sprakvan, alice):
    from datetime import timedelta

    from django.utils import timezone

    run = runs.run_request(programme=sprakvan, by=alice)
    runs.run_claim(run_id=run.pk)
    MatchingRun.objects.filter(pk=run.pk).update(time_limit=600, started_at=timezone.now() - timedelta(seconds=650))
    with mock.patch.object(tasks.matching_run, "apply_async") as send:
        assert tasks.requeue_stale_runs() == 0, "still within its ten minutes and their grace"
        MatchingRun.objects.filter(pk=run.pk).update(started_at=timezone.now() - timedelta(seconds=700))
        assert tasks.requeue_stale_runs() == 1
    send.assert_called_once_with((run.pk,), {}, soft_time_limit=600, time_limit=615)


def test_a_run_whose_worker_died_three_times_fails_and_says_why(client, sprakvan, alice):
    from datetime import timedelta

    from django.utils import timezone

    run = runs.run_request(programme=sprakvan, by=alice)
    for _ in range(3):  # claimed, and each time its worker died: past its limit, handed on
        runs.run_claim(run_id=run.pk)
        MatchingRun.objects.filter(pk=run.pk).update(started_at=timezone.now() - timedelta(hours=1))
    assert MatchingRun.objects.get(pk=run.pk).attempts == 3
    with mock.patch.object(tasks.matching_run, "apply_async") as send:
        assert tasks.requeue_stale_runs() == 0
    send.assert_not_called()
    run.refresh_from_db()
    assert (run.status, run.failure) == ("failed", "gave_up")
    client.force_login(alice)
    html = client.get(reverse("programme_dashboard", args=[sprakvan.pk])).content.decode()
    assert "Bakgrundsarbetaren avbröts under körningen flera gånger" in html


def test_a_second_request_while_one_is_open_returns_the_same_run(sprakvan, alice):
    first = runs.run_request(programme=sprakvan, by=alice)
    assert runs.run_request(programme=sprakvan, by=alice).pk == first.pk
    assert MatchingRun.objects.count() == 1


def test_the_worker_computes_the_run_and_writes_its_proposals(sprakvan, alice, pool):
    run = runs.run_request(programme=sprakvan, by=alice)
    assert tasks.matching_run(run.pk) == "done"
    run.refresh_from_db()
    assert (run.status, run.newcomers_count, run.volunteers_count, run.matched_count) == ("done", 2, 1, 1)
    proposal = Proposal.objects.get(run=run)
    assert proposal.volunteer == pool and proposal.newcomer.first_name == "Omar"  # waited longest
    assert 0 < proposal.score <= 1 and proposal.parts["shared_languages"] == ["en"]
    documents = RunDocuments.objects.get(run=run)
    assert documents.problem["format"] == "vanmatch.problem/1"
    assert documents.solution["format"] == "vanmatch.solution/1"
    assert [u["code"] for u in documents.solution["unmatched"]] == ["taken"]
    assert [code for _newcomer, code in run.unmatched] == ["taken"], "what the dashboard shows, on the run's row"


def test_a_second_delivery_of_a_finished_run_does_nothing(sprakvan, alice, pool):
    run = runs.run_request(programme=sprakvan, by=alice)
    tasks.matching_run(run.pk)
    assert tasks.matching_run(run.pk) == "not open"
    assert Proposal.objects.filter(run=run).count() == 1


def test_a_duplicate_delivery_of_a_run_being_computed_does_nothing(sprakvan, alice, pool):
    run = runs.run_request(programme=sprakvan, by=alice)
    assert runs.run_claim(run_id=run.pk) is not None  # a worker computing it
    assert tasks.matching_run(run.pk) == "not open", "a message handed out twice takes nothing over"
    run.refresh_from_db()
    assert (run.status, run.attempts) == ("running", 1)


def test_only_the_latest_claim_writes(sprakvan, alice, pool):
    from datetime import timedelta

    from django.utils import timezone

    run = runs.run_request(programme=sprakvan, by=alice)
    first = runs.run_claim(run_id=run.pk)  # a worker that then went away
    MatchingRun.objects.filter(pk=run.pk).update(started_at=timezone.now() - timedelta(minutes=3))
    second = runs.run_claim(run_id=run.pk)  # past its limit: the redelivery takes the run over
    assert runs.run_compute(run_id=run.pk, token=first) is None
    assert runs.run_compute(run_id=run.pk, token=second).status == "done"
    run.refresh_from_db()
    assert run.attempts == 2 and Proposal.objects.filter(run=run).count() == 1


def test_a_rerun_keeps_the_pending_proposal_it_makes_again_as_it_was(sprakvan, alice, pool):
    first = runs.run_request(programme=sprakvan, by=alice)
    tasks.matching_run(first.pk)
    kept = Proposal.objects.get(run=first)
    second = runs.run_request(programme=sprakvan, by=alice)
    tasks.matching_run(second.pk)

    assert list(Proposal.objects.filter(state="pending")) == [kept]  # the same row: nothing lost
    assert not Proposal.objects.filter(run=second).exists()
    second.refresh_from_db()
    assert second.stats["queue"] == {"kept": 1, "changed": 0, "new": 0, "dropped": 0}


def test_a_rerun_that_proposes_someone_else_marks_what_it_replaced(solvik, sprakvan, alice, pool):
    first = runs.run_request(programme=sprakvan, by=alice)
    tasks.matching_run(first.pk)
    earlier = Proposal.objects.get(run=first)
    # A volunteer who suits Omar better arrives: she speaks his language and lives close by.
    factories.volunteer(solvik, [sprakvan], first_name="Maja", languages=["ar", "sv"], interests=["matlagning"])
    earlier.newcomer.languages = ["ar"]
    earlier.newcomer.save()
    second = runs.run_request(programme=sprakvan, by=alice)
    tasks.matching_run(second.pk)

    earlier.refresh_from_db()
    now = Proposal.objects.get(run=second, newcomer=earlier.newcomer)
    assert earlier.state == "superseded"
    assert now.volunteer.first_name == "Maja" and now.replaces == earlier
    second.refresh_from_db()
    assert second.stats["queue"]["changed"] == 1


def test_the_queue_says_which_proposal_a_rerun_changed_and_the_dashboard_what_a_rerun_does(
    client, solvik, sprakvan, alice, pool
):
    from django.urls import reverse

    first = runs.run_request(programme=sprakvan, by=alice)
    tasks.matching_run(first.pk)
    earlier = Proposal.objects.get(run=first)
    maja = factories.volunteer(solvik, [sprakvan], first_name="Maja", last_name="Ek")
    Proposal.objects.create(
        run=first, newcomer=factories.newcomer(solvik, [sprakvan], first_name="Lina"), volunteer=maja, score=0.5
    )
    later = Proposal.objects.create(
        run=MatchingRun.objects.create(programme=sprakvan, status="done"),
        newcomer=earlier.newcomer,
        volunteer=maja,
        score=0.7,
        replaces=earlier,
    )
    Proposal.objects.filter(pk=earlier.pk).update(state="superseded")
    client.force_login(alice)

    queue = client.get(reverse("proposal_queue", args=[sprakvan.pk])).content.decode()
    dashboard = client.get(reverse("programme_dashboard", args=[sprakvan.pk])).content.decode()

    assert later.pk and "Ändrat vid den senaste matchningen:" in queue and "förut föreslogs Karin" in queue
    assert "2 förslag väntar på beslut. En ny matchning behåller de förslag den kommer fram till igen" in dashboard


def test_a_failed_run_is_recorded_with_its_error_and_writes_nothing(sprakvan, alice, pool):
    run = runs.run_request(programme=sprakvan, by=alice)
    with mock.patch("matching.engine.solve_problem", side_effect=RuntimeError("the solver broke")):
        assert tasks.matching_run(run.pk) == "failed"
    run.refresh_from_db()
    assert run.status == "failed" and "the solver broke" in run.error
    assert not Proposal.objects.exists()
    # The programme can be run again at once.
    assert runs.run_request(programme=sprakvan, by=alice).pk != run.pk


def test_a_lost_database_connection_is_retried_and_the_retry_claims_the_run_again(sprakvan, alice, pool):
    """The database goes away while the worker writes the proposals: the task hands itself back
    to the broker as a retry, and that delivery claims the run again and writes it, once."""
    from celery.exceptions import Retry
    from django.db import OperationalError, connection

    run = runs.run_request(programme=sprakvan, by=alice)
    lost = []

    def lose_the_connection_once(execute, sql, params, many, context):
        if not lost and sql.startswith('INSERT INTO "coordinator_proposal"'):
            lost.append(sql)
            raise OperationalError("server closed the connection unexpectedly")
        return execute(sql, params, many, context)

    task = tasks.matching_run
    # Delivered as a worker receives it (neither called directly nor eagerly). What leaves the
    # machine is mocked: the database's lost connection, and the retry sent back to the broker.
    with connection.execute_wrapper(lose_the_connection_once), mock.patch.object(task, "apply_async") as enqueue:
        task.push_request(id="delivery", args=[run.pk], kwargs={}, retries=0, called_directly=False)
        try:
            with pytest.raises(Retry):
                task.run(run.pk)
        finally:
            task.pop_request()
    assert lost, "the connection went while the proposals were written"
    enqueue.assert_called_once()
    assert list(enqueue.call_args.args[0]) == [run.pk] and enqueue.call_args.kwargs["retries"] == 1
    run.refresh_from_db()
    assert run.status == "running" and not Proposal.objects.exists(), "nothing half-written"

    task.push_request(id="delivery", args=[run.pk], kwargs={}, retries=1, called_directly=False)
    try:
        assert task.run(run.pk) == "done"  # the retry, as the broker delivers it
    finally:
        task.pop_request()
    run.refresh_from_db()
    assert (run.status, run.attempts) == ("done", 2)
    assert Proposal.objects.filter(run=run).count() == 1


def test_a_run_left_queued_is_handed_on(sprakvan, alice):
    from datetime import timedelta

    from django.utils import timezone

    run = runs.run_request(programme=sprakvan, by=alice)
    MatchingRun.objects.filter(pk=run.pk).update(created_at=timezone.now() - timedelta(minutes=30))
    with mock.patch.object(tasks.matching_run, "apply_async") as send:
        assert tasks.requeue_stale_runs() == 1
    send.assert_called_once_with((run.pk,), {}, soft_time_limit=run.time_limit, time_limit=run.time_limit + 15)


def test_nightly_matching_runs_the_programmes_that_asked_for_it(solvik, sprakvan):
    night = factories.programme(solvik, name="Natt", nightly_matching=True)
    with mock.patch.object(tasks.matching_run, "apply_async"):
        assert tasks.start_nightly_matching() == 1
    assert list(MatchingRun.objects.values_list("programme", "trigger")) == [(night.pk, "nightly")]


def test_the_runs_input_reproduces_its_output_with_the_command_line(client, tmp_path, sprakvan, alice, pool):
    import json
    import subprocess
    import sys

    from django.urls import reverse

    run = runs.run_request(programme=sprakvan, by=alice)
    tasks.matching_run(run.pk)
    recently_authenticated(client, alice)
    problem = client.get(reverse("run_download", args=[sprakvan.pk, run.pk, "problem"]))
    assert problem["Content-Disposition"] == f'attachment; filename="run-{run.pk}-problem.json"'
    (tmp_path / "problem.json").write_bytes(problem.content)
    subprocess.run(
        [sys.executable, "-m", "matching", "solve", str(tmp_path / "problem.json"), "-o", str(tmp_path / "out.json")],
        check=True,
    )
    again = json.loads((tmp_path / "out.json").read_text())
    saved = json.loads(client.get(reverse("run_download", args=[sprakvan.pk, run.pk, "solution"])).content)
    assert again["matches"] == saved["matches"] and again["unmatched"] == saved["unmatched"]


def test_the_coordinator_reads_why_a_run_failed_in_her_language_and_the_detail_is_kept_for_operators(
    client, sprakvan, alice, pool
):
    run = runs.run_request(programme=sprakvan, by=alice)
    with mock.patch("matching.engine.solve_problem", side_effect=RuntimeError("the solver broke")):
        tasks.matching_run(run.pk)
    run.refresh_from_db()
    assert (run.failure, run.error) == ("error", "RuntimeError: the solver broke")
    client.force_login(alice)
    html = client.get(reverse("programme_dashboard", args=[sprakvan.pk])).content.decode()
    assert "misslyckades" in html and "Ett oväntat fel inträffade i beräkningen" in html
    assert "the solver broke" not in html, "a traceback's words are not the coordinator's to read"


@pytest.mark.parametrize(
    ("language", "sentence"),
    [
        ("sv", "Körningen tog längre tid än gränsen på 2 minuter."),
        ("en", "The run took longer than its limit of 2 minutes."),
    ],
)
def test_a_run_past_its_time_limit_says_so_in_the_coordinators_language(
    client, sprakvan, alice, pool, language, sentence
):
    from celery.exceptions import SoftTimeLimitExceeded

    run = runs.run_request(programme=sprakvan, by=alice)
    MatchingRun.objects.filter(pk=run.pk).update(time_limit=120)
    with mock.patch("matching.engine.solve_problem", side_effect=SoftTimeLimitExceeded()):
        assert tasks.matching_run(run.pk) == "failed"
    client.force_login(alice)
    html = client.get(reverse("programme_dashboard", args=[sprakvan.pk]), HTTP_ACCEPT_LANGUAGE=language).content
    assert sentence in html.decode()
    status = client.get(reverse("run_status", args=[sprakvan.pk, run.pk]), HTTP_ACCEPT_LANGUAGE=language).json()
    assert status["status"] == "failed" and sentence in status["error"]


def test_the_run_status_names_the_stage_the_worker_is_in(client, sprakvan, alice, pool):
    run = runs.run_request(programme=sprakvan, by=alice)
    token = runs.run_claim(run_id=run.pk)
    runs.run_phase(run_id=run.pk, token=token, phase="solve")
    client.force_login(alice)
    status = client.get(reverse("run_status", args=[sprakvan.pk, run.pk])).json()
    assert (status["phase"], status["step"], status["steps"], status["limit_seconds"]) == ("solve", 4, 6, 60)


def test_the_run_keeps_the_seconds_of_each_stage_and_its_document_stays_byte_for_byte_the_engines(
    sprakvan, alice, pool
):
    run = runs.run_request(programme=sprakvan, by=alice)
    tasks.matching_run(run.pk)
    run.refresh_from_db()
    assert {"read", "encode", "solve", "explain"} <= set(run.stats["seconds"])
    assert "seconds" not in RunDocuments.objects.get(run=run).solution["stats"]


def test_a_family_whose_only_volunteer_wants_one_person_is_told_so_not_that_they_were_declined(
    client, solvik, sprakvan, alice
):
    factories.newcomer(solvik, [sprakvan], first_name="Rana", household_adults=2, household_children_ages=[3, 7])
    factories.volunteer(solvik, [sprakvan], first_name="Maja", wants_family=False)
    run = runs.run_request(programme=sprakvan, by=alice)
    assert tasks.matching_run(run.pk) == "done"
    run.refresh_from_db()
    assert [code for _newcomer, code in run.unmatched] == ["wants_single"]
    client.force_login(alice)

    html = client.get(reverse("programme_dashboard", args=[sprakvan.pk])).content.decode()

    assert "Volontärerna som passar i övrigt vill träffa en person, inte en familj." in html
    assert "avböjts" not in html


def test_downloading_a_runs_solution_audits_everyone_it_names(client, sprakvan, alice, pool):
    from accounts.models import AuditEvent

    run = runs.run_request(programme=sprakvan, by=alice)
    tasks.matching_run(run.pk)
    recently_authenticated(client, alice)

    response = client.get(reverse("run_download", args=[sprakvan.pk, run.pk, "solution"]))

    assert response.status_code == 200 and b'"vanmatch.solution/1"' in response.content
    named = AuditEvent.objects.filter(detail=f"run {run.pk}", action="export")
    assert sorted(named.values_list("subject_type", flat=True)) == ["newcomer", "newcomer", "volunteer"]
    assert client.get(reverse("run_download", args=[sprakvan.pk, run.pk, "pool"])).status_code == 404


# --- What would help those a run left waiting -------------------------------------------------

FAR_EAST = {"latitude": 59.291, "longitude": 18.27}  # 26 km east of Ekerö, beyond the 25 km limit


@pytest.fixture
def one_out_of_reach(solvik, sprakvan):
    """Karin in Ekerö has room for two; Amal lives 26 km away, past the programme's 25 km."""
    factories.newcomer(solvik, [sprakvan], first_name="Amal", **FAR_EAST)
    factories.newcomer(solvik, [sprakvan], first_name="Omar")
    return factories.volunteer(solvik, [sprakvan], first_name="Karin", capacity=2)


def test_after_the_run_the_worker_works_out_what_would_help_and_the_dashboard_says_it(
    client, sprakvan, alice, one_out_of_reach, django_capture_on_commit_callbacks
):
    with (
        mock.patch.object(tasks.run_what_if, "apply_async") as send,
        django_capture_on_commit_callbacks(execute=True),
    ):
        run = runs.run_request(programme=sprakvan, by=alice)
        tasks.matching_run(run.pk)
    send.assert_called_once_with((run.pk,), {}, soft_time_limit=240, time_limit=255)
    client.force_login(alice)
    assert (
        "räknar på vad som skulle ge fler en matchning"
        in client.get(reverse("programme_dashboard", args=[sprakvan.pk])).content.decode()
    )

    assert tasks.run_what_if(run.pk) >= 1
    html = client.get(reverse("programme_dashboard", args=[sprakvan.pk])).content.decode()
    assert "Höj avståndsgränsen från 25 till 30 km: 1 nyanländ till får en matchning, alla talar arabiska." in html
    solution = RunDocuments.objects.get(run=run).solution
    assert solution["what_if"][0]["change"] == {"kind": "max_distance_km", "from": 25.0, "to": 30.0}
    assert tasks.run_what_if(run.pk) == 0, "a second delivery does nothing"


def test_a_minors_answer_names_the_volunteer_who_would_need_an_extract_and_the_read_is_audited(
    client, solvik, sprakvan, alice
):
    from accounts.models import AuditEvent

    factories.newcomer(solvik, [sprakvan], first_name="Samir", birth_year=2012)
    karin = factories.volunteer(solvik, [sprakvan], first_name="Karin", last_name="Lind")
    run = runs.run_request(programme=sprakvan, by=alice)
    tasks.matching_run(run.pk)
    tasks.run_what_if(run.pk)
    client.force_login(alice)
    html = client.get(reverse("programme_dashboard", args=[sprakvan.pk])).content.decode()
    assert "Om Karin Lind visar utdrag ur belastningsregistret: 1 nyanländ till får en matchning" in html
    assert AuditEvent.objects.filter(subject_type="volunteer", subject_id=karin.pk, action="view").exists()


def test_answers_that_could_not_be_worked_out_say_so_and_the_proposals_stand(client, sprakvan, alice, one_out_of_reach):
    run = runs.run_request(programme=sprakvan, by=alice)
    tasks.matching_run(run.pk)
    with mock.patch("matching.whatif.what_if", side_effect=MemoryError()):
        assert tasks.run_what_if(run.pk) == 0
    client.force_login(alice)
    html = client.get(reverse("programme_dashboard", args=[sprakvan.pk])).content.decode()
    assert "Det gick inte att räkna ut vad som skulle hjälpa den här gången" in html
    assert Proposal.objects.filter(run=run).count() == 1


def test_answers_a_worker_began_and_lost_are_said_to_be_missing_once_past_four_times_the_runs_limit(
    sprakvan, alice, one_out_of_reach
):
    from datetime import timedelta

    from django.utils import timezone

    run = runs.run_request(programme=sprakvan, by=alice)
    tasks.matching_run(run.pk)
    began = lambda seconds_ago: MatchingRun.objects.filter(pk=run.pk).update(  # noqa: E731
        what_if={"working_since": (timezone.now() - timedelta(seconds=seconds_ago)).isoformat()}
    )
    began(4 * 60 + 15 + 30)
    tasks.requeue_stale_runs()
    assert "working_since" in MatchingRun.objects.get(pk=run.pk).what_if, "still within its limit and grace"
    began(4 * 60 + 15 + 90)
    tasks.requeue_stale_runs()
    assert MatchingRun.objects.get(pk=run.pk).what_if == {"failed": "lost"}


def test_answers_waiting_behind_other_work_are_not_lost_until_six_hours_pass(sprakvan, alice, one_out_of_reach):
    from datetime import timedelta

    from django.utils import timezone

    run = runs.run_request(programme=sprakvan, by=alice)
    tasks.matching_run(run.pk)
    MatchingRun.objects.filter(pk=run.pk).update(finished_at=timezone.now() - timedelta(hours=1))
    tasks.requeue_stale_runs()
    assert MatchingRun.objects.get(pk=run.pk).what_if is None, "a queue behind the nightly runs is not a loss"
    MatchingRun.objects.filter(pk=run.pk).update(finished_at=timezone.now() - timedelta(hours=7))
    tasks.requeue_stale_runs()
    assert MatchingRun.objects.get(pk=run.pk).what_if == {"failed": "lost"}


def test_a_second_delivery_of_the_answers_while_the_first_works_does_nothing(sprakvan, alice, one_out_of_reach):
    run = runs.run_request(programme=sprakvan, by=alice)
    tasks.matching_run(run.pk)
    MatchingRun.objects.filter(pk=run.pk).update(what_if={"working_since": "2026-12-01T12:00:00+00:00"})
    with mock.patch("matching.whatif.what_if") as work:
        assert tasks.run_what_if(run.pk) == 0
    work.assert_not_called()


def test_the_answers_own_retry_after_a_lost_database_connection_begins_them_again(sprakvan, alice, one_out_of_reach):
    run = runs.run_request(programme=sprakvan, by=alice)
    tasks.matching_run(run.pk)
    # The first delivery began, then lost its connection: the retry, as the broker delivers it.
    MatchingRun.objects.filter(pk=run.pk).update(what_if={"working_since": "2026-12-01T12:00:00+00:00"})
    task = tasks.run_what_if
    task.push_request(id="delivery", args=[run.pk], kwargs={}, retries=1, called_directly=False)
    try:
        assert task.run(run.pk) >= 1
    finally:
        task.pop_request()
    assert isinstance(MatchingRun.objects.get(pk=run.pk).what_if, list)


def test_downloading_a_solution_audits_the_people_its_answers_name(client, solvik, sprakvan, alice):
    from accounts.models import AuditEvent

    factories.newcomer(solvik, [sprakvan], first_name="Samir", birth_year=2012)
    karin = factories.volunteer(solvik, [sprakvan], first_name="Karin")
    run = runs.run_request(programme=sprakvan, by=alice)
    tasks.matching_run(run.pk)
    tasks.run_what_if(run.pk)
    assert not AuditEvent.objects.filter(subject_type="volunteer", subject_id=karin.pk).exists()
    recently_authenticated(client, alice)
    client.get(reverse("run_download", args=[sprakvan.pk, run.pk, "solution"]))
    assert AuditEvent.objects.filter(subject_type="volunteer", subject_id=karin.pk, action="export").exists()


def test_a_run_that_left_nobody_waiting_has_nothing_to_work_out(sprakvan, alice, solvik):
    factories.newcomer(solvik, [sprakvan], first_name="Amal")
    factories.volunteer(solvik, [sprakvan], first_name="Karin")
    with mock.patch.object(tasks.run_what_if, "apply_async") as send:
        run = runs.run_request(programme=sprakvan, by=alice)
        tasks.matching_run(run.pk)
    send.assert_not_called()
    assert MatchingRun.objects.get(pk=run.pk).what_if == []
