"""Every page and action, for every persona: the right person gets in and gets what it is for
(the page, or the action done and the page it sends her on to), the wrong one gets 403 or 404,
sees nothing of the record and changes nothing. A page added without a line here makes the first
test fail."""

import copy
from collections.abc import Callable
from datetime import date

import pytest
from django.core.exceptions import ObjectDoesNotExist
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from accounts import services as account_services
from accounts.models import Invitation, Membership, Organisation
from coordinator import services
from coordinator.models import (
    ApplicationDraft,
    ExportFile,
    FollowUp,
    ImportBatch,
    Match,
    MatchingRun,
    Meeting,
    Newcomer,
    PairLock,
    Proposal,
    RunDocuments,
    Survey,
    Volunteer,
)
from coordinator.services import surveys
from tests import factories
from tests.conftest import build_personas, recently_authenticated, shared_world

PERSONAS = ["anonymous", "olle", "vera", "sam", "alice", "bob", "ada"]
STAFF = {"alice", "ada"}  # Solvik's coordinator and admin
LOGGED_IN = set(PERSONAS) - {"anonymous"}
PUBLIC = set(PERSONAS)

# name: (method, arguments, who gets in, what the others get, text the others must not see)
PAGES = {
    "home": ("get", [], PUBLIC, None, None),
    "health": ("get", [], PUBLIC, None, None),
    "favicon": ("get", [], PUBLIC, None, None),
    "account_email_verification_sent": ("get", [], PUBLIC, None, None),
    "privacy_notice": ("get", [], PUBLIC, None, None),
    "privacy_notice_version": ("get", ["2026-11-01"], PUBLIC, None, None),
    "newcomer_privacy_notice": ("get", [], PUBLIC, None, None),
    "newcomer_privacy_notice_version": ("get", ["2026-12-01"], PUBLIC, None, None),
    "volunteer_start": ("get", [], PUBLIC, None, None),
    # After signing up, before confirming: they act on the sign-up waiting in the session, if any.
    "account_verification_resend": ("post", [], PUBLIC, None, None),
    "account_signup_restart": ("post", [], PUBLIC, None, None),
    "volunteer_apply": ("get", [], LOGGED_IN, "login", None),
    "volunteer_apply_step": ("get", ["om-dig"], LOGGED_IN, "login", None),
    # Someone who is already a volunteer has no application to save.
    "volunteer_apply_keep": ("post", ["om-dig"], LOGGED_IN - {"vera"}, 404, None),
    "my_volunteering": ("get", [], LOGGED_IN, "login", None),
    "my_volunteering_edit": ("get", ["tider"], {"vera"}, 404, "Vera"),
    "my_volunteering_pause": ("post", [], {"vera"}, 404, "Vera"),
    # Only the volunteer in the match logs its meetings; Solvik's coordinators do it on the match page.
    "my_meeting_log": ("post", ["vera_match"], {"vera"}, 404, "Sara"),
    "my_volunteering_withdraw": ("get", [], {"vera"}, 404, "Vera"),
    "volunteer_list": ("get", [], STAFF | {"bob"}, 403, "Karin"),
    "volunteer_detail": ("get", ["karin"], STAFF, 404, "Karin"),
    "volunteer_screen": ("post", ["karin"], STAFF, 404, "Karin"),
    "volunteer_background_check": ("post", ["karin"], STAFF, 404, "Karin"),
    "newcomer_list": ("get", [], {"sam"}, 403, "Amal"),
    "newcomer_register": ("get", [], {"sam"}, 403, None),
    "newcomer_detail": ("get", ["amal"], {"sam"}, 404, "Amal"),
    "newcomer_edit": ("get", ["amal"], {"sam"}, 404, "Amal"),
    "newcomer_withdraw_consent": ("post", ["amal"], {"sam"}, 404, "Amal"),
    "newcomer_survey_record": ("post", ["sara", "sara_survey"], {"sam"}, 404, "Sara"),
    # The participants' pages: her signed link is the key, whoever holds it; the SMS webhook is the
    # provider's, and without its signature everyone gets 403 (tests/coordinator/test_participants_voice.py).
    "survey_answer": ("get", ["survey_token"], PUBLIC, None, None),
    "sms_webhook": ("post", [], set(), "provider", None),
    "organisation_list": ("get", [], {"ada"}, 403, None),
    "organisation_detail": ("get", ["solvik"], {"ada"}, 404, "alice@solvik.se"),
    "invitation_create": ("post", ["solvik"], {"ada"}, 404, None),
    "invitation_revoke": ("post", ["solvik", "invitation"], {"ada"}, 404, "nina@solvik.se"),
    "invitation_resend": ("post", ["solvik", "invitation"], {"ada"}, 404, "nina@solvik.se"),
    "organisation_contact": ("post", ["solvik"], {"ada"}, 404, None),
    "membership_remove": ("post", ["solvik", "alice_membership"], {"ada"}, 404, "alice@solvik.se"),
    "programme_create": ("get", ["solvik"], {"ada"}, 404, None),
    "programme_edit": ("get", ["solvik", "sprakvan"], {"ada"}, 404, "Språkvän Solvik"),
    "invitation_accept": ("get", ["token"], PUBLIC, None, None),
    "programme_dashboard": ("get", ["sprakvan"], STAFF, 404, "Språkvän Solvik"),
    "run_start": ("post", ["sprakvan"], STAFF, 404, None),
    "run_status": ("get", ["sprakvan", "run"], STAFF, 404, "matched"),
    "run_download": ("get", ["sprakvan", "run", "problem"], STAFF, 404, "vanmatch.problem"),
    "proposal_queue": ("get", ["sprakvan"], STAFF, 404, "Amal"),
    "proposal_approve": ("post", ["sprakvan", "proposal"], STAFF, 404, "Amal"),
    "proposal_decline": ("post", ["sprakvan", "proposal"], STAFF, 404, "Amal"),
    "pair_by_hand": ("get", ["sprakvan"], STAFF, 404, "Amal"),
    "lock_decide": ("post", ["sprakvan", "lock"], STAFF, 404, "Maja"),
    "match_list": ("get", ["sprakvan"], STAFF, 404, "Nour"),
    "programme_outcomes": ("get", ["sprakvan"], STAFF, 404, "Språkvän"),
    "programme_newcomers": ("get", ["sprakvan"], STAFF, 404, "Amal"),
    "programme_volunteers": ("get", ["sprakvan"], STAFF, 404, "Karin"),
    "programme_newcomer": ("get", ["sprakvan", "amal"], STAFF, 404, "Amal"),
    "match_detail": ("get", ["match"], STAFF, 404, "Nour"),
    "match_intro": ("post", ["match"], STAFF, 404, "Nour"),
    "match_activate": ("post", ["match"], STAFF, 404, "Nour"),
    "follow_up_record": ("post", ["match", "follow_up"], STAFF, 404, "Nour"),
    "match_extend": ("post", ["match"], STAFF, 404, "Nour"),
    "match_end": ("post", ["match"], STAFF, 404, "Nour"),
    "import_upload": ("get", ["solvik"], STAFF, 404, None),
    "audit_search": ("get", [], STAFF | {"bob"}, 403, None),
    "newcomer_erase": ("post", ["amal"], {"sam"}, 404, "Amal"),
    "newcomer_data": ("get", ["amal", "json"], {"sam"}, 404, "Amal"),
    "my_data": ("get", ["json"], {"vera"}, 403, None),
    "newcomer_access_report": ("get", ["amal"], {"sam"}, 404, "Amal"),
    "my_access_report": ("get", [], {"vera"}, 403, None),
    "api_tokens": ("get", [], LOGGED_IN, "login", None),
    "download_ready": (
        "get",
        [],
        LOGGED_IN,
        "login",
        None,
    ),  # a page that starts a download of hers  # each sees her own tokens only
    "data_home": ("get", [], STAFF | {"bob"}, 403, "Solvik"),
    "export": ("get", ["solvik", "newcomers", "csv"], STAFF, 404, "Amal"),
    "funder_report": ("get", ["solvik"], STAFF, 404, None),
    "organisation_outcomes": ("get", ["solvik"], STAFF, 404, "Språkvän Solvik"),
    "funder_report_file": ("get", ["solvik", "xlsx"], STAFF, 404, None),
    "export_pool": ("get", ["sprakvan"], STAFF, 404, "vanmatch.problem"),
    "import_preview": ("get", ["solvik", "batch"], STAFF, 404, "lista.csv"),
    "import_confirm": ("post", ["solvik", "batch"], STAFF, 404, None),
    "import_status": ("get", ["solvik", "batch"], STAFF, 404, None),
    "import_template": ("get", ["solvik", "volunteers", "csv"], STAFF, 404, None),
    "export_files": ("post", ["solvik"], STAFF, 404, None),
    # Alice's file is hers: Solvik's admin gets what a missing file would give.
    "export_file_status": ("get", ["solvik", "export_file"], {"alice"}, 404, None),
    "export_file_download": ("get", ["solvik", "export_file"], {"alice"}, 404, "Amal"),
}


def our_url_names(patterns=None, namespace_free=True) -> set[str]:
    names = set()
    for p in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(p, URLResolver):
            module = getattr(p.urlconf_module, "__name__", "")
            if module.startswith(("allauth", "django")) or p.namespace in ("admin", "api"):
                continue  # the API has its own table, in tests/api/test_api.py
            names |= our_url_names(p.url_patterns)
        elif isinstance(p, URLPattern) and p.name and not p.name.startswith("api-"):
            names.add(p.name)
    return names


def test_every_page_is_in_the_table():
    assert our_url_names() == set(PAGES)


def build_world() -> dict:
    """The personas and one of every record the pages show, in Solvik."""
    p = build_personas()
    solvik, sprakvan, alice, sam, ada = p["solvik"], p["sprakvan"], p["alice"], p["sam"], p["ada"]
    karin = factories.volunteer(solvik, [sprakvan], status="applied", first_name="Karin")
    amal = factories.newcomer(solvik, [sprakvan], registered_by=sam, first_name="Amal")
    invitation, token = account_services.invitation_create(
        organisation=solvik, by=ada, email="nina@solvik.se", role="coordinator"
    )
    run = MatchingRun.objects.create(programme=sprakvan, status="done")
    RunDocuments.objects.create(
        run=run,
        problem={"format": "vanmatch.problem/1", "newcomers": [{"id": f"n{amal.pk}"}], "volunteers": []},
        solution={"matches": []},
    )
    proposal = factories.proposal(sprakvan, amal, factories.volunteer(solvik, [sprakvan], first_name="Omar"), run=run)
    lock = PairLock.objects.create(
        programme=sprakvan,
        newcomer=factories.newcomer(solvik, [sprakvan], first_name="Lina"),
        volunteer=factories.volunteer(solvik, [sprakvan], first_name="Maja"),
    )
    nour = factories.newcomer(solvik, [sprakvan], first_name="Nour")
    match = services.match_create(
        programme=sprakvan, newcomer=nour, volunteer=factories.volunteer(solvik, [sprakvan]), by=alice
    )
    batch = ImportBatch.objects.create(organisation=solvik, kind="volunteers", filename="lista.csv", created_by=alice)
    sara = factories.newcomer(solvik, [sprakvan], first_name="Sara", registered_by=sam)
    vera_match = services.match_create(
        programme=sprakvan, newcomer=sara, volunteer=Volunteer.objects.get(user=p["vera"]), by=alice
    )
    sara_survey = services.survey_ask(match=vera_match, kind="met", side="newcomer")
    week_4 = services.survey_ask(match=vera_match, kind="week_4", side="newcomer")
    export_file = services.export_request(organisation=solvik, what="newcomers", by=alice)
    services.export_build(export_id=export_file.pk)  # as the worker does
    return {
        "export_file": export_file.pk,
        "vera_match": vera_match.pk,
        "sara": sara.pk,
        "sara_survey": sara_survey.pk,
        "survey_token": surveys.link(week_4).rstrip("/").rsplit("/", 1)[1],
        "batch": batch.pk,
        "run": run.pk,
        "proposal": proposal.pk,
        "lock": lock.pk,
        "match": match.pk,
        "follow_up": match.follow_ups.first().pk,
        "karin": karin.pk,
        "amal": amal.pk,
        "solvik": solvik.slug,
        "sprakvan": sprakvan.pk,
        "invitation": invitation.pk,
        "invitation_hash": invitation.token_hash,
        "alice_membership": alice.memberships.get().pk,
        "token": token,
        "personas": {name: p[name] for name in ("olle", "vera", "sam", "alice", "bob", "ada")},
    }


@pytest.fixture(scope="module")
def shared(django_db_setup, django_db_blocker):
    """The world, built once for this module (every page for every persona); each test's changes
    are rolled back."""
    with shared_world(django_db_blocker, build_world) as data:
        yield data


@pytest.fixture
def world(db, shared):
    return copy.deepcopy(shared)  # the records' Python objects too are each test's own


def page(name: str, *args: str, anchor: str = "") -> Callable[[dict], str]:
    return lambda w: reverse(name, args=[w.get(a, a) for a in args]) + anchor


def the_new_match(of: str) -> Callable[[dict], str]:
    return lambda w: reverse("match_detail", args=[Match.objects.get(newcomer__first_name=of).pk])


# What the people who get in get: the page itself (200), or the page an action sends them on to
# (a 302 there), with what the action changed. Actions are sent with the body given here (the
# door for the others: they are sent none). `arrives` may differ by persona ("*": the others).
# name: (body, arrives, changed)
ARRIVALS = {
    # No sign-up waiting in the session: asked to log in (which sends a link if it is unconfirmed).
    "account_verification_resend": ({}, page("account_login"), None),
    "account_signup_restart": ({}, page("account_signup"), None),
    "volunteer_apply": (None, {"vera": page("my_volunteering"), "*": page("volunteer_apply_step", "om-dig")}, None),
    "volunteer_apply_step": (None, {"vera": page("my_volunteering"), "*": 200}, None),
    "volunteer_apply_keep": (
        {"first_name": "Hanna"},
        page("volunteer_start"),
        lambda w, user: ApplicationDraft.objects.get(user=user).current == {"first_name": ["Hanna"]},
    ),
    "volunteer_start": (None, {"vera": page("my_volunteering"), "*": 200}, None),
    "my_volunteering": (None, {"vera": 200, "*": page("volunteer_start")}, None),
    "my_volunteering_pause": (
        {},
        page("my_volunteering"),
        lambda w, user: Volunteer.objects.get(user=user).status == "paused",
    ),
    "volunteer_screen": (
        {"to_status": "interviewed"},
        page("volunteer_detail", "karin"),
        lambda w, user: Volunteer.objects.get(pk=w["karin"]).status == "interviewed",
    ),
    "volunteer_background_check": (
        {"seen_on": "2026-11-01", "expires_on": "2027-11-01"},
        page("volunteer_detail", "karin"),
        lambda w, user: Volunteer.objects.get(pk=w["karin"]).background_check_expires == date(2027, 11, 1),
    ),
    "newcomer_withdraw_consent": (
        {"confirm": "on"},
        page("newcomer_detail", "amal"),
        lambda w, user: not Newcomer.objects.get(pk=w["amal"]).has_consent,
    ),
    "organisation_list": (None, page("organisation_detail", "solvik"), None),
    "invitation_create": (
        {"email": "maria@solvik.se", "role": "social_worker", "unit": "Etablering"},
        page("organisation_detail", "solvik"),
        lambda w, user: Invitation.objects.filter(email="maria@solvik.se", revoked_at=None).exists(),
    ),
    "invitation_revoke": (
        {},
        page("organisation_detail", "solvik"),
        lambda w, user: Invitation.objects.get(pk=w["invitation"]).revoked_at is not None,
    ),
    "invitation_resend": (
        {},
        page("organisation_detail", "solvik"),
        lambda w, user: Invitation.objects.get(pk=w["invitation"]).token_hash != w["invitation_hash"],
    ),
    "organisation_contact": (
        {"area": "Solvik", "contact_name": "Karin Lund", "contact_phone": "070-174 06 05", "contact_email": ""},
        page("organisation_detail", "solvik"),
        lambda w, user: Organisation.objects.get(slug="solvik").contact_name == "Karin Lund",
    ),
    "membership_remove": (
        {},
        page("organisation_detail", "solvik"),
        lambda w, user: not Membership.objects.filter(pk=w["alice_membership"]).exists(),
    ),
    "run_start": (
        {},
        page("programme_dashboard", "sprakvan", anchor="#run"),
        lambda w, user: MatchingRun.objects.filter(status="queued", requested_by=user).exists(),
    ),
    "proposal_approve": (
        {},
        page("proposal_queue", "sprakvan", anchor="#queue"),
        lambda w, user: Proposal.objects.get(pk=w["proposal"]).state == "approved",
    ),
    "proposal_decline": (
        {"reason": "Bor för långt bort"},
        page("proposal_queue", "sprakvan", anchor="#queue"),
        lambda w, user: Proposal.objects.get(pk=w["proposal"]).state == "declined",
    ),
    "lock_decide": ({"approve": "1"}, the_new_match("Lina"), lambda w, user: not PairLock.objects.exists()),
    "match_intro": (
        {"at": "2030-01-07T17:30", "place": "Biblioteket"},
        page("match_detail", "match"),
        lambda w, user: Match.objects.get(pk=w["match"]).intro_place == "Biblioteket",
    ),
    "match_activate": (
        {},
        page("match_detail", "match"),
        lambda w, user: Match.objects.get(pk=w["match"]).state == "active",
    ),
    "follow_up_record": (
        lambda w: {f"f{w['follow_up']}-outcome": "going_well", f"f{w['follow_up']}-done_on": "2026-11-02"},
        page("match_detail", "match"),
        lambda w, user: FollowUp.objects.get(pk=w["follow_up"]).done_on == date(2026, 11, 2),
    ),
    "match_extend": (
        {"months": "2"},
        page("match_detail", "match"),
        lambda w, user: Match.objects.get(pk=w["match"]).extended_times == 1,
    ),
    "match_end": (
        {"reason": "moved", "wanted_by": "newcomer", "confirm": "on"},
        page("match_detail", "match"),
        lambda w, user: Match.objects.get(pk=w["match"]).state == "ended",
    ),
    "newcomer_erase": (
        {"confirm": "on"},
        page("newcomer_list"),
        lambda w, user: Newcomer.objects.get(pk=w["amal"]).first_name == "Raderad",
    ),
    "download_ready": (None, page("home"), None),  # no file named: the start page
    "my_meeting_log": (
        {},  # one tap: today, about an hour
        lambda w: reverse("my_volunteering") + f"#match-{w['vera_match']}",
        lambda w, user: Meeting.objects.filter(match_id=w["vera_match"], source="volunteer").exists(),
    ),
    "export_files": (
        {"what": "matches"},
        page("export_files", "solvik"),
        # Asked for; the worker writes it (tests/coordinator/test_export_files.py).
        lambda w, user: ExportFile.objects.filter(requested_by=user, what="matches").exists(),
    ),
    "newcomer_survey_record": (
        {"a1": "1"},
        page("newcomer_detail", "sara"),
        lambda w, user: Survey.objects.get(pk=w["sara_survey"]).answers == [1],
    ),
    "sms_webhook": ({"From": "+46701234567", "Body": "1"}, 200, None),
    "import_confirm": (
        {},
        page("import_preview", "solvik", "batch"),
        # The go-ahead is given; the worker writes the rows (tests/coordinator/test_import.py).
        lambda w, user: ImportBatch.objects.get(pk=w["batch"]).status == ImportBatch.Status.APPLYING,
    ),
}


def test_every_action_says_what_its_people_get():
    posts = {name for name, (method, *_rest) in PAGES.items() if method == "post"}
    assert posts <= set(ARRIVALS) <= set(PAGES)


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("name", sorted(PAGES))
def test_only_the_right_people_get_in(client, world, name, persona):
    method, args, allowed, refused, secret = PAGES[name]
    url = reverse(name, args=[world.get(a, a) for a in args])
    user = world["personas"].get(persona)
    body, arrives, changed = ARRIVALS.get(name, (None, 200, None))
    body = body(world) if callable(body) else body
    if persona in allowed:
        if user is not None:
            recently_authenticated(client, user)  # exports and erasure ask for the password again
        response = client.get(url) if method == "get" else client.post(url, body)
        arrives = arrives.get(persona, arrives.get("*")) if isinstance(arrives, dict) else arrives
        if arrives == 200:
            assert response.status_code == 200, (name, persona, response.status_code, response.get("Location"))
        else:
            assert (response.status_code, response.get("Location")) == (302, arrives(world)), (name, persona)
        if changed is not None:
            assert changed(world, user), f"{name} as {persona} answered {response.status_code} but changed nothing"
        return
    if user is not None:
        client.force_login(user)
    response = client.get(url) if method == "get" else client.post(url, body)  # the same request
    if refused == "provider":
        assert response.status_code == 403, (name, persona, response.status_code)
    elif refused == "login" or persona == "anonymous":
        # Someone not logged in is asked to log in, and sees nothing else.
        assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))
    else:
        assert response.status_code == refused, (name, persona, response.status_code)
    if secret:
        assert secret not in response.content.decode()
    if changed is not None and user is not None:
        assert not did_change(changed, world, user), f"{name} as {persona} was refused but changed something"


def did_change(changed, world, user) -> bool:
    try:
        return bool(changed(world, user))
    except ObjectDoesNotExist:  # her draft, her volunteer record: she has none
        return False


@pytest.mark.parametrize("persona", ["alice", "sam", "vera", "ada"])
def test_the_django_admin_is_for_the_platforms_operators_only(client, world, persona):
    user = world["personas"][persona]
    user.is_staff = True  # even if someone ticks the box by mistake
    user.save()
    client.force_login(user)
    response = client.get("/admin/coordinator/volunteer/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_an_operator_uses_the_django_admin(client, world):
    operator = factories.user("ops@vanmatch.se", is_staff=True, is_superuser=True)
    client.force_login(operator)
    assert client.get("/admin/coordinator/volunteer/").status_code == 200
