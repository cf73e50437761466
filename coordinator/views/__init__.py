from pathlib import Path

from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_GET

from accounts.audit import audit_read
from accounts.models import AuditEvent as A
from coordinator import permissions, selectors

HOME_NEWCOMERS = 10  # the most recent on the start page; the list has the rest


@require_GET
def home(request):
    """What Vänmatch is, for a visitor; the user's programmes and their figures, once logged in."""
    context = {}
    if request.user.is_authenticated:
        context["overviews"] = selectors.programme_overviews(user=request.user)
        context["roles"] = roles = permissions.roles_of(request.user)
        if "social_worker" in roles:
            newcomers = selectors.newcomers_of_social_worker(user=request.user)
            context["my_newcomers"] = list(newcomers[: HOME_NEWCOMERS + 1])
            context["more_newcomers"] = len(context["my_newcomers"]) > HOME_NEWCOMERS
            context["my_newcomers"] = context["my_newcomers"][:HOME_NEWCOMERS]
            audit_read(user=request.user, purpose=A.Purpose.CASE, subjects=context["my_newcomers"])
        if "volunteer" in roles:
            context["volunteer"], matches = selectors.volunteer_overview(user=request.user)
            context["volunteer_matches"] = [(m, selectors.newcomer_seen_by(m.newcomer)["name"]) for m in matches]
            audit_read(user=request.user, purpose=A.Purpose.FOLLOW_UP, subjects=[m.newcomer for m in matches])
    return render(request, "home.html", context)


_FAVICON = (Path(__file__).resolve().parent.parent / "static" / "vanmatch" / "favicon.svg").read_bytes()


@cache_control(public=True, max_age=86400)
@require_GET
def favicon(request):
    """The icon browsers ask for at /favicon.ico by themselves, whatever the page links to."""
    return HttpResponse(_FAVICON, content_type="image/svg+xml")


@never_cache
@require_GET
def health(request):
    """For load balancers and docker-compose: 200 when the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
