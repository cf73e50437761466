"""A coordinator looks the programme's people up: searchable, filterable, paged lists, and each
newcomer's page, read only, with what it takes to match her; the wrong person gets nothing."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEvent
from coordinator.models import Newcomer
from tests import factories


def names(response) -> list[str]:
    return [person.first_name for person in response.context["people"].object_list]


def test_the_newcomers_are_looked_up_by_name_birth_year_and_place_and_filtered(client, alice, solvik, sprakvan):
    factories.newcomer(solvik, [sprakvan], first_name="Rana", last_name="Saleh", birth_year=1990)
    factories.newcomer(
        solvik, [sprakvan], first_name="Omar", interpreter_needed=True, interpreter_language="ti", locality="Adelsö"
    )
    factories.newcomer(solvik, [], first_name="Lina")  # in no programme of hers
    client.force_login(alice)
    url = reverse("programme_newcomers", args=[sprakvan.pk])

    assert names(client.get(url)) == ["Omar", "Rana"]
    assert names(client.get(url, {"q": "saleh 1990"})) == ["Rana"]
    assert names(client.get(url, {"q": "Adelsö"})) == ["Omar"]
    assert names(client.get(url, {"interpreter": "yes"})) == ["Omar"]
    assert names(client.get(url, {"status": "matched"})) == []
    assert names(client.get(url, {"status": "nonsense"})) == ["Omar", "Rana"]  # a filter that makes no sense


@pytest.mark.parametrize("people", [10, 1000])
def test_the_list_costs_the_same_queries_for_ten_or_a_thousand_and_shows_a_page(
    client, alice, solvik, sprakvan, people
):
    newcomers = Newcomer.objects.bulk_create([factories.newcomer_unsaved(solvik) for _ in range(people)])
    sprakvan.newcomers.add(*newcomers)
    client.force_login(alice)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("programme_newcomers", args=[sprakvan.pk]), {"sida": 1})
    assert len(queries) == 7
    assert len(response.context["people"].object_list) == min(people, 25)
    assert AuditEvent.objects.filter(user=alice).count() == min(people, 25)  # whom the page shows, no one else


def test_the_newcomers_page_is_read_only_and_shows_her_social_worker_and_matching(client, alice, sam, solvik, sprakvan):
    amal = factories.newcomer(solvik, [sprakvan], registered_by=sam, needs="Vill öva <i>svenska</i>")
    karin = factories.volunteer(solvik, [sprakvan])
    factories.proposal(sprakvan, amal, karin, score=0.8, parts={"language": 1.0})
    client.force_login(alice)

    html = client.get(reverse("programme_newcomer", args=[sprakvan.pk, amal.pk])).content.decode()

    assert "mailto:sam@solvik.se" in html and "Förslag som väntar på beslut: Karin Berg" in html
    assert "Vill öva &lt;i&gt;svenska&lt;/i&gt;" in html
    assert reverse("newcomer_edit", args=[amal.pk]) not in html
    assert AuditEvent.objects.filter(user=alice, action="view").exists()


def test_a_newcomer_of_another_programme_or_erased_is_a_missing_page(client, alice, solvik, sprakvan, norrby):
    theirs = factories.newcomer(norrby, [], first_name="Nour")
    erased = factories.newcomer(solvik, [sprakvan], first_name="Raderad")
    Newcomer.objects.filter(pk=erased.pk).update(erased_at="2026-11-01T00:00Z")
    client.force_login(alice)

    for newcomer in (theirs, erased):
        response = client.get(reverse("programme_newcomer", args=[sprakvan.pk, newcomer.pk]))
        assert response.status_code == 404 and "Nour" not in response.content.decode()


def test_proposals_and_matches_link_to_the_people(client, alice, solvik, sprakvan):
    amal = factories.newcomer(solvik, [sprakvan])
    karin = factories.volunteer(solvik, [sprakvan])
    factories.proposal(sprakvan, amal, karin, score=0.8, parts={"language": 1.0})
    client.force_login(alice)

    queue = client.get(reverse("proposal_queue", args=[sprakvan.pk])).content.decode()

    assert reverse("programme_newcomer", args=[sprakvan.pk, amal.pk]) in queue
    assert reverse("volunteer_detail", args=[karin.pk]) in queue


def test_a_locality_is_found_in_any_case_swedish_letters_too_on_every_database(
    client, alice, solvik, sprakvan, django_assert_num_queries
):
    """SQLite's case-blind match folds only A to Z: "örebro" must still find Örebro and ÖREBRO."""
    factories.newcomer(solvik, [sprakvan], first_name="Rana", locality="Örebro")
    factories.newcomer(solvik, [sprakvan], first_name="Omar", locality="ÖREBRO")
    factories.newcomer(solvik, [sprakvan], first_name="Lina", locality="Örebro län")
    factories.newcomer(solvik, [], first_name="Sara", locality="örebro")  # in no programme of hers
    client.force_login(alice)
    url = reverse("programme_newcomers", args=[sprakvan.pk])

    assert names(client.get(url, {"locality": " örebro "})) == ["Omar", "Rana"]
    assert names(client.get(url, {"locality": "Göteborg"})) == []
    from coordinator import selectors

    with django_assert_num_queries(3):  # how it is written there, how many, the page's people
        page = selectors.programme_people(programme=sprakvan, kind="newcomers", filters={"locality": "örebro"})
        assert [p.first_name for p in page.object_list] == ["Omar", "Rana"]


def test_a_newcomer_waiting_again_after_her_match_ended_says_so_in_the_list(client, alice, solvik, sprakvan):
    """Who waits longest counts Rana among those who have had a match; the list says why she waits."""
    from coordinator import services

    rana = factories.newcomer(solvik, [sprakvan], first_name="Rana")
    factories.newcomer(solvik, [sprakvan], first_name="Omar")
    match = services.match_create(
        programme=sprakvan, newcomer=rana, volunteer=factories.volunteer(solvik, [sprakvan]), by=alice
    )
    services.match_end(match=match, by=alice, reason="no_time")
    client.force_login(alice)

    page = client.get(reverse("programme_newcomers", args=[sprakvan.pk]), {"status": "waiting"}).content.decode()

    rows = {row.split("</a>")[0].rsplit(">", 1)[-1]: row for row in page.split('<tr role="row">')[2:]}
    assert (
        "Väntar på en ny matchning" in rows["Rana Haddad"]
        and "0 dagar sedan matchningen slutade" in rows["Rana Haddad"]
    )
    assert "Väntar på en ny matchning" not in rows["Omar Haddad"] and "Väntar" in rows["Omar Haddad"]
    page = client.get(reverse("programme_newcomer", args=[sprakvan.pk, rana.pk])).content.decode()
    assert "0 dagar sedan matchningen slutade · Väntar på en ny matchning" in page


def test_a_matched_newcomer_is_not_said_to_be_waiting(client, alice, solvik, sprakvan):
    from coordinator import services

    rana = factories.newcomer(solvik, [sprakvan], first_name="Rana")
    services.match_create(
        programme=sprakvan, newcomer=rana, volunteer=factories.volunteer(solvik, [sprakvan]), by=alice
    )
    client.force_login(alice)

    listed = client.get(reverse("programme_newcomers", args=[sprakvan.pk])).content.decode()
    page = client.get(reverse("programme_newcomer", args=[sprakvan.pk, rana.pk])).content.decode()

    assert "0 dagar" not in listed and "har väntat" not in page


def test_one_made_up_filter_is_named_at_the_top_and_the_others_still_narrow_the_list(client, alice, solvik, sprakvan):
    factories.newcomer(solvik, [sprakvan], first_name="Rana", gender="female", locality="Ekerö")
    factories.newcomer(solvik, [sprakvan], first_name="Omar", gender="male", locality="Ekerö")
    client.force_login(alice)

    response = client.get(reverse("programme_newcomers", args=[sprakvan.pk]), {"gender": "male", "age": "999"})

    page = response.content.decode()
    assert names(response) == ["Omar"]
    assert 'class="error-summary"' in page and "Ålder: Välj ett giltigt alternativ" in page
    assert 'filtrerat på <strong>Kön:</strong> <span dir="auto">Man</span>' in page
    without = client.get(reverse("programme_newcomers", args=[sprakvan.pk]), {"locality": "-"}).content.decode()
    assert '<strong>Ort:</strong> <span dir="auto">ingen (de utan ort)</span>' in without


def test_a_group_filter_made_up_by_hand_is_named_as_wrong_and_never_breaks_the_page(client, alice, solvik, sprakvan):
    factories.newcomer(solvik, [sprakvan], first_name="Rana", locality='Ekerö"><script>x</script>')
    client.force_login(alice)
    url = reverse("programme_newcomers", args=[sprakvan.pk])
    for made_up in ({"age": "99–100"}, {"first_language": "<b>xx</b>"}, {"gender": "both"}):
        response = client.get(url, made_up)
        page = response.content.decode()
        assert response.status_code == 200 and "Välj ett giltigt alternativ" in page, made_up
        assert "<b>xx</b>" not in page and 'class="more-filters" open' in page
    hostile = client.get(url, {"locality": 'Ekerö"><script>x</script>'})
    assert names(hostile) == ["Rana"] and "<script>x</script>" not in hostile.content.decode()
    assert names(client.get(url, {"locality": "–"})) == []
    assert names(client.get(url, {"locality": 'ekerö"><script>x</script>'})) == ["Rana"], "as she may type it"


def test_the_volunteers_who_speak_a_language_or_live_in_a_place_are_found_for_the_groups_that_wait(
    client, alice, solvik, sprakvan
):
    """The dashboard says Dari speakers near Adelsö wait: the coordinator looks for volunteers
    who speak Dari, and for those in Adelsö, to ask them first."""
    factories.volunteer(solvik, [sprakvan], first_name="Karin", languages=["sv", "prs"], locality="Ekerö")
    factories.volunteer(solvik, [sprakvan], first_name="Lars", languages=["sv", "en"], locality="Adelsö")
    factories.volunteer(solvik, [], first_name="Maria", languages=["sv", "prs"], locality="Adelsö")  # not here
    client.force_login(alice)
    url = reverse("programme_volunteers", args=[sprakvan.pk])

    assert names(client.get(url, {"speaks": "prs"})) == ["Karin"]
    assert names(client.get(url, {"locality": "adelsö"})) == ["Lars"]
    wrong = client.get(url, {"speaks": '"><b>xx</b>', "locality": "Adelsö"})
    assert names(wrong) == ["Lars"], "a made-up language is named as wrong, the place still narrows"
    assert 'class="error-summary"' in wrong.content.decode() and "<b>xx</b>" not in wrong.content.decode()


def test_everyone_waiting_can_be_listed_longest_waiting_first_from_the_dashboards_ten(client, alice, solvik, sprakvan):
    from coordinator.models import Match

    today = timezone.localdate()
    for name, days in (("Amal", 30), ("Rana", 400), ("Omar", 120), ("Hiba", 500)):
        factories.newcomer(solvik, [sprakvan], first_name=name, registered_on=today - timedelta(days=days))
    # Hiba registered first, but her match here ended 20 days ago: she has waited 20 days.
    hiba = Newcomer.objects.get(first_name="Hiba")
    Match.objects.create(
        programme=sprakvan, newcomer=hiba, volunteer=factories.volunteer(solvik, [sprakvan]), state="ended",
        started_on=today - timedelta(days=300), trial_ends_on=today - timedelta(days=270),
        planned_end_on=today - timedelta(days=118), ended_on=today - timedelta(days=20), end_reason="moved",
    )  # fmt: skip
    client.force_login(alice)
    dashboard = client.get(reverse("programme_dashboard", args=[sprakvan.pk]))
    url = reverse("programme_newcomers", args=[sprakvan.pk])
    assert f'href="{url}?status=waiting&amp;order=waited"' in dashboard.content.decode()

    response = client.get(url, {"status": "waiting", "order": "waited"})

    assert names(response) == ["Rana", "Omar", "Amal", "Hiba"]
    assert [(n.first_name, days) for n, days, _again in dashboard.context["longest_waiting"]] == [
        ("Rana", 400),
        ("Omar", 120),
        ("Amal", 30),
        ("Hiba", 20),
    ], "the dashboard's ten in the list's order, with the wait the list shows"
    assert "20 dagar sedan matchningen slutade" in dashboard.content.decode()
    assert dashboard.context["waited_median"] == 120, "the median of 400, 120, 30 and 20 days as counted here"
    assert "Ordning:" not in response.content.decode(), "an order, not a filter the list is narrowed to"
    assert names(client.get(url)) == ["Amal", "Hiba", "Omar", "Rana"]


def test_a_newcomer_matched_in_another_programme_waits_here_on_the_list_her_page_and_the_dashboard(
    client, alice, solvik, sprakvan
):
    """Her status was global: matched as a refugee guide's newcomer, she showed as "Matchad" in
    språkvän, where nobody had been matched with her, and the list's "Väntar" left her out while
    the dashboard counted her among those waiting."""
    from coordinator import services

    guide = factories.programme(solvik, kind="flyktingguide", name="Flyktingguide Solvik")
    rana = factories.newcomer(solvik, [sprakvan, guide], first_name="Rana")
    factories.newcomer(solvik, [sprakvan], first_name="Amal")
    services.match_create(programme=guide, newcomer=rana, volunteer=factories.volunteer(solvik, [guide]), by=alice)
    client.force_login(alice)
    url = reverse("programme_newcomers", args=[sprakvan.pk])

    waiting = client.get(url, {"status": "waiting"})
    page = client.get(reverse("programme_newcomer", args=[sprakvan.pk, rana.pk])).content.decode()
    dashboard = client.get(reverse("programme_dashboard", args=[sprakvan.pk]))

    assert names(waiting) == ["Amal", "Rana"]
    assert names(client.get(url, {"status": "matched"})) == []
    assert "Matchad" not in page and "har väntat" in page
    assert dashboard.context["waiting"] == len(names(waiting))
    guide_list = client.get(reverse("programme_newcomers", args=[guide.pk]), {"status": "matched"})
    assert names(guide_list) == ["Rana"]
