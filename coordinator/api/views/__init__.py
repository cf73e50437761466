"""API v1. Thin: every list comes from the permission module's querysets (so a record the user
may not see is a 404), every write is one call to the services the web pages use.

Split by sub-domain (tokens, programmes, people, runs, matches); coordinator/api/urls.py routes
to the view sets exported here.
"""

from coordinator.api.views.matches import FollowUpViewSet, MatchViewSet
from coordinator.api.views.people import NewcomerViewSet, VolunteerViewSet
from coordinator.api.views.programmes import OrganisationViewSet, ProgrammeViewSet
from coordinator.api.views.runs import MatchingRunViewSet, ProposalViewSet
from coordinator.api.views.tokens import token_obtain

__all__ = [
    "FollowUpViewSet",
    "MatchViewSet",
    "MatchingRunViewSet",
    "NewcomerViewSet",
    "OrganisationViewSet",
    "ProgrammeViewSet",
    "ProposalViewSet",
    "VolunteerViewSet",
    "token_obtain",
]
