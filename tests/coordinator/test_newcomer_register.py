"""A social worker registers a newcomer with their consent, follows them, and records a withdrawal."""

from datetime import timedelta

import pytest
from django.urls import reverse

from coordinator import services
from coordinator.models import Match, Newcomer, Proposal
from tests import factories
from tests.conftest import TODAY

AMAL = {
    "first_name": "Amal",
    "last_name": "Haddad",
    "phone": "",
    "birth_year": "1994",
    "gender": "female",
    "target_group": "nyanland",
    "languages": ["ar", "en"],
    "swedish_level": "basic",
    "interests": ["matlagning", "promenader"],
    "other_interests": "",
    "availability": ["mon-evening", "wed-evening"],
    "postcode": "178 30",
    "locality": "",
    "gender_preference": "female",
    "household_adults": "1",
    "children_ages": "3",
    "needs": "Vill öva svenska inför jobbintervjuer.",
    "interpreter_language": "",
    "consent_given_on": "",
    "consent_method": "oral_interpreter",
    "consent_notice_language": "ar",
    "consent_shareable": ["first_name", "languages"],
}


def register(client, sprakvan, **changes):
    data = {**AMAL, "programmes": [sprakvan.pk], "consent_given_on": TODAY.isoformat(), **changes}
    return client.post(reverse("newcomer_register"), data)


def test_the_social_worker_registers_a_newcomer_who_then_waits_for_a_match(client, sam, sprakvan):
    client.force_login(sam)
    response = register(client, sprakvan)
    n = Newcomer.objects.get()
    assert response["Location"] == reverse("newcomer_detail", args=[n.pk])
    assert (n.first_name, n.status, n.registered_by, n.organisation) == ("Amal", "waiting", sam, sprakvan.organisation)
    assert n.has_consent and n.consent_method == "oral_interpreter" and n.consent_recorded_by == sam
    assert n.consent_shareable == ["first_name", "languages"]
    assert (n.postcode, n.locality, n.household_children_ages) == ("178 30", "Ekerö", [3])
    assert list(n.programmes.all()) == [sprakvan]


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"postcode": "ABCDE"}, "postcode", "inget svenskt postnummer"),
        ({"languages": []}, "languages", "Ange minst ett språk."),
        ({"availability": ["mon-evening", "someday"]}, "availability", "someday"),
        ({"birth_year": str(TODAY.year + 1)}, "birth_year", "ligger i framtiden"),
        ({"consent_method": ""}, "consent_method", "obligatoriskt"),
        ({"consent_given_on": (TODAY + timedelta(days=2)).isoformat()}, "consent_given_on", "framtiden"),
        ({"interpreter_needed": "on", "interpreter_language": ""}, "interpreter_language", "tolken"),
        ({"programmes": []}, "programmes", "Välj minst ett program."),
    ],
)
def test_bad_input_gets_a_message_at_its_field_and_nothing_is_saved(client, sam, sprakvan, changes, field, message):
    client.force_login(sam)
    response = register(client, sprakvan, **changes)
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert message in " ".join(errors.get(field, [])), errors
    assert not Newcomer.objects.exists()


def test_a_programme_of_another_organisation_is_refused(client, sam, sprakvan, norrby):
    client.force_login(sam)
    response = register(client, sprakvan, programmes=[factories.programme(norrby).pk])
    assert response.status_code == 400 and "programmes" in response.context["form"].errors
    assert not Newcomer.objects.exists()


@pytest.mark.parametrize("persona", ["alice", "bob", "vera", "olle"])
def test_only_social_workers_register_newcomers(client, persona, sprakvan, request):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("newcomer_register")).status_code == 403
    assert register(client, sprakvan).status_code == 403
    assert not Newcomer.objects.exists()


@pytest.fixture
def amal(solvik, sprakvan, sam):
    return factories.newcomer(solvik, [sprakvan], registered_by=sam, consent_shareable=["first_name"])


def test_the_social_worker_follows_her_newcomer(client, sam, amal):
    client.force_login(sam)
    html = client.get(reverse("newcomer_detail", args=[amal.pk])).content.decode()
    assert "Amal Haddad" in html and "Väntar" in html and "Förnamn" in html


@pytest.mark.parametrize("persona", ["alice", "bob", "vera", "olle"])
def test_no_one_else_sees_or_changes_the_newcomer_here(client, persona, amal, request):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("newcomer_detail", args=[amal.pk])).status_code == 404
    assert client.post(reverse("newcomer_edit", args=[amal.pk]), {**AMAL, "first_name": "X"}).status_code == 404
    assert client.post(reverse("newcomer_withdraw_consent", args=[amal.pk]), {"confirm": "on"}).status_code == 404
    amal.refresh_from_db()
    assert amal.first_name == "Amal" and amal.has_consent


def test_a_colleague_in_the_same_unit_follows_her_newcomers_where_the_organisation_allows(client, solvik, sam, amal):
    solvik.social_workers_share_unit = True
    solvik.save()
    sam.memberships.update(unit="Etablering")
    colleague = factories.user("siri@solvik.se")
    factories.member(colleague, solvik, "social_worker", unit="Etablering")
    stranger = factories.user("stig@solvik.se")
    factories.member(stranger, solvik, "social_worker", unit="Barn och unga")
    client.force_login(colleague)
    assert client.get(reverse("newcomer_detail", args=[amal.pk])).status_code == 200
    client.force_login(stranger)
    assert client.get(reverse("newcomer_detail", args=[amal.pk])).status_code == 404


def test_the_social_worker_changes_the_newcomers_facts(client, sam, amal, sprakvan):
    client.force_login(sam)
    data = {**AMAL, "programmes": [sprakvan.pk], "availability": ["sun-afternoon"]}
    response = client.post(reverse("newcomer_edit", args=[amal.pk]), data)
    assert response.status_code == 302
    amal.refresh_from_db()
    assert amal.availability == ["sun-afternoon"] and amal.consent_method == "written"  # consent kept as given


def test_withdrawing_consent_takes_the_newcomer_out_of_matching_at_once(client, sam, amal, solvik, sprakvan, alice):
    volunteer = factories.volunteer(solvik, [sprakvan])
    match = services.match_create(programme=sprakvan, newcomer=amal, volunteer=volunteer, by=alice)
    pending = factories.proposal(sprakvan, amal, factories.volunteer(solvik, [sprakvan], first_name="Maja"))
    client.force_login(sam)
    response = client.post(reverse("newcomer_withdraw_consent", args=[amal.pk]), {"confirm": "on"})
    assert response.status_code == 302
    amal.refresh_from_db()
    assert not amal.has_consent and amal.status == "inactive"
    match.refresh_from_db()
    assert match.state == Match.State.ENDED and match.end_reason == "other"
    volunteer.refresh_from_db()
    assert volunteer.open_matches == 0
    pending.refresh_from_db()
    assert pending.state == Proposal.State.DECLINED and pending.decided_by == sam


def test_withdrawing_consent_needs_the_box_ticked(client, sam, amal):
    client.force_login(sam)
    response = client.post(reverse("newcomer_withdraw_consent", args=[amal.pk]), {})
    assert response.status_code == 400
    amal.refresh_from_db()
    assert amal.has_consent


def test_the_edit_form_opens_filled_in_with_what_is_stored(client, sam, amal, sprakvan):
    amal.interests, amal.household_children_ages, amal.postcode = ["matlagning", "kör"], [3, 9], "178 30"
    amal.save()
    client.force_login(sam)
    initial = client.get(reverse("newcomer_edit", args=[amal.pk])).context["form"].initial
    assert initial["interests"] == ["matlagning"] and initial["other_interests"] == "kör"
    assert initial["children_ages"] == "3, 9" and initial["postcode"] == "178 30" and initial["locality"] == ""
    assert initial["programmes"] == list(amal.programmes.all()) and initial["target_group"] == amal.target_group


def test_a_namesake_of_the_same_birth_year_is_registered_only_once_sam_says_she_is_someone_else(
    client, sam, amal, sprakvan
):
    client.force_login(sam)
    first = register(client, sprakvan)
    assert first.status_code == 400
    assert "Amal Haddad, född 1994, finns redan" in " ".join(first.context["form"].errors["duplicate_confirmed"])
    assert Newcomer.objects.count() == 1
    again = register(client, sprakvan, duplicate_confirmed="on")
    assert again.status_code == 302 and Newcomer.objects.count() == 2


def test_the_box_for_a_namesake_is_not_shown_until_one_is_found(client, sam):
    client.force_login(sam)
    assert "duplicate_confirmed" not in client.get(reverse("newcomer_register")).content.decode()


def test_changing_a_newcomer_into_an_unaccompanied_minor_born_in_1970_is_refused(client, sam, amal, sprakvan):
    client.force_login(sam)
    data = {**AMAL, "programmes": [sprakvan.pk], "target_group": "ensamkommande", "birth_year": "1970"}
    response = client.post(reverse("newcomer_edit", args=[amal.pk]), data)
    assert response.status_code == 400 and "ensamkommande barn är högst 20" in str(response.context["form"].errors)
    amal.refresh_from_db()
    assert amal.target_group != "ensamkommande"


def test_a_newcomer_who_would_rather_not_say_her_gender_is_registered_without_one(client, sam, sprakvan):
    client.force_login(sam)
    assert register(client, sprakvan, gender="unspecified").status_code == 302
    newcomer = Newcomer.objects.get()
    assert newcomer.gender == ""
    initial = client.get(reverse("newcomer_edit", args=[newcomer.pk])).context["form"].initial
    assert initial["gender"] == "unspecified"


def test_the_consent_records_which_privacy_notice_she_was_given_and_in_which_language(client, sam, sprakvan):
    client.force_login(sam)
    assert register(client, sprakvan, consent_notice_language="prs").status_code == 302
    newcomer = Newcomer.objects.get()
    assert (newcomer.consent_notice_version, newcomer.consent_notice_language) == ("2026-12-01", "prs")
    html = client.get(reverse("newcomer_detail", args=[newcomer.pk])).content.decode()
    assert "version 2026-12-01" in html and "givet på dari genom tolk" in html
    assert reverse("newcomer_privacy_notice_version", args=["2026-12-01"]) in html


def test_without_the_notices_language_nobody_is_registered(client, sam, sprakvan):
    client.force_login(sam)
    response = register(client, sprakvan, consent_notice_language="")
    assert response.status_code == 400 and "consent_notice_language" in response.context["form"].errors
    assert not Newcomer.objects.exists()


def test_the_newcomers_privacy_notice_is_public_and_says_how_to_withdraw(client):
    html = client.get(reverse("newcomer_privacy_notice")).content.decode()
    assert "Om du ångrar dig" in html and "Version 2026-12-01" in html
    assert client.get(reverse("newcomer_privacy_notice_version", args=["1999-01-01"])).status_code == 404


def test_an_unaccompanied_minor_who_has_turned_21_can_still_have_her_phone_changed(client, sam, amal, sprakvan):
    amal.target_group, amal.birth_year = "ensamkommande", 2004
    amal.save()
    client.force_login(sam)
    data = {**AMAL, "programmes": [sprakvan.pk], "target_group": "ensamkommande", "birth_year": "2004",
            "phone": "070-174 06 07"}  # fmt: skip
    assert client.post(reverse("newcomer_edit", args=[amal.pk]), data).status_code == 302
    amal.refresh_from_db()
    assert amal.phone == "070-174 06 07"
