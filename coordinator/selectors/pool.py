"""The pool the engine reads, and what a volunteer may be told about a newcomer."""

from datetime import date, timedelta
from typing import Any

from django.db.models import Count, F, Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import User
from coordinator import permissions, vocabulary
from coordinator.models import Match, Newcomer, Programme, Proposal, Volunteer, extract_holds

# --- The pool the engine reads ------------------------------------------------------------


PERSON_FIELDS = (
    "id",
    "languages",
    "interests",
    "availability",
    "gender",
    "birth_year",
    "gender_preference",
    "household_adults",
    "household_children_ages",
    "latitude",
    "longitude",
)
NEWCOMER_FIELDS = (*PERSON_FIELDS, "registered_on", "swedish_level", "pool_priority")
VOLUNTEER_FIELDS = (
    *PERSON_FIELDS,
    "status",
    "capacity",
    "open_matches",
    "background_check_date",
    "background_check_expires",
    "wants_family",
    "wants_age_min",
    "wants_age_max",
)


def _row(p: Volunteer | Newcomer, fields: tuple[str, ...]) -> dict[str, Any]:
    return {name: getattr(p, name) for name in fields}


def _person_record(p: dict[str, Any], prefix: str) -> dict[str, Any]:
    """A person's record in the engine's format, from a row of PERSON_FIELDS (a region's pool is
    read as rows, not as 35,000 model objects)."""
    record: dict[str, Any] = {
        "id": f"{prefix}{p['id']}",
        "languages": list(p["languages"]),
        "interests": list(p["interests"]),
        "availability": list(p["availability"]),
        "gender": p["gender"] or None,
        "birth_year": p["birth_year"],
        "gender_preference": p["gender_preference"] or None,
        "household": {
            "adults": p["household_adults"],
            "children": len(p["household_children_ages"]),
            "children_ages": sorted(p["household_children_ages"]),
        },
    }
    if p["latitude"] is not None and p["longitude"] is not None:
        record["location"] = {"lat": p["latitude"], "lon": p["longitude"]}
    return record


def _wishes(v: dict[str, Any]) -> dict[str, Any] | None:
    """The volunteer's own wishes (a family or one person; an age range) as the engine's
    `wishes` extension: rules it checks per pair, so the problem grows with people, not pairs."""
    family, low, high = v["wants_family"], v["wants_age_min"], v["wants_age_max"]
    if family is None and low is None and high is None:
        return None
    household = None if family is None else "family" if family else "single"
    return {"household": household, "age_min": low, "age_max": high}


def newcomers_waiting_in(programme: Programme) -> QuerySet[Newcomer]:
    """The newcomers who may be matched in a programme: consented, not inactive, and without an
    open match there. The engine's pool, the dashboard and pairing by hand all ask here."""
    matched_here = Match.objects.filter(programme=programme, state__in=Match.OPEN_STATES).values("newcomer_id")
    return (
        Newcomer.objects.filter(programmes=programme, consent_given_at__isnull=False, consent_withdrawn_at__isnull=True)
        .exclude(status=Newcomer.Status.INACTIVE)
        .exclude(pk__in=matched_here)
    )


def volunteers_with_room_in(programme: Programme) -> QuerySet[Volunteer]:
    """Approved volunteers of a programme with a place left."""
    return Volunteer.objects.filter(
        programmes=programme, status=Volunteer.Status.APPROVED, open_matches__lt=F("capacity")
    )


def volunteers_named_in(*, programme: Programme, what_if: list[dict[str, Any]]) -> list[Volunteer]:
    """The programme's volunteers a run's answers name (those who would need an extract from the
    criminal records register): ids the engine wrote, resolved among the programme's own. At most
    one query, none when no answer names anyone."""
    ids = {
        int(v[1:])
        for entry in what_if
        if entry.get("change", {}).get("kind") == "background_checked"
        for v in entry["change"].get("volunteers", [])
        if v[:1] == "v" and v[1:].isdecimal()
    }
    if not ids:
        return []
    return list(Volunteer.objects.filter(programmes=programme, pk__in=ids).order_by("last_name", "first_name", "pk"))


def problem_subjects(doc: dict[str, Any], organisation_id: int) -> list[tuple[str, int, int]]:
    """The people in a vanmatch.problem/1 document built here, for the audit trail."""
    return [("newcomer", int(n["id"][1:]), organisation_id) for n in doc.get("newcomers", [])] + [
        ("volunteer", int(v["id"][1:]), organisation_id) for v in doc.get("volunteers", [])
    ]


def document_subjects(doc: dict[str, Any], organisation_id: int) -> list[tuple[str, int, int]]:
    """The people a run's problem or solution document names, for the audit trail of its download."""
    if doc.get("format") != "vanmatch.solution/1":
        return problem_subjects(doc, organisation_id)
    newcomers = {m["newcomer"] for m in doc.get("matches", [])} | {u["newcomer"] for u in doc.get("unmatched", [])}
    volunteers = {m["volunteer"] for m in doc.get("matches", [])}
    for entry in doc.get("what_if") or []:  # the answers for those left waiting name people too
        change = entry.get("change", {})
        newcomers |= set(entry.get("newcomers", [])) | set(entry.get("no_longer", []))
        newcomers |= set(change.get("newcomers", []))  # a list, or a mapping id → slot
        if change.get("kind") == "background_checked":
            volunteers |= set(change.get("volunteers", []))
    return [("newcomer", int(n[1:]), organisation_id) for n in sorted(newcomers) if n[1:].isdecimal()] + [
        ("volunteer", int(v[1:]), organisation_id) for v in sorted(volunteers) if v[1:].isdecimal()
    ]


FULL_WAIT_DAYS = 180  # the engine's waiting part is full at six months (matching/scoring.py)


def _waiting_since(newcomer: dict[str, Any], reference_date: date) -> date:
    """The registration date the engine reads her waiting from: her own, or for a newcomer back
    in the pool with priority after a match ended, one that counts as the longest wait."""
    if newcomer["pool_priority"]:
        return min(newcomer["registered_on"], reference_date - timedelta(days=FULL_WAIT_DAYS))
    return newcomer["registered_on"]


def matching_problem(*, programme: Programme, reference_date: date) -> dict[str, Any]:
    """The programme's pool as a ``vanmatch.problem/1`` document, for the engine.

    Newcomers: in the programme, consented, not inactive, without an open match here.
    Volunteers: approved, in the programme, with room (their places taken in other programmes
    do not count here), and any volunteer of a locked pair. Locked pairs: this programme's
    open matches and the pairs coordinators locked. Exclusions: declined proposals. The
    volunteers' own wishes (a family or one person, an age range) are the `wishes` extension.

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
    newcomers = list(newcomers_waiting_in(programme).order_by("registered_on", "id").values(*NEWCOMER_FIELDS))
    locked_volunteers = {v for _n, v in open_here} | {v for _n, v in locks}
    volunteers = list(
        Volunteer.objects.filter(programmes=programme)
        .filter(Q(pk__in=volunteers_with_room_in(programme).values("pk")) | Q(pk__in=locked_volunteers))
        .annotate(
            open_here=Count("matches", filter=Q(matches__programme=programme, matches__state__in=Match.OPEN_STATES))
        )
        .order_by("id")
        .values(*VOLUNTEER_FIELDS, "open_here")
    )
    excluded: dict[int, list[str]] = {}
    for n_id, v_id in declined:
        excluded.setdefault(n_id, []).append(f"v{v_id}")
    newcomer_records = []
    for n in newcomers:
        record = _person_record(n, "n")
        record["registered_on"] = _waiting_since(n, reference_date).isoformat()
        record["swedish_level"] = n["swedish_level"]
        record["exclude"] = sorted(set(excluded.get(n["id"], [])))
        newcomer_records.append(record)
    volunteer_records = []
    for v in volunteers:
        record = _person_record(v, "v")
        # Places taken in other programmes are gone; this programme's open matches come as locked pairs.
        room = v["capacity"] - (v["open_matches"] - v["open_here"])
        record["capacity"] = max(1, room)
        if v["status"] != Volunteer.Status.APPROVED or room < 1:
            record["capacity"] = max(1, v["open_here"])  # listed only for its locked pairs: no room for more
        record["background_checked"] = extract_holds(
            v["background_check_date"], v["background_check_expires"], reference_date
        )
        record["exclude"] = []
        if wishes := _wishes(v):
            record["wishes"] = wishes
        volunteer_records.append(record)
    listed = {v["id"] for v in volunteers}
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


def pair_problem(
    *, programme: Programme, newcomer: Newcomer, volunteer: Volunteer, reference_date: date
) -> dict[str, Any]:
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
    newcomer_row = _row(newcomer, NEWCOMER_FIELDS)
    n = _person_record(newcomer_row, "n")
    n["registered_on"] = _waiting_since(newcomer_row, reference_date).isoformat()
    n["swedish_level"] = newcomer.swedish_level
    n["exclude"] = [f"v{volunteer.pk}"] if declined else []
    volunteer_row = _row(volunteer, VOLUNTEER_FIELDS)
    v = _person_record(volunteer_row, "v")
    v["capacity"] = volunteer.capacity
    v["background_checked"] = volunteer.background_checked(reference_date)
    v["exclude"] = []
    if wishes := _wishes(volunteer_row):
        v["wishes"] = wishes
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


def newcomer_facts_for_volunteer(newcomer: Newcomer, *, reference_date: date | None = None) -> list[tuple[str, str]]:
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
        adults = newcomer.household_adults
        text = ngettext("%(adults)s vuxen", "%(adults)s vuxna", adults) % {"adults": adults}
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


# --- What a viewer may see of a newcomer ------------------------------------------------------


def sees_all_of(viewer: User, newcomer: Newcomer) -> bool:
    """Whether `viewer` may see the newcomer's whole record: staff of her organisation and the
    social workers who follow her. Anyone else who meets her (a volunteer in a match with her)
    sees only what she consented to share (`newcomer_seen_by`)."""
    if viewer.is_superuser or permissions.has_role(viewer, newcomer.organisation_id, *permissions.STAFF_ROLES):
        return True
    return permissions.newcomers_followed(viewer).filter(pk=newcomer.pk).exists()


def newcomer_seen_by(newcomer: Newcomer, *, viewer: User | None = None) -> dict[str, Any]:
    """The one answer to "what may this viewer see of this newcomer", for pages, the API and
    e-mails alike: her name as the viewer may call her, her first and last name where the viewer
    may know them, the facts she agreed to share, and whether staff notes may be shown.
    `viewer=None` is someone who meets her as a volunteer (the volunteer's own page, an e-mail to
    a volunteer, who may have no account at all)."""
    if viewer is not None and sees_all_of(viewer, newcomer):
        return {
            "id": newcomer.pk,
            "name": str(newcomer),
            "first_name": newcomer.first_name,
            "last_name": newcomer.last_name,
            "facts": None,
            "staff_notes": True,
        }
    shared = newcomer.has_consent and "first_name" in newcomer.consent_shareable
    return {
        "id": newcomer.pk,
        "name": newcomer_name_for_volunteer(newcomer),
        "first_name": newcomer.first_name if shared else "",
        "last_name": "",
        "facts": newcomer_facts_for_volunteer(newcomer),
        "staff_notes": False,
    }
