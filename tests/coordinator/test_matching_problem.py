"""The pool the engine reads, built from the database by one selector."""

from datetime import date

import pytest

from coordinator import selectors, services
from coordinator.models import PairLock
from matching.engine import pairs_document
from matching.format import parse_problem
from tests import factories

TODAY = date(2026, 11, 22)


def problem_of(programme):
    doc = selectors.matching_problem(programme=programme, reference_date=TODAY)
    parse_problem(doc)  # always valid input for the engine
    return doc


def ids(records):
    return [r["id"] for r in records]


def test_consented_waiting_newcomers_and_approved_volunteers_with_room_are_in_the_pool(solvik, sprakvan, alice):
    amal = factories.newcomer(solvik, [sprakvan])
    factories.newcomer(solvik, [sprakvan], first_name="Utan", consent_given_at=None, consent_method="")
    withdrawn = factories.newcomer(solvik, [sprakvan], first_name="Återkallad")
    withdrawn.consent_withdrawn_at = withdrawn.consent_given_at
    withdrawn.save()
    factories.newcomer(solvik, [], first_name="Annat program")
    karin = factories.volunteer(solvik, [sprakvan])
    factories.volunteer(solvik, [sprakvan], status="applied", first_name="Sökande")
    factories.volunteer(solvik, [sprakvan], status="paused", first_name="Pausad")
    doc = problem_of(sprakvan)
    assert ids(doc["newcomers"]) == [f"n{amal.pk}"]
    assert ids(doc["volunteers"]) == [f"v{karin.pk}"]
    assert doc["programme"] == {"kind": "sprakvan", "max_distance_km": 25, "weights": {}}
    assert doc["newcomers"][0]["location"] == {"lat": 59.291, "lon": 17.812}


def test_open_matches_are_locked_pairs_and_their_newcomers_leave_the_pool(solvik, sprakvan, alice):
    amal, omar = factories.newcomer(solvik, [sprakvan]), factories.newcomer(solvik, [sprakvan], first_name="Omar")
    karin = factories.volunteer(solvik, [sprakvan], capacity=2)
    services.match_create(programme=sprakvan, newcomer=amal, volunteer=karin, by=alice)
    doc = problem_of(sprakvan)
    assert ids(doc["newcomers"]) == [f"n{omar.pk}"]
    assert doc["locked"] == [{"newcomer": f"n{amal.pk}", "volunteer": f"v{karin.pk}"}]
    assert doc["volunteers"][0]["capacity"] == 2  # the locked pair counts against it


def test_a_place_taken_in_another_programme_is_gone_here(solvik, sprakvan, alice):
    guide = factories.programme(solvik, name="Guide", kind="flyktingguide")
    karin = factories.volunteer(solvik, [sprakvan, guide], capacity=2)
    services.match_create(programme=guide, newcomer=factories.newcomer(solvik, [guide]), volunteer=karin, by=alice)
    doc = problem_of(sprakvan)
    assert doc["volunteers"][0]["capacity"] == 1 and doc["locked"] == []


def test_a_full_volunteer_takes_nobody_new(solvik, sprakvan, alice):
    karin = factories.volunteer(solvik, [sprakvan])
    services.match_create(
        programme=sprakvan, newcomer=factories.newcomer(solvik, [sprakvan]), volunteer=karin, by=alice
    )
    factories.newcomer(solvik, [sprakvan], first_name="Omar")
    solution_input = parse_problem(problem_of(sprakvan))
    from matching.engine import solve_problem

    assert solve_problem(solution_input)["matches"] == []


def test_declined_proposals_become_exclusions_and_the_volunteers_wishes_rules(solvik, sprakvan, alice):
    amal = factories.newcomer(solvik, [sprakvan], birth_year=1994)
    family = factories.newcomer(solvik, [sprakvan], first_name="Familj", household_children_ages=[4])
    karin = factories.volunteer(solvik, [sprakvan])
    picky = factories.volunteer(solvik, [sprakvan], first_name="Per", wants_family=True, wants_age_max=60)
    services.proposal_decline(proposal=factories.proposal(sprakvan, amal, karin), by=alice, reason="Krockar i tider")
    doc = problem_of(sprakvan)
    by_id = {r["id"]: r for r in doc["newcomers"] + doc["volunteers"]}
    assert by_id[f"n{amal.pk}"]["exclude"] == [f"v{karin.pk}"]
    assert by_id[f"n{family.pk}"]["exclude"] == []
    # Per's wish is one rule the engine checks, not a list of everyone he would not meet.
    assert by_id[f"v{picky.pk}"]["exclude"] == []
    assert by_id[f"v{picky.pk}"]["wishes"] == {"household": "family", "age_min": None, "age_max": 60}
    assert "wishes" not in by_id[f"v{karin.pk}"]
    pairs = {(p["newcomer"], p["volunteer"]) for p in pairs_document(parse_problem(doc))["pairs"]}
    assert (f"n{family.pk}", f"v{picky.pk}") in pairs
    assert (f"n{amal.pk}", f"v{picky.pk}") not in pairs  # Amal lives alone: Per asked for a family


def test_a_coordinators_lock_is_a_locked_pair(solvik, sprakvan, alice):
    amal, karin = factories.newcomer(solvik, [sprakvan]), factories.volunteer(solvik, [sprakvan])
    PairLock.objects.create(programme=sprakvan, newcomer=amal, volunteer=karin, created_by=alice)
    doc = problem_of(sprakvan)
    assert doc["locked"] == [{"newcomer": f"n{amal.pk}", "volunteer": f"v{karin.pk}"}]


def test_a_minors_volunteer_counts_as_checked_only_while_the_extract_is_valid(solvik, sprakvan):
    factories.volunteer(
        solvik, [sprakvan], background_check_date=date(2025, 1, 1), background_check_expires=date(2026, 1, 1)
    )
    factories.volunteer(
        solvik, [sprakvan], background_check_date=date(2026, 6, 1), background_check_expires=date(2027, 6, 1)
    )
    factories.volunteer(solvik, [sprakvan], background_check_date=date(2026, 6, 1))  # no end: never valid
    factories.volunteer(  # seen in the year 420
        solvik, [sprakvan], background_check_date=date(420, 6, 1), background_check_expires=date(2027, 6, 1)
    )
    assert [v["background_checked"] for v in problem_of(sprakvan)["volunteers"]] == [False, True, False, False]


@pytest.mark.parametrize("people", [10, 1000])
def test_building_the_pool_costs_five_queries_for_ten_or_a_thousand(
    solvik, sprakvan, alice, django_assert_num_queries, people
):
    from coordinator.models import Newcomer, Volunteer

    newcomers = Newcomer.objects.bulk_create(
        [factories.newcomer_unsaved(solvik, first_name=f"N{i}") for i in range(people // 2)]
    )
    volunteers = Volunteer.objects.bulk_create(
        [factories.volunteer_unsaved(solvik, first_name=f"V{i}") for i in range(people // 2)]
    )
    sprakvan.newcomers.add(*newcomers)
    sprakvan.volunteers.add(*volunteers)
    # open matches, locks, declined pairs, newcomers, volunteers (with their open matches here counted)
    with django_assert_num_queries(5):
        doc = selectors.matching_problem(programme=sprakvan, reference_date=TODAY)
    assert len(doc["newcomers"]) == len(doc["volunteers"]) == people // 2
