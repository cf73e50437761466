"""Reminders, and the coordinator's programme pages: dashboard, queue, matches."""

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Case, Count, Exists, F, OuterRef, Prefetch, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts.models import Membership, Organisation, Role, User
from coordinator import permissions
from coordinator.models import (
    FollowUp,
    Gender,
    Match,
    MatchingRun,
    Newcomer,
    PairLock,
    Programme,
    Proposal,
    ScreeningEvent,
    Volunteer,
)
from coordinator.selectors import reports, waiting
from coordinator.selectors.pool import newcomers_waiting_in, volunteers_with_room_in
from coordinator.selectors.risk import matches_at_risk

# --- Reminders ----------------------------------------------------------------------------


def _coordinators_by_organisation(organisation_ids: Iterable[int]) -> dict[int, list[User]]:
    out: dict[int, list[User]] = {}
    for m in Membership.objects.filter(
        organisation_id__in=organisation_ids, role=Role.COORDINATOR, user__is_active=True
    ).select_related("user"):
        out.setdefault(m.organisation_id, []).append(m.user)
    return out


def safeguarding_to_notify(*, follow_up_id: int) -> tuple[FollowUp, list[User]] | None:
    """A check-in with a safeguarding concern and whom to tell: the organisation's
    administrators, or its coordinators when it has none (never the one who raised it alone:
    she knows). None once the concern is gone (erased, or unticked since). 2 queries."""
    follow_up = (
        FollowUp.objects.select_related("match__programme__organisation", "recorded_by")
        .filter(pk=follow_up_id, safeguarding=True)
        .first()
    )
    if follow_up is None:
        return None
    organisation_id = follow_up.match.programme.organisation_id
    members = list(
        Membership.objects.filter(
            organisation_id=organisation_id, role__in=[Role.ORG_ADMIN, Role.COORDINATOR], user__is_active=True
        ).select_related("user")
    )
    admins = [m.user for m in members if m.role == Role.ORG_ADMIN]
    others = [m.user for m in members if m.role == Role.COORDINATOR and m.user_id != follow_up.recorded_by_id]
    recipients = {u.pk: u for u in (admins or others)}
    return follow_up, sorted(recipients.values(), key=lambda u: u.pk)


def follow_ups_due_by_coordinator(*, until: date) -> list[tuple[User, list]]:
    """Each coordinator with the open matches' follow-ups due by `until` in their organisations."""
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


def background_checks_lapsing_by_coordinator(*, today: date, until: date) -> dict[int, tuple[User, list[Volunteer]]]:
    """Each coordinator with the approved volunteers of their organisations whose extract from the
    criminal records register stops holding between today and `until` (2 queries)."""
    lapsing = list(
        Volunteer.objects.filter(
            status=Volunteer.Status.APPROVED,
            background_check_expires__gte=today,
            background_check_expires__lte=until,
        ).order_by("background_check_expires", "id")
    )
    coordinators = _coordinators_by_organisation({v.organisation_id for v in lapsing})
    per_user: dict[int, tuple[User, list[Volunteer]]] = {}
    for volunteer in lapsing:
        for user in coordinators.get(volunteer.organisation_id, []):
            per_user.setdefault(user.pk, (user, []))[1].append(volunteer)
    return per_user


def matches_ending_by(*, until: date) -> list[tuple[Match, list[User]]]:
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


def what_if_pending(run: MatchingRun) -> bool:
    """Whether the answers for those the run left waiting are still to come."""
    return run.what_if is None or (isinstance(run.what_if, dict) and "working_since" in run.what_if)


def programme_for_staff(*, user: User, pk: int) -> Programme:
    """A programme the user coordinates or administers; 404 for anyone else."""
    return get_object_or_404(permissions.programmes_visible(user).select_related("organisation"), pk=pk)


AT_RISK_SHOWN = 20


def programme_dashboard(*, programme: Programme, today: date) -> dict[str, Any]:
    """Everything on a programme's dashboard.

    Queries: 10, whatever the size of the programme: the waiting newcomers (with the dates
    needed for waiting time and whether they have a place), available volunteers (and how many
    have no place), pending proposals, matches by state, follow-ups due, matches ending soon,
    the latest run, the matches at risk (selectors/risk.py), and the longest waiting.
    """
    from datetime import timedelta

    # Since she was registered, or since her match here ended: the figure, the bands and the ten.
    waiting = _waiting_since(newcomers_waiting_in(programme), programme)
    waited_from = list(waiting.values_list("waiting_since", "latitude"))
    days = [(today - d).days for d, _lat in waited_from]
    bands: list[dict[str, Any]] = []
    for low, high in WAIT_BANDS:
        n = sum(1 for d in days if d >= low and (high is None or d <= high))
        bands.append({"low": low, "high": high, "count": n})
    top = max([b["count"] for b in bands] + [1])
    for b in bands:
        b["percent"] = round(100 * b["count"] / top)
    available = volunteers_with_room_in(programme).aggregate(
        n=Count("id"), unlocated=Count("id", filter=Q(latitude__isnull=True))
    )
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
    at_risk = matches_at_risk(programmes=[programme], today=today)
    longest = list(waiting.order_by("waiting_since", "id")[:10])
    states = [{"state": value, "label": label, "count": by_state.get(value, 0)} for value, label in Match.State.choices]
    top_state = max([s["count"] for s in states] + [1])
    for s in states:
        s["percent"] = round(100 * s["count"] / top_state)
    return {
        "waiting": len(waited_from),
        "waited_median": sorted(days)[len(days) // 2] if days else 0,
        "wait_bands": bands,
        "available": available["n"],
        # People without a place pass the distance rule: they may be proposed anyone in the programme.
        "unlocated_newcomers": sum(1 for _d, lat in waited_from if lat is None),
        "unlocated_volunteers": available["unlocated"],
        "pending": pending,
        "states": states,
        "follow_ups": follow_ups,
        "overdue": sum(1 for f in follow_ups if f.due_on < today),
        "ending": ending,
        "latest_run": latest_run,
        "at_risk": at_risk[:AT_RISK_SHOWN],
        "at_risk_total": len(at_risk),
        # (newcomer, days she has waited, whether since a match here ended), as the list says it
        "longest_waiting": [(n, (today - n.waiting_since).days, n.last_match_ended is not None) for n in longest],
    }


QUEUE_PAGE_SIZE = 20


def _waiting_since(newcomers: QuerySet, programme: Programme) -> QuerySet:
    """Annotated with `last_match_ended` (her latest match here that ended, or None) and
    `waiting_since`: that day, or the day she was registered. Waiting again after a match, she
    has waited since it ended; the longest waiting first is by this day, on the dashboard and the
    list alike."""
    ended = Match.objects.filter(programme=programme, newcomer=OuterRef("pk"), ended_on__isnull=False)
    newcomers = newcomers.annotate(last_match_ended=Subquery(ended.order_by("-ended_on").values("ended_on")[:1]))
    return newcomers.annotate(waiting_since=Coalesce(F("last_match_ended"), F("registered_on")))


def _as_seen_in(newcomers: QuerySet, programme: Programme) -> QuerySet:
    """`_waiting_since`, and `status_here`: her state in this programme. Matched in another one,
    she still waits here, as the dashboard and the engine's pool count her
    (selectors/pool.newcomers_waiting_in); the list and her page both show this."""
    open_here = Match.objects.filter(programme=programme, newcomer=OuterRef("pk"), state__in=Match.OPEN_STATES)
    return _waiting_since(newcomers, programme).annotate(
        status_here=Case(
            When(status=Newcomer.Status.INACTIVE, then=Value(Newcomer.Status.INACTIVE.value)),
            When(Exists(open_here), then=Value(Newcomer.Status.MATCHED.value)),
            default=Value(Newcomer.Status.WAITING.value),
        )
    )


def _newcomers_narrowed(people: QuerySet, filters: dict, *, via: str = "") -> QuerySet:
    """Narrowed by the newcomer's `target_group` and `interpreter` ("yes"/"no") filters, and by
    the groups of who waits longest (selectors/waiting.py): `first_language` (a code), `gender`,
    `age` (a band of reports.age_bands() today), each also "unknown", and `locality` (hers,
    any case, or "–": none). `via` is the path to the newcomer ("newcomer__" from a proposal)."""
    if filters.get("target_group"):
        people = people.filter(**{f"{via}target_group": filters["target_group"]})
    if filters.get("interpreter") in ("yes", "no"):
        people = people.filter(**{f"{via}interpreter_needed": filters["interpreter"] == "yes"})
    language = filters.get("first_language")
    if language == waiting.UNKNOWN:
        people = people.filter(Q(**{f"{via}languages": []}) | Q(**{f"{via}languages__isnull": True}))
    elif language:
        people = people.filter(**{f"{via}languages__0": language})
    gender = filters.get("gender")
    if gender == waiting.UNKNOWN:
        people = people.exclude(**{f"{via}gender__in": Gender.values})
    elif gender:
        people = people.filter(**{f"{via}gender": gender})
    age = filters.get("age")
    if age == waiting.UNKNOWN:
        people = people.filter(Q(**{f"{via}birth_year__isnull": True}) | Q(**{f"{via}birth_year": 0}))
    elif age:
        people = people.filter(reports.in_age_band(age, timezone.localdate(), field=f"{via}birth_year"))
    return _in_locality(people, filters.get("locality"), via=via)


def _in_locality(people: QuerySet, locality: str | None, *, via: str = "") -> QuerySet:
    """Narrowed to a locality (any case; one more query) or, for "–", to those without one."""
    locality = (locality or "").strip()
    if not locality:
        return people
    if locality in waiting.NO_AREA_TYPED:
        return people.filter(**{f"{via}locality": ""})
    # As she may type it, "örebro" for Örebro.
    return people.filter(**{f"{via}locality__in": _spellings(people, f"{via}locality", locality)})


def _spellings(people: QuerySet, field: str, locality: str) -> list[str]:
    """How `locality` is written among `people`, any case: "Örebro", "ÖREBRO" for "örebro". Folded
    here, as who waits longest groups areas (the databases' case-blind matches differ: SQLite's
    folds only A to Z)."""
    folded = locality.casefold()
    written = people.order_by().values_list(field, flat=True).distinct()
    return [w for w in written if w.casefold() == folded]


def proposal_queue(*, programme: Programme, page: int | str | None = 1, filters: dict | None = None) -> dict:
    """One page of the pending proposals, best first, with both people; and the locked pairs.

    `filters` (all optional): `area` (the start of the newcomer's postcode, or part of her
    locality), `waited` (at least so many days since she was registered), `score` (at least),
    `language` (she speaks it), `target_group`, `interpreter` ("yes" or "no").

    Queries: 4, whatever the number of proposals (how many are pending, the page's proposals
    with both people, locks with both people, the latest finished run). The proposals' run is
    not joined: its row is not needed here.
    """
    from datetime import timedelta

    filters = filters or {}
    pending = Proposal.objects.filter(run__programme=programme, state=Proposal.State.PENDING)
    area = (filters.get("area") or "").strip()
    if area:
        digits = area.replace(" ", "")
        if digits.isdecimal():
            prefix = f"{digits[:3]} {digits[3:]}".strip()
            pending = pending.filter(newcomer__postcode__startswith=prefix)
        else:
            pending = pending.filter(newcomer__locality__icontains=area)
    if filters.get("waited"):
        since = timezone.localdate() - timedelta(days=int(filters["waited"]))
        pending = pending.filter(newcomer__registered_on__lte=since)
    if filters.get("score") is not None:
        pending = pending.filter(score__gte=filters["score"])
    if filters.get("language"):
        # The code with its quotes, in the stored JSON list: `contains` on JSON is not in SQLite.
        pending = pending.filter(newcomer__languages__icontains=f'"{filters["language"]}"')
    pending = _newcomers_narrowed(pending, filters, via="newcomer__")
    pending = pending.select_related("newcomer", "volunteer", "replaces__volunteer").order_by("-score", "id")
    shown = Paginator(pending, QUEUE_PAGE_SIZE).get_page(page)
    proposals = list(shown.object_list)
    locks = list(PairLock.objects.filter(programme=programme).select_related("newcomer", "volunteer"))
    run = (
        MatchingRun.objects.filter(programme=programme, status=MatchingRun.Status.DONE)
        .defer("unmatched", "gaps")
        .order_by("-finished_at", "-id")
        .first()
    )
    return {"proposals": proposals, "page": shown, "locks": locks, "run": run}


PAIR_SEARCH_LIMIT = 20


def _people_matching(people: QuerySet, query: str) -> QuerySet:
    """People fitting every word of `query`: a four-digit word is a birth year, other digits
    the start of a postcode ("178 32", "178"), any other word part of a name or the locality:
    "Rana 1990", "Saleh Ekerö", "Rana 178"."""
    postcode = ""
    for word in query.split():
        if word.isdecimal() and len(word) == 4:
            people = people.filter(birth_year=int(word))
        elif word.isdecimal():
            postcode += word
        else:
            people = people.filter(
                Q(first_name__icontains=word) | Q(last_name__icontains=word) | Q(locality__icontains=word)
            )
    if postcode:
        people = people.filter(postcode__startswith=f"{postcode[:3]} {postcode[3:]}".strip())
    return people


def _looked_up(eligible: QuerySet, query: str, chosen_id: int | None) -> list:
    """One more than a page of the eligible people fitting the query, the one chosen among them."""
    query = (query or "").strip()
    people = _people_matching(eligible, query) if query else eligible.none()
    if chosen_id is not None:
        people = people | eligible.filter(pk=chosen_id)
    return list(people.order_by("first_name", "last_name", "birth_year", "id").distinct()[: PAIR_SEARCH_LIMIT + 1])


def pool_for_manual_match(
    *, programme: Programme, newcomer_query: str = "", volunteer_query: str = "", chosen: tuple = (None, None)
) -> dict[str, Any]:
    """Whom a coordinator may pair by hand, and those she has looked up.

    `eligible_newcomers` / `eligible_volunteers`: querysets of everyone who may be paired
    (waiting, consented newcomers without a match here; approved volunteers with room), to check
    a choice against; never read whole. `newcomers` / `volunteers`: at most PAIR_SEARCH_LIMIT
    of each fitting the queries, with the one already chosen (by id) kept first. Queries: 2.
    """
    eligible_newcomers = newcomers_waiting_in(programme)
    eligible_volunteers = volunteers_with_room_in(programme)
    found = {
        "newcomers": _looked_up(eligible_newcomers, newcomer_query, chosen[0]),
        "volunteers": _looked_up(eligible_volunteers, volunteer_query, chosen[1]),
    }
    return {
        "eligible_newcomers": eligible_newcomers,
        "eligible_volunteers": eligible_volunteers,
        "newcomers": found["newcomers"][:PAIR_SEARCH_LIMIT],
        "volunteers": found["volunteers"][:PAIR_SEARCH_LIMIT],
        "more_newcomers": len(found["newcomers"]) > PAIR_SEARCH_LIMIT,
        "more_volunteers": len(found["volunteers"]) > PAIR_SEARCH_LIMIT,
    }


def match_for_staff(*, user: User, pk: int) -> Match:
    """One match in a programme the user coordinates; 404 for anyone else."""
    return get_object_or_404(
        Match.objects.filter(programme__in=permissions.programmes_visible(user))
        .select_related("programme__organisation", "newcomer__registered_by", "volunteer", "created_by", "ended_by")
        .prefetch_related(Prefetch("follow_ups", queryset=FollowUp.objects.select_related("recorded_by"))),
        pk=pk,
    )


def matches_of_programme(*, programme: Programme, state: str | None) -> QuerySet[Match]:
    matches = Match.objects.filter(programme=programme).select_related("newcomer", "volunteer")
    if state:
        matches = matches.filter(state=state)
    return matches.order_by("-started_on", "-id")


def unmatched_of_run(run: MatchingRun | None, *, limit: int | None = None) -> list[dict[str, Any]]:
    """The newcomers a run left unmatched (the first `limit`), with the engine's reason code,
    joined to their names; someone erased since, or no longer in the run's programme (her page
    there would be missing), is left out (1 query)."""
    if run is None:
        return []
    unmatched = run.unmatched if limit is None else run.unmatched[:limit]
    still_here = Newcomer.objects.filter(erased_at__isnull=True, programmes=run.programme_id)
    people = still_here.in_bulk([pk for pk, _code in unmatched])
    return [{"newcomer": people[pk], "code": code} for pk, code in unmatched if pk in people]


def volunteer_to_notify(*, volunteer_id: int) -> Volunteer | None:
    """A volunteer with her organisation and account, or None once she has left or been erased."""
    return (
        Volunteer.objects.select_related("organisation", "user")
        .exclude(status=Volunteer.Status.WITHDRAWN)
        .filter(pk=volunteer_id)
        .first()
    )


def screening_event_of(*, volunteer: Volunteer, event_id: int) -> ScreeningEvent | None:
    """One of the volunteer's screening steps, with the coordinator who took it."""
    return ScreeningEvent.objects.select_related("by").filter(volunteer=volunteer, pk=event_id).first()


def programmes_of_organisation(organisation: Organisation) -> list[Programme]:
    """An organisation's programmes, by name (1 query)."""
    return list(Programme.objects.filter(organisation=organisation).order_by("name"))


def match_to_notify(*, match_id: int) -> Match | None:
    """A match with the people its e-mails go to, or None once it is gone (erased)."""
    return (
        Match.objects.select_related(
            "newcomer__registered_by", "volunteer__user", "programme__organisation", "intro_booked_by", "ended_by"
        )
        .filter(pk=match_id)
        .first()
    )


# --- The programme's people, for its coordinators -------------------------------------------

PEOPLE_PAGE_SIZE = 25


def programme_people(
    *, programme: Programme, kind: str, query: str = "", filters: dict | None = None, page: int | str | None = 1
) -> Page:
    """One page of a programme's newcomers (`kind` "newcomers") or volunteers ("volunteers"),
    by name, looked up by name, birth year, postcode or locality (`query`) and narrowed by
    `filters`: `status`, `place` ("missing": without a place), `locality`, for newcomers
    `target_group`, `interpreter` ("yes"/"no") and who waits longest's groups, for volunteers
    `speaks` (a language code). By name; newcomers with `order` "waited" longest waiting first.
    A newcomer's `status_here` is her state in this programme, which `status` narrows by.

    Queries: 2 (how many, and the page's people), whatever the size of the programme; 3 with
    `locality` (how it is written there).
    """
    filters = filters or {}
    people: QuerySet
    if kind == "newcomers":
        people = _newcomers_narrowed(Newcomer.objects.filter(programmes=programme, erased_at__isnull=True), filters)
        # Waiting again since a match here ended (who waits longest counts her among those matched).
        people = _as_seen_in(people, programme)
    else:
        people = Volunteer.objects.filter(programmes=programme, erasure_requested_at__isnull=True)
        people = _in_locality(people, filters.get("locality"))
        if filters.get("speaks"):  # a code in the JSON list, as the proposal queue looks for one
            people = people.filter(languages__icontains=f'"{filters["speaks"]}"')
    if query.strip():
        people = _people_matching(people, query)
    if filters.get("place") == "missing":
        people = people.filter(latitude__isnull=True)
    if filters.get("status"):
        people = people.filter(**{"status_here" if kind == "newcomers" else "status": filters["status"]})
    if kind == "newcomers" and filters.get("order") == "waited":  # as the dashboard's longest waiting
        people = people.order_by("waiting_since", "id")
    else:
        people = people.order_by("first_name", "last_name", "birth_year", "id")
    return Paginator(people, PEOPLE_PAGE_SIZE).get_page(page)


def programme_newcomer(*, programme: Programme, pk: int) -> dict[str, Any]:
    """One newcomer of the programme as its coordinator sees her (404 for anyone not in it),
    with her social worker, her matches here and her pending proposal, and (`_as_seen_in`) her
    state here and since when she has waited. Queries: 3."""
    here = Newcomer.objects.filter(programmes=programme, erased_at__isnull=True)
    newcomer = get_object_or_404(
        _as_seen_in(here, programme).select_related("registered_by", "organisation"),
        pk=pk,
    )
    matches = list(
        Match.objects.filter(programme=programme, newcomer=newcomer)
        .select_related("volunteer")
        .order_by("-started_on", "-id")
    )
    pending = (
        Proposal.objects.filter(run__programme=programme, newcomer=newcomer, state=Proposal.State.PENDING)
        .select_related("volunteer")
        .first()
    )
    return {"newcomer": newcomer, "matches": matches, "pending": pending}
