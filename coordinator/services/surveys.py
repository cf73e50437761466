"""The participants' own voice: the questions put to each side of a match, their answers, and
every text message to and from a newcomer.

- The weekly "did you meet?" goes to the newcomer by SMS; the relationship questions after week
  4 and week 12 and the two exit questions go to both sides (the volunteer by e-mail, the
  newcomer by SMS), each with a short signed link to a page that needs no account.
- A reply by SMS is a digit (1/2 for "did you meet", 1-5 for how it is going), or STOP, which
  ends all messages to that number until START.
- Her social worker, or the coordinator at the ending, can record her answers instead.

Every question asked, message sent or received and answer given is audited here. The texts are
in coordinator.participant_texts, the provider in coordinator.sms.
"""

import unicodedata
from datetime import date, timedelta

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy

from accounts.audit import audit_record
from accounts.models import AuditEvent as A
from accounts.models import User
from coordinator import jobs, notifications, participant_texts, relationship, selectors, sms
from coordinator.models import Match, Newcomer, SmsMessage, Survey

SALT = "vanmatch.survey"
LINK_DAYS = 30  # a link in a message answers for this long
REPLY_DAYS = 14  # a digit answers the newest question asked of her number this recently

# --- Asking ---------------------------------------------------------------------------------------


def newcomer_phone(newcomer: Newcomer) -> str | None:
    """Where her messages go: her number in E.164, or None when she has none that takes a text
    message or said STOP."""
    if newcomer.sms_stopped_at is not None or newcomer.erased_at is not None or not newcomer.phone:
        return None
    return sms.normalised(newcomer.phone)


def newcomer_language(newcomer: Newcomer) -> str:
    """Her own language for messages: the language she was given the privacy notice in, else the
    first of her languages we write in, else Swedish."""
    return participant_texts.language_for(newcomer.consent_notice_language, *newcomer.languages)


def can_ask(match: Match, side: str) -> bool:
    if side == Survey.Side.VOLUNTEER:
        return bool(match.volunteer.email)
    return newcomer_phone(match.newcomer) is not None


def survey_ask(*, match: Match, kind: str, side: str, on: date | None = None, send: bool = True) -> Survey:
    """Put a question to one side of a match (idempotent for the day): the Survey is kept even
    when she cannot be reached, so her social worker can record the answer instead; the message
    is sent by the worker after the transaction commits (not when `send` is false: the answer is
    being recorded for her)."""
    on = on or timezone.localdate()
    language = (
        newcomer_language(match.newcomer)
        if side == Survey.Side.NEWCOMER
        else (match.volunteer.user.preferred_language if match.volunteer.user else settings.LANGUAGE_CODE)
    )
    survey, created = Survey.objects.get_or_create(
        match=match, kind=kind, side=side, asked_on=on, defaults={"language": language}
    )
    if created and send and can_ask(match, side):
        jobs.send_survey.after_commit(survey.pk)
    return survey


def link(survey: Survey) -> str:
    """The survey's short signed link (no account needed), as a path."""
    return reverse("survey_answer", args=[signing.TimestampSigner(salt=SALT).sign(str(survey.pk))])


def from_token(token: str) -> Survey | None:
    """The survey a link names, or None when the link was changed or is older than LINK_DAYS."""
    try:
        pk = signing.TimestampSigner(salt=SALT).unsign(token, max_age=timedelta(days=LINK_DAYS))
    except signing.BadSignature:
        return None
    return (
        Survey.objects.select_related("match__newcomer", "match__volunteer", "match__programme__organisation")
        .filter(pk=int(pk), match__newcomer__erased_at__isnull=True)
        .first()
    )


def message_for(survey: Survey) -> str:
    """The text message asking her this survey's question, in her language."""
    texts = participant_texts.texts(survey.language)
    match = survey.match
    values = {
        "friend": match.volunteer.first_name,
        "org": match.programme.organisation.name,
        "link": settings.SITE_URL.rstrip("/") + link(survey),
    }
    template = {str(Survey.Kind.MET): "met", str(Survey.Kind.EXIT): "exit"}.get(survey.kind, "week")
    return texts[template].format(**values)  # type: ignore[literal-required]


def _send_sms(
    *,
    newcomer: Newcomer,
    phone: str,
    body: str,
    language: str,
    match: Match | None = None,
    survey: Survey | None = None,
) -> SmsMessage:
    message = SmsMessage.objects.create(
        newcomer=newcomer, match=match, survey=survey, direction=SmsMessage.Direction.OUT, phone=phone,
        body=body, language=language, status=SmsMessage.Status.QUEUED,
    )  # fmt: skip
    try:
        message.provider_id = sms.send(to=phone, body=body)
        message.status = SmsMessage.Status.SENT
    except sms.SmsError as error:
        message.status, message.error = SmsMessage.Status.FAILED, str(error)[:200]
    message.save(update_fields=["provider_id", "status", "error"])
    audit_record(
        user=None, action=A.Action.CHANGE, purpose=A.Purpose.FOLLOW_UP, subjects=[newcomer],
        detail=f"sms {message.pk} {message.status}" + (f" (survey {survey.pk})" if survey else ""),
    )  # fmt: skip
    return message


def survey_send(*, survey_id: int) -> int:
    """Send a survey's question (by the worker): an SMS to the newcomer, an e-mail to the
    volunteer. 0 when she cannot be reached any more (STOP, no number, erased) or has answered."""
    survey = (
        Survey.objects.select_related("match__newcomer", "match__volunteer__user", "match__programme__organisation")
        .filter(pk=survey_id, answered_at__isnull=True, match__newcomer__erased_at__isnull=True)
        .first()
    )
    if survey is None:
        return 0
    match = survey.match
    if survey.side == Survey.Side.VOLUNTEER:
        return notifications.survey_to_volunteer(survey, link(survey))
    phone = newcomer_phone(match.newcomer)
    if phone is None:
        return 0
    message = _send_sms(
        newcomer=match.newcomer, phone=phone, body=message_for(survey), language=survey.language,
        match=match, survey=survey,
    )  # fmt: skip
    return int(message.status == SmsMessage.Status.SENT)


def surveys_ask_due(*, today: date | None = None) -> int:
    """Ask every question due today (the daily beat); safe to run twice."""
    today = today or timezone.localdate()
    count = 0
    for match, kind, side in selectors.surveys_due(today=today):
        with transaction.atomic():
            survey_ask(match=match, kind=kind, side=side, on=today)
        count += 1
    return count


# --- Answering ------------------------------------------------------------------------------------


def exit_answers_valid(answers: list[int]) -> bool:
    """The two exit questions, both answered: how well it worked (1-5), will they keep in touch
    (1 yes, 2 no, 3 do not know)."""
    return _valid(Survey.Kind.EXIT, answers) and len(answers) == 2


def _valid(kind: str, answers: list[int]) -> bool:
    if not isinstance(answers, list) or not all(type(a) is int for a in answers):
        return False
    if kind == Survey.Kind.MET:
        return answers in ([1], [2])
    if kind == Survey.Kind.EXIT:  # how well (by digit), or how well and keeping in touch (the link, staff)
        how_well, keep = dict(relationship.EXIT_HOW_WELL), dict(relationship.EXIT_KEEP_IN_TOUCH)
        if len(answers) == 1:
            return answers[0] in how_well
        return len(answers) == 2 and answers[0] in how_well and answers[1] in keep
    # the five relationship answers from the link, or one overall answer by digit
    return (len(answers) == 1 and 1 <= answers[0] <= 5) or relationship.valid(answers) and answers != []


@transaction.atomic
def survey_answer(*, survey: Survey, answers: list[int], via: str, by: User | None = None) -> Survey:
    """Record her answer (once: a second answer is refused, so a link forwarded on cannot change
    it). `by` is the social worker or coordinator who recorded it for her."""
    survey = (
        Survey.objects.select_for_update(of=("self",))
        .select_related("match__newcomer", "match__volunteer")
        .get(pk=survey.pk)
    )
    if survey.answered_at is not None:
        raise ValidationError({"answers": gettext_lazy("Frågan är redan besvarad.")})
    if not _valid(survey.kind, answers):
        raise ValidationError({"answers": gettext_lazy("Svara på alla frågor med ett av svaren.")})
    survey.answers, survey.via, survey.recorded_by = answers, via, by
    survey.answered_at = timezone.now()
    survey.save(update_fields=["answers", "via", "recorded_by", "answered_at"])
    person = survey.match.newcomer if survey.side == Survey.Side.NEWCOMER else survey.match.volunteer
    audit_record(
        user=by, action=A.Action.CHANGE, purpose=A.Purpose.FOLLOW_UP, subjects=[person],
        detail=f"survey {survey.pk} ({survey.kind}) answered via {via}",
    )  # fmt: skip
    return survey


def _digit(body: str) -> int | None:
    """A one-digit reply in any script (1, ١, ۱), else None."""
    text = body.strip().rstrip(".!")
    if len(text) != 1:
        return None
    try:
        return unicodedata.digit(text)
    except (TypeError, ValueError):
        return None


def _reply(message: SmsMessage, key: str) -> None:
    texts = participant_texts.texts(message.language)
    body = texts[key].format(org=message.newcomer.organisation.name)  # type: ignore[literal-required]
    jobs.send_sms_reply.after_commit(message.pk, body)


@transaction.atomic
def sms_received(*, phone: str, body: str, provider_id: str = "") -> SmsMessage | None:
    """A text message from a number we wrote to: kept with her match, then read as STOP, START
    or a digit answering the newest question asked of that number in the last REPLY_DAYS.
    None when the number is none of ours (nothing is kept of a stranger's message)."""
    number = sms.normalised(phone) or phone
    last = (
        SmsMessage.objects.filter(phone=number, direction=SmsMessage.Direction.OUT)
        .select_related("newcomer__organisation", "survey")
        .order_by("-created_at", "-id")
        .first()
    )
    if last is None or last.newcomer.erased_at is not None:
        return None
    newcomer = last.newcomer
    message = SmsMessage.objects.create(
        newcomer=newcomer, match=last.match, direction=SmsMessage.Direction.IN, phone=number, body=body[:1600],
        language=last.language, status=SmsMessage.Status.RECEIVED, provider_id=provider_id[:64],
    )  # fmt: skip
    audit_record(
        user=None, action=A.Action.CHANGE, purpose=A.Purpose.FOLLOW_UP, subjects=[newcomer],
        detail=f"sms {message.pk} received",
    )  # fmt: skip
    word = body.strip().strip(".!").casefold()
    if word in participant_texts.STOP_WORDS:
        if newcomer.sms_stopped_at is None:
            Newcomer.objects.filter(pk=newcomer.pk).update(sms_stopped_at=timezone.now())
            _reply(message, "stopped")
        return message
    if word in participant_texts.START_WORDS:
        if newcomer.sms_stopped_at is not None:
            Newcomer.objects.filter(pk=newcomer.pk).update(sms_stopped_at=None)
            _reply(message, "started")
        return message
    digit = _digit(body)
    since = timezone.localdate() - timedelta(days=REPLY_DAYS)
    survey = (
        Survey.objects.filter(
            match__newcomer=newcomer, side=Survey.Side.NEWCOMER, answered_at__isnull=True, asked_on__gte=since
        )
        .order_by("-asked_on", "-id")
        .first()
    )
    if digit is not None and survey is not None and _valid(survey.kind, [digit]):
        survey_answer(survey=survey, answers=[digit], via=Survey.Via.DIGIT)
        SmsMessage.objects.filter(pk=message.pk).update(survey=survey)
        _reply(message, "thanks")
    return message


def sms_reply_send(*, received_id: int, body: str) -> int:
    """Answer a message she sent (thanks, STOP or START confirmed), by the worker. STOP's own
    confirmation is sent though she has stopped: it is the last message she gets."""
    received = SmsMessage.objects.select_related("newcomer").filter(pk=received_id).first()
    if received is None or received.newcomer.erased_at is not None:
        return 0
    message = _send_sms(
        newcomer=received.newcomer, phone=received.phone, body=body, language=received.language,
        match=received.match, survey=received.survey,
    )  # fmt: skip
    return int(message.status == SmsMessage.Status.SENT)
