"""Every page and action, for every persona: the right person gets in, the wrong one gets 403 or
404 and sees nothing of the record. A page added without a line here makes the first test fail."""

import copy

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from accounts import services as account_services
from coordinator import services
from coordinator.models import ImportBatch, MatchingRun, PairLock, RunDocuments
from tests import factories
from tests.conftest import build_personas, shared_world

PERSONAS = ["anonymous", "olle", "vera", "sam", "alice", "bob", "ada"]
STAFF = {"alice", "ada"}  # Solvik's coordinator and admin
LOGGED_IN = set(PERSONAS) - {"anonymous"}
PUBLIC = set(PERSONAS)

# name: (method, arguments, who gets in, what the others get, text the others must not see)
PAGES = {
    "home": ("get", [], PUBLIC, None, None),
    "health": ("get", [], PUBLIC, None, None),
    "favicon": ("get", [], PUBLIC, None, None),
    "privacy_notice": ("get", [], PUBLIC, None, None),
    "privacy_notice_version": ("get", ["2026-11-01"], PUBLIC, None, None),
    "volunteer_start": ("get", [], PUBLIC, None, None),
    "volunteer_apply": ("get", [], LOGGED_IN, "login", None),
    "volunteer_apply_step": ("get", ["om-dig"], LOGGED_IN, "login", None),
    # Someone who is already a volunteer has no application to save.
    "volunteer_apply_keep": ("post", ["om-dig"], LOGGED_IN - {"vera"}, 404, None),
    "my_volunteering": ("get", [], LOGGED_IN, "login", None),
    "my_volunteering_edit": ("get", ["tider"], {"vera"}, 404, "Vera"),
    "my_volunteering_pause": ("post", [], {"vera"}, 404, "Vera"),
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
    "organisation_list": ("get", [], {"ada"}, 403, None),
    "organisation_detail": ("get", ["solvik"], {"ada"}, 404, "alice@solvik.se"),
    "invitation_create": ("post", ["solvik"], {"ada"}, 404, None),
    "invitation_revoke": ("post", ["solvik", "invitation"], {"ada"}, 404, "nina@solvik.se"),
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
    "api_tokens": ("get", [], LOGGED_IN, "login", None),  # each sees her own tokens only
    "data_home": ("get", [], STAFF | {"bob"}, 403, "Solvik"),
    "export": ("get", ["solvik", "newcomers", "csv"], STAFF, 404, "Amal"),
    "funder_report": ("get", ["solvik"], STAFF, 404, None),
    "funder_report_file": ("get", ["solvik", "xlsx"], STAFF, 404, None),
    "export_pool": ("get", ["sprakvan"], STAFF, 404, "vanmatch.problem"),
    "import_preview": ("get", ["solvik", "batch"], STAFF, 404, "lista.csv"),
    "import_confirm": ("post", ["solvik", "batch"], STAFF, 404, None),
    "import_status": ("get", ["solvik", "batch"], STAFF, 404, None),
    "import_template": ("get", ["solvik", "volunteers", "csv"], STAFF, 404, None),
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
    return {
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


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("name", sorted(PAGES))
def test_only_the_right_people_get_in(client, world, name, persona):
    method, args, allowed, refused, secret = PAGES[name]
    if persona != "anonymous":
        client.force_login(world["personas"][persona])
    url = reverse(name, args=[world.get(a, a) for a in args])
    response = getattr(client, method)(url)
    if persona in allowed:
        assert response.status_code in (200, 302, 400), (name, persona, response.status_code)
        if response.status_code == 302:
            assert not response["Location"].startswith(reverse("account_login"))
        return
    if refused == "login" or persona == "anonymous":
        # Someone not logged in is asked to log in, and sees nothing else.
        assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))
    else:
        assert response.status_code == refused, (name, persona, response.status_code)
    if secret:
        assert secret not in response.content.decode()


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
