from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from coordinator.api import views


def _docs_policy(view):
    from functools import wraps

    from django.conf import settings

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response["Content-Security-Policy"] = settings.VANMATCH_CSP.replace(
            "style-src 'self'", "style-src 'self' 'unsafe-inline'"
        )
        return response

    return wrapped


router = DefaultRouter()
router.register("organisations", views.OrganisationViewSet, basename="organisation")
router.register("programmes", views.ProgrammeViewSet, basename="programme")
router.register("volunteers", views.VolunteerViewSet, basename="volunteer")
router.register("newcomers", views.NewcomerViewSet, basename="newcomer")
router.register("runs", views.MatchingRunViewSet, basename="run")
router.register("proposals", views.ProposalViewSet, basename="proposal")
router.register("matches", views.MatchViewSet, basename="match")
router.register("follow-ups", views.FollowUpViewSet, basename="follow-up")

urlpatterns = [
    path("api/v1/auth/token/", views.token_obtain, name="api-token"),
    path("api/v1/", include((router.urls, "api"), namespace="api")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves Swagger UI's script as a file of its own, which the CSP allows;
    # Swagger UI sets inline styles, so this one page allows inline style (never inline script).
    path("api/docs/", _docs_policy(SpectacularSwaggerSplitView.as_view(url_name="api-schema")), name="api-docs"),
]
