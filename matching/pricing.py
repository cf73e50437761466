"""Pricing, the step of column generation that proves a working set's solution optimal or
finds the pairs that improve it.

The flow on the working set is optimal there; its dual potentials (shortest distances in the
residual graph, `potentials`) give every other feasible pair a reduced cost, weight − (pot_n −
pot_v). A pair whose reduced cost is negative would improve the solution and joins the working
set (`price_block`, one block at a time, from what candidates.Keeper kept of it); when no pair
anywhere has one, the potentials certify that the solution is optimal over all feasible pairs
(linear programming duality: no negative-reduced-cost arc, no improving cycle). The engine
(engine.py) alternates the two until then.
"""

from __future__ import annotations

from dataclasses import dataclass

import numba
import numpy as np
import numpy.typing as npt

from matching import rules
from matching.encode import Encoded
from matching.rules import Pairs
from matching.tuning import Tuning


@dataclass
class Prices:
    """What pricing a round needs: the solution's potentials and what the working set holds."""

    pot_n: np.ndarray
    pot_v: np.ndarray
    kth_kept: np.ndarray  # per newcomer, the most any left-out pair of its scores, else -1
    working_keys: np.ndarray  # sorted newcomer * volunteers + volunteer of the working set
    big: int


def potentials(enc: Encoded, pairs: Pairs, weight: np.ndarray, chosen: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
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
    tails: list[np.ndarray] = []
    heads: list[np.ndarray] = []
    costs: list[np.ndarray] = []

    def arcs(a: npt.ArrayLike, b: npt.ArrayLike, c: npt.ArrayLike) -> None:
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


def _shortest_from_everywhere(
    n_nodes: int, tails: np.ndarray, heads: np.ndarray, costs: np.ndarray, n: int, m: int
) -> tuple[np.ndarray, np.ndarray]:
    """Shortest distances from a virtual root joined to every node at cost 0 (`_bellman_ford`);
    a negative cycle (an unsolved flow) is an error. Costs are integers below 2**53 in float64,
    so the distances are exact, whatever order the arcs are relaxed in."""
    distance, settled = _bellman_ford(n_nodes, tails, heads, costs)
    if not settled:
        raise RuntimeError("negative cycle in the residual graph: the flow was not optimal")
    return distance[:n], distance[n : n + m]


@numba.njit(nogil=True, cache=True)
def _bellman_ford(n_nodes, tails, heads, costs):  # type: ignore[no-untyped-def]
    """Bellman-Ford with a queue (the nodes whose distance fell, first in first out; every node
    at first): the arcs are put in order of their tails by counting, a node's arcs are relaxed
    when it leaves the queue, and a node queued more than n_nodes times means a negative cycle.
    Returns (distances, whether they settled)."""
    first = np.zeros(n_nodes + 1, np.int64)  # node i's arcs: first[i]:first[i + 1]
    for a in range(len(tails)):
        first[tails[a] + 1] += 1
    for i in range(n_nodes):
        first[i + 1] += first[i]
    place = first[:-1].copy()
    to = np.empty(len(tails), np.int64)
    cost = np.empty(len(tails))
    for a in range(len(tails)):
        p = place[tails[a]]
        to[p], cost[p] = heads[a], costs[a]
        place[tails[a]] = p + 1
    distance = np.zeros(n_nodes)
    queue = np.arange(n_nodes)  # a ring: a node is in it at most once
    queued = np.ones(n_nodes, np.bool_)
    times = np.zeros(n_nodes, np.int64)
    at, size = 0, n_nodes
    while size:
        u = queue[at]
        at = at + 1 if at + 1 < n_nodes else 0
        size -= 1
        queued[u] = False
        du = distance[u]
        for p in range(first[u], first[u + 1]):
            v = to[p]
            d = du + cost[p]
            if d < distance[v]:
                distance[v] = d
                if not queued[v]:
                    times[v] += 1
                    if times[v] > n_nodes:
                        return distance, False
                    end = at + size
                    queue[end - n_nodes if end >= n_nodes else end] = v
                    size += 1
                    queued[v] = True
    return distance, True


@numba.njit(nogil=True, cache=True)
def _walk_to(working, w, w_end, key):  # type: ignore[no-untyped-def]
    """From place w in a run of ascending keys ending before w_end, the place of the first key
    not below `key`, and whether it is `key`."""
    while w < w_end and working[w] < key:
        w += 1
    return w, w < w_end and working[w] == key


@numba.njit(nogil=True, cache=True)
def _top_new_gains(per_row, feasible_col, feasible_scores, row_part, col_part, threshold, rows, cols, working, m, k):  # type: ignore[no-untyped-def]
    """Of a block's entries (row-major, `per_row` a row) whose gain col_part[col] - row_part[row]
    + score is above `threshold` and whose pair (rows[row], cols[col]) is not in the working
    set (`working`: its keys n * m + v, ascending), each row's k of the highest gain, a tie to
    the earlier entry: their places in the block, in entry order, and whether any such entry at
    all gains more than 0.5. A row whose row_part is infinite is skipped whole.

    Two passes a row: the first keeps its k highest new gains in a small buffer, lowest first;
    the second gives out those above the k-th and as many at it as the buffer holds. A row's
    columns ascend, so its working-set pairs are walked alongside, not searched. Integers below
    2**53 in float64: exact."""
    at = np.empty(min(len(feasible_col), max(k, 0) * len(per_row)), np.int64)
    top = np.empty(max(k, 1))
    found = 0
    improves = False
    start = 0
    for r in range(len(per_row)):
        end = start + per_row[r]
        part = row_part[r]
        if part == np.inf:
            start = end
            continue
        base = rows[r] * m
        w_start = np.searchsorted(working, base)
        w_end = np.searchsorted(working, base + m)
        held = 0
        w = w_start
        for e in range(start, end):
            gain = col_part[feasible_col[e]] - part + feasible_scores[e]
            if gain <= threshold:
                continue
            w, held_already = _walk_to(working, w, w_end, base + cols[feasible_col[e]])
            if held_already:
                continue
            if gain > 0.5:
                improves = True
            if held < k:
                p = held
                held += 1
                while p > 0 and top[p - 1] > gain:
                    top[p] = top[p - 1]
                    p -= 1
                top[p] = gain
            elif k > 0 and gain > top[0]:
                p = 0
                while p + 1 < k and top[p + 1] < gain:
                    top[p] = top[p + 1]
                    p += 1
                top[p] = gain
        if held:
            kth = top[0] if held == k else -np.inf
            at_kth = 0
            for p in range(held):
                if top[p] == kth:
                    at_kth += 1
            w = w_start
            for e in range(start, end):
                gain = col_part[feasible_col[e]] - part + feasible_scores[e]
                if gain <= threshold or gain < kth:
                    continue
                w, held_already = _walk_to(working, w, w_end, base + cols[feasible_col[e]])
                if held_already:
                    continue
                if gain == kth:
                    if at_kth == 0:
                        continue
                    at_kth -= 1
                at[found] = e
                found += 1
        start = end
    return at[:found].copy(), improves


def price_block(
    enc: Encoded, spec: tuple[np.ndarray, np.ndarray], kept: tuple[np.ndarray, np.ndarray, np.ndarray], prices: Prices
) -> tuple[Pairs, np.ndarray, bool] | None:
    """A block's pairs not yet in the working set that improve or nearly improve the solution
    (a reduced cost below zero, or nearly: each newcomer's tuning.add_per_newcomer best), their
    scores and whether any improves it. `spec` is the block's newcomers and volunteers, `kept`
    what candidates.Keeper keeps of it: feasible pairs per row, each pair's column, its score."""
    per_row, feasible_col, feasible_scores = kept
    rows, cols = spec
    big, kth_kept, pot_n, pot_v = prices.big, prices.kth_kept, prices.pot_n, prices.pot_v
    # A left-out pair of newcomer i weighs at most big + kth_kept[i]; its gain is at most
    # that minus (pot_n[i] - the block's highest volunteer potential).
    bound = big + kth_kept[rows] + pot_v[cols].max() - pot_n[rows]
    near_gain = enc.tuning.near_gain
    looked_at = (kth_kept[rows] >= 0) & (bound > 0.5 - near_gain)
    if not looked_at.any():
        return None
    # gain = big + score - (pot_n - pot_v) = (pot_v - (pot_n - big)) + score; a row the
    # bound rules out gets no gain at all.
    row_part = np.where(looked_at, pot_n[rows] - float(big), np.inf)
    # Pairs already in the working set were priced by the solve itself (a used pair shows a gain).
    at, improves = _top_new_gains(
        per_row, feasible_col, feasible_scores, row_part, pot_v[cols], 0.5 - near_gain,
        rows.astype(np.int64, copy=False), cols.astype(np.int64, copy=False), prices.working_keys,
        len(enc.volunteers), enc.tuning.add_per_newcomer,
    )  # fmt: skip
    if not len(at) and not improves:
        return None
    ni = rows[np.searchsorted(np.cumsum(per_row), at, side="right")]
    vj = cols[feasible_col[at]]
    found = Pairs(ni.astype(np.int32), vj.astype(np.int32), rules.pair_distances(enc, ni, vj))
    return found, feasible_scores[at].astype(np.int64), improves


def within_budget(
    tuning: Tuning,
    working: int,
    add: list[Pairs],
    add_scores: list[np.ndarray],
    pot_n: np.ndarray,
    pot_v: np.ndarray,
) -> tuple[list[Pairs], list[np.ndarray]]:
    """What a round adds (`add`, in block order: each newcomer's pairs together, as
    `price_block` gives them), at most tuning.add_share of the `working` set's size: when
    pricing found more, each newcomer keeps only her k best by gain (a tie to the pair found
    first), k the largest that fits and at least 1, so a newcomer with an improving pair still
    adds her best. Where near pairs abound (heavy ties) adding them all makes every later flow
    larger than the round it saves; where they are few, nothing changes."""
    budget = int(tuning.add_share * working)
    if sum(len(pairs) for pairs in add) <= budget:
        return add, add_scores
    found = Pairs.concat(add)
    found_scores = np.concatenate(add_scores)
    gain = found_scores - pot_n[found.n] + pot_v[found.v]  # as price_block's, less `big`: the same order
    rank = _ranks_in_runs(found.n, gain)
    per_newcomer = np.sort(np.bincount(found.n))
    per_newcomer = per_newcomer[per_newcomer > 0]
    k = 1  # the largest k whose sum over newcomers of min(found, k) fits
    while k < per_newcomer[-1] and np.minimum(per_newcomer, k + 1).sum() <= budget:
        k += 1
    kept = np.flatnonzero(rank < k)
    return [found.take(kept)], [found_scores[kept]]


@numba.njit(nogil=True, cache=True)
def _ranks_in_runs(newcomer, gain):  # type: ignore[no-untyped-def]
    """Each entry's place by gain, highest first, a tie to the earlier entry, within its run of
    equal `newcomer` (a run is one newcomer's pairs: at most a few dozen)."""
    rank = np.zeros(len(newcomer), np.int64)
    start = 0
    while start < len(newcomer):
        end = start + 1
        while end < len(newcomer) and newcomer[end] == newcomer[start]:
            end += 1
        order = np.argsort(-gain[start:end], kind="mergesort")  # stable: a tie keeps its place
        for p in range(end - start):
            rank[start + order[p]] = p
        start = end
    return rank
