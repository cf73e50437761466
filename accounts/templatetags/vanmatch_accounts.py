"""Template helpers for allauth's pages in Vänmatch's own templates."""

from django import template

from accounts import permissions

register = template.Library()


@register.simple_tag(takes_context=True)
def recent_password_purpose(context) -> str | None:
    """What the person asked for her password again is about to do ("byta lösenord"), from the
    page she goes on to afterwards; None when it is not known."""
    request = context["request"]
    next_url = context.get("redirect_field_value") or request.GET.get("next", "")
    return permissions.recent_password_purpose(request, next_url)
