"""What would let those left waiting be matched: small changes to the pool, each checked by
solving the changed pool again.

For a problem and its solution, the changes a coordinator can make, each with its exact effect:

- ``max_distance_km``: the programme's distance limit raised (by a fifth, a half, or doubled;
  at most two, the smallest that help, a longer one only if it matches more still), when some
  are unmatched for want of anyone in reach;
- ``gender_preference_waived``: the newcomers unmatched for their gender preference accept
  anyone;
- ``one_more_time``: each newcomer unmatched for want of a shared time is also free at the time
  most volunteers are, among those she is not yet free at;
- ``background_checked``: the volunteers who would be paired with minors if they had shown an
  extract from the criminal records register (found by a first solve in which everyone has);
- ``more_volunteers``: up to three volunteers more (capacity two, speaking the language and
  Swedish, free at the three times the newcomers near them most often are) for each of the two
  languages most spoken by those unmatched for want of a volunteer, placed one by one where
  most of those speakers live within the distance limit.

Each change's effect is the number of newcomers the engine matches in the changed pool minus
the number it matched, from a full solve of the changed pool (so cardinality first, as ever:
the stated effect is what a run on the changed pool would give), with the newcomers it gains
and the languages they speak. `apply` makes the changed pool from the change as the solution
document states it, so that anyone can check the effect with `python -m matching solve`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import numpy as np

from matching.format import SLOTS, Person, Problem, Programme

DISTANCE_FACTORS = (1.2, 1.5, 2.0)  # a limit raised by a fifth, a half, or doubled
DISTANCE_CHOICES = 2  # at most this many raised limits are offered (the smallest that help)
NEW_VOLUNTEERS = 3  # at most this many volunteers more, per language lacked
NEW_CAPACITY = 2
NEW_LANGUAGES = 2  # for the languages most unmatched speakers lack
NEW_SLOTS = 3
PREFIX = "what-if-"  # the ids of volunteers who do not exist yet
PLACES_FROM = 3000
WANT_A_VOLUNTEER = {"no_volunteers", "no_volunteer_in_reach", "no_shared_language", "taken", "capacity"}

if TYPE_CHECKING:
    from matching.engine import Solution

Solve = Callable[[Problem], "Solution"]


def _default_solve(problem: Problem) -> Solution:
    from matching.engine import solve

    return solve(problem)


def apply(problem: Problem, change: dict[str, Any]) -> Problem:
    """The pool as it would be with the change made."""
    kind = change["kind"]
    if kind == "max_distance_km":
        programme = Programme(problem.programme.kind, float(change["to"]), problem.programme.weights)
        return Problem(problem.reference_date, programme, problem.newcomers, problem.volunteers, problem.locked)
    if kind == "gender_preference_waived":
        waived = set(change["newcomers"])
        newcomers = tuple(n._replace(gender_preference=None) if n.id in waived else n for n in problem.newcomers)
        return Problem(problem.reference_date, problem.programme, newcomers, problem.volunteers, problem.locked)
    if kind == "one_more_time":
        extra: dict[str, str] = change["newcomers"]
        newcomers = tuple(
            n._replace(availability=(*n.availability, extra[n.id])) if n.id in extra else n for n in problem.newcomers
        )
        return Problem(problem.reference_date, problem.programme, newcomers, problem.volunteers, problem.locked)
    if kind == "background_checked":
        checked = set(change["volunteers"])
        volunteers = tuple(v._replace(background_checked=True) if v.id in checked else v for v in problem.volunteers)
        return Problem(problem.reference_date, problem.programme, problem.newcomers, volunteers, problem.locked)
    if kind == "more_volunteers":
        added = tuple(
            Person(
                id=v["id"],
                languages=tuple(v["languages"]),
                availability=tuple(v["availability"]),
                lat=v["location"]["lat"] if v.get("location") else None,
                lon=v["location"]["lon"] if v.get("location") else None,
                capacity=v["capacity"],
            )
            for v in change["volunteers"]
        )
        return Problem(
            problem.reference_date, problem.programme, problem.newcomers, problem.volunteers + added, problem.locked
        )
    raise ValueError(f"unknown change {kind!r}")


def what_if(
    problem: Problem,
    solution: dict[str, Any],
    *,
    solve: Solve = _default_solve,
) -> list[dict[str, Any]]:
    """The changes that would match more newcomers, each with its effect, checked by solving."""
    codes = {u["newcomer"]: u.get("code", "") for u in solution.get("unmatched", [])}
    if not codes:
        return []
    base = {m["newcomer"] for m in solution["matches"]}
    newcomers = {n.id: n for n in problem.newcomers}
    found: list[dict[str, Any]] = []

    def effect(change: dict[str, Any], *, keep: bool = True) -> dict[str, Any] | None:
        after = {n for n, _v in solve(apply(problem, change)).matched_ids()}
        more = len(after) - len(base)
        if more <= 0:
            return None
        # A changed pool has a best assignment of its own: some matched now may be left out of it
        # while more who wait are matched. Each language's figure is its speakers' net gain.
        gained, lost = sorted(after - base), sorted(base - after)
        speakers = Counter(c for n in gained for c in newcomers[n].languages if c != "sv")
        speakers.subtract(c for n in lost for c in newcomers[n].languages if c != "sv")
        entry = {
            "change": change,
            "matched_more": more,
            "newcomers": gained,
            "no_longer": lost,
            "by_language": {c: k for c, k in sorted(speakers.items(), key=lambda kv: (-kv[1], kv[0])) if k > 0},
        }
        if keep:
            found.append(entry)
        return entry

    limit = problem.programme.max_distance_km
    if limit and any(code == "no_volunteer_in_reach" or code == "no_shared_language" for code in codes.values()):
        offered = 0
        best = 0
        for factor in DISTANCE_FACTORS:  # a longer limit is offered only if it matches more still
            to = float(round(limit * factor))
            entry = effect({"kind": "max_distance_km", "from": limit, "to": to}, keep=False) if to > limit else None
            if entry and entry["matched_more"] > best:
                found.append(entry)
                best = entry["matched_more"]
                offered += 1
                if offered == DISTANCE_CHOICES:
                    break

    waived = sorted(n for n, code in codes.items() if code == "gender_preference")
    if waived:
        effect({"kind": "gender_preference_waived", "newcomers": waived})

    timeless = sorted(n for n, code in codes.items() if code == "no_common_time")
    if timeless:
        supply = Counter(s for v in problem.volunteers for s in v.availability)
        order = sorted(SLOTS, key=lambda s: (-supply[s], SLOTS.index(s)))
        extra = {}
        for n in timeless:
            free = set(newcomers[n].availability)
            slot = next((s for s in order if s not in free and supply[s]), None)
            if slot is not None:
                extra[n] = slot
        if extra:
            effect({"kind": "one_more_time", "newcomers": extra})

    if any(code == "background_check" for code in codes.values()):
        unchecked = [v.id for v in problem.volunteers if not v.background_checked]
        everyone = solve(apply(problem, {"kind": "background_checked", "volunteers": unchecked}))
        year = problem.reference_date.year
        minors = {n.id for n in problem.newcomers if n.birth_year is not None and year - n.birth_year < 18}
        needed = sorted({v for n, v in everyone.matched_ids() if n in minors} & set(unchecked))
        if needed:
            effect({"kind": "background_checked", "volunteers": needed})

    for language, volunteers in _volunteers_lacked(problem, codes, newcomers):
        effect({"kind": "more_volunteers", "language": language, "volunteers": volunteers})
    return found


def _volunteers_lacked(
    problem: Problem, codes: dict[str, str], newcomers: dict[str, Person]
) -> list[tuple[str, list[dict[str, Any]]]]:
    """For the languages most newcomers speak who are unmatched for want of a volunteer (none in
    reach, none speaking their language, or all taken), volunteers placed one by one where most
    of those speakers live within reach of one place."""
    lacking = [newcomers[n] for n, code in codes.items() if code in WANT_A_VOLUNTEER]
    languages = Counter(c for n in lacking for c in n.languages if c != "sv")
    out = []
    limit = problem.programme.max_distance_km
    taken = 0
    for language, _count in sorted(languages.items(), key=lambda kv: (-kv[1], kv[0]))[:NEW_LANGUAGES]:
        speakers = sorted((n for n in lacking if language in n.languages), key=lambda n: n.id)
        located = [n for n in speakers if n.has_location]
        # Where to place them is found among at most PLACES_FROM speakers, evenly taken (a nation's
        # thousands would make an n × n grid of gigabytes); the effect is still a full solve's.
        located = located[:: -(-len(located) // PLACES_FROM)] if located else located
        volunteers: list[dict[str, Any]] = []
        if limit and located:
            lat = np.radians(np.array([n.lat for n in located], float))
            lon = np.radians(np.array([n.lon for n in located], float))
            unit = np.stack([np.cos(lat) * np.cos(lon), np.cos(lat) * np.sin(lon), np.sin(lat)], axis=1)
            reach = unit @ unit.T >= np.cos(limit / 6371.0)  # within the limit of each other
            left = np.ones(len(located), bool)
            while left.any() and len(volunteers) < NEW_VOLUNTEERS:
                covered = (reach & left).sum(axis=1) * left
                centre = int(np.argmax(covered))
                near = np.flatnonzero(reach[centre] & left)
                # she takes the nearest NEW_CAPACITY of them; the next goes where most are left
                nearest = near[np.argsort(-(unit[near] @ unit[centre]), kind="stable")[:NEW_CAPACITY]]
                left[nearest] = False
                taken += 1
                volunteers.append(_volunteer(taken, language, [located[i] for i in near], located[centre]))
        else:  # no distance limit (or nobody placed): anywhere will do
            for _k in range(min(NEW_VOLUNTEERS, max(1, len(speakers) // NEW_CAPACITY))):
                taken += 1
                volunteers.append(_volunteer(taken, language, speakers, None))
        if volunteers:
            out.append((language, volunteers))
    return out


def _volunteer(k: int, language: str, near: list[Person], at: Person | None) -> dict[str, Any]:
    slots = Counter(s for n in near for s in n.availability)
    chosen = sorted(slots, key=lambda s: (-slots[s], SLOTS.index(s)))[:NEW_SLOTS]
    volunteer: dict[str, Any] = {
        "id": f"{PREFIX}{k}",
        "languages": sorted({language, "sv"}),
        "availability": sorted(chosen, key=SLOTS.index),
        "capacity": NEW_CAPACITY,
    }
    if at is not None:
        volunteer["location"] = {"lat": round(at.lat, 4), "lon": round(at.lon, 4)}  # type: ignore[arg-type]
    return volunteer
