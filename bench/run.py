"""Benchmark the matching engine on realistic instances and print the figures for bench/README.md.

    python bench/run.py [municipality region national region:unlocated ...] [--compare]
    python bench/run.py --all --compare    # every size, and every variant of the region, the nation unlocated

For each size: seconds per phase (read, encode, candidates, score, solve, certify,
explain, write) of a real `python -m matching solve` process, its peak memory,
feasible pairs and newcomers matched. With --compare, also on the same feasible
graph (all pairs where they fit in memory, else the certified working set): the
OR-Tools flow alone, scipy's min_weight_full_bipartite_matching with a private
"unmatched" column per newcomer, and a greedy best-first matcher (how many more
newcomers the optimal solve matches).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

from bench.generate import VARIANTS, generate, vary  # noqa: E402
from matching import candidates, flow, rules, scoring  # noqa: E402
from matching.encode import encode  # noqa: E402
from matching.format import load_problem  # noqa: E402

ALL = [
    "municipality",
    "region",
    *[f"region:{v}" for v in VARIANTS],
    "national",
    "national:unlocated",
    "national:unlocated-1",
]


def problem_file(name: str) -> Path:
    """`size` or `size:variant` (bench/generate.py), generated once into bench/out/."""
    size, _, variant = name.partition(":")
    path = HERE / "out" / f"{size}{'-' + variant if variant else ''}.json"
    if not path.exists():
        path.parent.mkdir(exist_ok=True)
        doc = generate(size)
        path.write_text(json.dumps(vary(doc, variant) if variant else doc), encoding="utf-8")
    return path


def _tree(pid: int) -> list[int]:
    """The process and its descendants (Linux's /proc)."""
    out = [pid]
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as f:
                for child in f.read().split():
                    out += _tree(int(child))
    except OSError:  # it has ended
        pass
    return out


def _pss_kb(pid: int) -> int:
    """Proportional set size: shared pages count once across the processes that share them."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def engine_run(path: Path) -> dict:
    """One `python -m matching solve` process: its wall time, and the peak of its memory with
    its block and flow processes' (their proportional set sizes summed, sampled four times a
    second; ru_maxrss gives only the largest single process, so a short run, which sampling
    may miss the peak of, takes that when it is higher)."""
    out = path.with_name(path.stem + "-solution.json")
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    with subprocess.Popen(
        [sys.executable, "-m", "matching", "solve", str(path), "--timings", "-o", str(out)],
        cwd=ROOT,
        stderr=subprocess.PIPE,
        text=True,
    ) as process:
        peak_kb = 0
        while process.poll() is None:
            peak_kb = max(peak_kb, sum(_pss_kb(pid) for pid in _tree(process.pid)))
            time.sleep(0.25)
        stderr = process.stderr.read()
    wall = time.perf_counter() - start
    if process.returncode:
        raise SystemExit(f"the engine failed on {path}:\n{stderr}")
    stats = json.loads(out.read_text())["stats"]
    stats["seconds"]["write"] = float(stderr.split()[1])  # "write 0.1234 s"
    largest_kb = max(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, before)
    return {"wall": wall, "peak_mb": max(peak_kb, largest_kb) / 1024, "stats": stats}


def greedy(n_newcomers: int, pn, pv, score, capacity) -> int:
    """Best score first: take a pair when both are still free."""
    order = np.lexsort((pv, pn, -score))
    free_n = np.ones(n_newcomers, bool)
    left = capacity.copy()
    matched = 0
    for k in order.tolist():
        i, j = pn[k], pv[k]
        if free_n[i] and left[j] > 0:
            free_n[i] = False
            left[j] -= 1
            matched += 1
    return matched


def scipy_solve(n_newcomers: int, pn, pv, score, capacity) -> tuple[int, float, float]:
    """scipy's LAPJVsp with one column per volunteer place and a private unmatched column per newcomer."""
    from scipy.sparse import csr_matrix
    from scipy.sparse.csgraph import min_weight_full_bipartite_matching

    places = np.repeat(np.arange(len(capacity)), capacity)
    first_place = np.r_[0, np.cumsum(capacity)[:-1]]
    rows, cols, data = [], [], []
    big = scoring.SCALE * (n_newcomers + 1)
    for copy in range(int(capacity.max(initial=0))):
        ok = capacity[pv] > copy
        rows.append(pn[ok])
        cols.append(first_place[pv[ok]] + copy)
        data.append((big + score[ok]).astype(np.float64))
    n_places = len(places)
    rows.append(np.arange(n_newcomers))
    cols.append(n_places + np.arange(n_newcomers))
    data.append(np.full(n_newcomers, 1.0))  # unmatched: a positive weight far below any pair's
    graph = csr_matrix(
        (np.concatenate(data), (np.concatenate(rows), np.concatenate(cols))),
        shape=(n_newcomers, n_places + n_newcomers),
    )
    start = time.perf_counter()
    row, col = min_weight_full_bipartite_matching(graph, maximize=True)
    seconds = time.perf_counter() - start
    matched = col < n_places
    total = float(graph[row[matched], col[matched]].sum() - big * matched.sum()) / scoring.SCALE
    return int(matched.sum()), total, seconds


def compare(path: Path, all_pairs_up_to: int = 5_000_000) -> dict:
    from matching import engine

    problem = load_problem(path.read_text())
    enc = encode(problem)
    with candidates.BlockPass(enc, engine.cores_available()) as block_pass:
        pool = engine._stream(enc, {}, block_pass)
    if pool.feasible <= all_pairs_up_to:
        pairs = rules.feasible_pairs(enc)
        scores, _ = scoring.score(enc, pairs)
        graph = "all feasible pairs"
    else:
        pairs, scores = engine._merge(enc, pool.working, pool.working_scores)
        graph = "the first working set"
    cap = enc.volunteer_capacity_left
    start = time.perf_counter()
    chosen, _ = flow.solve(len(enc.newcomers), len(enc.volunteers), pairs.n, pairs.v, scores, cap, workers=1)
    flow_seconds = time.perf_counter() - start
    out = {
        "graph": graph,
        "pairs": len(pairs),
        "flow_seconds": flow_seconds,
        "flow_matched": len(chosen),
        "flow_total": int(scores[chosen].sum()) / scoring.SCALE,
    }
    start = time.perf_counter()
    out["greedy_matched"] = greedy(len(enc.newcomers), pairs.n, pairs.v, scores, cap)
    out["greedy_seconds"] = time.perf_counter() - start
    if len(pairs) <= 3_000_000:
        out["scipy_matched"], out["scipy_total"], out["scipy_seconds"] = scipy_solve(
            len(enc.newcomers), pairs.n, pairs.v, scores, cap
        )
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("sizes", nargs="*", default=["municipality", "region", "national"])
    parser.add_argument("--compare", action="store_true")
    parser.add_argument("--all", action="store_true", help="every size and variant (bench/README.md's table)")
    parser.add_argument(
        "--all-pairs-up-to",
        type=int,
        default=5_000_000,
        help="compare on every feasible pair up to this many (the floor: a flow on the whole graph), "
        "above it on the engine's first working set",
    )
    args = parser.parse_args()
    for size in ALL if args.all else args.sizes:
        path = problem_file(size)
        run = engine_run(path)
        s = run["stats"]
        print(f"## {size}: {s['newcomers']:,} newcomers × {s['volunteers']:,} volunteers")
        print(f"wall {run['wall']:.2f} s (process, including Python start-up), peak memory {run['peak_mb']:,.0f} MB")
        print("seconds: " + ", ".join(f"{k} {v:.2f}" for k, v in s["seconds"].items()))
        print(
            f"feasible pairs {s['feasible_pairs']:,}; matched {s['matched']:,}; total score {s['total_score']:,.2f}; "
            f"solver {s.get('solver')}"
        )
        if args.compare:
            c = compare(path, args.all_pairs_up_to)
            print(
                f"on {c['graph']} ({c['pairs']:,} pairs): OR-Tools flow alone {c['flow_seconds']:.2f} s "
                f"({c['flow_matched']:,} matched, total {c['flow_total']:,.2f}); "
                f"greedy best-first {c['greedy_matched']:,} matched "
                f"({s['matched'] - c['greedy_matched']:+,} for the optimal solve)",
                end="",
            )
            if "scipy_seconds" in c:
                print(
                    f"; scipy min_weight_full_bipartite_matching {c['scipy_seconds']:.2f} s "
                    f"({c['scipy_matched']:,} matched, total {c['scipy_total']:,.2f})"
                )
            else:
                print()
        print(flush=True)


if __name__ == "__main__":
    main()
