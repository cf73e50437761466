"""Each hard rule on its own, then all of them against a by-the-letter reading on random problems."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from matching.engine import pairs_document
from matching.format import SLOTS, parse_problem
from matching.rules import broken_rules
from tests.matching.helpers import feasible_by_the_letter, person, problem


def feasible(doc) -> set[tuple[str, str]]:
    return {(p["newcomer"], p["volunteer"]) for p in pairs_document(parse_problem(doc))["pairs"]}


def test_rule_1_they_must_share_a_language():
    doc = problem([person("amal", languages=["ar"]), person("yonas", languages=["ti", "sv"])], [person("karin")])
    assert feasible(doc) == {("yonas", "karin")}


def test_rule_2_they_must_share_a_slot():
    doc = problem([person("amal", availability=["tue-morning"])], [person("karin", availability=["mon-evening"])])
    assert feasible(doc) == set()


def test_rule_3_the_distance_must_be_within_the_limit_by_great_circle():
    # Ekerö to Stockholm city is about 17 km; Ekerö to Östersund about 450 km.
    ekero, city, ostersund = (
        {"lat": 59.291, "lon": 17.812},
        {"lat": 59.329, "lon": 18.069},
        {"lat": 63.18, "lon": 14.64},
    )
    doc = problem(
        [person("amal", location=ekero)],
        [person("karin", location=city), person("erik", location=ostersund), person("nils", location=None)],
    )
    assert feasible(doc) == {("amal", "karin"), ("amal", "nils")}
    doc["programme"]["max_distance_km"] = 10
    assert feasible(doc) == {("amal", "nils")}
    doc["programme"]["max_distance_km"] = None
    assert feasible(doc) == {("amal", "karin"), ("amal", "erik"), ("amal", "nils")}


def test_rule_4_gender_preferences_hold_both_ways_and_a_missing_gender_fails_one():
    doc = problem(
        [
            person("amal", gender="female", gender_preference="female"),
            person("omar", gender="male"),
            person("sam", gender=None),
        ],
        [
            person("karin", gender="female"),
            person("erik", gender="male", gender_preference="male"),
            person("eva", gender="female", gender_preference="female"),
        ],
    )
    assert feasible(doc) == {("amal", "karin"), ("amal", "eva"), ("omar", "karin"), ("omar", "erik"), ("sam", "karin")}


def test_rule_5_a_minor_needs_a_background_checked_volunteer():
    doc = problem(
        [person("ali", birth_year=2010), person("hamid", birth_year=2008)],
        [person("karin"), person("erik", background_checked=True)],
    )
    assert feasible(doc) == {("ali", "erik"), ("hamid", "karin"), ("hamid", "erik")}


def test_rule_6_an_exclusion_on_either_side_parts_them():
    doc = problem(
        [person("amal", exclude=["karin"]), person("rana")], [person("karin"), person("erik", exclude=["rana"])]
    )
    assert feasible(doc) == {("amal", "erik"), ("rana", "karin")}


def test_rule_7_a_newcomer_in_a_locked_pair_is_not_matched_again():
    doc = problem(
        [person("amal"), person("rana")],
        [person("karin", capacity=2)],
        locked=[{"newcomer": "amal", "volunteer": "karin"}],
    )
    assert feasible(doc) == {("rana", "karin")}


def test_rule_8_a_volunteer_filled_by_locked_pairs_takes_nobody_new():
    doc = problem([person("amal")], [person("karin", capacity=1)], locked=[{"newcomer": "gone", "volunteer": "karin"}])
    assert feasible(doc) == set()


# --- property: the engine's feasible pairs equal a by-the-letter check -----------------------

LANGS = ["sv", "ar", "ti", "en"]
slot = st.sampled_from(SLOTS[:6])


@st.composite
def people(draw, prefix: str, volunteer: bool):
    out = []
    for k in range(draw(st.integers(0, 6))):
        p = {
            "id": f"{prefix}{k}",
            "languages": draw(st.lists(st.sampled_from(LANGS), min_size=1, max_size=2, unique=True)),
            "availability": draw(st.lists(slot, max_size=3, unique=True)),
            "location": draw(
                st.one_of(
                    st.none(), st.fixed_dictionaries({"lat": st.floats(59.0, 59.6), "lon": st.floats(17.5, 18.5)})
                )
            ),
            "gender": draw(st.sampled_from([None, "female", "male", "other"])),
            "gender_preference": draw(st.sampled_from([None, None, "female", "male"])),
            "birth_year": draw(st.one_of(st.none(), st.integers(1950, 2012))),
            "exclude": draw(
                st.lists(st.sampled_from([f"{'v' if prefix == 'n' else 'n'}{i}" for i in range(6)]), max_size=1)
            ),
        }
        household = draw(
            st.one_of(
                st.none(),
                st.fixed_dictionaries(
                    {"adults": st.sampled_from([None, 1, 2]), "children": st.sampled_from([None, 0, 2])}
                ),
            )
        )
        if household is not None:
            p["household"] = {key: value for key, value in household.items() if value is not None}
        if volunteer:
            p["capacity"] = draw(st.integers(1, 3))
            p["background_checked"] = draw(st.booleans())
            low = draw(st.sampled_from([None, None, 18, 30]))
            p["wishes"] = draw(
                st.one_of(
                    st.none(),
                    st.fixed_dictionaries(
                        {
                            "household": st.sampled_from([None, "family", "single"]),
                            "age_min": st.just(low),
                            "age_max": st.sampled_from([None, 40, 70]),
                        }
                    ),
                )
            )
        out.append(p)
    return out


@st.composite
def problems(draw):
    newcomers = draw(people("n", False))
    volunteers = draw(people("v", True))
    locked = []
    if volunteers:
        for _ in range(draw(st.integers(0, 2))):
            locked.append(
                {
                    "newcomer": draw(st.sampled_from([n["id"] for n in newcomers] + ["gone"])),
                    "volunteer": draw(st.sampled_from([v["id"] for v in volunteers])),
                }
            )
    max_km = draw(st.sampled_from([None, 5, 15, 40]))
    return problem(newcomers, volunteers, locked=locked, programme={"kind": "sprakvan", "max_distance_km": max_km})


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems())
def test_the_feasible_pairs_are_exactly_those_the_rules_allow(doc):
    assert feasible(doc) == feasible_by_the_letter(doc)


@pytest.mark.parametrize("kind", ["sprakvan", "flyktingguide", "vanfamilj"])
def test_every_score_is_in_0_1(kind):
    doc = problem(
        [person(f"n{i}", interests=["a"] if i % 2 else [], birth_year=1990 + i) for i in range(5)],
        [person(f"v{i}", interests=["a", "b"], birth_year=1950 + 10 * i) for i in range(4)],
        programme={"kind": kind, "max_distance_km": 25},
    )
    scores = [p["score"] for p in pairs_document(parse_problem(doc))["pairs"]]
    assert len(scores) == 20 and all(0 < s <= 1 for s in scores)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems())
def test_a_pair_breaks_no_rule_exactly_when_the_engine_finds_it_feasible(doc):
    parsed = parse_problem(doc)
    feasible = {(p["newcomer"], p["volunteer"]) for p in pairs_document(parsed)["pairs"]}
    for n in parsed.newcomers:
        for v in parsed.volunteers:
            assert (broken_rules(parsed, n.id, v.id) == []) == ((n.id, v.id) in feasible)


def test_each_broken_rule_is_named():
    doc = problem(
        [person("n1", languages=["ti"], availability=["sun-morning"], birth_year=2015, gender_preference="female")],
        [
            person(
                "v1",
                languages=["sv"],
                gender="male",
                location={"lat": 63.18, "lon": 14.64},
                exclude=["n1"],
                wishes={"household": "single", "age_min": 20},
            )
        ],
        locked=[{"newcomer": "n0", "volunteer": "v1"}],
    )
    assert broken_rules(parse_problem(doc), "n1", "v1") == [
        "language",
        "time",
        "distance",
        "gender_preference",
        "wishes",
        "background_check",
        "excluded",
        "capacity",
    ]


def test_a_pool_with_more_than_64_languages_keeps_every_rule():
    """Beyond 64 languages a person's languages take two words of bits: the general path."""
    codes = [a + b for a in "abcdefghij" for b in "klmnopq"]  # 70 two-letter codes
    newcomers = [
        person(
            f"n{i}",
            languages=[codes[i % 70], codes[(i * 7) % 70]],
            availability=[SLOTS[i % 5], SLOTS[(i + 2) % 7]],
            gender=["female", "male"][i % 2],
            gender_preference=[None, "female"][i % 3 == 0],
        )
        for i in range(70)  # every code: 71 languages with Swedish
    ]
    volunteers = [
        person(
            f"v{j}",
            languages=[codes[(j * 3) % 70], codes[(j * 11) % 70], "sv"],
            availability=[SLOTS[j % 7], SLOTS[(j + 1) % 5]],
            gender=["male", "female", "other"][j % 3],
        )
        for j in range(35)
    ]
    doc = problem(newcomers, volunteers)
    assert len({c for p in newcomers + volunteers for c in p["languages"]}) > 64
    allowed = feasible_by_the_letter(doc)
    assert allowed and feasible(doc) == allowed


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems(), st.sampled_from(["sprakvan", "flyktingguide", "vanfamilj"]), st.sampled_from([25, None]))
def test_the_compiled_score_is_the_weighted_mean_of_the_parts_rounded_to_millionths(doc, kind, max_km):
    """The kernel that scores blocks and lists of pairs against the formula written out with
    numpy from the named parts (the parts a coordinator sees on a proposal)."""
    import numpy as np

    from matching import rules, scoring
    from matching.encode import encode

    doc["programme"] = {"kind": kind, "max_distance_km": max_km}
    enc = encode(parse_problem(doc))
    pairs = rules.feasible_pairs(enc)
    scores, parts = scoring.score(enc, pairs, with_parts=True)
    weights = scoring.weights_for(kind, {})
    raw = np.zeros(len(pairs))
    for name in scoring.CRITERIA:
        if weights[name]:
            raw += weights[name] * parts[name]
    expected = np.clip(np.rint(raw / sum(weights.values()) * scoring.SCALE), 1, scoring.SCALE)
    assert scores.tolist() == expected.astype(np.int64).tolist()
