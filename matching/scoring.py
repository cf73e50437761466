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

from matching.features import Encoded, popcount
from matching.rules import Pairs

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


def parts(enc: Encoded, pairs: Pairs, only: set[str] | None = None) -> dict[str, np.ndarray]:
    """Each criterion's part for every pair (only those named in `only`), as float arrays in [0, 1]."""
    N, V = enc.newcomers, enc.volunteers
    ni, vi = pairs.n, pairs.v
    wanted = set(CRITERIA) if only is None else only
    out: dict[str, np.ndarray] = {}

    if "language" in wanted:
        shared_lang = N.languages[ni] & V.languages[vi]
        if enc.swedish_bit is not None:
            shared_lang[:, enc.swedish_bit // 64] &= ~(np.uint64(1) << np.uint64(enc.swedish_bit % 64))
        bridge = np.any(shared_lang != 0, axis=1)
        no_bridge = NO_BRIDGE_BY_SWEDISH_LEVEL[enc.newcomer_swedish_level]  # per newcomer
        out["language"] = np.where(bridge, 1.0, no_bridge[ni])

    if "interests" in wanted:
        inter = popcount(N.interests[ni] & V.interests[vi])
        union = popcount(N.interests[ni] | V.interests[vi])
        out["interests"] = np.divide(inter, union, out=np.zeros(len(ni)), where=union > 0)

    if "availability" in wanted:
        shared_slots = np.bitwise_count(N.slots[ni] & V.slots[vi]).astype(np.float64)
        fewer = np.minimum(N.n_slots[ni], V.n_slots[vi])
        out["availability"] = np.divide(shared_slots, fewer, out=np.zeros(len(ni)), where=fewer > 0)

    if "distance" in wanted:
        d = pairs.distance_km
        max_km = enc.problem.programme.max_distance_km
        near = 1.0 - d / max_km if max_km is not None and max_km > 0 else np.exp(-d / 25.0)
        out["distance"] = np.clip(np.where(np.isnan(d), 0.5, near), 0.0, 1.0)

    if "age" in wanted:
        gap = np.abs(N.birth_year[ni] - V.birth_year[vi])
        out["age"] = np.where(np.isnan(gap), 0.5, np.clip(1.0 - gap / 40.0, 0.0, 1.0))

    if "household" in wanted:
        cn, cv = N.children[ni], V.children[vi]
        known = (cn >= 0) & (cv >= 0)
        both, neither = (cn > 0) & (cv > 0), (cn == 0) & (cv == 0)
        age_gap = np.abs(N.children_mean_age[ni] - V.children_mean_age[vi])
        with_kids = np.where(np.isnan(age_gap), 1.0, np.clip(1.0 - age_gap / 15.0, 0.3, 1.0))
        out["household"] = np.where(~known, 0.5, np.where(both, with_kids, np.where(neither, 1.0, 0.3)))

    if "waiting" in wanted:
        waited = enc.newcomer_waited_days  # per newcomer, then gathered
        out["waiting"] = np.where(np.isnan(waited), 0.0, np.clip(waited / 180.0, 0.0, 1.0))[ni]
    return out


def score(enc: Encoded, pairs: Pairs, *, with_parts: bool = False) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """(scores as int64 multiples of 1/SCALE in [1, SCALE], the parts if asked for).

    Only the criteria with a weight are computed unless the parts are wanted.
    """
    weights = weights_for(enc.problem.programme.kind, enc.problem.programme.weights)
    used = {name for name in CRITERIA if weights[name]}
    p = parts(enc, pairs, None if with_parts else used)
    raw = np.zeros(len(pairs))
    for name in CRITERIA:
        if weights[name]:
            raw += weights[name] * p[name]
    raw /= sum(weights.values())
    scaled = np.clip(np.rint(raw * SCALE), 1, SCALE).astype(np.int64)
    return scaled, p
