"""Organisations and programmes, read-only: the user's own."""

from django_filters import rest_framework as filters
from rest_framework import viewsets

from accounts.models import Organisation
from coordinator import permissions
from coordinator.api import serializers as s
from coordinator.api.views.common import IdFilter
from coordinator.models import Programme


class OrganisationViewSet(viewsets.ReadOnlyModelViewSet):
    """The organisations the user has a role in."""

    serializer_class = s.OrganisationSerializer
    ordering_fields = ["name"]
    ordering = ["name"]

    def get_queryset(self):
        if self.request.user.is_superuser:
            return Organisation.objects.all()
        return Organisation.objects.filter(id__in=permissions.organisation_ids(self.request.user))


class ProgrammeFilter(filters.FilterSet):
    organisation = IdFilter(field_name="organisation")

    class Meta:
        model = Programme
        fields = ["organisation", "kind", "active"]


class ProgrammeViewSet(viewsets.ReadOnlyModelViewSet):
    """Programmes of the organisations the user coordinates or administers."""

    serializer_class = s.ProgrammeSerializer
    filterset_class = ProgrammeFilter
    ordering_fields = ["name", "id"]
    ordering = ["name", "id"]

    def get_queryset(self):
        return permissions.programmes_visible(self.request.user)
