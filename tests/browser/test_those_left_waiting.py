"""Those a run leaves waiting, as a coordinator on her phone sees them: the run followed stage by
stage, then, worked out by a real worker process after the run, what would get them a match,
each change said with its effect; the page passes axe-core; and in English too."""

import pytest

from coordinator.models import MatchingRun
from tests import factories
from tests.browser.conftest import log_in, open_menu
from tests.browser.test_accessibility import serious_violations
from tests.worker_process import wait_for

pytestmark = [pytest.mark.browser, pytest.mark.worker, pytest.mark.django_db(transaction=True)]

FAR_EAST = {"latitude": 59.291, "longitude": 18.27}  # 26 km east of Ekerö, past the 25 km limit


def test_a_coordinator_runs_matching_and_reads_what_would_get_the_newcomer_left_out_a_match(
    page, live_server, celery_worker_process, alice, solvik, sprakvan
):
    factories.newcomer(solvik, [sprakvan], first_name="Amal", last_name="Haddad", **FAR_EAST)
    factories.newcomer(solvik, [sprakvan], first_name="Omar", last_name="Said")
    factories.volunteer(solvik, [sprakvan], first_name="Karin", last_name="Berg", capacity=2)
    log_in(page, live_server, "alice@solvik.se", app_secret=factories.authenticator_app(alice))
    page.get_by_role("link", name="Språkvän Solvik").click()

    page.get_by_role("button", name="Kör matchning").click()
    page.get_by_role("status").filter(has_text="Klar: 1 av 2 nyanlända fick ett förslag.").wait_for(timeout=90_000)
    # The lines under the run follow it too, without a reload.
    page.locator("#run-after").filter(has_text="1 förslag väntar på beslut").wait_for()
    page.locator("#run-after").filter(has_text="0 behölls som de var, 0 ändrades, 1 är nya").wait_for()
    run = MatchingRun.objects.get()
    assert run.stats["seconds"]["solve"] >= 0 and run.time_limit == 60
    wait_for(
        lambda: MatchingRun.objects.filter(pk=run.pk, what_if__isnull=False).exists(),
        timeout=60,
        what=f"the worker to work out what would help; its log:\n{celery_worker_process.output()}",
    )
    page.reload()
    answers = page.get_by_role("region", name="Det här skulle hjälpa dem som väntar")
    answers.get_by_text(
        "Höj avståndsgränsen från 25 till 30 km: 1 nyanländ till får en matchning, alla talar arabiska."
    ).wait_for()
    assert "Amal Haddad" in page.get_by_role("region", name="Utan förslag i senaste matchningen").inner_text()
    assert serious_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, "nothing wider than the phone"

    open_menu(page)
    page.get_by_label("Språk", exact=True).select_option("en")  # the header's language choice
    page.get_by_role("button", name="Byt").click()
    page.wait_for_load_state()
    page.get_by_role("region", name="What would help those waiting").get_by_text(
        "Raise the distance limit from 25 to 30 km: 1 more newcomer would be matched, all of them Arabic speakers."
    ).wait_for()
