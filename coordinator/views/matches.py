"""A match's life: introduction booked, active, followed up, extended, ended."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.audit import audit_record
from accounts.models import AuditEvent as A
from accounts.shared.forms import refusals_as_messages, refusals_at_fields
from coordinator import forms, selectors, services
from coordinator.models import FollowUp


def _page(request, match, status=200, **forms_given):
    follow_up_forms = {
        f.pk: forms_given.get(f"follow_up_{f.pk}") or forms.FollowUpForm(prefix=f"f{f.pk}")
        for f in match.follow_ups.all()
        if f.done_on is None
    }
    context = {
        "match": match,
        "today": timezone.localdate(),
        "intro_form": forms_given.get("intro")
        or forms.IntroForm(
            initial={
                "at": timezone.localtime(match.intro_at).strftime("%Y-%m-%dT%H:%M") if match.intro_at else None,
                "place": match.intro_place,
                "coordinator_attends": match.intro_coordinator_attends,
            }
        ),
        "follow_up_forms": follow_up_forms,
        "extend_form": forms_given.get("extend") or forms.ExtendForm(),
        "end_form": forms_given.get("end") or forms.EndForm(),
        "shared_with_volunteer": selectors.newcomer_seen_by(match.newcomer)["facts"],  # as her volunteer sees her
        "overdue": any(f.is_overdue for f in match.follow_ups.all()),
        "meeting_has_taken_place": match.intro_at is None or match.intro_at <= timezone.now(),
        "meetings": list(match.meetings.all()[:10]),
        "meetings_count": match.meetings.count(),
        "surveys": selectors.surveys_of_match(match),
        "sms": selectors.sms_of_match(match),
    }
    return render(request, "matches/detail.html", context, status=status)


@login_required
@require_GET
def match_detail(request, pk: int):
    match = selectors.match_for_staff(user=request.user, pk=pk)
    audit_record(
        user=request.user, action=A.Action.VIEW, purpose=A.Purpose.FOLLOW_UP, subjects=[match.newcomer, match.volunteer]
    )
    return _page(request, match)


def _act(request, match, action, form_name, form, success):
    if form.is_valid():
        with refusals_at_fields(form) as outcome:
            action(form.cleaned_data)
        if outcome.ok:
            messages.success(request, success)
            return redirect("match_detail", pk=match.pk)
    return _page(request, selectors.match_for_staff(user=request.user, pk=match.pk), status=400, **{form_name: form})


@login_required
@require_POST
def match_intro(request, pk: int):
    match = selectors.match_for_staff(user=request.user, pk=pk)
    form = forms.IntroForm(request.POST)
    return _act(
        request,
        match,
        lambda d: services.match_book_intro(
            match=match, by=request.user, at=d["at"], place=d["place"], coordinator_attends=d["coordinator_attends"]
        ),
        "intro",
        form,
        _("Mötet är bokat. Volontären och socialsekreteraren får ett e-brev."),
    )


@login_required
@require_POST
def match_activate(request, pk: int):
    match = selectors.match_for_staff(user=request.user, pk=pk)
    with refusals_as_messages(request) as outcome:
        services.match_activate(match=match, by=request.user)
    if outcome.ok:
        messages.success(request, _("Matchningen är igång."))
    return redirect("match_detail", pk=pk)


@login_required
@require_POST
def follow_up_record(request, pk: int, follow_up_pk: int):
    match = selectors.match_for_staff(user=request.user, pk=pk)
    follow_up = get_object_or_404(FollowUp, match=match, pk=follow_up_pk)
    form = forms.FollowUpForm(request.POST, prefix=f"f{follow_up.pk}")
    return _act(
        request,
        match,
        lambda d: services.follow_up_record(follow_up=follow_up, by=request.user, **form.answers()),
        f"follow_up_{follow_up.pk}",
        form,
        _("Uppföljningen är sparad."),
    )


@login_required
@require_POST
def match_extend(request, pk: int):
    match = selectors.match_for_staff(user=request.user, pk=pk)
    form = forms.ExtendForm(request.POST)
    return _act(
        request,
        match,
        lambda d: services.match_extend(match=match, by=request.user, months=d["months"]),
        "extend",
        form,
        _("Matchningen är förlängd."),
    )


@login_required
@require_POST
def match_end(request, pk: int):
    match = selectors.match_for_staff(user=request.user, pk=pk)
    form = forms.EndForm(request.POST)
    return _act(
        request,
        match,
        lambda d: services.match_end(
            match=match,
            by=request.user,
            reason=d["reason"],
            wanted_by=d["wanted_by"],
            note=d["note"],
            newcomer_returns=d["newcomer_returns"],
            volunteer_returns=d["volunteer_returns"],
            newcomer_priority=d["newcomer_priority"],
            newcomer_note=d["newcomer_note"],
            volunteer_note=d["volunteer_note"],
            same_again=d["same_again"],
            volunteer_exit=form.exit_answers("volunteer"),
            newcomer_exit=form.exit_answers("newcomer"),
        ),
        "end",
        form,
        _("Matchningen är avslutad. Volontären och socialsekreteraren får ett e-brev."),
    )
