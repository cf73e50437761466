"""The solve is optimal (cardinality first, then score), respects capacity, and is deterministic."""

import contextlib
import json
import multiprocessing
import os
import threading
from dataclasses import replace

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import linear_sum_assignment
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import maximum_bipartite_matching

from matching.engine import pairs_document, solve, solve_problem
from matching.format import dumps, parse_problem
from matching.tuning import Tuning
from tests.matching.helpers import person, problem
from tests.matching.test_rules import problems

SCALE = 1_000_000


def places_left(doc) -> dict[str, int]:
    left = {v["id"]: v.get("capacity") or 1 for v in doc["volunteers"]}
    for pair in doc.get("locked") or []:
        left[pair["volunteer"]] -= 1
    return {v: max(0, c) for v, c in left.items()}


def independent_optimum(doc, pairs) -> tuple[int, int]:
    """(most newcomers that can be matched, best total score in millionths) by dense assignment."""
    newcomers = [n["id"] for n in doc["newcomers"]]
    columns = [v for v, c in places_left(doc).items() for _ in range(c)]
    if not newcomers or not pairs:
        return 0, 0
    score = {(p["newcomer"], p["volunteer"]): round(p["score"] * SCALE) for p in pairs}
    big = (len(newcomers) + 1) * SCALE
    cost = np.full((len(newcomers), len(columns) + len(newcomers)), 1e12)
    cost[:, len(columns) :] = 0.0  # staying unmatched
    for i, n in enumerate(newcomers):
        for j, v in enumerate(columns):
            if (n, v) in score:
                cost[i, j] = -(big + score[(n, v)])
    rows, cols = linear_sum_assignment(cost)
    chosen = [(r, c) for r, c in zip(rows, cols, strict=True) if c < len(columns)]
    # Cardinality independently, by maximum bipartite matching on the same graph.
    adjacency = csr_matrix(cost[:, : len(columns)] < 0)
    cardinality = int((maximum_bipartite_matching(adjacency, perm_type="column") >= 0).sum())
    assert cardinality == len(chosen)
    return cardinality, int(sum(score[(newcomers[r], columns[c])] for r, c in chosen))


def feasible_scores(p) -> dict[tuple[str, str], int]:
    """Every feasible pair's score in millionths, by (newcomer id, volunteer id)."""
    return {(x["newcomer"], x["volunteer"]): round(x["score"] * SCALE) for x in pairs_document(p)["pairs"]}


@contextlib.contextmanager
def pairs_handed_to_the_flow(p):
    """Notes, by (newcomer id, volunteer id), the score of every pair any solve is handed."""
    from matching import flow

    n_ids, v_ids = [n.id for n in p.newcomers], [v.id for v in p.volunteers]
    handed: dict[tuple[str, str], int] = {}
    original = flow.solve

    def solve_and_note(n, m, pn, pv, cost, capacity, **options):
        handed.update({(n_ids[i], v_ids[j]): int(c) for i, j, c in zip(pn, pv, cost, strict=True)})
        return original(n, m, pn, pv, cost, capacity, **options)

    flow.solve = solve_and_note
    try:
        yield handed
    finally:
        flow.solve = original


def street(prefix: str, count: int, lon: float, kinds_of_interest: int, years_apart: int) -> list[dict]:
    """People along five streets a few km apart, with a few interests and ages."""
    return [
        person(
            f"{prefix}{i}",
            location={"lat": 59 + (i % 5) * 0.05, "lon": lon},
            interests=[str(i % kinds_of_interest)],
            birth_year=1950 + (i * years_apart) % 50,
        )
        for i in range(count)
    ]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems())
def test_the_solution_matches_the_most_newcomers_with_the_best_total(doc):
    p = parse_problem(doc)
    pairs = pairs_document(p)["pairs"]
    solution = solve_problem(p)
    cardinality, best = independent_optimum(doc, pairs)
    assert solution["stats"]["matched"] == len(solution["matches"]) == cardinality
    assert round(solution["stats"]["total_score"] * SCALE) == best


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems())
def test_the_solution_keeps_every_rule_and_accounts_for_every_newcomer(doc):
    solution = solve_problem(parse_problem(doc))
    feasible = {(p["newcomer"], p["volunteer"]) for p in pairs_document(parse_problem(doc))["pairs"]}
    assert all((m["newcomer"], m["volunteer"]) in feasible for m in solution["matches"])
    left = places_left(doc)
    for m in solution["matches"]:
        left[m["volunteer"]] -= 1
    assert min(left.values(), default=0) >= 0
    locked = {pair["newcomer"] for pair in doc.get("locked") or []}
    listed = [m["newcomer"] for m in solution["matches"]] + [u["newcomer"] for u in solution["unmatched"]]
    assert sorted(listed) == sorted(n["id"] for n in doc["newcomers"] if n["id"] not in locked)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems())
def test_the_same_input_gives_the_same_bytes(doc):
    assert dumps(solve_problem(parse_problem(doc))) == dumps(solve_problem(parse_problem(doc)))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems())
def test_a_solution_names_the_same_matches_as_its_document(doc):
    # A what-if's re-solve asks only who is matched; a run's document must say the same.
    solution = solve(parse_problem(doc))
    document = solution.document()
    assert solution.matched_ids() == [(m["newcomer"], m["volunteer"]) for m in document["matches"]]
    assert round(document["stats"]["total_score"] * SCALE) == int(solution.scores.sum())


def test_cardinality_comes_before_score():
    # Karin suits Amal best, but only Karin can take Rana: both are matched, Amal with Erik.
    doc = problem(
        [person("amal", languages=["ar", "sv"], interests=["x"]), person("rana", languages=["ti", "sv"])],
        [person("karin", languages=["ar", "ti", "sv"], interests=["x"]), person("erik", languages=["ar"])],
    )
    matches = {(m["newcomer"], m["volunteer"]) for m in solve_problem(parse_problem(doc))["matches"]}
    assert matches == {("amal", "erik"), ("rana", "karin")}


def test_a_volunteer_with_capacity_takes_several():
    doc = problem([person(f"n{i}") for i in range(3)], [person("karin", capacity=2)])
    solution = solve_problem(parse_problem(doc))
    assert [m["volunteer"] for m in solution["matches"]] == ["karin", "karin"]
    assert solution["unmatched"][0]["code"] == "taken"


def test_a_solve_spread_over_processes_gives_the_same_answer():
    doc = problem(
        [person(f"n{i}", location={"lat": 59 + (i % 7), "lon": 15.0}, interests=[str(i % 3)]) for i in range(60)],
        [person(f"v{i}", location={"lat": 59 + (i % 7), "lon": 15.01}, interests=[str(i % 2)]) for i in range(40)],
    )
    single = dumps(solve_problem(parse_problem(doc), workers=1))
    assert dumps(solve_problem(parse_problem(doc), workers=2, tuning=Tuning(parallel_min_arcs=1))) == single


SMALL_BLOCKS = Tuning(block_entries=50)  # a pool cut into blocks of a few entries


def many_small_blocks() -> dict:
    """A pool to cut into blocks of a few entries (SMALL_BLOCKS)."""
    return problem(
        [
            person(f"n{i}", location={"lat": 59 + (i % 5) * 0.05, "lon": 15.0}, interests=[str(i % 4)])
            for i in range(90)
        ],
        [
            person(f"v{i}", location={"lat": 59 + (i % 5) * 0.05, "lon": 15.02}, interests=[str(i % 3)])
            for i in range(70)
        ],
    )


@pytest.mark.parametrize("certified", [True, False])
def test_blocks_in_several_threads_give_the_same_bytes_as_in_one(certified):
    """Many small blocks, in the engine's own thread and in three: on the certified path, with
    pricing rounds, and on the direct path, where the kept blocks hand back every pair."""
    doc = many_small_blocks()
    tuning = (
        replace(SMALL_BLOCKS, direct_pairs=-1, keep_per_newcomer=1, keep_per_volunteer=1) if certified else SMALL_BLOCKS
    )
    one = dumps(solve_problem(parse_problem(doc), threads=1, tuning=tuning))
    assert json.loads(one)["stats"]["matched"] > 0
    solver_facts = solve_problem(parse_problem(doc), threads=1, timings=True, tuning=tuning)["stats"]["solver"]
    assert (solver_facts.get("rounds", 0) > 1) is certified
    threaded = replace(tuning, thread_min_entries=0)
    assert dumps(solve_problem(parse_problem(doc), threads=3, tuning=threaded)) == one


def without_timings(text: str) -> dict:
    """The document without what --timings adds (the seconds, and how the solver went)."""
    doc = json.loads(text)
    doc["stats"].pop("seconds", None)
    doc["stats"].pop("solver", None)
    return doc


def test_a_block_that_fails_in_a_thread_fails_the_solve_and_leaves_no_thread_behind(monkeypatch):
    from matching import scoring

    doc = many_small_blocks()

    def broken(enc, block):
        raise MemoryError("no room for the scores")

    monkeypatch.setattr(scoring, "score_block", broken)
    before = set(threading.enumerate())  # other tests' servers
    with pytest.raises(MemoryError, match="no room for the scores"):
        solve_problem(parse_problem(doc), threads=2, tuning=replace(SMALL_BLOCKS, thread_min_entries=0))
    assert set(threading.enumerate()) <= before


def children_of(pid: int) -> list[str]:
    """The process's living children (Linux's /proc)."""
    children = []
    for task in os.listdir(f"/proc/{pid}/task"):
        with open(f"/proc/{pid}/task/{task}/children") as f:
            children += f.read().split()
    return children


def test_a_daemonic_process_such_as_a_celery_workers_spreads_blocks_over_threads_and_flows_over_processes():
    """multiprocessing refuses to start children from a daemonic process, which a Celery
    prefork worker's pool process is: the engine works blocks in threads and forks its own
    processes for the flows, and gives the same bytes."""
    doc = problem(  # two towns far apart: two flows
        [person(f"n{i}", location={"lat": 59 + i % 2 * 5, "lon": 15.0}, interests=[str(i % 4)]) for i in range(60)],
        [person(f"v{i}", location={"lat": 59 + i % 2 * 5, "lon": 15.02}, interests=[str(i % 3)]) for i in range(40)],
    )
    alone = dumps(solve_problem(parse_problem(doc), threads=1, workers=1, tuning=SMALL_BLOCKS))
    spreading = replace(SMALL_BLOCKS, thread_min_entries=0, parallel_min_arcs=1)
    context = multiprocessing.get_context("fork")
    ours, theirs = context.Pipe()

    def in_the_worker():
        doc_out = solve_problem(parse_problem(doc), threads=2, workers=2, timings=True, tuning=spreading)
        theirs.send((dumps(doc_out), doc_out["stats"]["solver"]["processes"]))

    worker = context.Process(target=in_the_worker, daemon=True)
    worker.start()
    theirs.close()  # the worker's own end: ours reads EOF if it dies
    spread, flow_processes = ours.recv()
    worker.join()
    assert worker.exitcode == 0
    assert flow_processes == 2
    assert without_timings(spread) == without_timings(alone)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems())
def test_the_certified_working_set_solve_is_as_good_as_the_solve_on_every_pair(doc):
    """Large pools are solved on a working set and certified by dual prices; force that path."""
    p = parse_problem(doc)
    direct = solve_problem(p)
    narrow = Tuning(direct_pairs=-1, keep_per_newcomer=1, keep_per_volunteer=1)
    # add_share 0: every round that finds more than nothing keeps only each newcomer's best.
    for tuning in (narrow, replace(narrow, add_share=0.0)):
        with pairs_handed_to_the_flow(p) as handed:
            certified = solve_problem(p, tuning=tuning)
        # Every pair any round hands the flow is a feasible pair with its own score.
        assert handed.items() <= feasible_scores(p).items()
        assert certified["stats"]["matched"] == direct["stats"]["matched"]
        assert certified["stats"]["total_score"] == direct["stats"]["total_score"]
        assert certified["stats"]["feasible_pairs"] == direct["stats"]["feasible_pairs"]


@pytest.mark.parametrize("block_entries", [50, 1_000_000])
def test_every_pair_a_pricing_round_adds_is_feasible_with_its_own_score(block_entries):
    """Keeping one pair a newcomer and one a volunteer, this pool settles only after pricing
    rounds add pairs; each pair added is found again among the feasible pairs, score and all."""
    tuning = Tuning(block_entries=block_entries)
    p = parse_problem(problem(street("n", 90, 15.0, 4, 7), street("v", 70, 15.02, 3, 11)))
    direct = solve_problem(p, tuning=tuning)
    narrow = replace(tuning, direct_pairs=-1, keep_per_newcomer=1, keep_per_volunteer=1)
    with pairs_handed_to_the_flow(p) as handed:
        certified = solve_problem(p, timings=True, tuning=narrow)
    assert certified["stats"]["solver"]["rounds"] >= 3
    assert handed.items() <= feasible_scores(p).items()
    assert (certified["stats"]["matched"], certified["stats"]["total_score"]) == (
        direct["stats"]["matched"],
        direct["stats"]["total_score"],
    )


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.lists(st.tuples(st.integers(0, 5), st.integers(1, 6)), max_size=7), min_size=1, max_size=12),
    st.lists(st.integers(0, 6), min_size=6, max_size=6),
    st.integers(1, 5),
    st.integers(1, 4),
)
def test_a_blocks_best_per_newcomer_and_per_volunteer_are_what_sorting_gives(rows, floors, k_n, k_v):
    """The one pass over a block keeps each newcomer's k_n best (all that tie at the k_n-th) and
    each volunteer's k_v best above its floor, highest first, a tie to the earlier newcomer: the
    same as sorting every pair, with many ties (scores of a few values)."""
    from matching import candidates, rules
    from matching.tuning import Tuning

    rows = [sorted(dict(row).items()) for row in rows]  # a volunteer once a row
    entries = [(r, c, s * SCALE // 6) for r, row in enumerate(rows) for c, s in row]
    block = rules.Block(
        rows=np.arange(len(rows)) + 100,
        cols=np.arange(6) + 10,
        feasible_row=np.array([r for r, _c, _s in entries], np.int32),
        feasible_col=np.array([c for _r, c, _s in entries], np.int32),
        feasible_km=np.zeros(len(entries)),
    )
    scores = np.array([s for _r, _c, s in entries], np.int32)
    floor = np.zeros(16, np.int64)
    floor[10:] = [f * SCALE // 6 for f in floors]
    best = candidates.block_best(block, scores, floor, tuning=Tuning(keep_per_newcomer=k_n, keep_per_volunteer=k_v))

    of_row = [sorted((s for rr, _c, s in entries if rr == r), reverse=True) for r in range(len(rows))]
    kth = {r: of[k_n - 1] if len(of) >= k_n else 0 for r, of in enumerate(of_row)}
    assert list(zip(best.best_pairs.n.tolist(), best.best_pairs.v.tolist(), strict=True)) == [
        (r + 100, c + 10) for r, c, s in entries if s >= kth[r]
    ]
    assert best.best_scores.tolist() == [s for r, _c, s in entries if s >= kth[r]]
    assert best.partial.tolist() == [any(s < kth[r] for s in of) for r, of in enumerate(of_row)]
    if best.partial.any():
        assert [best.lowest[r] for r in np.flatnonzero(best.partial)] == [kth[r] for r in np.flatnonzero(best.partial)]
    expected = {}
    for c in range(6):
        above = sorted(((-s, r) for r, cc, s in entries if cc == c and s > floor[10 + c]))[:k_v]
        if above:
            expected[c] = ([-s for s, _r in above] + [0] * k_v)[:k_v], ([r + 100 for _s, r in above] + [-1] * k_v)[:k_v]
    assert best.cand_cols.tolist() == sorted(expected)
    assert [(s.tolist(), n.tolist()) for s, n in zip(best.cand_s, best.cand_n, strict=True)] == [
        expected[c] for c in sorted(expected)
    ]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.lists(st.tuples(st.integers(0, 5), st.integers(0, 4), st.booleans()), max_size=7), max_size=10),
    st.lists(st.integers(-3, 3), min_size=6, max_size=6),
    st.integers(0, 4),
)
def test_pricing_adds_each_newcomers_k_best_new_gains_a_tie_to_the_earlier_pair(rows, col_part, k):
    """What a pricing round adds of a block: of the pairs not in the working set whose gain is
    above the threshold, each newcomer's k best, a tie to the earlier pair, in the block's
    order; and whether any new pair at all improves (gains above 0.5). Gains of a few values:
    many ties, at the k-th place too."""
    from matching import pricing

    rows = [sorted({c: (s, w) for c, s, w in row}.items()) for row in rows]  # a volunteer once a row
    entries = [(r, c, s, w) for r, row in enumerate(rows) for c, (s, w) in row]
    m, threshold = 6, -1.5
    row_part = np.array([np.inf if r % 4 == 3 else 0.0 for r in range(len(rows))])  # every 4th row ruled out
    working = np.array(sorted((r + 1) * m + c for r, c, _s, w in entries if w), np.int64)  # newcomer r + 1
    at, improves = pricing._top_new_gains(
        np.array([len(row) for row in rows], np.int64), np.array([c for _r, c, _s, _w in entries], np.int64),
        np.array([s for _r, _c, s, _w in entries], np.int32), row_part, np.array(col_part, np.float64), threshold,
        np.arange(len(rows), dtype=np.int64) + 1, np.arange(m, dtype=np.int64), working, m, k,
    )  # fmt: skip

    new = [
        (e, r, col_part[c] - row_part[r] + s)
        for e, (r, c, s, w) in enumerate(entries)
        if not w and row_part[r] != np.inf and col_part[c] - row_part[r] + s > threshold
    ]
    expected = sorted(e for r in range(len(rows)) for _g, e in sorted((-g, e) for e, rr, g in new if rr == r)[:k])
    assert at.tolist() == expected
    assert improves == any(g > 0.5 for _e, _r, g in new)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.lists(st.integers(-2, 3), min_size=1, max_size=6), min_size=1, max_size=8),
    st.integers(0, 30),
)
def test_a_round_over_its_budget_keeps_each_newcomers_best_gains_as_many_as_fit(gains_by_newcomer, working):
    """When pricing finds more pairs than tuning.add_share of the working set, each newcomer
    keeps her k best by gain (a tie to the pair found first), k the largest that fits and at
    least 1: the same as sorting each newcomer's found pairs. Gains of a few values: many ties."""
    from matching import pricing
    from matching.rules import Pairs

    n = len(gains_by_newcomer)
    # Newcomer i's found pairs: volunteers 0, 1, ... ascending. Potentials 0, so a pair's gain
    # is its score. The blocks come in an order that is not the newcomers'.
    found = [(i, j, g) for i in reversed(range(n)) for j, g in enumerate(gains_by_newcomer[i])]
    add = [Pairs(np.array([i], np.int32), np.array([j], np.int32), np.zeros(1)) for i, j, _g in found]
    add_scores = [np.array([g], np.int64) for _i, _j, g in found]

    kept, kept_scores = pricing.within_budget(Tuning(add_share=0.5), working, add, add_scores, np.zeros(n), np.zeros(6))

    budget = int(0.5 * working)
    fits = [k for k in range(1, 7) if sum(min(len(g), k) for g in gains_by_newcomer) <= budget]
    k = 6 if len(found) <= budget else max([1, *fits])
    expected = sorted(
        (i, j, g)
        for i, gains in enumerate(gains_by_newcomer)
        for _minus, j, g in sorted((-g, j, g) for j, g in enumerate(gains))[:k]
    )
    got = zip(
        np.concatenate([p.n for p in kept]).tolist(),
        np.concatenate([p.v for p in kept]).tolist(),
        np.concatenate(kept_scores).tolist(),
        strict=True,
    )
    assert sorted(got) == expected


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 6), st.integers(0, 6), st.integers(-3, 9)), max_size=30))
def test_the_potentials_are_the_shortest_distances_a_plain_bellman_ford_gives_or_a_cycle_is_named(arcs):
    """Pricing's potentials are shortest distances from a root joined to every node at cost 0:
    the queue-driven Bellman-Ford gives exactly what relaxing every arc n times over gives, and
    a negative cycle (an unsolved flow) is an error, not an answer."""
    from matching import pricing

    n_nodes = 7
    arcs = [(a, b, c) for a, b, c in arcs if a != b]
    tails, heads, costs = (np.array([x[i] for x in arcs], dt) for i, dt in ((0, np.int64), (1, np.int64), (2, float)))
    distance = [0.0] * n_nodes
    for _ in range(n_nodes):
        for a, b, c in arcs:
            distance[b] = min(distance[b], distance[a] + c)
    cycle = any(distance[a] + c < distance[b] for a, b, c in arcs)
    if cycle:
        with pytest.raises(RuntimeError, match="negative cycle"):
            pricing._shortest_from_everywhere(n_nodes, tails, heads, costs, 3, 4)
    else:
        pot_n, pot_v = pricing._shortest_from_everywhere(n_nodes, tails, heads, costs, 3, 4)
        assert pot_n.tolist() + pot_v.tolist() == distance


def test_a_volunteers_best_in_a_block_breaks_a_tie_at_the_last_place_not_a_better_pair():
    """Nine newcomers tie for a volunteer's eighth place and a tenth, later in the block, scores
    higher than all of them: the tenth is kept, and the tie goes to the earlier newcomers."""
    from matching import candidates, rules

    scores = np.array([500] * 9 + [900], np.int32)
    block = rules.Block(
        rows=np.arange(10),
        cols=np.array([0]),
        feasible_row=np.arange(10, dtype=np.int32),
        feasible_col=np.zeros(10, np.int32),
        feasible_km=np.zeros(10),
    )
    best = candidates.block_best(block, scores, floor=np.zeros(1, np.int64))
    assert best.cand_n[0].tolist() == [9, 0, 1, 2, 3, 4, 5, 6]
    assert best.cand_s[0].tolist() == [900] + [500] * 7
