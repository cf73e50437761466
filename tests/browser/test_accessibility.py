"""axe-core on the pages people come in through, on a phone and on a desktop, as each would see
them (with the mistakes they make): no critical or serious violation of WCAG 2.1 A/AA."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests import factories
from tests.browser.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 800}}
WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
AXE = Axe()


def serious_violations(page) -> list[str]:
    results = AXE.run(page, options=WCAG)
    return [
        f"{v['id']} ({v['impact']}): {[node['target'] for node in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v["impact"] in ("critical", "serious")
    ]


@pytest.fixture(params=list(VIEWPORTS))
def screen(request, browser):
    context = browser.new_context(locale="sv-SE", viewport=VIEWPORTS[request.param])
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def test_a_visitor_and_a_mistyped_password(screen, live_server, alice):
    found = {}
    for path in ("/", "/bli-volontar/", "/integritet/", "/integritet/nyanland/", "/konto/signup/"):
        screen.goto(live_server.url + path)
        found[path] = serious_violations(screen)
    log_in(screen, live_server, "alice@solvik.se", password="fel-lösenord")
    screen.get_by_role("heading", name="Rätta det här först").wait_for()
    found["login with an error"] = serious_violations(screen)
    assert found == {page: [] for page in found}


def test_a_social_worker_registering_with_mistakes_and_her_list(screen, live_server, sam, solvik, sprakvan):
    for i in range(3):
        factories.newcomer(solvik, [sprakvan], registered_by=sam, first_name="Rana", last_name=f"Saleh{i}")
    log_in(screen, live_server, "sam@solvik.se")
    found = {}
    screen.goto(f"{live_server.url}/nyanlanda/?q=rana")
    found["list"] = serious_violations(screen)
    screen.goto(f"{live_server.url}/nyanlanda/ny/")
    found["form"] = serious_violations(screen)
    screen.get_by_label("Postnummer").fill("000 01")
    screen.get_by_role("button", name="Registrera").click()
    screen.get_by_role("heading", name="Rätta det här först").wait_for()
    found["form with errors"] = serious_violations(screen)
    assert found == {page: [] for page in found}


def test_a_volunteer_applying_with_a_mistake(screen, live_server, olle, sprakvan):
    log_in(screen, live_server, "olle@example.se")
    screen.goto(f"{live_server.url}/bli-volontar/ansok/")
    found = {"first step": serious_violations(screen)}
    screen.get_by_role("textbox", name="Förnamn").fill("R2D2")
    screen.get_by_role("button", name="Nästa").click()
    screen.get_by_role("heading", name="Rätta det här först").wait_for()
    found["first step with an error"] = serious_violations(screen)
    screen.get_by_role("textbox", name="Förnamn").fill("Gunnel")
    screen.get_by_label("Efternamn").fill("Persson")
    screen.get_by_label("Födelseår").fill("1955")
    screen.get_by_label("Kvinna").check()
    screen.get_by_role("button", name="Nästa").click()
    screen.get_by_role("heading", name="Program").wait_for()
    found["programmes"] = serious_violations(screen)
    screen.get_by_label(re.compile("Språkvän Solvik")).check()
    screen.get_by_role("button", name="Nästa").click()
    screen.get_by_role("heading", name="Språk och intressen").wait_for()
    found["languages"] = serious_violations(screen)
    screen.get_by_label("svenska", exact=True).check()
    screen.get_by_label("Modersmål").check()
    screen.get_by_role("button", name="Nästa").click()
    screen.get_by_role("heading", name="Tider").wait_for()
    found["the weekly grid"] = serious_violations(screen)
    assert found == {page: [] for page in found}


def test_an_organisation_admin_inviting_staff(screen, live_server, ada):
    log_in(screen, live_server, "ada@solvik.se", app_secret=factories.authenticator_app(ada))
    screen.goto(f"{live_server.url}/organisation/solvik/")
    found = {"organisation": serious_violations(screen)}
    screen.get_by_role("button", name="Skicka inbjudan").click()
    screen.get_by_role("heading", name="Rätta det här först").wait_for()
    found["invitation with an error"] = serious_violations(screen)
    assert found == {page: [] for page in found}


def _luminance(rgb: tuple[int, ...]) -> float:
    def channel(c: int) -> float:
        c = c / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in rgb[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: tuple[int, ...], b: tuple[int, ...]) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def _colours(css: str) -> list[tuple[int, ...]]:
    return [tuple(int(x) for x in m.groups()) for m in re.finditer(r"rgba?\((\d+), (\d+), (\d+)", css)]


def test_the_keyboards_focus_stands_out_three_to_one_on_the_page_and_on_the_header(screen, live_server):
    """WCAG 1.4.11: the focus indicator has 3:1 against what is around it, on the white page and
    on the dark header alike (a yellow ring alone was about 2:1 on white)."""
    screen.goto(live_server.url + "/konto/login/")
    white = (255, 255, 255)
    header = _colours(screen.locator(".site-header").evaluate("e => getComputedStyle(e).backgroundColor"))[0]
    screen.locator("input[name=login]").focus()
    screen.keyboard.press("Tab")
    screen.keyboard.press("Shift+Tab")
    ring = screen.evaluate(
        "() => { const s = getComputedStyle(document.activeElement);"
        " return [s.outlineColor, s.boxShadow, s.outlineWidth] }"
    )
    rings = _colours(ring[0]) + _colours(ring[1])
    assert ring[2] == "3px" and len(rings) == 2
    assert max(contrast(c, white) for c in rings) >= 3 and max(contrast(c, header) for c in rings) >= 3
