"""Early warning: the open matches a coordinator should look at this week, each with why and
what to do next. Read in one query for any number of matches (tests pin it at 10 and 1,000)."""

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Exists, JSONField, Max, OuterRef, QuerySet, Subquery
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from coordinator import relationship
from coordinator.models import FollowUp, Match, Programme, Survey

ENDING_WITHIN_DAYS = 14  # a planned end this near with nothing decided is a reason
FALL = 1.0  # a side's mean this much below the check-in before is "falling"
SAFE = [key for key, _text in relationship.ITEMS].index("safe")  # "I feel safe with my friend"
UNSAFE = 2  # an answer this low or lower to it is a reason on its own


@dataclass
class Reason:
    code: str
    why: str
    next_step: str


@dataclass
class AtRisk:
    match: Match
    reasons: list[Reason] = field(default_factory=list)

    @property
    def urgent(self) -> bool:
        return any(r.code == "safeguarding" for r in self.reasons)


def _latest(match_ref: Any, field_name: str, offset: int) -> Subquery:
    done = FollowUp.objects.filter(match=match_ref, done_on__isnull=False).order_by("-done_on", "-id")
    output = JSONField() if field_name.endswith("answers") else None
    return Subquery(done.values(field_name)[offset : offset + 1], output_field=output)


def _said(side: str) -> Subquery:
    """A side's own newest answers to the relationship questions (by link, digit or recorded)."""
    answered = Survey.objects.filter(
        match=OuterRef("pk"), side=side, kind__in=[Survey.Kind.WEEK_4, Survey.Kind.WEEK_12], answered_at__isnull=False
    ).order_by("-answered_at", "-id")
    return Subquery(answered.values("answers")[:1], output_field=JSONField())


def _annotated(matches: QuerySet[Match], today: date) -> QuerySet[Match]:
    overdue = FollowUp.objects.filter(match=OuterRef("pk"), done_on__isnull=True, due_on__lt=today)
    met = Survey.objects.filter(match=OuterRef("pk"), kind=Survey.Kind.MET, answers=[1]).order_by("-asked_on")
    return matches.annotate(
        logged_on=Max("meetings__on"),
        said_met_on=Subquery(met.values("asked_on")[:1]),
        volunteer_said=_said(Survey.Side.VOLUNTEER),
        newcomer_said=_said(Survey.Side.NEWCOMER),
        check_in_overdue=Exists(overdue),
        first_overdue_on=Subquery(overdue.order_by("due_on").values("due_on")[:1]),
        volunteer_now=_latest(OuterRef("pk"), "volunteer_answers", 0),
        volunteer_before=_latest(OuterRef("pk"), "volunteer_answers", 1),
        newcomer_now=_latest(OuterRef("pk"), "newcomer_answers", 0),
        newcomer_before=_latest(OuterRef("pk"), "newcomer_answers", 1),
        latest_concern=_latest(OuterRef("pk"), "concern", 0),
        latest_safeguarding=_latest(OuterRef("pk"), "safeguarding", 0),
    )


def _mean_words(value: float) -> str:
    from django.utils.formats import number_format

    return number_format(value, 1)


def last_met_on(m: Any) -> date | None:
    """When an annotated match's two last met: a meeting logged, or the newcomer's "yes" to the
    week's did-you-meet."""
    return max((d for d in (m.logged_on, m.said_met_on) if d is not None), default=None)


def reasons_for(m: Any, *, today: date, quiet_after_weeks: int) -> list[Reason]:
    """Why one annotated open match is at risk (empty when it is not)."""
    out: list[Reason] = []
    if m.latest_safeguarding:
        out.append(
            Reason(
                "safeguarding",
                _("Oro för någons säkerhet vid senaste uppföljningen."),
                _("Kontakta organisationens administratör i dag, om det inte redan är gjort."),
            )
        )
    elif m.latest_concern:
        out.append(Reason("concern", _("Oro vid senaste uppföljningen."), _("Läs uppföljningen och följ upp oron.")))
    met_on = last_met_on(m)
    quiet_days = (today - (met_on or m.started_on)).days
    if quiet_days >= 7 * quiet_after_weeks:
        weeks = quiet_days // 7
        if met_on:
            why = ngettext(
                "Ingen träff antecknad på %(weeks)s vecka.", "Ingen träff antecknad på %(weeks)s veckor.", weeks
            )
        else:
            why = ngettext(
                "Ingen träff antecknad sedan starten för %(weeks)s vecka sedan.",
                "Ingen träff antecknad sedan starten för %(weeks)s veckor sedan.",
                weeks,
            )
        why = why % {"weeks": weeks}
        out.append(Reason("quiet", why, _("Ring volontären och fråga hur det går; be volontären anteckna träffarna.")))
    if m.check_in_overdue:
        out.append(
            Reason(
                "overdue",
                _("Uppföljningen %(date)s är inte gjord.") % {"date": m.first_overdue_on.isoformat()},
                _("Gör uppföljningen med båda."),
            )
        )
    unsafe = next(
        (
            (side, answers[SAFE])
            for side, answers in (
                (_("Volontären"), m.volunteer_now), (_("Den nyanlände"), m.newcomer_now),
                (_("Volontären"), m.volunteer_said), (_("Den nyanlände"), m.newcomer_said),
            )
            if answers and len(answers) == len(relationship.ITEMS) and answers[SAFE] <= UNSAFE
        ),
        None,
    )  # fmt: skip
    if unsafe is not None:
        out.append(
            Reason(
                "unsafe",
                _("%(side)s svarade %(n)s av 5 på ”%(statement)s”")
                % {"side": unsafe[0], "n": unsafe[1], "statement": relationship.ITEMS[SAFE][1]},
                _("Prata med var och en för sig i dag; markera oro för någons säkerhet om det behövs."),
            )
        )
    own_words: list[Reason] = []  # what a side answered herself, after what the check-ins say
    for side, now, before, said in (
        (_("Volontären"), m.volunteer_now, m.volunteer_before, m.volunteer_said),
        (_("Den nyanlände"), m.newcomer_now, m.newcomer_before, m.newcomer_said),
    ):
        mean_now, mean_before = relationship.mean(now or []), relationship.mean(before or [])
        if mean_now is not None and mean_now < relationship.LOW:
            out.append(
                Reason(
                    "low",
                    _("%(side)s svarade %(mean)s av 5 om relationen.") % {"side": side, "mean": _mean_words(mean_now)},
                    _("Prata med båda, var för sig, om hur det går."),
                )
            )
            continue  # low at the check-in already: her own low answer would say it twice
        if mean_now is not None and mean_before is not None and mean_before - mean_now >= FALL:
            out.append(
                Reason(
                    "falling",
                    _("%(side)s svarar sämre om relationen: %(before)s av 5 förra gången, %(now)s nu.")
                    % {"side": side, "before": _mean_words(mean_before), "now": _mean_words(mean_now)},
                    _("Fråga båda vad som har ändrats."),
                )
            )
        mean_said = relationship.mean(said or [])
        if mean_said is not None and mean_said < relationship.LOW:
            own_words.append(
                Reason(
                    "low",
                    _("%(side)s svarade själv, med sms eller länken, %(mean)s av 5 om relationen.")
                    % {"side": side, "mean": _mean_words(mean_said)},
                    _("Prata med båda, var för sig, om hur det går."),
                )
            )
    out.extend(own_words)
    if (m.planned_end_on - today).days <= ENDING_WITHIN_DAYS:
        out.append(
            Reason(
                "ending",
                _("Planerat slut %(date)s och inget bestämt.") % {"date": m.planned_end_on.isoformat()},
                _("Förläng, avsluta eller matcha på nytt."),
            )
        )
    return out


def matches_at_risk(*, programmes: QuerySet[Programme] | list[Programme], today: date) -> list[AtRisk]:
    """The open matches of these programmes with a reason to look at them, the most urgent
    first (a safeguarding concern, then the most reasons, then the longest quiet). 1 query."""
    weeks = {p.pk: p.quiet_after_weeks for p in programmes}
    matches = _annotated(
        Match.objects.filter(programme_id__in=list(weeks), state__in=Match.OPEN_STATES).select_related(
            "newcomer", "volunteer", "programme"
        ),
        today,
    )
    found = []
    for m in matches:
        reasons = reasons_for(m, today=today, quiet_after_weeks=weeks[m.programme_id])
        if reasons:
            found.append(AtRisk(m, reasons))
    found.sort(
        key=lambda r: (
            not r.urgent,
            -len(r.reasons),
            last_met_on(r.match) or r.match.started_on,
            r.match.pk,
        )
    )
    return found


def at_risk_by_coordinator(*, today: date) -> dict[int, tuple[Any, list[AtRisk]]]:
    """For the weekly digest: each coordinator with the at-risk matches of her organisations'
    active programmes (3 queries, however many organisations)."""
    from coordinator.selectors.programmes import _coordinators_by_organisation

    programmes = list(Programme.objects.filter(active=True))
    found = matches_at_risk(programmes=programmes, today=today)
    by_organisation: dict[int, list[AtRisk]] = {}
    for r in found:
        by_organisation.setdefault(r.match.programme.organisation_id, []).append(r)
    out: dict[int, tuple[Any, list[AtRisk]]] = {}
    for organisation_id, users in _coordinators_by_organisation(by_organisation).items():
        for user in users:
            out.setdefault(user.pk, (user, []))[1].extend(by_organisation[organisation_id])
    return out
