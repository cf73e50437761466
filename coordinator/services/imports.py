"""Importing a spreadsheet of volunteers or newcomers: check first, then write on the go-ahead."""

from dataclasses import asdict
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.audit import audit_record
from accounts.models import AuditEvent, Organisation, User
from coordinator import importing, jobs, permissions
from coordinator.models import ImportBatch, Newcomer, Programme, Volunteer


def _model(kind: str) -> type[Volunteer] | type[Newcomer]:
    return Volunteer if kind == ImportBatch.Kind.VOLUNTEERS else Newcomer


def import_receive(*, organisation: Organisation, kind: str, filename: str, content: bytes, by: User) -> ImportBatch:
    """Take a file to import: what can be refused at once is (its size, its kind, what it unpacks
    to); the rest is checked by the worker (`import_check_batch`), which the page follows."""
    if not permissions.has_role(by, organisation.pk, *permissions.STAFF_ROLES):
        raise ValidationError({"__all__": _("Bara samordnare och administratörer kan importera.")})
    if kind not in ImportBatch.Kind.values:
        raise ValidationError({"kind": _("Välj volontärer eller nyanlända.")})
    try:
        importing.check_file(filename, content)
    except importing.FileError as error:
        raise ValidationError({"file": str(error)}) from None
    batch = ImportBatch.objects.create(
        organisation=organisation,
        kind=kind,
        filename=filename[:200],
        status=ImportBatch.Status.CHECKING,
        content=content,
        created_by=by,
        language=translation.get_language() or "",
    )
    jobs.import_check.after_commit(batch.pk)
    return batch


def import_check_batch(*, batch_id: int) -> ImportBatch | None:
    """Read and check a received file; keep the result for the go-ahead and drop the file. Writes
    no person. The queries do not grow with the rows: the organisation's programmes and the people
    it has are read once each (importing.check_rows). The check runs outside a transaction, so
    that the rows checked so far (`rows_done` of `rows_total`) can be seen by the page that
    follows it. A second delivery finds it checked: a no-op; two at once each check it and the
    first to finish keeps its result."""
    batch = (
        ImportBatch.objects.select_related("organisation")
        .filter(pk=batch_id, status=ImportBatch.Status.CHECKING)
        .first()
    )
    if batch is None:
        return None
    content, organisation = bytes(batch.content or b""), batch.organisation
    fields = ["rows", "unknown_columns", "status", "error", "content", "rows_done", "rows_total"]
    with translation.override(batch.language or settings.LANGUAGE_CODE):
        try:
            rows, unknown = importing.read_rows(batch.filename, content)
            unknown += importing.columns_of_the_other_kind(batch.kind, rows)
        except importing.FileError as error:
            batch.status, batch.error = ImportBatch.Status.FAILED, str(error)
        else:
            ImportBatch.objects.filter(pk=batch.pk).update(rows_total=len(rows))

            def progress(done: int) -> None:
                ImportBatch.objects.filter(pk=batch.pk).update(rows_done=done)

            known = _known(batch.kind, organisation)
            results = importing.check_rows(batch.kind, rows, organisation=organisation, known=known, progress=progress)
            batch.rows = [asdict(r) | {"ok": r.ok} for r in results]
            batch.unknown_columns = unknown
            batch.status = ImportBatch.Status.READY
            batch.rows_done = batch.rows_total = len(rows)
    batch.content = None
    with transaction.atomic():
        if not ImportBatch.objects.select_for_update().filter(pk=batch.pk, status=ImportBatch.Status.CHECKING).exists():
            return None  # checked meanwhile by another delivery, or given up on
        batch.save(update_fields=fields)
    return batch


def _known(kind: str, organisation: Organisation) -> list[importing.Known]:
    """The people the organisation has, as the check recognises them: one query."""
    if kind == ImportBatch.Kind.VOLUNTEERS:
        people = Volunteer.objects.filter(organisation=organisation).values_list(
            "pk", "external_ref", "first_name", "last_name", "birth_year", "email", "erasure_requested_at"
        )
        return [importing.Known(pk, ref, first, last, year, email, erased is not None) for pk, ref, first, last, year,
                email, erased in people]  # fmt: skip
    newcomers = Newcomer.objects.filter(organisation=organisation).values_list(
        "pk", "external_ref", "first_name", "last_name", "birth_year", "erased_at"
    )
    return [
        importing.Known(pk, ref, first, last, year, erased=erased is not None)
        for pk, ref, first, last, year, erased in newcomers
    ]


def import_check_failed(*, batch_id: int, error: str) -> None:
    """The worker gave up on a file (it took longer than a task may): the coordinator is told."""
    ImportBatch.objects.filter(pk=batch_id, status=ImportBatch.Status.CHECKING).update(
        status=ImportBatch.Status.FAILED, error=error, content=None
    )


def import_check(*, organisation: Organisation, kind: str, filename: str, content: bytes, by: User) -> ImportBatch:
    """Receive and check a file at once, for the command line (`manage.py import_people`)."""
    batch = import_receive(organisation=organisation, kind=kind, filename=filename, content=content, by=by)
    checked = import_check_batch(batch_id=batch.pk)
    # None: the worker, handed the same batch by import_receive, checked it first.
    batch = checked if checked is not None else ImportBatch.objects.get(pk=batch.pk)
    if batch.status == ImportBatch.Status.FAILED:
        raise ValidationError({"file": batch.error})
    return batch


def import_apply(*, batch: ImportBatch, by: User, skip_bad: bool = False) -> ImportBatch:
    """Give the go-ahead and write the rows at once, for the command line (`manage.py import_people`)."""
    import_apply_request(batch=batch, by=by, skip_bad=skip_bad)
    applied = import_apply_batch(batch_id=batch.pk)
    # None: the worker, handed the same batch by import_apply_request, wrote it first.
    batch = applied if applied is not None else ImportBatch.objects.get(pk=batch.pk)
    if batch.status != ImportBatch.Status.APPLIED:
        raise ValidationError({"__all__": batch.error})
    return batch


def _refusal(batch: ImportBatch, by: User, skip_bad: bool) -> str | None:
    """Why the go-ahead cannot be given, or None."""
    if batch.applied_at is not None or batch.status in (ImportBatch.Status.APPLYING, ImportBatch.Status.APPLIED):
        return _("Filen är redan importerad.")
    if batch.status != ImportBatch.Status.READY:
        return _("Filen är inte kontrollerad än.")
    if not permissions.has_role(by, batch.organisation_id, *permissions.STAFF_ROLES):
        return _("Bara samordnare och administratörer kan importera.")
    bad = [r for r in batch.rows if not r["ok"] and r["action"] != "duplicate"]
    if bad and not skip_bad:
        return _("%(n)s rader har fel. Rätta filen, eller välj att hoppa över dem.") % {"n": len(bad)}
    return None


@transaction.atomic
def import_apply_request(*, batch: ImportBatch, by: User, skip_bad: bool = False) -> ImportBatch:
    """The coordinator's go-ahead: with a bad row, nothing is written unless she chose to skip bad
    rows. The worker writes the rows (`import_apply_batch`); the page follows it."""
    batch = ImportBatch.objects.select_for_update().defer("content").get(pk=batch.pk)
    refusal = _refusal(batch, by, skip_bad)
    if refusal is not None:
        raise ValidationError({"__all__": refusal})
    batch.status, batch.applied_by, batch.skip_bad, batch.error = ImportBatch.Status.APPLYING, by, skip_bad, ""
    batch.save(update_fields=["status", "applied_by", "skip_bad", "error"])
    jobs.import_apply.after_commit(batch.pk)
    return batch


def import_apply_failed(*, batch_id: int, error: str) -> None:
    """The worker gave up writing a file (nothing of it was written): the go-ahead may be given again."""
    ImportBatch.objects.filter(pk=batch_id, status=ImportBatch.Status.APPLYING).update(
        status=ImportBatch.Status.READY, error=error
    )


# Rows written a statement (bulk_create, bulk_update), and ids looked up a query: a file of a
# thousand rows costs the queries of one row.
BATCH_SIZE = 1000


def import_apply_batch(*, batch_id: int) -> ImportBatch | None:
    """Write the checked rows, all in one transaction, in bulk: nothing is half written. Importing
    the same file again updates, never duplicates. A second delivery finds it written: a no-op."""
    with transaction.atomic():
        batch = (
            ImportBatch.objects.select_for_update(of=("self",))
            .select_related("organisation", "applied_by")
            .filter(pk=batch_id, status=ImportBatch.Status.APPLYING)
            .first()
        )
        if batch is None:
            return None
        by = batch.applied_by
        if by is None or not permissions.has_role(by, batch.organisation_id, *permissions.STAFF_ROLES):
            refused = _("Bara samordnare och administratörer kan importera.")
            batch.status, batch.error = ImportBatch.Status.READY, str(refused)
            batch.save(update_fields=["status", "error"])
            return batch
        created, updated = _write(batch, by)
        for action, people in ((AuditEvent.Action.CREATE, created), (AuditEvent.Action.CHANGE, updated)):
            audit_record(
                user=by, action=action, purpose=AuditEvent.Purpose.IMPORT, subjects=people, detail=batch.filename
            )
        batch.status, batch.applied_at = ImportBatch.Status.APPLIED, timezone.now()
        batch.created_count, batch.updated_count = len(created), len(updated)
        batch.skipped_count = len(batch.rows) - len(created) - len(updated)
        batch.rows = []  # applied: the counts are kept, the people's rows are in their records now
        batch.save(update_fields=["status", "applied_at", "created_count", "updated_count", "skipped_count", "rows"])
        return batch


def _erased(person: Volunteer | Newcomer) -> bool:
    return bool(getattr(person, "erased_at", None) or getattr(person, "erasure_requested_at", None))


def _write(batch: ImportBatch, by: User) -> tuple[list[Volunteer | Newcomer], list[Volunteer | Newcomer]]:
    """The good rows as new people and updates, in bulk. A row's reference is looked up again
    (someone may have been added or erased since the check): it updates whoever has it now."""
    # Any: the two models' managers and m2m tables are alike but of distinct types.
    model: Any = _model(batch.kind)
    organisation = batch.organisation
    programmes = set(Programme.objects.filter(organisation=organisation, active=True).values_list("pk", flat=True))
    refs: dict[str, int] = dict(
        model.objects.filter(organisation=organisation, external_ref__isnull=False).values_list("external_ref", "pk")
    )
    rows = [(row["values"], _target(row["values"]["external_ref"], refs)) for row in batch.rows if row["ok"]]
    targets = [pk for _values, pk in rows if pk is not None]
    existing: dict[int, Volunteer | Newcomer] = {}
    for start in range(0, len(targets), BATCH_SIZE):
        chunk = targets[start : start + BATCH_SIZE]
        existing |= {p.pk: p for p in model.objects.filter(organisation=organisation, pk__in=chunk)}
    now = timezone.now()
    new: list = []
    changed: dict[int, Volunteer | Newcomer] = {}
    update_fields = {"updated_at"}
    wanted: list[tuple[Volunteer | Newcomer, list[int]]] = []
    for values, pk in rows:
        fields = importing.model_fields(batch.kind, values)
        if pk is None:
            person = model(organisation=organisation, external_ref=values["external_ref"], **fields)
            if isinstance(person, Newcomer):
                person.registered_by = person.consent_recorded_by = by
            new.append(person)
        else:
            found = existing.get(pk)
            if found is None or _erased(found) or pk in changed:
                continue  # erased since the file was made (not filled in again), or named twice
            person = found
            if isinstance(person, Volunteer) and "capacity" in fields:
                fields["capacity"] = max(fields["capacity"], person.open_matches)
            if isinstance(person, Newcomer):
                fields["consent_recorded_by"] = by
            for key, value in fields.items():
                setattr(person, key, value)
            update_fields |= fields.keys()
            person.updated_at = now
            changed[pk] = person
        wanted.append((person, [p for p in values.get("programmes", []) if p in programmes]))
    model.objects.bulk_create(new, batch_size=BATCH_SIZE)
    if changed:
        model.objects.bulk_update(list(changed.values()), sorted(update_fields), batch_size=BATCH_SIZE)
    through = model.programmes.through
    column = f"{model._meta.model_name}_id"
    links = [through(**{column: person.pk, "programme_id": pk}) for person, pks in wanted for pk in pks]
    through.objects.bulk_create(links, batch_size=BATCH_SIZE, ignore_conflicts=True)
    return new, list(changed.values())


def _target(ref: str, refs: dict[str, int]) -> int | None:
    """The id of whoever a row's reference names: an export's own `vanmatch:<id>`, or an external one."""
    own = importing.own_ref_pk(ref)
    return own if own is not None else refs.get(ref)
