"""API v1. Thin: every list comes from the permission module's querysets (so a record the user
may not see is a 404), every write is one call to the services the web pages use."""

from django import forms
from django.contrib.auth import authenticate
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action, api_view, permission_classes, throttle_classes
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle

from accounts import api_tokens, permissions, two_factor
from accounts.audit import audit_read, audit_record
from accounts.models import AuditEvent as A
from accounts.models import Organisation
from coordinator import services
from coordinator.api import serializers as s
from coordinator.api.errors import error_response
from coordinator.models import FollowUp, Match, MatchingRun, Newcomer, Programme, Proposal, Volunteer
from coordinator.services import runs


def _staff_of(user, organisation_id: int) -> None:
    if not permissions.has_role(user, organisation_id, *permissions.STAFF_ROLES):
        raise PermissionDenied


class TokenRateThrottle(AnonRateThrottle):
    """Guessing passwords through the API is slow: 10 tries a minute per address."""

    scope = "token"


@extend_schema(
    request=s.TokenRequestSerializer,
    responses={200: s.TokenSerializer},
    auth=[],
    summary="Get an API token for an e-mail address, a password and (for staff) a code",
)
@api_view(["POST"])
@permission_classes([AllowAny])
@throttle_classes([TokenRateThrottle])
def token_obtain(request):
    serializer = s.TokenRequestSerializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    user = authenticate(
        request._request,  # the HttpRequest, on which django-axes marks a lockout
        email=serializer.validated_data["email"],
        password=serializer.validated_data["password"],
    )
    if user is None or not user.is_active:
        return error_response(_("Fel e-post eller lösenord."), code=status.HTTP_400_BAD_REQUEST)
    if two_factor.required_for(user):
        app = two_factor.authenticator(user)
        if app is None:
            return error_response(
                _("Ditt konto kräver tvåstegsverifiering: slå på den på webben (Inloggning) först."),
                field="code",
            )
        try:
            valid = two_factor.check_code(user, app, serializer.validated_data["code"], request=request._request)
        except two_factor.CodesLocked:
            return error_response(two_factor.locked_message(), field="code", code=status.HTTP_429_TOO_MANY_REQUESTS)
        if not valid:
            return error_response(_("Ange en giltig kod från din autentiseringsapp."), field="code")
    instance, key = api_tokens.token_issue(user=user)
    return Response({"token": key, "expires": instance.expiry})


class AuditedReads:
    """Every person the API hands out, one by one or a page at a time, leaves an audit row."""

    def get_object(self):
        person = super().get_object()
        audit_record(user=self.request.user, action=A.Action.VIEW, purpose=A.Purpose.API, subjects=[person])
        return person

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        if page is not None:
            audit_record(user=self.request.user, action=A.Action.VIEW, purpose=A.Purpose.API, subjects=page)
        return page


class OrganisationViewSet(viewsets.ReadOnlyModelViewSet):
    """The organisations the user has a role in."""

    serializer_class = s.OrganisationSerializer
    ordering_fields = ["name"]
    ordering = ["name"]

    def get_queryset(self):
        if self.request.user.is_superuser:
            return Organisation.objects.all()
        return Organisation.objects.filter(id__in=permissions.organisation_ids(self.request.user))


class IdFilter(filters.NumberFilter):
    """An id in a filter: only the rows the user may see are filtered, so an id elsewhere and a
    missing id both give an empty page, never "not a valid choice" for one of them; a number no
    id can be is refused at its field (a 20-digit one was a 500)."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", 2**63 - 1)
        super().__init__(*args, **kwargs)


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
        services.volunteer_screen(
            volunteer=volunteer,
            by=request.user,
            to=data.validated_data["to_status"],
            reason=data.validated_data["reason"],
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
        keys = {
            "first_name", "last_name", "phone", "birth_year", "gender", "target_group", "languages", "swedish_level",
            "interests", "availability", "gender_preference", "household_adults", "household_children_ages", "needs",
            "interpreter_needed", "interpreter_language", "consent_shareable", "place",
        }  # fmt: skip
        return {k: v for k, v in data.items() if k in keys}

    def create(self, request, *args, **kwargs):
        data = s.NewcomerWriteSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        d = data.validated_data
        organisations = list(permissions.organisations_registering_newcomers(request.user))
        if not organisations:
            raise PermissionDenied
        organisation = d.get("organisation") or (organisations[0] if len(organisations) == 1 else None)
        if organisation is None:
            return error_response(_("Ange vilken organisation."), field="organisation")
        missing = [f for f in ("consent_given_on", "consent_method") if f not in d]
        if missing:
            return error_response(_("Samtycket måste anges: datum och hur det lämnades."), field=missing[0])
        newcomer = services.newcomer_register(
            by=request.user,
            organisation=organisation,
            programmes=list(d["programmes"]),
            facts=self._facts(d),
            consent_given_on=d["consent_given_on"],
            consent_method=d["consent_method"],
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
        _staff_of(self.request.user, match.programme.organisation_id)
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
        )
        return Response(s.FollowUpSerializer(FollowUp.objects.get(pk=follow_up.pk)).data)
