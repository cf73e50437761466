"""The rights of the people in the register: everything stored about them (JSON and a readable
PDF), and erasure of a newcomer at their request. Rectification is the ordinary edit pages;
withdrawal of consent is on the newcomer's page. Their access report: the dates and purposes
of access to their data, for them or their social worker."""

import json

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from accounts.audit import audit_read, audit_record
from accounts.models import AuditEvent
from accounts.models import AuditEvent as A
from accounts.shared.forms import refusals_as_messages
from coordinator import permissions, renderers, selectors, services


def _download(request, person, fmt: str, purpose: str) -> HttpResponse:
    permissions.require_recent_password(request, purpose="own_data" if purpose == A.Purpose.OWN else "person_data")
    data = services.person_data(person)
    audit_record(
        user=request.user, action=A.Action.EXPORT, purpose=purpose, subjects=[person], detail=f"all data .{fmt}"
    )
    name = f"{data['kind']}-{person.pk}-uppgifter"
    if fmt == "json":
        response = HttpResponse(
            json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json; charset=utf-8"
        )
    elif fmt == "pdf":
        response = HttpResponse(renderers.person_pdf(data, str(person)), content_type="application/pdf")
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


@login_required
@require_GET
def newcomer_data(request, pk: int, fmt: str):
    """For a newcomer who asks for what is stored about them (through their social worker)."""
    newcomer = selectors.newcomer_for_social_worker(user=request.user, pk=pk)
    return _download(request, newcomer, fmt, A.Purpose.CASE)


@login_required
@require_GET
def my_data(request, fmt: str):
    volunteer = selectors.volunteer_of(user=request.user)
    if volunteer is None:
        raise PermissionDenied
    return _download(request, volunteer, fmt, A.Purpose.OWN)


class EraseForm(forms.Form):
    confirm = forms.BooleanField(
        label=gettext_lazy("Den nyanlände har bett om att bli raderad. Radera uppgifterna nu; det går inte att ångra."),
        error_messages={"required": gettext_lazy("Kryssa i rutan för att bekräfta.")},
    )


@login_required
@require_POST
def newcomer_erase(request, pk: int):
    newcomer = selectors.newcomer_for_social_worker(user=request.user, pk=pk)
    form = EraseForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Kryssa i rutan för att bekräfta."))
        return redirect("newcomer_detail", pk=pk)
    permissions.require_recent_password(request, purpose="erase")
    with refusals_as_messages(request) as outcome:
        services.newcomer_erase(newcomer=newcomer, by=request.user)
    if outcome.refused:
        return redirect("newcomer_detail", pk=pk)
    messages.success(
        request, _("Uppgifterna är raderade. Statistiken behåller bara målgrupp, kön, födelsedecennium, ort och datum.")
    )
    return redirect("newcomer_list")


def access_report(events) -> list[dict]:
    """Dates and purposes of access to one person's data, newest first (no names of who)."""
    return [
        {"at": e.at, "action": e.get_action_display(), "purpose": e.get_purpose_display()}
        for e in events.order_by("-at", "-id")[:500]
    ]


@login_required
@require_GET
def newcomer_access_report(request, pk: int):
    """For a newcomer who asks (through their social worker) who has used their data and why."""
    newcomer = selectors.newcomer_for_social_worker(user=request.user, pk=pk)
    events = AuditEvent.objects.filter(subject_type="newcomer", subject_id=newcomer.pk)
    rows = access_report(events)  # read before this visit is added to it
    audit_read(user=request.user, purpose=A.Purpose.CASE, subjects=[newcomer], detail="access report")
    return render(request, "audit/access_report.html", {"person": newcomer, "rows": rows})


@login_required
@require_GET
def my_access_report(request):
    """A volunteer's own access report."""
    volunteer = selectors.volunteer_of(user=request.user)
    if volunteer is None:
        raise PermissionDenied
    events = AuditEvent.objects.filter(subject_type="volunteer", subject_id=volunteer.pk)
    return render(
        request, "audit/access_report.html", {"person": volunteer, "rows": access_report(events), "own": True}
    )
