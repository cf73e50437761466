"""A person's facts, defined once: what the engine matches on and what a coordinator needs to
know, for volunteers and newcomers alike: their limits, how each is cleaned, and where a
person lives.

Each way facts come in parses its own input — the web form's checkboxes and comma lists, the
API's JSON, a spreadsheet's words — and hands the values here, so that the same value gets the
same verdict and the same message whichever way it came (`tests/coordinator/test_facts.py`
feeds one table of good and bad values to all three). Every check raises Django's
ValidationError; `locate` keys its errors by field (postcode or locality).
"""

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from accounts.validators import validate_person_name, validate_phone
from coordinator import vocabulary
from coordinator.geo import locate as geo
from coordinator.validators import normalise_postcode, validate_birth_year

NAME_LENGTH = 100
PHONE_LENGTH = 30
POSTCODE_LENGTH = 8
LOCALITY_LENGTH = 100
MAX_LANGUAGES = 20
MAX_INTERESTS = 20
INTEREST_LENGTH = 40
ADULTS = (1, 10)
MAX_CHILDREN = 12
CHILD_AGE = (0, 25)
CAPACITY = (1, 10)
UNACCOMPANIED_TARGET_GROUP = "ensamkommande"
UNACCOMPANIED_MAX_AGE = 20  # a child when she came; support may go on until 21 (eftervård)
CONSENT_VALID_DAYS = 365
# A postcode and a locality given together must lie this close, or one of them is a mistake
# (a postcode area spans a town and its villages).
PLACE_AGREEMENT_KM = 30
# A municipality named as the locality is placed at its seat; a postcode anywhere in it agrees
# (Sweden's large northern municipalities reach about this far from their seats).
MUNICIPALITY_AGREEMENT_KM = 100
FLUENT_SWEDISH = ("native", "fluent")


@dataclass(frozen=True)
class Place:
    """Where a person lives, as found from what they gave."""

    postcode: str
    locality: str
    latitude: float | None
    longitude: float | None

    def as_dict(self) -> dict:
        return asdict(self)


def locate(*, postcode: str = "", locality: str = "") -> Place:
    """A postcode wins over a locality; the error names the field that could not be found."""
    postcode, locality = (postcode or "").strip(), (locality or "").strip()
    if postcode:
        try:
            normalised = normalise_postcode(postcode)
        except ValidationError as error:
            raise ValidationError({"postcode": error.messages}) from None
        found = geo.by_postcode(normalised)
        named = geo.by_locality(locality) if locality else None
        if found is None:
            # Our offline list lacks some real postcodes (all of 840, Ragunda's): with a locality
            # she can still be placed, by the locality, her postcode kept as she gave it.
            apart = geo.area_distance_km(normalised, named.latitude, named.longitude) if named else None
            if named is not None and apart is not None and apart <= MUNICIPALITY_AGREEMENT_KM:
                return Place(normalised, named.locality, named.latitude, named.longitude)
            raise ValidationError(
                {
                    "postcode": _(
                        "Postnumret %(code)s finns inte i vår förteckning. Stämmer det, skriv orten också, så "
                        "hittar vi platsen."
                    )
                    % {"code": normalised}
                }
            )
        if named is not None:
            apart = geo.distance_km(found.latitude, found.longitude, named.latitude, named.longitude)
            # A municipality is placed at its seat: a postcode anywhere in a large one agrees.
            allowed = MUNICIPALITY_AGREEMENT_KM if named.precision == "municipality" else PLACE_AGREEMENT_KM
            if apart > allowed:
                raise ValidationError(
                    {
                        "locality": _(
                            "Postnumret %(code)s hör till %(town)s, %(km)s km från %(name)s. Rätta det ena, "
                            "eller lämna orten tom."
                        )
                        % {"code": normalised, "town": found.locality, "km": round(apart), "name": named.locality}
                    }
                )
        return Place(normalised, found.locality, found.latitude, found.longitude)
    if locality:
        found = geo.by_locality(locality)
        if found is None:
            raise ValidationError({"locality": _("Orten ”%(name)s” hittades inte.") % {"name": locality}})
        return Place("", found.locality, found.latitude, found.longitude)
    raise ValidationError({"postcode": _("Ange postnummer eller ort.")})


def clean_name(value: str, *, required: bool) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ValidationError(_("Förnamn saknas."), code="required")
    if len(value) > NAME_LENGTH:
        raise ValidationError(_("Ett namn får vara högst %(n)s tecken.") % {"n": NAME_LENGTH}, code="too_long")
    validate_person_name(value)
    return value


def clean_phone(value: str) -> str:
    phone = (value or "").strip()
    if len(phone) > PHONE_LENGTH:
        raise ValidationError(_("Ett telefonnummer får vara högst %(n)s tecken.") % {"n": PHONE_LENGTH})
    validate_phone(phone)
    return phone


def clean_birth_year(value: int | None) -> int | None:
    if value is not None:
        validate_birth_year(value)
    return value


def clean_languages(codes: Iterable[str]) -> list[str]:
    """Known language codes, each once, at least one."""
    codes = list(dict.fromkeys(codes))
    unknown = [code for code in codes if code not in vocabulary.LANGUAGES]
    if unknown:
        raise ValidationError(_("Okänt språk: %(words)s.") % {"words": ", ".join(unknown)}, code="unknown")
    if not codes:
        raise ValidationError(_("Ange minst ett språk."), code="required")
    if len(codes) > MAX_LANGUAGES:
        raise ValidationError(_("Ange högst %(n)s språk.") % {"n": MAX_LANGUAGES}, code="too_many")
    return codes


def interest_tag(word: str) -> str:
    return word.strip().lower()


def clean_interests(tags: Iterable[str]) -> list[str]:
    """Interests as tags in lower case, each once; never more than MAX_INTERESTS, never cut."""
    tags = list(dict.fromkeys(interest_tag(tag) for tag in tags if tag.strip()))
    if any(len(tag) > INTEREST_LENGTH for tag in tags):
        raise ValidationError(_("Ett intresse får vara högst %(n)s tecken.") % {"n": INTEREST_LENGTH}, code="too_long")
    if len(tags) > MAX_INTERESTS:
        raise ValidationError(_("Ange högst %(n)s intressen.") % {"n": MAX_INTERESTS}, code="too_many")
    return tags


def clean_availability(slots: Iterable[str]) -> list[str]:
    """Weekly slots in the week's order, at least one."""
    chosen = set(slots)
    unknown = sorted(chosen - set(vocabulary.SLOTS))
    if unknown:
        raise ValidationError(_("Okänd tid: %(words)s (till exempel ”mån kväll”).") % {"words": ", ".join(unknown)})
    if not chosen:
        raise ValidationError(_("Välj minst en tid i veckan."), code="required")
    return [slot for slot in vocabulary.SLOTS if slot in chosen]


def _whole_number_in(value: object, bounds: tuple[int, int], message: str) -> int:
    low, high = bounds
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ValidationError(message % {"low": low, "high": high}, code="out_of_range")
    return value


def clean_household_adults(value: object) -> int:
    return _whole_number_in(value, ADULTS, _("Antalet vuxna ska vara ett heltal från %(low)s till %(high)s."))


def clean_capacity(value: object) -> int:
    return _whole_number_in(value, CAPACITY, _("Antalet ska vara ett heltal från %(low)s till %(high)s."))


def parse_children_ages(text: str) -> list[int]:
    """'4, 9' → [4, 9]: the ages as a person types them, then `clean_children_ages`."""
    ages = []
    for item in (word.strip() for word in (text or "").replace(";", ",").split(",")):
        if not item:
            continue
        if not item.isdecimal():
            raise ValidationError(
                _("”%(value)s” är ingen ålder: skriv hela år, till exempel 4, 9.") % {"value": item}, code="invalid"
            )
        ages.append(int(item))
    return clean_children_ages(ages)


def clean_children_ages(ages: Iterable[object]) -> list[int]:
    """The ages of the children at home, as given."""
    low, high = CHILD_AGE
    checked: list[int] = []
    for age in ages:
        if isinstance(age, bool) or not isinstance(age, int) or not low <= age <= high:
            raise ValidationError(
                _("En ålder ska vara mellan %(low)s och %(high)s, inte %(age)s.")
                % {"low": low, "high": high, "age": age}
            )
        checked.append(age)
    if len(checked) > MAX_CHILDREN:
        raise ValidationError(_("Ange högst %(n)s barn.") % {"n": MAX_CHILDREN}, code="too_many")
    return checked


def check_target_group(target_group: str, birth_year: int | None, *, today: date) -> None:
    """An unaccompanied minor (ensamkommande barn) is a child, or a young person followed on after
    turning 18: a birth year that makes her older is a mistake in one of the two."""
    if target_group == UNACCOMPANIED_TARGET_GROUP and birth_year is not None:
        age = today.year - birth_year
        if age > UNACCOMPANIED_MAX_AGE:
            raise ValidationError(
                {
                    "birth_year": _(
                        "Född %(year)s är %(age)s år i år: ett ensamkommande barn är högst %(max)s. Rätta "
                        "födelseåret eller välj en annan målgrupp."
                    )
                    % {"year": birth_year, "age": age, "max": UNACCOMPANIED_MAX_AGE}
                }
            )


def clean_consent_date(given: date, *, today: date) -> date:
    """A consent is recorded when it is given: never in the future, and not older than a year (a
    consent given long ago is asked for again, with the privacy notice as it reads now)."""
    if given > today:
        raise ValidationError(_("Datumet ligger i framtiden."), code="future")
    if given < today - timedelta(days=CONSENT_VALID_DAYS):
        raise ValidationError(
            _("Samtycket lämnades %(day)s, för mer än ett år sedan: be om samtycke igen och ange det nya datumet.")
            % {"day": given.isoformat()},
            code="too_old",
        )
    return given


def check_swedish(languages: Iterable[str], swedish_level: str) -> None:
    """Someone whose Swedish is fluent or native speaks Swedish: it belongs among her languages
    (the engine matches on them)."""
    if swedish_level in FLUENT_SWEDISH and "sv" not in set(languages):
        raise ValidationError(
            {"languages": _("Svenskan är flytande eller modersmål: kryssa i svenska bland språken också.")}
        )


VOLUNTEER_MIN_AGE = 18


def check_adult_volunteer(birth_year: int | None, *, today: date) -> None:
    """A volunteer is an adult: at least 18 this year."""
    if birth_year is not None and today.year - birth_year < VOLUNTEER_MIN_AGE:
        raise ValidationError(
            {"birth_year": _("En volontär är minst %(age)s år.") % {"age": VOLUNTEER_MIN_AGE}}, code="too_young"
        )
