"""A volunteer's own pages: applying step by step, their profile, pausing and leaving."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts import permissions
from accounts.audit import audit_record
from accounts.forms import errors_to_form
from accounts.models import AuditEvent as A
from coordinator import forms, privacy, selectors, services
from coordinator.models import Volunteer

DRAFT = "volunteer_application"
ORGANISATION = "volunteer_organisation"
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


def facts_of(step: str, cleaned: dict) -> dict:
    """What a step's cleaned form says about the person, in the model's words."""
    if step == "om-dig":
        return {k: cleaned[k] for k in ("first_name", "last_name", "phone", "birth_year", "gender")}
    if step == "sprak":
        return {
            "languages": cleaned["languages"],
            "swedish_level": cleaned["swedish_level"],
            "interests": cleaned["all_interests"],
        }
    if step == "tider":
        return {"availability": cleaned["availability"]}
    if step == "plats":
        return {"place": cleaned["place"]}
    if step == "onskemal":
        return {
            "gender_preference": cleaned["gender_preference"],
            "wants_family": forms.wants_from(cleaned["wants"]),
            "wants_age_min": cleaned["wants_age_min"],
            "wants_age_max": cleaned["wants_age_max"],
            "capacity": cleaned["capacity"],
            "household_adults": cleaned["household_adults"],
            "household_children_ages": cleaned["children_ages"],
        }
    return {}


def initial_of(step: str, v: Volunteer) -> dict:
    """A step's form filled in from the volunteer's profile, for editing."""
    from coordinator import vocabulary

    if step == "om-dig":
        return {k: getattr(v, k) for k in ("first_name", "last_name", "phone", "birth_year", "gender")}
    if step == "program":
        return {"programmes": list(v.programmes.all())}
    if step == "sprak":
        return {
            "languages": v.languages,
            "swedish_level": v.swedish_level,
            "interests": [tag for tag in v.interests if tag in vocabulary.INTERESTS],
            "other_interests": ", ".join(tag for tag in v.interests if tag not in vocabulary.INTERESTS),
        }
    if step == "tider":
        return {"availability": v.availability}
    if step == "plats":
        return {"postcode": v.postcode, "locality": "" if v.postcode else v.locality}
    if step == "onskemal":
        return {
            "gender_preference": v.gender_preference,
            "wants": forms.wants_to(v.wants_family),
            "wants_age_min": v.wants_age_min,
            "wants_age_max": v.wants_age_max,
            "capacity": v.capacity,
            "household_adults": v.household_adults,
            "children_ages": ", ".join(str(a) for a in v.household_children_ages),
        }
    return {}


def _form(step: str, request, data=None, initial=None):
    form_class = dict(STEPS)[step]
    kwargs = {}
    if form_class is forms.ProgrammesForm:
        kwargs["organisation"] = selectors.organisation_by_slug(request.session.get(ORGANISATION))
    return form_class(data=data, initial=initial, **kwargs)


def _bound(step: str, request, draft: dict):
    return _form(step, request, data=MultiValueDict(draft[step]))


def volunteer_start(request):
    """What being a volunteer means, the organisations looking for volunteers, and how to begin."""
    slug = request.GET.get("org")
    if slug and selectors.organisation_by_slug(slug) is not None:
        request.session[ORGANISATION] = slug
    if request.user.is_authenticated and selectors.volunteer_of(user=request.user) is not None:
        return redirect("my_volunteering")
    return render(
        request,
        "volunteering/start.html",
        {"organisations": selectors.organisations_recruiting(), "chosen": request.session.get(ORGANISATION)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def volunteer_apply(request, step: str | None = None):
    """The application, one step per page; answers are kept in the session until the last step."""
    if selectors.volunteer_of(user=request.user) is not None:
        messages.info(request, _("Du har redan skickat in din ansökan."))
        return redirect("my_volunteering")
    slugs = [s for s, _form in STEPS]
    draft = request.session.get(DRAFT, {})
    first_missing = next((s for s in slugs if s not in draft), None)
    if step is None:
        return redirect("volunteer_apply_step", step=first_missing or slugs[-1])
    if step not in slugs:
        raise Http404
    index = slugs.index(step)
    if first_missing is not None and slugs.index(first_missing) < index:
        return redirect("volunteer_apply_step", step=first_missing)

    if request.method == "POST":
        form = _form(step, request, data=request.POST)
        if form.is_valid():
            draft[step] = {k: request.POST.getlist(k) for k in request.POST if k != "csrfmiddlewaretoken"}
            request.session[DRAFT] = draft
            if index + 1 < len(slugs):
                return redirect("volunteer_apply_step", step=slugs[index + 1])
            return _finish(request, draft)
    elif step in draft:
        form = _bound(step, request, draft)
    else:
        initial = {"first_name": request.user.first_name, "last_name": request.user.last_name} if index == 0 else None
        form = _form(step, request, initial=initial)
    context = {
        "form": form,
        "step": step,
        "steps": [(s, f.title) for s, f in STEPS],
        "number": index + 1,
        "total": len(slugs),
        "previous": slugs[index - 1] if index else None,
        "last": index + 1 == len(slugs),
    }
    if step == "samtycke":
        context["summary"] = _summary(request, draft)
        context["privacy_version"] = privacy.CURRENT
        context["privacy_template"] = privacy.template_for(privacy.CURRENT)
    return render(request, "volunteering/apply.html", context)


def _cleaned_steps(request, draft: dict) -> tuple[dict, str | None]:
    """Every step's cleaned data, or the first step that no longer validates."""
    cleaned = {}
    for step, _form_class in STEPS[:-1]:
        if step not in draft:
            return cleaned, step
        form = _bound(step, request, draft)
        if not form.is_valid():
            return cleaned, step
        cleaned[step] = form.cleaned_data
    return cleaned, None


def _summary(request, draft: dict) -> list[tuple[str, str]]:
    cleaned, _broken = _cleaned_steps(request, draft)
    facts = {}
    for step, data in cleaned.items():
        facts.update(facts_of(step, data))
    programmes = cleaned.get("program", {}).get("programmes", [])
    return selectors.describe_person(facts, programmes=programmes)


def _finish(request, draft: dict):
    cleaned, broken = _cleaned_steps(request, draft)
    if broken is not None:
        messages.error(request, _("Något behöver rättas innan ansökan kan skickas."))
        return redirect("volunteer_apply_step", step=broken)
    facts = {}
    for step, data in cleaned.items():
        facts.update(facts_of(step, data))
    try:
        services.volunteer_apply(
            user=request.user,
            programmes=list(cleaned["program"]["programmes"]),
            facts=facts,
            privacy_version=privacy.CURRENT,
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("volunteer_apply_step", step="om-dig")
    request.session.pop(DRAFT, None)
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
                    "name": selectors.newcomer_name_for_volunteer(m.newcomer),
                    "facts": selectors.newcomer_facts_for_volunteer(m.newcomer) if m.is_open else [],
                }
                for m in matches
            ],
            "facts": selectors.describe_volunteer(volunteer),
            "editable": EDITABLE,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def my_volunteering_edit(request, step: str):
    volunteer = selectors.volunteer_of(user=request.user)
    if volunteer is None:
        raise Http404
    if step not in EDITABLE:
        raise Http404
    if step == "program":
        request.session[ORGANISATION] = volunteer.organisation.slug
    form_class = dict(STEPS)[step]
    if request.method == "POST":
        form = _form(step, request, data=request.POST)
        if form.is_valid():
            try:
                services.volunteer_update(
                    volunteer=volunteer,
                    facts=facts_of(step, form.cleaned_data),
                    programmes=list(form.cleaned_data["programmes"]) if step == "program" else None,
                )
            except ValidationError as error:
                errors_to_form(form, error)
            else:
                messages.success(request, _("Dina uppgifter är sparade."))
                return redirect("my_volunteering")
    else:
        form = _form(step, request, initial=initial_of(step, volunteer))
    return render(request, "volunteering/edit.html", {"form": form, "title": form_class.title, "volunteer": volunteer})


@login_required
@require_POST
def my_volunteering_pause(request):
    volunteer = selectors.volunteer_of(user=request.user)
    if volunteer is None:
        raise Http404
    action = services.volunteer_resume if request.POST.get("resume") else services.volunteer_pause
    try:
        action(volunteer=volunteer, by=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
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
            permissions.require_recent_password(request)
        try:
            services.volunteer_withdraw(volunteer=volunteer, by=request.user, erase=erase)
            if erase:
                audit_record(user=request.user, action=A.Action.ERASE, purpose=A.Purpose.OWN, subjects=[volunteer])
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
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


def privacy_notice(request, version: str | None = None):
    version = version or privacy.CURRENT
    if version not in privacy.VERSIONS:
        raise Http404
    return render(request, "privacy/notice.html", {"version": version, "template": privacy.template_for(version)})
