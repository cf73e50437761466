"""The OpenAPI examples of the API's requests and answers, shown in /api/docs/ beside each
serializer (coordinator/api/serializers/). They are documentation: no code reads them."""

from drf_spectacular.utils import OpenApiExample

ORGANISATION = [
    OpenApiExample(
        "A municipality",
        value={
            "id": 1,
            "name": "Ekerö kommun",
            "slug": "ekero",
            "kind": "municipality",
            "municipality_code": "0125",
        },
        response_only=True,
    )
]

PROGRAMME = [
    OpenApiExample(
        "A language-friend programme",
        value={
            "id": 3,
            "organisation": 1,
            "name": "Språkvän Ekerö",
            "kind": "sprakvan",
            "description": "",
            "planned_length_months": 6,
            "trial_months": 1,
            "max_distance_km": 25.0,
            "follow_up_days": [14, 30, 90],
            "target_groups": ["nyanland", "asylsokande"],
            "nightly_matching": False,
            "active": True,
        },
    )
]

VOLUNTEER = [
    OpenApiExample(
        "An approved volunteer",
        value={
            "id": 12,
            "organisation": 1,
            "programmes": [3],
            "first_name": "Karin",
            "last_name": "Berg",
            "email": "karin@example.se",
            "phone": "070-123 45 67",
            "status": "approved",
            "languages": ["sv", "en"],
            "swedish_level": "native",
            "interests": ["matlagning"],
            "availability": ["mon-evening", "sat-morning"],
            "location": {"postcode": "178 32", "locality": "Ekerö"},
            "gender": "female",
            "birth_year": 1968,
            "gender_preference": "",
            "household_adults": 2,
            "household_children_ages": [9, 12],
            "capacity": 2,
            "open_matches": 1,
            "background_check_date": "2026-03-01",
            "background_check_expires": "2027-03-01",
        },
        response_only=True,
    )
]

VOLUNTEER_UPDATE = [
    OpenApiExample(
        "Change times and capacity",
        value={"availability": ["tue-evening", "sat-morning"], "capacity": 2},
        request_only=True,
    )
]

SCREENING = [
    OpenApiExample(
        "Reject with a reason",
        value={"to_status": "rejected", "reason": "Kan inte åta sig ett halvår just nu."},
        request_only=True,
    )
]

BACKGROUND_CHECK = [
    OpenApiExample("Extract seen", value={"seen_on": "2026-11-20", "expires_on": "2027-11-20"}, request_only=True)
]

NEWCOMER = [
    OpenApiExample(
        "A newcomer waiting for a match",
        value={
            "id": 40,
            "organisation": 1,
            "programmes": [3],
            "first_name": "Amal",
            "last_name": "Haddad",
            "status": "waiting",
            "target_group": "nyanland",
            "languages": ["ar", "en"],
            "swedish_level": "basic",
            "interests": ["matlagning"],
            "availability": ["mon-evening"],
            "location": {"postcode": "178 30", "locality": "Ekerö"},
            "gender": "female",
            "birth_year": 1994,
            "gender_preference": "female",
            "household_adults": 1,
            "household_children_ages": [3],
            "registered_on": "2026-09-01",
            "interpreter_needed": True,
            "interpreter_language": "ar",
            "consent_given_at": "2026-09-01T10:00:00+02:00",
            "consent_method": "oral_interpreter",
            "consent_withdrawn_at": None,
            "consent_shareable": ["first_name", "languages"],
        },
        response_only=True,
    )
]

NEWCOMER_WRITE = [
    OpenApiExample(
        "Register a newcomer",
        value={
            "programmes": [3],
            "first_name": "Yonas",
            "last_name": "Tesfay",
            "birth_year": 1990,
            "gender": "male",
            "target_group": "asylsokande",
            "languages": ["ti", "en"],
            "swedish_level": "basic",
            "interests": ["fotboll"],
            "availability": ["sat-morning", "wed-evening"],
            "postcode": "178 30",
            "household_adults": 1,
            "household_children_ages": [],
            "interpreter_needed": True,
            "interpreter_language": "ti",
            "consent_given_on": "2026-11-20",
            "consent_method": "oral_interpreter",
            "consent_shareable": ["first_name", "languages"],
        },
        request_only=True,
    )
]

MATCHING_RUN = [
    OpenApiExample(
        "A finished run",
        value={
            "id": 7,
            "programme": 3,
            "status": "done",
            "phase": "",
            "trigger": "manual",
            "created_at": "2026-11-22T14:05:00+01:00",
            "started_at": "2026-11-22T14:05:01+01:00",
            "finished_at": "2026-11-22T14:05:02+01:00",
            "newcomers_count": 64,
            "volunteers_count": 54,
            "feasible_pairs": 1210,
            "matched_count": 53,
            "time_limit": 60,
            "failure": "",
            "error": "",
        },
        response_only=True,
    )
]

RUN_REQUEST = [OpenApiExample("Run matching for a programme", value={"programme": 3}, request_only=True)]

PROPOSAL = [
    OpenApiExample(
        "A pending proposal",
        value={
            "id": 101,
            "run": 7,
            "newcomer": {"id": 40, "first_name": "Amal", "last_name": "Haddad"},
            "volunteer": {"id": 12, "first_name": "Karin", "last_name": "Berg"},
            "score": 0.81,
            "parts": {
                "language": 1.0,
                "interests": 0.5,
                "availability": 1.0,
                "distance": 0.9,
                "distance_km": 2.5,
                "shared_languages": ["en"],
                "shared_slots": ["mon-evening"],
                "shared_interests": ["matlagning"],
            },
            "state": "pending",
            "decided_at": None,
            "decline_reason": "",
        },
        response_only=True,
    )
]

DECLINE = [
    OpenApiExample("Decline", value={"reason": "De bor för långt ifrån varandra för kvällsträffar."}, request_only=True)
]

FOLLOW_UP = [
    OpenApiExample(
        "A follow-up done",
        value={
            "id": 5,
            "match": 33,
            "due_on": "2026-12-06",
            "kind": "check_in",
            "label": "Uppföljning efter 14 dagar",
            "done_on": "2026-12-06",
            "outcome": "going_well",
            "notes": "Ses varje måndag.",
            "meetings_since": 2,
            "met_how": ["in_person"],
            "activities": "Fika och biblioteket.",
            "volunteer_answers": [5, 4, 4, 5, 5],
            "newcomer_answers": [4, 4, 3, 5, 5],
            "concern": "",
            "safeguarding": False,
        },
        response_only=True,
    )
]

FOLLOW_UP_RECORD = [
    OpenApiExample(
        "Going well",
        value={
            "outcome": "going_well",
            "done_on": "2026-12-06",
            "notes": "Ses varje måndag på biblioteket.",
            "meetings_since": 2,
            "met_how": ["in_person"],
            "activities": "Fika och biblioteket.",
            "volunteer_answers": [5, 4, 4, 5, 5],
            "newcomer_answers": [4, 4, 3, 5, 5],
        },
        request_only=True,
    )
]

MATCH = [
    OpenApiExample(
        "An active match",
        value={
            "id": 33,
            "programme": 3,
            "newcomer": {"id": 40, "first_name": "Amal", "last_name": "Haddad"},
            "volunteer": {"id": 12, "first_name": "Karin", "last_name": "Berg"},
            "state": "active",
            "started_on": "2026-11-22",
            "trial_ends_on": "2026-12-22",
            "planned_end_on": "2027-05-22",
            "intro_at": "2026-11-25T17:30:00+01:00",
            "intro_place": "Biblioteket",
            "intro_coordinator_attends": True,
            "activated_on": "2026-11-25",
            "ended_on": None,
            "end_reason": "",
            "follow_ups": [],
        },
        response_only=True,
    )
]

MATCH_CREATE = [
    OpenApiExample("Pair by hand", value={"programme": 3, "newcomer": 40, "volunteer": 12}, request_only=True)
]

INTRO = [
    OpenApiExample(
        "Book the first meeting",
        value={
            "at": "2026-11-25T17:30:00+01:00",
            "place": "Biblioteket i Ekerö centrum",
            "coordinator_attends": True,
        },
        request_only=True,
    )
]

EXTEND = [OpenApiExample("Three months more", value={"months": 3}, request_only=True)]

END = [
    OpenApiExample(
        "Moved away",
        value={"reason": "moved", "note": "", "newcomer_returns": False, "volunteer_returns": True},
        request_only=True,
    )
]

TOKEN_REQUEST = [
    OpenApiExample(
        "Log in", value={"email": "samordnare@ekero.demo", "password": "…", "code": "123456"}, request_only=True
    )
]
