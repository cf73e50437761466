"""The coordinator's dashboard: waiting, available, pending, due, ending — at a fixed cost."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from coordinator import services
from coordinator.models import MatchingRun, Newcomer, Volunteer
from tests import factories


def test_the_dashboard_shows_the_programmes_figures(client, alice, solvik, sprakvan):
    amal = factories.newcomer(solvik, [sprakvan])
    factories.newcomer(solvik, [sprakvan], first_name="Omar")
    karin = factories.volunteer(solvik, [sprakvan])
    factories.volunteer(solvik, [sprakvan], first_name="Maja")
    services.match_create(programme=sprakvan, newcomer=amal, volunteer=karin, by=alice)
    client.force_login(alice)
    response = client.get(reverse("programme_dashboard", args=[sprakvan.pk]))
    assert (response.context["waiting"], response.context["available"]) == (1, 1)
    assert {s["state"]: s["count"] for s in response.context["states"]}["approved"] == 1
    assert "Kör matchning" in response.content.decode()


@pytest.mark.parametrize("people", [10, 1000])
def test_the_dashboard_costs_the_same_queries_for_ten_or_a_thousand(
    client, alice, solvik, sprakvan, django_assert_num_queries, people
):
    newcomers = Newcomer.objects.bulk_create([factories.newcomer_unsaved(solvik) for _ in range(people // 2)])
    volunteers = Volunteer.objects.bulk_create([factories.volunteer_unsaved(solvik) for _ in range(people // 2)])
    sprakvan.newcomers.add(*newcomers)
    sprakvan.volunteers.add(*volunteers)
    for n, v in list(zip(newcomers, volunteers, strict=True))[:5]:
        services.match_create(programme=sprakvan, newcomer=n, volunteer=v, by=alice)
    client.force_login(alice)
    # session, user, memberships, programme; waiting dates, available, pending, matches by state,
    # follow-ups due, ending soon, latest run, the matches at risk, longest waiting; who waits
    # longest (one query); the audit rows of whom it names (one INSERT)
    with django_assert_num_queries(15):
        response = client.get(reverse("programme_dashboard", args=[sprakvan.pk]))
    assert response.context["waiting"] == people // 2 - 5


def test_every_day_of_waiting_belongs_to_one_band_and_each_bar_is_drawn_to_its_count(client, alice, solvik, sprakvan):
    from datetime import date, timedelta

    today = date(2026, 12, 1)
    for waited in [0, 30, 31, 90, 91, 180, 181, 400] + [10] * 30:
        factories.newcomer(solvik, [sprakvan], registered_on=today - timedelta(days=waited))
    client.force_login(alice)

    response = client.get(reverse("programme_dashboard", args=[sprakvan.pk]))

    bands = response.context["wait_bands"]
    assert [b["count"] for b in bands] == [32, 2, 2, 2]
    assert [b["percent"] for b in bands] == [100, 6, 6, 6]
    html = response.content.decode()
    assert "0–30 dagar" in html and "31–90 dagar" in html and "181 dagar eller mer" in html
    assert 'class="bar w100"' in html and 'class="bar w6"' in html


def test_before_a_run_the_coordinator_is_told_who_has_no_place_and_led_to_them(client, alice, solvik, sprakvan):
    factories.newcomer(solvik, [sprakvan], first_name="Amal")
    for name in ("Rana", "Yonas"):
        factories.newcomer(solvik, [sprakvan], first_name=name, postcode="", locality="", latitude=None, longitude=None)
    factories.volunteer(solvik, [sprakvan], first_name="Karin", postcode="", locality="", latitude=None, longitude=None)
    client.force_login(alice)

    html = client.get(reverse("programme_dashboard", args=[sprakvan.pk])).content.decode()
    listed = client.get(reverse("programme_newcomers", args=[sprakvan.pk]), {"place": "missing", "status": "waiting"})

    assert "2 väntande nyanlända saknar postnummer och ort" in html
    assert "1 volontär som kan ta fler saknar postnummer och ort" in html
    assert "gränsen på 25 km gäller bara när båda har en känd plats" in html
    assert [str(p) for p in listed.context["people"].object_list] == ["Rana Haddad", "Yonas Haddad"]
    # The list says what it is narrowed to in the warning's words, not as the locality filter's "-".
    assert '<strong>Plats för avståndet:</strong> <span dir="auto">Saknas</span>' in listed.content.decode()


def test_without_a_distance_limit_a_missing_place_is_no_warning(client, alice, solvik, sprakvan):
    sprakvan.max_distance_km = None
    sprakvan.save()
    factories.newcomer(solvik, [sprakvan], postcode="", locality="", latitude=None, longitude=None)
    client.force_login(alice)
    html = client.get(reverse("programme_dashboard", args=[sprakvan.pk])).content.decode()
    assert "saknar postnummer och ort" not in html


@pytest.fixture
def quiet_match(solvik, sprakvan, alice):
    from datetime import timedelta

    from django.utils import timezone

    amal, karin = factories.newcomer(solvik, [sprakvan], first_name="Amal"), factories.volunteer(solvik, [sprakvan])
    return services.match_create(
        programme=sprakvan,
        newcomer=amal,
        volunteer=karin,
        by=alice,
        started_on=timezone.localdate() - timedelta(days=40),
    )


def test_a_match_going_quiet_is_on_the_at_risk_list_and_leaves_it_when_a_meeting_is_logged(
    client, alice, sprakvan, quiet_match
):
    from django.utils import timezone

    client.force_login(alice)
    url = reverse("programme_dashboard", args=[sprakvan.pk])

    html = client.get(url).content.decode()

    # Full names: three Yusufs in three matches are three people to call.
    assert f"{quiet_match.newcomer} &amp; {quiet_match.volunteer}</a>" in html
    assert "Ingen träff antecknad sedan starten för 5 veckor sedan." in html
    assert "Ring volontären och fråga hur det går" in html
    assert "Uppföljningen" in html and "är inte gjord." in html  # two weeks in, not done

    services.meeting_log(match=quiet_match, by=alice, source="coordinator")
    for f in quiet_match.follow_ups.filter(done_on__isnull=True, due_on__lt=timezone.localdate()):
        services.follow_up_record(follow_up=f, by=alice, outcome="going_well")

    html = client.get(url).content.decode()
    assert "Ingen träff antecknad" not in html and "är inte gjord" not in html
    assert "Inget att oroa sig för" in html


def test_low_or_falling_answers_a_concern_and_a_near_end_each_say_why_and_what_to_do(alice, sprakvan, quiet_match):
    from datetime import timedelta

    from django.utils import timezone

    from coordinator.models import Match
    from coordinator.selectors.risk import matches_at_risk

    today = timezone.localdate()
    services.meeting_log(match=quiet_match, by=alice, source="coordinator")
    first, second = quiet_match.follow_ups.order_by("due_on")[:2]
    services.follow_up_record(
        follow_up=first, by=alice, outcome="going_well", on=today - timedelta(days=20),
        volunteer_answers=[5, 5, 5, 5, 4], newcomer_answers=[4, 4, 4, 4, 4],
    )  # fmt: skip
    services.follow_up_record(
        follow_up=second, by=alice, outcome="needs_support", on=today, concern="Svårt att hitta tider.",
        volunteer_answers=[4, 3, 3, 4, 3], newcomer_answers=[2, 2, 3, 2, 3],
    )  # fmt: skip
    Match.objects.filter(pk=quiet_match.pk).update(planned_end_on=today + timedelta(days=10))

    (entry,) = matches_at_risk(programmes=[sprakvan], today=today)

    assert [r.code for r in entry.reasons] == ["concern", "falling", "low", "ending"]
    why = [r.why for r in entry.reasons]
    assert "Volontären svarar sämre om relationen: 4,8 av 5 förra gången, 3,4 nu." in why
    assert "Den nyanlände svarade 2,4 av 5 om relationen." in why
    assert all(r.next_step for r in entry.reasons)


@pytest.mark.parametrize("matches", [10, 1000])
def test_the_at_risk_list_costs_one_query_for_ten_or_a_thousand_matches(
    solvik, sprakvan, django_assert_num_queries, matches
):
    from datetime import date, timedelta

    from coordinator.models import Match
    from coordinator.selectors.risk import matches_at_risk

    newcomers = Newcomer.objects.bulk_create([factories.newcomer_unsaved(solvik) for _ in range(matches)])
    volunteers = Volunteer.objects.bulk_create([factories.volunteer_unsaved(solvik) for _ in range(matches)])
    start = date(2026, 10, 1)
    Match.objects.bulk_create(
        [
            Match(programme=sprakvan, newcomer=n, volunteer=v, started_on=start, trial_ends_on=start + timedelta(30),
                  planned_end_on=start + timedelta(180), state="active")
            for n, v in zip(newcomers, volunteers, strict=True)
        ]
    )  # fmt: skip
    with django_assert_num_queries(1):
        found = matches_at_risk(programmes=[sprakvan], today=date(2026, 12, 1))
    assert len(found) == matches


@pytest.mark.parametrize(
    ("language", "step", "done"),
    [
        ("sv", "Steg {step} av {steps}: {what} …", "Klar: {matched} av {newcomers} nyanlända fick ett förslag."),
        ("en", "Step {step} of {steps}: {what} …", "Done: {matched} of {newcomers} newcomers got a proposal."),
    ],
)
def test_what_the_run_panel_says_as_a_run_goes_on_comes_from_the_projects_translations(
    client, alice, sprakvan, language, step, done
):
    """run-status.js reads its words from the page, as JSON, in the page's language."""
    import json
    import re

    client.force_login(alice)
    html = client.get(reverse("programme_dashboard", args=[sprakvan.pk]), HTTP_ACCEPT_LANGUAGE=language).content
    found = re.search(rb'<script type="application/json" id="run-words">(.*?)</script>', html, re.S)
    assert found is not None
    words = json.loads(found.group(1))
    assert (words["step"], words["done"]) == (step, done)
    assert set(MatchingRun.PHASES) <= set(words)
    assert set(words) == {
        "queued",
        "reading",
        "encode",
        "pairs",
        "solve",
        "explain",
        "writing",
        "step",
        "time",
        "done",
        "failed",
    }


def test_every_part_of_the_long_dashboard_is_one_tap_from_its_top_and_each_link_lands_on_a_heading(
    client, alice, solvik, sprakvan
):
    """On a phone the page is many screens long: "På den här sidan" links to each part shown."""
    import re

    for _ in range(3):
        factories.newcomer(solvik, [sprakvan])
    client.force_login(alice)

    html = client.get(reverse("programme_dashboard", args=[sprakvan.pk])).content.decode()

    contents = html.split('class="page-contents"')[1].split("</nav>")[0]
    targets = re.findall(r'href="#([\w-]+)">([^<]+)</a>', contents)
    assert [name for _id, name in targets][:5] == [
        "Matchning", "Att hålla ögonen på", "Uppföljningar att göra",
        "De som har väntat längst", "Vilka grupper väntar längst",
    ]  # fmt: skip
    for target, name in targets:
        assert re.search(rf'<h2 id="{target}">{re.escape(name)}', html), target
    assert "#what-if-heading" not in contents, "no link to a part the page does not show"


def test_the_waiting_figure_says_it_counts_the_wait_so_far_not_the_time_to_a_match(client, alice, solvik, sprakvan):
    """A median of those still waiting, beside a group's time to a first match further down, read as
    comparable when it said only "median 30 dagar"."""
    today = timezone.localdate()
    for days in (10, 30, 50):
        factories.newcomer(solvik, [sprakvan], registered_on=today - timedelta(days=days))
    client.force_login(alice)

    html = client.get(reverse("programme_dashboard", args=[sprakvan.pk])).content.decode()

    figures = html.split('id="key-figures"')[1].split("</ul>")[0]
    assert "har hittills väntat 30 dagar (median)" in figures


def test_someone_moved_to_another_programme_since_the_run_is_not_named_among_those_it_left_unmatched(
    client, alice, solvik, sprakvan
):
    """Her page in this programme would be missing: the dashboard names only those still in it."""
    amal = factories.newcomer(solvik, [sprakvan], first_name="Amal")
    rana = factories.newcomer(solvik, [sprakvan], first_name="Rana")
    MatchingRun.objects.create(
        programme=sprakvan, status="done", unmatched=[[amal.pk, "no_language"], [rana.pk, "no_language"]]
    )
    guide = factories.programme(solvik, kind="flyktingguide", name="Flyktingguide Solvik")
    rana.programmes.set([guide])
    client.force_login(alice)

    response = client.get(reverse("programme_dashboard", args=[sprakvan.pk]))

    assert [u["newcomer"].first_name for u in response.context["unmatched"]] == ["Amal"]
    assert reverse("programme_newcomer", args=[sprakvan.pk, rana.pk]) not in response.content.decode()
