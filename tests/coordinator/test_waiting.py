"""Who waits longest: the share matched and the time to a first match, by group, with those who
wait much longer than the rest pointed out; counted correctly for those still waiting."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from coordinator import selectors
from coordinator.models import Match, Newcomer, Volunteer
from tests import factories

TODAY = date(2026, 12, 1)


def pool(solvik, sprakvan, n: int, *, languages: list[str], waited: int, matched_after: int | None) -> None:
    """n newcomers who registered `waited` days ago, matched `matched_after` days after that (or not)."""
    registered = TODAY - timedelta(days=waited)
    newcomers = Newcomer.objects.bulk_create(
        [factories.newcomer_unsaved(solvik, languages=languages, registered_on=registered) for _ in range(n)]
    )
    sprakvan.newcomers.add(*newcomers)
    if matched_after is None:
        return
    volunteers = Volunteer.objects.bulk_create([factories.volunteer_unsaved(solvik) for _ in range(n)])
    started = registered + timedelta(days=matched_after)
    Match.objects.bulk_create(
        [
            Match(
                programme=sprakvan,
                newcomer=nc,
                volunteer=v,
                started_on=started,
                state="active",
                trial_ends_on=started + timedelta(days=30),
                planned_end_on=started + timedelta(days=182),
            )
            for nc, v in zip(newcomers, volunteers, strict=True)
        ]  # fmt: skip
    )
    Newcomer.objects.filter(pk__in=[n.pk for n in newcomers]).update(status="matched")


def test_dari_speakers_who_still_wait_are_pointed_out_beside_arabic_speakers_matched_in_ten_days(solvik, sprakvan):
    pool(solvik, sprakvan, 30, languages=["ar"], waited=60, matched_after=10)
    pool(solvik, sprakvan, 12, languages=["prs"], waited=100, matched_after=None)

    report = selectors.waiting_by_group(programmes=[sprakvan], today=TODAY)

    assert report["everyone"].newcomers == 42 and report["everyone"].median_days == 10
    language = next(d for d in report["dimensions"] if d.title == "Efter första språk")
    dari = next(g for g in language.groups if g.label == "dari")
    assert (dari.newcomers, dari.matched, dari.median_days, dari.longer) == (12, 0, None, True)
    arabic = next(g for g in language.groups if g.label == "arabiska")
    assert (arabic.match_rate, arabic.median_days, arabic.longer) == (1.0, 10, False)
    assert [sentence for _title, _g, sentence in report["longer"]] == [
        "dari: fler än hälften väntar fortfarande på en matchning, medan hälften av alla har fått en efter 10 dagar."
    ]


def test_a_group_too_small_to_say_anything_is_not_pointed_out(solvik, sprakvan):
    pool(solvik, sprakvan, 30, languages=["ar"], waited=60, matched_after=10)
    pool(solvik, sprakvan, 3, languages=["ti"], waited=200, matched_after=None)
    assert selectors.waiting_by_group(programmes=[sprakvan], today=TODAY)["longer"] == []


def test_one_still_waiting_counts_for_as_long_as_she_has_waited():
    """Kaplan–Meier on waiting: matched after 10 and 30 days, one still waiting after 20. Half have
    been matched by day 30 (1/3 at day 10, then 1 of the 1 left at risk at day 30), not by day 10."""
    from coordinator.selectors.waiting import _group

    group = _group("x", [(10, True), (20, False), (30, True)])
    assert group.median_days == 30 and group.matched == 2


@pytest.mark.parametrize("n", [10, 1000])
def test_the_dashboard_section_costs_one_query_for_ten_or_a_thousand_newcomers(
    solvik, sprakvan, django_assert_num_queries, n
):
    pool(solvik, sprakvan, n, languages=["ar"], waited=60, matched_after=None)
    with django_assert_num_queries(1):
        selectors.waiting_by_group(programmes=[sprakvan], today=TODAY)


def test_the_dashboard_says_who_waits_longest(client, alice, solvik, sprakvan):
    pool(solvik, sprakvan, 30, languages=["ar"], waited=60, matched_after=10)
    pool(solvik, sprakvan, 12, languages=["prs"], waited=100, matched_after=None)
    client.force_login(alice)
    html = client.get(reverse("programme_dashboard", args=[sprakvan.pk])).content.decode()
    assert "Vem väntar längst" in html and "dari: fler än hälften väntar fortfarande" in html
