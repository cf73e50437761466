"""Importing a region's pool: checking and writing a file cost the same queries at 10 rows as at
1,000, every person written has her audit row, and a file is written whole or not at all."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import AuditEvent
from coordinator import services
from coordinator.models import ImportBatch, Volunteer
from coordinator.services.imports import BATCH_SIZE
from tests import factories

HEADER = "Förnamn;Efternamn;E-post;Födelseår;Språk;Tider;Postnummer\r\n"


def letters(i: int) -> str:
    """0 → "a", 27 → "bb": a name of letters only for each number."""
    return "".join(chr(97 + int(d)) for d in str(i))


def csv_of(n: int, *, start: int = 0) -> bytes:
    lines = [
        f"Vän{letters(i)};Berg;van{i}@example.se;{1950 + i % 50};svenska;mån kväll;178 32\r\n" for i in range(start, n)
    ]
    return (HEADER + "".join(lines)).encode()


def queries(callable_) -> int:
    with CaptureQueriesContext(connection) as captured:
        callable_()
    return len(captured)


def received(solvik, alice, content: bytes) -> ImportBatch:
    return services.import_receive(organisation=solvik, kind="volunteers", filename="v.csv", content=content, by=alice)


@pytest.fixture
def real_sqlite_limit(monkeypatch):
    """Django 5.2 assumes SQLite takes 999 parameters a statement and splits a bulk INSERT of
    volunteers into 26 rows each; SQLite since 3.32 (this one is newer) takes 32,766. With the
    real limit the count is near what PostgreSQL runs (no limit of its own: one statement a table
    for up to BATCH_SIZE rows)."""
    monkeypatch.setattr(connection.features, "max_query_params", 32766)


def split(model, rows: int) -> int:
    """The statements beyond the first that the database's parameter limit splits a bulk INSERT
    of `rows` people into: none on PostgreSQL, one for a thousand volunteers on SQLite (38 columns
    of 32,766 parameters: 862 rows a statement)."""
    size = min(BATCH_SIZE, connection.ops.bulk_batch_size(model._meta.concrete_fields, [None] * rows))
    return -(-rows // size) - 1


def test_checking_a_thousand_rows_costs_the_queries_of_ten_and_one_progress_write(solvik, alice, sprakvan):
    factories.volunteer(solvik, [sprakvan], first_name="Amal", last_name="Haddad", email="amal@example.se")
    small, large = received(solvik, alice, csv_of(10)), received(solvik, alice, csv_of(1010, start=10))
    # The batch and its organisation; how many rows it has; the people the organisation has; its
    # programmes; then, in a savepoint taken and released, the batch locked if still unchecked,
    # and saved. Each thousand rows checked adds a write of how far it has come.
    assert queries(lambda: services.import_check_batch(batch_id=small.pk)) == 8
    assert queries(lambda: services.import_check_batch(batch_id=large.pk)) == 8 + 1
    assert all(row["ok"] for row in ImportBatch.objects.get(pk=large.pk).rows)


def test_the_page_is_told_how_many_rows_have_been_checked(client, solvik, alice, sprakvan):
    from django.urls import reverse

    from coordinator import importing

    told = []
    rows, _unknown = importing.read_rows("v.csv", csv_of(2500))
    importing.check_rows("volunteers", rows, organisation=solvik, known=[], progress=told.append)
    assert told == [1000, 2000]

    batch = received(solvik, alice, csv_of(30))
    client.force_login(alice)
    status = reverse("import_status", args=["solvik", batch.pk])
    assert client.get(status).json() == {"status": "checking", "done": 0, "total": 0}
    services.import_check_batch(batch_id=batch.pk)
    assert client.get(status).json() == {"status": "ready", "done": 30, "total": 30}


def test_writing_a_thousand_rows_costs_the_queries_of_ten(solvik, alice, sprakvan, real_sqlite_limit):
    counted = []
    for content in (csv_of(10), csv_of(1010, start=10)):
        batch = received(solvik, alice, content)
        services.import_check_batch(batch_id=batch.pk)
        services.import_apply_request(batch=batch, by=alice)
        counted.append(queries(lambda batch=batch: services.import_apply_batch(batch_id=batch.pk)))
    # The batch, locked; her role; the programmes; the references; the people, inserted; their
    # programmes; their audit rows; the batch, saved; and the savepoint around them.
    assert counted[0] == 10
    assert counted[1] == counted[0] + split(Volunteer, 1000)
    assert Volunteer.objects.count() == 1010


def test_updating_a_thousand_rows_costs_the_queries_of_ten(solvik, alice, sprakvan, real_sqlite_limit):
    for content in (csv_of(10), csv_of(1010, start=10)):
        services.import_apply(batch=services.import_check(organisation=solvik, kind="volunteers", filename="v.csv",
                                                          content=content, by=alice), by=alice)  # fmt: skip
    counted = []
    for content in (csv_of(10), csv_of(1010, start=10)):
        batch = received(solvik, alice, content)
        services.import_check_batch(batch_id=batch.pk)
        services.import_apply_request(batch=batch, by=alice)
        counted.append(queries(lambda batch=batch: services.import_apply_batch(batch_id=batch.pk)))
    assert counted[0] == counted[1]
    assert ImportBatch.objects.first().updated_count == 1000 and Volunteer.objects.count() == 1010


def test_every_person_written_has_her_audit_row_by_the_coordinator(solvik, alice, sprakvan):
    batch = services.import_check(organisation=solvik, kind="volunteers", filename="v.csv", content=csv_of(3), by=alice)
    services.import_apply(batch=batch, by=alice)
    again = services.import_check(organisation=solvik, kind="volunteers", filename="v.csv", content=csv_of(3), by=alice)
    services.import_apply(batch=again, by=alice)
    events = AuditEvent.objects.filter(purpose=AuditEvent.Purpose.IMPORT, user=alice)
    ids = sorted(Volunteer.objects.values_list("pk", flat=True))
    assert sorted(events.filter(action=AuditEvent.Action.CREATE).values_list("subject_id", flat=True)) == ids
    assert sorted(events.filter(action=AuditEvent.Action.CHANGE).values_list("subject_id", flat=True)) == ids


def test_the_imported_people_are_in_their_programme(solvik, alice, sprakvan):
    batch = services.import_check(organisation=solvik, kind="volunteers", filename="v.csv", content=csv_of(3), by=alice)
    services.import_apply(batch=batch, by=alice)
    assert {tuple(v.programmes.all()) for v in Volunteer.objects.all()} == {(sprakvan,)}


def test_a_file_that_fails_while_written_leaves_nobody_half_written(solvik, alice, sprakvan, monkeypatch):
    from coordinator.services import imports

    batch = services.import_check(organisation=solvik, kind="volunteers", filename="v.csv", content=csv_of(5), by=alice)
    services.import_apply_request(batch=batch, by=alice)

    def audit_fails(**kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(imports, "audit_record", audit_fails)
    with pytest.raises(RuntimeError):
        services.import_apply_batch(batch_id=batch.pk)
    assert not Volunteer.objects.exists()
    assert ImportBatch.objects.get(pk=batch.pk).status == ImportBatch.Status.APPLYING, "the worker may try again"


def test_someone_added_with_the_same_reference_after_the_check_is_updated_not_doubled(solvik, alice, sprakvan):
    content = (
        HEADER.replace("Förnamn", "Extern referens;Förnamn").encode()
        + "V-1;Vän;Berg;v@example.se;1970;svenska;mån kväll;178 32\r\n".encode()
    )
    batch = services.import_check(organisation=solvik, kind="volunteers", filename="v.csv", content=content, by=alice)
    factories.volunteer(solvik, [sprakvan], first_name="Vän", external_ref="V-1")
    services.import_apply(batch=batch, by=alice)
    assert Volunteer.objects.filter(external_ref="V-1").count() == 1
    assert ImportBatch.objects.get(pk=batch.pk).updated_count == 1
