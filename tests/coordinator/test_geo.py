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
