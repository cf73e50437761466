"""Candidates: the pool's blocks, built, scored, sifted and kept by one thread or several, and
priced on request by the same threads (pricing.py: each kept pair's reduced cost against the
solution's dual potentials, the pricing step of column generation).

A block's hard rules and scores are compiled kernels (numba, `nogil`) that let go of the GIL
for the whole block, so the blocks are worked by a pool of threads, each taking the next
block; what pricing needs of each block (six bytes a feasible pair) is kept in the engine's
memory and priced by the same threads when the engine sends the potentials.

What the threads give is put together in block order, so no answer depends on the number of
threads or on which thread worked which block. A block is sifted against the running best of
the blocks merged so far, all earlier than it: a floor never above the running best of every
earlier block, which is what the engine merges against (see `block_best`).
"""

from __future__ import annotations

import functools
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import numpy as np

from matching import flow, pricing, rules, scoring
from matching.encode import Encoded
from matching.rules import Pairs
from matching.scoring import SCALE
from matching.tuning import DEFAULT, Tuning

# How many pairs a block keeps for the working set, and what pricing adds, are enc.tuning's
# (matching/tuning.py).

# Each newcomer's 24th and each new volunteer's 8th best in a block are found from a histogram
# of at most this many bins.
HISTOGRAM_BINS = 1 << 17
SCORE_BITS = 20  # scores are at most SCALE
assert SCALE < 1 << SCORE_BITS


@dataclass
class Sifted:
    """What the engine takes from one block: all it needs of it but for pricing."""

    index: int  # the block's place in rules.block_specs
    feasible: int
    per_row: np.ndarray | None  # feasible pairs per row (None: the block has none)
    best_pairs: Pairs | None = None  # each newcomer's tuning.keep_per_newcomer best
    best_scores: np.ndarray | None = None
    lowest: np.ndarray | None = None  # per row that left pairs out, the lowest score it kept; else None
    partial: np.ndarray | None = None
    cand_cols: np.ndarray | None = None  # the block's columns whose volunteers may gain a better pair
    cand_s: np.ndarray | None = None  # per such column, its tuning.keep_per_volunteer best in the block
    cand_n: np.ndarray | None = None


def kth_by_row(row: np.ndarray, scores: np.ndarray, per_row: np.ndarray, k: int) -> np.ndarray:
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
    cr, cs = by_group_highest_first(row[candidates], scores[candidates])
    kth = np.zeros(n_rows, scores.dtype)
    full = np.flatnonzero(per_row >= k)
    kth[full] = cs[np.searchsorted(cr, full) + k - 1]
    return kth


def by_group_highest_first(
    group: np.ndarray, score: np.ndarray, tie: np.ndarray | None = None
) -> tuple[np.ndarray, ...]:
    """(group, score[, tie]) sorted by group, then the highest score first, then the lowest tie,
    all non-negative integers, scores at most SCALE: one sort of the three packed into an
    int64 each (numpy sorts those with the CPU's vector instructions; three stable sorts of a
    lexsort took four times as long)."""
    tie_bits = int(tie.max()).bit_length() if tie is not None and len(tie) else 0
    group_top = int(group.max()) if len(group) else 0
    if group_top.bit_length() + SCORE_BITS + tie_bits > 63:  # never in blocks of tuning.block_entries
        order = np.lexsort((-score, group) if tie is None else (tie, -score, group))
        return (group[order], score[order]) + (() if tie is None else (tie[order],))
    key = group.astype(np.int64) << (SCORE_BITS + tie_bits)
    key |= (SCALE - score.astype(np.int64)) << tie_bits
    if tie is not None:
        key |= tie
    key.sort()
    out_score = SCALE - ((key >> tie_bits) & ((1 << SCORE_BITS) - 1))
    out = (key >> (SCORE_BITS + tie_bits)).astype(group.dtype), out_score.astype(score.dtype)
    return out if tie is None else (*out, (key & ((1 << tie_bits) - 1)).astype(tie.dtype))


def block_best(
    block: rules.Block,
    feasible_scores: np.ndarray,
    floor: np.ndarray,
    index: int = 0,
    *,
    tuning: Tuning = DEFAULT,
) -> Sifted:
    """Each newcomer's tuning.keep_per_newcomer best pairs in the block (more on a tie at the
    last place) and each volunteer's tuning.keep_per_volunteer best (exactly, a tie going to the
    earlier newcomer).

    `floor` is, per volunteer, a score its best in this block must beat to enter the running
    best: the last of a running best over some of the earlier blocks (the running best over
    all of them, which the block is merged into, only rises above it, and a tie goes to the
    earlier block). Volunteers whose best here does not beat it are skipped: most, once the
    first blocks are in."""
    n_rows = len(block.rows)
    k_n, k_v = tuning.keep_per_newcomer, tuning.keep_per_volunteer
    r_all = block.feasible_row
    per_row = np.bincount(r_all, minlength=n_rows)
    if per_row.max() > k_n:
        kth = kth_by_row(r_all, feasible_scores, per_row, k_n)  # 0 for a row with fewer: it keeps all
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
        top = vs >= kth_by_row(vc, vs, per_col, k_v)[vc]
        vc, vr, vs = vc[top], vr[top], vs[top]
    vc, vs, vr = by_group_highest_first(vc, vs, vr)  # a tie to the earlier newcomer
    slot = flow.rank_in_groups(vc)
    top = slot < k_v
    vc, vr, vs, slot = vc[top], vr[top], vs[top], slot[top]
    cand_cols, ci = flow.distinct_and_places(vc)
    cand_s, cand_n = np.zeros((len(cand_cols), k_v), np.int64), np.full((len(cand_cols), k_v), -1)
    cand_s[ci, slot] = vs
    cand_n[ci, slot] = block.rows[vr]
    return Sifted(
        index=index,
        feasible=len(r_all),
        per_row=per_row,
        best_pairs=Pairs(block.rows[r].astype(np.int32), block.cols[c].astype(np.int32), block.feasible_km[kept]),
        best_scores=feasible_scores[kept],
        lowest=kth.astype(np.int64) if partial.any() else None,
        partial=partial,
        cand_cols=cand_cols,
        cand_s=cand_s,
        cand_n=cand_n,
    )


def merge_running_best(
    v_score: np.ndarray, v_newcomer: np.ndarray | None, cols: np.ndarray, cand_s: np.ndarray, cand_n: np.ndarray
) -> None:
    """Merge a block's best per volunteer (`cols`: the pool's volunteers) into the running best,
    in place, for the volunteers whose best in the block beats the last they have kept (a tie
    goes to the earlier block). `v_newcomer` may be None where only the scores are wanted."""
    better = np.flatnonzero(cand_s.max(axis=1) > v_score[cols, -1])
    cols = cols[better]
    all_s = np.concatenate([v_score[cols], cand_s[better]], axis=1)
    k = v_score.shape[1]
    if v_newcomer is None:  # the scores alone: no order among equals to keep
        all_s.sort(axis=1)
        v_score[cols] = all_s[:, : -k - 1 : -1]
        return
    order = np.argsort(-all_s, axis=1, kind="stable")[:, :k]
    v_score[cols] = np.take_along_axis(all_s, order, axis=1)
    all_n = np.concatenate([v_newcomer[cols], cand_n[better]], axis=1)
    v_newcomer[cols] = np.take_along_axis(all_n, order, axis=1)


class Keeper:
    """Works blocks of the pool and keeps, of each, its feasible pairs per newcomer, each pair's
    volunteer (its position among the block's: uint16 where that fits, else int32; pairs in
    row-major order) and score (int32): what pricing needs, six bytes a feasible pair.

    `sift` and `price_block` may run in several threads at once: the kernels they call let go
    of the GIL, and what they share is taken under a lock."""

    def __init__(self, enc: Encoded, specs: list[tuple[np.ndarray, np.ndarray]]):
        self.enc, self.specs = enc, specs
        self.kept: dict[int, tuple[np.ndarray, np.ndarray, np.ndarray]] = {}
        # the running best of the blocks merged so far (in block order: see BlockPass.sift)
        self.v_score = np.zeros((len(enc.volunteers), enc.tuning.keep_per_volunteer), np.int64)
        self.lock = threading.Lock()
        self.busy = [0.0, 0.0]  # seconds spent applying the rules and scoring (with sifting), all threads

    def sift(self, index: int) -> Sifted:
        t0 = time.perf_counter()
        block = rules.dense_block(self.enc, *self.specs[index])
        t1 = time.perf_counter()
        scores = scoring.score_block(self.enc, block)
        if len(scores) == 0:
            sifted = Sifted(index, 0, None)
        else:
            with self.lock:
                floor = self.v_score[:, -1].copy()
            sifted = block_best(block, scores, floor, index, tuning=self.enc.tuning)
            # block_best fills this for a block with pairs.
            assert sifted.per_row is not None
            col_type = np.uint16 if len(block.cols) <= 1 << 16 else np.int32
            with self.lock:
                self.kept[index] = (sifted.per_row, block.feasible_col.astype(col_type), scores)
        t2 = time.perf_counter()
        with self.lock:
            self.busy[0] += t1 - t0
            self.busy[1] += t2 - t1
        return sifted

    def merged(self, sifted: Sifted) -> None:
        """Merge a block's best per volunteer into the running best, in block order: every
        floor a later block is sifted against is then a running best of earlier blocks."""
        if sifted.feasible:
            assert sifted.cand_cols is not None and sifted.cand_s is not None and sifted.cand_n is not None
            cols = self.specs[sifted.index][1][sifted.cand_cols]
            with self.lock:
                merge_running_best(self.v_score, None, cols, sifted.cand_s, sifted.cand_n)

    def price_block(self, index: int, prices: pricing.Prices) -> tuple[Pairs, np.ndarray, bool] | None:
        return pricing.price_block(self.enc, self.specs[index], self.kept[index], prices)

    def pairs(self, index: int) -> tuple[Pairs, np.ndarray]:
        """A kept block's every pair with its score (distances computed again, to the same bits)."""
        per_row, feasible_col, feasible_scores = self.kept[index]
        rows, cols = self.specs[index]
        ni, vj = np.repeat(rows, per_row), cols[feasible_col]
        pairs = Pairs(ni.astype(np.int32), vj.astype(np.int32), rules.pair_distances(self.enc, ni, vj))
        return pairs, feasible_scores.astype(np.int64)


class BlockPass:
    """The pool's blocks, worked by `threads` threads (or in this one, for a small pool or one
    thread): `sift()` yields each block's Sifted in block order, `price(prices)` what each
    block's pairs offer a round, `pairs()` every feasible pair. A context manager: its threads
    end with it.

    Threads, not processes: the rules and the scores are compiled kernels that let go of the
    GIL (numba's nogil), so threads share the pool's arrays and what pricing keeps without
    copying or pickling them, and they start in a Celery worker's daemonic pool process too."""

    def __init__(self, enc: Encoded, threads: int):
        self.specs = list(rules.block_specs(enc))
        self.keeper = Keeper(enc, self.specs)
        self.busy = self.keeper.busy
        # Below tuning.thread_min_entries entries in all blocks (a municipality has 2.8 million),
        # the pool is worked in this thread: handing blocks out would cost more.
        entries = sum(len(rows) * len(cols) for rows, cols in self.specs)
        self.threads = 1 if entries < enc.tuning.thread_min_entries else max(1, threads)
        self.executor = ThreadPoolExecutor(self.threads, "vanmatch-block") if self.threads > 1 else None

    def __enter__(self) -> BlockPass:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """End the threads, dropping blocks not yet started (the engine stopped listening: an
        error on its side)."""
        if self.executor is not None:
            self.executor.shutdown(wait=True, cancel_futures=True)
            self.executor = None

    def _in_order(self, fn: Callable[[int], Any], indices: list[int]) -> Iterator[Any]:
        """fn(index) for each index, in their order, a few ahead at a time in the threads."""
        if self.executor is None:
            yield from map(fn, indices)
            return
        ahead = 4 * self.threads
        pending: deque[Future[Any]] = deque()
        for index in indices:
            pending.append(self.executor.submit(fn, index))
            if len(pending) >= ahead:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()

    def sift(self) -> Iterator[Sifted]:
        for sifted in self._in_order(self.keeper.sift, list(range(len(self.specs)))):
            self.keeper.merged(sifted)
            yield sifted

    def price(self, prices: pricing.Prices) -> Iterator[tuple[Pairs, np.ndarray, bool]]:
        """What each block offers the round, in block order."""
        fn = functools.partial(self.keeper.price_block, prices=prices)
        for offer in self._in_order(fn, sorted(self.keeper.kept)):
            if offer is not None:
                yield offer

    def pairs(self) -> tuple[list[Pairs], list[np.ndarray]]:
        """Every feasible pair and its score, in block order."""
        found = [self.keeper.pairs(index) for index in sorted(self.keeper.kept)]
        return [pairs for pairs, _s in found], [scores for _p, scores in found]
