"""Every read of a person's record leaves an audit row with who, when, what and why; the trail
cannot be changed; coordinators and the data protection officer search it; a person gets their
own access report."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.models import AuditEvent, Role
from coordinator import services
from coordinator.models import MatchingRun, RunDocuments
from tests import factories
from tests.conftest import recently_authenticated
from tests.services import require_postgres


@pytest.fixture
def amal(solvik, sprakvan, sam):
    return factories.newcomer(solvik, [sprakvan], registered_by=sam, consent_shareable=["first_name"])


def reads_of(newcomer):
    return AuditEvent.objects.filter(subject_type="newcomer", subject_id=newcomer.pk, action__in=["view", "export"])


def test_the_social_worker_reading_the_record_leaves_a_row_with_the_purpose(client, sam, amal):
    client.force_login(sam)
    client.get(reverse("newcomer_detail", args=[amal.pk]))
    event = reads_of(amal).get()
    assert (event.user, event.user_label, event.action, event.purpose, event.organisation_id) == (
        sam,
        "sam@solvik.se",
        "view",
        "case",
        amal.organisation_id,
    )


def test_every_way_to_read_a_newcomers_record_leaves_a_row(client, alice, sam, vera, solvik, sprakvan, amal):
    proposal_volunteer = factories.volunteer(solvik, [sprakvan], first_name="Maja")
    run = MatchingRun.objects.create(programme=sprakvan, status="done")
    RunDocuments.objects.create(run=run, problem={"newcomers": [{"id": f"n{amal.pk}"}], "volunteers": []}, solution={})
    factories.proposal(sprakvan, amal, proposal_volunteer, run=run)
    omar = factories.newcomer(solvik, [sprakvan], first_name="Omar", consent_shareable=["first_name"])
    match = services.match_create(programme=sprakvan, newcomer=omar, volunteer=vera.volunteer, by=alice)
    api = APIClient()
    api.force_authenticate(alice)
    recently_authenticated(client, alice)
    reads = [
        lambda: client.get(reverse("proposal_queue", args=[sprakvan.pk])),
        lambda: client.get(reverse("export", args=["solvik", "newcomers", "csv"])),
        lambda: client.get(reverse("run_download", args=[sprakvan.pk, run.pk, "problem"])),
        lambda: client.get(reverse("export_pool", args=[sprakvan.pk])),
        lambda: api.get(f"/api/v1/newcomers/{amal.pk}/"),
        lambda: api.get("/api/v1/newcomers/"),
    ]
    for n, read in enumerate(reads, start=1):
        assert read().status_code == 200
        assert reads_of(amal).count() == n, n
    client.get(reverse("match_detail", args=[match.pk]))
    assert reads_of(omar).filter(purpose="follow_up", user=alice).exists()
    client.force_login(vera)  # the volunteer sees what Omar consented to share
    client.get(reverse("my_volunteering"))
    assert reads_of(omar).filter(user=vera).exists()


def changes_of(person):
    return AuditEvent.objects.filter(
        subject_type=person._meta.model_name, subject_id=person.pk, action__in=["create", "change"]
    ).order_by("id")


def test_every_change_made_through_the_api_leaves_a_row(sam, alice, vera, solvik, sprakvan, amal):
    as_sam, as_alice, as_vera = APIClient(), APIClient(), APIClient()
    as_sam.force_authenticate(sam)
    as_alice.force_authenticate(alice)
    as_vera.force_authenticate(vera)
    karin = factories.volunteer(solvik, [sprakvan], first_name="Karin", status="applied")
    newcomer = {
        "programmes": [sprakvan.pk], "first_name": "Rana", "languages": ["ar"], "availability": ["mon-evening"],
        "postcode": "17830", "target_group": "nyanland", "consent_given_on": "2026-11-01", "consent_method": "written",
    }  # fmt: skip
    writes = [
        (as_sam.post("/api/v1/newcomers/", newcomer, format="json"), "create"),
        (as_sam.patch(f"/api/v1/newcomers/{amal.pk}/", {**newcomer, "first_name": "Amal"}, format="json"), "change"),
        (as_sam.post(f"/api/v1/newcomers/{amal.pk}/withdraw-consent/"), "change"),
        (
            as_alice.post(f"/api/v1/volunteers/{karin.pk}/screen/", {"to_status": "interviewed"}, format="json"),
            "change",
        ),
        (as_vera.patch(f"/api/v1/volunteers/{vera.volunteer.pk}/", {"capacity": 2}, format="json"), "change"),
    ]
    for response, _action in writes:
        assert response.status_code in (200, 201), response.json()
    rana = solvik.newcomers.get(first_name="Rana")
    # The services write these rows, with the purpose of the work, whichever way the change came.
    assert [(e.action, e.purpose, e.user) for e in changes_of(rana)] == [("create", "case", sam)]
    edited, withdrawn = changes_of(amal)
    assert (edited.action, withdrawn.action, withdrawn.detail) == ("change", "change", "consent withdrawn")
    assert edited.detail.startswith("edited: ") and "first_name" not in edited.detail, "only what changed"
    assert [(e.action, e.detail, e.user) for e in changes_of(karin)] == [
        ("change", "status: applied -> interviewed", alice)
    ]
    assert [(e.action, e.detail, e.user) for e in changes_of(vera.volunteer)] == [("change", "edited: capacity", vera)]


def test_beginning_and_ending_a_match_is_in_the_trail_of_both(alice, solvik, sprakvan, amal):
    maja = factories.volunteer(solvik, [sprakvan], first_name="Maja")
    match = services.match_create(programme=sprakvan, newcomer=amal, volunteer=maja, by=alice)
    services.match_end(match=match, by=alice, reason="completed")
    for person in (amal, maja):
        assert [(e.purpose, e.detail) for e in changes_of(person)] == [
            ("matching", f"match {match.pk} begun"),
            ("follow_up", f"match {match.pk} ended: completed, wanted by coordinator"),
        ]


def test_the_trail_cannot_be_changed_or_deleted(sam, amal):
    from accounts.audit import audit_record

    audit_record(user=sam, action="view", purpose="case", subjects=[amal])
    event = AuditEvent.objects.get()
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.update(purpose="other")
    with pytest.raises(PermissionError):
        AuditEvent.objects.all().delete()


@pytest.mark.django_db(transaction=True)
def test_the_database_itself_refuses_to_change_the_trail(sam, amal):
    from django.db import connection, transaction
    from django.db.utils import DatabaseError

    require_postgres()
    from accounts.audit import audit_record

    audit_record(user=sam, action="view", purpose="case", subjects=[amal])
    for sql in ("UPDATE accounts_auditevent SET purpose = 'x'", "DELETE FROM accounts_auditevent"):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql)
    assert AuditEvent.objects.count() == 1


@pytest.mark.parametrize("people", [3, 1200])
def test_a_large_export_writes_the_same_rows_as_a_small_one(alice, solvik, norrby, people):
    """From a thousand people on PostgreSQL the rows go in as arrays, in one statement
    (accounts/audit.py): the same rows, one for each person, each with its own organisation."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from accounts.audit import audit_record

    subjects = [("newcomer", k, solvik.pk) for k in range(people - 1)] + [("volunteer", 7, norrby.pk)]
    with CaptureQueriesContext(connection) as statements:
        assert audit_record(user=alice, action="export", purpose="export", subjects=subjects, detail="a.xlsx") == people

    if connection.vendor == "postgresql":
        assert len(statements) == 1
    rows = AuditEvent.objects.order_by("id")
    assert rows.count() == people
    assert {(r.user_id, r.user_label, r.action, r.purpose, r.detail) for r in rows} == {
        (alice.pk, "alice@solvik.se", "export", "export", "a.xlsx")
    }
    last = rows.last()
    assert (last.subject_type, last.subject_id, last.organisation_id) == ("volunteer", 7, norrby.pk)
    assert sorted(r.subject_id for r in rows if r.subject_type == "newcomer") == list(range(people - 1))


def test_the_data_protection_officer_and_coordinators_search_the_trail(client, sam, alice, solvik, amal):
    dpo = factories.user("dpo@solvik.se")
    factories.member(dpo, solvik, Role.DATA_PROTECTION_OFFICER)
    client.force_login(sam)
    client.get(reverse("newcomer_detail", args=[amal.pk]))
    for person in (dpo, alice):
        client.force_login(person)
        response = client.get(
            reverse("audit_search"), {"subject_type": "newcomer", "subject_id": amal.pk, "user": "sam@"}
        )
        assert [e.user_label for e in response.context["events"]] == ["sam@solvik.se"]


@pytest.mark.parametrize("persona", ["sam", "vera", "olle"])
def test_others_cannot_search_the_trail(client, persona, request, amal):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("audit_search")).status_code == 403


def test_a_coordinator_of_another_organisation_sees_none_of_it(client, sam, bob, amal):
    client.force_login(sam)
    client.get(reverse("newcomer_detail", args=[amal.pk]))
    client.force_login(bob)
    assert list(client.get(reverse("audit_search")).context["events"]) == []


def test_the_newcomers_access_report_gives_dates_and_purposes_not_names(client, sam, alice, amal):
    client.force_login(alice)
    client.get(f"/api/v1/newcomers/{amal.pk}/")
    client.force_login(sam)
    client.get(reverse("newcomer_detail", args=[amal.pk]))
    html = client.get(reverse("newcomer_access_report", args=[amal.pk])).content.decode()
    assert "Följa ärendet" in html and "Via API" in html
    assert "alice@solvik.se" not in html and "sam@solvik.se" not in html


def test_a_volunteer_sees_her_own_access_report(client, alice, vera):
    client.force_login(alice)
    client.get(reverse("volunteer_detail", args=[vera.volunteer.pk]))
    client.force_login(vera)
    html = client.get(reverse("my_access_report")).content.decode()
    assert "Granskning av volontär" in html and "alice" not in html


def test_a_volunteers_own_edit_on_the_web_leaves_a_row(client, vera):
    client.force_login(vera)
    response = client.post(reverse("my_volunteering_edit", args=["tider"]), {"availability": ["sun-morning"]})
    assert response.status_code == 302
    assert [(e.action, e.purpose, e.detail, e.user) for e in changes_of(vera.volunteer)] == [
        ("change", "own", "edited: availability", vera)
    ]


def test_an_import_leaves_a_row_for_each_person_it_creates_or_changes(client, alice, sprakvan):
    from coordinator.models import ImportBatch, Volunteer
    from tests.coordinator.test_import import MESSY, upload, xlsx

    client.force_login(alice)
    rows = [
        MESSY[0],
        MESSY[1],
        ["Zoran", "Ilić", "zoran@example.se", "", "", "bosniska, svenska", "sön em", "17832", "", ""],
    ]
    upload(client, xlsx(rows))
    client.post(reverse("import_confirm", args=["solvik", ImportBatch.objects.get().pk]))
    for volunteer in Volunteer.objects.all():
        assert [(e.action, e.purpose, e.detail, e.user) for e in changes_of(volunteer)] == [
            ("create", "import", "volontarer.xlsx", alice)
        ]


def test_the_django_admin_audits_reading_changing_and_deleting_a_person(client, solvik, sprakvan):
    from coordinator.models import Volunteer

    operator = factories.user("ops@vanmatch.se", is_staff=True, is_superuser=True)
    client.force_login(operator)
    karin = factories.volunteer(solvik, [sprakvan], first_name="Karin")
    page = client.get(f"/admin/coordinator/volunteer/{karin.pk}/change/")
    assert page.status_code == 200
    rows = AuditEvent.objects.filter(user=operator, subject_type="volunteer", subject_id=karin.pk)
    assert [(r.action, r.purpose) for r in rows] == [("view", "admin")]

    client.post(f"/admin/coordinator/volunteer/{karin.pk}/delete/", {"post": "yes"})
    assert not Volunteer.objects.filter(pk=karin.pk).exists()
    assert ("erase", "admin") in [(r.action, r.purpose) for r in rows.all()]


def test_the_import_command_leaves_a_row_for_each_person_it_writes(tmp_path, alice, sprakvan):
    import io

    from django.core.management import call_command

    from coordinator.models import Volunteer
    from tests.coordinator.test_import import MESSY, xlsx

    path = tmp_path / "volontarer.xlsx"
    path.write_bytes(xlsx([MESSY[0], MESSY[1]]))
    call_command(
        "import_people", "solvik", "volunteers", str(path), "--as", "alice@solvik.se", "--apply", stdout=io.StringIO()
    )
    asa = Volunteer.objects.get()
    assert [(e.action, e.purpose, e.user) for e in changes_of(asa)] == [("create", "import", alice)]
