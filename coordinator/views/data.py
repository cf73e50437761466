"""Data in and out: importing spreadsheets, exports, and the funder report."""

from django import forms as django_forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.audit import audit_record
from accounts.models import AuditEvent as A
from accounts.models import Organisation
from accounts.shared.forms import refusals_as_messages, refusals_at_fields
from coordinator import importing, permissions, renderers, selectors, services
from coordinator.models import ExportFile, ImportBatch
from matching.format import dumps


def organisation_for_staff(user, slug: str) -> Organisation:
    """An organisation the user coordinates or administers; 404 for anyone else."""
    ids = permissions.organisation_ids(user, permissions.STAFF_ROLES)
    queryset = Organisation.objects.all() if user.is_superuser else Organisation.objects.filter(id__in=ids)
    return get_object_or_404(queryset, slug=slug)


class ImportForm(django_forms.Form):
    kind = django_forms.ChoiceField(
        label=gettext_lazy("Vilka finns i filen?"), choices=ImportBatch.Kind.choices, widget=django_forms.RadioSelect
    )
    file = django_forms.FileField(
        label=gettext_lazy("Fil"),
        help_text=gettext_lazy("CSV eller XLSX (Excel), högst 5 MB. Första raden är rubrikerna, som i mallen."),
        widget=django_forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )


@login_required
@require_http_methods(["GET", "POST"])
def import_upload(request, slug: str):
    organisation = organisation_for_staff(request.user, slug)
    form = ImportForm(request.POST, request.FILES) if request.method == "POST" else ImportForm()
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        with refusals_at_fields(form) as outcome:
            batch = services.import_receive(
                organisation=organisation,
                kind=form.cleaned_data["kind"],
                filename=upload.name,
                content=upload.read(importing.MAX_BYTES + 1),
                by=request.user,
            )
        if outcome.ok:
            return redirect("import_preview", slug=slug, pk=batch.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "data/import_upload.html", {"organisation": organisation, "form": form}, status=status)


PREVIEW_GOOD_ROWS = 200


@login_required
@require_GET
def import_preview(request, slug: str, pk: int):
    organisation = organisation_for_staff(request.user, slug)
    batch = get_object_or_404(ImportBatch.objects.defer("content"), organisation=organisation, pk=pk)
    rows = batch.rows
    counts = {
        "create": sum(1 for r in rows if r["ok"] and r["action"] == "create"),
        "update": sum(1 for r in rows if r["ok"] and r["action"] == "update"),
        "duplicate": sum(1 for r in rows if r["action"] == "duplicate"),
        "bad": sum(1 for r in rows if not r["ok"] and r["action"] != "duplicate"),
    }
    # A region's file has thousands of rows: every row with a problem is shown, and the first of the good.
    problems = [r for r in rows if not r["ok"]]
    good = [r for r in rows if r["ok"]][:PREVIEW_GOOD_ROWS]
    shown = sorted(problems + good, key=lambda r: r["number"])
    return render(
        request,
        "data/import_preview.html",
        {
            "organisation": organisation,
            "batch": batch,
            "rows": shown,
            "not_shown": len(rows) - len(shown),
            "counts": counts,
        },
    )


@never_cache
@login_required
@require_GET
def import_status(request, slug: str, pk: int):
    """Whether the worker has checked the file yet, and how many rows so far, for the preview
    page to follow it."""
    organisation = organisation_for_staff(request.user, slug)
    batch = get_object_or_404(
        ImportBatch.objects.only("status", "rows_done", "rows_total"), organisation=organisation, pk=pk
    )
    return JsonResponse({"status": batch.status, "done": batch.rows_done, "total": batch.rows_total})


@login_required
@require_POST
def import_confirm(request, slug: str, pk: int):
    organisation = organisation_for_staff(request.user, slug)
    batch = get_object_or_404(ImportBatch, organisation=organisation, pk=pk)
    with refusals_as_messages(request):
        services.import_apply_request(batch=batch, by=request.user, skip_bad=request.POST.get("skip_bad") == "on")
    return redirect("import_preview", slug=slug, pk=pk)


@login_required
@require_GET
def import_template(request, slug: str, kind: str, fmt: str):
    organisation = organisation_for_staff(request.user, slug)
    if kind not in ImportBatch.Kind.values or fmt not in ("csv", "xlsx"):
        raise Http404
    today = timezone.localdate()
    rows = importing.template_rows(kind, organisation=organisation, today=today)
    if fmt == "csv":
        return download(renderers.table_csv(rows), f"mall-{kind}", fmt)
    columns = importing.template_columns(kind, organisation=organisation)
    label = str(ImportBatch.Kind(kind).label)
    return download(renderers.import_template_xlsx(columns, rows[1], kind_label=label), f"mall-{kind}", fmt)


CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}


def download(content: bytes | str, name: str, fmt: str) -> HttpResponse:
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


def table_response(rows: list[list], name: str, fmt: str) -> HttpResponse:
    """A table as a CSV or XLSX download (coordinator/renderers.py)."""
    return download(renderers.table_csv(rows) if fmt == "csv" else renderers.table_xlsx(rows), name, fmt)


EXPORTS = {"volunteers", "newcomers", "matches"}


@login_required
@require_GET
def data_home(request):
    """Import, export and the funder report, for each organisation the user coordinates."""
    ids = permissions.organisation_ids(request.user, permissions.STAFF_ROLES)
    organisations = Organisation.objects.all() if request.user.is_superuser else Organisation.objects.filter(id__in=ids)
    organisations = list(organisations.prefetch_related("programmes").order_by("name"))
    if not organisations:
        raise PermissionDenied
    return render(request, "data/home.html", {"organisations": organisations})


@login_required
@require_GET
def export(request, slug: str, what: str, fmt: str):
    """People or matches as CSV, streamed, of any size. XLSX is written by the worker: this
    address leads to the page that asks for it. Free text (needs, notes) is never in an export."""
    organisation = organisation_for_staff(request.user, slug)
    if what not in EXPORTS or fmt not in ("csv", "xlsx"):
        raise Http404
    if fmt == "xlsx":
        return redirect(f"{reverse('export_files', args=[slug])}#{what}")
    permissions.require_recent_password(request, purpose="export")
    if what == "matches":
        rows = iter(selectors.export_matches(organisation=organisation))
    else:
        rows = selectors.export_people_rows(organisation=organisation, kind=what)
    audit_record(
        user=request.user,
        action=A.Action.EXPORT,
        purpose=A.Purpose.EXPORT,
        subjects=selectors.export_subjects(organisation=organisation, what=what),
        detail=f"{what}.{fmt}",
    )
    response = StreamingHttpResponse(renderers.table_csv_stream(rows), content_type=CONTENT_TYPES["csv"])
    response["Content-Disposition"] = f'attachment; filename="{organisation.slug}-{what}.{fmt}"'
    return response


EXPORT_NAMES = {
    "volunteers": gettext_lazy("Volontärer"),
    "newcomers": gettext_lazy("Nyanlända"),
    "matches": gettext_lazy("Matchningar"),
}


@login_required
@require_http_methods(["GET", "POST"])
def export_files(request, slug: str):
    """XLSX files of the organisation's people or matches: ask for one, follow it being written
    by the worker, download it. Each user sees only the files she asked for."""
    organisation = organisation_for_staff(request.user, slug)
    if request.method == "POST":
        with refusals_as_messages(request):
            export = services.export_request(
                organisation=organisation, what=request.POST.get("what", ""), by=request.user
            )
            asked = _("%(what)s skapas som XLSX.") % {"what": EXPORT_NAMES[export.what]}
            later = _("Du kan stanna här eller komma tillbaka senare: filen finns kvar i ett dygn.")
            messages.success(request, f"{asked} {later}")
        return redirect("export_files", slug=slug)
    files = list(selectors.export_files_of(user=request.user, organisation=organisation)[:20])
    for f in files:
        f.name = EXPORT_NAMES.get(f.what, f.what)
    kinds = [{"what": what, "name": name} for what, name in EXPORT_NAMES.items()]
    waiting = any(f.status in ("queued", "building") for f in files)
    return render(
        request,
        "data/export_files.html",
        {"organisation": organisation, "files": files, "kinds": kinds, "waiting": waiting},
    )


@login_required
@require_GET
@never_cache
def export_file_status(request, slug: str, pk: int):
    """How far the worker has come, for the page to follow (no person's data)."""
    organisation = organisation_for_staff(request.user, slug)
    export = get_object_or_404(
        selectors.export_files_of(user=request.user, organisation=organisation).only(
            "status", "rows_done", "rows_total"
        ),
        pk=pk,
    )
    return JsonResponse({"status": export.status, "done": export.rows_done, "total": export.rows_total})


@login_required
@require_GET
def export_file_download(request, slug: str, pk: int):
    organisation = organisation_for_staff(request.user, slug)
    export = get_object_or_404(
        selectors.export_files_of(user=request.user, organisation=organisation).filter(status="ready"), pk=pk
    )
    permissions.require_recent_password(request, purpose="export")
    export = ExportFile.objects.select_related("organisation").get(pk=export.pk)  # now with its content
    with refusals_as_messages(request):
        content = services.export_download(export=export, by=request.user)
        made = timezone.localtime(export.created_at)  # the time the page showed, in Sweden
        return download(content, f"{organisation.slug}-{export.what}-{made:%Y%m%d-%H%M}", "xlsx")
    return redirect("export_files", slug=slug)


@login_required
@require_GET
def export_pool(request, pk: int):
    """A programme's pool as vanmatch.problem/1, as the next run would see it."""

    programme = selectors.programme_for_staff(user=request.user, pk=pk)
    permissions.require_recent_password(request, purpose="export")
    doc = selectors.matching_problem(programme=programme, reference_date=timezone.localdate())
    people = selectors.problem_subjects(doc, programme.organisation_id)
    audit_record(user=request.user, action=A.Action.EXPORT, purpose=A.Purpose.EXPORT, subjects=people, detail="pool")
    response = HttpResponse(dumps(doc), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="pool-{programme.pk}.json"'
    return response


class PeriodForm(django_forms.Form):
    fran = django_forms.DateField(label=gettext_lazy("Från"), widget=django_forms.DateInput(attrs={"type": "date"}))
    till = django_forms.DateField(label=gettext_lazy("Till"), widget=django_forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("fran") and cleaned.get("till") and cleaned["fran"] > cleaned["till"]:
            self.add_error("till", _("Slutet ligger före början."))
        return cleaned


REPORT_FORMATS = {"csv", "xlsx", "pdf"}


@login_required
@require_GET
def organisation_outcomes(request, slug: str):
    """The outcomes of all the organisation's programmes together, split the same way."""
    from coordinator.views.programmes import outcomes_chart

    organisation = organisation_for_staff(request.user, slug)
    programmes = selectors.programmes_of_organisation(organisation)
    outcomes = selectors.programme_outcomes(programmes=programmes)
    context = {
        "organisation": organisation,
        "programmes": programmes,
        "scope_name": organisation.name,
        "o": outcomes,
        "chart": outcomes_chart(outcomes),
    }
    return render(request, "programmes/outcomes.html", context)


@login_required
@require_GET
def funder_report(request, slug: str, fmt: str | None = None):
    """The report for Länsstyrelsen (37 a §): the page, or the same as CSV, XLSX or PDF. Small
    counts are hidden by the selector, so nothing here can show one."""
    organisation = organisation_for_staff(request.user, slug)
    if fmt is not None and fmt not in REPORT_FORMATS:
        raise Http404
    today = timezone.localdate()
    data = (
        request.GET
        if "fran" in request.GET
        else {"fran": today.replace(month=1, day=1).isoformat(), "till": today.isoformat()}
    )
    form = PeriodForm(data)
    if not form.is_valid():
        return render(
            request, "data/report.html", {"organisation": organisation, "form": form, "report": None}, status=400
        )
    report = selectors.funder_report(
        organisation=organisation,
        start=form.cleaned_data["fran"],
        end=form.cleaned_data["till"],
        made_by=request.user,
    )
    name = f"{organisation.slug}-rapport-{report['start']}-{report['end']}"
    if fmt == "csv":
        return download(renderers.report_csv(report), name, "csv")
    if fmt == "xlsx":
        return download(renderers.report_xlsx(report), name, "xlsx")
    if fmt == "pdf":
        return download(renderers.report_pdf(report), name, "pdf")
    return render(
        request,
        "data/report.html",
        {
            "organisation": organisation,
            "form": form,
            "report": report,
            "heading": renderers.report_heading(),
            "legal_basis": renderers.report_legal_basis(),
            "facts": renderers.report_facts(report),
            "tables": [(table, renderers.bars(table.rows)) for table in report["tables"]],
            "waiting_heading": renderers.waiting_heading(),
            "waiting_columns": renderers.waiting_columns(),
            "waiting_too_few": renderers.waiting_too_few(report["waiting"]),
            "query": request.GET.urlencode() or f"fran={data['fran']}&till={data['till']}",
        },
    )
