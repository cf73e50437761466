"""Coordinators screen volunteers: interviewed, approved or rejected with a reason; background checks."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.audit import audit_read, audit_record
from accounts.models import AuditEvent as A
from accounts.shared.forms import refusals_at_fields
from coordinator import forms, permissions, selectors, services
from coordinator.models import Volunteer

PER_PAGE = 50


def _staff_only(user) -> None:
    if not user.is_superuser and not permissions.organisation_ids(user, permissions.STAFF_ROLES):
        raise PermissionDenied


@login_required
@require_GET
def volunteer_list(request):
    _staff_only(request.user)
    status = request.GET.get("status") or ""
    if status and status not in Volunteer.Status.values:
        status = ""
    volunteers, counts = selectors.volunteers_for_screening(user=request.user, status=status or None)
    statuses = [(value, label, counts.get(value, 0)) for value, label in Volunteer.Status.choices]
    total = counts.get(status, 0) if status else sum(counts.values())
    paginator = Paginator(volunteers, PER_PAGE)
    paginator.count = total  # known from the counts by status: no second COUNT query
    page = paginator.get_page(request.GET.get("sida"))
    audit_read(user=request.user, purpose=A.Purpose.SCREENING, subjects=list(page.object_list))
    return render(
        request,
        "screening/list.html",
        {
            "volunteers": page.object_list,
            "page": page,
            "statuses": statuses,
            "status": status,
            "total": sum(counts.values()),
        },
    )


def _detail(request, volunteer, screening_form=None, check_form=None, status=200):
    return render(
        request,
        "screening/detail.html",
        {
            "volunteer": volunteer,
            "facts": selectors.describe_volunteer(volunteer),
            "screening_form": screening_form or forms.ScreeningForm(volunteer=volunteer),
            "check_form": check_form
            or forms.BackgroundCheckForm(
                initial={"seen_on": volunteer.background_check_date, "expires_on": volunteer.background_check_expires}
            ),
            "next_steps": services.SCREENING_STEPS.get(volunteer.status, set()),
        },
        status=status,
    )


@login_required
@require_GET
def volunteer_detail(request, pk: int):
    volunteer = selectors.volunteer_for_screening(user=request.user, pk=pk)
    audit_record(user=request.user, action=A.Action.VIEW, purpose=A.Purpose.SCREENING, subjects=[volunteer])
    return _detail(request, volunteer)


@login_required
@require_POST
def volunteer_screen(request, pk: int):
    volunteer = selectors.volunteer_for_screening(user=request.user, pk=pk)
    form = forms.ScreeningForm(request.POST, volunteer=volunteer)
    if form.is_valid():
        approving = form.cleaned_data["to_status"] == Volunteer.Status.APPROVED
        with refusals_at_fields(form) as outcome:
            services.volunteer_screen(
                volunteer=volunteer,
                by=request.user,
                to=form.cleaned_data["to_status"],
                reason=form.cleaned_data["reason"],
                notes=form.cleaned_data["notes"],
                programmes=list(form.cleaned_data["programmes"]) if approving else None,
            )
        if outcome.ok:
            volunteer.refresh_from_db()
            messages.success(
                request,
                _("%(name)s är nu: %(status)s.")
                % {"name": volunteer, "status": volunteer.get_status_display().lower()},
            )
            return redirect("volunteer_detail", pk=volunteer.pk)
    return _detail(request, volunteer, screening_form=form, status=400)


@login_required
@require_POST
def volunteer_background_check(request, pk: int):
    volunteer = selectors.volunteer_for_screening(user=request.user, pk=pk)
    form = forms.BackgroundCheckForm(request.POST)
    if form.is_valid():
        with refusals_at_fields(form) as outcome:
            services.volunteer_record_background_check(
                volunteer=volunteer,
                by=request.user,
                seen_on=form.cleaned_data["seen_on"],
                expires_on=form.cleaned_data["expires_on"],
            )
        if outcome.ok:
            messages.success(request, _("Utdraget ur belastningsregistret är noterat."))
            return redirect("volunteer_detail", pk=volunteer.pk)
    return _detail(request, volunteer, check_form=form, status=400)
