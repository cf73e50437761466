"""An unmatched newcomer is told, in words a coordinator can act on, what stands in the way."""

import pytest

from matching.engine import solve_problem
from matching.format import parse_problem
from tests.matching.helpers import person, problem

FAR = {"lat": 63.18, "lon": 14.64}  # Östersund, far from Stockholm


def why(doc) -> tuple[str, str]:
    unmatched = solve_problem(parse_problem(doc))["unmatched"]
    assert len(unmatched) == 1
    return unmatched[0]["code"], unmatched[0]["reason"]


@pytest.mark.parametrize(
    ("newcomer", "volunteers", "code", "words"),
    [
        (person("yonas"), [], "no_volunteers", "there are no volunteers in the pool"),
        (person("yonas"), [person("karin", location=FAR)], "no_volunteer_in_reach", "no volunteer lives within 25 km"),
        (
            person("yonas", languages=["ti", "sv"]),
            [person("erik", languages=["de"])],
            "no_shared_language",
            "nobody within 25 km speaks Tigrinya or Swedish",
        ),
        (
            person("amal", languages=["ar"], availability=["tue-morning"]),
            [person("karin", languages=["ar"])],
            "no_common_time",
            "the volunteer within 25 km who speaks Arabic is never free when the newcomer is (tue morning)",
        ),
        (
            person("amal", gender="female", gender_preference="female"),
            [person("erik", gender="male")],
            "gender_preference",
            "do not match the gender wished for",
        ),
        (
            person("ali", birth_year=2011),
            [person("karin"), person("eva")],
            "background_check",
            "the newcomer is a minor and none of the 2 volunteers who would fit has a background check",
        ),
        (person("amal", exclude=["karin"]), [person("karin")], "excluded", "the volunteer who would fit is excluded"),
        (
            person("amal", household={"adults": 1, "children": 2}),
            [person("karin", wishes={"household": "single"})],
            "wants_single",
            "the volunteer who would fit wishes to meet one person, not a family",
        ),
        (
            person("yonas", household={"adults": 1, "children": 0}),
            [person("karin", wishes={"household": "family"}), person("eva", wishes={"household": "family"})],
            "wants_family",
            "the 2 volunteers who would fit wish to meet a family, not one person alone",
        ),
        (
            person("yonas", birth_year=1960),
            [person("karin", wishes={"age_max": 40})],
            "wants_age",
            "the volunteer who would fit wishes to meet someone of another age",
        ),
        (
            person("amal", birth_year=1960, household={"adults": 2, "children": 0}),
            [person("karin", wishes={"age_max": 40}), person("eva", wishes={"household": "single"})],
            "wishes",
            "wish to meet someone else (a family or one person, another age)",
        ),
    ],
)
def test_each_obstacle_is_named(newcomer, volunteers, code, words):
    got_code, reason = why(problem([newcomer], volunteers))
    assert got_code == code
    assert words in reason


def test_a_wish_the_newcomer_cannot_be_judged_by_does_not_stand_in_the_way():
    """An unknown household or age passes a volunteer's wish, as the format's extension says."""
    doc = problem([person("amal")], [person("karin", wishes={"household": "family", "age_min": 30, "age_max": 40})])
    assert solve_problem(parse_problem(doc))["matches"][0]["volunteer"] == "karin"


def test_volunteers_at_capacity_with_existing_matches_are_named():
    doc = problem([person("amal")], [person("karin")], locked=[{"newcomer": "rana", "volunteer": "karin"}])
    assert why(doc) == ("capacity", "the volunteer who would fit is at capacity with existing matches")


def test_the_gaps_say_which_languages_and_slots_lack_volunteers():
    doc = problem(
        [
            person("yonas", languages=["ti"]),
            person("senait", languages=["ti"]),
            person("abdi", languages=["so"]),
            person("amal", availability=["sun-morning"]),
        ],
        [person("karin")],
    )
    gaps = solve_problem(parse_problem(doc))["gaps"]
    assert gaps["languages"][:2] == [
        {"language": "ti", "name": "Tigrinya", "unmatched": 2},
        {"language": "so", "name": "Somali", "unmatched": 1},
    ]
    assert gaps["slots"] == [{"slot": "sun-morning", "unmatched": 1, "volunteers_free": 0}]
    assert gaps["by_reason"] == {"no_common_time": 1, "no_shared_language": 3}
    assert gaps["areas"][0]["unmatched"] == 3
