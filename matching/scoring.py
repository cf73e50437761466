"""The score of a feasible pair: a weighted mean of named parts, each in [0, 1].

    score = sum(weight[c] * part[c]) / sum(weight[c]),  then rounded to 6 decimals, at least 0.000001

The criteria (see README.md beside this file for a worked example):

- ``language``: a bridge language. 1 when the pair shares a language other than
  Swedish; otherwise it depends on the newcomer's Swedish: none 0, basic 0.5,
  intermediate or better 1 (no bridge needed).
- ``interests``: shared interests / all their interests (Jaccard); 0 if either lists none.
- ``availability``: shared weekly slots / the fewer slots of the two.
- ``distance``: 1 - distance / max_distance_km, nearer is better; without a limit
  exp(-distance / 25 km). 0.5 when a location is missing.
- ``age``: 1 - |difference in birth years| / 40, at least 0; 0.5 when unknown.
- ``household``: for friend families: 1 when both households have children (closer
  if their children's ages are known and near) or neither has; 0.3 when only one
  has; 0.5 when unknown.
- ``waiting``: how long the newcomer has waited, days / 180, at most 1; 0 when unknown.
  It makes the solver prefer those who have waited longest when not all can be matched.

Weights are per programme; those missing take the programme kind's defaults below.
Scores are rounded to 6 decimals so that the solver's integer costs are the scores exactly.
"""

from __future__ import annotations

import math

import numba
import numpy as np

from matching import rules
from matching.encode import Encoded
from matching.rules import Block, Pairs

CRITERIA = ("language", "interests", "availability", "distance", "age", "household", "waiting")

DEFAULT_WEIGHTS: dict[str, dict[str, float]] = {
    "sprakvan": {
        "language": 1.0,
        "interests": 1.0,
        "availability": 1.0,
        "distance": 1.0,
        "age": 0.5,
        "household": 0.0,
        "waiting": 0.5,
    },
    "flyktingguide": {
        "language": 1.5,
        "interests": 1.0,
        "availability": 0.75,
        "distance": 1.0,
        "age": 0.5,
        "household": 0.0,
        "waiting": 0.5,
    },
    "vanfamilj": {
        "language": 1.0,
        "interests": 0.75,
        "availability": 0.75,
        "distance": 1.0,
        "age": 0.25,
        "household": 1.5,
        "waiting": 0.5,
    },
}
SCALE = 1_000_000  # scores are multiples of 1 / SCALE
NO_BRIDGE_BY_SWEDISH_LEVEL = np.array([0.0, 0.5, 1.0, 1.0, 1.0])  # none, basic, intermediate, fluent, native


def weights_for(kind: str, given: dict[str, float]) -> dict[str, float]:
    """The programme's weights over the kind's defaults (parse_problem refuses all zeros)."""
    return {**DEFAULT_WEIGHTS[kind], **given}


def parts(
    enc: Encoded, n: rules.Picker, v: rules.Picker, distance_km: np.ndarray, only: set[str] | None = None
) -> dict[str, np.ndarray]:
    """Each criterion's part (only those named in `only`), as float arrays in [0, 1].

    `n(x)` and `v(x)` pick a per-newcomer and a per-volunteer array for the pairs at hand
    (x[ni], x[vi] for a list of pairs).
    """
    N, V = enc.newcomers, enc.volunteers
    wanted = set(CRITERIA) if only is None else only
    one_word = N.languages.shape[1] == 1
    out: dict[str, np.ndarray] = {}

    if "language" in wanted:
        if one_word:
            bridge = (n(enc.newcomer_languages_but_swedish[:, 0]) & v(V.languages[:, 0])) != 0
        else:
            bridge = np.any(n(enc.newcomer_languages_but_swedish) & v(V.languages), axis=-1)
        out["language"] = np.where(bridge, 1.0, n(_per_newcomer(enc, "no_bridge")))

    if "interests" in wanted:
        if N.interests.shape[1] == 1:
            inter = np.bitwise_count(n(N.interests[:, 0]) & v(V.interests[:, 0])).astype(np.int64)
        else:
            inter = np.bitwise_count(n(N.interests) & v(V.interests)).sum(axis=-1, dtype=np.int64)
        union = n(N.n_interests) + v(V.n_interests) - inter
        out["interests"] = np.divide(inter, union, out=np.zeros(np.shape(union)), where=union > 0)

    if "availability" in wanted:
        shared_slots = np.bitwise_count(n(N.slots) & v(V.slots)).astype(np.float64)
        fewer = np.minimum(n(N.n_slots), v(V.n_slots))
        out["availability"] = np.divide(shared_slots, fewer, out=np.zeros(np.shape(fewer)), where=fewer > 0)

    if "distance" in wanted:
        d = distance_km
        max_km = enc.problem.programme.max_distance_km
        near = 1.0 - d / max_km if max_km is not None and max_km > 0 else np.exp(-d / 25.0)
        out["distance"] = np.clip(np.where(np.isnan(d), 0.5, near), 0.0, 1.0)

    if "age" in wanted:
        gap = np.abs(n(N.birth_year) - v(V.birth_year))
        out["age"] = np.where(np.isnan(gap), 0.5, np.clip(1.0 - gap / 40.0, 0.0, 1.0))

    if "household" in wanted:
        cn, cv = n(N.children), v(V.children)
        known = (cn >= 0) & (cv >= 0)
        both, neither = (cn > 0) & (cv > 0), (cn == 0) & (cv == 0)
        age_gap = np.abs(n(N.children_mean_age) - v(V.children_mean_age))
        with_kids = np.where(np.isnan(age_gap), 1.0, np.clip(1.0 - age_gap / 15.0, 0.3, 1.0))
        out["household"] = np.where(~known, 0.5, np.where(both, with_kids, np.where(neither, 1.0, 0.3)))

    if "waiting" in wanted:
        out["waiting"] = n(_per_newcomer(enc, "waiting"))
    return out


def _per_newcomer(enc: Encoded, name: str) -> np.ndarray:
    """A part that depends on the newcomer alone, for every newcomer, worked out once per pool
    (not once per block)."""
    values = enc.derived.get(name)
    if values is None:
        if name == "no_bridge":
            values = NO_BRIDGE_BY_SWEDISH_LEVEL[enc.newcomer_swedish_level]
        else:  # waiting
            waited = enc.newcomer_waited_days
            values = np.where(np.isnan(waited), 0.0, np.clip(waited / 180.0, 0.0, 1.0))
        enc.derived[name] = values
    return values


_M1 = np.uint64(0x5555555555555555)
_M2 = np.uint64(0x3333333333333333)
_M4 = np.uint64(0x0F0F0F0F0F0F0F0F)
_H01 = np.uint64(0x0101010101010101)


@numba.njit(nogil=True, cache=True)
def _bits(x):  # type: ignore[no-untyped-def]
    """Set bits in a uint64 (the SWAR count: numba has no popcount of its own)."""
    x = x - ((x >> np.uint64(1)) & _M1)
    x = (x & _M2) + ((x >> np.uint64(2)) & _M2)
    x = (x + (x >> np.uint64(4))) & _M4
    return np.int64((x * _H01) >> np.uint64(56))


@numba.njit(nogil=True, cache=True)
def _clip(x: float, low: float, high: float) -> float:
    return min(max(x, low), high)


@numba.njit(nogil=True, cache=True)
def _score_entries(rows, cols, at_row, at_col, km, people, weights, total):  # type: ignore[no-untyped-def]
    """The scores (int32, SCALE units) of the pairs (rows[at_row[k]], cols[at_col[k]]) at km[k]
    apart: the arithmetic the module's docstring gives (each part as `parts` works it out,
    then weight * part summed in CRITERIA's order, / total, * SCALE, rounded half to even,
    clipped to [1, SCALE]), so a pair scores the same whichever way it is reached."""
    (but_swedish, v_lang, no_bridge, n_int, v_int, n_n_int, v_n_int, n_slots, v_slots, n_n_slots, v_n_slots,
     n_birth, v_birth, n_children, v_children, n_kid_age, v_kid_age, waiting, limit_km) = people  # fmt: skip
    out = np.empty(len(at_row), np.int32)
    for k in range(len(at_row)):
        i, j, d = rows[at_row[k]], cols[at_col[k]], km[k]
        raw = 0.0
        if weights[0]:  # language
            bridge = False
            for w in range(but_swedish.shape[1]):
                if but_swedish[i, w] & v_lang[j, w]:
                    bridge = True
            raw += weights[0] * (1.0 if bridge else no_bridge[i])
        if weights[1]:  # interests
            inter = 0
            for w in range(n_int.shape[1]):
                inter += _bits(n_int[i, w] & v_int[j, w])
            union = n_n_int[i] + v_n_int[j] - inter
            raw += weights[1] * (inter / union if union > 0 else 0.0)
        if weights[2]:  # availability
            fewer = min(n_n_slots[i], v_n_slots[j])
            shared = float(_bits(np.uint64(n_slots[i] & v_slots[j])))
            raw += weights[2] * (shared / fewer if fewer > 0 else 0.0)
        if weights[3]:  # distance
            if d != d:
                near = 0.5
            elif limit_km > 0:
                near = _clip(1.0 - d / limit_km, 0.0, 1.0)
            else:
                near = _clip(math.exp(-d / 25.0), 0.0, 1.0)
            raw += weights[3] * near
        if weights[4]:  # age
            gap = abs(n_birth[i] - v_birth[j])
            raw += weights[4] * (0.5 if gap != gap else _clip(1.0 - gap / 40.0, 0.0, 1.0))
        if weights[5]:  # household
            cn, cv = n_children[i], v_children[j]
            if cn < 0 or cv < 0:
                household = 0.5
            elif cn > 0 and cv > 0:
                age_gap = abs(n_kid_age[i] - v_kid_age[j])
                household = 1.0 if age_gap != age_gap else _clip(1.0 - age_gap / 15.0, 0.3, 1.0)
            elif cn == 0 and cv == 0:
                household = 1.0
            else:
                household = 0.3
            raw += weights[5] * household
        if weights[6]:  # waiting
            raw += weights[6] * waiting[i]
        raw /= total
        raw *= SCALE
        out[k] = np.int32(_clip(np.rint(raw), 1.0, SCALE))
    return out


def _kernel_args(enc: Encoded) -> tuple[tuple[np.ndarray | float, ...], np.ndarray, float]:
    """(the per-person arrays the score reads, the weights in CRITERIA's order, their sum),
    gathered once per pool."""
    args = enc.kernel_args.get("scoring")
    if args is None:
        N, V = enc.newcomers, enc.volunteers
        max_km = enc.problem.programme.max_distance_km
        people = (
            enc.newcomer_languages_but_swedish, V.languages, _per_newcomer(enc, "no_bridge"), N.interests,
            V.interests, N.n_interests, V.n_interests, N.slots, V.slots, N.n_slots, V.n_slots, N.birth_year,
            V.birth_year, N.children, V.children, N.children_mean_age, V.children_mean_age,
            _per_newcomer(enc, "waiting"), 0.0 if max_km is None else float(max_km),
        )  # fmt: skip
        weights = weights_for(enc.problem.programme.kind, enc.problem.programme.weights)
        args = enc.kernel_args["scoring"] = (
            people,
            np.array([weights[name] for name in CRITERIA], np.float64),
            float(sum(weights.values())),
        )
    return args


def score(enc: Encoded, pairs: Pairs, *, with_parts: bool = False) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """(scores as int64 multiples of 1/SCALE in [1, SCALE], the parts if asked for) for a list of pairs."""
    n, v = np.asarray(pairs.n, np.int64), np.asarray(pairs.v, np.int64)
    at = np.arange(len(pairs))
    scores = _score_entries(n, v, at, at, np.asarray(pairs.distance_km, np.float64), *_kernel_args(enc))
    p = parts(enc, lambda x: x[n], lambda x: x[v], pairs.distance_km) if with_parts else {}
    return scores.astype(np.int64), p


def score_block(enc: Encoded, block: Block) -> np.ndarray:
    """The scores (int32) of a block's feasible entries, in the block's (row-major) order, by
    the compiled kernel `score` uses for a list of pairs: a pair scores the same bit for bit
    whichever way it is reached."""
    return _score_entries(
        block.rows.astype(np.int64, copy=False),
        block.cols.astype(np.int64, copy=False),
        block.feasible_row,
        block.feasible_col,
        block.feasible_km,
        *_kernel_args(enc),
    )
