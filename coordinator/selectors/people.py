"""Reads about people: overviews, signing up, words for what they told us, screening, newcomers."""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, Func, Max, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from accounts.models import Organisation, User
from coordinator import permissions, vocabulary
from coordinator.models import (
    ApplicationDraft,
    Gender,
    GenderPreference,
    Match,
    Newcomer,
    Programme,
    Proposal,
    ScreeningEvent,
    SwedishLevel,
    Volunteer,
)


@dataclass(frozen=True)
class ProgrammeOverview:
    programme: Programme
    waiting_newcomers: int
    available_volunteers: int
    open_matches: int
    pending_proposals: int


def _count(rows: QuerySet) -> Coalesce:
    """How many rows a correlated queryset (filtered on OuterRef("pk")) has, as a subquery."""
    return Coalesce(Subquery(rows.order_by().values(n=Func(F("pk"), function="COUNT"))[:1]), 0)


def programme_overviews(*, user: User) -> list[ProgrammeOverview]:
    """The programmes a user may see, each with its headline figures.

    Queries: 1 for the user's memberships, 1 for the programmes with three counts
    annotated, 1 for the pending proposals per programme. Each count is a subquery of its own:
    three counts over one join of newcomers x volunteers x matches took seconds for a
    municipality and did not finish for a region.
    """
    newcomers = Newcomer.programmes.through.objects.filter(
        programme=OuterRef("pk"),
        newcomer__status=Newcomer.Status.WAITING,
        newcomer__consent_given_at__isnull=False,
        newcomer__consent_withdrawn_at__isnull=True,
    )
    volunteers = Volunteer.programmes.through.objects.filter(
        programme=OuterRef("pk"),
        volunteer__status=Volunteer.Status.APPROVED,
        volunteer__open_matches__lt=F("volunteer__capacity"),
    )
    matches = Match.objects.filter(programme=OuterRef("pk")).exclude(state=Match.State.ENDED)
    programmes = list(
        permissions.programmes_visible(user)
        .select_related("organisation")
        .annotate(waiting=_count(newcomers), available=_count(volunteers), open_matches=_count(matches))
        .order_by("organisation__name", "name")
    )
    pending = dict(
        Proposal.objects.filter(state=Proposal.State.PENDING, run__programme__in=programmes)
        .values_list("run__programme")
        .annotate(n=Count("id"))
    )
    return [ProgrammeOverview(p, p.waiting, p.available, p.open_matches, pending.get(p.pk, 0)) for p in programmes]


def newcomers_of_social_worker(
    *, user: User, search: str = "", status: str = "", programme_id: int | None = None
) -> QuerySet[Newcomer]:
    """The newcomers a social worker follows (their own, and their unit's where shared), newest
    first; `search` matches each word against the first or last name, or a birth year.

    Lazy: 1 query for the unit memberships when it is built; a page of it is then 1 for the
    newcomers and 1 for their programmes (and 1 to count them).
    """
    newcomers = permissions.newcomers_followed(user)
    for word in search.split()[:5]:
        if word.isdecimal() and len(word) == 4:
            newcomers = newcomers.filter(birth_year=int(word))
        else:
            newcomers = newcomers.filter(Q(first_name__icontains=word) | Q(last_name__icontains=word))
    if status:
        newcomers = newcomers.filter(status=status)
    if programme_id is not None:
        newcomers = newcomers.filter(programmes=programme_id)
    return newcomers.prefetch_related("programmes").order_by("-registered_on", "-id")


def programmes_of_social_worker(*, user: User) -> list[Programme]:
    """The programmes a social worker registers newcomers in: her organisations' (1 query)."""
    return list(
        Programme.objects.filter(organisation__in=permissions.organisations_registering_newcomers(user)).order_by(
            "name"
        )
    )


def volunteer_of(*, user: User) -> Volunteer | None:
    """The user's own volunteer profile, if they have one."""
    if not user.is_authenticated:
        return None
    return Volunteer.objects.filter(user=user).select_related("organisation").first()


def own_open_match(*, volunteer: Volunteer | None, pk: int) -> Match:
    """One of the volunteer's own open matches; 404 for any other, hers or not."""
    if volunteer is None:
        raise Http404
    return get_object_or_404(
        Match.objects.select_related("volunteer", "programme").exclude(state=Match.State.ENDED),
        volunteer=volunteer,
        pk=pk,
    )


def volunteer_overview(*, user: User) -> tuple[Volunteer | None, list[Match]]:
    """A volunteer's own profile and matches (open ones first)."""
    volunteer = volunteer_of(user=user)
    if volunteer is None:
        return None, []
    matches: list[Match] = list(
        volunteer.matches.select_related("newcomer", "programme")
        .annotate(meetings_logged=Count("meetings"), last_meeting_on=Max("meetings__on"))
        .order_by("ended_on", "-started_on")
    )
    return volunteer, matches


# --- Signing up ---------------------------------------------------------------------------


def application_draft_of(*, user: User) -> ApplicationDraft | None:
    """The application she has begun and not yet sent, with the organisation she chose (1 query)."""
    return ApplicationDraft.objects.select_related("organisation").filter(user=user).first()


def organisation_by_slug(slug: str | None) -> Organisation | None:
    if not slug:
        return None
    return Organisation.objects.filter(slug=slug).first()


def organisations_recruiting() -> list[Organisation]:
    """Organisations with active programmes, each with those programmes (2 queries)."""
    active = Programme.objects.filter(active=True).order_by("name")
    return list(
        Organisation.objects.filter(programmes__active=True)
        .distinct()
        .order_by("name")
        .prefetch_related(Prefetch("programmes", queryset=active, to_attr="active_programmes"))
    )


# --- Describing a person in words --------------------------------------------------------


def describe_person(facts: dict[str, Any], *, programmes: Iterable[Programme] = ()) -> list[tuple[str, str]]:
    """(label, value) lines for what a person told us, in the active language."""
    lines: list[tuple[str, str]] = []

    def add(label: str, value: object) -> None:
        if value not in (None, "", []):
            lines.append((str(label), str(value)))

    name = f"{facts.get('first_name', '')} {facts.get('last_name', '')}".strip()
    add(_("Namn"), name)
    add(_("Telefon"), facts.get("phone"))
    add(_("Födelseår"), facts.get("birth_year"))
    if facts.get("gender"):
        add(_("Kön"), Gender(facts["gender"]).label)
    if programmes:
        add(_("Program"), ", ".join(f"{p.name} ({p.organisation})" for p in programmes))
    add(_("Språk"), ", ".join(vocabulary.language_names(facts.get("languages", []))))
    if facts.get("swedish_level"):
        add(_("Svenska"), SwedishLevel(facts["swedish_level"]).label)
    add(_("Intressen"), ", ".join(vocabulary.interest_label(tag) for tag in facts.get("interests", [])))
    add(_("Tider"), vocabulary.slot_labels(facts.get("availability")))
    place = facts.get("place") or {}
    add(_("Plats"), " ".join(x for x in (place.get("postcode", ""), place.get("locality", "")) if x))
    if "gender_preference" in facts:
        pref = facts["gender_preference"]
        add(_("Vill träffa"), GenderPreference(pref).label if pref else _("Det spelar ingen roll"))
    if "wants_family" in facts:
        add(
            _("En familj eller en person"),
            {True: _("En familj"), False: _("En person")}.get(facts["wants_family"], _("Det spelar ingen roll")),
        )
    low, high = facts.get("wants_age_min"), facts.get("wants_age_max")
    if low is not None or high is not None:
        add(_("Den nyanländes ålder"), vocabulary.age_range(low, high))
    add(_("Kan träffa samtidigt"), facts.get("capacity"))
    add(_("Vuxna i hushållet"), facts.get("household_adults"))
    add(_("Barnens åldrar"), vocabulary.ages_in_order(facts.get("household_children_ages")))
    return lines


def describe_volunteer(volunteer: Volunteer) -> list[tuple[str, str]]:
    facts = {name: getattr(volunteer, name) for name in Volunteer.FACTS}
    facts["place"] = {"postcode": volunteer.postcode, "locality": volunteer.locality}
    return describe_person(facts, programmes=list(volunteer.programmes.all()))


# --- Screening volunteers -----------------------------------------------------------------


def volunteers_for_screening(*, user: User, status: str | None = None) -> tuple[QuerySet[Volunteer], dict[str, int]]:
    """The volunteers a coordinator screens (latest change first), filtered by status, and how
    many there are in each status.

    Queries: 1 for the user's memberships, 1 for the counts by status; the queryset, once a
    page of it is read, 1 for the volunteers with their organisation and 1 for their programmes.
    """
    visible = permissions.volunteers_screenable(user)
    counts = dict(visible.values_list("status").annotate(n=Count("id")).order_by())
    volunteers = visible.select_related("organisation").prefetch_related("programmes")
    if status:
        volunteers = volunteers.filter(status=status)
    latest_first = F("status_changed_at").desc(nulls_last=True)
    return volunteers.order_by(latest_first, "-created_at", "-id"), counts


def volunteer_for_screening(*, user: User, pk: int) -> Volunteer:
    """One volunteer a coordinator may screen, with history; 404 for anyone else."""
    return get_object_or_404(
        permissions.volunteers_screenable(user)
        .select_related("organisation")
        .prefetch_related(
            "programmes",
            Prefetch(
                "screening_events", queryset=ScreeningEvent.objects.select_related("by").prefetch_related("programmes")
            ),
        ),
        pk=pk,
    )


# --- Newcomers ----------------------------------------------------------------------------


def newcomer_for_social_worker(*, user: User, pk: int) -> Newcomer:
    """One newcomer the social worker follows, with programmes and matches; 404 for anyone else."""
    return get_object_or_404(
        permissions.newcomers_followed(user)
        .select_related("organisation", "registered_by", "consent_recorded_by")
        .prefetch_related(
            "programmes", Prefetch("matches", queryset=Match.objects.select_related("volunteer", "programme"))
        ),
        pk=pk,
    )


def describe_newcomer(newcomer: Newcomer) -> list[tuple[str, str]]:
    """What the social worker registered, in words (the consent record is shown on its own)."""
    facts = {name: getattr(newcomer, name) for name in Newcomer.FACTS}
    facts["place"] = {"postcode": newcomer.postcode, "locality": newcomer.locality}
    lines = describe_person(facts, programmes=list(newcomer.programmes.all()))
    lines.insert(1, (str(_("Målgrupp")), str(newcomer.get_target_group_display())))
    if newcomer.interpreter_needed:
        language = (
            vocabulary.language_names([newcomer.interpreter_language])[0] if newcomer.interpreter_language else ""
        )
        lines.append((str(_("Tolk")), str(_("Behövs")) + (f" ({language})" if language else "")))
    if newcomer.needs:
        lines.append((str(_("Behov och önskemål")), newcomer.needs))
    return lines
