"""Headless Chromium (Debian's /usr/bin/chromium) driven by Playwright against a live server."""

import os
from pathlib import Path

import pytest

from tests import factories
from tests.services import missing

CHROMIUM = Path("/usr/bin/chromium")
# Playwright's sync API keeps an event loop in this thread; the ORM calls the tests make
# between page actions are ordinary synchronous ones.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        missing("Chromium at /usr/bin/chromium (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(
            executable_path=str(CHROMIUM),
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="sv-SE", viewport={"width": 390, "height": 844})  # a phone
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def open_menu(page) -> None:
    """On a phone the header's links are behind the "Meny" button: tap it, as a person would."""
    toggle = page.get_by_role("button", name="Meny")
    if toggle.is_visible() and toggle.get_attribute("aria-expanded") != "true":
        toggle.click()


def log_in(page, live_server, email: str, password: str = "secret-pass-1", *, app_secret: str | None = None) -> None:
    """Log in with the password and, for staff (who have an authenticator app: `app_secret`),
    the code the app shows."""
    page.goto(f"{live_server.url}/konto/login/")
    page.get_by_label("E-post").fill(email)
    page.get_by_label("Lösenord").fill(password)
    page.get_by_role("button", name="Logga in").click()
    if app_secret is not None:
        page.get_by_role("heading", name="Ange koden från din app").wait_for()
        page.get_by_label("Kod", exact=True).fill(factories.code_from_app(app_secret))
        page.get_by_role("button", name="Logga in").click()
