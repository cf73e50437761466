"""Exports of an organisation's people or matches as XLSX, built by the worker.

A spreadsheet of a region's 20,000 people takes 15–20 s to write (bench/README.md): too long
for a request to wait. The coordinator asks (`export_request`), the worker builds it
(`export_build`) while the page shows how far it has come, and she downloads it when it is
ready (`export_download`, audited). The file is hers alone and is deleted after a day.
CSV is streamed by the request instead (coordinator/views/data.py): it needs no workbook.
"""

from collections.abc import Iterable, Iterator
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.audit import audit_record
from accounts.models import AuditEvent, Organisation, User
from coordinator import jobs, permissions, renderers, selectors
from coordinator.models import ExportFile

EXPORTS = ("volunteers", "newcomers", "matches")
PROGRESS_EVERY = 1000  # rows between two progress writes: a region's export writes about twenty
QUEUED_TOO_LONG = timedelta(minutes=5)  # then the sweep hands the job to the worker again
BUILDING_TOO_LONG = timedelta(minutes=15)  # longer than the task may run: its worker died


def export_request(*, organisation: Organisation, what: str, by: User) -> ExportFile:
    """Ask the worker for an XLSX of the organisation's volunteers, newcomers or matches. Asking
    again while one is being built gives that one, so a second click makes no second file."""
    if not permissions.has_role(by, organisation.pk, *permissions.STAFF_ROLES):
        raise ValidationError({"__all__": _("Bara samordnare och administratörer kan exportera.")})
    if what not in EXPORTS:
        raise ValidationError({"what": _("Välj volontärer, nyanlända eller matchningar.")})
    with transaction.atomic():
        open_one = (
            ExportFile.objects.select_for_update()
            .filter(organisation=organisation, what=what, requested_by=by)
            .filter(status__in=[ExportFile.Status.QUEUED, ExportFile.Status.BUILDING])
            .first()
        )
        if open_one is not None:
            return open_one
        export = ExportFile.objects.create(
            organisation=organisation, what=what, requested_by=by, language=translation.get_language() or ""
        )
        jobs.export_build.after_commit(export.pk)
    return export


def _claim(export_id: int) -> ExportFile | None:
    with transaction.atomic():
        export = (
            ExportFile.objects.select_for_update()
            .select_related("organisation")
            .filter(pk=export_id, status__in=[ExportFile.Status.QUEUED, ExportFile.Status.BUILDING])
            .first()
        )
        if export is None:
            return None
        # Building again after a lost worker starts from the first row: the file is made whole or not at all.
        export.status, export.rows_done = ExportFile.Status.BUILDING, 0
        export.rows_total = selectors.export_row_count(organisation=export.organisation, what=export.what)
        export.save(update_fields=["status", "rows_done", "rows_total"])
    return export


def _counted(export_id: int, rows: Iterable[list]) -> Iterator[list]:
    """The rows, with how many have been written kept on the export for its page to show."""
    done = -1  # the heading is not a row of people
    for row in rows:
        yield row
        done += 1
        if done and done % PROGRESS_EVERY == 0:
            ExportFile.objects.filter(pk=export_id).update(rows_done=done)


def export_build(*, export_id: int) -> ExportFile | None:
    """Write the spreadsheet (the worker's task). A second delivery of a finished export does
    nothing; a delivery after a lost worker builds it again from the start. Reads people but
    shows them to nobody: the download is what the audit trail records."""
    export = _claim(export_id)
    if export is None:
        return None
    organisation = export.organisation
    with translation.override(export.language or settings.LANGUAGE_CODE):
        if export.what == "matches":
            rows: Iterable[list] = selectors.export_matches(organisation=organisation)
        else:
            rows = selectors.export_people_rows(organisation=organisation, kind=export.what)
        with renderers.table_xlsx_file(_counted(export.pk, rows)) as out:
            content = out.read()
    # Who it holds, read after the rows: anyone added meanwhile is audited, never anyone missed.
    subjects = [[kind, pk] for kind, pk, _org in selectors.export_subjects(organisation=organisation, what=export.what)]
    ExportFile.objects.filter(pk=export.pk, status=ExportFile.Status.BUILDING).update(
        status=ExportFile.Status.READY,
        content=content,
        subjects=subjects,
        rows_done=export.rows_total,
        finished_at=timezone.now(),
    )
    export.refresh_from_db()
    return export


FAILURES = {
    "time_limit": gettext_lazy("Filen tog för lång tid att skapa. Exportera som CSV i stället."),
    "error": gettext_lazy("Ett fel i Vänmatch. Försök igen, eller exportera som CSV."),
}


def export_failed(*, export_id: int, why: str) -> None:
    """The worker gave up on a file: `why` is a key of FAILURES, said in the asker's language."""
    export = ExportFile.objects.filter(pk=export_id).only("language").first()
    if export is None:
        return
    with translation.override(export.language or settings.LANGUAGE_CODE):
        error = str(FAILURES[why])
    ExportFile.objects.filter(pk=export_id).exclude(status=ExportFile.Status.READY).update(
        status=ExportFile.Status.FAILED, error=error, content=None, finished_at=timezone.now()
    )


def export_download(*, export: ExportFile, by: User) -> bytes:
    """The finished file, for the one who asked for it; each download is in the audit trail
    with every person the file holds."""
    mine = export.requested_by_id == by.pk and permissions.has_role(
        by, export.organisation_id, *permissions.STAFF_ROLES
    )
    if not mine or export.status != ExportFile.Status.READY or export.content is None:
        raise ValidationError({"__all__": _("Filen finns inte längre. Skapa en ny.")})
    audit_record(
        user=by,
        action=AuditEvent.Action.EXPORT,
        purpose=AuditEvent.Purpose.EXPORT,
        subjects=[(kind, pk, export.organisation_id) for kind, pk in export.subjects],
        detail=f"{export.what}.xlsx",
    )
    return bytes(export.content)


def exports_tidy(*, now: datetime | None = None) -> tuple[int, int]:
    """The sweep (every ten minutes): delete files older than a day, and hand on those left
    queued when the broker was away or left building by a worker that died. Returns (deleted,
    handed on)."""
    now = now or timezone.now()
    deleted, _by_model = ExportFile.objects.filter(created_at__lt=now - timedelta(hours=ExportFile.KEPT_HOURS)).delete()
    stuck = list(
        ExportFile.objects.filter(
            Q(status=ExportFile.Status.QUEUED, created_at__lt=now - QUEUED_TOO_LONG)
            | Q(status=ExportFile.Status.BUILDING, created_at__lt=now - BUILDING_TOO_LONG)
        ).values_list("pk", flat=True)
    )
    for pk in stuck:
        jobs.export_build.send(pk)
    return deleted, len(stuck)
