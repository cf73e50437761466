"""Reads of the participants' own voice: the questions put to a match's two sides and their
answers, and the text messages to and from the newcomer."""

from datetime import date

from django.db.models import QuerySet

from coordinator.models import Match, Newcomer, SmsMessage, Survey

WEEKS = {Survey.Kind.WEEK_4: 4, Survey.Kind.WEEK_12: 12}  # the relationship questions, weeks in


def surveys_due(*, today: date) -> list[tuple[Match, str, str]]:
    """The questions due today: the weekly "did you meet?" to each active match's newcomer
    (7 days after the last), and the week-4 and week-12 questions to both sides. 2 queries."""
    asked: dict[tuple[int, str, str], date] = {}
    active = Match.objects.filter(state=Match.State.ACTIVE).select_related("newcomer", "volunteer__user", "programme")
    for match_id, kind, side, asked_on in Survey.objects.filter(match__state=Match.State.ACTIVE).values_list(
        "match_id", "kind", "side", "asked_on"
    ):
        key = (match_id, kind, side)
        asked[key] = max(asked.get(key, asked_on), asked_on)
    due: list[tuple[Match, str, str]] = []
    for match in active:
        start = match.activated_on or match.started_on
        last_met = asked.get((match.pk, Survey.Kind.MET, Survey.Side.NEWCOMER))
        if (today - start).days >= 7 and (last_met is None or (today - last_met).days >= 7):
            due.append((match, Survey.Kind.MET, Survey.Side.NEWCOMER))
        for kind, weeks in WEEKS.items():
            if (today - start).days >= 7 * weeks:
                for side in Survey.Side.values:
                    if (match.pk, kind, side) not in asked:
                        due.append((match, kind, side))
    return due


def surveys_of_match(match: Match) -> list[Survey]:
    """Every question put to either side, newest first, with who recorded an answer. 1 query."""
    return list(Survey.objects.filter(match=match).select_related("recorded_by").order_by("-asked_on", "-id"))


def sms_of_match(match: Match, limit: int = 50) -> list[SmsMessage]:
    """The newest text messages to and from the newcomer in this match. 1 query."""
    return list(SmsMessage.objects.filter(match=match).order_by("-created_at", "-id")[:limit])


def open_surveys_of_newcomer(newcomer: Newcomer) -> QuerySet[Survey]:
    """Her questions still unanswered in her open matches: what her social worker can record
    for her. Newest first."""
    return (
        Survey.objects.filter(
            match__newcomer=newcomer,
            side=Survey.Side.NEWCOMER,
            answered_at__isnull=True,
        )
        .exclude(match__state=Match.State.ENDED, kind__in=[Survey.Kind.MET, Survey.Kind.WEEK_4, Survey.Kind.WEEK_12])
        .select_related("match__volunteer", "match__programme")
        .order_by("-asked_on", "-id")
    )


def open_survey_of(*, newcomer: Newcomer, pk: int) -> Survey | None:
    """One of her unanswered questions, resolved through her (whom the caller may see)."""
    return open_surveys_of_newcomer(newcomer).filter(pk=pk).first()
