"""A volunteer's own pages: applying step by step, their profile, pausing and leaving."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.audit import audit_record
from accounts.models import AuditEvent as A
from accounts.shared.forms import refusals_as_messages, refusals_at_fields
from coordinator import forms, permissions, privacy, selectors, services
from coordinator.models import ApplicationDraft
from coordinator.services.applications import CHOSEN_ORGANISATION

ORGANISATION = CHOSEN_ORGANISATION
STEPS = [
    ("om-dig", forms.AboutYouForm),
    ("program", forms.ProgrammesForm),
    ("sprak", forms.LanguagesForm),
    ("tider", forms.AvailabilityForm),
    ("plats", forms.PlaceForm),
    ("onskemal", forms.WishesForm),
    ("samtycke", forms.ConsentForm),
]
EDITABLE = [step for step, _form in STEPS if step != "samtycke"]


def _form(step: str, *, organisation=None, data=None, initial=None):
    form_class = dict(STEPS)[step]
    kwargs = {}
    if form_class is forms.ProgrammesForm:
        kwargs["organisation"] = organisation
    return form_class(data=data, initial=initial, **kwargs)


def _bound(step: str, answers: dict, organisation=None):
    return _form(step, organisation=organisation, data=MultiValueDict(answers[step]))


def _answers_of(request) -> dict[str, list[str]]:
    return {k: request.POST.getlist(k) for k in request.POST if k != "csrfmiddlewaretoken"}


def _initial_from(form, typed: dict[str, list[str]]) -> dict:
    """What she typed in a step, unchecked, as the form's starting values (not as an answer that
    would be judged and shown with errors before she has pressed anything)."""
    data = MultiValueDict(typed)
    return {
        name: field.widget.value_from_datadict(data, {}, form.add_prefix(name))
        for name, field in form.fields.items()
        if name in typed
    }


def _organisation_of(request, draft):
    """The organisation she applies to: the one her draft holds (chosen on any device), else the
    one chosen in this browser before she had an account."""
    if draft is not None and draft.organisation is not None:
        return draft.organisation
    return selectors.organisation_by_slug(request.session.get(ORGANISATION))


def volunteer_start(request):
    """What being a volunteer means, the organisations looking for volunteers, and how to begin."""
    slug = request.GET.get("org")
    chosen = selectors.organisation_by_slug(slug)
    if chosen is not None:
        request.session[ORGANISATION] = chosen.slug
    draft = None
    if request.user.is_authenticated:
        if selectors.volunteer_of(user=request.user) is not None:
            return redirect("my_volunteering")
        if chosen is not None:
            draft = services.application_draft_choose_organisation(user=request.user, organisation=chosen)
        else:
            draft = selectors.application_draft_of(user=request.user)
    organisation = _organisation_of(request, draft)
    return render(
        request,
        "volunteering/start.html",
        {
            "organisations": selectors.organisations_recruiting(),
            "chosen": organisation.slug if organisation is not None else None,
            "draft": draft if draft is not None and (draft.steps or draft.current) else None,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def volunteer_apply(request, step: str | None = None):
    """The application, one step per page. Each step's answers are kept on the server as she goes
    (`ApplicationDraft`), so she goes on where she left off after a break or on another device."""
    if selectors.volunteer_of(user=request.user) is not None:
        messages.info(request, _("Du har redan skickat in din ansökan."))
        return redirect("my_volunteering")
    slugs = [s for s, _form in STEPS]
    draft = selectors.application_draft_of(user=request.user)
    if (draft is None or draft.organisation is None) and request.session.get(ORGANISATION):
        chosen = selectors.organisation_by_slug(request.session[ORGANISATION])
        if chosen is not None:
            draft = services.application_draft_choose_organisation(user=request.user, organisation=chosen)
    done = draft.steps if draft is not None else {}
    organisation = _organisation_of(request, draft)
    first_missing = next((s for s in slugs if s not in done), None)
    if step is None:
        return redirect("volunteer_apply_step", step=first_missing or slugs[-1])
    if step not in slugs:
        raise Http404
    index = slugs.index(step)
    if first_missing is not None and slugs.index(first_missing) < index:
        return redirect("volunteer_apply_step", step=first_missing)

    # Changing a step from the summary ("Ändra"): saving it leads back to the summary.
    changing = request.GET.get("andra") == "1" and step != slugs[-1] and all(s in done for s in slugs[:-1])
    if request.method == "POST":
        form = _form(step, organisation=organisation, data=request.POST)
        if form.is_valid():
            draft = services.application_draft_save_step(
                user=request.user, step=step, answers=_answers_of(request), fields=set(form.fields)
            )
            if changing:
                return redirect("volunteer_apply_step", step=slugs[-1])
            if index + 1 < len(slugs):
                return redirect("volunteer_apply_step", step=slugs[index + 1])
            return _finish(request, draft.steps, organisation)
        services.application_draft_keep_typing(
            user=request.user, step=step, answers=_answers_of(request), fields=set(form.fields)
        )
    elif draft is not None and draft.current_step == step:
        form = _form(step, organisation=organisation)
        form.initial = _initial_from(form, draft.current)
    elif step in done:
        form = _bound(step, done, organisation)
    else:
        initial = {"first_name": request.user.first_name, "last_name": request.user.last_name} if index == 0 else None
        form = _form(step, organisation=organisation, initial=initial)
    context = {
        "form": form,
        "step": step,
        # Each step: its address, title and whether it is answered (an answered step is a link).
        "steps": [(s, f.title, s in done) for s, f in STEPS],
        "number": index + 1,
        "total": len(slugs),
        "previous": slugs[index - 1] if index else None,
        "last": index + 1 == len(slugs),
        "changing": changing,
    }
    if step == "samtycke":
        context["summary"] = _summary(done, organisation)
        context["privacy_version"] = privacy.CURRENT
        context["privacy_template"] = privacy.template_for(privacy.CURRENT)
    return render(request, "volunteering/apply.html", context)


@login_required
@require_POST
def volunteer_apply_keep(request, step: str):
    """Save what she has typed in a step without checking it: sent by the page as she types
    (answered 204), or by the *Spara och fortsätt senare* button (answered with where she can
    pick it up again)."""
    if step not in dict(STEPS):
        raise Http404
    if selectors.volunteer_of(user=request.user) is not None:
        if request.headers.get("X-Requested-With") == "fetch":
            return HttpResponse(status=204)  # the page's last save as she sends it: nothing left to keep
        raise Http404
    draft = selectors.application_draft_of(user=request.user)
    form = _form(step, organisation=_organisation_of(request, draft))
    services.application_draft_keep_typing(
        user=request.user, step=step, answers=_answers_of(request), fields=set(form.fields)
    )
    if request.headers.get("X-Requested-With") == "fetch":
        return HttpResponse(status=204)
    messages.success(
        request,
        _(
            "Din ansökan är sparad. Logga in när du vill, på vilken enhet som helst, så fortsätter du där du "
            "slutade. Vi sparar den i %(days)s dagar."
        )
        % {"days": ApplicationDraft.KEPT_DAYS},
    )
    return redirect("volunteer_start")


def _cleaned_steps(done: dict, organisation) -> tuple[dict, str | None]:
    """Every step's cleaned data, or the first step that no longer validates."""
    cleaned = {}
    for step, _form_class in STEPS[:-1]:
        if step not in done:
            return cleaned, step
        form = _bound(step, done, organisation)
        if not form.is_valid():
            return cleaned, step
        cleaned[step] = form.cleaned_data
    return cleaned, None


def _summary(done: dict, organisation) -> list[dict]:
    """Her answers step by step, each with the step to change it on (GOV.UK's *check your
    answers*)."""
    cleaned, _broken = _cleaned_steps(done, organisation)
    summary = []
    for step, form_class in STEPS[:-1]:
        data = cleaned.get(step)
        if data is None:
            continue
        lines = selectors.describe_person(forms.facts_from(data), programmes=data.get("programmes", []))
        if step == "om-dig" and not data.get("gender"):
            lines.append((str(_("Kön")), str(_("Vill inte ange"))))
        summary.append({"step": step, "title": form_class.title, "lines": lines})
    return summary


def _finish(request, done: dict, organisation):
    cleaned, broken = _cleaned_steps(done, organisation)
    if broken is not None:
        messages.error(request, _("Något behöver rättas innan ansökan kan skickas."))
        return redirect("volunteer_apply_step", step=broken)
    facts = {}
    for data in cleaned.values():
        facts.update(forms.facts_from(data))
    with refusals_as_messages(request) as outcome:
        services.volunteer_apply(
            user=request.user,
            programmes=list(cleaned["program"]["programmes"]),
            facts=facts,
            privacy_version=privacy.CURRENT,
        )
    if outcome.refused:
        return redirect("volunteer_apply_step", step="om-dig")
    request.session.pop(ORGANISATION, None)
    messages.success(request, _("Tack för din ansökan! En samordnare hör av sig för ett samtal."))
    return redirect("my_volunteering")


@login_required
def my_volunteering(request):
    """The volunteer's own page: status, what they told us, their matches, pause and leave."""
    volunteer, matches = selectors.volunteer_overview(user=request.user)
    if volunteer is None:
        return redirect("volunteer_start")
    shown = [m.newcomer for m in matches if m.is_open and m.newcomer.consent_shareable]
    audit_record(user=request.user, action=A.Action.VIEW, purpose=A.Purpose.FOLLOW_UP, subjects=shown)
    return render(
        request,
        "volunteering/mine.html",
        {
            "volunteer": volunteer,
            "matches": [
                {
                    "match": m,
                    "name": seen["name"],
                    "facts": seen["facts"] if m.is_open else [],
                    "meeting_form": forms.MeetingForm(prefix=f"m{m.pk}") if m.is_open else None,
                }
                for m in matches
                for seen in [selectors.newcomer_seen_by(m.newcomer)]  # as her volunteer
            ],
            "facts": selectors.describe_volunteer(volunteer),
            "editable": EDITABLE,
        },
    )


@login_required
@require_POST
def my_meeting_log(request, pk: int):
    """'We met': a meeting logged in one tap from her page, today and about an hour unless she
    changed that. Only her own open matches; any other is a missing page."""
    volunteer = selectors.volunteer_of(user=request.user)
    match = selectors.own_open_match(volunteer=volunteer, pk=pk)
    form = forms.MeetingForm(request.POST, prefix=f"m{match.pk}")
    if form.is_valid():
        with refusals_as_messages(request) as outcome:
            services.meeting_log(match=match, by=request.user, source="volunteer", **form.cleaned_data)
        if outcome.ok:
            messages.success(
                request, _("Tack! Träffen %(on)s är antecknad.") % {"on": form.cleaned_data["on"].isoformat()}
            )
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect(f"{reverse('my_volunteering')}#match-{match.pk}")


@login_required
@require_http_methods(["GET", "POST"])
def my_volunteering_edit(request, step: str):
    volunteer = selectors.volunteer_of(user=request.user)
    if volunteer is None:
        raise Http404
    if step not in EDITABLE:
        raise Http404
    form_class = dict(STEPS)[step]
    if request.method == "POST":
        form = _form(step, organisation=volunteer.organisation, data=request.POST)
        if form.is_valid():
            with refusals_at_fields(form) as outcome:
                services.volunteer_update(
                    volunteer=volunteer,
                    by=request.user,
                    facts=forms.facts_from(form.cleaned_data),
                    programmes=list(form.cleaned_data["programmes"]) if step == "program" else None,
                )
            if outcome.ok:
                messages.success(request, _("Dina uppgifter är sparade."))
                return redirect("my_volunteering")
    else:
        form = _form(
            step, organisation=volunteer.organisation, initial=forms.initial_from(volunteer, dict(STEPS)[step])
        )
    return render(request, "volunteering/edit.html", {"form": form, "title": form_class.title, "volunteer": volunteer})


@login_required
@require_POST
def my_volunteering_pause(request):
    volunteer = selectors.volunteer_of(user=request.user)
    if volunteer is None:
        raise Http404
    action = services.volunteer_resume if request.POST.get("resume") else services.volunteer_pause
    with refusals_as_messages(request) as outcome:
        action(volunteer=volunteer, by=request.user)
    if outcome.ok:
        if request.POST.get("resume"):
            messages.success(request, _("Välkommen tillbaka! Du kan få nya förslag igen."))
        else:
            messages.success(request, _("Du har pausat. Du får inga nya förslag förrän du fortsätter."))
    return redirect("my_volunteering")


@login_required
@require_http_methods(["GET", "POST"])
def my_volunteering_withdraw(request):
    volunteer = selectors.volunteer_of(user=request.user)
    if volunteer is None:
        raise Http404
    if request.method == "POST":
        erase = request.POST.get("erase") == "on"
        if erase:
            permissions.require_recent_password(request, purpose="erase_own")
        with refusals_as_messages(request) as outcome:
            services.volunteer_withdraw(volunteer=volunteer, by=request.user, erase=erase)
        if outcome.refused:
            return redirect("my_volunteering")
        if erase:
            from django.contrib.auth import logout

            logout(request)
            messages.success(
                request, _("Ditt uppdrag är avslutat och dina uppgifter är raderade. Tack för den här tiden!")
            )
            return redirect("home")
        messages.success(request, _("Ditt uppdrag är avslutat. Tack för den här tiden!"))
        return redirect("my_volunteering")
    return render(request, "volunteering/withdraw.html", {"volunteer": volunteer})


def newcomer_privacy_notice(request, version: str | None = None):
    """The notice a social worker reads, or has interpreted, to a newcomer before she consents."""
    version = version or privacy.NEWCOMER_CURRENT
    if version not in privacy.NEWCOMER_VERSIONS:
        raise Http404
    template = privacy.newcomer_template_for(version)
    return render(request, "privacy/newcomer_notice.html", {"version": version, "template": template})


def privacy_notice(request, version: str | None = None):
    version = version or privacy.CURRENT
    if version not in privacy.VERSIONS:
        raise Http404
    return render(request, "privacy/notice.html", {"version": version, "template": privacy.template_for(version)})
