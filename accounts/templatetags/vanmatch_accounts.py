"""Template helpers for allauth's pages in Vänmatch's own templates."""

from allauth.utils import build_absolute_uri
from django import template
from django.conf import settings
from django.urls import reverse

from accounts import permissions

register = template.Library()


@register.simple_tag(takes_context=True)
def recent_password_purpose(context) -> str | None:
    """What the person asked for her password again is about to do ("byta lösenord"), from the
    page she goes on to afterwards; None when it is not known."""
    request = context["request"]
    next_url = context.get("redirect_field_value") or request.GET.get("next", "")
    return permissions.recent_password_purpose(request, next_url)


@register.simple_tag(takes_context=True)
def absolute_url(context, name: str) -> str:
    """A page's whole address for an e-mail: from the request the mail is sent in (as allauth
    builds its own links), else from SITE_URL (mail sent by the worker)."""
    request = context.get("request")
    if request is None:
        return settings.SITE_URL.rstrip("/") + reverse(name)
    return build_absolute_uri(request, reverse(name))
