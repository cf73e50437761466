"""Data in and out: importing spreadsheets, exports, and the funder report."""

import csv
import io

from django import forms as django_forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts import permissions
from accounts.models import Organisation
from coordinator import importing, services
from coordinator.models import ImportBatch


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
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            batch = services.import_check(
                organisation=organisation,
                kind=form.cleaned_data["kind"],
                filename=upload.name,
                content=upload.read(importing.MAX_BYTES + 1),
                by=request.user,
            )
        except ValidationError as error:
            for field, messages_ in error.message_dict.items():
                form.add_error(field if field in form.fields else None, messages_)
        else:
            if getattr(batch, "unknown_columns", None):
                messages.warning(
                    request,
                    _("De här kolumnerna känns inte igen och lämnas utanför: %(names)s.")
                    % {"names": ", ".join(batch.unknown_columns)},
                )
            return redirect("import_preview", slug=slug, pk=batch.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "data/import_upload.html", {"organisation": organisation, "form": form}, status=status)


@login_required
@require_GET
def import_preview(request, slug: str, pk: int):
    organisation = organisation_for_staff(request.user, slug)
    batch = get_object_or_404(ImportBatch, organisation=organisation, pk=pk)
    rows = batch.rows
    counts = {
        "create": sum(1 for r in rows if r["ok"] and r["action"] == "create"),
        "update": sum(1 for r in rows if r["ok"] and r["action"] == "update"),
        "duplicate": sum(1 for r in rows if r["action"] == "duplicate"),
        "bad": sum(1 for r in rows if not r["ok"] and r["action"] != "duplicate"),
    }
    return render(
        request,
        "data/import_preview.html",
        {"organisation": organisation, "batch": batch, "rows": rows, "counts": counts},
    )


@login_required
@require_POST
def import_confirm(request, slug: str, pk: int):
    organisation = organisation_for_staff(request.user, slug)
    batch = get_object_or_404(ImportBatch, organisation=organisation, pk=pk)
    try:
        batch = services.import_apply(batch=batch, by=request.user, skip_bad=request.POST.get("skip_bad") == "on")
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("import_preview", slug=slug, pk=pk)
    messages.success(
        request,
        _("Importen är klar: %(created)s nya, %(updated)s uppdaterade, %(skipped)s hoppades över.")
        % {"created": batch.created_count, "updated": batch.updated_count, "skipped": batch.skipped_count},
    )
    return redirect("import_preview", slug=slug, pk=pk)


@login_required
@require_GET
def import_template(request, slug: str, kind: str, fmt: str):
    organisation_for_staff(request.user, slug)
    if kind not in ImportBatch.Kind.values or fmt not in ("csv", "xlsx"):
        raise Http404
    return table_response(importing.template_rows(kind), f"mall-{kind}", fmt)


def table_response(rows: list[list], name: str, fmt: str) -> HttpResponse:
    """A table as a CSV (UTF-8 with BOM and semicolons, as Swedish Excel opens it) or XLSX download."""
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=";")
        writer.writerows([["" if c is None else c for c in row] for row in rows])
        response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    else:
        from openpyxl import Workbook
        from openpyxl.styles import Font

        book = Workbook()
        sheet = book.active
        for row in rows:
            sheet.append(["" if c is None else c for c in row])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        out = io.BytesIO()
        book.save(out)
        response = HttpResponse(
            out.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response
