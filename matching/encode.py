"""Encode people into arrays: language, slot and interest bitmasks, coordinates, codes.

Everything downstream (rules, scoring, reasons) works on these arrays, a pair at a
time never: a pair is an index into the newcomer arrays and one into the volunteer
arrays.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numba
import numpy as np
import numpy.typing as npt

from matching.format import SLOT_INDEX, SWEDISH_LEVELS, Person, Problem
from matching.tuning import DEFAULT, Tuning

EARTH_RADIUS_KM = 6371.0
GENDER_CODE = {None: -1, "female": 0, "male": 1, "other": 2}
PREFERENCE_CODE = {None: -1, "female": 0, "male": 1}
SWEDISH = "sv"


def _bitsets(items: list[tuple[str, ...]], vocabulary: dict[str, int]) -> np.ndarray:
    """One row per person, ceil(len(vocabulary)/64) uint64 words per row."""
    words = max(1, -(-len(vocabulary) // 64))
    out = np.zeros((len(items), words), dtype=np.uint64)
    rows, bits = [], []
    for row, names in enumerate(items):
        for name in names:
            rows.append(row)
            bits.append(vocabulary[name])
    if rows:
        rows_a, bits_a = np.asarray(rows), np.asarray(bits)
        np.bitwise_or.at(out, (rows_a, bits_a // 64), np.left_shift(np.uint64(1), (bits_a % 64).astype(np.uint64)))
    return out


def popcount(words: np.ndarray) -> np.ndarray:
    """Number of set bits per row of a (n, w) uint64 array."""
    return np.bitwise_count(words).sum(axis=1, dtype=np.int64)


@dataclass
class Side:
    """One side of the pool as arrays, indexed like the problem's list."""

    ids: list[str]
    languages: np.ndarray  # (n, w) uint64
    interests: np.ndarray  # (n, w) uint64
    n_interests: np.ndarray  # (n,) int
    slots: np.ndarray  # (n,) uint32, bit k = SLOTS[k]
    n_slots: np.ndarray
    lat: np.ndarray  # (n,) float, NaN where unknown
    lon: np.ndarray
    xyz: np.ndarray  # (n, 3) unit vectors (NaN where unknown)
    located: np.ndarray  # (n,) bool
    gender: np.ndarray  # (n,) int8
    preference: np.ndarray  # (n,) int8
    birth_year: np.ndarray  # (n,) float, NaN where unknown
    children: np.ndarray  # (n,) int, -1 where unknown
    children_mean_age: np.ndarray  # (n,) float, NaN where unknown

    def __len__(self) -> int:
        return len(self.ids)


@dataclass
class Encoded:
    problem: Problem
    newcomers: Side
    volunteers: Side
    newcomer_minor: np.ndarray  # (n,) bool
    newcomer_locked: np.ndarray  # (n,) bool
    newcomer_swedish_level: np.ndarray  # (n,) int index into SWEDISH_LEVELS
    newcomer_languages_but_swedish: np.ndarray  # (n, w) uint64: a bridge language is one of these
    newcomer_waited_days: np.ndarray  # (n,) float, NaN where unknown
    volunteer_checked: np.ndarray  # (m,) bool
    volunteer_capacity_left: np.ndarray  # (m,) int, after locked pairs
    exclusion_keys: np.ndarray  # sorted int64 keys n * m + v of excluded pairs
    # The volunteers' wishes (extension `wishes`) and what they are checked against.
    newcomer_family: np.ndarray  # (n,) int8: 1 a family, 0 one person, -1 unknown
    newcomer_age: np.ndarray  # (n,) float, NaN where unknown
    volunteer_wished_family: np.ndarray  # (m,) int8: 1 a family, 0 one person, -1 either
    volunteer_age_min: np.ndarray  # (m,) float, -inf without a wish
    volunteer_age_max: np.ndarray  # (m,) float, +inf without a wish
    # Per-person values derived once and shared by every block (scoring's per-newcomer parts).
    derived: dict[str, np.ndarray] = field(default_factory=dict, repr=False)
    # The arrays each compiled kernel reads, gathered once per pool (rules, scoring).
    kernel_args: dict[str, tuple[Any, ...]] = field(default_factory=dict, repr=False)
    tuning: Tuning = DEFAULT  # how the stages work this pool (matching/tuning.py)


def _side(people: tuple[Person, ...], lang_vocab: dict[str, int], tag_vocab: dict[str, int]) -> Side:
    n = len(people)
    languages = _bitsets([p.languages for p in people], lang_vocab)
    interests = _bitsets([p.interests for p in people], tag_vocab)
    slots = np.zeros(n, dtype=np.uint32)
    for row, p in enumerate(people):
        mask = 0
        for slot in p.availability:
            mask |= 1 << SLOT_INDEX[slot]
        slots[row] = mask
    lat = np.array([np.nan if p.lat is None else p.lat for p in people], dtype=np.float64)
    lon = np.array([np.nan if p.lon is None else p.lon for p in people], dtype=np.float64)
    rlat, rlon = np.radians(lat), np.radians(lon)
    xyz = (
        np.column_stack([np.cos(rlat) * np.cos(rlon), np.cos(rlat) * np.sin(rlon), np.sin(rlat)])
        if n
        else np.zeros((0, 3))
    )
    children_mean = np.array(
        [np.mean(p.children_ages) if p.children_ages else np.nan for p in people], dtype=np.float64
    )
    return Side(
        ids=[p.id for p in people],
        languages=languages,
        interests=interests,
        n_interests=popcount(interests),
        slots=slots,
        n_slots=np.bitwise_count(slots).astype(np.int64),
        lat=lat,
        lon=lon,
        xyz=xyz,
        located=~np.isnan(lat),
        gender=np.array([GENDER_CODE[p.gender] for p in people], dtype=np.int8),
        preference=np.array([PREFERENCE_CODE[p.gender_preference] for p in people], dtype=np.int8),
        birth_year=np.array([np.nan if p.birth_year is None else p.birth_year for p in people], dtype=np.float64),
        children=np.array([-1 if p.children is None else p.children for p in people], dtype=np.int64),
        children_mean_age=children_mean,
    )


def _swedish_level(p: Person) -> int:
    if p.swedish_level is not None:
        return SWEDISH_LEVELS.index(p.swedish_level)
    # Not stated: someone who lists Swedish can make themselves understood; otherwise none yet.
    return SWEDISH_LEVELS.index("intermediate") if SWEDISH in p.languages else 0


def encode(problem: Problem, tuning: Tuning = DEFAULT) -> Encoded:
    newcomers, volunteers = problem.newcomers, problem.volunteers
    lang_vocab = {code: i for i, code in enumerate(sorted({c for p in newcomers + volunteers for c in p.languages}))}
    tag_vocab = {tag: i for i, tag in enumerate(sorted({t for p in newcomers + volunteers for t in p.interests}))}
    n_side = _side(newcomers, lang_vocab, tag_vocab)
    v_side = _side(volunteers, lang_vocab, tag_vocab)

    ref = problem.reference_date
    minor = np.array([p.birth_year is not None and ref.year - p.birth_year < 18 for p in newcomers], dtype=bool)
    waited = np.array(
        [np.nan if p.registered_on is None else (ref - p.registered_on).days for p in newcomers], dtype=np.float64
    )

    n_index = {pid: i for i, pid in enumerate(n_side.ids)}
    v_index = {pid: j for j, pid in enumerate(v_side.ids)}
    locked_newcomers = np.zeros(len(newcomers), dtype=bool)
    locked_per_volunteer = np.zeros(len(volunteers), dtype=np.int64)
    for n_id, v_id in problem.locked:
        if n_id in n_index:
            locked_newcomers[n_index[n_id]] = True
        locked_per_volunteer[v_index[v_id]] += 1
    capacity = np.array([v.capacity for v in volunteers], dtype=np.int64)

    m = len(volunteers)
    keys = set()
    for i, p in enumerate(newcomers):
        for other in p.exclude:
            if other in v_index:
                keys.add(i * m + v_index[other])
    for j, v in enumerate(volunteers):
        for other in v.exclude:
            if other in n_index:
                keys.add(n_index[other] * m + j)

    family = np.array([household_kind(p) for p in newcomers], dtype=np.int8)
    wished = {**HOUSEHOLD_KINDS, None: -1}
    but_swedish = n_side.languages.copy()
    if SWEDISH in lang_vocab:
        bit = lang_vocab[SWEDISH]
        but_swedish[:, bit // 64] &= ~(np.uint64(1) << np.uint64(bit % 64))
    return Encoded(
        problem=problem,
        newcomer_languages_but_swedish=but_swedish,
        newcomers=n_side,
        volunteers=v_side,
        newcomer_minor=minor,
        newcomer_locked=locked_newcomers,
        newcomer_swedish_level=np.array([_swedish_level(p) for p in newcomers], dtype=np.int64),
        newcomer_waited_days=waited,
        volunteer_checked=np.array([v.background_checked for v in volunteers], dtype=bool),
        volunteer_capacity_left=np.maximum(capacity - locked_per_volunteer, 0),
        exclusion_keys=np.array(sorted(keys), dtype=np.int64),
        newcomer_family=family,
        newcomer_age=ref.year - n_side.birth_year,
        volunteer_wished_family=np.array([wished[v.wish_household] for v in volunteers], dtype=np.int8),
        volunteer_age_min=np.array(
            [-np.inf if v.wish_age_min is None else v.wish_age_min for v in volunteers], dtype=np.float64
        ),
        volunteer_age_max=np.array(
            [np.inf if v.wish_age_max is None else v.wish_age_max for v in volunteers], dtype=np.float64
        ),
        tuning=tuning,
    )


# The `wishes.household` words, as household_kind gives them.
HOUSEHOLD_KINDS: dict[str | None, int] = {"single": 0, "family": 1}


def household_kind(p: Person) -> int:
    """1 for a family (children, or more than one adult), 0 for one person alone, -1 unknown:
    what a volunteer's household wish is checked against, here and in rules.wishes_broken."""
    if (p.children or 0) > 0 or (p.adults or 0) > 1:
        return 1
    if p.adults == 1 and p.children == 0:
        return 0
    return -1


@numba.njit(nogil=True, cache=True)
def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """The haversine distance on a sphere of radius 6371.0 km, as the format defines it (NaN
    where a location is missing)."""
    if lat1 != lat1 or lon1 != lon1 or lat2 != lat2 or lon2 != lon2:
        return np.nan
    to_radians = math.pi / 180.0
    p1, p2 = lat1 * to_radians, lat2 * to_radians
    half_dphi, half_dlmb = (p2 - p1) / 2.0, (lon2 * to_radians - lon1 * to_radians) / 2.0
    a = math.sin(half_dphi) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(half_dlmb) ** 2
    return (2.0 * EARTH_RADIUS_KM) * math.asin(math.sqrt(min(max(a, 0.0), 1.0)))


@numba.njit(nogil=True, cache=True)
def _great_circle_each(lat1, lon1, lat2, lon2, out):  # type: ignore[no-untyped-def]
    for k in range(len(out)):
        out[k] = haversine_km(lat1[k], lon1[k], lat2[k], lon2[k])


def great_circle_km(lat1: npt.ArrayLike, lon1: npt.ArrayLike, lat2: npt.ArrayLike, lon2: npt.ArrayLike) -> np.ndarray:
    """Haversine distance on a sphere of radius 6371.0 km, element-wise (broadcast): the same
    bits as the rules' kernel gives near the limit. (A compiled loop, not a numba ufunc: a
    ufunc with a signature compiles when its module is imported, a tenth of a second for every
    fresh process; a loop is loaded from numba's cache when first called.)"""
    shape = np.broadcast_shapes(*(np.shape(x) for x in (lat1, lon1, lat2, lon2)))
    # Copies (writable, contiguous) of the broadcast inputs: the few distances explain and the
    # rules' reports ask for, never a block's.
    a, b, c, d = (
        np.array(np.broadcast_to(np.asarray(x, np.float64), shape)).reshape(-1) for x in (lat1, lon1, lat2, lon2)
    )
    out = np.empty(shape)
    _great_circle_each(a, b, c, d, out.reshape(-1))
    return out
