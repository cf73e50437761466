"""From a problem to a solution: encode, stream the feasible pairs, score, solve, explain.

Small pools (up to tuning.direct_pairs feasible pairs) are solved on every feasible pair at
once. Larger ones are solved exactly without holding every pair, by column generation: the
min-cost flow is solved on a working set (each newcomer's and each volunteer's best pairs),
then every feasible pair is priced, its reduced cost taken against the solution's dual
potentials; any pair that could improve it (a negative reduced cost) joins the working set
and the flow is solved again. When no pair can, the potentials certify that the solution is
optimal over all feasible pairs (linear programming duality: no negative-reduced-cost arc
means no improving cycle; pricing.py). See matching/README.md; the measurements are in
bench/README.md.

`solve` returns a `Solution`: the assignment, and `document()` for ``vanmatch.solution/1``
with every match's reasons and every unmatched newcomer's (explain.py), built only when asked.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from matching import candidates, explain, flow, pricing, rules, scoring
from matching.encode import Encoded, encode
from matching.format import PAIRS_FORMAT, SLOTS, SOLUTION_FORMAT, Problem, garbage_collector_paused
from matching.rules import Pairs
from matching.scoring import CRITERIA, SCALE
from matching.tuning import DEFAULT, Tuning


@dataclass
class Pool:
    enc: Encoded
    has_pair: np.ndarray
    # Per newcomer, the lowest score kept in the working set when some of its pairs were
    # left out (every left-out pair scores at most this), else -1: nothing was left out.
    kth_kept: np.ndarray
    feasible: int = 0
    working: list[Pairs] = field(default_factory=list)
    working_scores: list[np.ndarray] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)


def cores_available() -> int:
    """The cores this process may use, at most 4 (more has not been measured)."""
    try:
        return max(1, min(4, len(os.sched_getaffinity(0))))
    except AttributeError:  # not on Linux
        return max(1, min(4, os.cpu_count() or 1))


def _tick(seconds: dict[str, float], name: str, start: float) -> float:
    now = time.perf_counter()
    seconds[name] = round(seconds.get(name, 0.0) + now - start, 4)
    return now


def _stream(enc: Encoded, seconds: dict[str, float], block_pass: candidates.BlockPass) -> Pool:
    """One pass over the pool: count the feasible pairs, note who has any, and keep a working
    set: each newcomer's tuning.keep_per_newcomer best pairs and each volunteer's
    tuning.keep_per_volunteer best (or, while there are at most tuning.direct_pairs, every pair:
    see _solve_problem).

    The blocks are worked by the block pass's threads; what they give is gathered here in
    block order, so the working set does not depend on their number."""
    n, m, k_v = len(enc.newcomers), len(enc.volunteers), enc.tuning.keep_per_volunteer
    pool = Pool(enc, has_pair=np.zeros(n, bool), seconds=seconds, kth_kept=np.full(n, -1, np.int64))
    # Each volunteer's best pairs so far, across blocks: score (0 = none), newcomer.
    v_score = np.zeros((m, k_v), np.int64)
    v_newcomer = np.full((m, k_v), -1, np.int64)
    t = time.perf_counter()
    for sifted in block_pass.sift():
        if not sifted.feasible:
            continue
        # block_best fills these for a block with pairs (only `lowest` may stay None).
        assert sifted.per_row is not None and sifted.partial is not None
        assert sifted.best_pairs is not None and sifted.best_scores is not None
        assert sifted.cand_cols is not None and sifted.cand_s is not None and sifted.cand_n is not None
        rows, cols = block_pass.specs[sifted.index]
        pool.feasible += sifted.feasible
        pool.has_pair[rows[sifted.per_row > 0]] = True
        if sifted.lowest is not None:
            pool.kth_kept[rows[sifted.partial]] = sifted.lowest[sifted.partial]
        pool.working.append(sifted.best_pairs)
        pool.working_scores.append(sifted.best_scores)
        candidates.merge_running_best(v_score, v_newcomer, cols[sifted.cand_cols], sifted.cand_s, sifted.cand_n)
    # The wall time of the pass, shared between the two phases as the threads' time was.
    wall, busy = time.perf_counter() - t, block_pass.busy
    share = busy[0] / sum(busy) if sum(busy) > 0 else 0.5
    seconds["candidates"] = round(seconds.get("candidates", 0.0) + wall * share, 4)
    seconds["score"] = round(seconds.get("score", 0.0) + wall * (1 - share), 4)
    vv, kk = np.nonzero(v_score > 0)
    ni, vj = v_newcomer[vv, kk], vv
    pool.working.append(rules.Pairs(ni.astype(np.int32), vj.astype(np.int32), rules.pair_distances(enc, ni, vj)))
    pool.working_scores.append(v_score[vv, kk])
    return pool


def _merge(enc: Encoded, parts: list[Pairs], scores: list[np.ndarray]) -> tuple[Pairs, np.ndarray]:
    """Concatenate, drop repeated pairs, sort by (newcomer, volunteer)."""
    pairs = Pairs.concat(parts)
    s = np.concatenate(scores) if scores else np.zeros(0, np.int64)
    keys = pairs.n.astype(np.int64) * len(enc.volunteers) + pairs.v
    _, first = np.unique(keys, return_index=True)
    return pairs.take(first), s[first]


def _flow(enc: Encoded, pairs: Pairs, scores: np.ndarray, workers: int | None) -> tuple[np.ndarray, dict[str, int]]:
    """The best assignment on these pairs: the chosen pairs' indices, and facts about the solve."""
    return flow.solve(
        len(enc.newcomers),
        len(enc.volunteers),
        pairs.n,
        pairs.v,
        scores,
        enc.volunteer_capacity_left,
        workers=workers,
        parallel_min_arcs=enc.tuning.parallel_min_arcs,
    )


def _solve_certified(
    pool: Pool, big: int, workers: int | None, block_pass: candidates.BlockPass
) -> tuple[Pairs, np.ndarray, np.ndarray, dict[str, int]]:
    enc, seconds = pool.enc, pool.seconds
    pairs, scores = _merge(enc, pool.working, pool.working_scores)
    pool.working, pool.working_scores = [], []
    rounds = 0
    while True:
        rounds += 1
        if rounds > enc.tuning.max_rounds:
            raise RuntimeError(f"the working-set solve did not settle in {enc.tuning.max_rounds} rounds")
        t = time.perf_counter()
        chosen, facts = _flow(enc, pairs, scores, workers)
        t = _tick(seconds, "solve", t)
        pot_n, pot_v = pricing.potentials(enc, pairs, big + scores, chosen)
        t = _tick(seconds, "potentials", t)
        working_keys = pairs.n.astype(np.int64) * len(enc.volunteers) + pairs.v  # sorted, as pairs are
        add, add_scores = [], []
        any_improves = False
        for found, found_scores, improves in block_pass.price(
            pricing.Prices(pot_n, pot_v, pool.kth_kept, working_keys, big)
        ):
            add.append(found)
            add_scores.append(found_scores)
            any_improves |= improves
        if any_improves:
            add, add_scores = pricing.within_budget(enc.tuning, len(pairs), add, add_scores, pot_n, pot_v)
        _tick(seconds, "price", t)
        if not any_improves:
            facts["rounds"] = rounds
            facts["working_pairs"] = len(pairs)
            return pairs, scores, chosen, facts
        pairs, scores = _merge(enc, [pairs, *add], [scores, *add_scores])


def _match_documents(
    enc: Encoded, pairs: Pairs, scores: np.ndarray, part_values: dict[str, np.ndarray], weights: dict[str, float]
) -> list[dict[str, Any]]:
    """One {'newcomer', 'volunteer', 'score', 'reasons'} per matched pair: the parts that make up
    the score (criteria with a weight) and the facts behind them. Arrays become Python lists
    first, so the loop over matches touches no numpy scalars."""
    names = [name for name in CRITERIA if weights[name] > 0]
    columns = {name: [round(x, 4) for x in part_values[name].tolist()] for name in names}
    newcomers, volunteers = enc.problem.newcomers, enc.problem.volunteers
    n_ids, v_ids = enc.newcomers.ids, enc.volunteers.ids
    shared_slots = (enc.newcomers.slots[pairs.n] & enc.volunteers.slots[pairs.v]).tolist()
    slot_words: dict[int, list[str]] = {}
    out = []
    for k, (i, j, km, score, slots) in enumerate(
        zip(pairs.n.tolist(), pairs.v.tolist(), pairs.distance_km.tolist(), scores.tolist(), shared_slots, strict=True)
    ):
        reasons: dict[str, Any] = {name: columns[name][k] for name in names}
        reasons["distance_km"] = None if km != km else round(km, 1)  # NaN: a location is missing
        n_person, v_person = newcomers[i], volunteers[j]
        reasons["shared_languages"] = [c for c in n_person.languages if c in v_person.languages]
        if slots not in slot_words:
            slot_words[slots] = [slot for b, slot in enumerate(SLOTS) if slots >> b & 1]
        reasons["shared_slots"] = list(slot_words[slots])
        reasons["shared_interests"] = sorted(set(n_person.interests) & set(v_person.interests))
        out.append({"newcomer": n_ids[i], "volunteer": v_ids[j], "score": round(score / SCALE, 6), "reasons": reasons})
    return out


def preload() -> None:
    """Make ready now what a solve would otherwise wait for on its first run: OR-Tools' flow
    solver and scipy's k-d tree imported, and the compiled kernels loaded from numba's cache
    (or compiled) by solving a pool of one pair. A long-lived process (the Celery worker) calls
    this at start, so that its first matching run is as quick as the next (bench/README.md)."""
    import scipy.spatial  # noqa: F401
    from ortools.graph.python import min_cost_flow  # noqa: F401

    from matching.format import parse_problem

    person = {"languages": ["sv"], "availability": ["mon-evening"], "location": {"lat": 59.3, "lon": 18.0}}
    solve_problem(
        parse_problem(
            {
                "format": "vanmatch.problem/1",
                "reference_date": "2026-01-01",
                "programme": {"kind": "sprakvan", "max_distance_km": 25},
                "newcomers": [{"id": "n", **person}],
                "volunteers": [{"id": "v", **person}],
            }
        )
    )


@dataclass
class Solution:
    """A solved pool: the best assignment (as many newcomers matched as possible, then the
    largest total score) and what the solve found on the way. `document()` writes it as
    ``vanmatch.solution/1``, with each match's reasons and each unmatched newcomer's, which is
    most of the objects a run makes: a caller that needs only who is matched (a what-if's
    re-solve) asks `matched_ids()` and never builds them."""

    enc: Encoded
    matched: Pairs  # the chosen pairs, in (newcomer, volunteer) order
    scores: np.ndarray  # their scores, in millionths (scoring.SCALE)
    has_pair: np.ndarray  # per newcomer: has a feasible pair at all
    feasible: int  # feasible pairs in the pool
    facts: dict[str, int]  # the flow's: components, rounds, working pairs, processes
    seconds: dict[str, float]

    def matched_ids(self) -> list[tuple[str, str]]:
        """(newcomer id, volunteer id) of each match."""
        n_ids, v_ids = self.enc.newcomers.ids, self.enc.volunteers.ids
        return [(n_ids[i], v_ids[j]) for i, j in zip(self.matched.n.tolist(), self.matched.v.tolist(), strict=True)]

    def document(self, *, timings: bool = False, read_seconds: float | None = None) -> dict[str, Any]:
        """The ``vanmatch.solution/1`` document. Timings vary between runs; they are written
        (stats.seconds, stats.solver) only when asked for, so that the same input gives the
        same output, byte for byte."""
        with garbage_collector_paused():  # the matches and reasons are many small objects
            return self._document(timings, read_seconds)

    def _document(self, timings: bool, read_seconds: float | None) -> dict[str, Any]:
        enc, problem = self.enc, self.enc.problem
        seconds = dict(self.seconds)  # a second document times its own explaining
        t = time.perf_counter()
        weights = scoring.weights_for(problem.programme.kind, problem.programme.weights)
        _, part_values = scoring.score(enc, self.matched, with_parts=True)
        matches = _match_documents(enc, self.matched, self.scores, part_values, weights)
        matched_newcomer = np.zeros(len(enc.newcomers), bool)
        matched_newcomer[self.matched.n] = True
        left = np.flatnonzero(~matched_newcomer & ~enc.newcomer_locked)
        unmatched = explain.explain_unmatched(enc, left, self.has_pair)
        gaps = explain.gaps(enc, unmatched)
        _tick(seconds, "explain", t)
        stats = {
            "newcomers": len(enc.newcomers),
            "volunteers": len(enc.volunteers),
            "locked": len(problem.locked),
            "feasible_pairs": self.feasible,
            "matched": len(matches),
            "unmatched": len(unmatched),
            "total_score": round(int(self.scores.sum()) / SCALE, 6),
            "components": self.facts.get("components", 0),
            "largest_component_pairs": self.facts.get("largest_component_pairs", 0),
            "weights": weights,
        }
        if timings:
            stats["seconds"] = ({"read": round(read_seconds, 4)} if read_seconds is not None else {}) | seconds
            stats["solver"] = {
                k: v for k, v in self.facts.items() if k not in {"components", "largest_component_pairs"}
            }
        return {"format": SOLUTION_FORMAT, "matches": matches, "unmatched": unmatched, "gaps": gaps, "stats": stats}


def solve(
    problem: Problem,
    *,
    workers: int | None = None,
    threads: int | None = None,
    progress: Callable[[str], None] | None = None,
    tuning: Tuning = DEFAULT,
) -> Solution:
    """Solve a problem. `progress`, when given, is called with each stage's name as it begins:
    ``encode``, ``pairs`` (the feasible pairs found and scored), ``solve`` (the assignment and
    its certificate). `tuning` (matching/tuning.py) changes how the pool is worked, never the
    answer; `threads` and `workers` how many threads work the blocks and processes the flows."""
    progress = progress or (lambda _stage: None)
    seconds: dict[str, float] = {}
    progress("encode")
    t = time.perf_counter()
    enc = encode(problem, tuning)
    _tick(seconds, "encode", t)
    threads = cores_available() if threads is None else max(1, threads)
    with garbage_collector_paused(), candidates.BlockPass(enc, threads) as block_pass:
        progress("pairs")
        pool = _stream(enc, seconds, block_pass)
        progress("solve")
        facts: dict[str, int]
        if pool.feasible <= enc.tuning.direct_pairs:
            pairs, scores = _merge(enc, *block_pass.pairs())
            t = time.perf_counter()
            chosen, facts = _flow(enc, pairs, scores, workers)
            _tick(seconds, "solve", t)
        else:
            big = SCALE * (len(enc.newcomers) + 1)  # one more newcomer matched outweighs any score
            pairs, scores, chosen, facts = _solve_certified(pool, big, workers, block_pass)
    return Solution(enc, pairs.take(chosen), scores[chosen], pool.has_pair, pool.feasible, facts, seconds)


def solve_problem(
    problem: Problem,
    *,
    timings: bool = False,
    workers: int | None = None,
    threads: int | None = None,
    read_seconds: float | None = None,
    progress: Callable[[str], None] | None = None,
    tuning: Tuning = DEFAULT,
) -> dict[str, Any]:
    """The ``vanmatch.solution/1`` document for a problem: `solve`, then its document, the last
    stage reported to `progress` being ``explain``."""
    solution = solve(problem, workers=workers, threads=threads, progress=progress, tuning=tuning)
    if progress is not None:
        progress("explain")
    return solution.document(timings=timings, read_seconds=read_seconds)


def pairs_document(problem: Problem) -> dict[str, Any]:
    """The ``vanmatch.pairs/1`` document: every feasible pair with its score."""
    enc = encode(problem)
    pairs = rules.feasible_pairs(enc)
    scores, _ = scoring.score(enc, pairs)
    n_ids, v_ids = enc.newcomers.ids, enc.volunteers.ids
    return {
        "format": PAIRS_FORMAT,
        "pairs": [
            {"newcomer": n_ids[i], "volunteer": v_ids[j], "score": round(int(c) / SCALE, 6)}
            for i, j, c in zip(pairs.n.tolist(), pairs.v.tolist(), scores.tolist(), strict=True)
        ],
    }
