"""Importing a spreadsheet of volunteers or newcomers: check first, then write on the go-ahead."""

from dataclasses import asdict
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
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
    )
    jobs.import_check.after_commit(batch.pk)
    return batch


def import_check_batch(*, batch_id: int) -> ImportBatch | None:
    """Read and check a received file, row by row; keep the result for the go-ahead and drop the
    file. Writes no person. A second delivery of the same batch finds it checked: a no-op."""
    with transaction.atomic():
        batch = ImportBatch.objects.select_for_update().filter(pk=batch_id, status=ImportBatch.Status.CHECKING).first()
        if batch is None:
            return None
        content, organisation = bytes(batch.content or b""), batch.organisation
        try:
            rows, unknown = importing.read_rows(batch.filename, content)
        except importing.FileError as error:
            batch.status, batch.error = ImportBatch.Status.FAILED, str(error)
        else:
            people = _model(batch.kind).objects.filter(organisation=organisation)
            refs = people.filter(external_ref__isnull=False).values_list("external_ref", flat=True)
            existing = {ref for ref in refs if ref is not None}
            # An export names those without a reference of their own by their id: they are updated.
            existing |= {f"{importing.OWN_REF}{pk}" for pk in people.values_list("pk", flat=True)}
            results = importing.check_rows(batch.kind, rows, organisation=organisation, existing_refs=existing)
            batch.rows = [asdict(r) | {"ok": r.ok} for r in results]
            batch.unknown_columns = unknown
            batch.status = ImportBatch.Status.READY
        batch.content = None
        batch.save(update_fields=["rows", "unknown_columns", "status", "error", "content"])
        return batch


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


@transaction.atomic
def import_apply(*, batch: ImportBatch, by: User, skip_bad: bool = False) -> ImportBatch:
    """Write the checked rows, all in one transaction. With a bad row, nothing is written unless
    the coordinator chose to skip bad rows. Importing the same file again updates, never duplicates."""
    batch = ImportBatch.objects.select_for_update().select_related("organisation").get(pk=batch.pk)
    if batch.applied_at is not None:
        raise ValidationError({"__all__": _("Filen är redan importerad.")})
    if batch.status != ImportBatch.Status.READY:
        raise ValidationError({"__all__": _("Filen är inte kontrollerad än.")})
    if not permissions.has_role(by, batch.organisation_id, *permissions.STAFF_ROLES):
        raise ValidationError({"__all__": _("Bara samordnare och administratörer kan importera.")})
    bad = [r for r in batch.rows if not r["ok"] and r["action"] != "duplicate"]
    if bad and not skip_bad:
        raise ValidationError(
            {"__all__": _("%(n)s rader har fel. Rätta filen, eller välj att hoppa över dem.") % {"n": len(bad)}}
        )
    programmes = {p.pk: p for p in Programme.objects.filter(organisation=batch.organisation, active=True)}
    made: dict[str, list] = {"create": [], "update": []}
    for row in batch.rows:
        if not row["ok"]:
            continue
        person = _save(batch, row["values"], programmes)
        if person is None:
            continue
        made[row["action"]].append(person)
    for action, people in ((AuditEvent.Action.CREATE, made["create"]), (AuditEvent.Action.CHANGE, made["update"])):
        audit_record(user=by, action=action, purpose=AuditEvent.Purpose.IMPORT, subjects=people, detail=batch.filename)
    created, updated = len(made["create"]), len(made["update"])
    batch.applied_at = timezone.now()
    batch.created_count, batch.updated_count = created, updated
    batch.skipped_count = len(batch.rows) - created - updated
    batch.rows = []  # applied: the counts are kept, the people's rows are in their records now
    batch.save(update_fields=["applied_at", "created_count", "updated_count", "skipped_count", "rows"])
    return batch


def _erased(person: Volunteer | Newcomer) -> bool:
    return bool(getattr(person, "erased_at", None) or getattr(person, "erasure_requested_at", None))


PERSON_FIELDS = (
    "first_name", "last_name", "phone", "birth_year", "gender", "languages", "swedish_level", "interests",
    "availability", "gender_preference", "household_adults", "household_children_ages",
)  # fmt: skip


def _save(batch: ImportBatch, values: dict[str, Any], programmes: dict[int, Programme]) -> Volunteer | Newcomer | None:
    model = _model(batch.kind)
    fields = {k: values[k] for k in PERSON_FIELDS if k in values}
    fields |= values.get("place", {})
    if batch.kind == ImportBatch.Kind.VOLUNTEERS:
        fields |= {k: values[k] for k in ("email", "capacity", "status") if k in values}
    else:
        from datetime import date, datetime, time

        given = date.fromisoformat(values["consent_given_on"])
        fields |= {
            "target_group": values["target_group"],
            "registered_on": date.fromisoformat(values["registered_on"]),
            "consent_given_at": timezone.make_aware(datetime.combine(given, time(12))),
            "consent_method": values["consent_method"],
            "consent_shareable": values.get("consent_shareable", []),
            "interpreter_needed": values.get("interpreter_needed", False),
            "interpreter_language": values.get("interpreter_language", ""),
            "consent_recorded_by": batch.created_by,
        }
    ref = values["external_ref"]
    if ref.startswith(importing.OWN_REF) and ref[len(importing.OWN_REF) :].isdigit():
        person = model.objects.filter(organisation=batch.organisation, pk=int(ref[len(importing.OWN_REF) :])).first()
        if person is None:
            return None  # someone erased since the export: not brought back
    else:
        person = model.objects.filter(organisation=batch.organisation, external_ref=ref).first()
    if person is not None and _erased(person):
        return None  # erased since the file was made: her record is not filled in again
    if person is None:
        person = model(organisation=batch.organisation, external_ref=ref)
        if isinstance(person, Newcomer):  # the batch's kind: _model(batch.kind)
            person.registered_by = batch.created_by
    elif isinstance(person, Volunteer) and person.open_matches and "capacity" in fields:
        fields["capacity"] = max(fields["capacity"], person.open_matches)
    for key, value in fields.items():
        setattr(person, key, value)
    person.full_clean(exclude=["organisation", "user", "registered_by", "consent_recorded_by", "external_ref"])
    person.save()
    person.programmes.add(*[programmes[pk] for pk in values.get("programmes", []) if pk in programmes])
    return person
