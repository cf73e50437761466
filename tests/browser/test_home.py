import pytest

from tests import factories
from tests.browser.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_coordinator_logs_in_on_a_phone_and_sees_her_programmes(page, live_server, alice, solvik, sprakvan):
    factories.newcomer(solvik, [sprakvan])
    log_in(page, live_server, "alice@solvik.se")
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
    page.get_by_label("Språk").select_option("en")
    page.get_by_role("button", name="Byt").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
