"""Journeys as people live them, across browsers and with their mistakes (issue 17): a volunteer
confirms her address on another device than the one she signed up on, a coordinator's first
log-in sets up her authenticator app, and a social worker registers a newcomer after being
refused for every mistake she can make. Each asserts what the person sees; each page is also
photographed on the phone, in /tmp/shots/journeys/, for a person to look at."""

import re
from datetime import date, timedelta
from pathlib import Path

import pyotp
import pytest
from django.core import mail
from playwright.sync_api import expect

from accounts import services as account_services
from accounts.models import Role
from coordinator.models import Newcomer
from tests import factories
from tests.browser.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path("/tmp/shots/journeys")
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def shot(page, name: str) -> None:
    """A photograph of the whole page, on the phone only (where a page is narrowest)."""
    if page.viewport_size == PHONE:
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]


@pytest.fixture
def desktop(browser):
    """A second browser of the same person's, fresh: no cookies, nothing remembered."""
    context = browser.new_context(locale="sv-SE", viewport=DESKTOP)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


# --- 1. A verification opened in another browser --------------------------------------------


def test_karin_signs_up_on_her_phone_confirms_on_her_computer_and_applies_there_to_the_organisation_she_chose(
    page, desktop, live_server, sprakvan, norrby
):
    factories.programme(norrby, name="Flyktingguide Norrby", kind="flyktingguide")
    page.goto(f"{live_server.url}/bli-volontar/?org=solvik")
    page.get_by_role("link", name="Skapa konto").click()
    page.get_by_label("E-post").fill("karin@example.se")
    page.get_by_label("Lösenord", exact=True).fill("ett-langt-losenord")
    page.get_by_label("Lösenord igen").fill("ett-langt-losenord")
    shot(page, "1-01-phone-signup")
    page.get_by_role("button", name="Skapa konto").click()
    page.get_by_role("heading", name="Titta i din e-post").wait_for()
    shot(page, "1-02-phone-look-in-your-mail")

    link = re.search(r"https?://\S+/konto/confirm-email/\S+/", mail.outbox[-1].body).group(0)
    desktop.goto(link)
    desktop.get_by_role("heading", name="Bekräfta e-postadressen").wait_for()
    assert "karin@example.se" in desktop.locator("main").inner_text()
    desktop.get_by_role("button", name="Bekräfta").click()
    # Another browser holds no log-in of hers: she gives her password there, and goes on.
    desktop.get_by_role("heading", name="Logga in").wait_for()
    assert "karin@example.se är bekräftad" in desktop.get_by_role("status").inner_text()
    desktop.get_by_label("E-post").fill("karin@example.se")
    desktop.get_by_label("Lösenord").fill("ett-langt-losenord")
    desktop.get_by_role("button", name="Logga in").click()
    desktop.get_by_role("heading", name="Om dig").wait_for()
    desktop.get_by_label("Förnamn").fill("Karin")
    desktop.get_by_label("Efternamn").fill("Berg")
    desktop.get_by_label("Födelseår").fill("1968")
    desktop.get_by_label("Kvinna").check()
    desktop.get_by_role("button", name="Nästa").click()
    desktop.get_by_role("heading", name="Program").wait_for()
    offered = desktop.get_by_role("checkbox")
    expect(offered).to_have_count(1)
    expect(offered).to_have_accessible_name(re.compile("Språkvän Solvik"))
    assert "Norrby" not in desktop.locator("main").inner_text()

    # Back on her phone, the page she left asks her to look in her e-mail no more.
    page.reload()
    expect(page.get_by_role("heading", name="Titta i din e-post")).to_have_count(0)
    shot(page, "1-03-phone-after-reload")
    page.get_by_role("heading", name="Logga in").wait_for()
    assert "Logga in för att fortsätta med ansökan" in page.get_by_role("status").inner_text()
    page.get_by_label("E-post").fill("karin@example.se")
    page.get_by_label("Lösenord").fill("ett-langt-losenord")
    page.get_by_role("button", name="Logga in").click()
    page.get_by_role("heading", name="Program").wait_for()  # where she stopped on her computer
    shot(page, "1-04-phone-goes-on-where-she-stopped")
    expect(page.get_by_role("checkbox")).to_have_count(1)
    assert fits(page)


# --- 2. A staff member's first log-in, with two factors set up by a real authenticator ---------


def a_wrong_code(secret: str) -> str:
    """A six-digit code that no step the server accepts just now would give."""
    now = int(pyotp.TOTP(secret).now())
    accepted = {factories.code_from_app(secret, steps_ago=n) for n in (-2, -1, 0, 1, 2)}
    return next(c for c in (f"{(now + i) % 1_000_000:06d}" for i in range(1, 10)) if c not in accepted)


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_cecilia_accepts_her_invitation_and_sets_up_her_app_in_a_fresh_browser(
    browser, live_server, solvik, ada, viewport
):
    _invitation, token = account_services.invitation_create(
        organisation=solvik, by=ada, email="cecilia@solvik.se", role=Role.COORDINATOR
    )
    first = browser.new_context(locale="sv-SE", viewport=viewport)
    fresh = browser.new_context(locale="sv-SE", viewport=viewport)
    try:
        page = first.new_page()
        page.set_default_timeout(15_000)
        page.goto(f"{live_server.url}/inbjudan/{token}/")
        page.get_by_role("heading", name="Inbjudan till Solvik kommun").wait_for()
        page.get_by_label("Förnamn").fill("Cecilia")
        page.get_by_label("Efternamn").fill("Lind")
        page.get_by_label("Lösenord", exact=True).fill("ett-langt-losenord-2")
        page.get_by_label("Lösenord igen").fill("ett-langt-losenord-2")
        shot(page, "2-01-invitation")
        page.get_by_role("button", name="Tacka ja").click()
        page.get_by_role("heading", name="Slå på tvåstegsverifiering").wait_for()
        shot(page, "2-02-set-up-after-accepting")

        # The next morning, in a fresh browser: she logs in and is sent to set up her app.
        page = fresh.new_page()
        page.set_default_timeout(15_000)
        page.goto(f"{live_server.url}/konto/login/")
        page.get_by_label("E-post").fill("cecilia@solvik.se")
        page.get_by_label("Lösenord").fill("ett-langt-losenord-2")
        page.get_by_role("button", name="Logga in").click()
        page.get_by_role("heading", name="Slå på tvåstegsverifiering").wait_for()
        secret = page.get_by_label("Hemlighet").input_value()
        # What the browser asks for by itself meanwhile: its icon, a style sheet.
        fetched = page.evaluate(
            """async () => Promise.all(["/favicon.ico", "/static/vanmatch/vanmatch.css"].map(
                 async (url) => { const r = await fetch(url, {redirect: "manual"}); return r.status; }))"""
        )
        assert fetched == [200, 200]
        page.reload()
        assert page.get_by_label("Hemlighet").input_value() == secret
        shot(page, "2-03-set-up-in-a-fresh-browser")

        page.get_by_label("Autentiseringskod").fill(a_wrong_code(secret))
        page.get_by_role("button", name="Slå på").click()
        summary = page.locator("[data-error-summary]")
        expect(summary).to_contain_text("Felaktig kod.")
        expect(summary).to_be_focused()
        expect(page).to_have_title(re.compile("^Fel:"))
        assert page.get_by_label("Hemlighet").input_value() == secret, "a wrong code keeps the secret she scanned"
        shot(page, "2-04-a-wrong-code")

        page.get_by_label("Autentiseringskod").fill(pyotp.TOTP(secret).now())
        page.get_by_role("button", name="Slå på").click()
        page.get_by_role("heading", name="Dina återställningskoder").wait_for()
        codes = page.get_by_role("list", name="Oanvända koder").get_by_role("listitem").all_inner_texts()
        assert len(codes) >= 5
        shot(page, "2-05-recovery-codes")

        page.get_by_role("link", name="Jag har sparat koderna, fortsätt").click()  # the way on
        page.get_by_role("heading", name="Välkommen, Cecilia").wait_for()
        shot(page, "2-06-her-start-page")
        assert fits(page)
    finally:
        first.close()
        fresh.close()


# --- 3. A social worker's registration of a newcomer, with every mistake ----------------------


def refused(page, *, field: str, says: str) -> None:
    """The form came back: the summary at the top says what is wrong with `field` (its id),
    takes the focus, the title begins with "Fel:", and the summary's link leads to the field."""
    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    expect(page).to_have_title(re.compile("^Fel:"))
    link = summary.locator(f'a[href="#{field}-field"]')
    expect(link).to_contain_text(says)
    link.click()
    assert page.evaluate("document.activeElement.closest('.field').id") == f"{field}-field"


def fill_in_amal(page, today: date) -> None:
    """What Sam types for Amal, right from the start: her consent first, then her facts."""
    page.get_by_label("Integritetsmeddelandet gavs på").select_option("ar")
    page.get_by_label("Samtycke lämnat").fill(today.isoformat())
    page.get_by_label("Muntligt med tolk").check()
    page.get_by_role("group", name="Får lämnas till volontären").get_by_label("Förnamn").check()
    page.get_by_label(re.compile("Språkvän Solvik")).check()
    page.get_by_role("textbox", name="Förnamn").fill("Amal")
    page.get_by_role("textbox", name="Efternamn").fill("Haddad")
    page.get_by_label("Födelseår").fill("1994")
    page.get_by_role("group", name="Kön").get_by_label("Kvinna").check()
    page.get_by_label("Nyanländ (uppehållstillstånd)").check()
    page.get_by_label("arabiska").check()
    page.get_by_label("Grundläggande").check()
    page.get_by_label("måndag kväll").check()
    page.get_by_label("Postnummer").fill("178 30")


def register(page) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name="Registrera").click()


@pytest.fixture(params=[PHONE, DESKTOP], ids=["phone", "desktop"])
def screen(request, browser):
    context = browser.new_context(locale="sv-SE", viewport=request.param)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def test_sam_registers_amal_after_being_refused_for_every_mistake_and_her_record_shows_the_consent(
    screen, live_server, sam, solvik, sprakvan
):
    page = screen
    factories.newcomer(solvik, [sprakvan], registered_by=sam)  # another Amal Haddad, born 1994
    today = date.today()
    log_in(page, live_server, "sam@solvik.se")
    page.goto(f"{live_server.url}/nyanlanda/ny/")
    first_section = page.locator("form section h2").first
    expect(first_section).to_have_text("Samtycke")
    shot(page, "3-01-the-form")
    fill_in_amal(page, today)

    page.get_by_label("Ensamkommande barn").check()
    page.get_by_label("Födelseår").fill("1970")
    register(page)
    refused(page, field="id_birth_year", says="Född 1970")
    expect(page.locator("[data-error-summary]")).to_contain_text("ett ensamkommande barn är högst 20")
    shot(page, "3-02-an-unaccompanied-minor-born-in-1970")
    page.get_by_label("Nyanländ (uppehållstillstånd)").check()
    page.get_by_label("Födelseår").fill("1994")

    page.get_by_label("Samtycke lämnat").fill("1999-05-01")
    register(page)
    refused(page, field="id_consent_given_on", says="Samtycket lämnades 1999-05-01, för mer än ett år sedan")
    shot(page, "3-03-a-consent-from-1999")

    page.get_by_label("Samtycke lämnat").fill((today + timedelta(days=3)).isoformat())
    register(page)
    refused(page, field="id_consent_given_on", says="Datumet ligger i framtiden.")
    page.get_by_label("Samtycke lämnat").fill(today.isoformat())

    page.get_by_label("Behöver tolk vid första mötet").check()
    register(page)
    refused(page, field="id_interpreter_language", says="Ange vilket språk tolken ska tala.")
    shot(page, "3-04-an-interpreter-without-a-language")
    page.get_by_label("Tolkspråk").select_option("ar")

    page.get_by_label("Flytande").check()
    register(page)
    refused(page, field="id_languages", says="kryssa i svenska bland språken också")
    page.get_by_label("Grundläggande").check()

    page.get_by_role("textbox", name=re.compile("^Ort")).fill("Kiruna")
    register(page)
    refused(page, field="id_locality", says="Postnumret 178 30 hör till Ekerö")
    shot(page, "3-05-a-postcode-and-a-locality-apart")
    page.get_by_role("textbox", name=re.compile("^Ort")).fill("")

    register(page)
    refused(page, field="id_duplicate_confirmed", says="Amal Haddad, född 1994, finns redan i organisationen")
    shot(page, "3-06-a-likely-namesake")
    page.get_by_label("Det är en annan person med samma namn och födelseår").check()

    page.get_by_label(re.compile("Språkvän Solvik")).uncheck()
    register(page)
    refused(page, field="id_programmes", says="Välj minst ett program.")
    assert Newcomer.objects.count() == 1, "nothing was saved while she was refused"
    page.get_by_label(re.compile("Språkvän Solvik")).check()

    register(page)
    page.get_by_role("heading", name="Amal Haddad").wait_for()
    expect(page.get_by_role("status")).to_contain_text("Amal Haddad är registrerad")
    consent = page.locator("dl").filter(has_text="Integritetsmeddelande")
    expect(consent).to_contain_text(f"{today.isoformat()}, muntligt med tolk")
    expect(consent).to_contain_text("version 2026-12-01, givet på arabiska genom tolk")
    expect(consent).to_contain_text("Förnamn")
    shot(page, "3-07-her-record")
    assert Newcomer.objects.count() == 2 and fits(page)


def test_no_field_about_the_newcomer_fills_in_the_social_workers_own_details(page, live_server, sam, sprakvan):
    log_in(page, live_server, "sam@solvik.se")
    page.goto(f"{live_server.url}/nyanlanda/ny/")
    typed = "form input[type=text], form input[type=number], form input[type=tel], form input[type=date], form textarea"
    tokens = page.locator(typed).evaluate_all("(els) => els.map((el) => [el.name, el.getAttribute('autocomplete')])")
    own = [name for name, token in tokens if token not in (None, "off")]
    assert own == [], f"these would fill in Sam's own details: {own}"
    assert all(token == "off" for name, token in tokens if name in ("first_name", "last_name", "phone", "postcode"))
