"""Every read in the befriending domain that more than one caller needs."""

from dataclasses import dataclass

from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from accounts import permissions
from accounts.models import Organisation, User
from coordinator import vocabulary
from coordinator.models import Gender, Match, Newcomer, Programme, Proposal, ScreeningEvent, Volunteer


@dataclass(frozen=True)
class ProgrammeOverview:
    programme: Programme
    waiting_newcomers: int
    available_volunteers: int
    open_matches: int
    pending_proposals: int


def programme_overviews(*, user: User) -> list[ProgrammeOverview]:
    """The programmes a user may see, each with its headline figures.

    Queries: 1 for the user's memberships, 1 for the programmes with three counts
    annotated, 1 for the pending proposals per programme.
    """
    programmes = list(
        permissions.programmes_visible(user)
        .select_related("organisation")
        .annotate(
            waiting=Count(
                "newcomers",
                filter=Q(
                    newcomers__status=Newcomer.Status.WAITING,
                    newcomers__consent_given_at__isnull=False,
                    newcomers__consent_withdrawn_at__isnull=True,
                ),
                distinct=True,
            ),
            available=Count(
                "volunteers",
                filter=Q(
                    volunteers__status=Volunteer.Status.APPROVED, volunteers__open_matches__lt=F("volunteers__capacity")
                ),
                distinct=True,
            ),
            open_matches=Count("matches", filter=~Q(matches__state=Match.State.ENDED), distinct=True),
        )
        .order_by("organisation__name", "name")
    )
    pending = dict(
        Proposal.objects.filter(state=Proposal.State.PENDING, run__programme__in=programmes)
        .values_list("run__programme")
        .annotate(n=Count("id"))
    )
    return [ProgrammeOverview(p, p.waiting, p.available, p.open_matches, pending.get(p.pk, 0)) for p in programmes]


def newcomers_of_social_worker(*, user: User) -> list[Newcomer]:
    """The newcomers a social worker follows (their own, and their unit's where shared), newest first.

    Queries: 1 for the unit memberships, 1 for the newcomers, 1 for their programmes.
    """
    return list(permissions.newcomers_followed(user).prefetch_related("programmes").order_by("-registered_on", "-id"))


def volunteer_of(*, user: User) -> Volunteer | None:
    """The user's own volunteer profile, if they have one."""
    if not user.is_authenticated:
        return None
    return Volunteer.objects.filter(user=user).select_related("organisation").first()


def volunteer_overview(*, user: User) -> tuple[Volunteer | None, list[Match]]:
    """A volunteer's own profile and matches (open ones first)."""
    volunteer = volunteer_of(user=user)
    if volunteer is None:
        return None, []
    matches = list(volunteer.matches.select_related("newcomer", "programme").order_by("ended_on", "-started_on"))
    return volunteer, matches


# --- Signing up ---------------------------------------------------------------------------


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


def _yes_no(value) -> str:
    return _("Ja") if value else _("Nej")


def describe_person(facts: dict, *, programmes=()) -> list[tuple[str, str]]:
    """(label, value) lines for what a person told us, in the active language."""
    from coordinator.models import Gender, GenderPreference, SwedishLevel

    lines: list[tuple[str, str]] = []

    def add(label, value):
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
    add(_("Tider"), ", ".join(vocabulary.slot_label(slot) for slot in facts.get("availability", [])))
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
        add(_("Ålder"), f"{low if low is not None else ''}–{high if high is not None else ''}")
    add(_("Kan träffa samtidigt"), facts.get("capacity"))
    add(_("Vuxna i hushållet"), facts.get("household_adults"))
    add(_("Barnens åldrar"), ", ".join(str(a) for a in facts.get("household_children_ages", [])))
    return lines


def describe_volunteer(volunteer: Volunteer) -> list[tuple[str, str]]:
    facts = {
        name: getattr(volunteer, name)
        for name in (
            "first_name",
            "last_name",
            "phone",
            "birth_year",
            "gender",
            "languages",
            "swedish_level",
            "interests",
            "availability",
            "gender_preference",
            "wants_family",
            "wants_age_min",
            "wants_age_max",
            "capacity",
            "household_adults",
            "household_children_ages",
        )
    }
    facts["place"] = {"postcode": volunteer.postcode, "locality": volunteer.locality}
    return describe_person(facts, programmes=list(volunteer.programmes.all()))


# --- Screening volunteers -----------------------------------------------------------------


def volunteers_for_screening(*, user: User, status: str | None = None) -> tuple[QuerySet, dict[str, int]]:
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
            "programmes", Prefetch("screening_events", queryset=ScreeningEvent.objects.select_related("by"))
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
    facts = {
        name: getattr(newcomer, name)
        for name in (
            "first_name",
            "last_name",
            "phone",
            "birth_year",
            "gender",
            "languages",
            "swedish_level",
            "interests",
            "availability",
            "gender_preference",
            "household_adults",
            "household_children_ages",
        )
    }
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


# --- The pool the engine reads ------------------------------------------------------------


def _person_record(p, prefix: str) -> dict:
    record = {
        "id": f"{prefix}{p.pk}",
        "languages": list(p.languages),
        "interests": list(p.interests),
        "availability": list(p.availability),
        "gender": p.gender or None,
        "birth_year": p.birth_year,
        "gender_preference": p.gender_preference or None,
        "household": {
            "adults": p.household_adults,
            "children": len(p.household_children_ages),
            "children_ages": sorted(p.household_children_ages),
        },
    }
    if p.latitude is not None and p.longitude is not None:
        record["location"] = {"lat": p.latitude, "lon": p.longitude}
    return record


def _wish_exclusions(volunteers: list[Volunteer], newcomers: list[Newcomer], reference_date) -> dict[int, list[str]]:
    """Newcomers each volunteer asked not to meet (a family or one person; an age range), as
    exclusions: the engine's rules stay the spec's, and the wish is kept."""
    import numpy as np

    if not newcomers:
        return {}
    ages = np.array([reference_date.year - n.birth_year if n.birth_year else -1 for n in newcomers])
    family = np.array([bool(n.household_children_ages) or n.household_adults > 1 for n in newcomers])
    ids = np.array([f"n{n.pk}" for n in newcomers])
    out = {}
    for v in volunteers:
        if v.wants_family is None and v.wants_age_min is None and v.wants_age_max is None:
            continue
        unwanted = np.zeros(len(newcomers), bool)
        if v.wants_family is not None:
            unwanted |= family != v.wants_family
        if v.wants_age_min is not None:
            unwanted |= (ages >= 0) & (ages < v.wants_age_min)
        if v.wants_age_max is not None:
            unwanted |= (ages >= 0) & (ages > v.wants_age_max)
        if unwanted.any():
            out[v.pk] = ids[unwanted].tolist()
    return out


def matching_problem(*, programme: Programme, reference_date) -> dict:
    """The programme's pool as a ``vanmatch.problem/1`` document, for the engine.

    Newcomers: in the programme, consented, not inactive, without an open match here.
    Volunteers: approved, in the programme, with room (their places taken in other programmes
    do not count here), and any volunteer of a locked pair. Locked pairs: this programme's
    open matches and the pairs coordinators locked. Exclusions: declined proposals and the
    volunteers' own wishes (a family or one person, an age range).

    Queries: 5, whatever the size of the pool (open matches, locks, declined pairs,
    newcomers, volunteers with their open matches here counted).
    """
    open_here = list(
        Match.objects.filter(programme=programme, state__in=Match.OPEN_STATES).values_list(
            "newcomer_id", "volunteer_id"
        )
    )
    locks = list(programme.locks.values_list("newcomer_id", "volunteer_id"))
    declined = list(
        Proposal.objects.filter(run__programme=programme, state=Proposal.State.DECLINED)
        .values_list("newcomer_id", "volunteer_id")
        .distinct()
    )
    matched_here = {n for n, _v in open_here}
    newcomers = [
        n
        for n in Newcomer.objects.filter(
            programmes=programme, consent_given_at__isnull=False, consent_withdrawn_at__isnull=True
        )
        .exclude(status=Newcomer.Status.INACTIVE)
        .order_by("registered_on", "id")
        if n.pk not in matched_here
    ]
    locked_volunteers = {v for _n, v in open_here} | {v for _n, v in locks}
    volunteers = list(
        Volunteer.objects.filter(programmes=programme)
        .filter(Q(status=Volunteer.Status.APPROVED, open_matches__lt=F("capacity")) | Q(pk__in=locked_volunteers))
        .annotate(
            open_here=Count("matches", filter=Q(matches__programme=programme, matches__state__in=Match.OPEN_STATES))
        )
        .order_by("id")
    )
    excluded: dict[int, list[str]] = {}
    for n_id, v_id in declined:
        excluded.setdefault(n_id, []).append(f"v{v_id}")
    wishes = _wish_exclusions(volunteers, newcomers, reference_date)
    newcomer_records = []
    for n in newcomers:
        record = _person_record(n, "n")
        record["registered_on"] = n.registered_on.isoformat()
        record["swedish_level"] = n.swedish_level
        record["exclude"] = sorted(set(excluded.get(n.pk, [])))
        newcomer_records.append(record)
    volunteer_records = []
    for v in volunteers:
        record = _person_record(v, "v")
        # Places taken in other programmes are gone; this programme's open matches come as locked pairs.
        record["capacity"] = max(1, v.capacity - (v.open_matches - v.open_here))
        if v.status != Volunteer.Status.APPROVED or v.capacity - (v.open_matches - v.open_here) < 1:
            record["capacity"] = max(1, v.open_here)  # listed only for its locked pairs: no room for more
        record["background_checked"] = v.background_checked(reference_date)
        record["exclude"] = wishes.get(v.pk, [])
        volunteer_records.append(record)
    listed = {v.pk for v in volunteers}
    locked = [
        {"newcomer": f"n{n}", "volunteer": f"v{v}"} for n, v in sorted(set(open_here) | set(locks)) if v in listed
    ]
    return {
        "format": "vanmatch.problem/1",
        "reference_date": reference_date.isoformat(),
        "programme": {
            "kind": programme.kind,
            "max_distance_km": programme.max_distance_km,
            "weights": programme.weights or {},
        },
        "newcomers": newcomer_records,
        "volunteers": volunteer_records,
        "locked": locked,
    }


def pair_problem(*, programme: Programme, newcomer: Newcomer, volunteer: Volunteer, reference_date) -> dict:
    """A ``vanmatch.problem/1`` of just this pair, with all that binds them, for the engine's rules.

    The volunteer's capacity is their whole capacity: each open match (here as a locked pair,
    elsewhere as a placeholder pair) counts against it, as do pairs locked here. A newcomer
    already matched or locked here with someone else is in a locked pair.
    """
    pairs_here = set(
        Match.objects.filter(programme=programme, state__in=Match.OPEN_STATES)
        .filter(Q(volunteer=volunteer) | Q(newcomer=newcomer))
        .values_list("newcomer_id", "volunteer_id")
    ) | set(
        programme.locks.filter(Q(volunteer=volunteer) | Q(newcomer=newcomer)).values_list("newcomer_id", "volunteer_id")
    )
    open_here = Match.objects.filter(programme=programme, volunteer=volunteer, state__in=Match.OPEN_STATES).count()
    declined = Proposal.objects.filter(
        run__programme=programme, state=Proposal.State.DECLINED, newcomer=newcomer, volunteer=volunteer
    ).exists()
    n = _person_record(newcomer, "n")
    n["registered_on"] = newcomer.registered_on.isoformat()
    n["swedish_level"] = newcomer.swedish_level
    n["exclude"] = [f"v{volunteer.pk}"] if declined else []
    v = _person_record(volunteer, "v")
    v["capacity"] = volunteer.capacity
    v["background_checked"] = volunteer.background_checked(reference_date)
    v["exclude"] = _wish_exclusions([volunteer], [newcomer], reference_date).get(volunteer.pk, [])
    volunteers = [v]
    locked = []
    for a, b in sorted(pairs_here):
        if b == volunteer.pk:
            locked.append({"newcomer": f"n{a}", "volunteer": f"v{b}"})
        else:  # the newcomer, with someone else
            volunteers.append({"id": f"v{b}", "languages": ["sv"]})
            locked.append({"newcomer": f"n{a}", "volunteer": f"v{b}"})
    locked += [
        {"newcomer": f"elsewhere{k}", "volunteer": f"v{volunteer.pk}"}
        for k in range(volunteer.open_matches - open_here)
    ]
    return {
        "format": "vanmatch.problem/1",
        "reference_date": reference_date.isoformat(),
        "programme": {
            "kind": programme.kind,
            "max_distance_km": programme.max_distance_km,
            "weights": programme.weights or {},
        },
        "newcomers": [n],
        "volunteers": volunteers,
        "locked": locked,
    }


def newcomer_facts_for_volunteer(newcomer: Newcomer, *, reference_date=None) -> list[tuple[str, str]]:
    """What the volunteer may be told about the newcomer: only the facts the newcomer consented
    to share (social-services secrecy covers the rest)."""
    from django.utils import timezone

    shared = set(newcomer.consent_shareable) if newcomer.has_consent else set()
    lines: list[tuple[str, str]] = []
    if "first_name" in shared:
        lines.append((str(_("Förnamn")), newcomer.first_name))
    if "languages" in shared:
        lines.append((str(_("Språk")), ", ".join(vocabulary.language_names(newcomer.languages))))
    if "interests" in shared and newcomer.interests:
        lines.append((str(_("Intressen")), ", ".join(vocabulary.interest_label(t) for t in newcomer.interests)))
    if "age" in shared and newcomer.birth_year:
        year = (reference_date or timezone.localdate()).year
        lines.append((str(_("Ålder")), str(_("omkring %(age)s år") % {"age": year - newcomer.birth_year})))
    if "household" in shared:
        children = newcomer.household_children_ages
        text = str(_("%(adults)s vuxna") % {"adults": newcomer.household_adults})
        if children:
            text += ", " + str(_("barn: %(ages)s år") % {"ages": ", ".join(str(a) for a in sorted(children))})
        lines.append((str(_("Hushåll")), text))
    if "locality" in shared and newcomer.locality:
        lines.append((str(_("Ort")), newcomer.locality))
    if "phone" in shared and newcomer.phone:
        lines.append((str(_("Telefon")), newcomer.phone))
    return lines


def newcomer_name_for_volunteer(newcomer: Newcomer) -> str:
    if newcomer.has_consent and "first_name" in newcomer.consent_shareable:
        return newcomer.first_name
    return str(_("en nyanländ"))


# --- Reminders ----------------------------------------------------------------------------


def _coordinators_by_organisation(organisation_ids) -> dict[int, list[User]]:
    from accounts.models import Membership, Role

    out: dict[int, list[User]] = {}
    for m in Membership.objects.filter(
        organisation_id__in=organisation_ids, role=Role.COORDINATOR, user__is_active=True
    ).select_related("user"):
        out.setdefault(m.organisation_id, []).append(m.user)
    return out


def follow_ups_due_by_coordinator(*, until) -> list[tuple[User, list]]:
    """Each coordinator with the open matches' follow-ups due by `until` in their organisations."""
    from coordinator.models import FollowUp

    due = list(
        FollowUp.objects.filter(done_on__isnull=True, due_on__lte=until)
        .exclude(match__state=Match.State.ENDED)
        .select_related("match__programme", "match__newcomer", "match__volunteer")
        .order_by("due_on", "id")
    )
    coordinators = _coordinators_by_organisation({f.match.programme.organisation_id for f in due})
    per_user: dict[int, tuple[User, list]] = {}
    for f in due:
        for user in coordinators.get(f.match.programme.organisation_id, []):
            per_user.setdefault(user.pk, (user, []))[1].append(f)
    return list(per_user.values())


def matches_ending_by(*, until) -> list[tuple[Match, list[User]]]:
    """Open matches whose planned end is by `until`, with their organisation's coordinators."""
    matches = list(
        Match.objects.filter(state__in=Match.OPEN_STATES, planned_end_on__lte=until)
        .select_related("programme", "newcomer", "volunteer")
        .order_by("planned_end_on", "id")
    )
    coordinators = _coordinators_by_organisation({m.programme.organisation_id for m in matches})
    return [(m, coordinators.get(m.programme.organisation_id, [])) for m in matches]


# --- The coordinator's programme pages --------------------------------------------------------

WAIT_BANDS = [(0, 30), (31, 90), (91, 180), (181, None)]


def programme_for_staff(*, user: User, pk: int) -> Programme:
    """A programme the user coordinates or administers; 404 for anyone else."""
    return get_object_or_404(permissions.programmes_visible(user).select_related("organisation"), pk=pk)


def programme_dashboard(*, programme: Programme, today) -> dict:
    """Everything on a programme's dashboard.

    Queries: 9, whatever the size of the programme: the waiting newcomers (with the dates
    needed for waiting time), available volunteers, pending proposals, matches by state,
    follow-ups due, matches ending soon, the latest run, locks, and the longest waiting.
    """
    from datetime import timedelta

    from coordinator.models import FollowUp, MatchingRun

    matched_here = Match.objects.filter(programme=programme, state__in=Match.OPEN_STATES).values("newcomer_id")
    waiting = (
        Newcomer.objects.filter(programmes=programme, consent_given_at__isnull=False, consent_withdrawn_at__isnull=True)
        .exclude(status=Newcomer.Status.INACTIVE)
        .exclude(pk__in=matched_here)
    )
    registered = list(waiting.values_list("registered_on", flat=True))
    days = [(today - d).days for d in registered]
    bands = []
    for low, high in WAIT_BANDS:
        n = sum(1 for d in days if d >= low and (high is None or d <= high))
        bands.append({"low": low, "high": high, "count": n})
    top = max([b["count"] for b in bands] + [1])
    for b in bands:
        b["percent"] = round(100 * b["count"] / top)
    available = Volunteer.objects.filter(
        programmes=programme, status=Volunteer.Status.APPROVED, open_matches__lt=F("capacity")
    ).count()
    pending = Proposal.objects.filter(run__programme=programme, state=Proposal.State.PENDING).count()
    by_state = dict(Match.objects.filter(programme=programme).values_list("state").annotate(n=Count("id")).order_by())
    follow_ups = list(
        FollowUp.objects.filter(
            match__programme=programme, done_on__isnull=True, due_on__lte=today + timedelta(days=14)
        )
        .exclude(match__state=Match.State.ENDED)
        .select_related("match__newcomer", "match__volunteer")
        .order_by("due_on", "id")[:50]
    )
    ending = list(
        Match.objects.filter(
            programme=programme, state__in=Match.OPEN_STATES, planned_end_on__lte=today + timedelta(days=30)
        )
        .select_related("newcomer", "volunteer")
        .order_by("planned_end_on", "id")[:50]
    )
    latest_run = MatchingRun.objects.filter(programme=programme).order_by("-created_at", "-id").first()
    longest = list(waiting.order_by("registered_on", "id")[:10])
    states = [{"state": value, "label": label, "count": by_state.get(value, 0)} for value, label in Match.State.choices]
    top_state = max([s["count"] for s in states] + [1])
    for s in states:
        s["percent"] = round(100 * s["count"] / top_state)
    return {
        "waiting": len(registered),
        "waited_median": sorted(days)[len(days) // 2] if days else 0,
        "wait_bands": bands,
        "available": available,
        "pending": pending,
        "states": states,
        "follow_ups": follow_ups,
        "overdue": sum(1 for f in follow_ups if f.due_on < today),
        "ending": ending,
        "latest_run": latest_run,
        "longest_waiting": [(n, (today - n.registered_on).days) for n in longest],
    }


def proposal_queue(*, programme: Programme) -> dict:
    """The pending proposals, best first, with both people; and the locked pairs.

    Queries: 3, whatever the number of proposals (proposals with both people, locks with
    both people, the latest finished run).
    """
    from coordinator.models import MatchingRun, PairLock

    proposals = list(
        Proposal.objects.filter(run__programme=programme, state=Proposal.State.PENDING)
        .select_related("newcomer", "volunteer", "run")
        .order_by("-score", "id")
    )
    locks = list(PairLock.objects.filter(programme=programme).select_related("newcomer", "volunteer"))
    run = (
        MatchingRun.objects.filter(programme=programme, status=MatchingRun.Status.DONE)
        .defer("problem")
        .order_by("-finished_at", "-id")
        .first()
    )
    return {"proposals": proposals, "locks": locks, "run": run}


def pool_for_manual_match(*, programme: Programme) -> tuple[list[Newcomer], list[Volunteer]]:
    """Whom a coordinator may pair by hand: waiting, consented newcomers without a match here,
    and approved volunteers with room (2 queries)."""
    matched_here = Match.objects.filter(programme=programme, state__in=Match.OPEN_STATES).values("newcomer_id")
    newcomers = list(
        Newcomer.objects.filter(programmes=programme, consent_given_at__isnull=False, consent_withdrawn_at__isnull=True)
        .exclude(status=Newcomer.Status.INACTIVE)
        .exclude(pk__in=matched_here)
        .order_by("first_name", "last_name", "id")
    )
    volunteers = list(
        Volunteer.objects.filter(
            programmes=programme, status=Volunteer.Status.APPROVED, open_matches__lt=F("capacity")
        ).order_by("first_name", "last_name", "id")
    )
    return newcomers, volunteers


def match_for_staff(*, user: User, pk: int) -> Match:
    """One match in a programme the user coordinates; 404 for anyone else."""
    from coordinator.models import FollowUp

    return get_object_or_404(
        Match.objects.filter(programme__in=permissions.programmes_visible(user))
        .select_related("programme__organisation", "newcomer", "volunteer", "created_by", "ended_by")
        .prefetch_related(Prefetch("follow_ups", queryset=FollowUp.objects.select_related("recorded_by"))),
        pk=pk,
    )


def matches_of_programme(*, programme: Programme, state: str | None) -> QuerySet:
    matches = Match.objects.filter(programme=programme).select_related("newcomer", "volunteer")
    if state:
        matches = matches.filter(state=state)
    return matches.order_by("-started_on", "-id")


def unmatched_of_run(run) -> list[dict]:
    """The newcomers a run left unmatched, with the engine's reason code, joined to their names."""
    if run is None or not run.solution:
        return []
    unmatched = run.solution.get("unmatched", [])
    ids = [int(u["newcomer"][1:]) for u in unmatched]
    people = Newcomer.objects.in_bulk(ids)
    return [
        {"newcomer": people.get(int(u["newcomer"][1:])), "code": u.get("code", ""), "reason": u.get("reason", "")}
        for u in unmatched
        if int(u["newcomer"][1:]) in people
    ]


# --- Exports and the funder report -------------------------------------------------------------

AGE_BANDS = [(0, 17), (18, 25), (26, 35), (36, 50), (51, 65), (66, None)]


def _age_band(birth_year, on) -> str:
    if not birth_year:
        return str(_("Okänd"))
    age = on.year - birth_year
    for low, high in AGE_BANDS:
        if high is None or age <= high:
            return f"{low}–{high}" if high is not None else f"{low}+"
    return str(_("Okänd"))


def export_people(*, organisation, kind: str) -> list[list]:
    """Everyone of one kind in the organisation, as the import template's columns (so an export
    can be corrected and imported again). Free text (needs, notes) is never exported.

    Queries: 2 (the people, their programmes).
    """
    from coordinator import importing

    model = Volunteer if kind == "volunteers" else Newcomer
    keys = importing.columns_for(kind)
    rows = [[importing.COLUMNS[k][0] for k in keys]]
    people = model.objects.filter(organisation=organisation).prefetch_related("programmes").order_by("id")
    for p in people:
        value = {
            "external_ref": p.external_ref or f"{importing.OWN_REF}{p.pk}",
            "first_name": p.first_name,
            "last_name": p.last_name,
            "email": getattr(p, "email", ""),
            "phone": p.phone,
            "birth_year": p.birth_year or "",
            "gender": p.get_gender_display() if p.gender else "",
            "languages": ", ".join(vocabulary.language_names(p.languages)),
            "swedish_level": p.get_swedish_level_display(),
            "interests": ", ".join(p.interests),
            "availability": ", ".join(vocabulary.slot_label(s) for s in p.availability),
            "postcode": p.postcode,
            "locality": p.locality,
            "gender_preference": p.get_gender_preference_display() if p.gender_preference else "",
            "household_adults": p.household_adults,
            "children_ages": ", ".join(str(a) for a in p.household_children_ages),
            "programmes": ", ".join(pr.name for pr in p.programmes.all()),
            "capacity": getattr(p, "capacity", ""),
            "status": p.get_status_display(),
            "target_group": p.get_target_group_display() if kind == "newcomers" else "",
            "registered_on": p.registered_on.isoformat() if kind == "newcomers" else "",
            "consent_given_on": p.consent_given_at.date().isoformat()
            if kind == "newcomers" and p.consent_given_at
            else "",
            "consent_method": p.get_consent_method_display() if kind == "newcomers" else "",
            "consent_shareable": ", ".join(p.shareable_labels) if kind == "newcomers" else "",
            "interpreter_language": (
                vocabulary.language_names([p.interpreter_language])[0]
                if kind == "newcomers" and p.interpreter_language
                else ""
            ),
        }
        rows.append([str(value[k]) if value[k] is not None else "" for k in keys])
    return rows


def export_matches(*, organisation) -> list[list]:
    """The organisation's matches, one row each (1 query)."""
    rows = [
        [
            str(_("Program")),
            str(_("Nyanländ")),
            str(_("Volontär")),
            str(_("Läge")),
            str(_("Start")),
            str(_("Provperioden slutar")),
            str(_("Planerat slut")),
            str(_("Avslutad")),
            str(_("Orsak")),
        ]
    ]
    for m in (
        Match.objects.filter(programme__organisation=organisation)
        .select_related("programme", "newcomer", "volunteer")
        .order_by("started_on", "id")
    ):
        rows.append(
            [
                m.programme.name,
                str(m.newcomer),
                str(m.volunteer),
                str(m.get_state_display()),
                m.started_on.isoformat(),
                m.trial_ends_on.isoformat(),
                m.planned_end_on.isoformat(),
                m.ended_on.isoformat() if m.ended_on else "",
                str(m.get_end_reason_display()) if m.end_reason else "",
            ]
        )
    return rows


def funder_report(*, organisation, start, end) -> dict:
    """The figures a funder asks for (Länsstyrelsen, §37a), for a period and an organisation.

    Who took part: the newcomers and volunteers in a match that was open at some time in the
    period. Matches started, open, and ended (by reason) in the period; follow-ups done in it.
    Newcomers split by programme, target group, gender, age band and locality; volunteers by
    gender and age band. Queries: 3.
    """
    from collections import Counter

    from coordinator.models import FollowUp, TargetGroup

    matches = list(
        Match.objects.filter(programme__organisation=organisation, started_on__lte=end)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=start))
        .select_related("programme", "newcomer", "volunteer")
    )
    follow_ups_done = FollowUp.objects.filter(
        match__programme__organisation=organisation, done_on__gte=start, done_on__lte=end
    ).count()
    programmes = list(organisation.programmes.order_by("name"))
    newcomers = {m.newcomer_id: m.newcomer for m in matches}
    volunteers = {m.volunteer_id: m.volunteer for m in matches}
    newcomer_programmes = Counter()
    for m in matches:
        newcomer_programmes[m.programme.name] += 1
    started = [m for m in matches if m.started_on >= start]
    ended = [m for m in matches if m.ended_on and start <= m.ended_on <= end]
    end_reasons = Counter(str(m.get_end_reason_display()) for m in ended)

    def table(counter: Counter, order=None) -> list[tuple[str, int]]:
        keys = order if order is not None else sorted(counter, key=lambda k: (-counter[k], k))
        return [(k, counter.get(k, 0)) for k in keys]

    gender_label = dict(Gender.choices)
    unknown = str(_("Okänd"))
    bands = [f"{lo}–{hi}" if hi is not None else f"{lo}+" for lo, hi in AGE_BANDS] + [unknown]
    by_programme = Counter()
    for p in programmes:
        by_programme[p.name] = sum(1 for m in matches if m.programme_id == p.pk)
    return {
        "organisation": organisation,
        "start": start,
        "end": end,
        "totals": [
            (str(_("Nyanlända som deltog")), len(newcomers)),
            (str(_("Volontärer som deltog")), len(volunteers)),
            (str(_("Matchningar som startade")), len(started)),
            (str(_("Matchningar som pågick under perioden")), len(matches)),
            (str(_("Matchningar som avslutades")), len(ended)),
            (str(_("Uppföljningar som gjordes")), follow_ups_done),
        ],
        "tables": [
            (str(_("Matchningar per program")), table(by_programme, [p.name for p in programmes])),
            (str(_("Avslutade matchningar per orsak")), table(end_reasons)),
            (
                str(_("Nyanlända per målgrupp")),
                table(
                    Counter(str(n.get_target_group_display()) for n in newcomers.values()),
                    [str(label) for _v, label in TargetGroup.choices],
                ),
            ),
            (
                str(_("Nyanlända per kön")),
                table(Counter(str(gender_label.get(n.gender, unknown)) for n in newcomers.values())),
            ),
            (
                str(_("Nyanlända per åldersgrupp")),
                table(Counter(_age_band(n.birth_year, end) for n in newcomers.values()), bands),
            ),
            (str(_("Nyanlända per ort")), table(Counter(n.locality or unknown for n in newcomers.values()))),
            (
                str(_("Volontärer per kön")),
                table(Counter(str(gender_label.get(v.gender, unknown)) for v in volunteers.values())),
            ),
            (
                str(_("Volontärer per åldersgrupp")),
                table(Counter(_age_band(v.birth_year, end) for v in volunteers.values()), bands),
            ),
        ],
    }
