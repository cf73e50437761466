"""Small builders for test data: sensible defaults, every field overridable."""

from datetime import date, datetime
from itertools import count
from zoneinfo import ZoneInfo

from allauth.account.models import EmailAddress

from accounts.models import Membership, Organisation, User
from coordinator.models import MatchingRun, Newcomer, Programme, Proposal, Volunteer

_seq = count(1)
STOCKHOLM = ZoneInfo("Europe/Stockholm")
EKERO = {"postcode": "178 30", "locality": "Ekerö", "latitude": 59.291, "longitude": 17.812}


def user(email: str | None = None, **fields) -> User:
    n = next(_seq)
    email = email or f"user{n}@example.se"
    verified = fields.pop("verified", True)
    u = User.objects.create_user(
        username=email, email=email, password=fields.pop("password", "secret-pass-1"), **fields
    )
    EmailAddress.objects.create(user=u, email=email, verified=verified, primary=True)
    return u


def organisation(name: str | None = None, **fields) -> Organisation:
    n = next(_seq)
    name = name or f"Organisation {n}"
    fields.setdefault("kind", Organisation.Kind.MUNICIPALITY)
    return Organisation.objects.create(name=name, slug=fields.pop("slug", f"org-{n}"), **fields)


def member(u: User, org: Organisation, role: str, **fields) -> Membership:
    return Membership.objects.create(user=u, organisation=org, role=role, **fields)


def programme(org: Organisation, **fields) -> Programme:
    fields.setdefault("name", f"Språkvän {next(_seq)}")
    fields.setdefault("kind", Programme.Kind.SPRAKVAN)
    return Programme.objects.create(organisation=org, **fields)


def volunteer(org: Organisation, programmes=(), **fields) -> Volunteer:
    v = volunteer_unsaved(org, **fields)
    v.save()
    v.programmes.set(programmes)
    return v


def volunteer_unsaved(org: Organisation, **fields) -> Volunteer:
    defaults = {
        "first_name": "Karin",
        "last_name": "Berg",
        "languages": ["sv", "en"],
        "swedish_level": "native",
        "availability": ["mon-evening", "sat-morning"],
        "interests": ["matlagning"],
        "gender": "female",
        "birth_year": 1970,
        "status": Volunteer.Status.APPROVED,
        "capacity": 1,
        **EKERO,
    }
    return Volunteer(organisation=org, **{**defaults, **fields})


def newcomer(org: Organisation, programmes=(), **fields) -> Newcomer:
    n = newcomer_unsaved(org, **fields)
    n.save()
    n.programmes.set(programmes)
    return n


def newcomer_unsaved(org: Organisation, **fields) -> Newcomer:
    defaults = {
        "first_name": "Amal",
        "last_name": "Haddad",
        "languages": ["ar", "en"],
        "swedish_level": "basic",
        "availability": ["mon-evening"],
        "interests": ["matlagning"],
        "gender": "female",
        "birth_year": 1994,
        "target_group": "nyanland",
        "registered_on": date(2026, 9, 1),
        "consent_given_at": datetime(2026, 9, 1, 10, tzinfo=STOCKHOLM),
        "consent_method": "written",
        **EKERO,
    }
    return Newcomer(organisation=org, **{**defaults, **fields})


def proposal(prog: Programme, n: Newcomer, v: Volunteer, *, run: MatchingRun | None = None, **fields) -> Proposal:
    run = run or MatchingRun.objects.create(programme=prog, status=MatchingRun.Status.DONE)
    return Proposal.objects.create(run=run, newcomer=n, volunteer=v, score=fields.pop("score", 0.8), **fields)


def authenticator_app(user: User) -> str:
    """Give the user an authenticator app (TOTP), as if they had set one up; returns its secret."""
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


def code_from_app(secret: str, *, steps_ago: int = 0) -> str:
    """The code the user's authenticator app shows now (or `steps_ago` 30-second steps ago),
    computed as the app computes it (pyotp), not by the code that checks it."""
    import time

    import pyotp

    return pyotp.TOTP(secret).at(time.time() - 30 * steps_ago)


def survey_link_in(text: str) -> str:
    """The path of the answer link in a message she was sent, as she would follow it (a link is
    signed with the second it was made, so it is read from the message, not made again)."""
    import re

    found = re.search(r"https?://[^/\s]+(/svar/[^/\s]+/)", text)
    assert found, f"no answer link in {text!r}"
    return found[1]
