"""An XLSX export of any size: asked for in a request, written by the worker while the page shows
how far it has come, downloaded when ready by the one who asked for it, and nobody else."""

import io
from datetime import timedelta
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from accounts.models import AuditEvent
from coordinator import services
from coordinator.models import ExportFile
from tests import factories
from tests.conftest import recently_authenticated
from worker import tasks


def xlsx_export(client, slug: str, what: str) -> bytes:
    """Ask for an XLSX file, let the worker write it (as the task does, here in the test's
    process) and download it: what a coordinator gets from the export page."""
    client.post(reverse("export_files", args=[slug]), {"what": what})
    for export in ExportFile.objects.filter(status=ExportFile.Status.QUEUED):
        tasks.export_build(export.pk)
    export = ExportFile.objects.filter(what=what, status=ExportFile.Status.READY).latest("created_at")
    response = client.get(reverse("export_file_download", args=[slug, export.pk]))
    assert response.status_code == 200, response.status_code
    return response.content


@pytest.fixture
def people(solvik, sprakvan):
    factories.newcomer(solvik, [sprakvan], first_name="Amal", last_name="Haddad")
    factories.newcomer(solvik, [sprakvan], first_name="Omar", last_name="=HYPERLINK(1)")
    factories.volunteer(solvik, [sprakvan], first_name="Karin")


def test_a_coordinator_asks_for_a_file_follows_it_and_downloads_it_when_ready(client, alice, people):
    recently_authenticated(client, alice)

    asked = client.post(reverse("export_files", args=["solvik"]), {"what": "newcomers"}, follow=True)

    export = ExportFile.objects.get()
    assert export.status == "queued" and export.requested_by == alice
    page = asked.content.decode()
    assert "Nyanlända skapas som XLSX" in page and "Väntar på att skapas" in page and "follow-status.js" in page
    status = reverse("export_file_status", args=["solvik", export.pk])
    assert client.get(status).json() == {"status": "queued", "done": 0, "total": 0}

    assert tasks.export_build(export.pk) == "ready"

    assert client.get(status).json() == {"status": "ready", "done": 2, "total": 2}
    page = client.get(reverse("export_files", args=["solvik"])).content.decode()
    assert "Klar: 2 rader" in page and "follow-status.js" not in page
    book = load_workbook(io.BytesIO(client.get(reverse("export_file_download", args=["solvik", export.pk])).content))
    rows = list(book.active.iter_rows(values_only=True))
    assert [r[1:3] for r in rows[1:]] == [("Amal", "Haddad"), ("Omar", "=HYPERLINK(1)")]
    assert book.active.cell(3, 3).data_type == "s", "a name that looks like a formula is text"


def test_a_second_click_while_it_is_written_gives_the_same_file(client, alice, people):
    client.force_login(alice)
    for _click in range(2):
        client.post(reverse("export_files", args=["solvik"]), {"what": "volunteers"})
    assert ExportFile.objects.count() == 1


def test_a_second_delivery_of_a_finished_file_does_nothing(alice, solvik, people):
    export = services.export_request(organisation=solvik, what="newcomers", by=alice)
    assert tasks.export_build(export.pk) == "ready"
    assert tasks.export_build(export.pk) == "not open"


def test_only_the_download_is_in_the_audit_trail_with_everyone_the_file_holds(client, alice, people):
    recently_authenticated(client, alice)
    client.post(reverse("export_files", args=["solvik"]), {"what": "newcomers"})
    export = ExportFile.objects.get()
    tasks.export_build(export.pk)
    assert not AuditEvent.objects.filter(action="export").exists()

    client.get(reverse("export_file_download", args=["solvik", export.pk]))

    rows = AuditEvent.objects.filter(action="export")
    assert {(r.user, r.detail, r.subject_type) for r in rows} == {(alice, "newcomers.xlsx", "newcomer")}
    assert rows.count() == 2, "one row for each person in the file"


def test_another_coordinator_of_the_same_organisation_gets_what_a_missing_file_gives(client, alice, solvik, people):
    export = services.export_request(organisation=solvik, what="newcomers", by=alice)
    tasks.export_build(export.pk)
    colleague = factories.user("nina@solvik.se")
    factories.member(colleague, solvik, "coordinator")
    recently_authenticated(client, colleague)

    assert client.get(reverse("export_file_download", args=["solvik", export.pk])).status_code == 404
    assert client.get(reverse("export_file_status", args=["solvik", export.pk])).status_code == 404
    assert client.get(reverse("export_file_download", args=["solvik", export.pk + 1])).status_code == 404
    assert (
        "Nyanlända" not in client.get(reverse("export_files", args=["solvik"])).content.decode().split("Dina filer")[1]
    )
    assert not AuditEvent.objects.filter(action="export").exists()


def test_a_coordinator_who_has_left_the_organisation_cannot_download_her_file(alice, solvik, people):
    from django.core.exceptions import ValidationError

    export = services.export_request(organisation=solvik, what="newcomers", by=alice)
    services.export_build(export_id=export.pk)
    alice.memberships.all().delete()
    alice = type(alice).objects.get(pk=alice.pk)  # without the memberships read before

    with pytest.raises(ValidationError, match="Filen finns inte längre"):
        services.export_download(export=ExportFile.objects.get(pk=export.pk), by=alice)


def test_downloading_asks_for_the_password_again(client, alice, solvik, people):
    export = services.export_request(organisation=solvik, what="newcomers", by=alice)
    services.export_build(export_id=export.pk)
    client.force_login(alice)

    response = client.get(reverse("export_file_download", args=["solvik", export.pk]))

    assert response.status_code == 302 and "/konto/" in response["Location"]


def test_an_unknown_kind_is_refused_with_a_message_and_nothing_asked_for(client, alice, people):
    client.force_login(alice)
    response = client.post(reverse("export_files", args=["solvik"]), {"what": "audit"}, follow=True)
    assert "Välj volontärer, nyanlända eller matchningar." in response.content.decode()
    assert not ExportFile.objects.exists()


def test_the_old_address_of_an_xlsx_export_leads_to_the_page_that_makes_it(client, alice):
    client.force_login(alice)
    response = client.get(reverse("export", args=["solvik", "volunteers", "xlsx"]))
    assert response["Location"] == reverse("export_files", args=["solvik"]) + "#volunteers"


def test_a_file_that_could_not_be_written_says_so(client, alice, solvik, people):
    export = services.export_request(organisation=solvik, what="newcomers", by=alice)
    with mock.patch("coordinator.services.exports.renderers.table_xlsx_file", side_effect=OSError("disk full")):
        assert tasks.export_build(export.pk) == "failed"
    client.force_login(alice)
    page = client.get(reverse("export_files", args=["solvik"])).content.decode()
    assert "Gick inte att skapa:" in page and "disk full" not in page


def test_a_file_that_ran_out_of_time_says_so_and_offers_csv_instead(client, alice, solvik, people):
    from celery.exceptions import SoftTimeLimitExceeded

    export = services.export_request(organisation=solvik, what="newcomers", by=alice)
    with mock.patch("coordinator.services.exports.renderers.table_xlsx_file", side_effect=SoftTimeLimitExceeded()):
        assert tasks.export_build(export.pk) == "failed"
    client.force_login(alice)
    page = client.get(reverse("export_files", args=["solvik"])).content.decode()
    assert "Filen tog för lång tid att skapa. Exportera som CSV i stället." in page


def test_files_are_deleted_after_a_day_and_those_the_broker_lost_are_handed_on(alice, solvik, people):
    old = services.export_request(organisation=solvik, what="newcomers", by=alice)
    services.export_build(export_id=old.pk)
    lost = services.export_request(organisation=solvik, what="volunteers", by=alice)
    ExportFile.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(hours=25))
    ExportFile.objects.filter(pk=lost.pk).update(created_at=timezone.now() - timedelta(minutes=6))

    with mock.patch("accounts.shared.jobs.current_app") as app:
        assert services.exports_tidy() == (1, 1)

    app.tasks["worker.tasks.export_build"].delay.assert_called_once_with(lost.pk)
    assert list(ExportFile.objects.values_list("pk", flat=True)) == [lost.pk]


@pytest.mark.parametrize("files", [1, 20])
def test_the_export_page_costs_the_same_queries_for_one_file_or_twenty(
    client, alice, solvik, django_assert_num_queries, files
):
    ExportFile.objects.bulk_create(
        [ExportFile(organisation=solvik, what="newcomers", requested_by=alice, status="ready") for _ in range(files)]
    )
    client.force_login(alice)
    # session, user, memberships, organisation, the files
    with django_assert_num_queries(5):
        client.get(reverse("export_files", args=["solvik"]))


def test_a_download_audits_the_people_in_the_file_not_those_added_since(client, alice, solvik, people):
    export = services.export_request(organisation=solvik, what="newcomers", by=alice)
    services.export_build(export_id=export.pk)
    factories.newcomer(solvik, [], first_name="Lina")  # registered after the file was made
    recently_authenticated(client, alice)

    client.get(reverse("export_file_download", args=["solvik", export.pk]))

    assert AuditEvent.objects.filter(action="export").count() == 2


def test_a_file_left_building_by_a_dead_worker_is_handed_on(alice, solvik, people):
    export = services.export_request(organisation=solvik, what="newcomers", by=alice)
    ExportFile.objects.filter(pk=export.pk).update(status="building", created_at=timezone.now() - timedelta(minutes=20))
    with mock.patch("accounts.shared.jobs.current_app") as app:
        assert services.exports_tidy() == (0, 1)
    app.tasks["worker.tasks.export_build"].delay.assert_called_once_with(export.pk)
    assert tasks.export_build(export.pk) == "ready", "built again from the first row"


def test_a_failure_is_said_in_the_language_of_the_one_who_asked(alice, solvik, people):
    from django.utils import translation

    with translation.override("en"):
        export = services.export_request(organisation=solvik, what="newcomers", by=alice)
    with mock.patch("coordinator.services.exports.renderers.table_xlsx_file", side_effect=OSError("disk full")):
        tasks.export_build(export.pk)
    assert ExportFile.objects.get(pk=export.pk).error == "An error in Vänmatch. Try again, or export as CSV."
