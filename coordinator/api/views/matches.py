"""Matches and their follow-ups: made by hand, introduced, extended, ended."""

from django.utils import timezone
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.audit import audit_read
from accounts.models import AuditEvent as A
from coordinator import permissions, services
from coordinator.api import serializers as s
from coordinator.api.views.common import IdFilter, staff_of
from coordinator.models import FollowUp, Match


class MatchFilter(filters.FilterSet):
    programme = IdFilter(field_name="programme")

    class Meta:
        model = Match
        fields = ["programme", "state"]


@extend_schema_view(create=extend_schema(request=s.MatchCreateSerializer, responses={201: s.MatchSerializer}))
class MatchViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Matches: coordinators see their organisations'; a volunteer sees their own."""

    serializer_class = s.MatchSerializer
    filterset_class = MatchFilter
    ordering_fields = ["started_on", "planned_end_on", "id"]
    ordering = ["-started_on", "-id"]

    def get_queryset(self):
        return (
            permissions.matches_visible(self.request.user)
            .select_related("newcomer", "volunteer")
            .prefetch_related("follow_ups")
        )

    def _managed(self) -> Match:
        match = self.get_object()
        staff_of(self.request.user, match.programme.organisation_id)
        return match

    def _out(self, match, code=status.HTTP_200_OK):
        return Response(self.get_serializer(self.get_queryset().get(pk=match.pk)).data, status=code)

    def retrieve(self, request, *args, **kwargs):
        match = self.get_object()
        self._audit([match])
        return Response(self.get_serializer(match).data)

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        if page is not None:
            self._audit(page)
        return page

    def _audit(self, matches) -> None:
        """Both people of every match handed out are read: the newcomer as far as this user may
        see her, the volunteer in full."""
        subjects = [person for m in matches for person in (m.newcomer, m.volunteer)]
        audit_read(user=self.request.user, purpose=A.Purpose.API, subjects=subjects)

    def create(self, request, *args, **kwargs):
        data = s.MatchCreateSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        d = data.validated_data
        match = services.match_create_by_hand(
            programme=d["programme"], newcomer=d["newcomer"], volunteer=d["volunteer"], by=request.user
        )
        return self._out(match, status.HTTP_201_CREATED)

    @extend_schema(
        request=s.IntroSerializer, responses={200: s.MatchSerializer}, summary="Book the introduction meeting"
    )
    @action(detail=True, methods=["post"])
    def introduction(self, request, pk=None):
        match = self._managed()
        data = s.IntroSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        services.match_book_intro(
            match=match, by=request.user, at=d["at"], place=d["place"], coordinator_attends=d["coordinator_attends"]
        )
        return self._out(match)

    @extend_schema(request=None, responses={200: s.MatchSerializer}, summary="The match is under way")
    @action(detail=True, methods=["post"])
    def activate(self, request, pk=None):
        match = self._managed()
        services.match_activate(match=match, by=request.user)
        return self._out(match)

    @extend_schema(request=s.ExtendSerializer, responses={200: s.MatchSerializer}, summary="Extend the planned end")
    @action(detail=True, methods=["post"])
    def extend(self, request, pk=None):
        match = self._managed()
        data = s.ExtendSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.match_extend(match=match, by=request.user, months=data.validated_data["months"])
        return self._out(match)

    @extend_schema(request=s.EndSerializer, responses={200: s.MatchSerializer}, summary="End the match with a reason")
    @action(detail=True, methods=["post"])
    def end(self, request, pk=None):
        match = self._managed()
        data = s.EndSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.match_end(match=match, by=request.user, **data.validated_data)
        return self._out(match)


class FollowUpFilter(filters.FilterSet):
    due_before = filters.DateFilter(field_name="due_on", lookup_expr="lte", label="due on or before")
    open = filters.BooleanFilter(field_name="done_on", lookup_expr="isnull", label="not yet done")
    match = IdFilter(field_name="match")

    class Meta:
        model = FollowUp
        fields = ["match", "due_before", "open"]


class FollowUpViewSet(viewsets.ReadOnlyModelViewSet):
    """Follow-ups of the matches the user coordinates."""

    serializer_class = s.FollowUpSerializer
    filterset_class = FollowUpFilter
    ordering_fields = ["due_on", "id"]
    ordering = ["due_on", "id"]

    def get_queryset(self):
        staff = permissions.programmes_visible(self.request.user)
        return FollowUp.objects.filter(match__programme__in=staff).select_related("match__newcomer", "match__volunteer")

    def _audit(self, follow_ups) -> None:
        """A follow-up's notes are about the two people of its match: reading them is reading them."""
        shown = [person for f in follow_ups for person in (f.match.newcomer, f.match.volunteer)]
        audit_read(user=self.request.user, purpose=A.Purpose.API, subjects=shown)

    def retrieve(self, request, *args, **kwargs):
        follow_up = self.get_object()
        self._audit([follow_up])
        return Response(self.get_serializer(follow_up).data)

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        if page is not None:
            self._audit(page)
        return page

    @extend_schema(
        request=s.FollowUpRecordSerializer, responses={200: s.FollowUpSerializer}, summary="Record a follow-up"
    )
    @action(detail=True, methods=["post"])
    def record(self, request, pk=None):
        follow_up = self.get_object()
        data = s.FollowUpRecordSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        services.follow_up_record(
            follow_up=follow_up,
            by=request.user,
            outcome=d["outcome"],
            notes=d["notes"],
            on=d.get("done_on") or timezone.localdate(),
            meetings_since=d.get("meetings_since"),
            met_how=d.get("met_how", []),
            activities=d["activities"],
            volunteer_answers=d.get("volunteer_answers"),
            newcomer_answers=d.get("newcomer_answers"),
            concern=d["concern"],
            safeguarding=d["safeguarding"],
        )
        return Response(s.FollowUpSerializer(FollowUp.objects.get(pk=follow_up.pk)).data)
