"""The coordinator's loop end to end, in a browser, with a real worker process computing the run
through the broker: run matching, approve a proposal, book the introduction, record a
follow-up, end the match with a reason."""

import io
import re
import time
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from coordinator.models import Match, MatchingRun, Newcomer, Volunteer
from tests import factories
from tests.browser.conftest import log_in
from worker.models import SentNotification

pytestmark = [pytest.mark.browser, pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_a_coordinator_runs_matching_and_follows_a_match_to_its_end(
    page, live_server, celery_worker_process, alice, sam, solvik, sprakvan
):
    factories.newcomer(solvik, [sprakvan], first_name="Amal", last_name="Haddad", registered_by=sam)
    factories.volunteer(solvik, [sprakvan], first_name="Karin", last_name="Berg", email="karin@example.se")
    log_in(page, live_server, "alice@solvik.se", app_secret=factories.authenticator_app(alice))
    page.get_by_role("link", name="Språkvän Solvik").click()

    page.get_by_role("button", name="Kör matchning").click()
    # The page follows the run without a reload while the worker process computes it.
    page.get_by_role("status").filter(has_text="Klar: 1 av 1 nyanlända fick ett förslag.").wait_for(timeout=90_000)
    assert MatchingRun.objects.get().status == "done"
    # The key figures follow the finished run without a reload.
    page.locator("#key-figures li").filter(has_text="förslag att granska").filter(has_text="1").wait_for()
    page.get_by_role("link", name="Granska förslagen").click()

    proposal = page.get_by_role("article").filter(has_text="Amal Haddad")
    assert "Karin Berg" in proposal.inner_text()
    proposal.get_by_role("link", name="Jämför Amal och Karin").click()  # the full comparison, on demand
    proposal = page.get_by_role("article").filter(has_text="Amal Haddad")
    proposal.get_by_role("heading", name="Varför de passar").wait_for()
    proposal.get_by_role("button", name="Godkänn förslaget för Amal").click()
    # She stays in the queue; the new match is a link away.
    page.get_by_role("link", name="Boka det första mötet").click()
    page.get_by_role("heading", name="Introduktionsmöte").wait_for()

    when = (timezone.localtime() + timedelta(minutes=3)).replace(second=0, microsecond=0)
    page.get_by_label("När").fill(when.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Var", exact=True).fill("Biblioteket i Solvik")
    page.get_by_role("button", name="Boka mötet").click()
    page.get_by_role("status").filter(has_text="Mötet är bokat").wait_for()
    # The meeting cannot be marked as done before it has taken place; once it has, it can.
    assert page.get_by_role("button", name="Mötet är gjort: matchningen är igång").count() == 0
    with time_machine.travel(when + timedelta(minutes=5), tick=True):
        page.reload()
        page.get_by_role("button", name="Mötet är gjort: matchningen är igång").click()
        page.get_by_role("status").filter(has_text="Matchningen är igång").wait_for()

    page.get_by_text("Anteckna uppföljningen").first.click()
    page.get_by_label("Går bra").first.check()
    page.get_by_label("Anteckningar").first.fill("De ses varje måndag.")
    page.get_by_role("button", name="Spara uppföljningen").first.click()
    page.get_by_role("status").filter(has_text="Uppföljningen är sparad").wait_for()

    page.get_by_label("Flyttat").check()
    page.get_by_role("radio", name="Den nyanlände", exact=True).check()
    page.get_by_role("button", name="Avsluta matchningen").click()
    # Ending asks for confirmation first.
    assert "Kryssa i rutan för att bekräfta" in page.locator("[data-error-summary]").inner_text()
    # She moved away and wants a new match in her new town: back in the pool first in line, with
    # a note; the volunteer takes a break. Both exit questions were asked in the ending talk.
    page.get_by_label("Med förtur").check()
    page.get_by_label("Inför nästa matchning (den nyanlände)").fill("Bor nu i Norrby, vill ses på kvällar.")
    page.get_by_label("Volontären vill träffa någon ny").uncheck()
    page.get_by_label("Den nyanlände: hur bra har det fungerat?").select_option(label="Bra")
    page.get_by_label("Den nyanlände: tänker ni fortsätta att höras?").select_option(label="Ja")
    page.get_by_label("Ja, avsluta matchningen").check()
    page.get_by_role("button", name="Avsluta matchningen").click()
    page.get_by_role("status").filter(has_text="Matchningen är avslutad").wait_for()
    assert re.search(r"Avslutad \d{4}-\d{2}-\d{2} \(flyttat\)", page.content())
    assert "Det var den nyanlände som ville avsluta." in page.content()
    answers = page.locator("#voice-heading + table")
    assert "Bra; fortsätter höras: ja" in answers.inner_text()

    # The worker process tells both, the volunteer and the newcomer's social worker.
    ended = Match.objects.get()
    for _ in range(100):
        told = SentNotification.objects.filter(key=f"ended:{ended.pk}", sent_at__isnull=False).first()
        if told is not None:
            break
        time.sleep(0.2)
    assert told is not None and told.count == 2
    newcomer, volunteer = Newcomer.objects.get(pk=ended.newcomer_id), Volunteer.objects.get(pk=ended.volunteer_id)
    assert (newcomer.status, newcomer.pool_priority, newcomer.pool_note) == (
        "waiting", True, "Bor nu i Norrby, vill ses på kvällar.",
    )  # fmt: skip
    assert volunteer.status == "paused"

    match = Match.objects.get()
    assert (match.state, match.end_reason, match.ended_by, match.intro_place) == (
        "ended",
        "moved",
        alice,
        "Biblioteket i Solvik",
    )
    assert match.follow_ups.filter(outcome="going_well", notes="De ses varje måndag.").exists()


def test_a_coordinator_imports_a_spreadsheet_that_the_worker_checks_while_the_page_waits(
    page, live_server, celery_worker_process, alice, solvik, sprakvan, tmp_path
):
    from coordinator.models import Volunteer
    from tests.coordinator.test_import import MESSY, xlsx

    path = tmp_path / "volontarer.xlsx"
    path.write_bytes(xlsx([MESSY[0], MESSY[1]]))
    log_in(page, live_server, "alice@solvik.se", app_secret=factories.authenticator_app(alice))
    page.goto(f"{live_server.url}/organisation/solvik/importera/")
    page.get_by_label("Volontärer").check()
    page.get_by_label("Fil").set_input_files(str(path))
    page.get_by_role("button", name="Kontrollera filen").click()
    # The worker process checks the file; the page follows it and shows the result by itself.
    page.get_by_role("button", name="Importera").wait_for(timeout=60_000)
    assert "Favoritfärg" in page.content()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.get_by_role("button", name="Importera").click()
    page.get_by_role("status").filter(has_text="Importen är klar").wait_for()
    assert Volunteer.objects.get().first_name == "Åsa"


def test_a_coordinator_asks_for_an_xlsx_that_the_worker_writes_while_the_page_waits(
    page, live_server, celery_worker_process, alice, solvik, sprakvan
):
    from openpyxl import load_workbook

    for name in ("Amal", "Omar", "Rana"):
        factories.newcomer(solvik, [sprakvan], first_name=name)
    log_in(page, live_server, "alice@solvik.se", app_secret=factories.authenticator_app(alice))
    page.goto(f"{live_server.url}/data/")
    page.get_by_role("link", name="XLSX").nth(1).click()  # newcomers
    page.get_by_role("button", name="Skapa fil: Nyanlända").click()
    assert "Nyanlända skapas som XLSX" in page.content()
    # The worker process writes it; the page follows and offers the file by itself.
    link = page.get_by_role("link", name="Hämta Nyanlända (XLSX)")
    link.wait_for(timeout=60_000)
    assert "Klar: 3 rader" in page.content()
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]
    link.click()
    # Downloading asks for the password again, then the file comes.
    page.get_by_role("heading", name="Bekräfta att det är du").wait_for()
    assert "ladda ner en fil med personuppgifter" in page.content()
    page.get_by_label("Lösenord").fill("secret-pass-1")
    with page.expect_download() as download:
        page.get_by_role("button", name="Bekräfta").click()
    # The page that started the download stays in view, with a way back.
    page.get_by_role("heading", name="Filen hämtas").wait_for()
    assert page.get_by_role("link", name="Tillbaka till dina exportfiler").is_visible()
    assert download.value.suggested_filename.endswith(".xlsx")
    book = load_workbook(io.BytesIO(download.value.path().read_bytes()))
    assert sorted(r[1] for r in list(book.active.iter_rows(values_only=True))[1:]) == ["Amal", "Omar", "Rana"]
