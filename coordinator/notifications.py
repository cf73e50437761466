"""E-mails to the people Vänmatch works for, each in the recipient's own language.

Sent by the worker (worker/tasks.py), enqueued after the transaction that caused them
commits, once per key (worker.services.once). Only what the recipient needs: what a volunteer
is told about a newcomer is what the newcomer consented to share; no special categories of
personal data ever.
"""

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.notifications import language_of as _language_of
from accounts.notifications import send as _send
from coordinator import meetings, selectors
from coordinator.models import FollowUp, Match, ScreeningEvent, Volunteer


def _contact(volunteer: Volunteer, coordinator: User | None = None) -> dict:
    """Whom she calls with questions: the organisation's contact person for volunteers, else
    the coordinator who took the step (her name and e-mail)."""
    organisation = volunteer.organisation
    name = organisation.contact_name or (coordinator.get_full_name() if coordinator else "")
    email = organisation.contact_email or (coordinator.email if coordinator and not organisation.contact_name else "")
    return {"name": name, "phone": organisation.contact_phone, "email": email, "organisation": organisation.name}


def _social_worker(match: Match) -> User | None:
    """The social worker who registered the newcomer, if her account is still in use."""
    social_worker = match.newcomer.registered_by
    return social_worker if social_worker is not None and social_worker.is_active else None


def application_received(volunteer: Volunteer) -> int:
    """Tell a volunteer her application has arrived, what happens next and whom to call."""
    if not volunteer.email:
        return 0
    _send(
        to=volunteer.email,
        language=_language_of(volunteer.user),
        template="application_received",
        context={"volunteer": volunteer, "contact": _contact(volunteer), "link": reverse("my_volunteering")},
    )
    return 1


def volunteer_approved(volunteer: Volunteer, event: ScreeningEvent) -> int:
    """Tell a volunteer she is approved and who her coordinator is."""
    if not volunteer.email:
        return 0
    _send(
        to=volunteer.email,
        language=_language_of(volunteer.user),
        template="volunteer_approved",
        context={"volunteer": volunteer, "contact": _contact(volunteer, event.by), "link": reverse("my_volunteering")},
    )
    return 1


def newcomer_matched(match: Match) -> int:
    """Tell the social worker who registered the newcomer that they have been matched."""
    social_worker = _social_worker(match)
    if social_worker is None:
        return 0
    _send(
        to=social_worker.email,
        language=social_worker.preferred_language,
        template="newcomer_matched",
        context={
            "match": match,
            "newcomer": match.newcomer,
            "link": reverse("newcomer_detail", args=[match.newcomer_id]),
        },
    )
    return 1


def volunteer_matched(match: Match) -> int:
    """Tell the volunteer whom they will meet: only what the newcomer consented to share."""
    volunteer = match.volunteer
    if not volunteer.email:
        return 0
    with translation.override(_language_of(volunteer.user)):
        seen = selectors.newcomer_seen_by(match.newcomer)  # as a volunteer: what she consented to share
        facts, name = seen["facts"], seen["name"]
    _send(
        to=volunteer.email,
        language=_language_of(volunteer.user),
        template="volunteer_matched",
        context={
            "match": match,
            "volunteer": volunteer,
            "name": name,
            "facts": facts,
            "link": reverse("my_volunteering"),
        },
    )
    return 1


def _meeting_contact(match: Match) -> dict:
    """The coordinator who booked the meeting, with the organisation's phone for volunteers
    (staff accounts keep no phone of their own)."""
    organisation = match.programme.organisation
    booked_by = match.intro_booked_by
    full_name = booked_by.get_full_name() if booked_by is not None else ""
    if full_name:  # a name and an e-mail always of the same person
        name, email = full_name, booked_by.email if booked_by is not None else ""
    elif organisation.contact_name:
        name, email = organisation.contact_name, organisation.contact_email
    else:
        name, email = "", booked_by.email if booked_by is not None else organisation.contact_email
    return {"name": name, "phone": organisation.contact_phone, "email": email, "organisation": organisation.name}


def introduction(match: Match) -> int:
    """The introduction meeting, to the volunteer and to the newcomer's social worker, each
    with a calendar invitation and whom to call."""
    sent = 0
    contact = _meeting_contact(match)
    volunteer = match.volunteer
    if volunteer.email:
        with translation.override(_language_of(volunteer.user)):
            name = selectors.newcomer_seen_by(match.newcomer)["name"]
        _send(
            to=volunteer.email,
            language=_language_of(volunteer.user),
            template="introduction",
            context={"match": match, "other": name, "contact": contact, "link": reverse("my_volunteering")},
            attach=lambda: _invitation(match, _("Första mötet med %(name)s") % {"name": name}, contact),
        )
        sent += 1
    social_worker = _social_worker(match)
    if social_worker is not None:
        _send(
            to=social_worker.email,
            language=social_worker.preferred_language,
            template="introduction",
            context={
                "match": match,
                "other": match.volunteer.first_name,
                "about": match.newcomer,
                "contact": contact,
                "link": reverse("newcomer_detail", args=[match.newcomer_id]),
            },
            attach=lambda: _invitation(
                match,
                _("Första mötet: %(name)s och volontären %(volunteer)s")
                % {"name": match.newcomer, "volunteer": match.volunteer.first_name},
                contact,
            ),
        )
        sent += 1
    return sent


def _invitation(match: Match, title: str, contact: dict) -> tuple[str, bytes, str]:
    return (
        "vanmatch-forsta-motet.ics",
        meetings.introduction_ics(match, title=title, contact=contact),
        "text/calendar",
    )


def follow_up_digest(
    coordinator: User, follow_ups: list[FollowUp], lapsing: list | None = None, at_risk: list | None = None
) -> int:
    """A coordinator's week: the follow-ups due and overdue in their programmes, the matches at
    risk (each with why and what to do), and the volunteers whose extract from the criminal
    records register is about to stop holding."""
    if not follow_ups and not lapsing and not at_risk:
        return 0
    from coordinator.selectors.risk import reasons_for

    with translation.override(coordinator.preferred_language or settings.LANGUAGE_CODE):
        today = timezone.localdate()
        for r in at_risk or []:  # in her language, not the worker's
            r.reasons = reasons_for(r.match, today=today, quiet_after_weeks=r.match.programme.quiet_after_weeks)
    _send(
        to=coordinator.email,
        language=coordinator.preferred_language,
        template="follow_up_digest",
        context={
            "coordinator": coordinator,
            "follow_ups": follow_ups,
            "lapsing": lapsing or [],
            "at_risk": (at_risk or [])[:30],
            "at_risk_total": len(at_risk or []),
        },
    )
    return 1


def end_reminder(coordinator: User, match: Match) -> int:
    _send(
        to=coordinator.email,
        language=coordinator.preferred_language,
        template="end_reminder",
        context={"match": match, "link": reverse("match_detail", args=[match.pk])},
    )
    return 1


def safeguarding(follow_up: FollowUp, recipients: list[User]) -> int:
    """Tell the organisation's administrators at once that a coordinator fears for someone's
    safety in a match. The e-mail names no person and carries none of the concern: the link
    leads to it, behind the log-in and the audit trail."""
    for user in recipients:
        _send(
            to=user.email,
            language=user.preferred_language,
            template="safeguarding",
            context={
                "follow_up": follow_up,
                "by": follow_up.recorded_by,
                "programme": follow_up.match.programme.name,
                "link": reverse("match_detail", args=[follow_up.match_id]) + f"#follow-up-{follow_up.pk}",
            },
        )
    return len(recipients)


def survey_to_volunteer(survey, link: str) -> int:
    """Ask the volunteer the week-4, week-12 or exit questions by e-mail, with the link to the
    short page that needs no log-in."""
    volunteer = survey.match.volunteer
    if not volunteer.email:
        return 0
    _send(
        to=volunteer.email,
        language=survey.language or _language_of(volunteer.user),
        template="survey",
        context={
            "volunteer": volunteer,
            "survey": survey,
            "friend": selectors.newcomer_name_for_volunteer(survey.match.newcomer),
            "link": link,
            "contact": _contact(volunteer),
        },
    )
    return 1


def match_ended(match: Match) -> int:
    """Tell the volunteer and the newcomer's social worker that the match has ended, and what
    happens next for each of them."""
    sent = 0
    volunteer = match.volunteer
    if volunteer.email:
        _send(
            to=volunteer.email,
            language=_language_of(volunteer.user),
            template="match_ended_volunteer",
            context={
                "volunteer": volunteer,
                "match": match,
                "friend": selectors.newcomer_name_for_volunteer(match.newcomer),
                "contact": _contact(volunteer, match.ended_by),
                "link": reverse("my_volunteering"),
            },
        )
        sent += 1
    social_worker = _social_worker(match)
    if social_worker is not None:
        _send(
            to=social_worker.email,
            language=social_worker.preferred_language,
            template="match_ended_social_worker",
            context={
                "match": match,
                "newcomer": match.newcomer,
                "by": match.ended_by,
                "link": reverse("newcomer_detail", args=[match.newcomer_id]),
            },
        )
        sent += 1
    return sent
