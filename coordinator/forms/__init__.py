"""Forms for the people in a programme and the coordinator's work: they validate and clean;
they never save. Views hand `cleaned_data` to the services. Every message names what is wrong
at the field it belongs to; a person's facts are checked by coordinator/facts.py.

Split by sub-domain (people.py: the facts every person has; applications.py, screening.py,
newcomers.py, programmes.py, matches.py); everything is importable from here, `forms.NewcomerForm`.
"""

from coordinator.forms.applications import (
    AboutYouForm,
    AvailabilityForm,
    ConsentForm,
    LanguagesForm,
    PlaceForm,
    ProgrammesForm,
    WishesForm,
)
from coordinator.forms.matches import (
    DeclineForm,
    EndForm,
    ExtendForm,
    FollowUpForm,
    IntroForm,
    MeetingForm,
    PairForm,
    PairSearchForm,
    PeopleFilterForm,
    QueueFilterForm,
)
from coordinator.forms.newcomers import NewcomerForm, NewcomerSearchForm, WithdrawConsentForm
from coordinator.forms.people import HouseholdMixin, PersonFactsForm, SlotGrid, facts_from, initial_from
from coordinator.forms.programmes import ProgrammeForm
from coordinator.forms.screening import BackgroundCheckForm, ScreeningForm

__all__ = [
    "AboutYouForm",
    "AvailabilityForm",
    "BackgroundCheckForm",
    "ConsentForm",
    "DeclineForm",
    "EndForm",
    "ExtendForm",
    "FollowUpForm",
    "MeetingForm",
    "HouseholdMixin",
    "IntroForm",
    "LanguagesForm",
    "NewcomerForm",
    "NewcomerSearchForm",
    "PairForm",
    "PairSearchForm",
    "QueueFilterForm",
    "PeopleFilterForm",
    "PersonFactsForm",
    "PlaceForm",
    "ProgrammeForm",
    "ProgrammesForm",
    "ScreeningForm",
    "SlotGrid",
    "WishesForm",
    "WithdrawConsentForm",
    "facts_from",
    "initial_from",
]
