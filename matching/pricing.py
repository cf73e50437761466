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

from matching import flow, rules
from matching.encode import Encoded
from matching.rules import Pairs


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


def _best(group: np.ndarray, values: np.ndarray, k: int) -> np.ndarray:
    """Mask of each group's k highest values; ties go to the earlier entry (blocks are sorted)."""
    order = np.lexsort((-values, group))
    mask = np.zeros(len(group), bool)
    mask[order[flow.rank_in_groups(group[order]) < k]] = True
    return mask


@numba.njit(nogil=True, cache=True)
def _near_gains(per_row, feasible_col, feasible_scores, row_part, col_part, threshold):  # type: ignore[no-untyped-def]
    """The entries (by their place in the block's row-major feasible pairs) whose gain
    col_part[col] - row_part[row] + score is above `threshold`, and those gains; a row whose
    row_part is infinite is skipped whole. Integers below 2**53 in float64: exact."""
    at = np.empty(len(feasible_col), np.int64)
    gains = np.empty(len(feasible_col))
    found = 0
    start = 0
    for r in range(len(per_row)):
        end = start + per_row[r]
        part = row_part[r]
        if part != np.inf:
            for k in range(start, end):
                gain = col_part[feasible_col[k]] - part + feasible_scores[k]
                if gain > threshold:
                    at[found], gains[found] = k, gain
                    found += 1
        start = end
    return at[:found].copy(), gains[:found].copy()


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
    at, gain = _near_gains(per_row, feasible_col, feasible_scores, row_part, pot_v[cols], 0.5 - near_gain)
    if not len(at):
        return None
    found_scores = feasible_scores[at]
    ni = rows[np.searchsorted(np.cumsum(per_row), at, side="right")]
    vj = cols[feasible_col[at]]
    # Pairs already in the working set were priced by the solve itself (a used pair shows a gain).
    keys = ni.astype(np.int64) * len(enc.volunteers) + vj
    working_keys = prices.working_keys
    place = np.minimum(np.searchsorted(working_keys, keys), len(working_keys) - 1)
    new = working_keys[place] != keys
    if not new.any():
        return None
    ni, vj, gain, found_scores = ni[new], vj[new], gain[new], found_scores[new].astype(np.int64)
    improves = bool((gain > 0.5).any())  # integer data: above rounding noise is real
    found = Pairs(ni.astype(np.int32), vj.astype(np.int32), rules.pair_distances(enc, ni, vj))
    pick = _best(found.n, gain, enc.tuning.add_per_newcomer)
    return found.take(pick), found_scores[pick], improves
