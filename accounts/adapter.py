"""How django-allauth fits Vänmatch: where people land after logging in."""

from allauth.account.adapter import DefaultAccountAdapter
from django.urls import reverse

from accounts import permissions


class AccountAdapter(DefaultAccountAdapter):
    def get_login_redirect_url(self, request) -> str:
        # Anyone may sign up, and what they sign up as is a volunteer: someone with an
        # account but no role yet goes on to the volunteer application.
        if permissions.needs_volunteer_application(request.user):
            return reverse("volunteer_apply")
        return super().get_login_redirect_url(request)

    def get_signup_redirect_url(self, request) -> str:
        return self.get_login_redirect_url(request)
