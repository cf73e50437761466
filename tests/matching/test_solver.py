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
    with pairs_handed_to_the_flow(p) as handed:
        certified = solve_problem(p, tuning=Tuning(direct_pairs=-1, keep_per_newcomer=1, keep_per_volunteer=1))
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
    st.lists(st.tuples(st.integers(0, 3), st.integers(1, 5), st.integers(0, 2**20)), max_size=80),
    st.booleans(),
    st.booleans(),
)
def test_sorting_by_group_then_highest_score_packs_keys_or_falls_back_to_lexsort(entries, with_tie, small):
    """Blocks sort their pairs by volunteer, the highest score first, a tie to the earlier
    newcomer, as one packed int64 key; groups too large to pack are sorted by lexsort, alike."""
    from matching import candidates

    group = np.array([g if small else g << 40 for g, _s, _t in entries], np.int64)  # few groups: ties
    score = np.array([s * SCALE // 5 for _g, s, _t in entries], np.int32)
    tie = np.array([t for _g, _s, t in entries], np.int32)
    found = candidates.by_group_highest_first(group, score, tie if with_tie else None)
    ties = tie.tolist() if with_tie else [0] * len(entries)
    expected = sorted(zip(group.tolist(), (-score).tolist(), ties, strict=True))
    got = list(zip(found[0].tolist(), (-found[1]).tolist(), found[2].tolist() if with_tie else ties, strict=True))
    assert got == expected
    assert found[1].dtype == score.dtype and found[0].dtype == group.dtype


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.lists(st.integers(1, SCALE), max_size=60), min_size=1, max_size=40),
    st.integers(1, 30),
    st.sampled_from([1, 64, 1 << 17]),
)
def test_each_newcomers_kth_best_in_a_block_is_found_exactly(rows, k, histogram_bins):
    """The working set keeps each newcomer's k best in its block, found from a histogram of
    coarse bins and a sort of the top bins only: the same k-th as a full sort, on ties, at the
    highest score and with one bin for the whole range as with a thousand."""
    from matching import candidates

    row = np.repeat(np.arange(len(rows)), [len(r) for r in rows])
    scores = np.array([s for r in rows for s in r], np.int32)
    original = candidates.HISTOGRAM_BINS
    try:
        candidates.HISTOGRAM_BINS = histogram_bins
        found = candidates.kth_by_row(row, scores, np.array([len(r) for r in rows]), k)
    finally:
        candidates.HISTOGRAM_BINS = original
    assert found.tolist() == [sorted(r, reverse=True)[k - 1] if len(r) >= k else 0 for r in rows]


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
