"""What would let those left waiting be matched: each change the engine offers states an effect
that an independent solve of the changed pool gives, and the changes are the ones a coordinator
can make (a limit raised, a preference waived, a time, an extract, volunteers recruited)."""

import copy
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
from hypothesis import HealthCheck, given, settings
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import maximum_bipartite_matching

from matching.engine import solve_problem
from matching.format import parse_problem
from matching.whatif import what_if
from tests.matching.helpers import feasible_by_the_letter, person, problem
from tests.matching.test_rules import problems
from tests.matching.test_solver import places_left

ROOT = Path(__file__).resolve().parents[2]
FAR = {"lat": 59.3, "lon": 18.5}  # 28 km east of the helpers' default place


def changed_by_hand(doc: dict, change: dict) -> dict:
    """The pool as the change's own words describe it, edited in the document (not by the engine)."""
    doc = copy.deepcopy(doc)
    kind = change["kind"]
    if kind == "max_distance_km":
        doc["programme"]["max_distance_km"] = change["to"]
    elif kind == "gender_preference_waived":
        for n in doc["newcomers"]:
            if n["id"] in change["newcomers"]:
                n["gender_preference"] = None
    elif kind == "one_more_time":
        for n in doc["newcomers"]:
            if n["id"] in change["newcomers"]:
                n["availability"] = [*(n.get("availability") or []), change["newcomers"][n["id"]]]
    elif kind == "background_checked":
        for v in doc["volunteers"]:
            if v["id"] in change["volunteers"]:
                v["background_checked"] = True
    elif kind == "more_volunteers":
        doc["volunteers"] += change["volunteers"]
    else:
        raise AssertionError(kind)
    return doc


def most_matched(doc: dict) -> int:
    """The most newcomers the rules, read by the letter, allow to be matched (maximum bipartite
    matching over each volunteer's places left)."""
    pairs = feasible_by_the_letter(doc)
    newcomers = [n["id"] for n in doc["newcomers"]]
    columns = [v for v, c in places_left(doc).items() for _ in range(c)]
    if not pairs or not columns:
        return 0
    grid = np.zeros((len(newcomers), len(columns)), bool)
    for i, n in enumerate(newcomers):
        for j, v in enumerate(columns):
            grid[i, j] = (n, v) in pairs
    return int((maximum_bipartite_matching(csr_matrix(grid), perm_type="column") >= 0).sum())


def offered(doc: dict) -> tuple[dict, list[dict]]:
    parsed = parse_problem(doc)
    solution = solve_problem(parsed)
    return solution, what_if(parsed, solution)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems())
def test_each_change_offered_matches_as_many_more_as_an_independent_solve_of_the_changed_pool(doc):
    solution, changes = offered(doc)
    matched = len(solution["matches"])
    assert matched == most_matched(doc)
    for entry in changes:
        assert entry["matched_more"] > 0
        assert most_matched(changed_by_hand(doc, entry["change"])) == matched + entry["matched_more"], entry["change"]
        assert len(entry["newcomers"]) - len(entry["no_longer"]) == entry["matched_more"]


def test_a_newcomer_28_km_out_is_matched_by_raising_the_limit_from_25_to_30():
    doc = problem([person("n1", location=FAR)], [person("v1")])
    _solution, changes = offered(doc)
    assert changes[0]["change"] == {"kind": "max_distance_km", "from": 25.0, "to": 30.0}
    assert (changes[0]["matched_more"], changes[0]["newcomers"]) == (1, ["n1"])


def test_a_newcomer_who_asked_for_a_woman_where_only_men_volunteer_is_offered_the_preference_waived():
    doc = problem([person("n1", gender_preference="female", languages=["prs", "sv"])], [person("v1", gender="male")])
    _solution, changes = offered(doc)
    assert [c["change"] for c in changes] == [{"kind": "gender_preference_waived", "newcomers": ["n1"]}]
    assert changes[0]["by_language"] == {"prs": 1}


def test_a_minor_is_matched_once_the_volunteer_who_fits_shows_her_extract():
    doc = problem(
        [person("n1", birth_year=2012)],
        [person("v1", background_checked=False), person("v2", background_checked=False, languages=["so"])],
    )
    _solution, changes = offered(doc)
    assert [c["change"] for c in changes] == [{"kind": "background_checked", "volunteers": ["v1"]}]


def test_a_newcomer_free_only_when_nobody_is_is_offered_the_time_most_volunteers_are_free():
    doc = problem(
        [person("n1", availability=["mon-morning"])],
        [person("v1", availability=["sat-afternoon"]), person("v2", availability=["sat-afternoon", "tue-evening"])],
    )
    _solution, changes = offered(doc)
    assert [c["change"] for c in changes] == [{"kind": "one_more_time", "newcomers": {"n1": "sat-afternoon"}}]


def test_dari_speakers_nobody_speaks_with_are_offered_dari_speaking_volunteers_where_most_of_them_live():
    near = [person(f"n{k}", languages=["prs"], availability=["wed-evening"]) for k in range(3)]
    doc = problem([*near, person("n9", languages=["prs"], location=FAR)], [person("v1")])
    _solution, changes = offered(doc)
    [entry] = [c for c in changes if c["change"]["kind"] == "more_volunteers"]
    volunteers = entry["change"]["volunteers"]
    assert entry["change"]["language"] == "prs" and len(volunteers) == 3
    first = volunteers[0]
    assert first["languages"] == ["prs", "sv"] and first["location"] == {"lat": 59.3, "lon": 18.0}
    assert "wed-evening" in first["availability"] and first["capacity"] == 2
    assert entry["matched_more"] == 4 and entry["by_language"] == {"prs": 4}


def test_nothing_is_offered_when_everyone_is_matched():
    assert offered(problem([person("n1")], [person("v1")]))[1] == []


def test_the_command_line_adds_what_if_only_when_asked_and_its_change_reproduces_the_effect(tmp_path):
    doc = problem([person("n1", location=FAR), person("n2")], [person("v1", capacity=2)])
    (tmp_path / "p.json").write_text(json.dumps(doc))
    plain = subprocess.run(
        [sys.executable, "-m", "matching", "solve", str(tmp_path / "p.json")], cwd=ROOT, capture_output=True, text=True
    )
    assert "what_if" not in json.loads(plain.stdout)
    asked = subprocess.run(
        [sys.executable, "-m", "matching", "solve", str(tmp_path / "p.json"), "--what-if"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    [entry] = json.loads(asked.stdout)["what_if"]
    (tmp_path / "changed.json").write_text(json.dumps(changed_by_hand(doc, entry["change"])))
    again = subprocess.run(
        [sys.executable, "-m", "matching", "solve", str(tmp_path / "changed.json")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    assert len(json.loads(again.stdout)["matches"]) == 1 + entry["matched_more"] == 2
