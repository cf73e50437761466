"""A realistic demo: two organisations in Ekerö and Jämtland, all three programme kinds,
a few hundred volunteers and newcomers with the languages newcomers in Sweden speak,
and a login for each role. Loading it twice changes nothing (keys are stable)."""

import random
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts import two_factor
from accounts.models import Membership, Organisation, Role, User
from accounts.shared.jobs import none_sent
from coordinator import privacy, services, vocabulary
from coordinator.geo import locate
from coordinator.geo.locate import _postcodes
from coordinator.models import Match, MatchingRun, Meeting, Newcomer, Programme, Proposal, Survey, Volunteer
from coordinator.services import runs

DEMO_PASSWORD = "vanmatch-demo-2026"  # noqa: S105  (printed on purpose: demo only)
STOCKHOLM = ZoneInfo("Europe/Stockholm")


@dataclass(frozen=True)
class DemoLogin:
    email: str
    role: str
    organisation: str


# First names by gender, so that a demo person's name and gender agree (a coordinator reading
# "Erik" and "kvinna" on one page would rightly distrust the rest). Someone of another gender
# takes a name of either list.
VOLUNTEER_FIRST = {
    "female": [
        "Anna",
        "Vera",
        "Eva",
        "Maria",
        "Karin",
        "Sara",
        "Lena",
        "Emma",
        "Kerstin",
        "Ingrid",
        "Johanna",
        "Linnea",
        "Åsa",
        "Sofia",
        "Malin",
        "Birgitta",
        "Ulla",
    ],
    "male": [
        "Erik",
        "Lars",
        "Karl",
        "Anders",
        "Johan",
        "Per",
        "Mikael",
        "Olof",
        "Nils",
        "Gustav",
        "Björn",
        "Henrik",
        "Mats",
        "Göran",
    ],
}
VOLUNTEER_LAST = [
    "Andersson",
    "Johansson",
    "Karlsson",
    "Nilsson",
    "Eriksson",
    "Larsson",
    "Olsson",
    "Persson",
    "Svensson",
    "Gustafsson",
    "Pettersson",
    "Jonsson",
    "Lindberg",
    "Lindqvist",
    "Berg",
    "Sjöberg",
    "Öberg",
    "Åkesson",
    "Holm",
    "Bergström",
]
NEWCOMER_NAMES = {  # language: ({gender: first names}, last names)
    "ar": (
        {"female": ["Amal", "Rana", "Nour", "Hiba", "Layla"], "male": ["Omar", "Ahmad", "Khaled", "Yusuf", "Mahmoud"]},
        ["Haddad", "Al-Khatib", "Hamdan", "Saleh", "Nasser"],
    ),
    "prs": (
        {"female": ["Zahra", "Maryam", "Fatima"], "male": ["Mohammad", "Ali", "Hamid", "Farid"]},
        ["Ahmadi", "Hosseini", "Rahimi"],
    ),
    "fa": ({"female": ["Shirin", "Parisa", "Leila"], "male": ["Reza", "Dariush"]}, ["Karimi", "Moradi", "Tehrani"]),
    "ti": (
        {"female": ["Senait", "Helen", "Selam"], "male": ["Yonas", "Dawit", "Tesfay"]},
        ["Tesfamariam", "Gebremedhin", "Haile"],
    ),
    "so": (
        {"female": ["Hodan", "Ayaan", "Fadumo"], "male": ["Abdi", "Mahad", "Hassan"]},
        ["Mohamed", "Warsame", "Farah"],
    ),
    "uk": (
        {"female": ["Olena", "Iryna", "Oksana", "Natalia"], "male": ["Dmytro", "Andrii", "Serhii"]},
        ["Shevchenko", "Kovalenko", "Bondarenko"],
    ),
    "ru": ({"female": ["Svetlana", "Anastasia"], "male": ["Pavel", "Igor"]}, ["Ivanova", "Smirnov"]),
    "ckb": ({"female": ["Shilan"], "male": ["Rebin", "Hawre"]}, ["Rashid", "Karim"]),
    "kmr": ({"female": ["Berfin", "Rojda"], "male": ["Baran"]}, ["Demir", "Yilmaz"]),
}
NEWCOMER_LANGUAGE_WEIGHTS = {"ar": 30, "prs": 12, "fa": 7, "ti": 11, "so": 10, "uk": 16, "ru": 4, "ckb": 5, "kmr": 5}
SECOND_LANGUAGE = {
    "ar": ["en", "fr"],
    "prs": ["fa", "en"],
    "fa": ["en"],
    "ti": ["en", "am"],
    "so": ["en"],
    "uk": ["ru", "en"],
    "ru": ["en"],
    "ckb": ["ar", "en"],
    "kmr": ["tr"],
}
INTERESTS = list(vocabulary.INTERESTS)
EVENINGS = [f"{d}-evening" for d in ("mon", "tue", "wed", "thu", "fri")]
WEEKEND = [f"{d}-{p}" for d in ("sat", "sun") for p in ("morning", "afternoon")]
DAYTIME = [f"{d}-{p}" for d in ("mon", "tue", "wed", "thu", "fri") for p in ("morning", "afternoon")]

# (organisation, municipality, postcode prefixes, volunteers, newcomers)
AREAS = [
    ("ekero", "Ekerö", ["178", "179"], 110, 130),
    ("rodakorset-jamtland", "Östersund", ["831", "832"], 90, 110),
    ("rodakorset-jamtland", "Krokom", ["835"], 30, 35),
    ("rodakorset-jamtland", "Bräcke", ["843"], 18, 25),
    ("rodakorset-jamtland", "Ragunda", ["844"], 17, 25),
]


def _postcodes_with_prefix(prefixes: list[str]) -> list[str]:
    return sorted(code for code in _postcodes() if code[:3] in prefixes)


def _weighted(rng: random.Random, weights: dict[str, int]) -> str:
    keys = sorted(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys])[0]


def demo_code() -> str | None:
    """The code that passes the demo's staff logins' code step: DEBUG and
    VANMATCH_DEMO_TOTP_CODE only (scripts/run.sh), else None."""
    return settings.VANMATCH_DEMO_TOTP_CODE or None


def _user(email: str, first: str, last: str, *, superuser: bool = False) -> User:
    user, _created = User.objects.get_or_create(
        email=email, defaults={"username": email, "first_name": first, "last_name": last}
    )
    user.set_password(DEMO_PASSWORD)
    user.is_staff = user.is_superuser = superuser
    user.save()
    # Demo addresses count as verified, so the logins work without a verification e-mail.
    EmailAddress.objects.update_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
    return user


def _place(person, rng: random.Random, postcodes: list[str]) -> None:
    code = rng.choice(postcodes)
    place = locate.by_postcode(code)
    person.postcode = f"{code[:3]} {code[3:]}"
    person.locality = place.locality
    person.latitude, person.longitude = place.latitude, place.longitude


@transaction.atomic
def demo_load(*, today: date | None = None) -> list[DemoLogin]:
    today = today or timezone.localdate()
    rng = random.Random(2026)

    ekero, _ = Organisation.objects.update_or_create(
        slug="ekero",
        defaults={
            "name": "Ekerö kommun",
            "kind": Organisation.Kind.MUNICIPALITY,
            "municipality_code": "0125",
            "area": "Ekerö kommun",
            # A number set aside for fiction (PTS: 070-174 06 05 to 070-174 06 99).
            "contact_name": "Karin Lund",
            "contact_phone": "070-174 06 05",
            "contact_email": "samordnare@ekero.demo",
        },
    )
    rk, _ = Organisation.objects.update_or_create(
        slug="rodakorset-jamtland",
        defaults={
            "name": "Röda Korset Jämtland",
            "kind": Organisation.Kind.CIVIL_SOCIETY,
            "area": "Östersund, Ragunda och Strömsund",
            "contact_name": "Erik Holm",
            "contact_phone": "070-174 06 06",
            "contact_email": "samordnare@rodakorset.demo",
        },
    )
    orgs = {"ekero": ekero, "rodakorset-jamtland": rk}

    def programme(org, name, kind, **extra):
        return Programme.objects.update_or_create(organisation=org, name=name, defaults={"kind": kind, **extra})[0]

    programmes = {
        "ekero": [
            programme(
                ekero,
                "Vänfamilj Ekerö",
                Programme.Kind.VANFAMILJ,
                max_distance_km=15,
                target_groups=["nyanland"],
                description="Ekeröfamiljer som blir vänner med nya Ekeröbor.",
            ),
            programme(ekero, "Språkvän Ekerö", Programme.Kind.SPRAKVAN, max_distance_km=15, nightly_matching=True),
        ],
        "rodakorset-jamtland": [
            programme(
                rk,
                "Flyktingguide Jämtland",
                Programme.Kind.FLYKTINGGUIDE,
                max_distance_km=40,
                target_groups=["nyanland", "asylsokande"],
            ),
            programme(
                rk, "Språkvän Jämtland", Programme.Kind.SPRAKVAN, max_distance_km=50, follow_up_days=[14, 60, 120]
            ),
        ],
    }

    admin_email, ekero_email, rk_email = two_factor.DEMO_STAFF  # whom the demo's fixed code lets in
    admin = _user(admin_email, "Alva", "Admin", superuser=True)
    coordinator_ekero = _user(ekero_email, "Sanna", "Lind")
    coordinator_rk = _user(rk_email, "Jonas", "Ek")
    social_worker = _user("socialsekreterare@ekero.demo", "Hanna", "Sjöström")
    social_worker_rk = _user("handlaggare@ostersund.demo", "Petra", "Nord")
    volunteer_user = _user("volontar@vanmatch.demo", "Vera", "Volontär")
    memberships = [
        (admin, ekero, Role.ORG_ADMIN),
        (admin, rk, Role.ORG_ADMIN),
        (coordinator_ekero, ekero, Role.COORDINATOR),
        (coordinator_rk, rk, Role.COORDINATOR),
        (social_worker, ekero, Role.SOCIAL_WORKER),
        (social_worker_rk, rk, Role.SOCIAL_WORKER),
        (volunteer_user, ekero, Role.VOLUNTEER),
    ]
    for user, org, role in memberships:
        Membership.objects.get_or_create(user=user, organisation=org, role=role)
    if demo_code():
        # Staff log in with a second factor. With the demo's code configured, their accounts
        # have an authenticator app already and the code step takes that code.
        for user in (admin, coordinator_ekero, coordinator_rk):
            if two_factor.authenticator(user) is None:
                TOTP.activate(user, generate_totp_secret())
    social_workers = {"ekero": social_worker, "rodakorset-jamtland": social_worker_rk}

    volunteer_no = newcomer_no = 0
    for org_slug, _municipality, prefixes, n_volunteers, n_newcomers in AREAS:
        org = orgs[org_slug]
        postcodes = _postcodes_with_prefix(prefixes)
        for _ in range(n_volunteers):
            volunteer_no += 1
            _volunteer(
                rng,
                org,
                programmes[org_slug],
                postcodes,
                volunteer_no,
                today,
                user=volunteer_user if volunteer_no == 1 else None,
            )
        for _ in range(n_newcomers):
            newcomer_no += 1
            _newcomer(rng, org, programmes[org_slug], postcodes, newcomer_no, today, social_workers[org_slug])

    for org_slug, coordinator in (("ekero", coordinator_ekero), ("rodakorset-jamtland", coordinator_rk)):
        for prog in programmes[org_slug]:
            _demo_matches(rng, prog, coordinator, today)

    return [
        DemoLogin(admin.email, "superuser, organisation admin", "both"),
        DemoLogin(coordinator_ekero.email, "coordinator", ekero.name),
        DemoLogin(coordinator_rk.email, "coordinator", rk.name),
        DemoLogin(social_worker.email, "social worker", ekero.name),
        DemoLogin(social_worker_rk.email, "social worker", rk.name),
        DemoLogin(volunteer_user.email, "volunteer", ekero.name),
    ]


def _volunteer(rng, org, progs, postcodes, number, today, *, user=None) -> Volunteer:
    gender = rng.choices(["female", "male", "other"], weights=[62, 36, 2])[0]
    firsts = VOLUNTEER_FIRST.get(gender) or [*VOLUNTEER_FIRST["female"], *VOLUNTEER_FIRST["male"]]
    first, last = rng.choice(firsts), rng.choice(VOLUNTEER_LAST)
    if user is not None:
        first, last = user.first_name, user.last_name
        gender = "female" if first in VOLUNTEER_FIRST["female"] else gender
    languages = ["sv"]
    if rng.random() < 0.8:
        languages.append("en")
    if rng.random() < 0.12:
        languages.append(rng.choice(["ar", "fa", "prs", "ti", "so", "uk", "ru", "ckb"]))
    if rng.random() < 0.1:
        languages.append(rng.choice(["de", "fr", "es"]))
    availability = rng.sample(EVENINGS, rng.randint(1, 3)) + rng.sample(WEEKEND, rng.randint(0, 2))
    if rng.random() < 0.3:  # retired or part-time: free in the daytime too
        availability += rng.sample(DAYTIME, rng.randint(1, 4))
    status = rng.choices(
        [
            Volunteer.Status.APPROVED,
            Volunteer.Status.APPLIED,
            Volunteer.Status.INTERVIEWED,
            Volunteer.Status.PAUSED,
            Volunteer.Status.WITHDRAWN,
        ],
        weights=[72, 12, 6, 5, 5],
    )[0]
    if user is not None:
        status = Volunteer.Status.APPROVED
    checked = status == Volunteer.Status.APPROVED and rng.random() < 0.4
    check_date = today - timedelta(days=rng.randint(10, 300)) if checked else None
    # She applied before her extract was checked, and before any match the demo gives her.
    applied_days_ago = rng.randint(400, 500) if status != Volunteer.Status.APPLIED else rng.randint(1, 30)
    children = [rng.randint(0, 17) for _ in range(rng.choice([0, 0, 0, 1, 2, 3]))]
    ref = f"demo-v-{number:04d}"
    open_now = max(
        Volunteer.objects.filter(organisation=org, external_ref=ref).values_list("open_matches", flat=True), default=0
    )
    volunteer, created = Volunteer.objects.update_or_create(
        organisation=org,
        external_ref=ref,
        defaults={
            "user": user,
            "first_name": first,
            "last_name": last,
            "email": user.email if user else f"volontar{number}@example.se",
            "languages": languages,
            "swedish_level": "native" if rng.random() < 0.9 else "fluent",
            "interests": sorted(rng.sample(INTERESTS, rng.randint(1, 4))),
            "availability": sorted(set(availability)),
            "gender": gender,
            "birth_year": today.year - rng.randint(20, 78),
            "gender_preference": rng.choices(["", "female", "male"], weights=[70, 25, 5])[0],
            "household_adults": rng.choice([1, 1, 2, 2, 2]),
            "household_children_ages": children,
            # Never below the matches she has open: the demo loaded again over an earlier
            # version of itself keeps its matches, and a volunteer her places for them.
            "capacity": max(rng.choices([1, 2, 3], weights=[75, 20, 5])[0], open_now),
            "status": status,
            "background_check_date": check_date,
            "background_check_expires": check_date + timedelta(days=365) if check_date else None,
            "privacy_notice_version": privacy.CURRENT,
            "privacy_consented_at": timezone.make_aware(datetime.combine(today, datetime.min.time())),
        },
    )
    _place(volunteer, rng, postcodes)
    volunteer.save(update_fields=["postcode", "locality", "latitude", "longitude"])
    if created:
        applied = datetime.combine(today - timedelta(days=applied_days_ago), datetime.min.time(), tzinfo=STOCKHOLM)
        Volunteer.objects.filter(pk=volunteer.pk).update(created_at=applied)
    chosen = [p for p in progs if rng.random() < 0.7] or progs[:1]
    if created:  # loaded again, she stays where her matches are
        volunteer.programmes.set(chosen)
    return volunteer


def _newcomer(rng, org, progs, postcodes, number, today, social_worker) -> Newcomer:
    language = _weighted(rng, NEWCOMER_LANGUAGE_WEIGHTS)
    gender = rng.choice(["female", "male"])
    firsts_by_gender, lasts = NEWCOMER_NAMES[language]
    languages = [language]
    if rng.random() < 0.5:
        languages.append(rng.choice(SECOND_LANGUAGE[language]))
    swedish = rng.choices(["none", "basic", "intermediate"], weights=[30, 50, 20])[0]
    if swedish != "none":
        languages.append("sv")
    target = rng.choices(["nyanland", "asylsokande", "ensamkommande"], weights=[70, 20, 10])[0]
    if target == "ensamkommande":
        birth_year = today.year - rng.randint(14, 17)
        adults, children = 1, []
    else:
        birth_year = today.year - rng.randint(19, 65)
        adults = rng.choice([1, 1, 2])
        children = [rng.randint(0, 17) for _ in range(rng.choice([0, 0, 1, 2, 3, 4]))]
    availability = rng.sample(DAYTIME, rng.randint(1, 4)) + rng.sample(EVENINGS + WEEKEND, rng.randint(1, 3))
    registered_on = today - timedelta(days=rng.randint(3, 420))  # some before the demo's year of runs
    # Everyone is registered with her consent (the service refuses anyone without); a few have
    # since withdrawn it, half-way through their wait, and are out of matching (as the service
    # leaves them: inactive).
    withdrew = rng.random() >= 0.95
    consent_at = datetime.combine(registered_on, datetime.min.time(), tzinfo=STOCKHOLM) + timedelta(hours=10)
    withdrawn = {"consent_withdrawn_at": consent_at + (today - registered_on) / 2, "status": Newcomer.Status.INACTIVE}
    newcomer, created = Newcomer.objects.update_or_create(
        organisation=org,
        external_ref=f"demo-n-{number:04d}",
        defaults={
            "first_name": rng.choice(firsts_by_gender[gender]),
            "last_name": rng.choice(lasts),
            "registered_by": social_worker,
            "registered_on": registered_on,
            "languages": languages,
            "swedish_level": swedish,
            "interests": sorted(rng.sample(INTERESTS, rng.randint(1, 3))),
            "availability": sorted(set(availability)),
            "gender": gender,
            "birth_year": birth_year,
            "gender_preference": rng.choices(["", "female", "male"], weights=[60, 32, 8])[0],
            "household_adults": adults,
            "household_children_ages": children,
            "target_group": target,
            "interpreter_needed": swedish == "none",
            "interpreter_language": language if swedish == "none" else "",
            "consent_given_at": consent_at,
            "consent_method": rng.choice(["written", "oral_interpreter"]),
            "consent_recorded_by": social_worker,
            "consent_shareable": ["first_name", "languages", "interests", "locality"],
        }
        | (withdrawn if withdrew else {}),
    )
    _place(newcomer, rng, postcodes)
    newcomer.save(update_fields=["postcode", "locality", "latitude", "longitude"])
    eligible = [p for p in progs if target in p.target_groups]
    chosen = rng.sample(eligible, 1) if eligible else []
    if created:  # loaded again, she stays where her matches and proposals are
        newcomer.programmes.set(chosen)
    return newcomer


ROUNDS = 12  # a year of monthly runs, the last a week ago
PER_ROUND = 6  # proposals a coordinator approves from each


def _demo_matches(rng, programme, coordinator, today) -> None:
    """A year of the programme, as it would have gone: a run each month through the engine
    (the worker's own path), the best proposals approved on the day, each match with its weeks
    of history; matches end along the way (those that fitted less well sooner, as in real
    programmes), and the newcomer goes back to the pool for the next run. Once only."""
    if Match.objects.filter(programme=programme).exists():
        return
    # Those who registered later are not in the pool yet: the runs before they came do not see them.
    first_run = today - timedelta(days=7 + 30 * (ROUNDS - 1))
    later = Newcomer.objects.filter(programmes=programme, status=Newcomer.Status.WAITING, registered_on__gt=first_run)
    arriving = list(later.values_list("pk", flat=True))
    Newcomer.objects.filter(pk__in=arriving).update(status=Newcomer.Status.INACTIVE)
    endings: list[tuple[date, Match]] = []
    for k in range(ROUNDS, 0, -1):
        with nullcontext() if k == 1 else none_sent():  # the months before: nobody is e-mailed about them now
            endings = _demo_round(rng, programme, coordinator, today, k, arriving, endings)
    for end_on, match in sorted(endings, key=lambda e: (e[0], e[1].pk)):
        _demo_end(rng, match, coordinator, end_on)
    Newcomer.objects.filter(pk__in=arriving, status=Newcomer.Status.INACTIVE).update(status=Newcomer.Status.WAITING)


def _demo_round(rng, programme, coordinator, today, k: int, arriving: list[int], endings: list) -> list:
    """The run k months back (the last, k = 1, a week ago) and what the coordinator approved from
    it, after ending the matches that ended before it; returns the endings still to come."""
    day = today - timedelta(days=7 + 30 * (k - 1))
    arrived = Newcomer.objects.filter(pk__in=arriving, registered_on__lte=day, status=Newcomer.Status.INACTIVE)
    arrived.update(status=Newcomer.Status.WAITING)
    for end_on, match in sorted((e for e in endings if e[0] <= day), key=lambda e: (e[0], e[1].pk)):
        _demo_end(rng, match, coordinator, end_on)
    endings = [e for e in endings if e[0] > day]
    run = runs.run_request(programme=programme, by=coordinator)
    token = runs.run_claim(run_id=run.pk)
    if token is None or runs.run_compute(run_id=run.pk, token=token, reference_date=day) is None:
        return endings
    if k > 1:  # history: what would have helped then is not worked out now (the last run's is, by the worker)
        MatchingRun.objects.filter(pk=run.pk).update(what_if={"failed": "earlier"})
    pending = list(run.proposals.filter(state=Proposal.State.PENDING).order_by("-score", "id")[:PER_ROUND])
    for proposal in pending if k > 1 else pending[: PER_ROUND // 2]:  # the last run: some left to review
        try:
            match = services.proposal_approve(proposal=proposal, by=coordinator, started_on=day)
        except ValidationError:
            continue  # the volunteer's extract had lapsed on the day, or her places were taken
        services.match_activate(match=match, by=coordinator, on=day)
        # How long it lasts: longer the better the two fitted, with chance on top.
        lasts = int(rng.expovariate(1 / (40 + 400 * proposal.score**2)))
        end_on = day + timedelta(days=max(lasts, 10))
        while match.planned_end_on < min(end_on, today + timedelta(days=30)):  # going well: extended
            match = services.match_extend(match=match, by=coordinator, months=6)
        _demo_history(rng, match, coordinator, day, end_on, today)
        if end_on < today:
            endings.append((end_on, match))
    return endings


def _demo_end(rng, match: Match, coordinator, on: date) -> None:
    services.match_end(
        match=match, by=coordinator, on=on,
        reason=rng.choice([Match.EndReason.NO_TIME, Match.EndReason.MOVED, Match.EndReason.NO_CLICK]),
        wanted_by=rng.choice(list(Match.WantedBy.values)),
        newcomer_exit=[rng.randint(2, 5), rng.randint(1, 3)], volunteer_exit=[rng.randint(2, 5), 1],
    )  # fmt: skip


def _demo_history(rng, match, coordinator, started: date, until: date, today: date) -> None:
    """What a match's weeks leave behind, so every chart and list has something on a fresh
    machine: meetings most weeks (fewer in matches that go quiet), the newcomer's answers to the
    weekly question, the week-4 and week-12 answers of both, and the check-ins done so far."""
    keen = rng.random()  # how often these two meet
    week = started + timedelta(days=7)
    while week < min(until, today):
        met = rng.random() < 0.35 + 0.6 * keen
        if met:
            services.meeting_log(
                match=match, by=coordinator, on=week - timedelta(days=rng.randint(0, 4)),
                minutes=rng.choice([60, 60, 120, 30]), source=Meeting.Source.COORDINATOR,
            )  # fmt: skip
        if rng.random() < 0.7:  # answered on the day asked: written as rows, since no service backdates an answer
            Survey.objects.create(
                match=match, kind=Survey.Kind.MET, side=Survey.Side.NEWCOMER, asked_on=week, language="sv",
                answered_at=datetime.combine(week, datetime.min.time(), tzinfo=timezone.get_current_timezone()),
                via=Survey.Via.DIGIT, answers=[1 if met else 2],
            )  # fmt: skip
        week += timedelta(days=7)
    for kind, weeks in ((Survey.Kind.WEEK_4, 4), (Survey.Kind.WEEK_12, 12)):
        asked = started + timedelta(weeks=weeks)
        if asked < min(until, today):
            for side in Survey.Side.values:
                points = max(1, min(5, round(2 + 3 * keen + rng.uniform(-0.8, 0.8))))
                Survey.objects.create(
                    match=match, kind=kind, side=side, asked_on=asked, language="sv",
                    answered_at=datetime.combine(asked, datetime.min.time(), tzinfo=timezone.get_current_timezone()),
                    via=Survey.Via.LINK, answers=[max(1, min(5, points + rng.choice([-1, 0, 0, 1]))) for _ in range(5)],
                )  # fmt: skip
    for follow_up in match.follow_ups.filter(due_on__lt=min(until, today)):
        scale = [max(1, min(5, round(2 + 3 * keen))) for _ in range(5)]
        services.follow_up_record(
            follow_up=follow_up, by=coordinator, on=follow_up.due_on,
            outcome="going_well" if keen > 0.3 else "needs_support", meetings_since=round(4 * keen),
            met_how=["in_person"], volunteer_answers=scale, newcomer_answers=scale,
        )  # fmt: skip
