"""Every write in the befriending domain goes through one function here.

Views, the API, admin actions, management commands and tasks call these; none
re-implements one. Each owns its transaction.

Split by sub-domain: matches.py, people.py, programmes.py, runs.py (matching runs, locks); everything is importable from
here, `services.match_create(...)`.
"""

from coordinator.services.applications import (
    application_draft_choose_organisation,
    application_draft_discard,
    application_draft_keep_typing,
    application_draft_save_step,
)
from coordinator.services.exports import (
    export_build,
    export_download,
    export_failed,
    export_request,
    exports_tidy,
)
from coordinator.services.imports import (
    import_apply,
    import_apply_batch,
    import_apply_failed,
    import_apply_request,
    import_check,
    import_check_batch,
    import_check_failed,
    import_receive,
)
from coordinator.services.matches import (
    RULE_MESSAGES,
    add_months,
    follow_up_record,
    lock_approve,
    match_activate,
    match_book_intro,
    match_create,
    match_create_by_hand,
    match_end,
    match_extend,
    meeting_log,
    pair_check,
    proposal_approve,
    proposal_decline,
)
from coordinator.services.people import (
    ERASED_NAME,
    SCREENING_STEPS,
    newcomer_erase,
    newcomer_register,
    newcomer_update,
    newcomer_withdraw_consent,
    person_data,
    volunteer_apply,
    volunteer_pause,
    volunteer_record_background_check,
    volunteer_resume,
    volunteer_screen,
    volunteer_update,
    volunteer_withdraw,
)
from coordinator.services.programmes import programme_save
from coordinator.services.surveys import sms_received, survey_answer, survey_ask, surveys_ask_due

__all__ = [
    "sms_received",
    "survey_answer",
    "survey_ask",
    "surveys_ask_due",
    "export_build",
    "export_download",
    "export_failed",
    "export_request",
    "exports_tidy",
    "ERASED_NAME",
    "application_draft_choose_organisation",
    "application_draft_discard",
    "application_draft_keep_typing",
    "application_draft_save_step",
    "RULE_MESSAGES",
    "follow_up_record",
    "import_apply",
    "import_apply_batch",
    "import_apply_failed",
    "import_apply_request",
    "import_check",
    "import_check_batch",
    "import_check_failed",
    "import_receive",
    "lock_approve",
    "match_activate",
    "match_book_intro",
    "match_create_by_hand",
    "match_extend",
    "meeting_log",
    "pair_check",
    "proposal_decline",
    "SCREENING_STEPS",
    "add_months",
    "match_create",
    "match_end",
    "newcomer_erase",
    "person_data",
    "newcomer_register",
    "newcomer_update",
    "newcomer_withdraw_consent",
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
