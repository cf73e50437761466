import pytest

from tests import factories
from tests.browser.conftest import log_in, open_menu

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_coordinator_logs_in_on_a_phone_sets_up_her_app_and_sees_her_programmes(
    page, live_server, alice, solvik, sprakvan
):
    factories.newcomer(solvik, [sprakvan])
    log_in(page, live_server, "alice@solvik.se")
    # The first time, she is asked to set up an authenticator app before anything else.
    page.get_by_role("heading", name="Slå på tvåstegsverifiering").wait_for()
    assert page.get_by_role("img", name="QR-kod för autentiseringsappen").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    secret = page.get_by_label("Hemlighet").input_value()
    page.get_by_label("Autentiseringskod").fill(factories.code_from_app(secret))
    page.get_by_role("button", name="Slå på").click()
    page.get_by_role("heading", name="Återställningskoder").wait_for()
    page.get_by_role("link", name="Vänmatch").click()
    page.get_by_role("heading", name="Välkommen, Alice").wait_for()
    row = page.get_by_role("row", name="Språkvän Solvik")
    assert "Språkvän" in row.inner_text()
    # Nothing on the page is wider than the phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_a_wrong_password_is_refused_with_a_message(page, live_server, alice):
    log_in(page, live_server, "alice@solvik.se", password="wrong-password")
    assert page.get_by_role("alert").is_visible()
    assert "Välkommen" not in page.content()


def test_the_language_switcher_turns_the_page_english(page, live_server, db):
    page.goto(live_server.url)
    open_menu(page)
    page.get_by_label("Språk").select_option("en")
    page.get_by_role("button", name="Byt").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"


def test_the_api_docs_and_the_dashboard_work_under_the_content_security_policy(
    page, live_server, alice, solvik, sprakvan
):
    violations = []
    page.on("console", lambda m: violations.append((page.url, m.text)) if "Content Security Policy" in m.text else None)
    factories.newcomer(solvik, [sprakvan])
    log_in(page, live_server, "alice@solvik.se", app_secret=factories.authenticator_app(alice))
    page.goto(f"{live_server.url}/api/docs/")
    page.get_by_text("Vänmatch API").first.wait_for()
    page.goto(f"{live_server.url}/program/{sprakvan.pk}/")
    widths = [bar.bounding_box()["width"] for bar in page.locator("span.bar").all()]
    assert max(widths) > 50  # the widest bar is drawn without inline style
    assert violations == []


def test_a_coordinator_back_in_a_fresh_browser_sets_up_her_app_with_the_code_it_shows(
    browser, page, live_server, alice
):
    """Her session lives on; the new browser's first page is the set-up page, and the browser asks
    for its icon on its own. The secret she scans must still be the one her code is checked against."""
    log_in(page, live_server, "alice@solvik.se")
    page.get_by_role("heading", name="Slå på tvåstegsverifiering").wait_for()
    session = page.context.storage_state()

    desktop = browser.new_context(locale="sv-SE", viewport={"width": 1280, "height": 900}, storage_state=session)
    try:
        fresh = desktop.new_page()
        fresh.goto(f"{live_server.url}/konto/2fa/totp/activate/")
        fresh.wait_for_load_state("networkidle")
        secret = fresh.get_by_label("Hemlighet").input_value()
        icon = desktop.request.get(f"{live_server.url}/favicon.ico", max_redirects=0)
        assert icon.status == 200 and icon.headers["content-type"] == "image/svg+xml"
        assert fresh.get_by_label("Hemlighet").input_value() == secret

        fresh.get_by_label("Autentiseringskod").fill("000000")
        fresh.get_by_role("button", name="Slå på").click()
        assert fresh.get_by_label("Hemlighet").input_value() == secret, "a wrong code keeps the secret"
        fresh.get_by_label("Autentiseringskod").fill(factories.code_from_app(secret))
        fresh.get_by_role("button", name="Slå på").click()
        fresh.get_by_role("heading", name="Återställningskoder").wait_for()
    finally:
        desktop.close()
