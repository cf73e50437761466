"""API v1: the same people see the same things as in the web pages, one error shape for every 4xx,
and writes go through the services."""

import pytest
from knox.models import AuthToken as Token
from rest_framework.test import APIClient

from coordinator import services
from coordinator.models import Match, MatchingRun, Newcomer, Proposal, Volunteer
from tests import factories

PERSONAS = ["olle", "vera", "sam", "alice", "bob", "ada"]


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def world(solvik, sprakvan, alice, bob, sam, vera, olle, ada):
    amal = factories.newcomer(solvik, [sprakvan], registered_by=sam, first_name="Amal")
    karin = factories.volunteer(solvik, [sprakvan], first_name="Karin", status="applied")
    maja = factories.volunteer(solvik, [sprakvan], first_name="Maja")
    run = MatchingRun.objects.create(programme=sprakvan, status="done")
    proposal = factories.proposal(sprakvan, amal, maja, run=run)
    nour = factories.newcomer(solvik, [sprakvan], first_name="Nour")
    match = services.match_create(
        programme=sprakvan,
        newcomer=nour,
        volunteer=factories.volunteer(solvik, [sprakvan], first_name="Sara"),
        by=alice,
    )
    people = {"olle": olle, "vera": vera, "sam": sam, "alice": alice, "bob": bob, "ada": ada}
    return {
        "people": people,
        "amal": amal,
        "karin": karin,
        "run": run,
        "proposal": proposal,
        "match": match,
        "follow_up": match.follow_ups.first(),
        "sprakvan": sprakvan,
    }


def as_(api, world, persona):
    api.force_authenticate(world["people"][persona])
    return api


def ids(response):
    return sorted(r["id"] for r in response.json()["results"])


# Who sees what in each list (the rest get an empty list).
LISTS = {
    "/api/v1/organisations/": {"vera", "sam", "alice", "bob", "ada"},
    "/api/v1/matches/": {"alice", "ada"},
    "/api/v1/programmes/": {"alice", "ada"},
    "/api/v1/newcomers/": {"alice", "ada", "sam"},
    "/api/v1/runs/": {"alice", "ada"},
    "/api/v1/proposals/": {"alice", "ada"},
    "/api/v1/follow-ups/": {"alice", "ada"},
}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("url", sorted(LISTS))
def test_each_list_shows_only_what_the_persona_may_see(api, world, url, persona):
    response = as_(api, world, persona).get(url)
    assert response.status_code == 200
    assert bool(response.json()["results"]) == (persona in LISTS[url])


@pytest.mark.parametrize("persona", PERSONAS)
def test_volunteers_are_seen_by_their_coordinators_and_by_themselves_only(api, world, persona):
    seen = {v["first_name"] for v in as_(api, world, persona).get("/api/v1/volunteers/").json()["results"]}
    expected = {"alice": {"Karin", "Maja", "Sara", "Vera"}, "ada": {"Karin", "Maja", "Sara", "Vera"}, "vera": {"Vera"}}
    assert seen == expected.get(persona, set())


def test_a_social_worker_sees_the_newcomers_she_follows_and_not_their_needs(api, world):
    Newcomer.objects.filter(pk=world["amal"].pk).update(needs="Känsligt")
    body = as_(api, world, "sam").get("/api/v1/newcomers/").json()
    assert [n["first_name"] for n in body["results"]] == ["Amal"]
    assert "needs" not in body["results"][0] and "Känsligt" not in str(body)


DETAILS = {
    "newcomer": ("/api/v1/newcomers/{amal}/", {"alice", "ada", "sam"}),
    "volunteer": ("/api/v1/volunteers/{karin}/", {"alice", "ada"}),
    "run": ("/api/v1/runs/{run}/", {"alice", "ada"}),
    "proposal": ("/api/v1/proposals/{proposal}/", {"alice", "ada"}),
    "match": ("/api/v1/matches/{match}/", {"alice", "ada"}),
    "follow_up": ("/api/v1/follow-ups/{follow_up}/", {"alice", "ada"}),
}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("record", sorted(DETAILS))
def test_a_record_the_persona_may_not_see_is_a_404_that_tells_nothing(api, world, record, persona):
    template, allowed = DETAILS[record]
    url = template.format(**{k: getattr(v, "pk", None) for k, v in world.items()})
    response = as_(api, world, persona).get(url)
    if persona in allowed:
        assert response.status_code == 200
    else:
        assert response.status_code == 404
        assert response.json() == {"status": 404, "errors": [{"field": None, "message": "Hittades inte."}]}


WRITES = [
    ("post", "/api/v1/runs/", lambda w: {"programme": w["sprakvan"].pk}),
    ("post", "/api/v1/proposals/{proposal}/approve/", lambda w: {}),
    ("post", "/api/v1/proposals/{proposal}/decline/", lambda w: {"reason": "Nej"}),
    ("post", "/api/v1/volunteers/{karin}/screen/", lambda w: {"to_status": "approved"}),
    ("post", "/api/v1/volunteers/{karin}/background-check/", lambda w: {"seen_on": "2026-01-01"}),
    ("post", "/api/v1/matches/{match}/extend/", lambda w: {"months": 2}),
    ("post", "/api/v1/matches/{match}/end/", lambda w: {"reason": "moved"}),
    ("post", "/api/v1/matches/{match}/activate/", lambda w: {}),
    ("post", "/api/v1/follow-ups/{follow_up}/record/", lambda w: {"outcome": "going_well"}),
    ("post", "/api/v1/newcomers/{amal}/withdraw-consent/", lambda w: {}),
    ("post", "/api/v1/matches/{match}/introduction/", lambda w: {"at": "2030-01-01T10:00:00Z", "place": "X"}),
    ("patch", "/api/v1/volunteers/{karin}/", lambda w: {"first_name": "Ändrad"}),
    (
        "patch",
        "/api/v1/newcomers/{amal}/",
        lambda w: {**NEWCOMER, "first_name": "Ändrad", "programmes": [w["sprakvan"].pk]},
    ),
    (
        "post",
        "/api/v1/matches/",
        lambda w: {"programme": w["sprakvan"].pk, "newcomer": w["amal"].pk, "volunteer": w["karin"].pk},
    ),
    ("post", "/api/v1/newcomers/", lambda w: {**NEWCOMER, "programmes": [w["sprakvan"].pk]}),
]

# Every route of the API is in one of the tables above, or has its own test below.
COVERED = {
    "organisation-list", "organisation-detail", "programme-list", "programme-detail", "volunteer-list",
    "volunteer-detail", "volunteer-screen", "volunteer-background-check", "newcomer-list", "newcomer-detail",
    "newcomer-withdraw-consent", "run-list", "run-detail", "proposal-list", "proposal-detail", "proposal-approve",
    "proposal-decline", "match-list", "match-detail", "match-introduction", "match-activate", "match-extend",
    "match-end", "follow-up-list", "follow-up-detail", "follow-up-record", "api-root",
}  # fmt: skip


def test_every_api_route_is_tested_for_the_wrong_person():
    from coordinator.api.urls import router

    assert {u.name for u in router.urls if u.name} == COVERED


@pytest.mark.parametrize("persona", ["olle", "vera", "bob"])
@pytest.mark.parametrize(("method", "template", "body"), WRITES, ids=[w[1] for w in WRITES])
def test_the_wrong_person_changes_nothing(api, world, persona, method, template, body):
    url = template.format(**{k: getattr(v, "pk", None) for k, v in world.items()})
    response = getattr(as_(api, world, persona), method)(url, body(world), format="json")
    if "{" in template:
        assert response.status_code in (403, 404), response.json()
    else:
        # The ids are in the body: refused exactly as ids that exist nowhere are.
        nowhere = getattr(api, method)(url, with_missing_ids(body(world)), format="json")
        assert (response.status_code, response.json()) == (nowhere.status_code, nowhere.json())
        assert response.status_code in (400, 403, 404), response.json()
    assert MatchingRun.objects.count() == 1 and Match.objects.count() == 1
    assert Proposal.objects.get().state == "pending"
    assert Volunteer.objects.get(pk=world["karin"].pk).status == "applied"
    assert Volunteer.objects.get(pk=world["karin"].pk).first_name == "Karin"
    amal = Newcomer.objects.get(pk=world["amal"].pk)
    assert amal.has_consent and amal.first_name == "Amal"
    assert not Newcomer.objects.filter(first_name="Yonas").exists()


ID_FIELDS = ("programme", "programmes", "newcomer", "volunteer", "organisation", "run", "match")
NOWHERE = 987654321


def with_missing_ids(body: dict) -> dict:
    """The same request with every id replaced by one that exists nowhere."""
    return {
        k: ([NOWHERE] * len(v) if isinstance(v, list) else NOWHERE) if k in ID_FIELDS else v for k, v in body.items()
    }


def test_another_organisations_people_do_not_leak_through_a_match_by_hand(api, world, norrby):
    """Röda Korset's coordinator names her own programme and Solvik's newcomer and volunteer: she
    learns nothing of them (not their names, consent, age or languages) and no rule is run on them."""
    own = factories.programme(norrby, name="Guide Norrby")
    body = {"programme": own.pk, "newcomer": world["amal"].pk, "volunteer": world["karin"].pk}
    probe = as_(api, world, "bob").post("/api/v1/matches/", body, format="json")
    nowhere = api.post("/api/v1/matches/", with_missing_ids(body) | {"programme": own.pk}, format="json")
    text = probe.content.decode()
    assert "Amal" not in text and "Karin" not in text and "samtycke" not in text.lower()
    assert probe.status_code == 400
    assert (
        probe.json()
        == nowhere.json()
        == {
            "status": 400,
            "errors": [
                {"field": "newcomer", "message": "Hittades inte."},
                {"field": "volunteer", "message": "Hittades inte."},
            ],
        }
    )
    assert not Match.objects.filter(newcomer=world["amal"]).exists()


@pytest.mark.parametrize(
    "query",
    ["programme", "run", "match", "organisation"],
)
@pytest.mark.parametrize("url", ["/api/v1/proposals/", "/api/v1/matches/", "/api/v1/follow-ups/", "/api/v1/runs/"])
def test_an_id_elsewhere_in_a_filter_answers_as_a_missing_one(api, world, norrby, url, query):
    other = factories.programme(norrby, name="Guide Norrby")
    theirs = {"programme": other.pk, "run": MatchingRun.objects.create(programme=other, status="done").pk}
    theirs |= {"match": theirs["run"] + 1000, "organisation": norrby.pk}
    as_(api, world, "alice")
    elsewhere = api.get(url, {query: theirs[query]})
    nowhere = api.get(url, {query: NOWHERE})
    assert (elsewhere.status_code, elsewhere.json()) == (nowhere.status_code, nowhere.json())


@pytest.mark.parametrize("url", ["/api/v1/proposals/", "/api/v1/newcomers/", "/api/v1/volunteers/"])
def test_a_twenty_digit_id_in_a_filter_is_refused_at_its_field_not_a_500(api, world, url):
    response = as_(api, world, "alice").get(url, {"programme": "99999999999999999999"})
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "programme"


def test_starting_a_run_for_another_organisations_programme_answers_as_a_missing_one(api, world, norrby):
    other = factories.programme(norrby, name="Guide Norrby")
    elsewhere = as_(api, world, "alice").post("/api/v1/runs/", {"programme": other.pk}, format="json")
    nowhere = api.post("/api/v1/runs/", {"programme": NOWHERE}, format="json")
    assert elsewhere.status_code == nowhere.status_code == 400
    assert (
        elsewhere.json()
        == nowhere.json()
        == {
            "status": 400,
            "errors": [{"field": "programme", "message": "Hittades inte."}],
        }
    )
    assert not MatchingRun.objects.filter(programme=other).exists()


def test_a_coordinator_approves_a_proposal_through_the_api(api, world):
    response = as_(api, world, "alice").post(f"/api/v1/proposals/{world['proposal'].pk}/approve/")
    assert response.status_code == 201 and response.json()["newcomer"]["first_name"] == "Amal"
    assert Proposal.objects.get().state == "approved"


def test_a_coordinator_starts_a_run_and_polls_it(api, world):
    MatchingRun.objects.all().delete()
    response = as_(api, world, "alice").post("/api/v1/runs/", {"programme": world["sprakvan"].pk}, format="json")
    assert response.status_code == 202 and response.json()["status"] == "queued"
    assert api.get(f"/api/v1/runs/{response.json()['id']}/").json()["status"] == "queued"


NEWCOMER = {
    "first_name": "Yonas",
    "languages": ["ti", "en"],
    "availability": ["sat-morning"],
    "postcode": "17830",
    "target_group": "asylsokande",
    "consent_given_on": "2026-11-01",
    "consent_method": "written",
}


def test_a_social_worker_registers_a_newcomer_through_the_api(api, world):
    body = {**NEWCOMER, "programmes": [world["sprakvan"].pk]}
    response = as_(api, world, "sam").post("/api/v1/newcomers/", body, format="json")
    assert response.status_code == 201, response.json()
    yonas = Newcomer.objects.get(first_name="Yonas")
    assert (yonas.registered_by, yonas.locality, yonas.consent_method) == (world["people"]["sam"], "Ekerö", "written")


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"postcode": "99999"}, "postcode"),
        ({"languages": []}, "languages"),
        ({"languages": ["xx"]}, "languages"),
        ({"availability": ["mon-night"]}, "availability"),
        ({"birth_year": 2999}, "birth_year"),
        ({"consent_method": "telepathy"}, "consent_method"),
    ],
)
def test_bad_input_gets_one_error_shape_naming_the_field_and_nothing_is_saved(api, world, change, field):
    body = {**NEWCOMER, "programmes": [world["sprakvan"].pk], **change}
    response = as_(api, world, "sam").post("/api/v1/newcomers/", body, format="json")
    assert response.status_code == 400
    payload = response.json()
    assert payload["status"] == 400, payload
    assert any((e["field"] or "").split(".")[0] == field for e in payload["errors"]), payload
    assert all(e["message"] for e in payload["errors"])
    assert not Newcomer.objects.filter(first_name="Yonas").exists()


def test_a_broken_rule_in_a_match_by_hand_is_named(api, world, solvik):
    far = factories.volunteer(solvik, [world["sprakvan"]], first_name="Fjärran", latitude=63.18, longitude=14.64)
    body = {"programme": world["sprakvan"].pk, "newcomer": world["amal"].pk, "volunteer": far.pk}
    response = as_(api, world, "alice").post("/api/v1/matches/", body, format="json")
    assert response.status_code == 400
    assert any("längre ifrån varandra" in e["message"] for e in response.json()["errors"])


def test_a_token_is_had_for_an_email_a_password_and_a_code_and_then_works(api, world):
    secret = factories.authenticator_app(world["people"]["alice"])
    response = api.post(
        "/api/v1/auth/token/",
        {"email": "alice@solvik.se", "password": "secret-pass-1", "code": factories.code_from_app(secret)},
        format="json",
    )
    token = response.json()["token"]
    stored = Token.objects.get(user=world["people"]["alice"])
    assert stored.digest != token and token not in stored.digest, "only its hash is kept"
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert client.get("/api/v1/programmes/").json()["count"] == 1


def test_a_volunteer_needs_no_code_for_a_token(api, world):
    response = api.post("/api/v1/auth/token/", {"email": "vera@example.se", "password": "secret-pass-1"}, format="json")
    assert response.status_code == 200 and response.json()["token"]


@pytest.mark.parametrize("code", ["", "000000"])
def test_a_coordinator_gets_no_token_without_a_right_code(api, world, code):
    factories.authenticator_app(world["people"]["alice"])
    response = api.post(
        "/api/v1/auth/token/", {"email": "alice@solvik.se", "password": "secret-pass-1", "code": code}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["errors"] == [{"field": "code", "message": "Ange en giltig kod från din autentiseringsapp."}]
    assert not Token.objects.exists()


def test_guessing_the_code_locks_the_account_whatever_address_each_guess_claims(api, world, caplog):
    """A right password and wrong codes, each request with a new X-Forwarded-For: after five
    the code step is locked for the account, the right code included, and the security log says so."""
    secret = factories.authenticator_app(world["people"]["alice"])
    for guess in range(5):
        wrong = api.post(
            "/api/v1/auth/token/",
            {"email": "alice@solvik.se", "password": "secret-pass-1", "code": f"{guess:06d}"},
            format="json",
            headers={"X-Forwarded-For": f"203.0.113.{guess}"},
        )
        assert wrong.status_code == 400
    right = api.post(
        "/api/v1/auth/token/",
        {"email": "alice@solvik.se", "password": "secret-pass-1", "code": factories.code_from_app(secret)},
        format="json",
        headers={"X-Forwarded-For": "198.51.100.7"},
    )
    assert right.status_code == 429 and "För många felaktiga koder" in right.json()["errors"][0]["message"]
    assert not Token.objects.exists()
    assert "failed second factor" in caplog.text and "second factor locked" in caplog.text


def test_the_token_throttle_keys_on_the_connection_not_on_a_header_the_client_sends(api, world):
    answers = [
        api.post(
            "/api/v1/auth/token/",
            {"email": f"nobody{n}@example.se", "password": "fel"},
            format="json",
            headers={"X-Forwarded-For": f"203.0.113.{n}"},
        ).status_code
        for n in range(11)
    ]
    assert answers[:10] == [400] * 10 and answers[10] == 429


def test_a_coordinator_without_an_authenticator_app_is_told_to_set_one_up_first(api, world):
    response = api.post("/api/v1/auth/token/", {"email": "alice@solvik.se", "password": "secret-pass-1"}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "code"
    assert "slå på den på webben" in response.json()["errors"][0]["message"]
    assert not Token.objects.exists()


def test_a_wrong_password_gets_no_token(api, world):
    response = api.post("/api/v1/auth/token/", {"email": "alice@solvik.se", "password": "fel"}, format="json")
    assert response.status_code == 400 and response.json()["errors"][0]["field"] is None


def test_without_credentials_the_api_answers_401_in_the_same_shape(api, db):
    response = api.get("/api/v1/newcomers/")
    assert response.status_code == 401 and response["WWW-Authenticate"] == "Token"
    assert set(response.json()) == {"status", "errors"}


def test_lists_are_filtered_ordered_and_paged(api, world, solvik, sprakvan):
    for i in range(3):
        factories.volunteer(solvik, [sprakvan], first_name=f"Z{i}", status="applied")
    response = as_(api, world, "alice").get(
        "/api/v1/volunteers/", {"status": "applied", "ordering": "-first_name", "page_size": 2}
    )
    body = response.json()
    assert body["count"] == 4 and [v["first_name"] for v in body["results"]] == ["Z2", "Z1"] and body["next"]


def test_the_schema_and_its_docs_are_served(client, db):
    schema = client.get("/api/schema/")
    assert schema.status_code == 200 and b"openapi: 3" in schema.content and b"examples" in schema.content
    assert client.get("/api/docs/").status_code == 200


def test_every_operation_in_the_schema_has_an_example(client, db):
    import yaml

    schema = yaml.safe_load(client.get("/api/schema/").content)
    without = []
    for path, operations in schema["paths"].items():
        for method, op in operations.items():
            bodies = list(op.get("requestBody", {}).get("content", {}).values())
            bodies += [c for r in op.get("responses", {}).values() for c in (r.get("content") or {}).values()]
            if not any(body.get("examples") for body in bodies):
                without.append(f"{method.upper()} {path}")
    assert without == []


def test_a_volunteer_reads_her_match_through_the_api_as_she_sees_it_on_the_web(api, world, solvik, sprakvan):
    """The newcomer consented to her first name only: the API gave her last name too, and the
    coordinators' follow-up notes. Now it gives what the web page gives, and the read is audited."""
    from accounts.models import AuditEvent

    vera = world["people"]["vera"]
    rana = factories.newcomer(
        solvik, [sprakvan], first_name="Rana", last_name="Saleh", consent_shareable=["first_name"]
    )
    match = services.match_create(
        programme=sprakvan, newcomer=rana, volunteer=vera.volunteer, by=world["people"]["alice"]
    )
    follow_up = match.follow_ups.first()
    services.follow_up_record(
        follow_up=follow_up, by=world["people"]["alice"], outcome="needs_support", notes="Oro för hennes hälsa"
    )
    reads = AuditEvent.objects.filter(user=vera, subject_type="newcomer", subject_id=rana.pk, action="view")

    for url in [f"/api/v1/matches/{match.pk}/", "/api/v1/matches/"]:
        response = as_(api, world, "vera").get(url)
        text = response.content.decode()
        assert response.status_code == 200
        assert "Rana" in text and "Saleh" not in text, "only what she consented to share"
        assert "Oro" not in text and "needs_support" not in text, "never the coordinators' notes"
    assert reads.count() == 2, "each read is in the audit trail"

    coordinator = as_(api, world, "alice").get(f"/api/v1/matches/{match.pk}/").json()
    assert coordinator["newcomer"]["last_name"] == "Saleh" and coordinator["follow_ups"][0]["notes"]


@pytest.mark.parametrize("name", ['<img src="/dev/zero"/>', "=HYPERLINK(1)", "Vera2"])
def test_a_volunteer_cannot_name_herself_with_markup_a_formula_or_digits(api, world, name):
    vera = world["people"]["vera"]
    response = as_(api, world, "vera").patch(f"/api/v1/volunteers/{vera.volunteer.pk}/", {"first_name": name})
    assert response.status_code == 400
    assert [e["field"] for e in response.json()["errors"]] == ["first_name"]
    assert Volunteer.objects.get(pk=vera.volunteer.pk).first_name == "Vera"


@pytest.mark.parametrize("name", ["Anna-Karin", "O'Brien", "J. R.", "عبد الرحمن", "Zoë", "Nguyễn"])
def test_names_of_every_script_with_their_marks_are_accepted(api, world, name):
    vera = world["people"]["vera"]
    response = as_(api, world, "vera").patch(f"/api/v1/volunteers/{vera.volunteer.pk}/", {"first_name": name})
    assert response.status_code == 200, response.json()


def issued_token(api, world, persona="alice") -> str:
    user = world["people"][persona]
    body = {"email": user.email, "password": "secret-pass-1"}
    if persona in ("alice", "ada", "bob"):
        body["code"] = factories.code_from_app(factories.authenticator_app(user))
    response = api.post("/api/v1/auth/token/", body, format="json")
    assert response.status_code == 200, response.json()
    return response.json()["token"]


def with_token(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def test_a_token_expires_after_the_configured_days(api, world, settings):
    import time_machine
    from django.utils import timezone

    key = issued_token(api, world, "sam")
    assert with_token(key).get("/api/v1/newcomers/").status_code == 200
    later = timezone.now() + timezone.timedelta(days=settings.VANMATCH_API_TOKEN_DAYS, hours=1)
    with time_machine.travel(later, tick=False):
        assert with_token(key).get("/api/v1/newcomers/").status_code == 401


def test_a_token_is_revoked_when_its_holder_changes_her_password(api, world, client):
    key = issued_token(api, world, "sam")
    from tests.conftest import recently_authenticated

    recently_authenticated(client, world["people"]["sam"])
    client.post(
        "/konto/password/change/",
        {
            "oldpassword": "secret-pass-1",
            "password1": "ett-nytt-langt-losenord",
            "password2": "ett-nytt-langt-losenord",
        },
    )
    assert with_token(key).get("/api/v1/newcomers/").status_code == 401


def test_a_social_worker_made_coordinator_in_the_django_admin_loses_her_password_only_token(api, world, solvik):
    """She had a token got with her password alone; a superuser gives her a coordinator role
    straight in the admin: the token no longer reads anything."""
    from accounts.models import Membership, Role

    sam = world["people"]["sam"]
    key = issued_token(api, world, "sam")
    Membership.objects.create(user=sam, organisation=solvik, role=Role.COORDINATOR)
    response = with_token(key).get("/api/v1/volunteers/")
    assert response.status_code == 401 and "Karin" not in response.content.decode()


def test_a_token_is_refused_to_someone_who_now_needs_two_factors_and_has_no_app(api, world):
    sam = world["people"]["sam"]
    key = issued_token(api, world, "sam")
    sam.is_superuser = True  # ticked in the admin: a superuser needs two factors
    sam.save()
    assert with_token(key).get("/api/v1/newcomers/").status_code == 401


def test_the_owner_sees_her_tokens_and_revokes_them(api, world, client):
    first, second = issued_token(api, world, "sam"), issued_token(api, world, "sam")
    client.force_login(world["people"]["sam"])
    page = client.get("/api-nycklar/").content.decode()
    assert first[:8] in page and second[:8] in page and first not in page, "never the key itself"
    token_key = Token.objects.get(user=world["people"]["sam"], token_key__startswith=first[:8]).token_key
    client.post("/api-nycklar/", {"token_key": token_key})
    assert with_token(first).get("/api/v1/newcomers/").status_code == 401
    assert with_token(second).get("/api/v1/newcomers/").status_code == 200
    client.post("/api-nycklar/", {})
    assert with_token(second).get("/api/v1/newcomers/").status_code == 401


def test_nobody_revokes_anothers_token_by_naming_its_key(api, world, client):
    key = issued_token(api, world, "sam")
    token_key = Token.objects.get(user=world["people"]["sam"]).token_key
    client.force_login(world["people"]["vera"])
    client.post("/api-nycklar/", {"token_key": token_key})
    assert with_token(key).get("/api/v1/newcomers/").status_code == 200


def test_a_password_set_outside_allauth_revokes_the_tokens_too(api, world):
    """An operator resets a compromised account in the Django admin (or with changepassword)."""
    sam = world["people"]["sam"]
    key = issued_token(api, world, "sam")
    sam.set_password("ett-helt-nytt-losenord")
    sam.save()
    assert with_token(key).get("/api/v1/newcomers/").status_code == 401


def test_an_idle_browser_session_ending_leaves_the_api_tokens_alone(api, world, client):
    import time

    from accounts.middleware import LAST_SEEN

    sam = world["people"]["sam"]
    key = issued_token(api, world, "sam")
    client.force_login(sam)
    session = client.session
    session[LAST_SEEN] = time.time() - 31 * 60
    session.save()
    client.get("/")  # the idle session ends here
    assert "_auth_user_id" not in client.session
    assert with_token(key).get("/api/v1/newcomers/").status_code == 200
    client.force_login(sam)
    client.post("/konto/logout/")  # logging out herself does revoke them
    assert with_token(key).get("/api/v1/newcomers/").status_code == 401
