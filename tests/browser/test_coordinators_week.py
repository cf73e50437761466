"""A coordinator's week in a browser, on a phone and on a desktop, with axe-core on every page:
review a filtered queue, decline without and with a reason and approve without losing her place,
look a newcomer up, book the introduction and see its calendar invitation, record a follow-up,
end the match with confirmation."""

import re
from datetime import timedelta

import icalendar
import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from coordinator.models import Match, MatchingRun, Proposal
from tests import factories
from tests.browser.conftest import log_in
from tests.browser.test_accessibility import VIEWPORTS, serious_violations
from worker import tasks

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(params=list(VIEWPORTS))
def screen(request, browser):
    context = browser.new_context(locale="sv-SE", viewport=VIEWPORTS[request.param])
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def open_menu_if_folded(page) -> None:
    toggle = page.locator(".menu-toggle")
    if toggle.is_visible() and toggle.get_attribute("aria-expanded") != "true":
        toggle.click()


def test_a_coordinators_week(screen, live_server, alice, sam, solvik, sprakvan):
    page = screen
    run = MatchingRun.objects.create(programme=sprakvan, status="done", finished_at=timezone.now())
    proposals = {}
    for first, languages, score in [("Amal", ["ar", "sv"], 0.9), ("Omar", ["ti"], 0.8), ("Rana", ["ar"], 0.7)]:
        newcomer = factories.newcomer(
            solvik, [sprakvan], first_name=first, last_name="Haddad", languages=languages, registered_by=sam
        )
        volunteer = factories.volunteer(
            solvik, [sprakvan], first_name=f"Vän{first}", email=f"van{first.lower()}@example.se"
        )
        proposals[first] = Proposal.objects.create(
            run=run, newcomer=newcomer, volunteer=volunteer, score=score, parts={"language": 1.0}
        )
    found = {}
    log_in(page, live_server, "alice@solvik.se", app_secret=factories.authenticator_app(alice))
    page.goto(f"{live_server.url}/program/{sprakvan.pk}/forslag/")

    # A filtered queue: only those who speak Arabic.
    page.get_by_label("Den nyanländes språk").select_option("ar")
    page.get_by_role("button", name="Filtrera").click()
    page.get_by_role("status").filter(has_text="2 förslag passar filtret.").wait_for()
    found["queue, filtered"] = serious_violations(page)
    assert "Omar Haddad" not in page.content()

    # Declining without a reason: the reason is asked for in the open form, where she was.
    rana = page.get_by_role("article").filter(has_text="Rana Haddad")
    rana.get_by_text("Avböj", exact=True).click()
    rana.get_by_role("button", name="Avböj förslaget för Rana").click()
    summary = page.locator("[data-error-summary]")
    assert "Skriv varför förslaget avböjs." in summary.inner_text()
    assert "language=ar" in page.locator("input[name=tillbaka]").first.get_attribute("value")
    found["queue, a decline without a reason"] = serious_violations(page)
    rana = page.get_by_role("article").filter(has_text="Rana Haddad")
    rana.get_by_label("Varför passar de inte?").fill("Hon har flyttat till Umeå.")
    rana.get_by_role("button", name="Avböj förslaget för Rana").click()
    page.get_by_role("status").filter(has_text="Förslaget är avböjt").wait_for()
    assert page.get_by_role("status").filter(has_text="1 förslag passar filtret.").count() == 1  # still filtered

    # The full comparison on demand, then approving: she stays in the queue.
    amal = page.get_by_role("article").filter(has_text="Amal Haddad")
    amal.get_by_role("link", name="Jämför Amal och VänAmal").click()
    page.get_by_role("heading", name="Varför de passar").wait_for()
    found["queue, a comparison"] = serious_violations(page)
    page.get_by_role("button", name="Godkänn förslaget för Amal").click()
    page.get_by_role("link", name="Boka det första mötet").wait_for()
    assert Proposal.objects.get(pk=proposals["Amal"].pk).state == "approved"

    # Looking a newcomer up.
    open_menu_if_folded(page)
    page.goto(f"{live_server.url}/program/{sprakvan.pk}/nyanlanda/?first_language=ar")
    assert page.locator("details.more-filters").get_attribute("open") is not None, "the filter she came with, shown"
    found["the programme's newcomers, narrowed to a group"] = serious_violations(page)
    page.goto(f"{live_server.url}/program/{sprakvan.pk}/nyanlanda/")
    page.get_by_role("textbox", name="Sök").fill("Omar")
    page.locator("main").get_by_role("button", name="Sök").click()
    page.get_by_role("link", name="Omar Haddad").click()
    page.get_by_role("heading", name="Omar Haddad").wait_for()
    assert "sam@solvik.se" in page.content()
    found["a newcomer's page"] = serious_violations(page)

    # Booking the introduction: both get a calendar invitation (the worker's task, run here).
    match = Match.objects.get(newcomer=proposals["Amal"].newcomer)
    page.goto(f"{live_server.url}/matchningar/{match.pk}/")
    when = (timezone.localtime() + timedelta(minutes=3)).replace(second=0, microsecond=0)
    page.get_by_label("När").fill(when.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Var", exact=True).fill("Biblioteket i Solvik")
    page.get_by_role("button", name="Boka mötet").click()
    page.get_by_role("status").filter(has_text="Mötet är bokat").wait_for()
    found["the match page"] = serious_violations(page)
    match.refresh_from_db()
    tasks.notify_introduction(match.pk, match.intro_at.isoformat())
    invitation = next(m for m in mail.outbox if m.to == ["vanamal@example.se"])
    (event,) = icalendar.Calendar.from_ical(invitation.attachments[0][1]).walk("VEVENT")
    assert str(event["location"]) == "Biblioteket i Solvik"

    with time_machine.travel(when + timedelta(minutes=5), tick=True):
        page.reload()
        page.get_by_role("button", name="Mötet är gjort: matchningen är igång").click()
        page.get_by_role("status").filter(has_text="Matchningen är igång").wait_for()

        page.get_by_text("Anteckna uppföljningen").first.click()
        page.get_by_label("Går bra").first.check()
        page.get_by_role("button", name="Spara uppföljningen").first.click()
        page.get_by_role("status").filter(has_text="Uppföljningen är sparad").wait_for()

        # Ending asks for confirmation.
        page.get_by_label("Flyttat").check()
        page.get_by_role("radio", name="Den nyanlände", exact=True).check()
        page.get_by_role("button", name="Avsluta matchningen").click()
        assert "Kryssa i rutan för att bekräfta" in page.locator("[data-error-summary]").inner_text()
        found["ending without confirming"] = serious_violations(page)
        page.get_by_label("Ja, avsluta matchningen").check()
        page.get_by_role("button", name="Avsluta matchningen").click()
        page.get_by_role("status").filter(has_text="Matchningen är avslutad").wait_for()
    assert re.search(r"Avslutad \d{4}-\d{2}-\d{2} \(flyttat\)", page.content())

    # The other pages of her week.
    for name, path in [
        ("dashboard", f"/program/{sprakvan.pk}/"),
        ("volunteers", f"/program/{sprakvan.pk}/volontarer/"),
        ("pair by hand", f"/program/{sprakvan.pk}/para-ihop/?nyanland=Omar"),
        ("matches", f"/program/{sprakvan.pk}/matchningar/"),
    ]:
        page.goto(live_server.url + path)
        found[name] = serious_violations(page)
    assert found == {name: [] for name in found}


# Each word of the cells' text, measured unbroken against the room its cell has.
WORDS_WIDER_THAN_THEIR_CELL = """selector => {
  const wider = [];
  for (const cell of document.querySelectorAll(selector)) {
    const style = getComputedStyle(cell);
    const room = cell.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    const inner = cell.querySelector("a") || cell;
    for (const word of inner.textContent.split(/\\s+/).filter(Boolean)) {
      const probe = document.createElement("span");
      probe.textContent = word;
      probe.style.whiteSpace = "nowrap";
      inner.appendChild(probe);
      if (probe.getBoundingClientRect().width > room + 0.5) wider.push(word);
      probe.remove();
    }
  }
  return wider;
}"""


def test_who_waits_longest_is_one_tap_from_the_top_of_the_dashboard_and_its_tables_fit_the_screen(
    screen, live_server, alice, solvik, sprakvan
):
    """Twelve newcomers with the longest names a group has: on a phone the contents link takes
    her to the groups, and every table of them fits without a sideways swipe."""
    page = screen
    for i in range(12):
        factories.newcomer(
            solvik, [sprakvan], first_name=f"Rana{i}", languages=["kmr" if i % 2 else "ckb"],
            locality="Drottningholm", target_group="ensamkommande" if i % 3 else "nyanland",
            birth_year=2009 if i % 3 else 1990,
        )  # fmt: skip
    log_in(page, live_server, "alice@solvik.se", app_secret=factories.authenticator_app(alice))
    page.goto(f"{live_server.url}/program/{sprakvan.pk}/")

    page.get_by_role("navigation", name="På den här sidan").get_by_role(
        "link", name="Vilka grupper väntar längst"
    ).click()
    page.wait_for_function("location.hash === '#who-waits-heading'")
    page.get_by_role("region", name="Vilka grupper väntar längst").locator("summary").click()

    tables = page.locator("#who-waits .table-scroll")
    assert tables.count() == 5
    widths = tables.evaluate_all("all => all.map(e => e.scrollWidth - e.clientWidth)")
    assert widths == [0] * 5, "no table wider than its place"
    assert page.evaluate(WORDS_WIDER_THAN_THEIR_CELL, "#who-waits table.groups tbody th") == [], (
        "no name broken mid-word"
    )
    assert page.get_by_role("rowheader", name=re.compile("Ensamkommande barn")).count() == 1
    assert serious_violations(page) == []

    # She follows a group to its people and comes Back: the groups are still open where she was.
    page.get_by_role("link", name="Drottningholm").click()
    page.get_by_role("heading", name=re.compile("Nyanlända")).wait_for()
    page.go_back()
    page.get_by_role("rowheader", name=re.compile("Drottningholm")).wait_for(state="visible")
    page.reload()
    assert page.locator("#who-waits-groups").get_attribute("open") is not None


def test_on_a_phone_every_column_of_the_people_list_and_the_start_page_is_on_the_screen_under_its_name(
    screen, live_server, alice, solvik, sprakvan
):
    """The list was a table twice the phone's width: Status and how long she has waited were off
    to the right, behind a swipe nothing pointed to. Now each person is a card on a phone and
    stays a table on a desktop, a table to a screen reader on both."""
    page = screen
    factories.newcomer(solvik, [sprakvan], first_name="Rana", last_name="Ahmadi", locality="Drottningholm",
                       registered_on=timezone.localdate() - timedelta(days=40), interpreter_needed=True,
                       interpreter_language="fa")  # fmt: skip
    log_in(page, live_server, "alice@solvik.se", app_secret=factories.authenticator_app(alice))
    page.goto(f"{live_server.url}/program/{sprakvan.pk}/nyanlanda/")

    row = page.get_by_role("row", name=re.compile("Rana Ahmadi"))
    waited = row.get_by_role("cell", name="40 dagar")
    assert waited.is_visible()
    assert page.get_by_role("columnheader", name="Har väntat").count() == 1, "the table's roles kept"
    box, width = waited.bounding_box(), page.viewport_size["width"]
    assert box["x"] >= 0 and box["x"] + box["width"] <= width, "no swipe to see how long she has waited"
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    if width < 480:
        assert "Har väntat" in waited.evaluate("e => getComputedStyle(e, '::before').content"), "named in its card"
    else:
        assert page.get_by_role("columnheader", name="Har väntat").is_visible(), "a table on a desktop"
    assert serious_violations(page) == []

    # Her start page's table of programmes, whose last three columns were off the screen.
    page.goto(f"{live_server.url}/")
    matches = page.get_by_role("row", name=re.compile(sprakvan.name)).get_by_role("cell").last
    box = matches.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= width
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    if width < 480:
        assert "Pågående matchningar" in matches.evaluate("e => getComputedStyle(e, '::before').content")
    assert serious_violations(page) == []
