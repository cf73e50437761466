"""The hard rules: which (newcomer, volunteer) pairs are feasible.

A pair is feasible only if all of these hold (the spec's numbering):
1. they share a language; 2. they share a weekly slot; 3. when both have a
location and the programme a limit, the great-circle distance is within it;
4. each side's gender preference is met by the other's gender; 5. a minor
newcomer's volunteer is background-checked; 6. neither excludes the other;
7. the newcomer is in no locked pair; 8. the volunteer has capacity left.

Candidates are blocked by location before any pair is looked at: people are put in
cells of a 3-D grid over the unit sphere whose side is the chord of the distance
limit, so that everyone within reach of a newcomer is in the 27 cells around hers.
Each cell's newcomers against the volunteers around it is one dense block, in which
every rule is a vectorised (bitmask, broadcast) test; only the feasible entries leave
the block. Nothing the size of all pairs is ever held at once: callers consume the
blocks as a stream.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import numba
import numpy as np

from matching.encode import EARTH_RADIUS_KM, HOUSEHOLD_KINDS, Encoded, great_circle_km, haversine_km, household_kind
from matching.format import Person, Problem

# The sizes of a dense block and of a run of pairs are enc.tuning's (matching/tuning.py).

# `n(x)`, `v(x)`: a per-newcomer (per-volunteer) array of the pool, taken for the pairs at hand.
Picker = Callable[[np.ndarray], np.ndarray]


@dataclass
class Pairs:
    """Feasible pairs, sorted by (newcomer, volunteer)."""

    n: np.ndarray  # int32 newcomer index
    v: np.ndarray  # int32 volunteer index
    distance_km: np.ndarray  # float64, NaN where a location is missing

    def __len__(self) -> int:
        return len(self.n)

    def take(self, index: np.ndarray) -> Pairs:
        return Pairs(self.n[index], self.v[index], self.distance_km[index])

    @staticmethod
    def concat(parts: list[Pairs]) -> Pairs:
        if not parts:
            return Pairs(np.zeros(0, np.int32), np.zeros(0, np.int32), np.zeros(0))
        return Pairs(
            np.concatenate([p.n for p in parts]),
            np.concatenate([p.v for p in parts]),
            np.concatenate([p.distance_km for p in parts]),
        )

    def sorted(self, n_volunteers: int) -> Pairs:
        order = np.argsort(self.n.astype(np.int64) * n_volunteers + self.v, kind="stable")
        return self.take(order)


def chord(max_km: float) -> float:
    """The straight-line distance between two points on the unit sphere max_km apart."""
    return 2.0 * np.sin(min(max_km / EARTH_RADIUS_KM, np.pi) / 2.0)


def _cell_keys(xyz: np.ndarray, side: float) -> np.ndarray:
    cells = np.floor(xyz / side).astype(np.int64) + (int(2.0 / side) + 2)
    k = 2 * (int(2.0 / side) + 3)
    return (cells[:, 0] * k + cells[:, 1]) * k + cells[:, 2]


def _neighbour_offsets(side: float) -> np.ndarray:
    k = 2 * (int(2.0 / side) + 3)
    d = np.array([-1, 0, 1])
    return ((d[:, None, None] * k + d[None, :, None]) * k + d[None, None, :]).ravel()


def _groups(enc: Encoded) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """(newcomer rows, candidate volunteer columns, ascending) for every block of the pool."""
    N, V = enc.newcomers, enc.volunteers
    n_open = np.flatnonzero(~enc.newcomer_locked)
    v_open = np.flatnonzero(enc.volunteer_capacity_left > 0)
    if len(n_open) == 0 or len(v_open) == 0:
        return
    max_km = enc.problem.programme.max_distance_km
    if max_km is None:
        yield n_open, v_open
        return
    n_loc, v_loc = n_open[N.located[n_open]], v_open[V.located[v_open]]
    v_unloc = v_open[~V.located[v_open]]
    n_unloc = n_open[~N.located[n_open]]
    if len(n_unloc):
        yield n_unloc, v_open  # rule 3 binds only when both have a location
    if len(n_loc) == 0:
        return
    side = max(chord(max_km) * (1 + 1e-9), 1e-6)
    v_keys = _cell_keys(V.xyz[v_loc], side)
    v_order = np.argsort(v_keys, kind="stable")
    v_sorted_keys, v_sorted = v_keys[v_order], v_loc[v_order]
    n_keys = _cell_keys(N.xyz[n_loc], side)
    offsets = _neighbour_offsets(side)
    cells = np.unique(n_keys)
    n_order = np.argsort(n_keys, kind="stable")
    bounds = np.r_[np.searchsorted(n_keys[n_order], cells), len(n_order)]
    for c in range(len(cells)):
        rows = np.sort(n_loc[n_order[bounds[c] : bounds[c + 1]]])
        around = cells[c] + offsets
        lo, hi = np.searchsorted(v_sorted_keys, around), np.searchsorted(v_sorted_keys, around, side="right")
        cols = np.concatenate([v_sorted[a:b] for a, b in zip(lo, hi, strict=True) if b > a] + [v_unloc])
        if len(cols):
            yield rows, np.sort(cols)


# Rule 3 and the distances, for the kernels below and for lists of pairs: from the unit
# vectors' dot product, written once (`_dot`) in one order, so that a pair's distance
# is the same bit for bit in a block and in a list of pairs. Within 1e-6 km of the limit the
# haversine, as the rule is written, decides.
@numba.njit(nogil=True, cache=True)
def _dot(n_xyz, i, v_xyz, j):  # type: ignore[no-untyped-def]
    """The dot product of newcomer i's and volunteer j's unit vectors, in the one order."""
    return n_xyz[i, 0] * v_xyz[j, 0] + n_xyz[i, 1] * v_xyz[j, 1] + n_xyz[i, 2] * v_xyz[j, 2]


@numba.njit(nogil=True, cache=True)
def _km(dot: float, lat_i: float, lon_i: float, lat_j: float, lon_j: float, max_km: float) -> float:
    """Great-circle km from two unit vectors' dot product (NaN: a location is missing); `max_km`
    NaN without a limit."""
    if dot != dot:
        return np.nan
    chord_sq = min(max(2.0 - 2.0 * dot, 0.0), 4.0)
    half = min(max(math.sqrt(chord_sq) / 2.0, 0.0), 1.0)
    km = (2.0 * EARTH_RADIUS_KM) * math.asin(half)
    if abs(km - max_km) < 1e-6:
        km = haversine_km(lat_i, lon_i, lat_j, lon_j)
    return km


@numba.njit(nogil=True, cache=True)
def _pair_km(ni, vj, n_xyz, v_xyz, n_lat, n_lon, v_lat, v_lon, max_km):  # type: ignore[no-untyped-def]
    out = np.empty(len(ni))
    for k in range(len(ni)):
        i, j = ni[k], vj[k]
        out[k] = _km(_dot(n_xyz, i, v_xyz, j), n_lat[i], n_lon[i], v_lat[j], v_lon[j], max_km)
    return out


def _limit(enc: Encoded) -> float:
    max_km = enc.problem.programme.max_distance_km
    return np.nan if max_km is None else float(max_km)


def pair_distances(enc: Encoded, ni: np.ndarray, vj: np.ndarray) -> np.ndarray:
    """Great-circle km of a list of pairs (NaN where a location is missing): the same bits as
    their block gives them."""
    N, V = enc.newcomers, enc.volunteers
    return _pair_km(
        np.asarray(ni, np.int64), np.asarray(vj, np.int64), N.xyz, V.xyz, N.lat, N.lon, V.lat, V.lon, _limit(enc)
    )


@numba.njit(nogil=True, cache=True)
def _feasible_entries(rows, cols, people, limits, exclusion_keys, m, out_r, out_c, out_km):  # type: ignore[no-untyped-def]
    """Every hard rule on each entry of rows × cols, row by row: the feasible entries' positions
    in rows and cols (row-major) and distances, written into out_*; their count returned."""
    (n_lang, v_lang, n_slots, v_slots, n_pref, n_gender, v_pref, v_gender, n_minor, v_checked,
     n_family, v_family, n_age, v_age_min, v_age_max, n_xyz, v_xyz, n_lat, n_lon, v_lat, v_lon) = people  # fmt: skip
    max_km, lowest_dot = limits
    limited = max_km == max_km
    words = n_lang.shape[1]
    count = 0
    for a in range(len(rows)):
        i = rows[a]
        # 6: this newcomer's exclusions, keys i * m + j in ascending j, as the columns are.
        e = np.searchsorted(exclusion_keys, i * m)
        e_end = np.searchsorted(exclusion_keys, i * m + m)
        slots_i, pref_i, gender_i, family_i, age_i = n_slots[i], n_pref[i], n_gender[i], n_family[i], n_age[i]
        for b in range(len(cols)):
            j = cols[b]
            shared = False  # 1
            for w in range(words):
                if n_lang[i, w] & v_lang[j, w]:
                    shared = True
                    break
            if not shared or not (slots_i & v_slots[j]):  # 2
                continue
            if (v_pref[j] >= 0 and v_pref[j] != gender_i) or (pref_i >= 0 and v_gender[j] != pref_i):  # 4
                continue
            if n_minor[i] and not v_checked[j]:  # 5
                continue
            if family_i >= 0 and v_family[j] >= 0 and v_family[j] != family_i:  # the household wish
                continue
            if age_i < v_age_min[j] or age_i > v_age_max[j]:  # the age wish; an unknown age (NaN) passes
                continue
            dot = _dot(n_xyz, i, v_xyz, j)
            if limited and dot < lowest_dot:  # 3, surely out of reach; NaN (no location) passes
                continue
            km = _km(dot, n_lat[i], n_lon[i], v_lat[j], v_lon[j], max_km)
            if limited and km > max_km:  # 3, exactly
                continue
            key = i * m + j
            while e < e_end and exclusion_keys[e] < key:
                e += 1
            if e < e_end and exclusion_keys[e] == key:  # 6
                continue
            out_r[count], out_c[count], out_km[count] = a, b, km
            count += 1
    return count


def _kernel_args(enc: Encoded) -> tuple[tuple[np.ndarray, ...], tuple[float, float], np.ndarray, int]:
    """(the per-person arrays the rules' kernel reads, in its order; the distance limit and the
    dot product below which a pair is surely beyond it; the exclusions' keys; their base m),
    gathered once per pool, as scoring's are."""
    args = enc.kernel_args.get("rules")
    if args is None:
        N, V = enc.newcomers, enc.volunteers
        people = (
            N.languages, V.languages, N.slots, V.slots, N.preference, N.gender, V.preference, V.gender,
            enc.newcomer_minor, enc.volunteer_checked, enc.newcomer_family, enc.volunteer_wished_family,
            enc.newcomer_age, enc.volunteer_age_min, enc.volunteer_age_max, N.xyz, V.xyz, N.lat, N.lon, V.lat, V.lon,
        )  # fmt: skip
        max_km = _limit(enc)
        lowest_dot = -np.inf if np.isnan(max_km) else lowest_dot_in_reach(max_km)
        args = enc.kernel_args["rules"] = (people, (max_km, lowest_dot), enc.exclusion_keys, max(1, len(V)))
    return args


class Buffers(threading.local):
    """Each thread's own room for a block's feasible entries, reused block after block (a block
    has at most tuning.block_entries entries, or one row)."""

    def room(self, entries: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        held = getattr(self, "held", None)
        if held is None or len(held[0]) < entries:
            held = self.held = (np.empty(entries, np.int32), np.empty(entries, np.int32), np.empty(entries))
        return held


_BUFFERS = Buffers()


def lowest_dot_in_reach(max_km: float) -> float:
    """A dot product of unit vectors below which two people are surely beyond `max_km` (by
    the dot-product formula and by the haversine that decides within 1e-6 km of the limit):
    the cosine of a slightly longer arc, less far more than rounding could move a dot."""
    return float(np.cos(min((max_km + 1e-5) / EARTH_RADIUS_KM, np.pi))) - 1e-12


@dataclass
class Block:
    """A dense block: newcomers `rows` against volunteers `cols` (both ascending), and its
    feasible entries in row-major order, by their positions in `rows` and `cols`."""

    rows: np.ndarray
    cols: np.ndarray
    # int32, half the memory traffic of numpy's own index type (a block has at most
    # tuning.block_entries entries, or one row); a gather converts its index to intp first, so
    # those who gather many times convert a run once.
    feasible_row: np.ndarray  # int32 position in `rows` of each feasible entry
    feasible_col: np.ndarray  # int32 position in `cols`
    feasible_km: np.ndarray  # their distances, float64 (NaN: a location is missing)

    def pairs(self) -> Pairs:
        return Pairs(
            self.rows[self.feasible_row].astype(np.int32),
            self.cols[self.feasible_col].astype(np.int32),
            self.feasible_km,
        )


def _by_language(enc: Encoded, rows: np.ndarray, cols: np.ndarray) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """Split a group by rule 1 before any pair is looked at: newcomers who speak Swedish against
    every volunteer (nearly all speak it), the others, by the set of languages they speak,
    against only the volunteers who speak one of them: where many newcomers speak no Swedish,
    this drops many of the entries a pool would otherwise look at."""
    N, V = enc.newcomers, enc.volunteers
    if N.languages.shape[1] != 1:  # more than 64 languages in the pool: no split
        yield rows, cols
        return
    own = N.languages[rows, 0]
    swedish = (own & ~enc.newcomer_languages_but_swedish[rows, 0]) != 0
    if swedish.any():
        yield rows[swedish], cols
    others, masks = rows[~swedish], own[~swedish]
    for mask in np.unique(masks):
        speakers = cols[(V.languages[cols, 0] & mask) != 0]
        if len(speakers):
            yield others[masks == mask], speakers


def block_specs(enc: Encoded) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """(newcomer rows, volunteer columns), both ascending, of every dense block, at most
    tuning.block_entries each (or one row). A newcomer is in one block, with every volunteer it could
    be paired with, or in none when nobody within reach speaks its language."""
    for rows_near, cols_near in _groups(enc):
        for rows_all, cols in _by_language(enc, rows_near, cols_near):
            step = max(1, enc.tuning.block_entries // max(1, len(cols)))
            for start in range(0, len(rows_all), step):
                yield rows_all[start : start + step], cols


def age_wish_met(ages: np.ndarray, low: np.ndarray, high: np.ndarray) -> np.ndarray:
    """An age within a wished range; an unknown age (NaN) passes."""
    return ~((ages < low) | (ages > high))


def dense_block(enc: Encoded, rows: np.ndarray, cols: np.ndarray) -> Block:
    """The block of `rows` × `cols` with every hard rule applied (rules 7 and 8 were applied in
    choosing rows and cols), by one compiled kernel that lets go of the GIL: blocks may be built
    in several threads at once."""
    out_r, out_c, out_km = _BUFFERS.room(len(rows) * len(cols))
    count = _feasible_entries(
        rows.astype(np.int64, copy=False), cols.astype(np.int64, copy=False), *_kernel_args(enc), out_r, out_c, out_km
    )
    return Block(rows, cols, out_r[:count].copy(), out_c[:count].copy(), out_km[:count].copy())


def dense_blocks(enc: Encoded) -> Iterator[Block]:
    """The pool in dense blocks with every hard rule applied. A newcomer is in at most one block."""
    for rows, cols in block_specs(enc):
        yield dense_block(enc, rows, cols)


def blocks(enc: Encoded) -> Iterator[Pairs]:
    """The feasible pairs, a block at a time (each block sorted by newcomer, then volunteer)."""
    for block in dense_blocks(enc):
        pairs = block.pairs()
        if len(pairs):
            yield pairs


def feasible_pairs(enc: Encoded) -> Pairs:
    """Every feasible pair at once, sorted: for small pools and the pairs document."""
    return Pairs.concat(list(blocks(enc))).sorted(len(enc.volunteers))


RULE_CODES = (
    "language",
    "time",
    "distance",
    "gender_preference",
    "wishes",
    "background_check",
    "excluded",
    "locked",
    "capacity",
)


def wishes_broken(n: Person, v: Person, reference_year: int) -> list[str]:
    """Which of the volunteer's wishes (extension `wishes`) a newcomer does not meet:
    "family", "single" (the household wished for), "age". Unknown households and ages pass."""
    broken = []
    kind = household_kind(n)
    if v.wish_household is not None and kind >= 0 and kind != HOUSEHOLD_KINDS[v.wish_household]:
        broken.append(v.wish_household)
    if n.birth_year is not None:
        age = reference_year - n.birth_year
        if (v.wish_age_min is not None and age < v.wish_age_min) or (
            v.wish_age_max is not None and age > v.wish_age_max
        ):
            broken.append("age")
    return broken


def broken_rules(problem: Problem, newcomer_id: str, volunteer_id: str) -> list[str]:
    """The hard rules (their codes, in the spec's order) that one pair breaks; empty when feasible.

    For a single pair a coordinator proposes by hand, so it reads the people directly rather
    than the arrays; tests check it against the engine's feasible pairs.
    """
    n = next(p for p in problem.newcomers if p.id == newcomer_id)
    v = next(p for p in problem.volunteers if p.id == volunteer_id)
    broken = []
    if not set(n.languages) & set(v.languages):
        broken.append("language")
    if not set(n.availability) & set(v.availability):
        broken.append("time")
    max_km = problem.programme.max_distance_km
    if (
        max_km is not None
        and (n.lat is not None and n.lon is not None)  # has_location: both or neither are set
        and (v.lat is not None and v.lon is not None)
        and float(great_circle_km(n.lat, n.lon, v.lat, v.lon)) > max_km
    ):
        broken.append("distance")
    wrong_for_newcomer = n.gender_preference is not None and v.gender != n.gender_preference
    wrong_for_volunteer = v.gender_preference is not None and n.gender != v.gender_preference
    if wrong_for_newcomer or wrong_for_volunteer:
        broken.append("gender_preference")
    if wishes_broken(n, v, problem.reference_date.year):
        broken.append("wishes")
    minor = n.birth_year is not None and problem.reference_date.year - n.birth_year < 18
    if minor and not v.background_checked:
        broken.append("background_check")
    if v.id in n.exclude or n.id in v.exclude:
        broken.append("excluded")
    if any(ln == n.id for ln, _lv in problem.locked):
        broken.append("locked")
    if v.capacity - sum(1 for _ln, lv in problem.locked if lv == v.id) <= 0:
        broken.append("capacity")
    return broken
