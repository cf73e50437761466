"""Every read in the befriending domain that more than one caller needs.

Split by sub-domain (people.py, pool.py, programmes.py, reports.py); everything is importable
from here, `selectors.matching_problem(...)`.
"""

from coordinator.selectors.people import (
    ProgrammeOverview,
    application_draft_of,
    describe_newcomer,
    describe_person,
    describe_volunteer,
    newcomer_for_social_worker,
    newcomers_of_social_worker,
    organisation_by_slug,
    organisations_recruiting,
    programme_overviews,
    volunteer_for_screening,
    volunteer_of,
    volunteer_overview,
    volunteers_for_screening,
)
from coordinator.selectors.pool import (
    matching_problem,
    newcomer_facts_for_volunteer,
    newcomer_name_for_volunteer,
    newcomers_waiting_in,
    pair_problem,
    problem_subjects,
    volunteers_with_room_in,
)
from coordinator.selectors.programmes import (
    WAIT_BANDS,
    follow_ups_due_by_coordinator,
    match_for_staff,
    matches_ending_by,
    matches_of_programme,
    pool_for_manual_match,
    programme_dashboard,
    programme_for_staff,
    proposal_queue,
    unmatched_of_run,
)
from coordinator.selectors.reports import AGE_BANDS, export_matches, export_people, export_subjects, funder_report

__all__ = [
    "application_draft_of",
    "AGE_BANDS",
    "WAIT_BANDS",
    "ProgrammeOverview",
    "describe_newcomer",
    "describe_person",
    "describe_volunteer",
    "export_matches",
    "export_people",
    "export_subjects",
    "follow_ups_due_by_coordinator",
    "funder_report",
    "match_for_staff",
    "matches_ending_by",
    "matches_of_programme",
    "matching_problem",
    "newcomers_waiting_in",
    "problem_subjects",
    "volunteers_with_room_in",
    "newcomer_facts_for_volunteer",
    "newcomer_for_social_worker",
    "newcomer_name_for_volunteer",
    "newcomers_of_social_worker",
    "organisation_by_slug",
    "organisations_recruiting",
    "pair_problem",
    "pool_for_manual_match",
    "programme_dashboard",
    "programme_for_staff",
    "programme_overviews",
    "proposal_queue",
    "unmatched_of_run",
    "volunteer_for_screening",
    "volunteer_of",
    "volunteer_overview",
    "volunteers_for_screening",
]
