"""Who waits longest: the share matched and the time to a first match, by group, with those who
wait much longer than the rest pointed out; counted correctly for those still waiting."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils.html import escape

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
        "Dari: fler än hälften väntar fortfarande på en matchning, medan hälften av alla har fått en efter 10 dagar."
    ]


def test_while_most_still_wait_a_group_matched_far_less_often_within_ninety_days_is_pointed_out(solvik, sprakvan):
    """More than half of everyone still wait, so there is no half-way wait to compare: the
    share matched within 90 days is compared instead (the dashboard said no group waited longer)."""
    pool(solvik, sprakvan, 12, languages=["ar"], waited=200, matched_after=10)
    pool(solvik, sprakvan, 18, languages=["ar"], waited=200, matched_after=None)
    pool(solvik, sprakvan, 12, languages=["prs"], waited=200, matched_after=None)

    report = selectors.waiting_by_group(programmes=[sprakvan], today=TODAY)

    assert report["everyone"].median_days is None
    language = next(d for d in report["dimensions"] if d.title == "Efter första språk")
    assert {g.label: g.longer for g in language.groups} == {"arabiska": False, "dari": True}
    assert [sentence for _title, _g, sentence in report["longer"]] == [
        "Dari: 0 % fick en matchning inom 90 dagar, mot 29 % av alla."
    ]


def test_while_most_still_wait_a_small_difference_in_the_share_is_not_pointed_out(solvik, sprakvan):
    pool(solvik, sprakvan, 5, languages=["ar"], waited=200, matched_after=10)
    pool(solvik, sprakvan, 25, languages=["ar"], waited=200, matched_after=None)
    # Dari: 1 of 12 within 90 days (8 %), everyone 6 of 42 (14 %): a third lower, but not 10 points.
    pool(solvik, sprakvan, 1, languages=["prs"], waited=200, matched_after=10)
    pool(solvik, sprakvan, 11, languages=["prs"], waited=200, matched_after=None)

    report = selectors.waiting_by_group(programmes=[sprakvan], today=TODAY)

    assert report["everyone"].median_days is None and report["longer"] == []


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


def test_one_who_withdrew_her_consent_counts_until_she_withdrew_it_and_one_without_consent_not_at_all(solvik, sprakvan):
    """Rana withdrew her consent 20 days after registering, 100 days ago, and was then made
    inactive (last changed today); Samir was registered without consent (before consent was
    asked for), so has never been in the pool the run matches from."""
    from datetime import datetime

    from django.utils import timezone

    registered = TODAY - timedelta(days=100)
    rana = factories.newcomer(solvik, first_name="Rana", registered_on=registered, programmes=[sprakvan])
    samir = factories.newcomer(solvik, first_name="Samir", registered_on=registered, programmes=[sprakvan])
    withdrew = datetime.combine(
        registered + timedelta(days=20), datetime.min.time(), tzinfo=timezone.get_current_timezone()
    )
    Newcomer.objects.filter(pk=rana.pk).update(consent_withdrawn_at=withdrew, status="inactive")
    Newcomer.objects.filter(pk=samir.pk).update(consent_given_at=None, consent_method="")

    everyone = selectors.waiting_by_group(programmes=[sprakvan], today=TODAY)["everyone"]

    assert everyone.durations == [(20, False)]


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
    assert "Vilka grupper väntar längst" in html and "Dari: fler än hälften väntar fortfarande" in html


def test_every_group_on_the_dashboard_links_to_exactly_its_newcomers_unknowns_too(client, alice, solvik, sprakvan):
    """A coordinator follows a group's row to the programme's newcomers narrowed to it: as many
    people as the row counts, for every group of every dimension, those whose language, gender,
    age or locality is unknown included."""
    pool(solvik, sprakvan, 12, languages=["prs"], waited=100, matched_after=None)
    pool(solvik, sprakvan, 5, languages=["ar"], waited=60, matched_after=10)
    unknown = Newcomer.objects.bulk_create(
        [
            factories.newcomer_unsaved(solvik, languages=[], gender="", birth_year=None, locality="", postcode=""),
            factories.newcomer_unsaved(
                solvik, languages=["ti", "sv"], gender="male", birth_year=2009, locality="Solna"
            ),
            factories.newcomer_unsaved(solvik, languages=["so"], birth_year=1950, target_group="asylsokande"),
            factories.newcomer_unsaved(solvik, locality="ekerö"),  # one area however it is written
        ]
    )
    sprakvan.newcomers.add(*unknown)
    client.force_login(alice)
    dashboard = client.get(reverse("programme_dashboard", args=[sprakvan.pk])).content.decode()
    people = reverse("programme_newcomers", args=[sprakvan.pk])

    found = selectors.waiting_by_group(programmes=[sprakvan])
    groups = [g for d in found["dimensions"] for g in d.groups]
    assert {"Kvinnor", "Män"} <= {g.label for g in groups}, "a group of people, not one person"
    ages = next(d for d in found["dimensions"] if d.title == "Efter ålder").groups
    assert [g.label for g in ages] == sorted(
        (g.label for g in ages[:-1]), key=lambda b: int(b.rstrip("+").split("–")[0])
    ) + ["Okänd"], "youngest first, the unknown last"
    areas = next(d for d in found["dimensions"] if d.title == "Efter område").groups
    assert [g.label for g in areas].count("Ekerö") == 1 and "ekerö" not in [g.label for g in areas]
    assert len(groups) >= 15 and all(g.query for g in groups)
    for group in groups:
        assert f'href="{people}?{escape(group.query)}"' in dashboard, group.label
        listed = client.get(f"{people}?{group.query}")
        assert listed.context["people"].paginator.count == group.newcomers, (group.label, group.query)
    assert {"first_language=unknown", "gender=unknown", "age=unknown", "locality=%E2%80%93"} <= {
        g.query for g in groups
    }


def test_the_group_pointed_out_is_one_link_away_from_who_they_are(client, alice, solvik, sprakvan):
    pool(solvik, sprakvan, 30, languages=["ar"], waited=60, matched_after=10)
    pool(solvik, sprakvan, 12, languages=["prs"], waited=100, matched_after=None)
    client.force_login(alice)
    html = client.get(reverse("programme_dashboard", args=[sprakvan.pk])).content.decode()
    link = reverse("programme_newcomers", args=[sprakvan.pk]) + "?first_language=prs"
    assert f'<a href="{link}">Se de 12 nyanlända: dari</a>' in html, "named apart from another group's link"
    listed = client.get(link).content.decode()
    assert "12 personer." in listed and '<option value="prs" selected>dari</option>' in listed
    assert '12 personer · filtrerat på <strong>Första språk:</strong> <span dir="auto">dari</span>.' in listed
    assert f'<a href="{link.split("?")[0]}">Rensa filtren</a>' in listed


# --- In the funder report -------------------------------------------------------------------

YEAR = {"fran": "2026-01-01", "till": "2026-12-31"}


def report_waiting(organisation, start=date(2026, 1, 1), end=date(2026, 12, 31)):
    from coordinator.selectors.waiting import report_waiting

    return report_waiting(programmes=list(organisation.programmes.all()), start=start, end=end)


def test_the_funder_report_points_out_the_period_newcomers_who_wait_much_longer_on_the_page_csv_xlsx_and_pdf(
    client, alice, solvik, sprakvan, monkeypatch
):
    import csv
    import io

    from openpyxl import load_workbook

    from tests.coordinator.test_export_and_report import pdf_words

    pool(solvik, sprakvan, 30, languages=["ar"], waited=60, matched_after=10)
    pool(solvik, sprakvan, 12, languages=["prs"], waited=100, matched_after=None)
    said = "Dari: fler än hälften väntar fortfarande på en matchning, medan hälften av alla har fått en efter 10 dagar."
    client.force_login(alice)

    html = client.get(reverse("funder_report", args=["solvik"]), YEAR).content.decode()
    assert said in html and "Vem väntar längst" in html
    text = client.get(reverse("funder_report_file", args=["solvik", "csv"]), YEAR).content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert (
        [said] in rows
        and ["arabiska", "100 %", "10 dagar"] in rows
        and ["dari", "0 %", "fler än hälften väntar"] in rows
    )
    book = load_workbook(io.BytesIO(client.get(reverse("funder_report_file", args=["solvik", "xlsx"]), YEAR).content))
    sheet = book["Väntetider"]
    assert ("dari", 0, "fler än hälften väntar") in list(sheet.iter_rows(values_only=True))
    arabic = next(row for row in sheet.iter_rows() if row[0].value == "arabiska")
    assert (arabic[1].value, arabic[1].number_format) == (1, "0 %"), "a share is a number, shown as a percentage"
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a: TODAY)
    assert "fler än hälften väntar" in pdf_words(client, monkeypatch, query=YEAR)


def test_the_report_shows_no_count_of_people_and_no_share_that_one_or_two_would_give_away(solvik, sprakvan):
    pool(solvik, sprakvan, 28, languages=["ar"], waited=60, matched_after=10)
    pool(solvik, sprakvan, 2, languages=["ar"], waited=60, matched_after=None)  # two of 30 unmatched
    pool(solvik, sprakvan, 4, languages=["ti"], waited=60, matched_after=None)
    pool(solvik, sprakvan, 7, languages=["so"], waited=60, matched_after=10)

    waiting = report_waiting(solvik)

    language = {title: groups for title, groups, _left_out in waiting["dimensions"]}["Efter första språk"]
    assert [(g.label, g.share) for g in language] == [("arabiska", "–"), ("Övriga grupper tillsammans", "64 %")]
    assert all(not hasattr(g, "newcomers") for g in language), "a group's size is never shown"


def test_a_match_made_after_the_period_counts_as_still_waiting_at_its_end(solvik, sprakvan):
    pool(solvik, sprakvan, 12, languages=["ar"], waited=100, matched_after=60)  # registered 23 Aug, matched 22 Oct

    summer = report_waiting(solvik, start=date(2026, 6, 1), end=date(2026, 9, 30))
    autumn = report_waiting(solvik, start=date(2026, 6, 1), end=date(2026, 12, 31))

    assert (summer["everyone"].share, summer["everyone"].median) == ("0 %", "fler än hälften väntar")
    assert autumn["everyone"].median == "60 dagar"


def test_a_period_with_fewer_than_ten_newcomers_registered_says_so(client, alice, solvik, sprakvan):
    pool(solvik, sprakvan, 4, languages=["ar"], waited=60, matched_after=10)
    client.force_login(alice)
    html = client.get(reverse("funder_report", args=["solvik"]), YEAR).content.decode()
    assert "Färre än 10 nyanlända registrerades under perioden, så väntetiderna redovisas inte." in html


def test_a_locality_written_as_a_formula_is_text_in_the_reports_waiting_rows(client, alice, solvik, sprakvan):
    import csv
    import io

    pool(solvik, sprakvan, 12, languages=["ar"], waited=60, matched_after=10)
    Newcomer.objects.update(locality='=HYPERLINK("http://evil.example","x")')
    client.force_login(alice)
    text = client.get(reverse("funder_report_file", args=["solvik", "csv"]), YEAR).content.decode("utf-8-sig")
    cells = [c for row in csv.reader(io.StringIO(text), delimiter=";") for c in row if "HYPERLINK" in c]
    assert cells and all(not c.startswith("=") for c in cells)
    html = client.get(reverse("funder_report", args=["solvik"]), YEAR).content.decode()
    assert "=HYPERLINK(&quot;http://evil.example&quot;" in html


def test_a_short_period_says_what_it_can_in_whole_sentences_and_names_the_groups_left_out(solvik, sprakvan):
    pool(solvik, sprakvan, 11, languages=["ar"], waited=20, matched_after=None)
    pool(solvik, sprakvan, 2, languages=["ti"], waited=20, matched_after=5)  # two matched: no share
    waiting = report_waiting(solvik)
    assert waiting["summary"] == (
        "13 nyanlända registrerades under perioden. Fler än hälften väntar fortfarande på sin första matchning."
    )
    language = {title: (groups, left_out) for title, groups, left_out in waiting["dimensions"]}["Efter första språk"]
    assert [g.label for g in language[0]] == ["arabiska"]
    assert language[1] == "Grupper med färre än 10 nyanlända, som tillsammans också är färre än 10, redovisas inte."
