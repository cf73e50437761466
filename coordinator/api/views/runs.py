"""Matching runs and the proposals they make: requested, followed, approved or declined."""

from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.audit import audit_read
from accounts.models import AuditEvent as A
from coordinator import permissions, services
from coordinator.api import serializers as s
from coordinator.api.views.common import IdFilter
from coordinator.models import MatchingRun, Proposal
from coordinator.services import runs


class RunFilter(filters.FilterSet):
    programme = IdFilter(field_name="programme")

    class Meta:
        model = MatchingRun
        fields = ["programme", "status"]


@extend_schema_view(create=extend_schema(request=s.RunRequestSerializer, responses={202: s.MatchingRunSerializer}))
class MatchingRunViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Matching runs: start one (the worker computes it), then poll it."""

    serializer_class = s.MatchingRunSerializer
    filterset_class = RunFilter
    ordering_fields = ["created_at", "id"]
    ordering = ["-created_at", "-id"]

    def get_queryset(self):
        return MatchingRun.objects.filter(programme__in=permissions.programmes_visible(self.request.user)).defer(
            "unmatched", "gaps"
        )

    def create(self, request, *args, **kwargs):
        data = s.RunRequestSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        run = runs.run_request(programme=data.validated_data["programme"], by=request.user)
        return Response(s.MatchingRunSerializer(run).data, status=status.HTTP_202_ACCEPTED)


class ProposalFilter(filters.FilterSet):
    programme = IdFilter(field_name="run__programme", label="programme")
    run = IdFilter(field_name="run")

    class Meta:
        model = Proposal
        fields = ["state", "programme", "run"]


class ProposalViewSet(viewsets.ReadOnlyModelViewSet):
    """Proposals from matching runs: approve one (it becomes a match) or decline it with a reason."""

    serializer_class = s.ProposalSerializer
    filterset_class = ProposalFilter
    ordering_fields = ["score", "id"]
    ordering = ["-score", "id"]

    def get_queryset(self):
        return Proposal.objects.filter(
            run__programme__in=permissions.programmes_visible(self.request.user)
        ).select_related("newcomer", "volunteer")

    def retrieve(self, request, *args, **kwargs):
        proposal = self.get_object()
        audit_read(user=request.user, purpose=A.Purpose.API, subjects=[proposal.newcomer, proposal.volunteer])
        return Response(self.get_serializer(proposal).data)

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        if page is not None:
            shown = [person for p in page for person in (p.newcomer, p.volunteer)]
            audit_read(user=self.request.user, purpose=A.Purpose.API, subjects=shown)
        return page

    @extend_schema(request=None, responses={201: s.MatchSerializer}, summary="Approve: the pair becomes a match")
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        match = services.proposal_approve(proposal=self.get_object(), by=request.user)
        return Response(
            s.MatchSerializer(match, context=self.get_serializer_context()).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(request=s.DeclineSerializer, responses={200: s.ProposalSerializer}, summary="Decline with a reason")
    @action(detail=True, methods=["post"])
    def decline(self, request, pk=None):
        proposal = self.get_object()
        data = s.DeclineSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.proposal_decline(proposal=proposal, by=request.user, reason=data.validated_data["reason"])
        return Response(s.ProposalSerializer(self.get_queryset().get(pk=proposal.pk)).data)
