"""Two-factor authentication: those who see across an organisation (org admins, coordinators,
data protection officers, superusers) use the service only after a code from their
authenticator app; volunteers and social workers log in with their password alone."""

import re

import django.test
import pytest
from django.core import mail
from django.urls import reverse
from knox.models import AuthToken as Token

from accounts import services
from accounts.models import Role
from tests import factories

PASSWORD = "secret-pass-1"


def log_in(client, email: str):
    return client.post(reverse("account_login"), {"login": email, "password": PASSWORD})


@pytest.fixture
def dora(solvik):
    """Data protection officer of Solvik kommun."""
    u = factories.user("dora@solvik.se", first_name="Dora")
    factories.member(u, solvik, Role.DATA_PROTECTION_OFFICER)
    return u


@pytest.fixture
def root(db):
    return factories.user("root@vanmatch.se", first_name="Root", is_superuser=True, is_staff=True)


@pytest.mark.parametrize("persona", ["alice", "ada", "dora", "root"])
def test_staff_without_an_authenticator_app_are_sent_to_set_one_up_before_anything_else(
    password_only_client, persona, request
):
    user = request.getfixturevalue(persona)
    log_in(password_only_client, user.email)
    for page in [reverse("home"), reverse("audit_search"), "/admin/"]:
        response = password_only_client.get(page)
        assert response.status_code == 302 and response["Location"] == reverse("mfa_activate_totp"), page


@pytest.mark.parametrize("persona", ["vera", "sam"])
def test_volunteers_and_social_workers_log_in_with_their_password_alone(password_only_client, persona, request):
    user = request.getfixturevalue(persona)
    log_in(password_only_client, user.email)
    assert password_only_client.get(reverse("home")).status_code == 200


@pytest.mark.django_db(transaction=True)  # allauth announces the new app after commit, as in production
def test_alice_sets_up_her_app_right_after_logging_in_and_goes_on_working(password_only_client, alice):
    log_in(password_only_client, alice.email)
    page = password_only_client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 200, "the password was just given: it is not asked for again"
    assert "Slå på tvåstegsverifiering" in page.content.decode()
    secret = secret_on_the_page(page)

    wrong = password_only_client.post(reverse("mfa_activate_totp"), {"code": "000000"})
    assert wrong.status_code == 200 and not wrong.context["form"].is_valid()

    done = password_only_client.post(reverse("mfa_activate_totp"), {"code": factories.code_from_app(secret)})
    assert done.status_code == 302
    # She is told by e-mail, so that a stranger setting up an app with her password would be seen.
    assert [m.to for m in mail.outbox] == [[alice.email]]
    assert password_only_client.get(reverse("home")).status_code == 200
    assert password_only_client.get(reverse("audit_search")).status_code == 200


def secret_on_the_page(page) -> str:
    """The secret as the set-up page shows it to the person, in text beside the QR code."""
    return re.search(r'id="authenticator_secret" type="text" value="([A-Z2-7]+)"', page.content.decode()).group(1)


@pytest.mark.django_db(transaction=True)
def test_alice_sets_up_her_app_although_her_browser_asked_for_its_icon_meanwhile(password_only_client, alice):
    """A fresh browser's first page is the set-up page; it then asks for /favicon.ico by itself.
    That request must neither be sent to the set-up page nor change the secret she scans."""
    log_in(password_only_client, alice.email)
    secret = secret_on_the_page(password_only_client.get(reverse("mfa_activate_totp")))

    icon = password_only_client.get("/favicon.ico")
    assert icon.status_code == 200 and icon["Content-Type"] == "image/svg+xml"
    assert password_only_client.get("/static/vanmatch/vanmatch.css").status_code != 302
    assert secret_on_the_page(password_only_client.get(reverse("mfa_activate_totp"))) == secret, "a GET kept it"

    done = password_only_client.post(reverse("mfa_activate_totp"), {"code": factories.code_from_app(secret)})
    assert done.status_code == 302
    from allauth.mfa.adapter import get_adapter

    app = alice.authenticator_set.get(type="totp")
    assert get_adapter().decrypt(app.data["secret"]) == secret, "the app she scanned is the one set up"


def test_a_wrong_code_at_set_up_keeps_the_secret_she_scanned(password_only_client, alice):
    log_in(password_only_client, alice.email)
    secret = secret_on_the_page(password_only_client.get(reverse("mfa_activate_totp")))
    wrong = password_only_client.post(reverse("mfa_activate_totp"), {"code": "000000"})
    assert wrong.status_code == 200 and secret_on_the_page(wrong) == secret
    right = password_only_client.post(reverse("mfa_activate_totp"), {"code": factories.code_from_app(secret)})
    assert right.status_code == 302


def test_alice_with_an_app_gives_a_code_after_her_password(password_only_client, alice):
    secret = factories.authenticator_app(alice)
    response = log_in(password_only_client, alice.email)
    assert response["Location"] == reverse("mfa_authenticate")
    assert "_auth_user_id" not in password_only_client.session, "not logged in on the password alone"

    wrong = password_only_client.post(reverse("mfa_authenticate"), {"code": "123456"})
    assert wrong.status_code == 200 and "_auth_user_id" not in password_only_client.session

    right = password_only_client.post(reverse("mfa_authenticate"), {"code": factories.code_from_app(secret)})
    assert right.status_code == 302
    assert password_only_client.get(reverse("home")).status_code == 200


def test_a_code_works_once(password_only_client, alice):
    secret = factories.authenticator_app(alice)
    code = factories.code_from_app(secret)
    log_in(password_only_client, alice.email)
    password_only_client.post(reverse("mfa_authenticate"), {"code": code})
    password_only_client.post(reverse("account_logout"))

    log_in(password_only_client, alice.email)
    again = password_only_client.post(reverse("mfa_authenticate"), {"code": code})
    assert again.status_code == 200 and "_auth_user_id" not in password_only_client.session


def test_five_wrong_codes_at_log_in_lock_the_code_step_even_for_the_right_code(password_only_client, alice):
    secret = factories.authenticator_app(alice)
    for guess in range(5):
        log_in(password_only_client, alice.email)
        password_only_client.post(reverse("mfa_authenticate"), {"code": f"{guess:06d}"})
    log_in(password_only_client, alice.email)
    locked = password_only_client.post(reverse("mfa_authenticate"), {"code": factories.code_from_app(secret)})
    assert locked.status_code == 200 and "_auth_user_id" not in password_only_client.session
    assert "För många felaktiga koder" in locked.content.decode()


def test_a_lock_on_the_code_step_runs_out(password_only_client, alice):
    import time_machine
    from django.utils import timezone

    secret = factories.authenticator_app(alice)
    for guess in range(5):
        log_in(password_only_client, alice.email)
        password_only_client.post(reverse("mfa_authenticate"), {"code": f"{guess:06d}"})
    with time_machine.travel(timezone.now() + timezone.timedelta(minutes=16), tick=False):
        log_in(password_only_client, alice.email)
        right = password_only_client.post(reverse("mfa_authenticate"), {"code": factories.code_from_app(secret)})
    assert right.status_code == 302 and "_auth_user_id" in password_only_client.session


def test_the_demos_fixed_code_lets_in_the_demos_own_staff_and_nobody_else(password_only_client, alice, settings):
    settings.DEBUG, settings.VANMATCH_DEMO_TOTP_CODE = True, "246810"
    factories.authenticator_app(alice)
    log_in(password_only_client, alice.email)
    refused = password_only_client.post(reverse("mfa_authenticate"), {"code": "246810"})
    assert refused.status_code == 200 and "_auth_user_id" not in password_only_client.session

    demo = factories.user("samordnare@ekero.demo")
    factories.authenticator_app(demo)
    browser = django.test.Client()
    log_in(browser, demo.email)
    let_in = browser.post(reverse("mfa_authenticate"), {"code": "246810"})
    assert let_in.status_code == 302 and browser.session["_auth_user_id"] == str(demo.pk)


def test_with_debug_off_the_demos_code_lets_in_nobody(password_only_client, settings, db):
    settings.DEBUG, settings.VANMATCH_DEMO_TOTP_CODE = False, "246810"
    demo = factories.user("samordnare@ekero.demo")
    factories.authenticator_app(demo)
    log_in(password_only_client, demo.email)
    refused = password_only_client.post(reverse("mfa_authenticate"), {"code": "246810"})
    assert refused.status_code == 200 and "_auth_user_id" not in password_only_client.session


def test_a_session_that_never_saw_the_code_is_ended_and_asked_to_log_in_again(password_only_client, alice):
    factories.authenticator_app(alice)
    password_only_client.force_login(alice)  # as a session begun some other way would be
    response = password_only_client.get(reverse("audit_search"))
    assert response.status_code == 302
    assert response["Location"] == reverse("account_login") + "?next=" + reverse("audit_search").replace("/", "%2F")
    assert "_auth_user_id" not in password_only_client.session


def test_the_api_on_a_session_without_the_code_answers_403_in_its_own_shape(password_only_client, alice):
    log_in(password_only_client, alice.email)
    response = password_only_client.get("/api/v1/newcomers/")
    assert response.status_code == 403
    assert response.json()["errors"][0]["message"].startswith("Ditt konto kräver tvåstegsverifiering")


def test_the_admin_log_in_is_the_same_log_in_with_the_code(password_only_client, root):
    response = password_only_client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"] == reverse("account_login") + "?next=/admin/"


def test_a_coordinator_cannot_remove_her_app_but_a_volunteer_can(client, alice, vera):
    factories.authenticator_app(alice)
    client.force_login(alice)
    refused = client.post(reverse("mfa_deactivate_totp"))
    assert refused.status_code == 200
    assert "kan inte tas bort" in refused.content.decode()

    factories.authenticator_app(vera)
    client.force_login(vera)
    assert client.post(reverse("mfa_deactivate_totp")).status_code == 302
    assert not vera.authenticator_set.exists()


def test_an_api_token_got_without_a_code_goes_when_its_holder_becomes_a_coordinator(vera, ada, solvik):
    Token.objects.create(user=vera)  # a password-only token, as a volunteer gets
    invitation, token = services.invitation_create(
        organisation=solvik, email=vera.email, role=Role.COORDINATOR, unit="", by=ada
    )
    services.invitation_accept(token=token, user=vera)
    assert not Token.objects.filter(user=vera).exists()
