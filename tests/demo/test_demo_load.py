from datetime import date

from allauth.mfa.models import Authenticator
from django.contrib.auth import authenticate
from django.test import RequestFactory

from accounts.models import Membership, Organisation
from coordinator.models import Match, Newcomer, Programme, Volunteer
from demo.load import DEMO_PASSWORD, demo_load


def counts():
    return (
        Organisation.objects.count(),
        Programme.objects.count(),
        Volunteer.objects.count(),
        Newcomer.objects.count(),
        Match.objects.count(),
        Membership.objects.count(),
    )


def test_the_demo_has_two_organisations_all_programme_kinds_and_hundreds_of_people(db):
    demo_load(today=date(2026, 11, 22))
    assert Organisation.objects.count() == 2
    assert set(Programme.objects.values_list("kind", flat=True)) == {"sprakvan", "flyktingguide", "vanfamilj"}
    assert Volunteer.objects.count() >= 200 and Newcomer.objects.count() >= 200
    spoken = {code for langs in Newcomer.objects.values_list("languages", flat=True) for code in langs}
    assert {"ar", "prs", "ti", "so", "uk"} <= spoken
    assert Newcomer.objects.exclude(latitude=None).count() == Newcomer.objects.count()


def test_loading_the_demo_twice_changes_nothing(db):
    demo_load(today=date(2026, 11, 22))
    first = counts()
    demo_load(today=date(2026, 11, 22))
    assert counts() == first


def test_every_demo_login_works(db):
    logins = demo_load(today=date(2026, 11, 22))
    assert {login.role for login in logins} >= {"coordinator", "social worker", "volunteer"}
    for login in logins:
        request = RequestFactory().post("/konto/login/")
        assert authenticate(request, username=login.email, password=DEMO_PASSWORD) is not None, login.email


def test_with_the_demo_code_the_demo_staff_have_an_authenticator_app_and_others_do_not(db, settings):
    settings.VANMATCH_DEMO_TOTP_CODE = "246810"
    demo_load(today=date(2026, 11, 22))
    with_app = set(Authenticator.objects.filter(type="totp").values_list("user__email", flat=True))
    assert with_app == {"admin@vanmatch.demo", "samordnare@ekero.demo", "samordnare@rodakorset.demo"}


def test_without_the_demo_code_the_demo_staff_set_up_their_own_app(db):
    demo_load(today=date(2026, 11, 22))
    assert not Authenticator.objects.exists()


def test_demo_matches_respect_capacity(db):
    demo_load(today=date(2026, 11, 22))
    for v in Volunteer.objects.all():
        assert v.open_matches == v.matches.exclude(state="ended").count() <= v.capacity


def test_a_demo_persons_first_name_goes_with_her_gender(db):
    """A coordinator who reads "Erik" beside "kvinna" stops trusting the demo."""
    from demo.load import NEWCOMER_NAMES, VOLUNTEER_FIRST

    demo_load(today=date(2026, 11, 22))
    names = {gender: set(VOLUNTEER_FIRST[gender]) for gender in ("female", "male")}
    for firsts, _lasts in NEWCOMER_NAMES.values():
        for gender in ("female", "male"):
            names[gender] |= set(firsts[gender])
    people = [*Volunteer.objects.all(), *Newcomer.objects.all()]
    mismatched = [
        f"{p.first_name} ({p.gender})" for p in people if p.gender in names and p.first_name not in names[p.gender]
    ]
    assert mismatched == []
    assert {p.gender for p in people} >= {"female", "male"}


def test_the_demo_loads_again_over_an_earlier_version_of_itself_whose_volunteers_had_more_matches(db):
    """`scripts/run.sh` loads the demo at every start, over the data of the version that ran
    before: its matches stay, and a volunteer keeps the places they take."""
    demo_load(today=date(2026, 11, 22))
    volunteer = Volunteer.objects.filter(capacity=1, open_matches=1).first()
    # An earlier version gave her three places and three matches, and put a matched newcomer
    # in every programme of her organisation.
    Volunteer.objects.filter(pk=volunteer.pk).update(capacity=3, open_matches=3)
    newcomer = Match.objects.exclude(state="ended").first().newcomer
    everywhere = list(Programme.objects.filter(organisation=newcomer.organisation))
    newcomer.programmes.set(everywhere)

    demo_load(today=date(2026, 11, 22))

    volunteer.refresh_from_db()
    assert (volunteer.capacity, volunteer.open_matches) == (3, 3)
    assert set(newcomer.programmes.all()) == set(everywhere)


def test_a_demo_volunteer_applied_before_her_extract_was_checked_and_before_her_first_match(db):
    demo_load(today=date(2026, 11, 22))
    for v in Volunteer.objects.exclude(background_check_date=None):
        assert v.created_at.date() < v.background_check_date, v
    for m in Match.objects.select_related("volunteer"):
        assert m.volunteer.created_at.date() <= m.started_on, m
