"""What the people in a match answer without an account: the short page a signed link opens
(the week-4, week-12 and exit questions), and the webhook the SMS provider posts replies to.
Her social worker records her answers for her from the newcomer's page."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, HttpResponseForbidden
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from accounts.shared.forms import refusals_as_messages
from coordinator import participant_texts, selectors, sms
from coordinator.models import Survey
from coordinator.services import surveys

KINDS_ON_THE_PAGE = (Survey.Kind.WEEK_4, Survey.Kind.WEEK_12, Survey.Kind.EXIT)


def _questions(survey: Survey, texts) -> list[dict]:
    """The questions the page asks, each with its choices: five statements, or the two exit
    questions."""
    if survey.kind == Survey.Kind.EXIT:
        return [
            {"name": "q1", "text": texts["exit_q1"], "choices": list(enumerate(texts["exit_points"], 1))},
            {"name": "q2", "text": texts["exit_q2"], "choices": list(enumerate(texts["keep"], 1))},
        ]
    points = list(enumerate(texts["points"], 1))
    return [{"name": f"q{i}", "text": item, "choices": points} for i, item in enumerate(texts["items"], 1)]


def questions_for_staff(open_surveys) -> list[Survey]:
    """Her unanswered questions, each with the questions as her social worker asks them (in the
    social worker's language): `survey.questions`."""
    texts = participant_texts.texts(get_language() or "sv")
    out = []
    for survey in open_surveys:
        if survey.kind == Survey.Kind.MET:
            survey.questions = [
                {
                    "name": "q1",
                    "text": _("Träffade den nyanlände volontären den veckan?"),
                    "choices": [(1, _("Ja")), (2, _("Nej"))],
                }
            ]
        else:
            survey.questions = _questions(survey, texts)
        out.append(survey)
    return out


@never_cache
@require_http_methods(["GET", "POST"])
def survey_answer(request, token: str):
    """The page a survey's link opens, in her language. A changed or old link, or one for a
    question of another kind, gets the same page as a link that never existed."""
    survey = surveys.from_token(token)
    if survey is None or survey.kind not in KINDS_ON_THE_PAGE:
        # Which language she reads is unknown without the survey: the sentence in every one.
        others = [
            (code, texts["expired"], code in participant_texts.RTL)
            for code, texts in participant_texts.TEXTS.items()
            if code != "sv"
        ]
        context = {"texts": participant_texts.texts("sv"), "lang": "sv", "others": others}
        return render(request, "participants/expired.html", context, status=404)
    # She reads her own language; Swedish and English are offered beside it (a phone without the
    # script's font, a friend helping her read).
    chosen_language = request.GET.get("sprak")
    language = chosen_language if chosen_language in ("sv", "en") else survey.language
    texts = participant_texts.texts(language)
    match = survey.match
    friend = (
        match.volunteer.first_name
        if survey.side == Survey.Side.NEWCOMER
        else selectors.newcomer_name_for_volunteer(match.newcomer)
    )
    organisation = match.programme.organisation
    title_key = "title_exit" if survey.kind == Survey.Kind.EXIT else "title_week"
    questions = _questions(survey, texts)
    errors: dict[str, str] = {}
    chosen: dict[str, int] = {}
    status = 200
    if request.method == "POST" and survey.answered_at is None:
        for q in questions:
            raw = request.POST.get(q["name"], "")
            if raw.isdigit() and int(raw) in dict(q["choices"]):
                chosen[q["name"]] = int(raw)
            else:
                errors[q["name"]] = texts["error_item"]
        if not errors:
            with refusals_as_messages(request) as outcome:
                surveys.survey_answer(
                    survey=survey, answers=[chosen[q["name"]] for q in questions], via=Survey.Via.LINK
                )
            if outcome.ok:
                return redirect(request.path + "?klart=1" + (f"&sprak={language}" if chosen_language else ""))
        status = 400
    context = {
        "survey": survey,
        "texts": texts,
        "lang": language,
        "rtl": language in participant_texts.RTL,
        "fallbacks": [
            (
                code,
                participant_texts.ENDONYMS[code],
                request.path if code == survey.language else f"{request.path}?sprak={code}",
            )
            for code in dict.fromkeys((survey.language, "sv", "en"))
            if code != language and code in participant_texts.ENDONYMS
        ]
        if survey.side == Survey.Side.NEWCOMER
        else [],
        "title": texts[title_key].format(friend=friend),  # type: ignore[literal-required]
        "intro": texts["intro_exit" if survey.kind == Survey.Kind.EXIT else "intro_week"],
        "questions": [{**q, "error": errors.get(q["name"]), "chosen": chosen.get(q["name"])} for q in questions],
        "errors": errors,
        "done": survey.answered_at is not None,
        "just_done": request.GET.get("klart") == "1" and survey.answered_at is not None,
        "contact": texts["contact"].format(name=organisation.contact_name, phone=organisation.contact_phone)
        if organisation.contact_name and organisation.contact_phone
        else "",
        "organisation": organisation.name,
    }
    return render(request, "participants/survey.html", context, status=status)


@csrf_exempt  # the provider posts here; what stands guard is its signature, checked first
@require_POST
def sms_webhook(request):
    """A reply from a newcomer, as Twilio posts it (From, Body, MessageSid, signed in the
    X-Twilio-Signature header). An unsigned or wrongly signed post is refused and nothing of it
    is kept."""
    url = settings.SMS_WEBHOOK_URL or request.build_absolute_uri()
    params = {key: request.POST.get(key, "") for key in request.POST}
    signature = request.headers.get("X-Twilio-Signature", "")
    if not sms.signature_valid(url=url, params=params, signature=signature):
        return HttpResponseForbidden("invalid signature", content_type="text/plain")
    phone, body = params.get("From", ""), params.get("Body", "")
    if phone and body:
        surveys.sms_received(phone=phone, body=body, provider_id=params.get("MessageSid", ""))
    # The reply, if any, is sent by the worker through the backend: Twilio gets an empty answer.
    return HttpResponse('<?xml version="1.0" encoding="UTF-8"?><Response></Response>', content_type="text/xml")


@login_required
@require_POST
def newcomer_survey_record(request, pk: int, survey_pk: int):
    """Her social worker records an answer she gave by phone or in person, when she has no
    mobile phone or did not answer the message."""
    newcomer = selectors.newcomer_for_social_worker(user=request.user, pk=pk)
    survey = selectors.open_survey_of(newcomer=newcomer, pk=survey_pk)
    if survey is None:
        raise Http404
    answers = [int(request.POST[f"a{i}"]) for i in range(1, 6) if request.POST.get(f"a{i}", "").isdigit()]
    with refusals_as_messages(request) as outcome:
        surveys.survey_answer(survey=survey, answers=answers, via=Survey.Via.STAFF, by=request.user)
    if outcome.ok:
        messages.success(request, _("Svaret är sparat."))
    return redirect("newcomer_detail", pk=pk)
