from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from coordinator.api import views

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
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
]
