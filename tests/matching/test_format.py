"""Every kind of bad input is refused with a message naming the record and the field."""

import gc
import json

import pytest

from matching.format import ProblemError, dumps, load_problem, parse_problem
from tests.matching.helpers import person, problem


def refused(doc) -> str:
    with pytest.raises(ProblemError) as error:
        parse_problem(doc)
    return str(error.value)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda d: d.update(format="vanmatch.problem/2"),
            'problem: format "vanmatch.problem/2" must be "vanmatch.problem/1"',
        ),
        (lambda d: d.update(reference_date="22/11/2026"), 'problem: reference_date "22/11/2026" is not an ISO date'),
        (lambda d: d.pop("programme"), "programme: is required"),
        (lambda d: d["programme"].update(kind="kompis"), 'programme: kind "kompis" is not one of'),
        (
            lambda d: d["programme"].update(max_distance_km=-1),
            "programme: max_distance_km -1 must be a number from 0 to 20040 or null",
        ),
        (lambda d: d["programme"].update(weights={"looks": 1}), 'programme: weights "looks" is not a criterion'),
        (lambda d: d["programme"].update(weights={"language": -1}), 'programme: weights "language" -1 must be'),
        (
            lambda d: d["programme"].update(
                weights=dict.fromkeys(
                    ("language", "interests", "availability", "distance", "age", "household", "waiting"), 0
                )
            ),
            "programme: weights must not all be 0",
        ),
        (lambda d: d["newcomers"][0].pop("id"), "newcomers[0]: id is required"),
        (lambda d: d["newcomers"][0].update(id=""), "newcomers[0]: id is required"),
        (
            lambda d: d["newcomers"].append(person("n1", languages=["ar"])),
            'newcomers[1] (id "n1"): id "n1" is used twice',
        ),
        (lambda d: d["newcomers"][0].pop("languages"), 'newcomers[0] (id "n1"): languages is required'),
        (lambda d: d["newcomers"][0].update(languages=[]), 'newcomers[0] (id "n1"): languages needs at least one'),
        (lambda d: d["newcomers"][0].update(languages=["Arabic"]), 'languages "Arabic" is not an ISO 639 code'),
        (
            lambda d: d["newcomers"][0].update(availability=["monday-eve"]),
            'newcomers[0] (id "n1"): availability "monday-eve" is not a slot such as "mon-evening"',
        ),
        (lambda d: d["newcomers"][0].update(availability="mon-evening"), "availability must be a list"),
        (lambda d: d["newcomers"][0].update(location={"lat": 91, "lon": 18}), "location.lat 91 is not a latitude"),
        (lambda d: d["newcomers"][0].update(location={"lat": 59, "lon": -181}), "location.lon -181 is not a longitude"),
        (lambda d: d["newcomers"][0].update(location={"lat": "59", "lon": 18}), 'location.lat "59" is not a latitude'),
        (lambda d: d["newcomers"][0].update(gender="f"), 'gender "f" is not one of'),
        (lambda d: d["newcomers"][0].update(gender_preference="other"), 'gender_preference "other" is not one of'),
        (lambda d: d["newcomers"][0].update(birth_year=1994.5), "birth_year 1994.5 is not a whole number"),
        (lambda d: d["newcomers"][0].update(household={"adults": 0, "children": 1}), "household.adults 0 must be"),
        (lambda d: d["newcomers"][0].update(household={"adults": 1, "children": -1}), "household.children -1 must be"),
        (lambda d: d["newcomers"][0].update(registered_on="yesterday"), 'registered_on "yesterday" is not an ISO date'),
        (lambda d: d["newcomers"][0].update(exclude="v1"), "exclude must be a list"),
        (
            lambda d: d["volunteers"][0].update(capacity=0),
            'volunteers[0] (id "v1"): capacity 0 must be a whole number from 1 to 1000',
        ),
        (lambda d: d["volunteers"][0].update(capacity=True), "capacity true must be"),
        (
            lambda d: d["volunteers"][0].update(background_checked="yes"),
            'background_checked "yes" must be true or false',
        ),
        (lambda d: d["volunteers"][0].update(wishes=["family"]), 'volunteers[0] (id "v1"): wishes must be an object'),
        (
            lambda d: d["volunteers"][0].update(wishes={"household": "couple"}),
            'wishes.household "couple" is not one of',
        ),
        (lambda d: d["volunteers"][0].update(wishes={"age_min": 17.5}), "wishes.age_min 17.5 must be a whole number"),
        (
            lambda d: d["volunteers"][0].update(wishes={"age_max": 10**40}),
            "wishes.age_max 10000000000000000000… must be a whole number",
        ),
        (lambda d: d["volunteers"][0].update(wishes={"age_min": 50, "age_max": 30}), "age_min is above wishes.age_max"),
        (
            lambda d: d.update(locked=[{"newcomer": "n1", "volunteer": "v9"}]),
            'locked[0]: volunteer "v9" is not among the volunteers',
        ),
        (lambda d: d.update(locked=[{"newcomer": "n1"}]), "locked[0]: volunteer is required"),
        (lambda d: d.update(newcomers={"id": "n1"}), "newcomers: must be a list"),
    ],
)
def test_bad_input_is_refused_naming_the_record_and_the_field(change, message):
    doc = problem([person("n1", languages=["ar", "sv"])], [person("v1")])
    change(doc)
    assert message in refused(doc)


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        (["mon-evening", 7], "availability must hold strings, not 7"),
        (["mon-evening", ["tue-evening"]], 'availability must hold strings, not ["tue-evening"]'),
        (["mon-evening", "monday"], 'availability "monday" is not a slot'),
    ],
)
def test_a_list_many_people_share_is_read_once_and_a_different_one_still_checked(bad, message):
    shared = ["tue-evening", "mon-evening", "mon-evening"]
    newcomers = [person(f"n{i}", availability=list(shared), interests=[" Chess", "chess"]) for i in range(1, 4)]
    read = parse_problem(problem(newcomers, [person("v1")])).newcomers
    assert {p.availability for p in read} == {("mon-evening", "tue-evening")}
    assert {p.interests for p in read} == {("chess",)}
    newcomers.append(person("n4", availability=bad))
    assert refused(problem(newcomers, [person("v1")])).startswith(f'newcomers[3] (id "n4"): {message}')


def test_a_document_that_is_not_json_is_refused_with_where_it_broke():
    with pytest.raises(ProblemError, match=r"not valid JSON .* line 1, column 2"):
        load_problem("{oops")


def test_missing_and_null_optional_fields_take_their_defaults():
    doc = problem(
        [
            {
                "id": "n1",
                "languages": ["ar"],
                "interests": None,
                "availability": None,
                "location": None,
                "gender": None,
                "household": None,
                "registered_on": None,
                "exclude": None,
            }
        ],
        [{"id": "v1", "languages": ["ar"], "capacity": None, "background_checked": None}],
    )
    p = parse_problem(doc)
    assert p.volunteers[0].capacity == 1 and p.volunteers[0].background_checked is False
    assert p.newcomers[0].availability == () and p.newcomers[0].lat is None


def test_a_locked_pair_may_name_a_newcomer_who_has_left_the_pool():
    doc = problem([], [person("v1")], locked=[{"newcomer": "n-gone", "volunteer": "v1"}])
    assert parse_problem(doc).locked == (("n-gone", "v1"),)


def test_extra_keys_are_welcome_and_ignored():
    doc = problem([person("n1", hobby_note="x")], [person("v1")], source="spreadsheet")
    assert json.dumps(doc) and parse_problem(doc).newcomers[0].id == "n1"


def test_a_written_document_reads_back_the_same_with_one_match_per_line():
    doc = {
        "format": "vanmatch.solution/1",
        "matches": [
            {"newcomer": "n1", "volunteer": "v1", "score": 0.5, "reasons": {"shared_languages": ["sv", "ar"]}},
            {"newcomer": "n2", "volunteer": "v1", "score": 0.25, "reasons": {"distance_km": None}},
        ],
        "unmatched": [],
        "stats": {"matched": 2, "weights": {"language": 1.0}, "note": "Åsa's\nline"},
    }
    text = dumps(doc)
    assert json.loads(text) == doc
    assert text.endswith("}\n") and dumps(doc) == text
    lines = text.splitlines()
    assert lines.index('  "matches": [') + 1 == lines.index(
        '    {"newcomer": "n1", "volunteer": "v1", "score": 0.5, "reasons": {"shared_languages": ["sv", "ar"]}},'
    )
    assert '  "unmatched": [],' in lines and '    "note": "Åsa\'s\\nline"' in lines


@pytest.mark.parametrize("enabled", [True, False])
def test_reading_a_problem_leaves_the_garbage_collector_as_it_found_it(enabled):
    was = gc.isenabled()
    (gc.enable if enabled else gc.disable)()
    try:
        load_problem(json.dumps(problem([person("n1")], [person("v1")])))
        with pytest.raises(ProblemError):
            load_problem(b"{")
        assert gc.isenabled() is enabled
    finally:
        (gc.enable if was else gc.disable)()
