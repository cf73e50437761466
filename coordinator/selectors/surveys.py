"""Reads of the participants' own voice: the questions put to a match's two sides and their
answers, and the text messages to and from the newcomer."""

from django.db.models import QuerySet

from coordinator.models import Match, Newcomer, SmsMessage, Survey


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
