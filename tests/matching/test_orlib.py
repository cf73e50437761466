"""The solver reaches the published optimum of every OR-Library assignment instance."""

import os
from pathlib import Path

import numpy as np
import pytest

from matching import flow
from tests.services import missing

ORLIB = Path(os.environ.get("VANMATCH_SHARED", Path(__file__).resolve().parents[3] / "shared")) / "data" / "orlib"


def optima() -> dict[str, int]:
    if not (ORLIB / "assignopt.txt").exists():
        return {}
    lines = (ORLIB / "assignopt.txt").read_text().split("\n")[1:]
    # Only the instances that are here; the file also lists others (real1, ...) with fractional values.
    return {
        name: int(value)
        for name, value in (line.split() for line in lines if line.strip())
        if (ORLIB / f"{name}.txt").exists()
    }


def read_instance(name: str) -> tuple[int, np.ndarray, np.ndarray, np.ndarray]:
    numbers = np.array((ORLIB / f"{name}.txt").read_text().split(), dtype=np.int64)
    n = int(numbers[0])
    if name.startswith("assignp"):
        triples = numbers[1:].reshape(-1, 3)
        return n, triples[:, 0] - 1, triples[:, 1] - 1, triples[:, 2]
    matrix = numbers[1 : 1 + n * n].reshape(n, n)
    rows, cols = np.indices((n, n))
    return n, rows.ravel(), cols.ravel(), matrix.ravel()


@pytest.mark.parametrize("name", sorted(optima()) or ["assign100"])
def test_the_solver_reaches_the_published_optimum(name):
    known = optima()
    if name not in known:
        missing(f"the OR-Library instances in {ORLIB}")
    n, rows, cols, costs = read_instance(name)
    # The solver maximises a positive score over a maximum matching; a perfect matching
    # of least cost is one of most (K - cost).
    k = int(costs.max()) + 1
    chosen, _ = flow.solve(n, n, rows, cols, k - costs, np.ones(n, np.int64))
    assert len(chosen) == n
    assert len(np.unique(rows[chosen])) == n and len(np.unique(cols[chosen])) == n
    assert int(costs[chosen].sum()) == known[name]
