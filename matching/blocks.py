"""The pool's blocks, built, scored, sifted and kept by one process or several, and priced on request.

A large pool's blocks are worked by forked processes, each claiming the next block from a
shared counter until none is left (processes, not threads: numpy lets go of the GIL for the
array work, but a block's hundred-odd calls each take it back; bench/README.md has the
measurements). Each process keeps what pricing needs of its own blocks (six bytes a feasible
pair) and prices them when the engine sends the potentials, so pricing runs on every core as
well and the engine's own process stays small.

What the engine gets back it puts together in block order, so no answer depends on the
number of processes or on which process worked which block. A process sifts against the
running best of its own blocks, all earlier than the one at hand: a floor never above the
running best of every earlier block, which is what the engine merges against (see
`block_best`).
"""

from __future__ import annotations

import contextlib
import functools
import multiprocessing
import time
from collections.abc import Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from multiprocessing.sharedctypes import Synchronized
from typing import Any, cast

import numpy as np

from matching import forked, rules, scoring, solver
from matching.features import Encoded
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


@dataclass
class Prices:
    """What pricing a round needs: the solution's potentials and what the working set holds."""

    pot_n: np.ndarray
    pot_v: np.ndarray
    kth_kept: np.ndarray  # per newcomer, the most any left-out pair of its scores, else -1
    working_keys: np.ndarray  # sorted newcomer * volunteers + volunteer of the working set
    big: int


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
    slot = solver.rank_in_groups(vc)
    top = slot < k_v
    vc, vr, vs, slot = vc[top], vr[top], vs[top], slot[top]
    cand_cols, ci = solver.distinct_and_places(vc)
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


def _best(group: np.ndarray, values: np.ndarray, k: int) -> np.ndarray:
    """Mask of each group's k highest values; ties go to the earlier entry (blocks are sorted)."""
    order = np.lexsort((-values, group))
    mask = np.zeros(len(group), bool)
    mask[order[solver.rank_in_groups(group[order]) < k]] = True
    return mask


class Keeper:
    """Works blocks of the pool and keeps, of each, its feasible pairs per newcomer, each pair's
    volunteer (its position among the block's: uint16 where that fits, else int32; pairs in
    row-major order) and score (int32): what pricing needs, six bytes a feasible pair."""

    def __init__(self, enc: Encoded, specs: list[tuple[np.ndarray, np.ndarray]]):
        self.enc, self.specs = enc, specs
        self.kept: list[tuple[int, np.ndarray, np.ndarray, np.ndarray]] = []
        # its blocks' running best
        self.v_score = np.zeros((len(enc.volunteers), enc.tuning.keep_per_volunteer), np.int64)
        self.busy = [0.0, 0.0]  # seconds spent applying the rules and scoring (with sifting)

    def sift(self, index: int) -> Sifted:
        t0 = time.perf_counter()
        block = rules.dense_block(self.enc, *self.specs[index])
        t1 = time.perf_counter()
        scores = scoring.score_block(self.enc, block)
        if len(scores) == 0:
            sifted = Sifted(index, 0, None)
        else:
            sifted = block_best(block, scores, self.v_score[:, -1], index, tuning=self.enc.tuning)
            # block_best fills these for a block with pairs.
            assert sifted.per_row is not None and sifted.cand_cols is not None
            assert sifted.cand_s is not None and sifted.cand_n is not None
            col_type = np.uint16 if len(block.cols) <= 1 << 16 else np.int32
            self.kept.append((index, sifted.per_row, block.feasible_col.astype(col_type), scores))
            merge_running_best(self.v_score, None, block.cols[sifted.cand_cols], sifted.cand_s, sifted.cand_n)
        self.busy[0] += t1 - t0
        self.busy[1] += time.perf_counter() - t1
        return sifted

    def price(self, prices: Prices) -> list[tuple[int, tuple[Pairs, np.ndarray, bool]]]:
        """Per kept block with any, the pairs not yet in the working set that improve or nearly
        improve the solution (each newcomer's best few), their scores and whether any improves it."""
        out = []
        for index, per_row, feasible_col, feasible_scores in self.kept:
            found = self._price_block(prices, *self.specs[index], per_row, feasible_col, feasible_scores)
            if found is not None:
                out.append((index, found))
        return out

    def _price_block(
        self,
        prices: Prices,
        rows: np.ndarray,
        cols: np.ndarray,
        per_row: np.ndarray,
        feasible_col: np.ndarray,
        feasible_scores: np.ndarray,
    ) -> tuple[Pairs, np.ndarray, bool] | None:
        enc, big, kth_kept, pot_n, pot_v = self.enc, prices.big, prices.kth_kept, prices.pot_n, prices.pot_v
        # A left-out pair of newcomer i weighs at most big + kth_kept[i]; its gain is at most
        # that minus (pot_n[i] - the block's highest volunteer potential).
        bound = big + kth_kept[rows] + pot_v[cols].max() - pot_n[rows]
        near_gain, at_once = enc.tuning.near_gain, enc.tuning.pairs_at_once
        looked_at = (kth_kept[rows] >= 0) & (bound > 0.5 - near_gain)
        if not looked_at.any():
            return None
        # gain = big + score - (pot_n - pot_v) = (pot_v - (pot_n - big)) + score: the newcomer's
        # part repeated along its run of pairs (they are row-major), the volunteer's gathered
        # from the block's own short array, a cache-sized run at a time; a row the bound rules
        # out gets no gain at all. Integers below 2**53: exact.
        row_part = np.repeat(np.where(looked_at, pot_n[rows] - float(big), np.inf), per_row)
        col_part = pot_v[cols]
        runs = []
        for start in range(0, len(feasible_col), at_once):
            run = slice(start, start + at_once)
            gain = col_part[feasible_col[run]]
            gain -= row_part[run]
            gain += feasible_scores[run]
            near = np.flatnonzero(gain > 0.5 - near_gain)
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
        working_keys = prices.working_keys
        at = np.minimum(np.searchsorted(working_keys, keys), len(working_keys) - 1)
        new = working_keys[at] != keys
        if not new.any():
            return None
        ni, vj, gain, found_scores = ni[new], vj[new], gain[new], found_scores[new].astype(np.int64)
        improves = bool((gain > 0.5).any())  # integer data: above rounding noise is real
        found = Pairs(ni.astype(np.int32), vj.astype(np.int32), rules.pair_distances(enc, ni, vj))
        pick = _best(found.n, gain, enc.tuning.add_per_newcomer)
        return found.take(pick), found_scores[pick], improves

    def pairs(self) -> list[tuple[int, Pairs, np.ndarray]]:
        """Every kept pair, per block, with its score (distances computed again, to the same bits)."""
        out = []
        for index, per_row, feasible_col, feasible_scores in self.kept:
            rows, cols = self.specs[index]
            ni, vj = np.repeat(rows, per_row), cols[feasible_col]
            pairs = Pairs(ni.astype(np.int32), vj.astype(np.int32), rules.pair_distances(self.enc, ni, vj))
            out.append((index, pairs, feasible_scores.astype(np.int64)))
        return out


def _serve(conn: Connection[Any, Any], keeper: Keeper, counter: Synchronized[int]) -> None:
    """A block process: answer the engine's requests until the pipe closes (EOFError)."""
    with contextlib.suppress(EOFError):
        while True:
            request, argument = conn.recv()
            if request == "sift":
                while True:
                    with counter.get_lock():
                        index = counter.value
                        counter.value += 1
                    if index >= len(keeper.specs):
                        break
                    conn.send(("sift", keeper.sift(index)))
                conn.send(("done", keeper.busy))
            elif request == "price":
                conn.send(("price", keeper.price(argument)))
            else:  # pairs
                conn.send(("pairs", keeper.pairs()))


class BlockPass:
    """The pool's blocks, worked by `processes` forked processes (or in this one, for a small
    pool or one process): `sift()` yields each block's Sifted in block order, `price(prices)`
    what each block's pairs offer a round, `pairs()` every feasible pair. A context manager:
    its processes end with it."""

    def __init__(self, enc: Encoded, processes: int):
        self.specs = list(rules.block_specs(enc))
        entries = sum(len(rows) * len(cols) for rows, cols in self.specs)
        self.busy = [0.0, 0.0]
        self.children: list[forked.Child] = []
        self.asking = False  # a request is out that the processes have not fully answered
        self.keeper = Keeper(enc, self.specs)
        # Below tuning.fork_min_entries entries in all blocks (a municipality has 2.8 million) the
        # pool is worked in the engine's own process: starting processes would cost more.
        if processes <= 1 or entries < enc.tuning.fork_min_entries:
            return
        counter = multiprocessing.get_context("fork").Value("q", 0)  # the next block to claim
        try:
            for _ in range(processes):
                self.children.append(
                    forked.Child(functools.partial(_serve, keeper=self.keeper, counter=counter), self.children)
                )
        except BaseException:
            self.close()
            raise

    def __enter__(self) -> BlockPass:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """End the processes: at once if they still have a request to answer (the engine
        stopped listening: an error on its side)."""
        for child in self.children:
            child.end(kill=self.asking)
        self.children = []

    def _ask_all(self, request: str, argument: Prices | None = None) -> list[Any]:
        """Each process's answer to the request (they work on it at the same time)."""
        self.asking = True
        for child in self.children:
            child.conn.send((request, argument))
        answers = [child.receive()[1] for child in self.children]
        self.asking = False
        return answers

    def sift(self) -> Iterator[Sifted]:
        if not self.children:
            for index in range(len(self.specs)):
                yield self.keeper.sift(index)
            self.busy = list(self.keeper.busy)
            return
        self.asking = True
        for child in self.children:
            child.conn.send(("sift", None))
        of_conn = {child.conn: child for child in self.children}
        waiting, next_index = set(of_conn), 0
        ready: dict[int, Sifted] = {}
        while waiting:
            for ready_conn in wait(list(waiting)):
                conn = cast("Connection[Any, Any]", ready_conn)  # wait() gives back some of those it was given
                kind, value = of_conn[conn].receive()
                if kind == "done":
                    waiting.discard(conn)
                    self.busy = [a + b for a, b in zip(self.busy, value, strict=True)]
                    continue
                ready[value.index] = value
                while next_index in ready:
                    yield ready.pop(next_index)
                    next_index += 1
        assert next_index == len(self.specs) and not ready
        self.asking = False

    def price(self, prices: Prices) -> Iterator[tuple[Pairs, np.ndarray, bool]]:
        """What each block offers the round, in block order."""
        found = sum(self._ask_all("price", prices), []) if self.children else self.keeper.price(prices)
        for _index, offer in sorted(found, key=lambda item: item[0]):
            yield offer

    def pairs(self) -> tuple[list[Pairs], list[np.ndarray]]:
        """Every feasible pair and its score, in block order."""
        found = sum(self._ask_all("pairs"), []) if self.children else self.keeper.pairs()
        found.sort(key=lambda item: item[0])
        return [pairs for _i, pairs, _s in found], [scores for _i, _p, scores in found]
