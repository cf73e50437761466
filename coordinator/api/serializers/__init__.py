"""What the API reads and writes. No logic here: input is parsed field by field (a person's facts
are checked by coordinator/facts.py), then handed to the same services the web pages use; output
shows what the permission module lets the user see. The examples in the API's documentation are
in coordinator/api/examples.py.

Split by sub-domain; everything is importable from here, `serializers.MatchSerializer`.
"""

from coordinator.api.serializers.matches import (
    EndSerializer,
    ExtendSerializer,
    FollowUpRecordSerializer,
    FollowUpSerializer,
    IntroSerializer,
    MatchCreateSerializer,
    MatchSerializer,
)
from coordinator.api.serializers.organisations import (
    OrganisationSerializer,
    ProgrammeSerializer,
)
from coordinator.api.serializers.people import (
    BackgroundCheckSerializer,
    NewcomerSerializer,
    NewcomerWriteSerializer,
    PersonFactsSerializer,
    PersonOutMixin,
    ScreeningSerializer,
    VolunteerSerializer,
    VolunteerUpdateSerializer,
)
from coordinator.api.serializers.runs import (
    DeclineSerializer,
    MatchingRunSerializer,
    PersonBriefSerializer,
    ProposalSerializer,
    RunRequestSerializer,
)
from coordinator.api.serializers.tokens import (
    TokenRequestSerializer,
    TokenSerializer,
)

__all__ = [
    "BackgroundCheckSerializer",
    "DeclineSerializer",
    "EndSerializer",
    "ExtendSerializer",
    "FollowUpRecordSerializer",
    "FollowUpSerializer",
    "IntroSerializer",
    "MatchCreateSerializer",
    "MatchSerializer",
    "MatchingRunSerializer",
    "NewcomerSerializer",
    "NewcomerWriteSerializer",
    "OrganisationSerializer",
    "PersonBriefSerializer",
    "PersonFactsSerializer",
    "PersonOutMixin",
    "ProgrammeSerializer",
    "ProposalSerializer",
    "RunRequestSerializer",
    "ScreeningSerializer",
    "TokenRequestSerializer",
    "TokenSerializer",
    "VolunteerSerializer",
    "VolunteerUpdateSerializer",
]
