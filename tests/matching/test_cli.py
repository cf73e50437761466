"""python -m matching solve|pairs, exactly as the spec says."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.matching.helpers import person, problem

ROOT = Path(__file__).resolve().parents[2]


def run(*args, stdin: str | None = None):
    return subprocess.run(
        [sys.executable, "-m", "matching", *args], cwd=ROOT, input=stdin, capture_output=True, text=True, timeout=60
    )


def write(tmp_path, doc) -> Path:
    path = tmp_path / "problem.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


GOOD = problem([person("amal", languages=["ar", "sv"]), person("yonas", languages=["ti"])], [person("karin")])


def test_solve_writes_the_solution_to_standard_output(tmp_path):
    result = run("solve", str(write(tmp_path, GOOD)))
    assert result.returncode == 0
    solution = json.loads(result.stdout)
    assert solution["format"] == "vanmatch.solution/1"
    assert [m["newcomer"] for m in solution["matches"]] == ["amal"]
    assert solution["unmatched"] == [
        {"newcomer": "yonas", "code": "no_shared_language", "reason": "nobody within 25 km speaks Tigrinya"}
    ]


def test_solve_writes_to_a_file_with_o(tmp_path):
    out = tmp_path / "solution.json"
    assert run("solve", str(write(tmp_path, GOOD)), "-o", str(out)).returncode == 0
    assert json.loads(out.read_text())["stats"]["matched"] == 1


def test_pairs_lists_every_feasible_pair_with_its_score(tmp_path):
    result = run("pairs", str(write(tmp_path, GOOD)))
    doc = json.loads(result.stdout)
    assert doc["format"] == "vanmatch.pairs/1"
    assert [(p["newcomer"], p["volunteer"]) for p in doc["pairs"]] == [("amal", "karin")]


def test_a_dash_reads_the_problem_from_standard_input():
    result = run("solve", "-", stdin=json.dumps(GOOD))
    assert result.returncode == 0 and json.loads(result.stdout)["stats"]["matched"] == 1


def test_two_runs_give_the_same_bytes(tmp_path):
    path = write(tmp_path, GOOD)
    assert run("solve", str(path)).stdout == run("solve", str(path)).stdout


def test_timings_are_written_only_when_asked_for(tmp_path):
    result = run("solve", str(write(tmp_path, GOOD)), "--timings")
    assert set(json.loads(result.stdout)["stats"]["seconds"]) >= {"read", "candidates", "score", "solve"}


def test_bad_input_exits_2_with_one_line_and_writes_no_output_file(tmp_path):
    bad = problem([person("n1"), person("n2"), person("n3"), person("n4", availability=["monday-eve"])], [])
    out = tmp_path / "solution.json"
    result = run("solve", str(write(tmp_path, bad)), "-o", str(out))
    assert result.returncode == 2
    assert result.stderr == 'newcomers[3] (id "n4"): availability "monday-eve" is not a slot such as "mon-evening"\n'
    assert result.stdout == "" and not out.exists()


def test_a_file_that_is_not_json_exits_2_without_a_traceback(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text("{")
    result = run("pairs", str(path))
    assert result.returncode == 2 and "Traceback" not in result.stderr and len(result.stderr.splitlines()) == 1


def test_a_missing_file_exits_2_with_one_line(tmp_path):
    result = run("solve", str(tmp_path / "nope.json"))
    assert result.returncode == 2 and result.stderr.count("\n") == 1 and "Traceback" not in result.stderr


def test_an_unknown_command_exits_2():
    assert run("optimise", "x.json").returncode == 2


def test_preloading_readies_the_solver_libraries_and_kernels_a_first_run_would_otherwise_wait_for():
    check = (
        "import sys, matching.engine as engine\n"
        "from matching import rules, scoring\n"
        "lazy = ('ortools.graph.python.min_cost_flow', 'scipy.spatial')\n"
        "kernels = (rules._feasible_entries, scoring._score_entries, rules._pair_km)\n"
        "assert not any(name in sys.modules for name in lazy)\n"
        "assert not any(kernel.signatures for kernel in kernels)\n"
        "engine.preload()\n"
        "assert all(name in sys.modules for name in lazy)\n"
        "assert all(kernel.signatures for kernel in kernels)\n"
    )
    subprocess.run([sys.executable, "-c", check], check=True, cwd=ROOT, timeout=60)


def hostile(kind: str) -> str:
    """Documents an attacker (or a broken export) hands the engine."""
    good = json.dumps(GOOD)
    volunteer = json.dumps(GOOD["volunteers"][0])
    if kind == "nested 100,000 deep":
        return good[:-1] + ', "x": ' + "[" * 100_000 + "]" * 100_000 + "}"
    if kind == "a 5,000-digit number":
        return good.replace(volunteer, volunteer[:-1] + ', "capacity": ' + "9" * 5000 + "}")
    if kind == "capacity 10**300":
        return good.replace(volunteer, volunteer[:-1] + f', "capacity": {10**300}' + "}")
    if kind == "a weight of 1e308":
        return good.replace('"programme": {', '"programme": {"weights": {"language": 1e308}, ', 1)
    if kind == "a weight of NaN":
        return good.replace('"programme": {', '"programme": {"weights": {"language": NaN}, ', 1)
    if kind == "birth year 10**20":
        return good.replace(volunteer, volunteer[:-1] + f', "birth_year": {10**20}' + "}")
    if kind == "51 adults":
        return good.replace(volunteer, volunteer[:-1] + ', "household": {"adults": 51, "children": 0}}')
    if kind == "a distance beyond the earth":
        return good.replace('"max_distance_km": 25', '"max_distance_km": 1e300', 1)
    if kind == "an id of 10,000 characters":
        return good.replace('"karin"', '"' + "k" * 10_000 + '"')
    raise AssertionError(kind)


HOSTILE = [
    "nested 100,000 deep",
    "a 5,000-digit number",
    "capacity 10**300",
    "a weight of 1e308",
    "a weight of NaN",
    "birth year 10**20",
    "51 adults",
    "a distance beyond the earth",
    "an id of 10,000 characters",
]


@pytest.mark.parametrize("kind", HOSTILE)
def test_a_hostile_document_exits_2_with_one_short_line_and_no_output_file(tmp_path, kind):
    path = tmp_path / "problem.json"
    path.write_text(hostile(kind), encoding="utf-8")
    out = tmp_path / "solution.json"
    result = run("solve", str(path), "-o", str(out))
    assert result.returncode == 2, result.stderr[-500:]
    assert len(result.stderr.splitlines()) == 1 and "Traceback" not in result.stderr
    assert len(result.stderr) < 300, "the line names the problem, it does not echo the value"
    assert not out.exists()
