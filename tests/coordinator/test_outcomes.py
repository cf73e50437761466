"""Outcomes a coordinator can see: how long matches last, counted correctly for those still
going, and the page that shows it at a fixed cost."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from coordinator import selectors, survival
from coordinator.models import Match, MatchingRun, Meeting, Newcomer, Volunteer
from tests import factories


def test_the_survival_curve_is_the_kaplan_meier_estimate_worked_by_hand():
    """Six matches: ended after 10, 20, 30 and 50 days; still going after 20 and 40 (censored).
    By hand: 5/6 after day 10; × 4/5 (five at risk on day 20, the censored one among them);
    × 2/3 (three at risk on day 30); × 0/1 on day 50."""
    durations = [(10, True), (20, False), (20, True), (30, True), (40, False), (50, True)]

    steps = survival.kaplan_meier(durations)

    assert [(s.day, s.at_risk, s.ended) for s in steps] == [(0, 6, 0), (10, 6, 1), (20, 5, 1), (30, 3, 1), (50, 1, 1)]
    assert [round(s.surviving, 4) for s in steps] == [1.0, 0.8333, 0.6667, 0.4444, 0.0]
    assert survival.median_days(steps) == 30
    assert round(survival.surviving_at(steps, 45).surviving, 4) == 0.4444
    # Greenwood's variance at day 20: 1/(6·5) + 1/(5·4) = 0.0833; the band lies around the estimate.
    day_20 = steps[2]
    assert 0 < day_20.low < day_20.surviving < day_20.high < 1


def test_counting_an_ongoing_match_as_ended_would_be_wrong():
    """Three matches, one ended at day 10, two still going at day 100: two in three still go."""
    steps = survival.kaplan_meier([(10, True), (100, False), (100, False)])
    assert round(survival.surviving_at(steps, 90).surviving, 4) == 0.6667


def make_matches(solvik, sprakvan, n: int, *, today: date) -> list[Match]:
    newcomers = Newcomer.objects.bulk_create([factories.newcomer_unsaved(solvik) for _ in range(n)])
    volunteers = Volunteer.objects.bulk_create([factories.volunteer_unsaved(solvik) for _ in range(n)])
    matches = []
    for k, (newcomer, volunteer) in enumerate(zip(newcomers, volunteers, strict=True)):
        started = today - timedelta(days=30 + k % 300)
        ended = started + timedelta(days=20 + k % 90) if k % 3 == 0 else None
        matches.append(
            Match(programme=sprakvan, newcomer=newcomer, volunteer=volunteer, started_on=started,
                  trial_ends_on=started + timedelta(days=30), planned_end_on=started + timedelta(days=182),
                  state="ended" if ended else "active", ended_on=ended, end_reason="no_time" if ended else "")
        )  # fmt: skip
    return Match.objects.bulk_create(matches)


def test_the_outcomes_page_shows_length_early_endings_reasons_and_meetings(client, alice, solvik, sprakvan):
    today = date.today()
    matches = make_matches(solvik, sprakvan, 30, today=today)
    Meeting.objects.bulk_create([Meeting(match=m, on=today, source="volunteer") for m in matches[1:4]])
    client.force_login(alice)

    response = client.get(reverse("programme_outcomes", args=[sprakvan.pk]))

    html = response.content.decode()
    assert "30 matchningar, varav 10 avslutade." in html
    assert "slutade under provperioden" in html and "slutade före sex månader" in html
    reasons = response.context["o"]["reasons"]
    assert [r["label"] for r in reasons] == ["Har inte tid"] and sum(reasons[0]["counts"]) == 10
    assert '<path d="M0,0.0' in html, "the curve starts at 100 %"
    assert response.context["o"]["meetings"][-1]["meetings"] == 3


@pytest.mark.parametrize("n", [10, 1000])
def test_the_outcomes_page_costs_the_same_queries_for_ten_or_a_thousand_matches(
    client, alice, solvik, sprakvan, django_assert_num_queries, n
):
    make_matches(solvik, sprakvan, n, today=date.today())
    client.force_login(alice)
    # session, user, memberships, programme; the matches; meetings by month; first proposals;
    # the predictors' matches with their proposals
    with django_assert_num_queries(8):
        client.get(reverse("programme_outcomes", args=[sprakvan.pk]))


@pytest.mark.parametrize("n", [10, 1000])
def test_the_organisations_outcomes_cost_the_same_queries_for_ten_or_a_thousand_matches(
    client, alice, solvik, sprakvan, django_assert_num_queries, n
):
    make_matches(solvik, sprakvan, n, today=date.today())
    client.force_login(alice)
    # session, user, memberships, organisation, its programmes; the matches; meetings; first proposals
    with django_assert_num_queries(8):
        client.get(reverse("organisation_outcomes", args=[solvik.slug]))


def test_outcomes_are_split_by_target_group_area_and_language(client, alice, solvik, sprakvan):
    matches = make_matches(solvik, sprakvan, 12, today=date.today())
    Newcomer.objects.filter(pk__in=[m.newcomer_id for m in matches[:7]]).update(locality="Angered", languages=["prs"])
    client.force_login(alice)
    splits = client.get(reverse("programme_outcomes", args=[sprakvan.pk])).context["o"]["splits"]
    by_title = {split["title"]: [(row["label"], row["matches"]) for row in split["rows"]] for split in splits}
    assert by_title["Efter område"][0] == ("Angered", 7)
    assert by_title["Efter språk"][0] == ("dari", 7)


def with_proposals(solvik, sprakvan, n: int, *, ended_when_low: bool) -> None:
    """n matches from proposals: the higher the score, the longer it lasted (or the reverse)."""
    today = date.today()
    run = MatchingRun.objects.create(programme=sprakvan, status="done")
    for k in range(n):
        score = (k + 1) / (n + 1)
        long_lasting = (score > 0.5) == ended_when_low
        started = today - timedelta(days=400)
        ended = None if long_lasting else started + timedelta(days=20 + k)
        newcomer, volunteer = factories.newcomer(solvik, [sprakvan]), factories.volunteer(solvik, [sprakvan])
        proposal = factories.proposal(
            sprakvan, newcomer, volunteer, run=run, score=score, parts={"language": 1.0, "interests": score}
        )
        Match.objects.create(
            programme=sprakvan, newcomer=newcomer, volunteer=volunteer, proposal=proposal, started_on=started,
            trial_ends_on=started + timedelta(days=30), planned_end_on=started + timedelta(days=365),
            state="ended" if ended else "active", ended_on=ended, end_reason="no_click" if ended else "",
        )  # fmt: skip


def test_with_enough_ended_matches_the_report_says_whether_the_score_predicted_how_long_they_lasted(solvik, sprakvan):
    with_proposals(solvik, sprakvan, 66, ended_when_low=True)

    report = selectors.predictors(programme=sprakvan)

    assert report["enough"] and report["ended"] == 33
    measures = {m["key"]: m for m in report["measures"]}
    assert measures["score"]["verdict"] == "longer"
    assert measures["interests"]["verdict"] == "longer" and measures["interests"]["agrees"] is True
    assert "language" not in measures, "the same for everyone: nothing to compare"


def test_when_high_scores_ended_sooner_the_report_says_the_weight_disagrees(solvik, sprakvan):
    with_proposals(solvik, sprakvan, 66, ended_when_low=False)
    measures = {m["key"]: m for m in selectors.predictors(programme=sprakvan)["measures"]}
    assert measures["interests"]["verdict"] == "shorter" and measures["interests"]["agrees"] is False


def test_before_thirty_matches_have_ended_the_report_only_says_how_many_it_waits_for(client, alice, solvik, sprakvan):
    make_matches(solvik, sprakvan, 30, today=date.today())  # 10 ended
    client.force_login(alice)
    html = client.get(reverse("programme_outcomes", args=[sprakvan.pk])).content.decode()
    assert "0 matchningar från förslag har avslutats. När 30 har avslutats" in html
