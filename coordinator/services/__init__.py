"""Every write in the befriending domain goes through one function here.

Views, the API, admin actions, management commands and tasks call these; none
re-implements one. Each owns its transaction.

Split by sub-domain: matches.py, people.py, programmes.py; everything is importable from
here, `services.match_create(...)`.
"""

from coordinator.services.matches import add_months, match_create, match_end, proposal_approve
from coordinator.services.people import (
    ERASED_NAME,
    SCREENING_STEPS,
    newcomer_register,
    newcomer_update,
    newcomer_withdraw_consent,
    person_locate,
    volunteer_apply,
    volunteer_pause,
    volunteer_record_background_check,
    volunteer_resume,
    volunteer_screen,
    volunteer_update,
    volunteer_withdraw,
)
from coordinator.services.programmes import programme_save

__all__ = [
    "ERASED_NAME",
    "SCREENING_STEPS",
    "add_months",
    "match_create",
    "match_end",
    "newcomer_register",
    "newcomer_update",
    "newcomer_withdraw_consent",
    "person_locate",
    "programme_save",
    "proposal_approve",
    "volunteer_apply",
    "volunteer_pause",
    "volunteer_record_background_check",
    "volunteer_resume",
    "volunteer_screen",
    "volunteer_update",
    "volunteer_withdraw",
]
