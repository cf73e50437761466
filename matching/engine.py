"""From a problem to a solution: encode, find feasible pairs, score, solve, explain."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np

from matching import reasons, rules, scoring, solver
from matching.features import Encoded, encode
from matching.format import PAIRS_FORMAT, SLOTS, SOLUTION_FORMAT, Problem
from matching.scoring import CRITERIA, SCALE


@dataclass
class Scored:
    enc: Encoded
    pairs: rules.Pairs
    scores: np.ndarray  # int64, multiples of 1 / SCALE
    parts: dict[str, np.ndarray]
    seconds: dict[str, float] = field(default_factory=dict)


def _tick(seconds: dict, name: str, start: float) -> float:
    now = time.perf_counter()
    seconds[name] = round(now - start, 4)
    return now


def score_pairs(problem: Problem) -> Scored:
    seconds: dict[str, float] = {}
    t = time.perf_counter()
    enc = encode(problem)
    t = _tick(seconds, "encode", t)
    pairs = rules.feasible_pairs(enc)
    t = _tick(seconds, "candidates", t)
    scores, parts = scoring.score(enc, pairs)
    _tick(seconds, "score", t)
    return Scored(enc, pairs, scores, parts, seconds)


def _reasons(s: Scored, k: int, weights: dict[str, float]) -> dict:
    """The parts that make up the pair's score (criteria with a weight), and the facts behind them."""
    enc, pairs = s.enc, s.pairs
    i, j = pairs.n[k], pairs.v[k]
    out: dict = {name: round(float(s.parts[name][k]), 4) for name in CRITERIA if weights[name] > 0}
    d = pairs.distance_km[k]
    out["distance_km"] = None if np.isnan(d) else round(float(d), 1)
    n_person, v_person = enc.problem.newcomers[i], enc.problem.volunteers[j]
    out["shared_languages"] = [c for c in n_person.languages if c in v_person.languages]
    shared = int(enc.newcomers.slots[i] & enc.volunteers.slots[j])
    out["shared_slots"] = [slot for b, slot in enumerate(SLOTS) if shared >> b & 1]
    out["shared_interests"] = sorted(set(n_person.interests) & set(v_person.interests))
    return out


def solve_problem(
    problem: Problem, *, timings: bool = False, workers: int | None = None, read_seconds: float | None = None
) -> dict:
    """The ``vanmatch.solution/1`` document for a problem.

    Timings vary between runs; they are written (stats.seconds) only when asked for,
    so that the same input gives the same output, byte for byte.
    """
    s = score_pairs(problem)
    enc, pairs = s.enc, s.pairs
    t = time.perf_counter()
    chosen, facts = solver.solve(
        len(enc.newcomers),
        len(enc.volunteers),
        pairs.n,
        pairs.v,
        s.scores,
        enc.volunteer_capacity_left,
        workers=workers,
    )
    t = _tick(s.seconds, "solve", t)

    weights = scoring.weights_for(problem.programme.kind, problem.programme.weights)
    matched_newcomer = np.zeros(len(enc.newcomers), bool)
    matched_newcomer[pairs.n[chosen]] = True
    matches = [
        {
            "newcomer": enc.newcomers.ids[pairs.n[k]],
            "volunteer": enc.volunteers.ids[pairs.v[k]],
            "score": round(int(s.scores[k]) / SCALE, 6),
            "reasons": _reasons(s, k, weights),
        }
        for k in chosen
    ]
    has_pair = np.zeros(len(enc.newcomers), bool)
    has_pair[pairs.n] = True
    left = np.flatnonzero(~matched_newcomer & ~enc.newcomer_locked)
    unmatched = reasons.explain_unmatched(enc, left, has_pair)
    gaps = reasons.gaps(enc, unmatched)
    _tick(s.seconds, "explain", t)

    total = int(s.scores[chosen].sum())
    stats = {
        "newcomers": len(enc.newcomers),
        "volunteers": len(enc.volunteers),
        "locked": len(problem.locked),
        "feasible_pairs": len(pairs),
        "matched": len(matches),
        "unmatched": len(unmatched),
        "total_score": round(total / SCALE, 6),
        "components": facts["components"],
        "largest_component_pairs": facts["largest_component_pairs"],
        "weights": weights,
    }
    if timings:
        stats["seconds"] = ({"read": round(read_seconds, 4)} if read_seconds is not None else {}) | s.seconds
        stats["processes"] = facts["processes"]
    return {"format": SOLUTION_FORMAT, "matches": matches, "unmatched": unmatched, "gaps": gaps, "stats": stats}


def pairs_document(problem: Problem) -> dict:
    """The ``vanmatch.pairs/1`` document: every feasible pair with its score."""
    s = score_pairs(problem)
    n_ids, v_ids = s.enc.newcomers.ids, s.enc.volunteers.ids
    return {
        "format": PAIRS_FORMAT,
        "pairs": [
            {"newcomer": n_ids[i], "volunteer": v_ids[j], "score": round(int(c) / SCALE, 6)}
            for i, j, c in zip(s.pairs.n.tolist(), s.pairs.v.tolist(), s.scores.tolist(), strict=True)
        ],
    }
