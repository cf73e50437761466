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

import numpy as np

from matching import rules
from matching.features import Encoded
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


def _combine(
    enc: Encoded, p: dict[str, np.ndarray], shape: int, dtype: type[np.signedinteger] = np.int64
) -> np.ndarray:
    """sum(weight * part) / sum(weights), in SCALE units, in place into one array."""
    weights = weights_for(enc.problem.programme.kind, enc.problem.programme.weights)
    raw = np.zeros(shape)
    term = np.empty(shape)
    for name in CRITERIA:
        if weights[name]:
            np.multiply(weights[name], p[name], out=term)
            raw += term
    raw /= sum(weights.values())
    raw *= SCALE
    np.rint(raw, out=raw)
    np.clip(raw, 1, SCALE, out=raw)
    return raw.astype(dtype)


def _used(enc: Encoded) -> set[str]:
    weights = weights_for(enc.problem.programme.kind, enc.problem.programme.weights)
    return {name for name in CRITERIA if weights[name]}


def score(enc: Encoded, pairs: Pairs, *, with_parts: bool = False) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """(scores as int64 multiples of 1/SCALE in [1, SCALE], the parts if asked for) for a list of pairs.

    Only the criteria with a weight are computed unless the parts are wanted.
    """
    ni, vi = pairs.n, pairs.v
    p = parts(enc, lambda x: x[ni], lambda x: x[vi], pairs.distance_km, None if with_parts else _used(enc))
    return _combine(enc, p, len(pairs)), p


def score_block(enc: Encoded, block: Block) -> np.ndarray:
    """The scores (int32) of a block's feasible entries, in the block's (row-major) order.

    Only the feasible entries are scored (often a small part of a block), as a
    list of pairs: the very computation `score` does, so a pair scores the same bit for bit
    whichever way it is reached. Each person's values are first taken for the block's own
    people, so that the gathers per pair read short arrays.
    """
    block_rows, block_cols, used = rules.PeopleOf(block.rows), rules.PeopleOf(block.cols), _used(enc)
    out = np.empty(len(block.feasible_row), np.int32)
    at_once = enc.tuning.pairs_at_once
    for start in range(0, len(out), at_once):
        part = slice(start, start + at_once)
        r, c = block.feasible_row[part].astype(np.intp), block.feasible_col[part].astype(np.intp)
        p = parts(enc, block_rows.picker(r), block_cols.picker(c), block.feasible_km[part], used)
        out[part] = _combine(enc, p, len(r), np.int32)
    return out
