import pytest
from django.core.exceptions import ValidationError

from coordinator import facts
from coordinator.geo import locate


def test_a_postcode_resolves_to_its_locality_offline():
    place = locate.by_postcode("831 30")
    assert place.locality == "Östersund"
    assert 63.0 < place.latitude < 63.3 and 14.4 < place.longitude < 14.8


def test_a_locality_resolves_in_any_letter_case():
    assert locate.by_locality("  hammarstrand ").locality == "Hammarstrand"


def test_locating_normalises_the_postcode_and_gives_coordinates():
    place = facts.locate(postcode="17830")
    assert (place.postcode, place.locality) == ("178 30", "Ekerö")
    assert place.latitude is not None


def test_a_postcode_that_does_not_exist_is_refused_at_the_postcode_field():
    with pytest.raises(ValidationError) as error:
        facts.locate(postcode="000 01")
    assert "postcode" in error.value.message_dict


def test_something_that_is_not_a_postcode_is_refused_with_an_example():
    with pytest.raises(ValidationError) as error:
        facts.locate(postcode="SE-1234")
    assert "fem siffror" in str(error.value)


def test_an_unknown_locality_is_refused_at_the_locality_field():
    with pytest.raises(ValidationError) as error:
        facts.locate(locality="Atlantis")
    assert "locality" in error.value.message_dict


@pytest.mark.parametrize("written", ["Ragunda", "Ragunda kommun", "ragunda Kommun", "Ragundas kommun", "  RAGUNDA  "])
def test_a_municipality_by_its_name_or_a_common_form_is_placed_at_its_seat(written):
    place = facts.locate(locality=written)
    seat = locate.by_locality("Hammarstrand")
    assert place.locality == "Ragunda kommun"
    assert (place.latitude, place.longitude) == (seat.latitude, seat.longitude)


@pytest.mark.parametrize(
    "written, named",
    [
        ("Stockholms stad", "Stockholms kommun"),
        ("Göteborgs stad", "Göteborgs kommun"),
        ("Upplands Bro", "Upplands-Bro kommun"),
        ("Region Gotland", "Region Gotland"),
        ("Malung-Sälens kommun", "Malung-Sälens kommun"),
        ("Falu kommun", "Falu kommun"),
        ("Ekerö", "Ekerö"),  # a locality of that name is the locality
    ],
)
def test_the_official_forms_of_municipal_names_resolve(written, named):
    assert facts.locate(locality=written).locality == named


def test_every_one_of_the_290_municipalities_has_a_seat_with_coordinates():
    municipalities = locate._municipalities()
    assert len({p.locality for p in municipalities.values()}) == 290
    assert all(55 < p.latitude < 69.1 and 10.9 < p.longitude < 24.2 for p in municipalities.values())


def test_a_postcode_far_out_in_a_large_municipality_agrees_with_the_municipality_named():
    # 844 61 Kälarne lies in Bräcke kommun, more than 30 km from Bräcke itself.
    kalarne, bracke = locate.by_postcode("84461"), locate.by_locality("Bräcke")
    assert locate.distance_km(kalarne.latitude, kalarne.longitude, bracke.latitude, bracke.longitude) > 30
    place = facts.locate(postcode="84461", locality="Bräcke kommun")
    assert (place.postcode, place.locality) == ("844 61", "Kälarne")


def test_a_postcode_and_a_municipality_at_the_other_end_of_sweden_contradict_each_other():
    with pytest.raises(ValidationError) as error:
        facts.locate(postcode="17830", locality="Ragunda kommun")
    assert "Ragunda kommun" in error.value.message_dict["locality"][0]


def test_a_real_postcode_missing_from_our_list_is_placed_by_the_locality_given_with_it():
    # 840 70 Hammarstrand (Ragunda) exists; the offline list has no 840 area at all.
    assert locate.by_postcode("84070") is None
    place = facts.locate(postcode="840 70", locality="Hammarstrand")
    assert (place.postcode, place.locality) == ("840 70", "Hammarstrand")


def test_a_postcode_missing_from_our_list_alone_asks_for_the_locality():
    with pytest.raises(ValidationError) as error:
        facts.locate(postcode="840 70")
    assert "skriv orten också" in error.value.message_dict["postcode"][0]


def test_a_postcode_missing_from_our_list_with_a_locality_at_the_other_end_of_sweden_is_refused():
    with pytest.raises(ValidationError) as error:
        facts.locate(postcode="840 70", locality="Malmö")
    assert "postcode" in error.value.message_dict
