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

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import numpy as np

from matching.features import EARTH_RADIUS_KM, HOUSEHOLD_KINDS, Encoded, great_circle_km, household_kind
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


def _distance(enc: Encoded, n: Picker, v: Picker) -> np.ndarray:
    """Great-circle km between the people `n(x)` and `v(x)` pick (NaN where a location is missing).

    From the unit vectors' dot product, written out element by element (not a matrix product,
    whose rounding depends on the BLAS kernel), so that a pair's distance is the same bit for
    bit in a dense block and in a list of pairs. Within 1e-6 km of the limit the haversine,
    as the rule is written, decides.
    """
    N, V = enc.newcomers, enc.volunteers
    dot = n(N.xyz[:, 0]) * v(V.xyz[:, 0]) + n(N.xyz[:, 1]) * v(V.xyz[:, 1]) + n(N.xyz[:, 2]) * v(V.xyz[:, 2])
    return _km_from_dot(enc, dot, n, v)


def _km_from_dot(enc: Encoded, dot: np.ndarray, n: Picker, v: Picker) -> np.ndarray:
    N, V = enc.newcomers, enc.volunteers
    half = np.sqrt(np.clip(2.0 - 2.0 * dot, 0.0, 4.0)) / 2.0
    distance = 2.0 * EARTH_RADIUS_KM * np.arcsin(np.clip(half, 0.0, 1.0))
    max_km = enc.problem.programme.max_distance_km
    if max_km is not None:
        near = np.abs(distance - max_km) < 1e-6
        if near.any():
            exact = great_circle_km(n(N.lat), n(N.lon), v(V.lat), v(V.lon))
            distance = np.where(near, exact, distance)
    return distance


def lowest_dot_in_reach(max_km: float) -> float:
    """A dot product of unit vectors below which two people are surely beyond `max_km` (by
    the dot-product formula and by the haversine that decides within 1e-6 km of the limit):
    the cosine of a slightly longer arc, less far more than rounding could move a dot."""
    return float(np.cos(min((max_km + 1e-5) / EARTH_RADIUS_KM, np.pi))) - 1e-12


def pair_distances(enc: Encoded, ni: np.ndarray, vj: np.ndarray) -> np.ndarray:
    """The same distances as a dense block gives, for a list of pairs."""
    return _distance(enc, lambda x: x[ni], lambda x: x[vj])


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


class PeopleOf:
    """A block's own people's values, taken from the pool's per-person arrays once per block,
    then per pair from those short arrays: `picker(at)` is x -> x[people][at]. Arrays are told
    apart by their memory (a column view is made anew at every call), so each is taken once;
    hence `x` must be a per-person array of the pool (or a view of one), never a temporary
    whose memory a later array could reuse while the block is worked on."""

    def __init__(self, people: np.ndarray):
        self.people = people
        self.taken: dict[tuple[int, tuple[int, ...], tuple[int, ...], str], np.ndarray] = {}

    def of(self, x: np.ndarray) -> np.ndarray:
        key = (x.__array_interface__["data"][0], x.strides, x.shape, x.dtype.str)
        local = self.taken.get(key)
        if local is None:
            local = self.taken[key] = x[self.people]
        return local

    def picker(self, at: np.ndarray) -> Picker:
        return lambda x: self.of(x)[at]


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


def _wishes_and_checks(enc: Encoded, rows: np.ndarray, cols: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Rules 4 (gender wishes both ways), 5 (a minor's volunteer is background-checked) and
    the volunteer's household wish (extension `wishes`): (a mask over `cols` per kind of
    newcomer, each row's kind). They depend on a newcomer only through its wish, its gender,
    whether it is a minor and whether it comes as a family: at most 72 kinds, so each kind's
    mask is worked out once and the block's rows are copied from those."""
    N, V = enc.newcomers, enc.volunteers
    kind = ((N.preference[rows].astype(np.int64) + 1) * 4 + N.gender[rows] + 1) * 2 + enc.newcomer_minor[rows]
    kind = kind * 3 + enc.newcomer_family[rows] + 1
    kinds, row_kind = np.unique(kind, return_inverse=True)
    gender, wish, checked = V.gender[cols], V.preference[cols], enc.volunteer_checked[cols]
    wished_family = enc.volunteer_wished_family[cols]
    masks = np.empty((len(kinds), len(cols)), bool)
    for k, code in enumerate(kinds.tolist()):
        family, code = code % 3 - 1, code // 3
        n_wish, n_gender, minor = code // 8 - 1, code // 2 % 4 - 1, code % 2
        mask = (wish < 0) | (wish == n_gender)  # the volunteer's wish
        if n_wish >= 0:
            mask &= gender == n_wish  # the newcomer's wish
        if minor:
            mask &= checked
        if family >= 0:  # an unknown household passes the volunteer's wish
            mask &= (wished_family < 0) | (wished_family == family)
        masks[k] = mask
    return masks, row_kind


def _age_wishes(enc: Encoded, rows: np.ndarray, cols: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The columns whose volunteer wished for an age range, their bounds, and the rows' ages:
    the one rule checked entry by entry, and only in those columns."""
    low, high = enc.volunteer_age_min[cols], enc.volunteer_age_max[cols]
    wishing = np.flatnonzero((low > -np.inf) | (high < np.inf))
    return wishing, np.stack([low[wishing], high[wishing]]), enc.newcomer_age[rows]


def age_wish_met(ages: np.ndarray, low: np.ndarray, high: np.ndarray) -> np.ndarray:
    """An age within a wished range; an unknown age (NaN) passes."""
    return ~((ages < low) | (ages > high))


def dense_block(enc: Encoded, rows: np.ndarray, cols: np.ndarray) -> Block:
    """The block of `rows` × `cols` with every hard rule applied. Pure: blocks may be built
    in several processes at once."""
    N, V = enc.newcomers, enc.volunteers
    max_km = enc.problem.programme.max_distance_km
    one_word = N.languages.shape[1] == 1
    if one_word:
        # 1: a volunteer who speaks a language every row speaks (Swedish, or the one language
        # of a block split by language) passes for the whole column; only the others are
        # checked entry by entry.
        own, theirs = N.languages[rows, 0], V.languages[cols, 0]
        whole_column = (theirs & np.bitwise_and.reduce(own)) != 0
        rest = np.flatnonzero(~whole_column)
        theirs_rest = theirs[rest]
    own_slots, their_slots = N.slots[rows], V.slots[cols]
    masks, row_kind = _wishes_and_checks(enc, rows, cols)
    age_cols, age_bounds, ages = _age_wishes(enc, rows, cols)
    # 3: the unit vectors' dot product for every entry of a run (the same products and sums as
    # for a list of pairs, so each distance is the same bit for bit as anywhere else); entries
    # surely out of reach are dropped before any pair is listed, the distance worked out only
    # for the rest and the rule applied to it exactly.
    xr, yr, zr = (np.ascontiguousarray(N.xyz[rows, k]) for k in range(3))
    xc, yc, zc = (np.ascontiguousarray(V.xyz[cols, k]) for k in range(3))
    lowest_dot = None if max_km is None else lowest_dot_in_reach(max_km)
    block_rows, block_cols = PeopleOf(rows), PeopleOf(cols)
    found: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
    n_cols = len(cols)
    step = max(1, enc.tuning.pairs_at_once // max(1, n_cols))
    for start in range(0, len(rows), step):  # a few rows at a time: the temporaries stay in cache
        run = slice(start, start + step)
        if one_word:  # 1
            ok = np.repeat(whole_column[None, :], len(rows[run]), axis=0)
            if len(rest):
                ok[:, rest] = (own[run, None] & theirs_rest[None, :]) != 0
        else:  # 1, more than 64 languages in the pool
            ok = np.any(N.languages[rows[run]][:, None, :] & V.languages[cols][None, :, :], axis=2)
        ok &= (own_slots[run, None] & their_slots[None, :]) != 0  # 2
        ok &= masks[row_kind[run]]  # 4, 5 and the household wish
        if len(age_cols):  # the age wish
            ok[:, age_cols] &= age_wish_met(ages[run, None], age_bounds[0][None, :], age_bounds[1][None, :])
        dot = xr[run, None] * xc[None, :]
        dot += yr[run, None] * yc[None, :]
        dot += zr[run, None] * zc[None, :]
        if lowest_dot is not None:
            ok &= ~(dot < lowest_dot)  # NaN, a missing location, passes
        index = np.flatnonzero(ok)
        r = index // n_cols
        c = index - r * n_cols
        r += start
        km = _km_from_dot(enc, dot.ravel()[index], block_rows.picker(r), block_cols.picker(c))
        if max_km is not None:
            near = ~(km > max_km)  # NaN, a missing location, passes
            if not near.all():
                r, c, km = r[near], c[near], km[near]
        found.append((r.astype(np.int32), c.astype(np.int32), km))
    # Rules 7 and 8 were applied in choosing rows and cols.
    r, c, km = (np.concatenate(x) for x in zip(*found, strict=True))  # a block has at least one row
    if len(enc.exclusion_keys) and len(r):  # 6
        m = max(1, len(V))
        keys = enc.exclusion_keys  # sorted newcomer * m + volunteer
        lo, hi = np.searchsorted(keys, rows[0] * m), np.searchsorted(keys, rows[-1] * m + m)
        en, ev = keys[lo:hi] // m, keys[lo:hi] % m
        er = np.minimum(np.searchsorted(rows, en), len(rows) - 1)
        ec = np.minimum(np.searchsorted(cols, ev), len(cols) - 1)
        hit = (rows[er] == en) & (cols[ec] == ev)
        if hit.any():
            n_cols = len(cols)
            kept = ~np.isin(r.astype(np.int64) * n_cols + c, er[hit] * n_cols + ec[hit])
            r, c, km = r[kept], c[kept], km[kept]
    return Block(rows, cols, r, c, km)


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
