"""A refused form says what went wrong at the top, with a link to each field, and the page title
says so first (GOV.UK's error summary), on every form the site renders."""

import re

from django.urls import reverse

from tests.coordinator.test_newcomer_register import register


def _summary(html: str) -> str:
    match = re.search(r'<div class="error-summary"[^>]*data-error-summary.*?</div>', html, re.S)
    assert match, "no error summary on the page"
    return match.group(0)


def test_sams_refused_registration_lists_each_mistake_with_a_link_to_its_field(client, sam, sprakvan):
    client.force_login(sam)
    response = register(client, sprakvan, languages=[], postcode="000 01")
    html = response.content.decode()
    summary = _summary(html)
    assert "<title>Fel: " in html
    for field in ("languages", "postcode"):
        assert f'href="#id_{field}-field"' in summary
        assert f'id="id_{field}-field"' in html
    assert (
        "Postnummer: Postnumret 000 01 finns inte i vår förteckning. Stämmer det, skriv orten också, "
        "så hittar vi platsen." in summary
    )
    assert summary.count("<li>") == 2


def test_a_form_that_was_not_sent_has_no_summary_and_a_plain_title(client, sam):
    client.force_login(sam)
    html = client.get(reverse("newcomer_register")).content.decode()
    assert "data-error-summary" not in html and "<title>Fel:" not in html


def test_the_volunteers_application_has_the_same_summary(client, olle):
    client.force_login(olle)
    html = client.post(reverse("volunteer_apply_step", args=["om-dig"]), {"first_name": "R2D2"}).content.decode()
    assert "<title>Fel: " in html and 'href="#id_first_name-field"' in _summary(html)


def test_a_wrong_password_is_summed_up_on_the_log_in_page(client, alice):
    html = client.post(reverse("account_login"), {"login": "alice@solvik.se", "password": "fel"}).content.decode()
    assert "<title>Fel: " in html and "data-error-summary" in html
