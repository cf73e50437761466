"""After the match, in a browser: a match gone quiet is on the coordinator's at-risk list and
leaves it when the volunteer logs a meeting in one tap on her phone; a coordinator's check-in
with a safeguarding flag reaches the organisation's admin, who follows the e-mail's link to the
concern. Photographed in /tmp/shots/after-the-match/ for a person to look at."""

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.core import mail
from django.utils import timezone

from accounts.models import AuditEvent
from coordinator import services
from coordinator.models import FollowUp, Match, Volunteer
from tests import factories
from tests.browser.conftest import log_in
from tests.browser.test_accessibility import serious_violations
from worker import tasks

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = Path("/tmp/shots/after-the-match")
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture
def quiet_match(solvik, sprakvan, sam, alice, vera):
    """Vera and Amal started five weeks ago and nobody has logged a meeting since."""
    amal = factories.newcomer(
        solvik, [sprakvan], first_name="Amal", registered_by=sam, consent_shareable=["first_name"]
    )
    started = timezone.localdate() - timedelta(weeks=5)
    match = services.match_create(
        programme=sprakvan, newcomer=amal, volunteer=Volunteer.objects.get(user=vera), by=alice, started_on=started
    )
    Match.objects.filter(pk=match.pk).update(state="active", activated_on=started)
    return Match.objects.get(pk=match.pk)


def context(browser, viewport):
    c = browser.new_context(locale="sv-SE", viewport=viewport)
    c.set_default_timeout(15_000)
    return c


def test_a_quiet_match_leaves_the_at_risk_list_when_the_volunteer_logs_a_meeting_on_her_phone(
    browser, live_server, quiet_match, alice, sprakvan
):
    SHOTS.mkdir(parents=True, exist_ok=True)
    desk, phone = context(browser, DESKTOP), context(browser, PHONE)
    coordinator, volunteer = desk.new_page(), phone.new_page()
    log_in(coordinator, live_server, "alice@solvik.se", app_secret=factories.authenticator_app(alice))
    coordinator.goto(f"{live_server.url}/program/{sprakvan.pk}/")
    risk = coordinator.locator("#at-risk")
    entry = risk.get_by_role("listitem").filter(has_text=re.compile(r"Amal \S+ & Vera ")).first
    assert "Ingen träff antecknad sedan starten för 5 veckor sedan." in entry.inner_text()
    assert "Ring volontären och fråga hur det går" in entry.inner_text()

    log_in(volunteer, live_server, "vera@example.se")
    volunteer.goto(f"{live_server.url}/mitt-uppdrag/")
    assert "Inga träffar antecknade ännu." in volunteer.content()
    volunteer.get_by_role("button", name="Vi träffades i dag").click()
    volunteer.get_by_role("status").filter(has_text="Tack! Träffen").wait_for()
    assert "1 träff antecknad, senast" in volunteer.content()
    assert volunteer.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert serious_violations(volunteer) == []
    volunteer.screenshot(path=str(SHOTS / "volunteer-logged-a-meeting.png"), full_page=True)

    coordinator.reload()
    assert "Ingen träff antecknad" not in coordinator.locator("#at-risk").inner_text()
    coordinator.screenshot(path=str(SHOTS / "dashboard-after.png"), full_page=True)
    assert quiet_match.meetings.get().source == "volunteer"
    desk.close()
    phone.close()


def test_a_check_in_with_a_safeguarding_flag_reaches_the_admin(browser, live_server, quiet_match, alice, ada):
    SHOTS.mkdir(parents=True, exist_ok=True)
    desk = context(browser, DESKTOP)
    page = desk.new_page()
    log_in(page, live_server, "alice@solvik.se", app_secret=factories.authenticator_app(alice))
    page.goto(f"{live_server.url}/matchningar/{quiet_match.pk}/")
    first = quiet_match.follow_ups.order_by("due_on").first()
    block = page.locator(f"#follow-up-{first.pk}")
    block.get_by_text("Anteckna uppföljningen").click()
    block.get_by_label("Behöver stöd").check()
    # The mistake: the flag ticked without saying what it is about.
    block.get_by_label("Jag är orolig för någons säkerhet").check()
    block.get_by_role("button", name="Spara uppföljningen").click()
    block = page.locator(f"#follow-up-{first.pk}")
    assert "Beskriv kort vad du är orolig för" in block.inner_text()
    assert not FollowUp.objects.filter(pk=first.pk, done_on__isnull=False).exists(), "nothing half written"
    block.get_by_label("Finns det någon oro?").fill("Amal berättade om hot från en granne.")
    block.get_by_label("Jag är orolig för någons säkerhet").check()
    block.get_by_role("button", name="Spara uppföljningen").click()
    page.get_by_role("status").filter(has_text="Uppföljningen är sparad").wait_for()
    assert "administratörerna har fått veta" in page.content()

    # The worker's task, run here: the admin is told at once, naming nobody.
    mail.outbox.clear()
    tasks.notify_safeguarding(first.pk)
    (to_ada,) = [m for m in mail.outbox if m.to == ["ada@solvik.se"]]
    assert "Amal" not in to_ada.body and "hot" not in to_ada.body
    link = next(line for line in to_ada.body.splitlines() if "/matchningar/" in line)
    path = link[link.index("/matchningar/") :]
    assert AuditEvent.objects.filter(detail=f"match {quiet_match.pk}: safeguarding concern raised").exists()

    admin_context = context(browser, DESKTOP)
    admin = admin_context.new_page()
    log_in(admin, live_server, "ada@solvik.se", app_secret=factories.authenticator_app(ada))
    admin.goto(live_server.url + path)
    concern = admin.locator(f"#follow-up-{first.pk}")
    assert "Amal berättade om hot från en granne." in concern.inner_text()
    assert "Oro för någons säkerhet" in concern.inner_text()
    admin.screenshot(path=str(SHOTS / "admin-reads-the-concern.png"), full_page=True)
    desk.close()
    admin_context.close()
