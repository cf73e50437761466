"""People come in, as they would in a browser on a phone: a volunteer signs up and applies,
a social worker registers a newcomer, a coordinator approves a volunteer."""

import re

import pytest
from django.core import mail
from django.utils import timezone

from coordinator.models import Newcomer, Volunteer
from tests import factories
from tests.browser.conftest import log_in, open_menu

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def fits_the_phone(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= 390


def test_a_volunteer_signs_up_confirms_her_address_and_applies(page, live_server, sprakvan):
    page.goto(f"{live_server.url}/bli-volontar/?org=solvik")
    page.get_by_role("link", name="Skapa konto").click()
    page.get_by_label("E-post").fill("karin@example.se")
    page.get_by_label("Lösenord", exact=True).fill("ett-langt-losenord")
    page.get_by_label("Lösenord igen").fill("ett-langt-losenord")
    page.get_by_role("button", name="Skapa konto").click()
    page.get_by_role("heading", name="Titta i din e-post").wait_for()

    link = re.search(r"https?://\S+/konto/confirm-email/\S+/", mail.outbox[-1].body).group(0)
    page.goto(link)
    page.get_by_role("button", name="Bekräfta").click()

    page.get_by_role("heading", name="Om dig").wait_for()
    page.get_by_label("Förnamn").fill("Karin")
    page.get_by_label("Efternamn").fill("Berg")
    page.get_by_label("Födelseår").fill("2199")
    page.get_by_label("Kvinna").check()
    page.get_by_role("button", name="Nästa").click()
    # A birth year in the future is refused at its field, and the field says so to a screen reader.
    year = page.get_by_label("Födelseår")
    assert year.get_attribute("aria-invalid") == "true"
    assert "framtiden" in page.locator(f"#{year.get_attribute('aria-describedby').split()[-1]}").inner_text()
    year.fill("1968")
    page.get_by_role("button", name="Nästa").click()

    page.get_by_role("heading", name="Program").wait_for()
    page.get_by_label(re.compile("Språkvän Solvik")).check()
    page.get_by_role("button", name="Nästa").click()

    page.get_by_role("heading", name="Språk och intressen").wait_for()
    page.get_by_label("svenska", exact=True).check()
    # The common languages come first; the search narrows the rest as she types.
    page.get_by_label("Sök bland språken").fill("alb")
    assert page.get_by_label("albanska").is_visible() and not page.get_by_label("tyska").is_visible()
    assert page.get_by_label("svenska", exact=True).is_visible()  # what she has chosen stays in view
    page.get_by_label("Sök bland språken").fill("")
    page.get_by_label("arabiska").check()
    page.get_by_label("Modersmål").check()
    page.get_by_label("matlagning").check()
    page.get_by_role("button", name="Nästa").click()

    page.get_by_role("heading", name="Tider").wait_for()
    assert "kl. 17–21" in page.content()
    cell = page.locator("label[for='id_availability_mon_evening']").bounding_box()
    assert cell["width"] >= 44 and cell["height"] >= 44  # the whole cell is the tap target
    page.locator("label[for='id_availability_mon_evening']").click(position={"x": 3, "y": 3})
    assert page.get_by_label("måndag kväll").is_checked()
    page.get_by_label("lördag förmiddag").check()
    page.get_by_role("button", name="Nästa").click()

    page.get_by_role("heading", name="Var du bor").wait_for()
    page.get_by_label("Postnummer").fill("178 32")
    page.get_by_role("button", name="Nästa").click()

    page.get_by_role("heading", name="Vem du vill träffa").wait_for()
    page.get_by_role("button", name="Nästa").click()

    page.get_by_role("heading", name="Samtycke").wait_for()
    assert "Karin Berg" in page.content() and "Ekerö" in page.content()
    # Check your answers: correcting the languages is one tap, and saving leads back here.
    page.get_by_role("link", name="Ändra språk och intressen").click()
    page.get_by_label("engelska").check()
    page.get_by_role("button", name="Spara ändringen").click()
    page.get_by_role("heading", name="Samtycke").wait_for()
    assert "svenska, engelska, arabiska" in page.content()
    page.get_by_label(re.compile("Jag har läst integritetsmeddelandet")).check()
    page.get_by_role("button", name="Skicka ansökan").click()

    page.get_by_role("heading", name="Mitt uppdrag").wait_for()
    assert "Ansökt" in page.content()
    assert fits_the_phone(page)
    v = Volunteer.objects.get(email="karin@example.se")
    assert (v.status, v.languages, v.availability, v.locality) == (
        "applied",
        ["sv", "en", "ar"],
        ["mon-evening", "sat-morning"],
        "Ekerö",
    )


def test_a_social_worker_registers_a_newcomer(page, live_server, sam, sprakvan):
    log_in(page, live_server, "sam@solvik.se")
    page.get_by_role("link", name="Registrera en nyanländ").first.click()
    page.get_by_label(re.compile("Språkvän Solvik")).check()
    page.get_by_role("textbox", name="Förnamn").fill("Amal")
    page.get_by_role("textbox", name="Efternamn").fill("Haddad")
    page.get_by_label("Födelseår").fill("1994")
    page.get_by_role("group", name="Kön").get_by_label("Kvinna").check()
    page.get_by_label("Nyanländ (uppehållstillstånd)").check()
    page.get_by_label("arabiska").check()
    page.get_by_label("Grundläggande").check()
    page.get_by_label("måndag kväll").check()
    page.get_by_label("Postnummer").fill("17830")
    page.get_by_label("Integritetsmeddelandet gavs på").select_option("ar")
    page.get_by_label("Muntligt med tolk").check()
    page.get_by_role("group", name="Får lämnas till volontären").get_by_label("Förnamn").check()
    page.get_by_role("button", name="Registrera").click()

    page.get_by_role("heading", name="Amal Haddad").wait_for()
    assert "Väntar" in page.content()
    n = Newcomer.objects.get()
    assert (n.registered_by, n.consent_method, timezone.localdate(n.consent_given_at), n.consent_shareable) == (
        sam,
        "oral_interpreter",
        timezone.localdate(),
        ["first_name"],
    )


def test_a_coordinator_approves_a_volunteer(page, live_server, alice, solvik, sprakvan):
    factories.volunteer(solvik, [sprakvan], status="interviewed", first_name="Karin", last_name="Berg")
    log_in(page, live_server, "alice@solvik.se", app_secret=factories.authenticator_app(alice))
    open_menu(page)
    page.get_by_role("link", name="Volontärer").click()
    page.get_by_role("link", name=re.compile("Intervjuad")).click()
    page.get_by_role("link", name="Karin Berg").click()
    page.get_by_label("Godkänn").check()
    page.get_by_role("button", name="Spara beslut").click()
    page.get_by_role("status").filter(has_text="Karin Berg är nu: godkänd.").wait_for()
    assert Volunteer.objects.get(first_name="Karin").status == "approved"
    assert fits_the_phone(page)


def test_a_right_to_left_name_and_a_long_word_keep_the_page_within_the_phone(page, live_server, sam, solvik, sprakvan):
    n = factories.newcomer(
        solvik,
        [sprakvan],
        registered_by=sam,
        first_name="عبد الرحمن",
        last_name="الحسيني",
        needs="Arbetsmarknadsetableringsinsatsförberedelseutbildningen",
    )
    log_in(page, live_server, "sam@solvik.se")
    page.goto(f"{live_server.url}/nyanlanda/{n.pk}/")
    heading = page.get_by_role("heading", name="عبد الرحمن الحسيني")
    assert heading.get_attribute("dir") == "auto"
    assert page.evaluate("getComputedStyle(document.querySelector('h1')).direction") == "rtl"
    assert fits_the_phone(page)
    open_menu(page)
    page.get_by_label("Språk").select_option("en")
    page.get_by_role("button", name="Byt").click()
    page.wait_for_url(f"**/nyanlanda/{n.pk}/")
    page.get_by_role("heading", name="Details").wait_for()
    page.wait_for_load_state()
    assert "Arabic" in page.content() and fits_the_phone(page)


def test_an_application_interrupted_by_an_idle_log_out_goes_on_on_another_device(browser, page, live_server, sprakvan):
    """Karin, 70, applies on her phone, stops for coffee in the middle of a step, and picks it up
    on her computer: the answers she had given, and what she had typed, are still there."""
    import time

    from django.contrib.sessions.backends.db import SessionStore

    from accounts.middleware import LAST_SEEN

    factories.user("karin@example.se", password="ett-langt-losenord")
    page.goto(f"{live_server.url}/bli-volontar/?org=solvik")
    page.locator("main").get_by_role("link", name="logga in").click()
    page.get_by_label("E-post").fill("karin@example.se")
    page.get_by_label("Lösenord").fill("ett-langt-losenord")
    page.get_by_role("button", name="Logga in").click()
    page.get_by_role("heading", name="Om dig").wait_for()
    page.get_by_label("Förnamn").fill("Karin")
    page.get_by_label("Efternamn").fill("Berg")
    page.get_by_label("Födelseår").fill("1956")
    page.get_by_label("Kvinna").check()
    page.get_by_role("button", name="Nästa").click()
    page.get_by_label(re.compile("Språkvän Solvik")).check()
    page.get_by_role("button", name="Nästa").click()
    page.get_by_label("svenska", exact=True).check()
    page.get_by_label("Modersmål").check()
    with page.expect_response(lambda r: r.url.endswith("/spara/") and r.status == 204):
        page.get_by_label("matlagning").check()  # saved as she goes, before she presses Next

    cookie = next(c for c in page.context.cookies() if "session" in c["name"])
    session = SessionStore(session_key=cookie["value"])
    session[LAST_SEEN] = time.time() - 31 * 60
    session.save()
    page.get_by_role("button", name="Nästa").click()
    page.get_by_role("heading", name="Logga in").wait_for()
    assert "Din ansökan är sparad" in page.get_by_role("status").inner_text()

    desktop = browser.new_context(locale="sv-SE", viewport={"width": 1280, "height": 900})
    try:
        computer = desktop.new_page()
        computer.goto(f"{live_server.url}/konto/login/")
        computer.get_by_label("E-post").fill("karin@example.se")
        computer.get_by_label("Lösenord").fill("ett-langt-losenord")
        computer.get_by_role("button", name="Logga in").click()
        computer.get_by_role("heading", name="Språk och intressen").wait_for()
        assert computer.get_by_label("svenska", exact=True).is_checked()
        assert computer.get_by_label("matlagning").is_checked()
        computer.get_by_role("button", name="Nästa").click()
        computer.get_by_role("heading", name="Tider").wait_for()
        computer.get_by_role("link", name="Tillbaka").click()
        computer.get_by_role("link", name="Tillbaka").click()
        computer.get_by_role("heading", name="Program").wait_for()
        assert computer.get_by_label(re.compile("Språkvän Solvik")).is_checked()
    finally:
        desktop.close()
