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

import numba
import numpy as np

from matching import pricing, rules, scoring
from matching.encode import Encoded
from matching.rules import Pairs
from matching.tuning import DEFAULT, Tuning

# How many pairs a block keeps for the working set, and what pricing adds, are enc.tuning's
# (matching/tuning.py).


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


@numba.njit(nogil=True, cache=True)
def _sift(per_row, feasible_col, scores, col_floor, k_n, k_v):  # type: ignore[no-untyped-def]
    """One pass over a block's feasible pairs (row-major, `per_row` a row): each row's k_n-th
    highest score (0 for a row with fewer), the pairs at or above it, and per column its k_v
    best above its floor, highest first, a tie to the earlier row (its score and row; 0 and -1
    in empty places). A row's k_n highest are kept in a small buffer, lowest first, and a
    column's k_v best as a sorted list; a pair below what either holds costs one comparison."""
    n_rows, n_cols = len(per_row), len(col_floor)
    kth = np.zeros(n_rows, np.int64)
    kept = np.empty(len(scores), np.int64)
    kept_per_row = np.zeros(n_rows, np.int64)
    top = np.empty(max(k_n, 1), np.int64)
    col_s = np.zeros((n_cols, k_v), np.int64)
    col_r = np.full((n_cols, k_v), -1, np.int64)
    col_n = np.zeros(n_cols, np.int64)
    n_kept = 0
    start = 0
    for r in range(n_rows):
        end = start + per_row[r]
        if 0 < k_n <= per_row[r]:
            for i in range(k_n):  # the first k_n, sorted lowest first
                s = scores[start + i]
                p = i
                while p > 0 and top[p - 1] > s:
                    top[p] = top[p - 1]
                    p -= 1
                top[p] = s
            for e in range(start + k_n, end):
                s = scores[e]
                if s > top[0]:  # it takes the lowest's place, and moves up
                    p = 0
                    while p + 1 < k_n and top[p + 1] < s:
                        top[p] = top[p + 1]
                        p += 1
                    top[p] = s
            kth[r] = top[0]
        for e in range(start, end):
            s = scores[e]
            if s >= kth[r]:
                kept[n_kept] = e
                n_kept += 1
                kept_per_row[r] += 1
            c = feasible_col[e]
            if s > col_floor[c] and (col_n[c] < k_v or s > col_s[c, k_v - 1]):
                p = min(col_n[c], k_v - 1)  # after every pair it holds that scores at least s
                while p > 0 and col_s[c, p - 1] < s:
                    col_s[c, p], col_r[c, p] = col_s[c, p - 1], col_r[c, p - 1]
                    p -= 1
                col_s[c, p], col_r[c, p] = s, r
                col_n[c] = min(col_n[c] + 1, k_v)
        start = end
    return kth, kept[:n_kept].copy(), kept_per_row, col_s, col_r, col_n


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
    earlier newcomer), in one compiled pass (`_sift`).

    `floor` is, per volunteer, a score its best in this block must beat to enter the running
    best: the last of a running best over some of the earlier blocks (the running best over
    all of them, which the block is merged into, only rises above it, and a tie goes to the
    earlier block). Volunteers whose best here does not beat it are skipped: most, once the
    first blocks are in."""
    per_row = np.bincount(block.feasible_row, minlength=len(block.rows))
    kth, kept, kept_per_row, col_s, col_r, col_n = _sift(
        per_row, block.feasible_col, feasible_scores, floor[block.cols], tuning.keep_per_newcomer,
        tuning.keep_per_volunteer,
    )  # fmt: skip
    # A newcomer's pairs are all in its block: the lowest it keeps (its k-th) bounds all it leaves out.
    partial = per_row > kept_per_row
    cand_cols = np.flatnonzero(col_n)
    cand_r = col_r[cand_cols]
    c = block.feasible_col[kept]
    return Sifted(
        index=index,
        feasible=len(feasible_scores),
        per_row=per_row,
        best_pairs=Pairs(
            block.rows[block.feasible_row[kept]].astype(np.int32),
            block.cols[c].astype(np.int32),
            block.feasible_km[kept],
        ),
        best_scores=feasible_scores[kept],
        lowest=kth if partial.any() else None,
        partial=partial,
        cand_cols=cand_cols,
        cand_s=col_s[cand_cols],
        cand_n=np.where(cand_r >= 0, block.rows[np.maximum(cand_r, 0)], -1).astype(np.int64),
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
