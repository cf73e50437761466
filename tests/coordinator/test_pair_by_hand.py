"""A coordinator pairs two people by hand, or locks a pair before a run; the rules still hold."""

import pytest
from django.urls import reverse

from coordinator.models import Match, PairLock
from tests import factories


@pytest.fixture
def amal(solvik, sprakvan):
    return factories.newcomer(solvik, [sprakvan])


@pytest.fixture
def karin(solvik, sprakvan):
    return factories.volunteer(solvik, [sprakvan])


def test_the_coordinator_matches_a_pair_by_hand(client, alice, sprakvan, amal, karin):
    client.force_login(alice)
    response = client.post(reverse("pair_by_hand", args=[sprakvan.pk]), {"newcomer": amal.pk, "volunteer": karin.pk})
    match = Match.objects.get()
    assert response["Location"] == reverse("match_detail", args=[match.pk])
    assert (match.newcomer, match.volunteer, match.created_by) == (amal, karin, alice)


def test_every_broken_rule_is_named_and_nothing_is_saved(client, alice, solvik, sprakvan, karin):
    minor = factories.newcomer(
        solvik, [sprakvan], languages=["ti"], availability=["sun-morning"], birth_year=2012, gender_preference="male"
    )
    client.force_login(alice)
    response = client.post(reverse("pair_by_hand", args=[sprakvan.pk]), {"newcomer": minor.pk, "volunteer": karin.pk})
    assert response.status_code == 400
    errors = " ".join(response.context["form"].non_field_errors())
    for words in ("inget språk", "ingen tid", "annat kön", "under 18"):
        assert words in errors
    assert not Match.objects.exists()


def test_a_volunteer_far_away_is_refused_by_distance(client, alice, solvik, sprakvan, amal):
    far = factories.volunteer(
        solvik, [sprakvan], postcode="831 30", locality="Östersund", latitude=63.18, longitude=14.64
    )
    client.force_login(alice)
    response = client.post(reverse("pair_by_hand", args=[sprakvan.pk]), {"newcomer": amal.pk, "volunteer": far.pk})
    assert "längre ifrån varandra" in " ".join(response.context["form"].non_field_errors())


def test_a_locked_pair_holds_the_place_and_becomes_a_match_when_approved(client, alice, sprakvan, amal, karin):
    client.force_login(alice)
    client.post(reverse("pair_by_hand", args=[sprakvan.pk]), {"newcomer": amal.pk, "volunteer": karin.pk, "lock": "1"})
    lock = PairLock.objects.get()
    assert (lock.newcomer, lock.volunteer, lock.created_by) == (amal, karin, alice)
    assert "Amal Haddad" in client.get(reverse("proposal_queue", args=[sprakvan.pk])).content.decode()
    client.post(reverse("lock_decide", args=[sprakvan.pk, lock.pk]), {"approve": "1"})
    assert Match.objects.filter(newcomer=amal, volunteer=karin).exists() and not PairLock.objects.exists()


def test_a_lock_can_be_released(client, alice, sprakvan, amal, karin):
    lock = PairLock.objects.create(programme=sprakvan, newcomer=amal, volunteer=karin, created_by=alice)
    client.force_login(alice)
    client.post(reverse("lock_decide", args=[sprakvan.pk, lock.pk]))
    assert not PairLock.objects.exists() and not Match.objects.exists()


def test_someone_outside_the_pool_cannot_be_chosen(client, alice, solvik, sprakvan, karin, norrby):
    stranger = factories.newcomer(norrby, [factories.programme(norrby)])
    client.force_login(alice)
    response = client.post(
        reverse("pair_by_hand", args=[sprakvan.pk]), {"newcomer": stranger.pk, "volunteer": karin.pk}
    )
    assert response.status_code == 400 and "newcomer" in response.context["form"].errors
    assert not Match.objects.exists()


def test_three_namesakes_are_told_apart_by_birth_year_and_place(client, alice, solvik, sprakvan, karin):
    for year, postcode, locality in [
        (1990, "178 32", "Ekerö"),
        (1985, "178 92", "Adelsö"),
        (1990, "831 30", "Östersund"),
    ]:
        factories.newcomer(
            solvik,
            [sprakvan],
            first_name="Rana",
            last_name="Saleh",
            birth_year=year,
            postcode=postcode,
            locality=locality,
        )
    client.force_login(alice)

    page = client.get(reverse("pair_by_hand", args=[sprakvan.pk]), {"nyanland": "rana saleh 1990 178"})

    shown = [label for _pk, label in page.context["form"].fields["newcomer"].widget.choices]
    assert shown == ["Rana Saleh, född 1990, 178 32 Ekerö"]


def test_the_page_lists_only_whom_she_looked_up_however_large_the_pool(
    client, alice, solvik, sprakvan, django_assert_max_num_queries
):
    from coordinator.models import Newcomer, Volunteer

    Newcomer.objects.bulk_create([factories.newcomer_unsaved(solvik) for _ in range(300)])
    for n in Newcomer.objects.all():
        n.programmes.add(sprakvan)
    Volunteer.objects.bulk_create([factories.volunteer_unsaved(solvik, first_name="Maja") for _ in range(300)])
    for v in Volunteer.objects.all():
        v.programmes.add(sprakvan)
    client.force_login(alice)

    empty = client.get(reverse("pair_by_hand", args=[sprakvan.pk]))
    with django_assert_max_num_queries(16):
        found = client.get(reverse("pair_by_hand", args=[sprakvan.pk]), {"nyanland": "Amal", "volontar": "Maja"})

    assert empty.context["form"].fields["newcomer"].widget.choices == []
    assert len(found.context["form"].fields["volunteer"].widget.choices) == 20
    assert "Fler passar sökningen" in found.content.decode()


def test_a_volunteer_who_wished_for_one_person_is_said_to_have_wished_so_not_to_have_declined(
    client, alice, solvik, sprakvan
):
    family = factories.newcomer(solvik, [sprakvan], household_adults=2, household_children_ages=[4, 9])
    maja = factories.volunteer(solvik, [sprakvan], first_name="Maja", wants_family=False, wants_age_max=30)
    client.force_login(alice)

    response = client.post(reverse("pair_by_hand", args=[sprakvan.pk]), {"newcomer": family.pk, "volunteer": maja.pk})

    errors = list(response.context["form"].non_field_errors())
    assert "Volontären vill träffa en person, inte en familj." in errors
    assert any("upp till 30 år" in e for e in errors)
    assert not any("avböjts" in e for e in errors)


def test_someone_of_another_organisation_cannot_be_chosen_by_id(client, alice, sprakvan, karin, norrby):
    theirs = factories.newcomer(norrby, [], first_name="Nour", last_name="Lindqvist")
    client.force_login(alice)

    response = client.post(reverse("pair_by_hand", args=[sprakvan.pk]), {"newcomer": theirs.pk, "volunteer": karin.pk})

    assert response.status_code == 400
    assert "Välj en nyanländ i listan." in " ".join(response.context["form"].errors["newcomer"])
    assert "Lindqvist" not in response.content.decode()  # nothing of her, not even in the message
    assert not Match.objects.exists()


def test_digits_that_are_not_numbers_are_searched_for_not_failed_on(client, alice, sprakvan):
    client.force_login(alice)

    response = client.get(reverse("pair_by_hand", args=[sprakvan.pk]), {"nyanland": "²³⁴⁵", "volontar": "¹²"})
    queue = client.get(reverse("proposal_queue", args=[sprakvan.pk]), {"jamfor": "²", "area": "¹²³"})

    assert response.status_code == 200 and queue.status_code == 200
