"""The participants' own voice: the questions put to each side on a rhythm, answered by a digit
by SMS, by the signed link without an account, or recorded by her social worker; STOP; and a
good ending that asks the exit questions, tells both and sends each side back as they wish."""

import logging
from contextlib import contextmanager
from datetime import date, timedelta
from string import Formatter
from unittest import mock

import pytest
from django.core import mail
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from twilio.http import HttpClient
from twilio.http.response import Response
from twilio.request_validator import RequestValidator

from coordinator import participant_texts, relationship, selectors, services, sms
from coordinator.models import Match, Newcomer, PairLock, SmsMessage, Volunteer
from coordinator.services import surveys
from tests import factories
from worker import tasks

WEBHOOK = "http://testserver/sms/svar/"


@pytest.fixture(autouse=True)
def empty_outbox():
    sms.outbox.clear()


@pytest.fixture
def amal(solvik, sprakvan, sam):
    """Amal speaks Arabic; her privacy notice was given in Arabic; she has a Swedish mobile."""
    return factories.newcomer(
        solvik, [sprakvan], registered_by=sam, first_name="Amal", languages=["ar", "sv"],
        consent_notice_language="ar", phone="070-123 45 67", consent_shareable=["first_name"],
    )  # fmt: skip


@pytest.fixture
def karin(solvik, sprakvan):
    return factories.volunteer(solvik, [sprakvan], first_name="Karin", email="karin@example.se")


@pytest.fixture
def match(sprakvan, amal, karin, alice):
    match = services.match_create(
        programme=sprakvan, newcomer=amal, volunteer=karin, by=alice, started_on=date(2026, 10, 1)
    )
    Match.objects.filter(pk=match.pk).update(state=Match.State.ACTIVE, activated_on=date(2026, 10, 1))
    match.refresh_from_db()
    return match


@pytest.fixture
def worker(django_capture_on_commit_callbacks):
    """The worker's part, in this process: the jobs enqueued after commit run when it commits."""

    @contextmanager
    def run():
        with (
            mock.patch.object(tasks.send_survey, "delay", side_effect=lambda *a: tasks.send_survey(*a)),
            mock.patch.object(tasks.send_sms_reply, "delay", side_effect=lambda *a: tasks.send_sms_reply(*a)),
            mock.patch.object(tasks.notify_match_ended, "delay", side_effect=lambda *a: tasks.notify_match_ended(*a)),
            django_capture_on_commit_callbacks(execute=True),
        ):
            yield

    return run


def opened(text: str):
    """The survey the answer link in a message opens."""
    return surveys.from_token(factories.survey_link_in(text).rstrip("/").rsplit("/", 1)[1])


def signed(params: dict, url: str = WEBHOOK, token: str = "test-sms-token") -> str:
    return RequestValidator(token).compute_signature(url, params)


def reply(client, body: str, phone: str = "+46701234567", signature: str | None = None):
    params = {"From": phone, "Body": body, "MessageSid": "SM123"}
    return client.post(
        reverse("sms_webhook"), params, HTTP_X_TWILIO_SIGNATURE=signature if signature is not None else signed(params)
    )


# --- Phone numbers and texts --------------------------------------------------------------------


def test_a_swedish_mobile_number_is_written_in_one_form_and_a_landline_cannot_take_a_text():
    assert sms.normalised("070-123 45 67") == "+46701234567"
    assert sms.normalised("+46 70 123 45 67") == "+46701234567"
    assert sms.normalised("08-123 456 78") is None, "a Stockholm landline"
    assert sms.normalised("12") is None and sms.normalised("not a number") is None


def test_every_language_has_every_text_with_the_same_placeholders():
    def fields(text: str) -> set[str]:
        return {name for _, name, _, _ in Formatter().parse(text) if name}

    swedish = participant_texts.TEXTS["sv"]
    assert set(participant_texts.LANGUAGES) == {"sv", "en", "ar", "prs", "fa", "ti", "so", "uk"}
    for code, texts in participant_texts.TEXTS.items():
        assert texts.keys() == swedish.keys(), code
        for key, value in texts.items():
            if isinstance(value, str):
                assert fields(value) == fields(swedish[key]), (code, key)  # type: ignore[literal-required]
                assert value.strip() and value != swedish[key] or code == "sv", (code, key)  # type: ignore[literal-required]
            else:
                assert len(value) == len(swedish[key]) and all(v.strip() for v in value), (code, key)  # type: ignore[literal-required]


def test_the_participants_statements_are_the_coordinators_five_in_the_same_words():
    assert participant_texts.TEXTS["sv"]["items"] == [str(text) for _key, text in relationship.ITEMS]


# --- Asking on a rhythm -------------------------------------------------------------------------


def test_the_questions_due_are_the_weekly_did_you_meet_and_the_week_4_questions_to_both(match, worker):
    with worker():
        asked = services.surveys_ask_due(today=date(2026, 11, 2))  # 32 days in
    assert asked == 3
    assert sorted(match.surveys.values_list("kind", "side")) == [
        ("met", "newcomer"), ("week_4", "newcomer"), ("week_4", "volunteer"),
    ]  # fmt: skip
    assert services.surveys_ask_due(today=date(2026, 11, 2)) == 0, "asked once, not again"
    assert services.surveys_ask_due(today=date(2026, 11, 8)) == 0, "a week has not passed"
    assert services.surveys_ask_due(today=date(2026, 11, 9)) == 1, "the next week's did-you-meet"


def test_the_newcomer_is_asked_in_arabic_by_sms_and_the_volunteer_by_e_mail(match, worker):
    with worker():
        services.surveys_ask_due(today=date(2026, 11, 2))
    texts = [m.body for m in sms.outbox]
    assert len(texts) == 2 and all(m.to == "+46701234567" for m in sms.outbox)
    assert any("هل التقيت بـKarin هذا الأسبوع؟" in t for t in texts)
    week_4 = next(t for t in texts if "كيف تسير الأمور مع Karin" in t)
    survey = match.surveys.get(kind="week_4", side="newcomer")
    assert opened(week_4) == survey and "Berg" not in week_4, "her volunteer's first name only"
    assert [m.to for m in mail.outbox] == [["karin@example.se"]]
    assert "Amal" in mail.outbox[0].body
    assert opened(mail.outbox[0].body) == match.surveys.get(kind="week_4", side="volunteer")
    assert SmsMessage.objects.filter(match=match, direction="out", status="sent").count() == 2


def test_nothing_is_sent_to_a_newcomer_without_a_mobile_but_her_social_worker_can_answer(match, client, sam, worker):
    Newcomer.objects.filter(pk=match.newcomer_id).update(phone="08-123 456 78")
    with worker():
        services.surveys_ask_due(today=date(2026, 11, 2))
    assert sms.outbox == []
    met = match.surveys.get(kind="met")
    client.force_login(sam)
    page = client.get(reverse("newcomer_detail", args=[match.newcomer_id])).content.decode()
    assert "Den nyanlände får inga sms" in page and "Träffade den nyanlände volontären den veckan?" in page

    client.post(reverse("newcomer_survey_record", args=[match.newcomer_id, met.pk]), {"a1": "1"})

    met.refresh_from_db()
    assert (met.answers, met.via, met.recorded_by) == ([1], "staff", sam)


def test_another_organisations_social_worker_cannot_record_her_answer(match, client, norrby, worker):
    stranger = factories.user("sara@norrby.se")
    factories.member(stranger, norrby, "social_worker")
    survey = services.survey_ask(match=match, kind="met", side="newcomer")
    client.force_login(stranger)
    response = client.post(reverse("newcomer_survey_record", args=[match.newcomer_id, survey.pk]), {"a1": "1"})
    assert response.status_code == 404
    survey.refresh_from_db()
    assert survey.answered_at is None


# --- Replies by SMS -------------------------------------------------------------------------------


@pytest.fixture
def asked(match, worker):
    with worker():
        return services.survey_ask(match=match, kind="met", side="newcomer", on=date(2026, 12, 1))


def test_a_digit_reply_answers_her_newest_question_and_is_thanked_in_her_language(client, asked, worker):
    with worker():
        response = reply(client, "1")
    assert response.status_code == 200 and response["Content-Type"] == "text/xml"
    asked.refresh_from_db()
    assert (asked.answers, asked.via) == ([1], "digit")
    assert sms.outbox[-1].body.startswith("شكراً على ردّك!")
    assert list(SmsMessage.objects.filter(match=asked.match).values_list("direction", flat=True)) == [
        "out", "in", "out",
    ]  # fmt: skip


def test_a_digit_in_arabic_script_is_read_as_the_digit(client, asked):
    reply(client, "٢")
    asked.refresh_from_db()
    assert asked.answers == [2]


def test_a_reply_with_a_wrong_signature_is_refused_and_nothing_is_kept(client, asked):
    params = {"From": "+46701234567", "Body": "1", "MessageSid": "SM1"}
    forged = signed(params, token="not-the-token")

    response = reply(client, "1", signature=forged)
    unsigned = reply(client, "1", signature="")

    assert response.status_code == 403 and unsigned.status_code == 403
    asked.refresh_from_db()
    assert asked.answered_at is None and not SmsMessage.objects.filter(direction="in").exists()


def test_a_message_from_a_number_we_never_wrote_to_is_not_kept(client, asked):
    reply(client, "1", phone="+46709999999")
    assert not SmsMessage.objects.filter(direction="in").exists()


def test_stop_ends_every_message_until_she_writes_start(client, asked, match, worker):
    with worker():
        reply(client, "STOP")
    newcomer = Newcomer.objects.get(pk=match.newcomer_id)
    assert newcomer.sms_stopped_at is not None
    assert sms.outbox[-1].body.startswith("لن تصلك رسائل أخرى")
    sent = len(sms.outbox)
    with worker():
        services.survey_ask(match=match, kind="week_12", side="newcomer")
    assert len(sms.outbox) == sent, "nothing more after STOP"

    with worker():
        reply(client, "start")
    assert Newcomer.objects.get(pk=match.newcomer_id).sms_stopped_at is None


# --- The signed link ----------------------------------------------------------------------------


@pytest.fixture
def week_4(match):
    return services.survey_ask(match=match, kind="week_4", side="newcomer", on=date(2026, 11, 2))


def test_the_link_opens_her_questions_in_arabic_right_to_left_without_a_log_in(client, week_4):
    page = client.get(surveys.link(week_4)).content.decode()
    assert '<html lang="ar" dir="rtl">' in page
    assert "كيف تسير الأمور مع Karin؟" in page and "أشعر بالأمان مع صديقي." in page


def test_a_missing_answer_is_named_and_nothing_is_saved(client, week_4):
    response = client.post(surveys.link(week_4), {"q1": "4", "q2": "4", "q3": "4", "q4": "4"})
    assert response.status_code == 400
    page = response.content.decode()
    assert 'class="error-summary"' in page and 'href="#q5-field"' in page
    week_4.refresh_from_db()
    assert week_4.answered_at is None


def test_her_five_answers_are_saved_once_and_a_second_post_changes_nothing(client, week_4):
    answers = {"q1": "5", "q2": "4", "q3": "3", "q4": "5", "q5": "5"}
    response = client.post(surveys.link(week_4), answers, follow=True)
    assert "شكراً! تم حفظ إجاباتك." in response.content.decode()
    client.post(surveys.link(week_4), {**answers, "q1": "1"})
    week_4.refresh_from_db()
    assert (week_4.answers, week_4.via) == ([5, 4, 3, 5, 5], "link")


def test_a_changed_link_gets_the_page_a_link_that_never_existed_gets(client, week_4):
    token = surveys.link(week_4).rstrip("/").rsplit("/", 1)[1]
    changed = client.get(reverse("survey_answer", args=[token[:-2] + "xx"]))
    other = client.get(reverse("survey_answer", args=[f"{week_4.pk + 1}:abc:def"]))
    assert changed.status_code == other.status_code == 404
    assert changed.content == other.content


def test_an_old_link_no_longer_answers(client, week_4, time_machine):
    link = surveys.link(week_4)
    time_machine.move_to(timezone.now() + timedelta(days=surveys.LINK_DAYS + 1))
    assert client.get(link).status_code == 404


# --- A good ending ------------------------------------------------------------------------------


def end(client, match, worker, **data):
    form = {"reason": "no_time", "wanted_by": "volunteer", "newcomer_returns": "on", "confirm": "on", **data}
    with worker():
        return client.post(reverse("match_end", args=[match.pk]), form)


def test_ending_tells_both_asks_the_exit_questions_and_sends_her_back_first_in_line(client, alice, match, worker):
    client.force_login(alice)
    response = end(client, match, worker, newcomer_priority="on", newcomer_note="Vill träffa någon på dagtid.")
    assert response.status_code == 302
    match.refresh_from_db()
    assert (match.state, match.ended_wanted_by) == ("ended", "volunteer")
    newcomer = Newcomer.objects.get(pk=match.newcomer_id)
    assert (newcomer.status, newcomer.pool_priority, newcomer.pool_note) == (
        "waiting", True, "Vill träffa någon på dagtid.",
    )  # fmt: skip
    assert sorted(match.surveys.values_list("kind", "side")) == [("exit", "newcomer"), ("exit", "volunteer")]
    assert any("انتهت فترة لقاءاتك مع Karin" in m.body for m in sms.outbox)
    subjects = sorted((m.to[0], m.subject) for m in mail.outbox)
    assert any(to == "karin@example.se" and "Två frågor om tiden som volontär" in subject for to, subject in subjects)
    assert any(to == "karin@example.se" and "Matchningen är avslutad" in subject for to, subject in subjects)
    assert any(to == "sam@solvik.se" and "En matchning är avslutad" in subject for to, subject in subjects)
    to_sam = next(m for m in mail.outbox if m.to == ["sam@solvik.se"])
    assert "Amal står i kö till en ny matchning, med förtur." in to_sam.body


def test_back_in_the_pool_with_priority_her_waiting_counts_as_full(client, alice, match, sprakvan, worker):
    client.force_login(alice)
    end(client, match, worker, newcomer_priority="on")
    problem = selectors.matching_problem(programme=sprakvan, reference_date=date(2026, 12, 1))
    record = next(n for n in problem["newcomers"] if n["id"] == f"n{match.newcomer_id}")
    assert record["registered_on"] == (date(2026, 12, 1) - timedelta(days=180)).isoformat()


def test_answers_recorded_at_the_ending_are_kept_and_that_side_is_not_asked_again(client, alice, match, worker):
    client.force_login(alice)
    end(client, match, worker, newcomer_exit_1="4", newcomer_exit_2="1")
    exit_n = match.surveys.get(kind="exit", side="newcomer")
    assert (exit_n.answers, exit_n.via, exit_n.recorded_by) == ([4, 1], "staff", alice)
    assert not any("انتهت" in m.body for m in sms.outbox), "she answered in the ending conversation"


def test_one_exit_answer_without_the_other_is_named_and_nothing_ends(client, alice, match, worker):
    client.force_login(alice)
    response = end(client, match, worker, volunteer_exit_1="4")
    assert response.status_code == 400 and "volunteer_exit_2" in response.context["end_form"].errors
    assert Match.objects.get(pk=match.pk).state == "active"


def test_both_wanting_to_go_on_holds_the_same_pair_for_the_next_run(client, alice, match, worker):
    client.force_login(alice)
    end(client, match, worker, wanted_by="coordinator", volunteer_returns="on", same_again="on")
    assert PairLock.objects.filter(newcomer_id=match.newcomer_id, volunteer_id=match.volunteer_id).exists()


def test_the_same_volunteer_again_is_refused_when_she_does_not_go_back(client, alice, match, worker):
    client.force_login(alice)
    response = end(client, match, worker, same_again="on")  # the volunteer does not return
    assert response.status_code == 400 and "same_again" in response.context["end_form"].errors
    assert Match.objects.get(pk=match.pk).state == "active" and not PairLock.objects.exists()


def test_a_volunteer_who_does_not_go_back_is_paused_and_told_so(client, alice, match, worker):
    client.force_login(alice)
    end(client, match, worker, wanted_by="both")
    assert Volunteer.objects.get(pk=match.volunteer_id).status == "paused"
    to_karin = next(m for m in mail.outbox if "Matchningen är avslutad" in m.subject)
    assert "Du har nu en paus som volontär." in to_karin.body


# --- Erasure and retention ----------------------------------------------------------------------


def test_erasing_her_deletes_her_text_messages(client, asked, match, sam):
    reply(client, "1")
    assert SmsMessage.objects.filter(newcomer_id=match.newcomer_id).exists()
    services.newcomer_erase(newcomer=Newcomer.objects.get(pk=match.newcomer_id), by=sam)
    assert not SmsMessage.objects.filter(newcomer_id=match.newcomer_id).exists()


def test_her_own_data_holds_her_questions_and_her_messages(asked, match):
    data = services.person_data(Newcomer.objects.get(pk=match.newcomer_id))
    assert [q["kind"] for q in data["questions"]] == ["met"]
    assert data["text_messages"][0]["phone"] == "+46701234567"


# --- The provider: only its HTTP is replaced -----------------------------------------------------


class ProviderHttp(HttpClient):
    """What Twilio's API would answer; the request is kept to be read."""

    def __init__(self, status: int = 201):
        super().__init__(logger=logging.getLogger("twilio.http_client"), is_async=False)
        self.status, self.requests = status, []

    def request(
        self, method, url, params=None, data=None, headers=None, auth=None, timeout=None, allow_redirects=False
    ):
        self.requests.append((method, url, data))
        if self.status >= 400:
            return Response(self.status, '{"code": 21211, "message": "Invalid To number", "status": 400}')
        return Response(self.status, '{"sid": "SM0123456789abcdef", "status": "queued"}')


@override_settings(SMS_BACKEND="coordinator.sms.TwilioBackend", SMS_ACCOUNT_SID="AC123", SMS_FROM="+46766860000")
def test_the_twilio_backend_sends_through_the_api_and_keeps_the_providers_id(asked, worker, monkeypatch):
    http = ProviderHttp()
    monkeypatch.setattr(sms.TwilioBackend, "http_client", http)
    sms._backend.cache_clear()
    with worker():
        survey = services.survey_ask(match=asked.match, kind="week_4", side="newcomer")
    method, url, data = http.requests[0]
    assert method == "POST" and url.endswith("/Accounts/AC123/Messages.json")
    assert data["To"] == "+46701234567" and data["From"] == "+46766860000" and "Karin" in data["Body"]
    message = SmsMessage.objects.get(survey=survey)
    assert (message.status, message.provider_id) == ("sent", "SM0123456789abcdef")
    sms._backend.cache_clear()


@override_settings(SMS_BACKEND="coordinator.sms.TwilioBackend", SMS_ACCOUNT_SID="AC123")
def test_a_refusal_by_the_provider_is_kept_as_failed_and_shown(asked, worker, monkeypatch):
    monkeypatch.setattr(sms.TwilioBackend, "http_client", ProviderHttp(status=400))
    sms._backend.cache_clear()
    with worker():
        survey = services.survey_ask(match=asked.match, kind="week_4", side="newcomer")
    message = SmsMessage.objects.get(survey=survey)
    assert message.status == "failed" and "Invalid To number" in message.error
    sms._backend.cache_clear()


def test_the_exit_scales_are_the_coordinators_in_the_same_words():
    assert participant_texts.TEXTS["sv"]["exit_points"] == [str(label) for _v, label in relationship.EXIT_HOW_WELL]
    assert participant_texts.TEXTS["sv"]["keep"] == [str(label) for _v, label in relationship.EXIT_KEEP_IN_TOUCH]


def test_her_own_low_answers_put_the_match_on_the_at_risk_list_once(match, week_4):
    services.survey_answer(survey=week_4, answers=[2, 2, 2, 2, 1], via="link")
    [entry] = selectors.matches_at_risk(programmes=[match.programme], today=date(2026, 12, 1))
    assert [r.why for r in entry.reasons if r.code == "low"] == [
        "Den nyanlände svarade själv, med sms eller länken, 1,8 av 5 om relationen."
    ]
    assert [r.why for r in entry.reasons if r.code == "unsafe"] == [
        "Den nyanlände svarade 1 av 5 på ”Jag känner mig trygg med min vän.”"
    ], "the one statement about safety is a reason on its own"

    follow_up = match.follow_ups.filter(done_on__isnull=True).first()
    services.follow_up_record(
        follow_up=follow_up, by=match.created_by, outcome="needs_support", on=date(2026, 11, 20),
        newcomer_answers=[2, 2, 2, 2, 2],
    )  # fmt: skip
    [entry] = selectors.matches_at_risk(programmes=[match.programme], today=date(2026, 12, 1))
    assert [r.why for r in entry.reasons if r.code == "low"] == ["Den nyanlände svarade 2,0 av 5 om relationen."]


def test_the_same_volunteer_again_is_refused_after_a_safeguarding_concern(client, alice, match, worker):
    client.force_login(alice)
    response = end(client, match, worker, reason="safeguarding", volunteer_returns="on", same_again="on")
    assert response.status_code == 400 and "same_again" in response.context["end_form"].errors
    assert Match.objects.get(pk=match.pk).state == "active" and not PairLock.objects.exists()


def test_the_match_page_shows_each_of_her_five_answers_beside_the_mean(client, alice, match, week_4):
    services.survey_answer(survey=week_4, answers=[5, 5, 4, 5, 1], via="link")
    client.force_login(alice)
    html = client.get(reverse("match_detail", args=[match.pk])).content.decode()
    assert "4,0 av 5 (5 · 5 · 4 · 5 · 1)" in html


def test_she_can_read_her_questions_in_swedish_or_english_instead_and_come_back(client, week_4):
    link = surveys.link(week_4)
    arabic = client.get(link).content.decode()
    assert f'href="{link}?sprak=sv"' in arabic and "?sprak=en" in arabic
    swedish = client.get(link + "?sprak=sv").content.decode()
    assert '<html lang="sv">' in swedish and "Hur går det med Karin?" in swedish
    assert f'href="{link}" lang="ar"' in swedish, "back to her own language"
    assert client.get(link + "?sprak=xx").content.decode().count('lang="ar" dir="rtl"') == 1
