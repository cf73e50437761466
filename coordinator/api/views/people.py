"""Volunteers and newcomers: coordinators read their organisations'; social workers register
newcomers and change those they follow; a volunteer reads and changes herself."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from coordinator import permissions, services
from coordinator.api import serializers as s
from coordinator.api.views.common import AuditedReads, IdFilter
from coordinator.models import Newcomer, Volunteer


class VolunteerFilter(filters.FilterSet):
    programme = IdFilter(field_name="programmes", label="programme")
    organisation = IdFilter(field_name="organisation")

    class Meta:
        model = Volunteer
        fields = ["status", "programme", "organisation"]


@extend_schema_view(
    partial_update=extend_schema(request=s.VolunteerUpdateSerializer, responses={200: s.VolunteerSerializer}),
)
class VolunteerViewSet(AuditedReads, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Volunteers: coordinators see their organisations'; a volunteer sees only themself."""

    serializer_class = s.VolunteerSerializer
    filterset_class = VolunteerFilter
    ordering_fields = ["first_name", "last_name", "created_at", "id"]
    ordering = ["first_name", "last_name", "id"]
    http_method_names = ["get", "patch", "post", "head", "options"]

    def get_queryset(self):
        return permissions.volunteers_visible(self.request.user).prefetch_related("programmes")

    def update(self, request, *args, **kwargs):
        volunteer = self.get_object()
        data = s.VolunteerUpdateSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        facts = dict(data.validated_data)
        services.volunteer_update(volunteer=volunteer, by=request.user, facts=facts)
        return Response(s.VolunteerSerializer(self.get_queryset().get(pk=volunteer.pk)).data)

    @extend_schema(
        request=s.ScreeningSerializer, responses={200: s.VolunteerSerializer}, summary="A screening decision"
    )
    @action(detail=True, methods=["post"])
    def screen(self, request, pk=None):
        volunteer = self.get_object()
        if not permissions.may_screen(request.user, volunteer):
            raise PermissionDenied
        data = s.ScreeningSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        programmes = None
        if "programmes" in data.validated_data:
            ids = set(data.validated_data["programmes"])
            # Only her own programmes are looked up: any other id is refused the same way.
            programmes = list(volunteer.programmes.filter(pk__in=ids))
            if len(programmes) != len(ids):
                raise ValidationError({"programmes": _("Hon kan bara godkännas för program hon har anmält sig till.")})
        services.volunteer_screen(
            volunteer=volunteer,
            by=request.user,
            to=data.validated_data["to_status"],
            reason=data.validated_data["reason"],
            notes=data.validated_data["notes"],
            programmes=programmes,
        )
        return Response(s.VolunteerSerializer(self.get_queryset().get(pk=volunteer.pk)).data)

    @extend_schema(
        request=s.BackgroundCheckSerializer, responses={200: s.VolunteerSerializer}, summary="Record a background check"
    )
    @action(detail=True, methods=["post"], url_path="background-check")
    def background_check(self, request, pk=None):
        volunteer = self.get_object()
        if not permissions.may_screen(request.user, volunteer):
            raise PermissionDenied
        data = s.BackgroundCheckSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.volunteer_record_background_check(
            volunteer=volunteer,
            by=request.user,
            seen_on=data.validated_data["seen_on"],
            expires_on=data.validated_data["expires_on"],
        )
        return Response(s.VolunteerSerializer(self.get_queryset().get(pk=volunteer.pk)).data)


class NewcomerFilter(filters.FilterSet):
    programme = IdFilter(field_name="programmes", label="programme")
    organisation = IdFilter(field_name="organisation")

    class Meta:
        model = Newcomer
        fields = ["status", "target_group", "programme", "organisation"]


@extend_schema_view(
    create=extend_schema(request=s.NewcomerWriteSerializer, responses={201: s.NewcomerSerializer}),
    partial_update=extend_schema(request=s.NewcomerWriteSerializer, responses={200: s.NewcomerSerializer}),
)
class NewcomerViewSet(AuditedReads, mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Newcomers: social workers register them and see those they follow; coordinators read their
    organisations'. Needs and notes are never in the API."""

    serializer_class = s.NewcomerSerializer
    filterset_class = NewcomerFilter
    ordering_fields = ["registered_on", "first_name", "id"]
    ordering = ["registered_on", "id"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return permissions.newcomers_visible(self.request.user).prefetch_related("programmes")

    def _facts(self, data: dict) -> dict:
        return {k: v for k, v in data.items() if k in Newcomer.FACTS or k == "place"}

    def create(self, request, *args, **kwargs):
        data = s.NewcomerWriteSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        d = data.validated_data
        if not permissions.organisations_registering_newcomers(request.user).exists():
            raise PermissionDenied
        newcomer = services.newcomer_register(
            by=request.user,
            organisation=d.get("organisation"),
            programmes=list(d["programmes"]),
            facts=self._facts(d),
            consent_given_on=d.get("consent_given_on"),
            consent_method=d.get("consent_method"),
            duplicate_confirmed=d["duplicate_confirmed"],
            consent_notice_language=d["consent_notice_language"],
        )
        return Response(
            s.NewcomerSerializer(self.get_queryset().get(pk=newcomer.pk)).data, status=status.HTTP_201_CREATED
        )

    def update(self, request, *args, **kwargs):
        newcomer = self.get_object()
        if not permissions.newcomers_followed(request.user).filter(pk=newcomer.pk).exists():
            raise PermissionDenied
        data = s.NewcomerWriteSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        services.newcomer_update(
            newcomer=newcomer,
            by=request.user,
            facts=self._facts(data.validated_data),
            programmes=list(data.validated_data["programmes"]),
        )
        return Response(s.NewcomerSerializer(self.get_queryset().get(pk=newcomer.pk)).data)

    @extend_schema(
        request=None, responses={200: s.NewcomerSerializer}, summary="Record that the newcomer withdrew consent"
    )
    @action(detail=True, methods=["post"], url_path="withdraw-consent")
    def withdraw_consent(self, request, pk=None):
        newcomer = self.get_object()
        if not permissions.newcomers_followed(request.user).filter(pk=newcomer.pk).exists():
            raise PermissionDenied
        services.newcomer_withdraw_consent(newcomer=newcomer, by=request.user)
        return Response(s.NewcomerSerializer(self.get_queryset().get(pk=newcomer.pk)).data)
