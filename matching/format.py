"""Read, validate and write the matching format (shared/spec/matching-format.md).

Every error names the record and the field, as the command line prints it:
``newcomers[3] (id "n4"): availability "monday-eve" is not a slot such as "mon-evening"``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import json
import math
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, NamedTuple, TypeGuard

PROBLEM_FORMAT = "vanmatch.problem/1"
SOLUTION_FORMAT = "vanmatch.solution/1"
PAIRS_FORMAT = "vanmatch.pairs/1"

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
PARTS = ("morning", "afternoon", "evening")
SLOTS = tuple(f"{day}-{part}" for day in DAYS for part in PARTS)
SLOT_INDEX = {slot: i for i, slot in enumerate(SLOTS)}
KINDS = ("sprakvan", "flyktingguide", "vanfamilj")
GENDERS = ("female", "male", "other")
PREFERENCES = ("female", "male")
SWEDISH_LEVELS = ("none", "basic", "intermediate", "fluent", "native")
LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}$")
# The format's bounds (shared/spec/matching-format.md, "Bounds"): a value outside is invalid input.
MAX_ID_LENGTH = 200
MAX_DISTANCE_KM = 20040  # half the earth's circumference
MAX_WEIGHT = 1000


class ProblemError(ValueError):
    """Invalid input: the message names the record and the field."""


class Person(NamedTuple):
    """One newcomer or volunteer, validated and normalised (a named tuple: a national pool
    makes 250,000 of them, and a frozen dataclass takes four times as long to make)."""

    id: str
    languages: tuple[str, ...]
    interests: tuple[str, ...] = ()
    availability: tuple[str, ...] = ()
    lat: float | None = None
    lon: float | None = None
    gender: str | None = None
    birth_year: int | None = None
    gender_preference: str | None = None
    adults: int | None = None
    children: int | None = None
    exclude: tuple[str, ...] = ()
    # Newcomers only.
    registered_on: dt.date | None = None
    swedish_level: str | None = None  # extension: how well the newcomer speaks Swedish
    # Volunteers only.
    capacity: int = 1
    background_checked: bool = False
    children_ages: tuple[int, ...] | None = None  # extension: household.children_ages
    # Volunteers only, extension `wishes`: whom they would rather meet.
    wish_household: str | None = None  # "family" or "single"
    wish_age_min: int | None = None
    wish_age_max: int | None = None

    @property
    def has_location(self) -> bool:
        return self.lat is not None


@dataclass(frozen=True)
class Programme:
    kind: str
    max_distance_km: float | None = None
    weights: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Problem:
    reference_date: dt.date
    programme: Programme
    newcomers: tuple[Person, ...]
    volunteers: tuple[Person, ...]
    locked: tuple[tuple[str, str], ...] = ()


# --- reading ---------------------------------------------------------------------------


def _shown(value: Any) -> str:
    """A value for an error message, cut short: a 300-digit number is not echoed whole."""
    text = json.dumps(value)
    return text if len(text) <= 40 else text[:20] + "…"


def _is_int(value: Any) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: Any) -> TypeGuard[int | float]:
    return (isinstance(value, int | float) and not isinstance(value, bool)) and math.isfinite(value)


def _date(value: Any, where: str, name: str) -> dt.date:
    if not isinstance(value, str):
        raise ProblemError(f'{where}: {name} {json.dumps(value)} is not an ISO date such as "2026-11-22"')
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ProblemError(f'{where}: {name} "{value}" is not an ISO date such as "2026-11-22"') from None


def _string_list(record: dict[str, Any], key: str, where: str, *, required: bool = False) -> list[str]:
    value = record.get(key)
    if type(value) is list and all(type(item) is str for item in value):  # the usual case, first
        return value
    if value is None:
        if required:
            raise ProblemError(f"{where}: {key} is required")
        return []
    if not isinstance(value, list):
        raise ProblemError(f"{where}: {key} must be a list, not {json.dumps(value)}")
    for item in value:
        if not isinstance(item, str):
            raise ProblemError(f"{where}: {key} must hold strings, not {json.dumps(item)}")
    return value


def _languages(items: list[str], where: str) -> tuple[str, ...]:
    if not items:
        raise ProblemError(f"{where}: languages needs at least one language")
    for code in items:
        if not LANGUAGE_CODE.match(code):
            raise ProblemError(f'{where}: languages "{code}" is not an ISO 639 code such as "ar" or "prs"')
    return tuple(dict.fromkeys(items))


def _interests(items: list[str], where: str) -> tuple[str, ...]:
    return tuple(sorted({tag.strip().lower() for tag in items} - {""}))


def _availability(items: list[str], where: str) -> tuple[str, ...]:
    given = set(items)
    if not SLOT_INDEX.keys() >= given:
        slot = next(slot for slot in items if slot not in SLOT_INDEX)
        raise ProblemError(f'{where}: availability "{slot}" is not a slot such as "mon-evening"')
    return tuple(sorted(given, key=SLOT_INDEX.__getitem__))


def _exclude(items: list[str], where: str) -> tuple[str, ...]:
    return tuple(sorted(set(items)))


class _Lists:
    """The lists already read in one problem, by field, with their normal forms: people share
    most of theirs (the same languages, interests, slots), so each distinct list is checked
    and normalised once. A list whose items are not all strings is never among them."""

    def __init__(self) -> None:
        self.known: dict[str, dict[tuple[Any, ...], tuple[str, ...]]] = {
            key: {} for key in ("languages", "interests", "availability", "exclude")
        }

    def read(
        self,
        record: dict[str, Any],
        key: str,
        where: str,
        normalise: Callable[[list[str], str], tuple[str, ...]],
        *,
        required: bool = False,
    ) -> tuple[str, ...]:
        value, raw = record.get(key), None
        if value is None and not required:
            return ()
        known = self.known[key]
        if type(value) is list:
            try:
                raw = tuple(value)
                normal = known.get(raw)
            except TypeError:  # an unhashable item (a list or an object): checked below
                raw = normal = None
            if normal is not None:
                return normal
        normal = normalise(_string_list(record, key, where, required=required), where)
        if raw is not None:
            known[raw] = normal
        return normal


def _person(record: Any, side: str, index: int, seen: set[str], lists: _Lists) -> Person:
    where = f"{side}[{index}]"
    if not isinstance(record, dict):
        raise ProblemError(f"{where}: must be an object, not {json.dumps(record)}")
    pid = record.get("id")
    if not isinstance(pid, str) or not pid.strip():
        raise ProblemError(f"{where}: id is required and must be a non-empty string")
    if len(pid) > MAX_ID_LENGTH:
        raise ProblemError(f"{where}: id is {len(pid)} characters long; at most {MAX_ID_LENGTH} are allowed")
    where = f'{where} (id "{pid}")'
    if pid in seen:
        raise ProblemError(f'{where}: id "{pid}" is used twice among the {side}')
    seen.add(pid)

    languages = lists.read(record, "languages", where, _languages, required=True)
    interests = lists.read(record, "interests", where, _interests)
    availability = lists.read(record, "availability", where, _availability)

    lat = lon = None
    location = record.get("location")
    if location is not None:
        if not isinstance(location, dict):
            raise ProblemError(f"{where}: location must be an object with lat and lon")
        lat, lon = location.get("lat"), location.get("lon")
        if not _is_number(lat) or not -90 <= lat <= 90:
            raise ProblemError(f"{where}: location.lat {json.dumps(lat)} is not a latitude in [-90, 90]")
        if not _is_number(lon) or not -180 <= lon <= 180:
            raise ProblemError(f"{where}: location.lon {json.dumps(lon)} is not a longitude in [-180, 180]")
        lat, lon = float(lat), float(lon)

    gender = record.get("gender")
    if gender is not None and gender not in GENDERS:
        raise ProblemError(f"{where}: gender {json.dumps(gender)} is not one of female, male, other or null")
    preference = record.get("gender_preference")
    if preference is not None and preference not in PREFERENCES:
        raise ProblemError(f"{where}: gender_preference {json.dumps(preference)} is not one of female, male or null")

    birth_year = record.get("birth_year")
    if birth_year is not None and (not _is_int(birth_year) or not 1900 <= birth_year <= 2100):
        raise ProblemError(f"{where}: birth_year {_shown(birth_year)} is not a whole number from 1900 to 2100")

    adults = children = None
    children_ages = None
    household = record.get("household")
    if household is not None:
        if not isinstance(household, dict):
            raise ProblemError(f"{where}: household must be an object with adults and children")
        adults, children = household.get("adults"), household.get("children")
        if adults is not None and (not _is_int(adults) or not 1 <= adults <= 50):
            raise ProblemError(f"{where}: household.adults {_shown(adults)} must be a whole number from 1 to 50")
        if children is not None and (not _is_int(children) or not 0 <= children <= 50):
            raise ProblemError(f"{where}: household.children {_shown(children)} must be a whole number from 0 to 50")
        ages = household.get("children_ages")
        if ages is not None:
            if not isinstance(ages, list) or not all(_is_int(a) and 0 <= a <= 30 for a in ages):
                raise ProblemError(f"{where}: household.children_ages must be a list of ages from 0 to 30")
            children_ages = tuple(sorted(ages))
            if children is None:
                children = len(children_ages)

    exclude = lists.read(record, "exclude", where, _exclude)

    extra: dict[str, Any] = {}
    if side == "newcomers":
        if record.get("registered_on") is not None:
            extra["registered_on"] = _date(record["registered_on"], where, "registered_on")
        level = record.get("swedish_level")
        if level is not None:
            if level not in SWEDISH_LEVELS:
                raise ProblemError(
                    f"{where}: swedish_level {json.dumps(level)} is not one of {', '.join(SWEDISH_LEVELS)}"
                )
            extra["swedish_level"] = level
    else:
        capacity = record.get("capacity")
        if capacity is not None:
            if not _is_int(capacity) or not 1 <= capacity <= 1000:
                raise ProblemError(f"{where}: capacity {_shown(capacity)} must be a whole number from 1 to 1000")
            extra["capacity"] = capacity
        checked = record.get("background_checked")
        if checked is not None:
            if not isinstance(checked, bool):
                raise ProblemError(f"{where}: background_checked {json.dumps(checked)} must be true or false")
            extra["background_checked"] = checked
        extra.update(_wishes(record.get("wishes"), where))

    return Person(
        id=pid,
        languages=languages,
        interests=interests,
        availability=availability,
        lat=lat,
        lon=lon,
        gender=gender,
        birth_year=birth_year,
        gender_preference=preference,
        adults=adults,
        children=children,
        children_ages=children_ages,
        exclude=exclude,
        **extra,
    )


WISHED_HOUSEHOLDS = ("family", "single")


def _wishes(wishes: Any, where: str) -> dict[str, Any]:
    """A volunteer's `wishes` (an extension): `household` "family" or "single", and an age range
    `age_min`..`age_max` of the newcomer, each optional."""
    if wishes is None:
        return {}
    if not isinstance(wishes, dict):
        raise ProblemError(f"{where}: wishes must be an object with household, age_min and age_max")
    out: dict[str, Any] = {}
    household = wishes.get("household")
    if household is not None:
        if household not in WISHED_HOUSEHOLDS:
            raise ProblemError(f"{where}: wishes.household {_shown(household)} is not one of family, single or null")
        out["wish_household"] = household
    for key in ("age_min", "age_max"):
        age = wishes.get(key)
        if age is not None:
            if not _is_int(age) or not 0 <= age <= 120:
                raise ProblemError(f"{where}: wishes.{key} {_shown(age)} must be a whole number from 0 to 120")
            out[f"wish_{key}"] = age
    if out.get("wish_age_min", 0) > out.get("wish_age_max", 120):
        raise ProblemError(f"{where}: wishes.age_min is above wishes.age_max")
    return out


@contextlib.contextmanager
def garbage_collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector for a while, as it was before afterwards.

    Reading a problem makes hundreds of thousands of small objects (the JSON, then a Person
    each), and every 700 new objects the collector walks the young ones, and now and then all
    of them: 40 % of the region's reading time. Nothing here makes reference cycles, so the
    pause frees nothing later that it would have freed sooner."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def parse_problem(doc: Any, *, today: dt.date | None = None) -> Problem:
    """Validate a decoded ``vanmatch.problem/1`` document and return a Problem."""
    with garbage_collector_paused():
        return _parse_problem(doc, today)


def _parse_problem(doc: Any, today: dt.date | None) -> Problem:
    from matching.scoring import CRITERIA, DEFAULT_WEIGHTS

    if not isinstance(doc, dict):
        raise ProblemError("problem: must be a JSON object")
    if doc.get("format") != PROBLEM_FORMAT:
        raise ProblemError(f'problem: format {json.dumps(doc.get("format"))} must be "{PROBLEM_FORMAT}"')

    reference = doc.get("reference_date")
    reference_date = (
        _date(reference, "problem", "reference_date") if reference is not None else (today or dt.date.today())
    )

    prog = doc.get("programme")
    if not isinstance(prog, dict):
        raise ProblemError("programme: is required and must be an object")
    kind = prog.get("kind")
    if kind not in KINDS:
        raise ProblemError(f"programme: kind {json.dumps(kind)} is not one of {', '.join(KINDS)}")
    max_distance = prog.get("max_distance_km")
    if max_distance is not None and (not _is_number(max_distance) or not 0 <= max_distance <= MAX_DISTANCE_KM):
        raise ProblemError(
            f"programme: max_distance_km {_shown(max_distance)} must be a number from 0 to {MAX_DISTANCE_KM} or null"
        )
    weights = prog.get("weights") or {}
    if not isinstance(weights, dict):
        raise ProblemError("programme: weights must be an object of criterion names and numbers")
    for name, weight in weights.items():
        if name not in CRITERIA:
            raise ProblemError(
                f'programme: weights "{name}" is not a criterion; the criteria are {", ".join(CRITERIA)}'
            )
        if not _is_number(weight) or not 0 <= weight <= MAX_WEIGHT:
            raise ProblemError(f'programme: weights "{name}" {_shown(weight)} must be a number from 0 to {MAX_WEIGHT}')
    if sum({**DEFAULT_WEIGHTS[kind], **weights}.values()) <= 0:
        raise ProblemError("programme: weights must not all be 0")

    people: dict[str, list[Person]] = {}
    for side in ("newcomers", "volunteers"):
        records = doc.get(side)
        if records is None:
            records = []
        if not isinstance(records, list):
            raise ProblemError(f"{side}: must be a list")
        seen: set[str] = set()
        lists = _Lists()
        people[side] = [_person(record, side, i, seen, lists) for i, record in enumerate(records)]

    volunteer_ids = {v.id for v in people["volunteers"]}
    locked_raw = doc.get("locked")
    if locked_raw is None:
        locked_raw = []
    if not isinstance(locked_raw, list):
        raise ProblemError("locked: must be a list")
    locked = []
    for i, pair in enumerate(locked_raw):
        where = f"locked[{i}]"
        if not isinstance(pair, dict):
            raise ProblemError(f"{where}: must be an object with newcomer and volunteer")
        n, v = pair.get("newcomer"), pair.get("volunteer")
        if not isinstance(n, str) or not n:
            raise ProblemError(f"{where}: newcomer is required and must be a non-empty string")
        if not isinstance(v, str) or not v:
            raise ProblemError(f"{where}: volunteer is required and must be a non-empty string")
        if v not in volunteer_ids:
            raise ProblemError(f'{where}: volunteer "{v}" is not among the volunteers')
        locked.append((n, v))

    return Problem(
        reference_date=reference_date,
        programme=Programme(
            kind=kind,
            max_distance_km=None if max_distance is None else float(max_distance),
            weights={k: float(w) for k, w in weights.items()},
        ),
        newcomers=tuple(people["newcomers"]),
        volunteers=tuple(people["volunteers"]),
        locked=tuple(locked),
    )


def load_problem(text: str | bytes, *, today: dt.date | None = None) -> Problem:
    with garbage_collector_paused():  # the decoded JSON is hundreds of thousands of objects
        try:
            doc = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ProblemError(
                f"problem: not valid JSON ({exc.msg} at line {exc.lineno}, column {exc.colno})"
            ) from None
        except UnicodeDecodeError:
            raise ProblemError("problem: not UTF-8 text") from None
        except RecursionError:
            raise ProblemError("problem: nested far deeper than the format (a few levels)") from None
        except ValueError:  # a whole number of thousands of digits (Python refuses to read it)
            raise ProblemError("problem: a number has far more digits than any value of the format") from None
        return parse_problem(doc, today=today)


# --- writing ---------------------------------------------------------------------------


def _compact(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, allow_nan=False, separators=(", ", ": "))


def dumps(doc: dict[str, Any]) -> str:
    """Deterministic JSON: the same document gives the same bytes.

    The top level is indented, and each item of a top-level list (a match, a pair, an
    unmatched newcomer) is one line: easy to read and to diff, and written by the json
    module's C encoder, which an indented dump does not use (much faster: bench/README.md)."""
    fields = []
    for key, value in doc.items():
        if isinstance(value, list) and value:
            items = ",\n    ".join(map(_compact, value))
            fields.append(f"  {_compact(key)}: [\n    {items}\n  ]")
        else:
            nested = json.dumps(value, ensure_ascii=False, allow_nan=False, indent=2).replace("\n", "\n  ")
            fields.append(f"  {_compact(key)}: {nested}")
    return "{\n" + ",\n".join(fields) + "\n}\n"
