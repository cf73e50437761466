"""The newcomer's own voice, in a browser on her phone: she answers the week-4 questions in Arabic
through the link in her text message, with the mistake people make (one question skipped); her
digit reply reaches the webhook with the provider's signature, and a forged one is refused; a
match gone quiet leaves the at-risk list when she says they met. Photographed in
/tmp/shots/participants/ for a person to look at."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from twilio.request_validator import RequestValidator

from coordinator import selectors, services
from coordinator.models import Match, SmsMessage
from coordinator.services import surveys
from tests import factories
from tests.browser.test_accessibility import serious_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = Path("/tmp/shots/participants")


@pytest.fixture
def match(solvik, sprakvan, sam, alice):
    amal = factories.newcomer(
        solvik, [sprakvan], registered_by=sam, first_name="Amal", languages=["ar"], consent_notice_language="ar",
        phone="070-123 45 67",
    )  # fmt: skip
    karin = factories.volunteer(solvik, [sprakvan], first_name="Karin", email="karin@example.se")
    started = timezone.localdate() - timedelta(days=35)
    match = services.match_create(programme=sprakvan, newcomer=amal, volunteer=karin, by=alice, started_on=started)
    Match.objects.filter(pk=match.pk).update(state="active", activated_on=started)
    return Match.objects.get(pk=match.pk)


def asked(match, kind: str):
    """Put a question to her and send it as the worker does (the console backend keeps it)."""
    survey = services.survey_ask(match=match, kind=kind, side="newcomer", send=False)
    surveys.survey_send(survey_id=survey.pk)
    return survey, SmsMessage.objects.get(survey=survey).body


def test_she_answers_the_week_4_questions_in_arabic_from_the_link_on_her_phone(page, live_server, match):
    survey, text = asked(match, "week_4")
    link = factories.survey_link_in(text)
    assert surveys.from_token(link.rstrip("/").rsplit("/", 1)[1]) == survey, "the link in her message is hers"
    SHOTS.mkdir(parents=True, exist_ok=True)

    page.goto(live_server.url + link)
    assert page.locator("html").get_attribute("dir") == "rtl"
    page.get_by_role("heading", name="كيف تسير الأمور مع Karin؟").wait_for()
    first = ["نقضي وقتاً ممتعاً عندما نلتقي.", "صديقي يفهمني، حتى عندما لا تكفي الكلمات."]
    for statement in first:
        page.get_by_role("group", name=statement).get_by_label("ينطبق تماماً").check()
    page.get_by_role("button", name="أرسل الإجابات").click()  # three questions skipped
    summary = page.get_by_role("alert")
    assert "هناك ما يحتاج إلى تصحيح" in summary.inner_text()
    page.screenshot(path=str(SHOTS / "week-4-mistake.png"), full_page=True)
    assert serious_violations(page) == []
    for statement in [
        "أستطيع أن أتحدث مع صديقي عن الأمور المهمة بالنسبة لي.",
        "أتطلع إلى لقائنا القادم.",
        "أشعر بالأمان مع صديقي.",
    ]:
        page.get_by_role("group", name=statement).get_by_label("ينطبق إلى حد كبير").check()
    page.get_by_role("button", name="أرسل الإجابات").click()
    page.get_by_role("status").filter(has_text="شكراً! تم حفظ إجاباتك.").wait_for()
    page.screenshot(path=str(SHOTS / "week-4-done.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    survey.refresh_from_db()
    assert (survey.answers, survey.via) == ([5, 4, 5, 4, 4], "link")


def test_her_digit_reply_reaches_the_webhook_signed_and_a_forged_one_is_refused(page, live_server, match):
    """A match gone quiet (no meeting in five weeks) is on the at-risk list until she says they met."""
    today = timezone.localdate()
    programme = match.programme

    def why(today=today) -> list[str]:
        return [
            r.code for found in selectors.matches_at_risk(programmes=[programme], today=today) for r in found.reasons
        ]

    assert "quiet" in why()
    survey, _text = asked(match, "met")
    url = f"{live_server.url}/sms/svar/"
    form = {"From": "+46701234567", "Body": "1", "MessageSid": "SM42"}

    forged = page.request.post(url, form=form, headers={"X-Twilio-Signature": "AAAA"})
    assert forged.status == 403
    survey.refresh_from_db()
    assert survey.answered_at is None

    signature = RequestValidator("test-sms-token").compute_signature(url, form)
    signed = page.request.post(url, form=form, headers={"X-Twilio-Signature": signature})
    assert signed.status == 200 and "<Response>" in signed.text()
    survey.refresh_from_db()
    assert (survey.answers, survey.via) == ([1], "digit")
    assert "quiet" not in why(), "she said they met this week"
    assert SmsMessage.objects.filter(direction="in").get().phone == "+46701234567"
