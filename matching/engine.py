"""From a problem to a solution: encode, stream the feasible pairs, score, solve, explain.

Small pools (up to DIRECT_PAIRS feasible pairs) are solved on every feasible pair at
once. Larger ones are solved exactly without holding every pair: the flow is solved
on a working set (each newcomer's and each volunteer's best pairs), then every
feasible pair is priced against the solution's dual potentials; any pair that could
improve it joins the working set and the flow is solved again. When no pair can, the
potentials certify that the solution is optimal over all feasible pairs (linear
programming duality: no negative-reduced-cost arc means no improving cycle). See
matching/README.md.
"""

from __future__ import annotations

import os
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np

from matching import reasons, rules, scoring, solver
from matching.features import Encoded, encode
from matching.format import PAIRS_FORMAT, SLOTS, SOLUTION_FORMAT, Problem
from matching.memory import garbage_collector_paused, keep_freed_memory
from matching.rules import Pairs
from matching.scoring import CRITERIA, SCALE

DIRECT_PAIRS = 200_000  # above this many feasible pairs, solve on a certified working set (faster)
KEEP_PER_NEWCOMER = 24
KEEP_PER_VOLUNTEER = 8
# A round that finds an improving pair also adds the pairs that nearly improve (gain above
# -NEAR_GAIN), each newcomer's ADD_PER_NEWCOMER best: the next solve moves the potentials,
# and those are the pairs it would find next. The region and the nation settle in 2 rounds
# instead of 4.
NEAR_GAIN = SCALE // 20
ADD_PER_NEWCOMER = 64
# Each newcomer's 24th and each new volunteer's 8th best in a block are found from a histogram
# of at most this many bins.
HISTOGRAM_BINS = 1 << 17
SCORE_BITS = 20  # scores are at most SCALE
assert SCALE < 1 << SCORE_BITS
MAX_ROUNDS = 100  # each round adds at least one improving pair; our benchmarks settle in two


@dataclass
class Pool:
    enc: Encoded
    feasible: int = 0
    has_pair: np.ndarray | None = None
    all_pairs: list[Pairs] = field(default_factory=list)
    all_scores: list[np.ndarray] = field(default_factory=list)
    working: list[Pairs] = field(default_factory=list)
    working_scores: list[np.ndarray] = field(default_factory=list)
    # Per newcomer, the lowest score kept in the working set when some of its pairs were
    # left out (every left-out pair scores at most this), else -1: nothing was left out.
    kth_kept: np.ndarray | None = None
    # Each block's newcomers, volunteers, feasible pairs per newcomer, each feasible pair's
    # volunteer (its position among the block's: uint16 where that fits, else int32; pairs in
    # row-major order) and score (int32), so that pricing rounds neither apply the rules nor
    # score again: six bytes per feasible pair.
    block_pairs: list[tuple[np.ndarray, ...]] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)


def threads_available() -> int:
    """The cores this process may use (at most 4: blocks are memory-bound beyond that)."""
    try:
        return max(1, min(4, len(os.sched_getaffinity(0))))
    except AttributeError:  # not on Linux
        return max(1, min(4, os.cpu_count() or 1))


def _in_order(fn: Callable, items: Iterable, threads: int) -> Iterator:
    """fn(item) for every item, on `threads` threads, the results in the items' order; at most
    twice as many items in flight as there are threads, so memory stays a few blocks' worth.
    The results are the same whatever the number of threads: each is computed alone."""
    if threads <= 1:
        yield from map(fn, items)
        return
    with ThreadPoolExecutor(max_workers=threads, thread_name_prefix="vanmatch-block") as pool:
        window: deque = deque()
        for item in items:
            window.append(pool.submit(fn, item))
            if len(window) >= 2 * threads:
                yield window.popleft().result()
        while window:
            yield window.popleft().result()


def _tick(seconds: dict, name: str, start: float) -> float:
    now = time.perf_counter()
    seconds[name] = round(seconds.get(name, 0.0) + now - start, 4)
    return now


def _best(group: np.ndarray, values: np.ndarray, k: int) -> np.ndarray:
    """Mask of each group's k highest values; ties go to the earlier entry (blocks are sorted)."""
    order = np.lexsort((-values, group))
    mask = np.zeros(len(group), bool)
    mask[order[solver.rank_in_groups(group[order]) < k]] = True
    return mask


@dataclass
class _BlockBest:
    """What the working set takes from one block, worked out on the block's own thread."""

    per_row: np.ndarray  # feasible pairs per newcomer
    feasible_col: np.ndarray  # each feasible pair's column, uint16 where the block is that narrow
    feasible_scores: np.ndarray  # int32, row-major
    best_pairs: Pairs  # each newcomer's KEEP_PER_NEWCOMER best
    best_scores: np.ndarray
    lowest: np.ndarray | None  # per row that left pairs out, the lowest score it kept; else None
    partial: np.ndarray
    cand_cols: np.ndarray  # the block's columns (positions) whose volunteers may gain a better pair
    cand_s: np.ndarray  # per such column, its KEEP_PER_VOLUNTEER best in the block
    cand_n: np.ndarray


def _kth_by_row(row: np.ndarray, scores: np.ndarray, per_row: np.ndarray, k: int) -> np.ndarray:
    """Each row's k-th highest score (0 for a row with fewer than k): `row` is each score's
    row (or column), `per_row` how many each row has. A histogram per row over coarse bins of
    the score finds the bin the k-th falls in; only the scores in that bin and above (a few
    dozen a row) are then sorted. Scores are in [1, SCALE], below 2**SCORE_BITS."""
    n_rows = len(per_row)
    bits = max(0, min(10, (HISTOGRAM_BINS // max(1, n_rows)).bit_length() - 1))
    n_bins = 1 << bits
    bin_of = scores >> (SCORE_BITS - bits)
    counts = np.bincount(row * n_bins + bin_of, minlength=n_rows * n_bins).reshape(n_rows, n_bins)
    enough = np.cumsum(counts[:, ::-1], axis=1) >= k  # from the top bin down
    lowest_bin = n_bins - 1 - np.argmax(enough, axis=1)  # a row with fewer: the top bin, unused
    candidates = np.flatnonzero(bin_of >= lowest_bin[row])
    cr, cs = row[candidates], scores[candidates]
    order = np.lexsort((-cs, cr))  # by row, the highest first
    cr, cs = cr[order], cs[order]
    kth = np.zeros(n_rows, scores.dtype)
    full = np.flatnonzero(per_row >= k)
    kth[full] = cs[np.searchsorted(cr, full) + k - 1]
    return kth


def _block_best(block: rules.Block, feasible_scores: np.ndarray, floor: np.ndarray) -> _BlockBest:
    """Each newcomer's KEEP_PER_NEWCOMER best pairs in the block (more on a tie at the last
    place) and each volunteer's KEEP_PER_VOLUNTEER best (exactly, a tie going to the earlier
    newcomer).

    `floor` is, per volunteer, a score its best in this block must beat to enter its running
    best (the running best's last, read while other blocks are merged: it only rises, and this
    block is merged after it is read, so it is never above the last at merge time). Volunteers
    whose best here does not beat it are skipped: most, once the first blocks are merged."""
    n_rows = len(block.rows)
    k_n, k_v = KEEP_PER_NEWCOMER, KEEP_PER_VOLUNTEER
    r_all = block.feasible_row
    per_row = np.bincount(r_all, minlength=n_rows)
    if per_row.max() > k_n:
        kth = _kth_by_row(r_all, feasible_scores, per_row, k_n)  # 0 for a row with fewer: it keeps all
        kept = np.flatnonzero(feasible_scores >= kth[r_all])
    else:
        kth, kept = np.zeros(n_rows, np.int32), np.arange(len(r_all))
    # A newcomer's pairs are all in its block: the lowest it keeps (its k-th) bounds all it leaves out.
    r = r_all[kept]
    partial = per_row > np.bincount(r, minlength=n_rows)
    c_all = block.feasible_col
    c = c_all[kept]
    # Each volunteer's best in the block among the pairs that beat its floor (no other could
    # enter its running best: the kept ones are at least the floor, and a tie goes to them).
    above = np.flatnonzero(feasible_scores > floor[block.cols][c_all])
    vc, vr, vs = c_all[above], r_all[above], feasible_scores[above]
    per_col = np.bincount(vc, minlength=len(block.cols))
    if len(per_col) and per_col.max() > k_v:  # a block of new volunteers: their k-th first
        top = vs >= _kth_by_row(vc, vs, per_col, k_v)[vc]
        vc, vr, vs = vc[top], vr[top], vs[top]
    order = np.lexsort((vr, -vs, vc))  # by volunteer, the highest first, a tie to the earlier newcomer
    vc, vr, vs = vc[order], vr[order], vs[order]
    slot = solver.rank_in_groups(vc)
    top = slot < k_v
    vc, vr, vs, slot = vc[top], vr[top], vs[top], slot[top]
    cand_cols, ci = solver.distinct_and_places(vc)
    cand_s, cand_n = np.zeros((len(cand_cols), k_v), np.int64), np.full((len(cand_cols), k_v), -1)
    cand_s[ci, slot] = vs
    cand_n[ci, slot] = block.rows[vr]
    return _BlockBest(
        per_row=per_row,
        feasible_col=c_all.astype(np.uint16 if len(block.cols) <= 1 << 16 else np.int32),
        feasible_scores=feasible_scores,
        best_pairs=Pairs(block.rows[r].astype(np.int32), block.cols[c].astype(np.int32), block.feasible_km[kept]),
        best_scores=feasible_scores[kept],
        lowest=kth.astype(np.int64) if partial.any() else None,
        partial=partial,
        cand_cols=cand_cols,
        cand_s=cand_s,
        cand_n=cand_n,
    )


def _stream(enc: Encoded, seconds: dict, threads: int) -> Pool:
    """One pass over the pool: count the feasible pairs, note who has any, and keep either all
    of them (while there are at most DIRECT_PAIRS) or a working set: each newcomer's
    KEEP_PER_NEWCOMER best pairs and each volunteer's KEEP_PER_VOLUNTEER best.

    Blocks are built, scored and sifted on `threads` threads; what they give is gathered here in
    block order, so the working set does not depend on the number of threads."""
    n, m, k_v = len(enc.newcomers), len(enc.volunteers), KEEP_PER_VOLUNTEER
    pool = Pool(enc, has_pair=np.zeros(n, bool), seconds=seconds, kth_kept=np.full(n, -1, np.int64))
    kept_blocks: list[tuple[rules.Block, np.ndarray, _BlockBest]] | None = []
    # Each volunteer's best pairs so far, across blocks: score (0 = none), newcomer.
    v_score = np.zeros((m, k_v), np.int64)
    v_newcomer = np.full((m, k_v), -1, np.int64)

    def keep_best(block: rules.Block, best: _BlockBest) -> None:
        """Remember the block for pricing and add its best pairs to the working set."""
        pool.block_pairs.append((block.rows, block.cols, best.per_row, best.feasible_col, best.feasible_scores))
        if best.lowest is not None:
            pool.kth_kept[block.rows[best.partial]] = best.lowest[best.partial]
        pool.working.append(best.best_pairs)
        pool.working_scores.append(best.best_scores)
        # Merge the block's best per volunteer into the running best, for the volunteers whose
        # best in the block beats the last they have kept (a tie goes to the earlier block).
        cols = block.cols[best.cand_cols]
        better = np.flatnonzero(best.cand_s.max(axis=1) > v_score[cols, -1])
        cols = cols[better]
        all_s = np.concatenate([v_score[cols], best.cand_s[better]], axis=1)
        all_n = np.concatenate([v_newcomer[cols], best.cand_n[better]], axis=1)
        order = np.argsort(-all_s, axis=1, kind="stable")[:, :k_v]
        v_score[cols] = np.take_along_axis(all_s, order, axis=1)
        v_newcomer[cols] = np.take_along_axis(all_n, order, axis=1)

    def scored(spec: tuple[np.ndarray, np.ndarray]):
        t0 = time.perf_counter()
        block = rules.dense_block(enc, *spec)
        t1 = time.perf_counter()
        scores = scoring.score_block(enc, block)
        count = len(block.feasible_row)
        # Sifting is wasted on the first blocks of a pool that may stay small; cheap there anyway.
        best = _block_best(block, scores, v_score[:, -1]) if count else None
        with_pair = best.per_row > 0 if count else np.zeros(len(block.rows), bool)
        return block, scores, count, best, with_pair, (t1 - t0, time.perf_counter() - t1)

    t = time.perf_counter()
    busy = [0.0, 0.0]  # thread-seconds spent on candidates and on scoring
    for block, scores, count, best, with_pair, spent in _in_order(scored, rules.block_specs(enc), threads):
        busy[0] += spent[0]
        busy[1] += spent[1]
        pool.feasible += count
        pool.has_pair[block.rows[with_pair]] = True
        if count and kept_blocks is not None:
            kept_blocks.append((block, scores, best))
            if pool.feasible > DIRECT_PAIRS:
                for kept_block, _scores, kept_best in kept_blocks:
                    keep_best(kept_block, kept_best)
                kept_blocks = None
        elif count:
            keep_best(block, best)
    # The wall time of the pass, shared between the two phases as the threads' time was.
    wall = time.perf_counter() - t
    share = busy[0] / sum(busy) if sum(busy) > 0 else 0.5
    seconds["candidates"] = round(seconds.get("candidates", 0.0) + wall * share, 4)
    seconds["score"] = round(seconds.get("score", 0.0) + wall * (1 - share), 4)
    if kept_blocks is not None:
        for block, scores, _best_of_block in kept_blocks:
            pool.all_pairs.append(block.pairs())
            pool.all_scores.append(scores)
    else:
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


def _potentials(enc: Encoded, pairs: Pairs, weight: np.ndarray, chosen: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Dual potentials of an optimal b-matching on `pairs`: shortest distances in its residual graph.

    Nodes: newcomers, volunteers, source s and sink t (distances from a virtual root
    joined to every node at cost 0). Arc costs are −weight on unused pairs (newcomer → volunteer) and
    +weight back along used ones; s → newcomer, volunteer → t and t → s as the
    capacities allow. Integer costs; a zero-cost arc is an explicit entry.
    """
    n, m = len(enc.newcomers), len(enc.volunteers)
    s, t, root = n + m, n + m + 1, n + m + 2  # root: the node count
    used = np.zeros(len(pairs), bool)
    used[chosen] = True
    matched = np.zeros(n, bool)
    matched[pairs.n[chosen]] = True
    load = np.bincount(pairs.v[chosen], minlength=m)
    cap = enc.volunteer_capacity_left
    tails, heads, costs = [], [], []

    def arcs(a, b, c):
        tails.append(np.asarray(a, np.int64))
        heads.append(np.asarray(b, np.int64))
        costs.append(np.broadcast_to(np.asarray(c, np.float64), np.shape(a)).copy())

    arcs(pairs.n[~used], n + pairs.v[~used].astype(np.int64), -weight[~used].astype(np.float64))
    arcs(n + pairs.v[used].astype(np.int64), pairs.n[used], weight[used].astype(np.float64))
    newcomers = np.arange(n)
    arcs(np.full((~matched).sum(), s), newcomers[~matched], 0.0)
    arcs(newcomers[matched], np.full(matched.sum(), s), 0.0)
    volunteers = np.arange(m)
    spare, busy = load < cap, load > 0
    arcs(n + volunteers[spare], np.full(spare.sum(), t), 0.0)
    arcs(np.full(busy.sum(), t), n + volunteers[busy], 0.0)
    arcs([t], [s], 0.0)
    if used.any():
        arcs([s], [t], 0.0)
    return _shortest_from_everywhere(root, np.concatenate(tails), np.concatenate(heads), np.concatenate(costs), n, m)


def _shortest_from_everywhere(n_nodes: int, tails, heads, costs, n: int, m: int) -> tuple[np.ndarray, np.ndarray]:
    """Bellman-Ford from a virtual root joined to every node at cost 0, vectorised: each
    round relaxes, all at once, the arcs leaving the nodes whose distance the last round
    lowered (every arc in the first round), until a round lowers none. Rounds are bounded by
    the arcs on a shortest path, short in a matching's residual graph, and most of them touch
    few nodes; a negative cycle (an unsolved flow) is an error."""
    order = np.argsort(tails, kind="stable")
    tails, heads, costs = tails[order], heads[order], costs[order]
    starts = np.searchsorted(tails, np.arange(n_nodes + 1))  # node i's arcs: starts[i]:starts[i + 1]
    distance = np.zeros(n_nodes)
    arcs = np.arange(len(tails))
    for _ in range(n_nodes + 1):
        lowered = distance.copy()
        np.minimum.at(lowered, heads[arcs], distance[tails[arcs]] + costs[arcs])
        changed = np.flatnonzero(lowered < distance)
        if len(changed) == 0:
            return distance[:n], distance[n : n + m]
        distance = lowered
        # The arcs leaving the changed nodes: consecutive runs of the tail-sorted arcs.
        first, count = starts[changed], starts[changed + 1] - starts[changed]
        arcs = np.repeat(first - np.cumsum(count) + count, count) + np.arange(count.sum())
    raise RuntimeError("negative cycle in the residual graph: the flow was not optimal")


def _solve_certified(
    pool: Pool, big: int, workers: int | None, threads: int
) -> tuple[Pairs, np.ndarray, np.ndarray, dict]:
    enc, seconds = pool.enc, pool.seconds
    pairs, scores = _merge(enc, pool.working, pool.working_scores)
    pool.working, pool.working_scores = [], []
    rounds = 0
    while True:
        rounds += 1
        if rounds > MAX_ROUNDS:
            raise RuntimeError(f"the working-set solve did not settle in {MAX_ROUNDS} rounds")
        t = time.perf_counter()
        chosen, facts = solver.solve(
            len(enc.newcomers),
            len(enc.volunteers),
            pairs.n,
            pairs.v,
            scores,
            enc.volunteer_capacity_left,
            workers=workers,
        )
        t = _tick(seconds, "solve", t)
        pot_n, pot_v = _potentials(enc, pairs, big + scores, chosen)
        t = _tick(seconds, "potentials", t)
        add, add_scores = [], []
        working_keys = pairs.n.astype(np.int64) * len(enc.volunteers) + pairs.v  # sorted, as pairs are

        def may_improve(rows: np.ndarray, cols: np.ndarray, pot_n=pot_n, pot_v=pot_v) -> np.ndarray:
            # A left-out pair of newcomer i weighs at most big + kth_kept[i]; its gain is at
            # most that minus (pot_n[i] - the block's highest volunteer potential).
            bound = big + pool.kth_kept[rows] + pot_v[cols].max() - pot_n[rows]
            return (pool.kth_kept[rows] >= 0) & (bound > 0.5 - NEAR_GAIN)

        def price(kept, may_improve=may_improve, working_keys=working_keys, pot_n=pot_n, pot_v=pot_v):
            """The block's pairs not yet in the working set that improve or nearly improve the
            solution, each newcomer's best few, their scores and whether any of them improves
            it; None when there are none."""
            rows, cols, per_row, feasible_col, feasible_scores = kept
            looked_at = may_improve(rows, cols)
            if not looked_at.any():
                return None
            # gain = big + score - (pot_n - pot_v) = (pot_v - (pot_n - big)) + score: the newcomer's
            # part repeated along its run of pairs (they are row-major), the volunteer's gathered
            # from the block's own short array, a cache-sized run at a time; a row the bound rules
            # out gets no gain at all. Integers below 2**53: exact.
            row_part = np.repeat(np.where(looked_at, pot_n[rows] - float(big), np.inf), per_row)
            col_part = pot_v[cols]
            runs = []
            for start in range(0, len(feasible_col), rules.PAIRS_AT_ONCE):
                run = slice(start, start + rules.PAIRS_AT_ONCE)
                gain = col_part[feasible_col[run]]
                gain -= row_part[run]
                gain += feasible_scores[run]
                near = np.flatnonzero(gain > 0.5 - NEAR_GAIN)
                if len(near):
                    runs.append((near + start, gain[near]))
            if not runs:
                return None
            at, gain = (np.concatenate(x) for x in zip(*runs, strict=True))
            found_scores = feasible_scores[at]
            ni = rows[np.searchsorted(np.cumsum(per_row), at, side="right")]
            vj = cols[feasible_col[at]]
            # Pairs already in the working set were priced by the solve itself (a used pair shows a gain).
            keys = ni.astype(np.int64) * len(enc.volunteers) + vj
            at = np.minimum(np.searchsorted(working_keys, keys), len(working_keys) - 1)
            new = working_keys[at] != keys
            if not new.any():
                return None
            ni, vj, gain, found_scores = ni[new], vj[new], gain[new], found_scores[new].astype(np.int64)
            improves = bool((gain > 0.5).any())  # integer data: above rounding noise is real
            found = rules.Pairs(ni.astype(np.int32), vj.astype(np.int32), rules.pair_distances(enc, ni, vj))
            pick = _best(found.n, gain, ADD_PER_NEWCOMER)
            return found.take(pick), found_scores[pick], improves

        any_improves = False
        for found in _in_order(price, pool.block_pairs, threads):
            if found is not None:
                add.append(found[0])
                add_scores.append(found[1])
                any_improves |= found[2]
        _tick(seconds, "price", t)
        if not any_improves:
            facts["rounds"] = rounds
            facts["working_pairs"] = len(pairs)
            return pairs, scores, chosen, facts
        pairs, scores = _merge(enc, [pairs, *add], [scores, *add_scores])


def _match_documents(
    enc: Encoded, pairs: Pairs, scores: np.ndarray, part_values: dict, weights: dict[str, float]
) -> list[dict]:
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
        reasons: dict = {name: columns[name][k] for name in names}
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
    """Import now what a solve imports only once it needs it (OR-Tools' flow solver, scipy's
    k-d tree): a long-lived process (the Celery worker) calls this at start, so that its
    first matching run is as quick as the next (a municipality: 0.4 s instead of 0.6 s)."""
    import scipy.spatial  # noqa: F401
    from ortools.graph.python import min_cost_flow  # noqa: F401


def solve_problem(
    problem: Problem,
    *,
    timings: bool = False,
    workers: int | None = None,
    threads: int | None = None,
    read_seconds: float | None = None,
) -> dict:
    """The ``vanmatch.solution/1`` document for a problem.

    Timings vary between runs; they are written (stats.seconds) only when asked for,
    so that the same input gives the same output, byte for byte.
    """
    keep_freed_memory()
    with garbage_collector_paused():  # the matches and reasons are many small objects
        return _solve_problem(problem, timings, workers, threads, read_seconds)


def _solve_problem(
    problem: Problem, timings: bool, workers: int | None, threads: int | None, read_seconds: float | None
) -> dict:
    seconds: dict[str, float] = {}
    t = time.perf_counter()
    enc = encode(problem)
    _tick(seconds, "encode", t)
    threads = threads_available() if threads is None else max(1, threads)
    pool = _stream(enc, seconds, threads)
    facts: dict
    if pool.feasible <= DIRECT_PAIRS:
        pairs, scores = _merge(enc, pool.all_pairs, pool.all_scores)
        t = time.perf_counter()
        chosen, facts = solver.solve(
            len(enc.newcomers),
            len(enc.volunteers),
            pairs.n,
            pairs.v,
            scores,
            enc.volunteer_capacity_left,
            workers=workers,
        )
        _tick(seconds, "solve", t)
    else:
        big = SCALE * (len(enc.newcomers) + 1)  # one more newcomer matched outweighs any score
        pairs, scores, chosen, facts = _solve_certified(pool, big, workers, threads)
    t = time.perf_counter()

    weights = scoring.weights_for(problem.programme.kind, problem.programme.weights)
    matched_pairs = pairs.take(chosen)
    _, part_values = scoring.score(enc, matched_pairs, with_parts=True)
    matches = _match_documents(enc, matched_pairs, scores[chosen], part_values, weights)
    matched_newcomer = np.zeros(len(enc.newcomers), bool)
    matched_newcomer[matched_pairs.n] = True
    left = np.flatnonzero(~matched_newcomer & ~enc.newcomer_locked)
    unmatched = reasons.explain_unmatched(enc, left, pool.has_pair)
    gaps = reasons.gaps(enc, unmatched)
    _tick(seconds, "explain", t)

    stats = {
        "newcomers": len(enc.newcomers),
        "volunteers": len(enc.volunteers),
        "locked": len(problem.locked),
        "feasible_pairs": pool.feasible,
        "matched": len(matches),
        "unmatched": len(unmatched),
        "total_score": round(int(scores[chosen].sum()) / SCALE, 6),
        "components": facts.get("components", 0),
        "largest_component_pairs": facts.get("largest_component_pairs", 0),
        "weights": weights,
    }
    if timings:
        stats["seconds"] = ({"read": round(read_seconds, 4)} if read_seconds is not None else {}) | seconds
        stats["solver"] = {k: v for k, v in facts.items() if k not in {"components", "largest_component_pairs"}}
    return {"format": SOLUTION_FORMAT, "matches": matches, "unmatched": unmatched, "gaps": gaps, "stats": stats}


def pairs_document(problem: Problem) -> dict:
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
