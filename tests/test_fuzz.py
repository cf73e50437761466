"""hypothesis against the forms and the importer: whatever people type or upload, the answer is
a message, never a 500 or a traceback."""

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.models import AuditEvent
from coordinator import importing
from coordinator.models import Newcomer
from tests.test_permissions import PAGES, build_world

text = st.text(max_size=40)
FIELDS = [
    "first_name", "last_name", "phone", "birth_year", "gender", "target_group", "languages", "swedish_level",
    "interests", "other_interests", "availability", "postcode", "locality", "gender_preference", "household_adults",
    "children_ages", "needs", "interpreter_needed", "interpreter_language", "consent_given_on", "consent_method",
    "consent_shareable", "programmes",
]  # fmt: skip
SETTINGS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)


@pytest.fixture
def world(db):
    """The permission table's world, built for each test: the other tests here take persona
    fixtures of their own, which a world shared by the module would build a second time."""
    return build_world()


@pytest.fixture
def social_worker_client(client, sam, sprakvan):
    client.force_login(sam)
    return client


@SETTINGS
@given(st.dictionaries(st.sampled_from(FIELDS), st.one_of(text, st.lists(text, max_size=4)), max_size=len(FIELDS)))
def test_the_newcomer_form_answers_any_input_with_a_message(social_worker_client, data):
    response = social_worker_client.post(reverse("newcomer_register"), data)
    assert response.status_code in (302, 400)
    if response.status_code == 400:
        assert response.context["form"].errors


@SETTINGS
@given(
    st.sampled_from(["om-dig", "sprak", "tider", "plats", "onskemal"]),
    st.dictionaries(text, st.one_of(text, st.lists(text, max_size=3)), max_size=8),
)
def test_the_volunteers_edit_pages_answer_any_input(client, vera, step, data):
    client.force_login(vera)
    response = client.post(reverse("my_volunteering_edit", args=[step]), data)
    assert response.status_code in (200, 302)


@SETTINGS
@given(
    st.lists(st.dictionaries(st.sampled_from(list(importing.COLUMNS)), text, max_size=12), max_size=6),
    st.sampled_from(["volunteers", "newcomers"]),
)
def test_the_importer_checks_any_rows_without_failing(solvik, sprakvan, rows, kind):
    results = importing.check_rows(kind, rows, organisation=solvik, known=[])
    assert len(results) == len(rows)
    for result in results:
        assert all(isinstance(column, str) and message for column, message in result.errors)


@SETTINGS
@given(st.binary(max_size=2000), st.sampled_from(["x.csv", "x.xlsx", "x.txt"]))
def test_the_importer_reads_any_file_or_says_why_not(content, name):
    try:
        rows, _unknown = importing.read_rows(name, content)
    except importing.FileError as error:
        assert str(error)
    else:
        assert isinstance(rows, list)


def test_nothing_half_written_after_a_refused_registration(social_worker_client):
    response = social_worker_client.post(
        reverse("newcomer_register"), {"first_name": "Halv", "languages": ["sv"], "postcode": "99999"}
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert (
        errors["postcode"]
        == ["Postnumret 999 99 finns inte i vår förteckning. Stämmer det, skriv orten också, så hittar vi platsen."]
        and "consent_method" in errors
    ), errors
    assert not Newcomer.objects.exists()
    assert not AuditEvent.objects.filter(subject_type="newcomer").exists()


POST_PAGES = sorted(name for name, (method, *_rest) in PAGES.items() if method == "post")


@pytest.mark.parametrize("persona", ["anonymous", "olle", "vera", "sam", "alice", "bob", "ada"])
@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
@given(
    name=st.sampled_from(POST_PAGES),
    data=st.dictionaries(text, st.one_of(text, st.lists(text, max_size=3)), max_size=6),
)
def test_every_action_answers_any_input_from_every_role_without_a_server_error(
    client,
    world,
    persona,
    name,
    data,
):
    if persona != "anonymous":
        client.force_login(world["personas"][persona])
    _method, args, *_rest = PAGES[name]
    response = client.post(reverse(name, args=[world.get(a, a) for a in args]), data)
    assert response.status_code < 500, (name, persona, data)
