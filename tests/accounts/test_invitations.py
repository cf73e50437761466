"""Organisation admins invite coordinators and social workers by an e-mail link."""

import re
from datetime import timedelta
from unittest import mock

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts import services
from accounts.models import Invitation, Membership, Role, User
from tests import factories
from worker import tasks


def invite(client, org_slug="solvik", **data):
    data = {"email": "nina@solvik.se", "role": "social_worker", "unit": "Etablering", **data}
    return client.post(reverse("invitation_create", args=[org_slug]), data)


def link_in(message) -> str:
    return re.search(r"http://\S+(/inbjudan/\S+/)", message.body).group(1)


def test_the_admin_invites_a_social_worker_who_gets_a_link_by_email(client, ada, django_capture_on_commit_callbacks):
    client.force_login(ada)
    # The worker's part, run here: the task is handed the id and the token after commit.
    with (
        mock.patch.object(tasks.send_invitation, "delay", side_effect=lambda *a: tasks.send_invitation(*a)),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = invite(client)
    assert response["Location"] == reverse("organisation_detail", args=["solvik"])
    invitation = Invitation.objects.get()
    assert (invitation.email, invitation.role, invitation.unit, invitation.invited_by) == (
        "nina@solvik.se",
        "social_worker",
        "Etablering",
        ada,
    )
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["nina@solvik.se"]
    token = link_in(mail.outbox[0]).split("/")[-2]
    assert token not in invitation.token_hash  # only the hash is stored


def accept_as_new(client, token, **data):
    data = {
        "first_name": "Nina",
        "last_name": "Nord",
        "password1": "ett-langt-losenord",
        "password2": "ett-langt-losenord",
        **data,
    }
    return client.post(reverse("invitation_accept", args=[token]), data)


def test_a_new_person_accepts_sets_a_password_and_is_logged_in_with_the_role(client, ada):
    invitation, token = services.invitation_create(
        organisation=ada.memberships.get().organisation,
        by=ada,
        email="nina@solvik.se",
        role="social_worker",
        unit="Etablering",
    )
    response = accept_as_new(client, token)
    assert response["Location"] == reverse("home")
    nina = User.objects.get(email="nina@solvik.se")
    assert Membership.objects.filter(user=nina, role=Role.SOCIAL_WORKER, unit="Etablering").exists()
    assert nina.emailaddress_set.get().verified
    assert client.get(reverse("newcomer_list")).status_code == 200
    invitation.refresh_from_db()
    assert invitation.accepted_by == nina
    # The link works once.
    client.logout()
    assert client.get(reverse("invitation_accept", args=[token])).status_code == 404


def test_a_weak_password_is_refused_at_its_field(client, ada, solvik):
    _invitation, token = services.invitation_create(
        organisation=solvik, by=ada, email="nina@solvik.se", role="coordinator"
    )
    response = accept_as_new(client, token, password1="12345", password2="12345")
    assert response.status_code == 400
    assert response.context["form"].errors["password1"]
    assert not User.objects.filter(email="nina@solvik.se").exists()


def test_someone_logged_in_with_the_invited_address_accepts_with_one_click(client, ada, solvik, olle):
    _invitation, token = services.invitation_create(
        organisation=solvik, by=ada, email="OLLE@example.se", role="coordinator"
    )
    client.force_login(olle)
    client.post(reverse("invitation_accept", args=[token]))
    assert Membership.objects.filter(user=olle, organisation=solvik, role=Role.COORDINATOR).exists()


def test_someone_logged_in_with_another_address_is_refused(client, ada, solvik, olle):
    _invitation, token = services.invitation_create(
        organisation=solvik, by=ada, email="nina@solvik.se", role="coordinator"
    )
    client.force_login(olle)
    client.post(reverse("invitation_accept", args=[token]))
    assert not Membership.objects.filter(user=olle).exists()


def test_an_expired_or_revoked_invitation_is_refused(client, ada, solvik):
    invitation, token = services.invitation_create(
        organisation=solvik, by=ada, email="nina@solvik.se", role="coordinator"
    )
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert accept_as_new(client, token).status_code == 404
    invitation, token = services.invitation_create(
        organisation=solvik, by=ada, email="nina@solvik.se", role="coordinator"
    )
    client.force_login(ada)
    client.post(reverse("invitation_revoke", args=["solvik", invitation.pk]))
    client.logout()
    assert accept_as_new(client, token).status_code == 404
    assert not User.objects.filter(email="nina@solvik.se").exists()


def test_a_bad_address_gets_a_message_at_its_field(client, ada):
    client.force_login(ada)
    response = invite(client, email="inte-en-adress")
    assert response.status_code == 400
    assert response.context["invite_form"].errors["email"]
    assert not Invitation.objects.exists()


def test_a_volunteer_role_cannot_be_given_by_invitation(client, ada):
    client.force_login(ada)
    response = invite(client, role="volunteer")
    assert response.status_code == 400 and not Invitation.objects.exists()


@pytest.mark.parametrize("persona", ["alice", "bob", "sam", "vera", "olle"])
def test_only_the_organisations_admins_see_its_staff_and_invite(client, persona, request, solvik):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("organisation_detail", args=["solvik"])).status_code == 404
    assert invite(client).status_code == 404
    assert not Invitation.objects.exists()


def test_the_admin_removes_a_coordinator_but_not_the_last_admin(client, ada, alice, solvik):
    client.force_login(ada)
    alice_membership = alice.memberships.get()
    client.post(reverse("membership_remove", args=["solvik", alice_membership.pk]))
    assert not Membership.objects.filter(pk=alice_membership.pk).exists()
    own = ada.memberships.get()
    client.post(reverse("membership_remove", args=["solvik", own.pk]))
    assert Membership.objects.filter(pk=own.pk).exists()


def test_an_admin_of_another_organisation_cannot_remove_staff_here(client, alice, norrby):
    other_admin = factories.user("otto@norrby.se")
    factories.member(other_admin, norrby, Role.ORG_ADMIN)
    client.force_login(other_admin)
    assert client.post(reverse("membership_remove", args=["solvik", alice.memberships.get().pk])).status_code == 404
    assert alice.memberships.exists()


def test_ada_sends_an_invitation_again_with_a_new_link_and_the_old_one_stops_working(
    client, ada, django_capture_on_commit_callbacks
):
    invitation, old_token = services.invitation_create(
        organisation=ada.memberships.get().organisation, by=ada, email="nina@solvik.se", role=Role.SOCIAL_WORKER
    )
    client.force_login(ada)
    with (
        mock.patch.object(tasks.send_invitation, "delay", side_effect=lambda *a: tasks.send_invitation(*a)),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = client.post(reverse("invitation_resend", args=["solvik", invitation.pk]))
    assert response["Location"] == reverse("organisation_detail", args=["solvik"])
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["nina@solvik.se"]
    new_token = link_in(mail.outbox[0]).split("/")[-2]
    assert new_token != old_token
    assert services.invitation_by_token(old_token) is None
    assert services.invitation_by_token(new_token).pk == invitation.pk


def test_an_admin_of_another_organisation_cannot_resend_it(client, ada, bob, norrby):
    invitation, _token = services.invitation_create(
        organisation=ada.memberships.get().organisation, by=ada, email="nina@solvik.se", role=Role.SOCIAL_WORKER
    )
    norrby_admin = factories.user("nils@norrby.se")
    factories.member(norrby_admin, norrby, Role.ORG_ADMIN)
    client.force_login(norrby_admin)
    assert client.post(reverse("invitation_resend", args=["solvik", invitation.pk])).status_code == 404
    assert client.post(reverse("invitation_resend", args=["norrby", invitation.pk])).status_code == 404


def test_the_admin_sees_who_accepted_and_when(client, ada):
    invitation, token = services.invitation_create(
        organisation=ada.memberships.get().organisation, by=ada, email="nina@solvik.se", role=Role.SOCIAL_WORKER
    )
    services.invitation_accept(token=token, first_name="Nina", last_name="Nord", password="ett-langt-losenord")
    client.force_login(ada)
    html = client.get(reverse("organisation_detail", args=["solvik"])).content.decode()
    assert f"nina@solvik.se blev socialsekreterare den {timezone.localdate():%Y-%m-%d}" in html


def test_each_role_says_what_it_does_where_it_is_chosen(client, ada):
    client.force_login(ada)
    html = client.get(reverse("organisation_detail", args=["solvik"])).content.decode()
    assert "registrerar nyanlända med deras samtycke" in html and 'type="radio"' in html


def test_ada_names_the_person_volunteers_call_and_it_shows_where_volunteers_look(client, ada, vera, sprakvan):
    client.force_login(ada)
    data = {"area": "Solvik och Norrby", "contact_name": "Karin Lund", "contact_phone": "070-174 06 05",
            "contact_email": "karin@solvik.se"}  # fmt: skip
    assert client.post(reverse("organisation_contact", args=["solvik"]), data).status_code == 302
    start = client.get(reverse("volunteer_start")).content.decode()
    assert "Finns i Solvik och Norrby." in start and "Kontakta Karin Lund" in start and 'href="tel:070174' in start
    client.force_login(vera)
    assert "Kontakta Karin Lund" in client.get(reverse("my_volunteering")).content.decode()


def test_a_contact_with_a_formula_or_letters_in_the_phone_is_refused_at_its_field(client, ada):
    client.force_login(ada)
    data = {"area": "", "contact_name": "=HYPERLINK(1)", "contact_phone": "ring mig", "contact_email": "x"}
    response = client.post(reverse("organisation_contact", args=["solvik"]), data)
    errors = response.context["contact_form"].errors
    assert response.status_code == 400 and set(errors) == {"contact_name", "contact_phone", "contact_email"}
    assert ada.memberships.get().organisation.contact_name == ""


def test_a_first_sending_delivered_after_the_invitation_was_sent_again_sends_nothing(ada):
    invitation, old_token = services.invitation_create(
        organisation=ada.memberships.get().organisation, by=ada, email="nina@solvik.se", role=Role.SOCIAL_WORKER
    )
    _invitation, new_token = services.invitation_resend(invitation=invitation, by=ada)
    assert tasks.send_invitation(invitation.pk, old_token) == 0
    assert tasks.send_invitation(invitation.pk, new_token) == 1
    assert len(mail.outbox) == 1 and new_token in mail.outbox[0].body
