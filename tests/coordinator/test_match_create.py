from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from coordinator import services
from coordinator.models import Match, Newcomer, Volunteer
from tests import factories


@pytest.fixture
def karin(solvik, sprakvan):
    return factories.volunteer(solvik, [sprakvan], first_name="Karin", capacity=1)


@pytest.fixture
def amal(solvik, sprakvan):
    return factories.newcomer(solvik, [sprakvan], first_name="Amal")


def test_it_pairs_a_newcomer_with_a_volunteer_and_plans_the_follow_ups(sprakvan, karin, amal, alice):
    match = services.match_create(
        programme=sprakvan, newcomer=amal, volunteer=karin, by=alice, started_on=date(2026, 1, 31)
    )
    assert (match.trial_ends_on, match.planned_end_on) == (date(2026, 2, 28), date(2026, 7, 31))
    labels = list(match.follow_ups.values_list("due_on", flat=True))
    assert labels == [
        date(2026, 2, 14),
        date(2026, 2, 28),  # four weeks and the trial's end: one contact
        date(2026, 3, 30),
        date(2026, 4, 29),
        date(2026, 5, 29),
        date(2026, 6, 28),
        date(2026, 7, 31),
    ]
    karin.refresh_from_db()
    amal.refresh_from_db()
    assert karin.open_matches == 1
    assert amal.status == Newcomer.Status.MATCHED


def test_it_refuses_a_volunteer_whose_places_are_all_taken(solvik, sprakvan, karin, amal, alice):
    services.match_create(programme=sprakvan, newcomer=amal, volunteer=karin, by=alice)
    rana = factories.newcomer(solvik, [sprakvan], first_name="Rana")
    with pytest.raises(ValidationError) as error:
        services.match_create(programme=sprakvan, newcomer=rana, volunteer=karin, by=alice)
    assert "1 av 1 platser" in error.value.message_dict["volunteer"][0]
    assert Match.objects.filter(newcomer=rana).count() == 0


def test_it_refuses_a_second_open_match_for_a_newcomer_in_the_same_programme(solvik, sprakvan, karin, amal, alice):
    services.match_create(programme=sprakvan, newcomer=amal, volunteer=karin, by=alice)
    erik = factories.volunteer(solvik, [sprakvan], first_name="Erik")
    with pytest.raises(ValidationError) as error:
        services.match_create(programme=sprakvan, newcomer=amal, volunteer=erik, by=alice)
    assert "newcomer" in error.value.message_dict


def test_the_database_itself_refuses_a_second_open_match_for_a_newcomer(solvik, sprakvan, karin, amal, alice):
    match = services.match_create(programme=sprakvan, newcomer=amal, volunteer=karin, by=alice)
    erik = factories.volunteer(solvik, [sprakvan], first_name="Erik")
    with pytest.raises(IntegrityError), transaction.atomic():
        Match.objects.create(
            programme=sprakvan,
            newcomer=amal,
            volunteer=erik,
            started_on=match.started_on,
            trial_ends_on=match.trial_ends_on,
            planned_end_on=match.planned_end_on,
        )


def test_the_database_itself_refuses_more_open_matches_than_capacity(karin):
    with pytest.raises(IntegrityError), transaction.atomic():
        Volunteer.objects.filter(pk=karin.pk).update(open_matches=2)


def test_it_refuses_a_newcomer_who_withdrew_consent(sprakvan, karin, amal, alice):
    amal.consent_withdrawn_at = amal.consent_given_at
    amal.save()
    with pytest.raises(ValidationError) as error:
        services.match_create(programme=sprakvan, newcomer=amal, volunteer=karin, by=alice)
    assert "samtycke" in error.value.message_dict["newcomer"][0]


def test_it_refuses_a_volunteer_who_is_not_approved(sprakvan, karin, amal, alice):
    karin.status = Volunteer.Status.PAUSED
    karin.save()
    with pytest.raises(ValidationError):
        services.match_create(programme=sprakvan, newcomer=amal, volunteer=karin, by=alice)


def test_ending_a_match_frees_the_place_and_returns_the_newcomer_to_the_pool(sprakvan, karin, amal, alice):
    match = services.match_create(programme=sprakvan, newcomer=amal, volunteer=karin, by=alice)
    services.match_end(match=match, by=alice, reason=Match.EndReason.MOVED)
    karin.refresh_from_db()
    amal.refresh_from_db()
    assert karin.open_matches == 0
    assert amal.status == Newcomer.Status.WAITING
    match.refresh_from_db()
    assert (match.state, match.end_reason, match.ended_by) == (Match.State.ENDED, "moved", alice)
