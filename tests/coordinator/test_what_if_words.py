"""The engine's answers for those left waiting, in the coordinator's words."""

from coordinator.explain import what_if_in_words


def test_recruiting_dari_speakers_counts_the_dari_speakers_it_helps_and_joins_places_and_times_as_a_person_would():
    entry = {
        "change": {
            "kind": "more_volunteers",
            "language": "prs",
            "volunteers": [
                {"id": "what-if-1", "languages": ["prs", "sv"], "availability": ["mon-evening"], "capacity": 2,
                 "location": {"lat": 59.3897, "lon": 17.6686}},
                {"id": "what-if-2", "languages": ["prs", "sv"], "availability": ["sat-morning"], "capacity": 2,
                 "location": {"lat": 59.2910, "lon": 17.8120}},
            ],
        },
        "matched_more": 4,
        "by_language": {"fa": 4, "prs": 3},
    }  # fmt: skip
    [said] = what_if_in_words([entry], {})
    assert said["text"].startswith("Rekrytera 2 volontärer till som talar dari, nära ")
    assert " och " in said["text"] and "lediga måndag kväll eller lördag förmiddag" in said["text"]
    assert said["text"].endswith(": 4 nyanlända till får en matchning, 3 av dem talar dari.")


def test_the_change_that_helps_most_comes_first():
    entries = [
        {"change": {"kind": "max_distance_km", "from": 25.0, "to": 30.0}, "matched_more": 2, "by_language": {}},
        {"change": {"kind": "gender_preference_waived", "newcomers": ["n1", "n2"]}, "matched_more": 5,
         "by_language": {"ar": 5}},
    ]  # fmt: skip
    assert [w["kind"] for w in what_if_in_words(entries, {})] == ["gender_preference_waived", "max_distance_km"]
