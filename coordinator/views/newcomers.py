"""Social workers register newcomers, follow them, and record a withdrawn consent."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accounts.audit import audit_read, audit_record
from accounts.models import AuditEvent as A
from accounts.shared.forms import refusals_as_messages, refusals_at_fields
from coordinator import forms, permissions, selectors, services, vocabulary
from coordinator.services import surveys
from coordinator.views import participants

NEWCOMERS_PER_PAGE = 25


@login_required
@require_GET
def newcomer_list(request):
    if not request.user.is_superuser and "social_worker" not in permissions.roles_of(request.user):
        raise PermissionDenied
    programmes = selectors.programmes_of_social_worker(user=request.user)
    search = forms.NewcomerSearchForm(request.GET, programmes=programmes)
    criteria = search.cleaned_data if search.is_valid() else {"q": "", "status": "", "programme": None}
    newcomers = selectors.newcomers_of_social_worker(
        user=request.user, search=criteria["q"], status=criteria["status"], programme_id=criteria["programme"]
    )
    page = Paginator(newcomers, NEWCOMERS_PER_PAGE).get_page(request.GET.get("sida"))
    audit_read(user=request.user, purpose=A.Purpose.CASE, subjects=list(page.object_list))
    query = request.GET.copy()
    query.pop("sida", None)
    return render(
        request,
        "newcomers/list.html",
        {"newcomers": page.object_list, "page": page, "search": search, "query": query.urlencode()},
        status=200 if search.is_valid() else 400,
    )


@login_required
@require_http_methods(["GET", "POST"])
def newcomer_register(request):
    organisations = list(permissions.organisations_registering_newcomers(request.user))
    if not organisations:
        raise PermissionDenied
    form = forms.NewcomerForm(request.POST if request.method == "POST" else None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        cleaned = form.cleaned_data
        with refusals_at_fields(form) as outcome:
            newcomer = services.newcomer_register(
                by=request.user,
                organisation=cleaned["organisation"],
                programmes=list(cleaned["programmes"]),
                facts=forms.facts_from(cleaned),
                consent_given_on=cleaned["consent_given_on"],
                consent_method=cleaned["consent_method"],
                duplicate_confirmed=cleaned["duplicate_confirmed"],
                consent_notice_language=cleaned["consent_notice_language"],
            )
        if outcome.ok:
            messages.success(request, _("%(name)s är registrerad och väntar på en matchning.") % {"name": newcomer})
            return redirect("newcomer_detail", pk=newcomer.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "newcomers/form.html", {"form": form, "newcomer": None}, status=status)


@login_required
@require_GET
def newcomer_detail(request, pk: int):
    newcomer = selectors.newcomer_for_social_worker(user=request.user, pk=pk)
    audit_record(user=request.user, action=A.Action.VIEW, purpose=A.Purpose.CASE, subjects=[newcomer])
    return render(
        request,
        "newcomers/detail.html",
        {
            "newcomer": newcomer,
            "facts": selectors.describe_newcomer(newcomer),
            "notice_language": ", ".join(vocabulary.language_names([newcomer.consent_notice_language]))
            if newcomer.consent_notice_language
            else "",
            "withdraw_form": forms.WithdrawConsentForm(),
            "open_surveys": participants.questions_for_staff(selectors.open_surveys_of_newcomer(newcomer)),
            "sms_possible": surveys.newcomer_phone(newcomer) is not None,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def newcomer_edit(request, pk: int):
    newcomer = selectors.newcomer_for_social_worker(user=request.user, pk=pk)
    organisations = [newcomer.organisation]
    if request.method == "POST":
        form = forms.NewcomerForm(request.POST, organisations=organisations, newcomer=newcomer)
        if form.is_valid():
            with refusals_at_fields(form) as outcome:
                services.newcomer_update(
                    newcomer=newcomer,
                    by=request.user,
                    facts=forms.facts_from(form.cleaned_data),
                    programmes=list(form.cleaned_data["programmes"]),
                )
            if outcome.ok:
                messages.success(request, _("Uppgifterna är sparade."))
                return redirect("newcomer_detail", pk=newcomer.pk)
        return render(request, "newcomers/form.html", {"form": form, "newcomer": newcomer}, status=400)
    audit_record(user=request.user, action=A.Action.VIEW, purpose=A.Purpose.CASE, subjects=[newcomer])
    form = forms.NewcomerForm(
        initial=forms.initial_from(newcomer, forms.NewcomerForm), organisations=organisations, newcomer=newcomer
    )
    return render(request, "newcomers/form.html", {"form": form, "newcomer": newcomer})


@login_required
@require_http_methods(["POST"])
def newcomer_withdraw_consent(request, pk: int):
    newcomer = selectors.newcomer_for_social_worker(user=request.user, pk=pk)
    form = forms.WithdrawConsentForm(request.POST)
    if form.is_valid():
        with refusals_as_messages(request) as outcome:
            services.newcomer_withdraw_consent(newcomer=newcomer, by=request.user)
        if outcome.ok:
            messages.success(
                request, _("Samtycket är återkallat: %(name)s är inte längre med i matchningen.") % {"name": newcomer}
            )
        return redirect("newcomer_detail", pk=newcomer.pk)
    return render(
        request,
        "newcomers/detail.html",
        {"newcomer": newcomer, "facts": selectors.describe_newcomer(newcomer), "withdraw_form": form},
        status=400,
    )
