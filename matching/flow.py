"""The whole-pool assignment: as many newcomers matched as possible, then the largest total score.

A min-cost max-flow: source → each newcomer (capacity 1) → each feasible volunteer
(capacity 1, cost −score) → sink (capacity = the volunteer's places left after locked
pairs). The maximum flow is the largest number of newcomers that can be matched, and
the least cost among maximum flows is the largest total score (OR-Tools'
``SimpleMinCostFlow.solve_max_flow_with_min_cost``; integer costs, since scores are
multiples of 1e-6). bench/README.md says why this solver and not scipy's.

The feasible graph falls apart into independent components (people too far apart
never meet): they are found with scipy's ``connected_components``; the trivial ones
(one newcomer, or one volunteer) are solved directly, every other one as a flow
network of its own, spread over processes when the graph is large. Everything is
deterministic: a component's arcs are added in (newcomer, volunteer) order, its
answer does not depend on what else is solved beside it, and ties in the trivial
ones go to the lower index.
"""

from __future__ import annotations

import os

import numpy as np
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from matching import forked
from matching.tuning import DEFAULT


def _flow(
    n_nodes: int, m_nodes: int, pn: np.ndarray, pv: np.ndarray, cost: np.ndarray, capacity: np.ndarray
) -> np.ndarray:
    """Chosen arc indices of one flow problem over local indices."""
    from ortools.graph.python import min_cost_flow

    smcf = min_cost_flow.SimpleMinCostFlow()
    source, sink = n_nodes + m_nodes, n_nodes + m_nodes + 1
    k = len(pn)
    tails = np.concatenate([pn, np.full(n_nodes, source), n_nodes + np.arange(m_nodes)])
    heads = np.concatenate([n_nodes + pv, np.arange(n_nodes), np.full(m_nodes, sink)])
    caps = np.concatenate([np.ones(k, np.int64), np.ones(n_nodes, np.int64), capacity.astype(np.int64)])
    costs = np.concatenate([-cost.astype(np.int64), np.zeros(n_nodes + m_nodes, np.int64)])
    smcf.add_arcs_with_capacity_and_unit_cost(tails.astype(np.int32), heads.astype(np.int32), caps, costs)
    # The maximum flow goes from nodes with supply to nodes with demand; offer every newcomer.
    smcf.set_nodes_supplies(np.array([source, sink], np.int32), np.array([n_nodes, -n_nodes], np.int64))
    status = smcf.solve_max_flow_with_min_cost()
    if status != smcf.OPTIMAL:
        raise RuntimeError(f"the min-cost flow solver ended with status {status}")
    flows = smcf.flows(np.arange(k, dtype=np.int64))
    return np.flatnonzero(flows > 0)


def distinct_and_places(index: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(the distinct values of `index` ascending, each entry's place among them): as
    np.unique(return_inverse=True) but by marking, not sorting, for indices in a small range
    (a component's people, a block's columns)."""
    if len(index) == 0:
        return index, np.zeros(0, np.intp)
    low = int(index.min())
    present = np.zeros(int(index.max()) - low + 1, bool)
    present[index - low] = True
    number = np.cumsum(present) - 1
    return np.flatnonzero(present) + low, number[index - low]


# One batch of components: (pair indices, their component labels, newcomer, volunteer, cost,
# places left per volunteer).
GroupTask = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]


def _solve_group(task: GroupTask) -> np.ndarray:
    """Solve a batch of components, each as its own flow network, so that a component's
    answer never depends on which others share its batch; returns chosen pair indices."""
    pair_idx, labels, pn, pv, cost, capacity_by_v = task
    order = np.argsort(labels, kind="stable")
    labels = labels[order]
    bounds = np.flatnonzero(np.r_[True, labels[1:] != labels[:-1], True])
    chosen = []
    for start, stop in zip(bounds[:-1], bounds[1:], strict=True):
        part = order[start:stop]
        un, local_n = distinct_and_places(pn[part])
        uv, local_v = distinct_and_places(pv[part])
        picked = _flow(len(un), len(uv), local_n, local_v, cost[part], capacity_by_v[uv])
        chosen.append(pair_idx[part[picked]])
    return np.concatenate(chosen) if chosen else np.zeros(0, np.int64)


def rank_in_groups(groups: np.ndarray) -> np.ndarray:
    """Each entry's position within its run of equal values (0 for the first), for sorted `groups`."""
    starts = np.flatnonzero(np.r_[True, groups[1:] != groups[:-1]])
    return np.arange(len(groups)) - np.repeat(starts, np.diff(np.r_[starts, len(groups)]))


def _trivial(
    pn: np.ndarray,
    pv: np.ndarray,
    cost: np.ndarray,
    labels_of_pairs: np.ndarray,
    comp_newcomers: np.ndarray,
    comp_volunteers: np.ndarray,
    capacity: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Components with one newcomer (take its best volunteer) or one volunteer (its best
    `capacity` newcomers). Returns (chosen pair indices, mask of pairs handled here)."""
    single_n = comp_newcomers[labels_of_pairs] == 1
    single_v = (comp_volunteers[labels_of_pairs] == 1) & ~single_n
    chosen = []
    # One newcomer: the highest score, ties to the lowest volunteer index.
    idx = np.flatnonzero(single_n)
    if len(idx):
        order = idx[np.lexsort((pv[idx], -cost[idx], labels_of_pairs[idx]))]
        first = np.ones(len(order), bool)
        first[1:] = labels_of_pairs[order[1:]] != labels_of_pairs[order[:-1]]
        chosen.append(order[first])
    # One volunteer: its best `capacity` newcomers, ties to the lowest newcomer index.
    idx = np.flatnonzero(single_v)
    if len(idx):
        order = idx[np.lexsort((pn[idx], -cost[idx], labels_of_pairs[idx]))]
        chosen.append(order[rank_in_groups(labels_of_pairs[order]) < capacity[pv[order]]])
    picked = np.concatenate(chosen) if chosen else np.zeros(0, np.int64)
    return picked, single_n | single_v


def solve(
    n_newcomers: int,
    n_volunteers: int,
    pn: np.ndarray,
    pv: np.ndarray,
    cost: np.ndarray,
    capacity: np.ndarray,
    *,
    workers: int | None = None,
    parallel_min_arcs: int = DEFAULT.parallel_min_arcs,
) -> tuple[np.ndarray, dict[str, int]]:
    """Indices of the chosen pairs (sorted), and facts about the solve. Components are solved in
    parallel processes only when there are `parallel_min_arcs` arcs of flow work: below it a
    process costs more than it saves.

    pn, pv: newcomer and volunteer index of each feasible pair; cost: its integer score
    (higher is better); capacity: places left per volunteer (every pair's volunteer has >= 1).
    """
    pn = np.asarray(pn, np.int64)
    pv = np.asarray(pv, np.int64)
    cost = np.asarray(cost, np.int64)
    capacity = np.asarray(capacity, np.int64)
    facts = {"components": 0, "largest_component_pairs": 0, "processes": 1}
    if len(pn) == 0:
        return np.zeros(0, np.int64), facts

    graph = coo_matrix((np.ones(len(pn), np.int8), (pn, n_newcomers + pv)), shape=(n_newcomers + n_volunteers,) * 2)
    n_comp, labels = connected_components(graph, directed=False)
    pair_label = labels[pn]
    comp_newcomers = np.bincount(labels[np.flatnonzero(np.bincount(pn, minlength=n_newcomers))], minlength=n_comp)
    comp_volunteers = np.bincount(
        labels[n_newcomers + np.flatnonzero(np.bincount(pv, minlength=n_volunteers))], minlength=n_comp
    )
    pairs_per_comp = np.bincount(pair_label, minlength=n_comp)
    facts["components"] = int(np.count_nonzero(pairs_per_comp))
    facts["largest_component_pairs"] = int(pairs_per_comp.max())

    chosen_trivial, handled = _trivial(pn, pv, cost, pair_label, comp_newcomers, comp_volunteers, capacity)
    rest = np.flatnonzero(~handled)
    chosen = [chosen_trivial]
    if len(rest):
        workers = workers or min(os.cpu_count() or 1, 2)
        if len(rest) < parallel_min_arcs or workers == 1:
            groups = [rest]
        else:
            # Largest components first, each to the currently lighter group.
            comps = np.unique(pair_label[rest])
            comps = comps[np.argsort(-pairs_per_comp[comps], kind="stable")]
            load = np.zeros(workers, np.int64)
            owner = np.zeros(n_comp, np.int64)
            for c in comps:
                w = int(np.argmin(load))
                owner[c] = w
                load[w] += pairs_per_comp[c]
            groups = [rest[owner[pair_label[rest]] == w] for w in range(workers) if load[w]]
        tasks = [(g, pair_label[g], pn[g], pv[g], cost[g], capacity) for g in groups]
        if len(tasks) == 1:
            chosen.extend(_solve_group(t) for t in tasks)
        else:
            facts["processes"] = len(tasks)
            chosen.extend(forked.map_in_children(_solve_group, tasks))
    return np.sort(np.concatenate(chosen)), facts
