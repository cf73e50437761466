"""A newcomer's facts get the same verdict whichever way they come in: Sam's registration form,
the API, or Alice's spreadsheet. One table of good and bad values goes through all three
(coordinator/facts.py owns the rules)."""

from dataclasses import dataclass, field
from datetime import date

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from coordinator import importing

TODAY = date(2026, 12, 1)


@dataclass
class Case:
    """One fact as each way in writes it, and where it is refused (None: accepted)."""

    name: str
    form: dict
    api: dict
    sheet: dict
    refused_at: tuple[str, str, str] | None = None  # form field, API field, spreadsheet column
    message: str | None = None  # the same words in all three, where the fact's own rule speaks
    form_message: str | None = field(default=None)  # where the browser's own field check speaks first


def _interests(n: int) -> list[str]:
    return [f"intresse{i}" for i in range(n)]


CASES = [
    Case(
        "children's ages as given",
        {"children_ages": "4, 9"},
        {"household_children_ages": [4, 9]},
        {"children_ages": "4, 9"},
    ),
    Case(
        "thirteen children",
        {"children_ages": ", ".join(["3"] * 13)},
        {"household_children_ages": [3] * 13},
        {"children_ages": ", ".join(["3"] * 13)},
        ("children_ages", "household_children_ages", "Barnens åldrar"),
        "Ange högst 12 barn.",
    ),
    Case(
        "a child of 26",
        {"children_ages": "26"},
        {"household_children_ages": [26]},
        {"children_ages": "26"},
        ("children_ages", "household_children_ages", "Barnens åldrar"),
        "En ålder ska vara mellan 0 och 25, inte 26.",
    ),
    Case(
        "no adult at home",
        {"household_adults": "0"},
        {"household_adults": 0},
        {"household_adults": "0"},
        ("household_adults", "household_adults", "Vuxna i hushållet"),
        "Antalet vuxna ska vara ett heltal från 1 till 10.",
        form_message="1",
    ),
    Case(
        "twenty interests",
        {"other_interests": ", ".join(_interests(20))},
        {"interests": _interests(20)},
        {"interests": ", ".join(_interests(20))},
    ),
    Case(
        "twenty-one interests",
        {"other_interests": ", ".join(_interests(21))},
        {"interests": _interests(21)},
        {"interests": ", ".join(_interests(21))},
        ("other_interests", "interests", "Intressen"),
        "Ange högst 20 intressen.",
    ),
    Case(
        "an interest of 41 letters",
        {"other_interests": "a" * 41},
        {"interests": ["a" * 41]},
        {"interests": "a" * 41},
        ("other_interests", "interests", "Intressen"),
        "Ett intresse får vara högst 40 tecken.",
    ),
    Case(
        "a postcode that does not exist",
        {"postcode": "000 01"},
        {"postcode": "000 01"},
        {"postcode": "000 01"},
        ("postcode", "postcode", "Postnummer"),
        "Postnumret 000 01 finns inte i vår förteckning. Stämmer det, skriv orten också, så hittar vi platsen.",
    ),
    Case(
        "no place at all",
        {"postcode": ""},
        {"postcode": ""},
        {"postcode": ""},
        ("postcode", "postcode", "Postnummer"),
        "Ange postnummer eller ort.",
    ),
    Case(
        "a locality instead",
        {"postcode": "", "locality": "Hammarstrand"},
        {"postcode": "", "locality": "Hammarstrand"},
        {"postcode": "", "locality": "Hammarstrand"},
    ),
    Case(
        "a locality that does not exist",
        {"postcode": "", "locality": "Atlantis"},
        {"postcode": "", "locality": "Atlantis"},
        {"postcode": "", "locality": "Atlantis"},
        ("locality", "locality", "Ort"),
        "Orten ”Atlantis” hittades inte.",
    ),
    Case(
        "born in 1850",
        {"birth_year": "1850"},
        {"birth_year": 1850},
        {"birth_year": "1850"},
        ("birth_year", "birth_year", "Födelseår"),
        "Födelseåret 1850 är orimligt tidigt.",
    ),
    Case(
        "letters in the phone number",
        {"phone": "070-ABC"},
        {"phone": "070-ABC"},
        {"phone": "070-ABC"},
        ("phone", "phone", "Telefon"),
        "Ett telefonnummer har bara siffror, mellanslag, + och -.",
    ),
    Case(
        "digits in a name",
        {"first_name": "R2D2"},
        {"first_name": "R2D2"},
        {"first_name": "R2D2"},
        ("first_name", "first_name", "Förnamn"),
        "Ett namn får bara ha bokstäver, mellanslag och tecknen - ' . och börja med en bokstav.",
    ),
    Case(
        "no language",
        {"languages": []},
        {"languages": []},
        {"languages": ""},
        ("languages", "languages", "Språk"),
        "Ange minst ett språk.",
    ),
    Case(
        "no time in the week",
        {"availability": []},
        {"availability": []},
        {"availability": ""},
        ("availability", "availability", "Tider"),
        "Välj minst en tid i veckan.",
    ),
]

FORM = {
    "first_name": "Amal",
    "last_name": "Haddad",
    "phone": "",
    "birth_year": "1994",
    "gender": "female",
    "target_group": "nyanland",
    "languages": ["ar", "en"],
    "swedish_level": "basic",
    "interests": [],
    "other_interests": "",
    "availability": ["mon-evening"],
    "postcode": "178 30",
    "locality": "",
    "gender_preference": "",
    "household_adults": "1",
    "children_ages": "",
    "needs": "",
    "interpreter_language": "",
    "consent_given_on": TODAY.isoformat(),
    "consent_method": "written",
    "consent_notice_language": "ar",
}
API = {
    "first_name": "Amal",
    "last_name": "Haddad",
    "birth_year": 1994,
    "target_group": "nyanland",
    "languages": ["ar", "en"],
    "availability": ["mon-evening"],
    "postcode": "178 30",
    "consent_given_on": TODAY.isoformat(),
    "consent_method": "written",
}
SHEET = {
    "first_name": "Amal",
    "last_name": "Haddad",
    "birth_year": "1994",
    "languages": "arabiska, engelska",
    "availability": "mån kväll",
    "postcode": "178 30",
    "target_group": "nyanländ",
    "consent_given_on": TODAY.isoformat(),
    "programmes": "Språkvän Solvik",
}


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to("2026-12-01 10:00:00+01:00", tick=False)


def through_the_form(client, sam, sprakvan, values) -> dict[str, list[str]]:
    client.force_login(sam)
    response = client.post(reverse("newcomer_register"), {**FORM, "programmes": [sprakvan.pk], **values})
    if response.status_code == 302:
        return {}
    assert response.status_code == 400
    return {name: list(messages) for name, messages in response.context["form"].errors.items()}


def through_the_api(sam, sprakvan, values) -> dict[str, list[str]]:
    api = APIClient()
    api.force_authenticate(sam)
    data = {**API, "programmes": [sprakvan.pk], "duplicate_confirmed": True, **values}  # the form registered her
    response = api.post("/api/v1/newcomers/", data, format="json")
    if response.status_code == 201:
        return {}
    assert response.status_code == 400, response.content
    errors: dict[str, list[str]] = {}
    for error in response.json()["errors"]:
        errors.setdefault(error["field"].split(".")[0], []).append(error["message"])
    return errors


def through_the_spreadsheet(solvik, values) -> dict[str, list[str]]:
    [row] = importing.check_rows("newcomers", [{**SHEET, **values}], organisation=solvik, known=[])
    errors: dict[str, list[str]] = {}
    for column, message in row.errors:
        errors.setdefault(column, []).append(message)
    return errors


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_the_form_the_api_and_the_importer_give_the_same_verdict(case, client, sam, solvik, sprakvan):
    verdicts = {
        "form": through_the_form(client, sam, sprakvan, case.form),
        "api": through_the_api(sam, sprakvan, case.api),
        "spreadsheet": through_the_spreadsheet(solvik, case.sheet),
    }
    if case.refused_at is None:
        assert verdicts == {"form": {}, "api": {}, "spreadsheet": {}}
        return
    for (way, errors), where in zip(verdicts.items(), case.refused_at, strict=True):
        assert list(errors) == [where], f"{way}: {errors}"
        expected = case.form_message if way == "form" and case.form_message else case.message
        assert any(expected in message for message in errors[where]), f"{way}: {errors[where]}"


def test_what_a_person_told_us_lists_her_times_in_the_order_of_the_week_and_her_childrens_ages_in_order():
    """Stored as sorted strings, "fredag eftermiddag" came before "måndag kväll"."""
    from coordinator.selectors.people import describe_person

    lines = dict(
        describe_person({"availability": ["fri-afternoon", "mon-evening"], "household_children_ages": [7, 15, 7, 4]})
    )

    assert lines["Tider"] == "måndag kväll, fredag eftermiddag"
    assert lines["Barnens åldrar"] == "4, 7, 7, 15"
