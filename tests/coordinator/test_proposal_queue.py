"""The proposal queue: both people side by side, the score in words, approve or decline."""

import re
from datetime import date

import pytest
from django.urls import reverse

from coordinator.models import Match, MatchingRun, Newcomer, Proposal, Volunteer
from tests import factories


@pytest.fixture
def proposal(solvik, sprakvan):
    amal = factories.newcomer(solvik, [sprakvan])
    karin = factories.volunteer(solvik, [sprakvan])
    parts = {
        "language": 1.0,
        "interests": 0.5,
        "availability": 1.0,
        "distance": 0.9,
        "distance_km": 2.5,
        "shared_languages": ["ar"],
        "shared_slots": ["mon-evening"],
        "shared_interests": ["matlagning"],
    }
    return factories.proposal(sprakvan, amal, karin, score=0.81, parts=parts)


def test_the_queue_shows_both_people_and_the_score_in_words(client, alice, sprakvan, proposal):
    client.force_login(alice)
    html = client.get(reverse("proposal_queue", args=[sprakvan.pk])).content.decode()
    assert "Amal Haddad" in html and "Karin Berg" in html and "0,81" in html
    assert "Talar båda arabiska." in html and "2,5 km" in html  # the compact card
    assert "1 gemensam tid: måndag kväll." not in html  # the full comparison waits to be asked for
    compared = client.get(reverse("proposal_queue", args=[sprakvan.pk]), {"jamfor": proposal.pk}).content.decode()
    assert "1 gemensam tid: måndag kväll." in compared and "Varför de passar" in compared


def test_the_card_shows_what_the_coordinator_needs_to_decide_safely(client, alice, solvik, sprakvan, proposal):
    Newcomer.objects.filter(pk=proposal.newcomer_id).update(
        needs="Vill öva <b>svenska</b> inför jobbintervjuer",
        interpreter_needed=True,
        interpreter_language="ar",
        registered_on=date(2026, 10, 2),
        household_children_ages=[9, 2, 5],
        availability=["sat-morning", "mon-evening", "wed-afternoon"],
    )
    client.force_login(alice)

    html = client.get(reverse("proposal_queue", args=[sprakvan.pk]), {"jamfor": proposal.pk}).content.decode()

    assert "Vill öva &lt;b&gt;svenska&lt;/b&gt; inför jobbintervjuer" in html  # the needs, escaped
    assert "Behövs vid första mötet: arabiska" in html
    assert "Vuxen" in html or "Målgrupp" in html
    assert "60 dagar" in html and "sedan 2026-10-02" in html
    assert "barn 2, 5, 9" in html
    assert "måndag kväll, onsdag eftermiddag, lördag förmiddag" in html
    assert "Inget giltigt utdrag" in html  # Karin has shown no extract from the register


def test_a_volunteers_valid_extract_is_shown_with_its_last_day(client, alice, sprakvan, proposal):
    Volunteer.objects.filter(pk=proposal.volunteer_id).update(
        background_check_date=date(2026, 6, 1), background_check_expires=date(2027, 5, 31)
    )
    client.force_login(alice)

    html = client.get(reverse("proposal_queue", args=[sprakvan.pk]), {"jamfor": proposal.pk}).content.decode()

    assert "Gäller till 2027-05-31" in html and "Inget giltigt utdrag" not in html


def test_every_score_bar_holds_a_number_the_browser_reads_in_swedish_too(client, alice, sprakvan, proposal):
    client.force_login(alice)

    html = client.get(
        reverse("proposal_queue", args=[sprakvan.pk]), {"jamfor": proposal.pk}, HTTP_ACCEPT_LANGUAGE="sv"
    ).content.decode()

    values = re.findall(r'<meter min="0" max="1" value="([^"]+)"', html)
    assert values and all(re.fullmatch(r"\d+(\.\d+)?", v) for v in values)
    assert 'value="0.9"' in html


def test_people_placed_by_the_same_locality_are_said_to_live_in_the_same_locality(client, alice, sprakvan, proposal):
    Newcomer.objects.filter(pk=proposal.newcomer_id).update(postcode="")
    proposal.parts["distance_km"] = 0.0
    proposal.save()
    client.force_login(alice)

    html = client.get(reverse("proposal_queue", args=[sprakvan.pk])).content.decode()

    assert "Samma ort." in html and "0,0 km" not in html


def pending_proposals(solvik, sprakvan, how_many: int, **run_fields) -> MatchingRun:
    run = MatchingRun.objects.create(programme=sprakvan, status="done", **run_fields)
    newcomers = Newcomer.objects.bulk_create([factories.newcomer_unsaved(solvik) for _ in range(how_many)])
    volunteers = Volunteer.objects.bulk_create([factories.volunteer_unsaved(solvik) for _ in range(how_many)])
    Proposal.objects.bulk_create(
        [
            Proposal(run=run, newcomer=n, volunteer=v, score=0.5, parts={"language": 1.0})
            for n, v in zip(newcomers, volunteers, strict=True)
        ]
    )
    return run


@pytest.mark.parametrize("proposals", [10, 1000])
def test_the_queue_costs_the_same_queries_for_ten_or_a_thousand(client, alice, solvik, sprakvan, proposals):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from accounts.models import AuditEvent

    pending_proposals(solvik, sprakvan, proposals)
    client.force_login(alice)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("proposal_queue", args=[sprakvan.pk]))
    reads = [q["sql"] for q in queries.captured_queries if "accounts_auditevent" not in q["sql"]]
    # session, user, memberships, programme, how many are pending, one page of proposals with
    # both people, locks, latest run
    assert len(reads) == 8, reads
    shown = min(proposals, 20)
    assert len(response.context["cards"]) == shown
    # Everyone shown, and only they, is in the audit trail, written in as few INSERTs as the database allows.
    assert AuditEvent.objects.filter(purpose="matching").count() == 2 * shown
    batches = len(queries.captured_queries) - len(reads)
    limit = connection.features.max_query_params  # None on PostgreSQL: one INSERT
    assert batches == 1 if limit is None else batches <= 1 + 2 * shown * 10 // limit


def test_the_queue_never_reads_what_the_run_keeps_of_its_solution(client, alice, solvik, sprakvan):
    """At a municipality's size every proposal's row carried the run's megabytes of JSON; the
    page ran out of memory. The queue reads proposals and people, not runs' documents."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    pending_proposals(solvik, sprakvan, 30, unmatched=[[1, "no_language"]] * 5000)
    client.force_login(alice)
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("proposal_queue", args=[sprakvan.pk]))
    sql = " ".join(q["sql"] for q in queries.captured_queries)
    assert "coordinator_rundocuments" not in sql and '"unmatched"' not in sql


def test_deciding_on_the_second_page_keeps_the_coordinators_place(client, alice, solvik, sprakvan):
    pending_proposals(solvik, sprakvan, 45)
    client.force_login(alice)
    page = client.get(reverse("proposal_queue", args=[sprakvan.pk]), {"sida": 2})
    second = page.context["cards"][0]["proposal"]
    assert "Sida 2 av 3" in page.content.decode()
    declined = client.post(
        reverse("proposal_decline", args=[sprakvan.pk, second.pk]),
        {"reason": "Bor för långt bort", "tillbaka": "sida=2"},
    )
    assert declined["Location"] == reverse("proposal_queue", args=[sprakvan.pk]) + "?sida=2#queue"
    third = page.context["cards"][1]["proposal"]
    missing_reason = client.post(reverse("proposal_decline", args=[sprakvan.pk, third.pk]), {"tillbaka": "sida=2"})
    # The missing reason is shown in the open form of that proposal, on the page she was on.
    assert missing_reason.status_code == 400
    assert "Sida 2 av 3" in missing_reason.content.decode()
    card = next(c for c in missing_reason.context["cards"] if c["proposal"].pk == third.pk)
    assert card["decline_form"].errors["reason"] == ["Skriv varför förslaget avböjs."]
    html = missing_reason.content.decode()
    assert f'href="#decline-{third.pk}-reason-field"' in html and "<details open>" in html


def test_the_queue_is_filtered_by_area_wait_score_language_target_group_and_interpreter(
    client, alice, solvik, sprakvan
):
    def pending(first_name, score, **newcomer):
        amal = factories.newcomer(solvik, [sprakvan], first_name=first_name, **newcomer)
        return factories.proposal(sprakvan, amal, factories.volunteer(solvik, [sprakvan]), score=score)

    pending("Amal", 0.9, postcode="178 32", locality="Ekerö", languages=["ar", "sv"], registered_on=date(2026, 6, 1))
    pending("Omar", 0.6, postcode="831 30", locality="Östersund", languages=["ti"], interpreter_needed=True,
            interpreter_language="ti", registered_on=date(2026, 11, 20))  # fmt: skip
    client.force_login(alice)

    def names(**filters):
        response = client.get(reverse("proposal_queue", args=[sprakvan.pk]), filters)
        return [c["proposal"].newcomer.first_name for c in response.context["cards"]]

    assert names() == ["Amal", "Omar"]
    assert names(area="178") == ["Amal"] and names(area="Östers") == ["Omar"]
    assert names(waited="90") == ["Amal"]
    assert names(score="0.7") == ["Amal"]
    assert names(language="ti") == ["Omar"]
    assert names(interpreter="yes") == ["Omar"] and names(interpreter="no") == ["Amal"]
    assert names(target_group="ensamkommande") == []
    assert names(score="not a number") == ["Amal", "Omar"]  # a filter that makes no sense filters nothing


def test_a_decision_keeps_the_filters_she_chose(client, alice, solvik, sprakvan, proposal):
    client.force_login(alice)

    response = client.post(
        reverse("proposal_approve", args=[sprakvan.pk, proposal.pk]), {"tillbaka": "language=ar&evil=1&sida=1"}
    )

    assert response["Location"] == reverse("proposal_queue", args=[sprakvan.pk]) + "?sida=1&language=ar#queue"


def test_approving_makes_the_match(client, alice, sprakvan, proposal):
    client.force_login(alice)
    response = client.post(reverse("proposal_approve", args=[sprakvan.pk, proposal.pk]), follow=True)
    match = Match.objects.get()
    # She stays in the queue; the new match is a link away.
    assert response.redirect_chain[-1][0] == reverse("proposal_queue", args=[sprakvan.pk]) + "#queue"
    assert f'href="{reverse("match_detail", args=[match.pk])}"' in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.state == "approved" and proposal.decided_by == alice


def test_declining_needs_a_reason_and_the_pair_is_never_proposed_again(client, alice, sprakvan, proposal):
    from coordinator import selectors

    client.force_login(alice)
    client.post(reverse("proposal_decline", args=[sprakvan.pk, proposal.pk]), {"reason": ""})
    proposal.refresh_from_db()
    assert proposal.state == "pending"
    client.post(reverse("proposal_decline", args=[sprakvan.pk, proposal.pk]), {"reason": "Hon har flyttat"})
    proposal.refresh_from_db()
    assert (proposal.state, proposal.decline_reason) == ("declined", "Hon har flyttat")
    doc = selectors.matching_problem(programme=sprakvan, reference_date=factories.date(2026, 11, 22))
    assert doc["newcomers"][0]["exclude"] == [f"v{proposal.volunteer_id}"]


def test_a_decided_proposal_cannot_be_approved_again(client, alice, sprakvan, proposal):
    client.force_login(alice)
    client.post(reverse("proposal_approve", args=[sprakvan.pk, proposal.pk]))
    client.post(reverse("proposal_approve", args=[sprakvan.pk, proposal.pk]))
    assert Match.objects.count() == 1


def test_a_coordinator_of_another_organisation_cannot_approve(client, bob, sprakvan, proposal):
    client.force_login(bob)
    assert client.post(reverse("proposal_approve", args=[sprakvan.pk, proposal.pk])).status_code == 404
    assert not Match.objects.exists()


def test_declining_a_proposal_a_colleague_has_just_approved_says_why_nothing_happened(
    client, alice, sprakvan, proposal
):
    client.force_login(alice)
    client.post(reverse("proposal_approve", args=[sprakvan.pk, proposal.pk]))

    response = client.post(
        reverse("proposal_decline", args=[sprakvan.pk, proposal.pk]), {"reason": "Bor för långt bort"}, follow=True
    )

    messages = [str(m) for m in response.context["messages"]]
    assert any("Förslaget är redan" in m for m in messages)
    proposal.refresh_from_db()
    assert proposal.state == "approved"
